"""OCR benchmark: generated plans printed and scanned, read back, timed beside OCRmyPDF.

    python benchmarks/ocr.py [--n 3] [--seed 1] [--dpi 200] [--records 10] [--plain]
                             [--ocrmypdf PATH]

Each plan is printed the way an office laser prints it (grey halftone, dot gain: red and green
rating cells come out dark grey) and scanned back (`tests/synth.py make_printed_scan_pdf`;
`--plain`: the old straight greyscale scan). Prints per document: pages, seconds per page,
records found, text fields within 95 % of the characters, dates and ratings right, ratings
blank or wrong with no warning; then the totals. Where OCRmyPDF is installed (`pip install
ocrmypdf`, with Ghostscript), each scan is also OCR'd by `ocrmypdf --deskew -j <cores>` and the
ratio of our time to its time is printed: the budget is at most 1.0 (issue #21).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

TEXT = ("area_for_improvement", "lead", "action", "by_when", "progress", "monitoring")


def _ocrmypdf_seconds(exe: str, scan: Path, out: Path) -> float | None:
    """OCRmyPDF's wall time on the scan (deskewed, a job per core), None if it failed."""
    jobs = str(os.cpu_count() or 1)
    start = time.perf_counter()
    proc = subprocess.run([exe, "-q", "--deskew", "-j", jobs, str(scan), str(out)], capture_output=True)
    if proc.returncode != 0:
        print(f"  OCRmyPDF failed: {proc.stderr.decode(errors='replace').strip()[:200]}")
        return None
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    from rapidfuzz import fuzz
    from synth import PlanSpec, make_plan_pdf, make_printed_scan_pdf, make_scan_pdf, random_records, write_leads_csv

    from actionplan import convert

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3, help="documents (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    ap.add_argument("--dpi", type=int, default=200, help="scan resolution (default 200)")
    ap.add_argument("--records", type=int, default=10, help="records a plan (default 10)")
    ap.add_argument("--plain", action="store_true", help="a straight greyscale scan, not a printed one")
    ap.add_argument("--ocrmypdf", default=shutil.which("ocrmypdf"), help="OCRmyPDF to time beside (default: PATH's)")
    args = ap.parse_args(argv)
    # records, found, fields, close, other, other ok, seconds, pages, silent, their seconds
    totals = [0, 0, 0, 0, 0, 0, 0.0, 0, 0, 0.0]
    timed_theirs = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        leads = write_leads_csv(folder / "leads.csv")
        for k in range(args.n):
            seed = args.seed * 1000 + k
            records = random_records(seed, args.records)
            born = make_plan_pdf(folder / f"born{seed}.pdf", [PlanSpec("Improvement plan", records)], font_size=9)
            scan = folder / f"scan{seed}.pdf"
            if args.plain:
                make_scan_pdf(born, scan, dpi=args.dpi, seed=seed)
            else:
                make_printed_scan_pdf(born, scan, dpi=args.dpi, seed=seed)
            start = time.perf_counter()
            result = convert(scan, leads=leads)
            seconds = time.perf_counter() - start
            got = {r["item"]: r for r in result.records}
            warned = {w.item for w in result.warnings if w.field == "rag"}
            fields = close = other = other_ok = silent = 0
            for r in records:
                g = got.get(r["item"])
                if g is None:
                    continue
                for f in TEXT:
                    fields += 1
                    close += fuzz.ratio(r.get(f) or "", g.get(f) or "") >= 95
                other += 2
                other_ok += (g["due_dates"] == r["due_dates"]) + (g["rag"] == r["rag"])
                silent += g["rag"] != r["rag"] and r["item"] not in warned
            found = sum(1 for r in records if r["item"] in got)
            pages = len(result.document.ocr_pages)
            theirs = _ocrmypdf_seconds(args.ocrmypdf, scan, folder / f"theirs{seed}.pdf") if args.ocrmypdf else None
            timed_theirs = timed_theirs and theirs is not None
            beside = f", OCRmyPDF {theirs / max(pages, 1):.1f} s/page (ratio {seconds / theirs:.2f})" if theirs else ""
            print(f"seed {seed}: {pages} pages, {seconds / max(pages, 1):.1f} s/page{beside}, records "
                  f"{found}/{len(records)}, text {close}/{fields}, dates and ratings {other_ok}/{other}, "
                  f"ratings wrong in silence {silent}")
            for i, v in enumerate((len(records), found, fields, close, other, other_ok, seconds, pages, silent,
                                   theirs or 0.0)):
                totals[i] += v
    rec, found, fields, close, other, other_ok, seconds, pages, silent, theirs = totals
    print(f"\nall: records {found / max(rec, 1):.3f}, text within 95 % {close / max(fields, 1):.3f}, "
          f"dates and ratings {other_ok / max(other, 1):.3f}, ratings wrong in silence {silent}, "
          f"{seconds / max(pages, 1):.1f} s per page")
    if args.ocrmypdf and timed_theirs:
        print(f"time beside OCRmyPDF (--deskew, a job per core): {seconds / theirs:.2f} (budget: at most 1.00)")
    else:
        print("OCRmyPDF not timed: install it (pip install ocrmypdf; apt-get install ghostscript) or pass --ocrmypdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
