"""OCR benchmark: generated plans scanned (greyscale, skewed, dusty), read back.

    python benchmarks/ocr.py [--n 3] [--seed 1] [--dpi 200]

Prints per document: pages, OCR seconds per page, records found, text fields within 95 %
of the characters, dates and ratings right; then the totals.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

TEXT = ("area_for_improvement", "lead", "action", "by_when", "progress", "monitoring")


def main(argv: list[str] | None = None) -> int:
    from rapidfuzz import fuzz
    from synth import PlanSpec, make_plan_pdf, make_scan_pdf, random_records, write_leads_csv

    from actionplan import convert

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3, help="documents (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    ap.add_argument("--dpi", type=int, default=200, help="scan resolution (default 200)")
    args = ap.parse_args(argv)
    totals = [0, 0, 0, 0, 0, 0, 0.0, 0]  # records, found, fields, close, other, other ok, seconds, pages
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        leads = write_leads_csv(folder / "leads.csv")
        for k in range(args.n):
            seed = args.seed * 1000 + k
            records = random_records(seed, 10)
            born = make_plan_pdf(folder / f"born{seed}.pdf", [PlanSpec("Improvement plan", records)], font_size=9)
            scan = make_scan_pdf(born, folder / f"scan{seed}.pdf", dpi=args.dpi, seed=seed)
            start = time.perf_counter()
            result = convert(scan, leads=leads, workers=1)
            seconds = time.perf_counter() - start
            got = {r["item"]: r for r in result.records}
            fields = close = other = other_ok = 0
            for r in records:
                g = got.get(r["item"])
                if g is None:
                    continue
                for f in TEXT:
                    fields += 1
                    close += fuzz.ratio(r.get(f) or "", g.get(f) or "") >= 95
                other += 2
                other_ok += (g["due_dates"] == r["due_dates"]) + (g["rag"] == r["rag"])
            found = sum(1 for r in records if r["item"] in got)
            pages = len(result.document.ocr_pages)
            print(f"seed {seed}: {pages} pages, {seconds / max(pages, 1):.1f} s/page, records {found}/{len(records)}, "
                  f"text {close}/{fields}, dates and ratings {other_ok}/{other}")
            for i, v in enumerate((len(records), found, fields, close, other, other_ok, seconds, pages)):
                totals[i] += v
    rec, found, fields, close, other, other_ok, seconds, pages = totals
    print(f"\nall: records {found / max(rec, 1):.3f}, text within 95 % {close / max(fields, 1):.3f}, "
          f"dates and ratings {other_ok / max(other, 1):.3f}, {seconds / max(pages, 1):.1f} s per page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
