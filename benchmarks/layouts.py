"""The layout sweep: random plans in every table style, converted and compared.

    python benchmarks/layouts.py --n 200 --seed 1 [--jobs 2] [--show 3]

Each document crosses a table style (full grid, grid with a shaded header, horizontal rules
only, banded rows, header underline only, outer box with vertical rules only, no rules)
with a producer (ReportLab, or HTML printed by WeasyPrint), repeated header on/off, rows
split inside cells on/off, portrait/landscape, A4/Letter, serif/sans, 7 to 10 pt, long
multi-paragraph cells, a blank first header and a second plan with other columns. With
`--producers all` the documents are made in turn by those two and by the producers of
tests/producers/ (a workbook printed by LibreOffice Calc, a document typed in LibreOffice
Writer, a web page printed by Chromium), each with its own axes. It prints, per style:
records found, text fields exact, other fields (rating, deadlines,
paragraph) right, documents wrong, and the *silent* failures: wrong with no structural
warning and no error. Silent failures are the number that must be zero.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _leads(directory: Path) -> Path:
    from synth import write_leads_csv

    return write_leads_csv(directory / "leads.csv")


def _job(args: tuple[int, str, str, str | None]) -> object:
    from sweep import layout_for, run_one

    seed, workdir, leads, producer = args
    if producer == "chromium" and not _BROWSER_STOPS:  # one browser a worker, stopped when the worker ends
        import multiprocessing.util

        from producers import producer as module

        _BROWSER_STOPS.append(multiprocessing.util.Finalize(None, module("chromium").close, exitpriority=10))
    return run_one(seed, Path(workdir), Path(leads), layout_for(seed, producer))


_BROWSER_STOPS: list[object] = []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="documents to generate (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="first seed; document k uses seed*100000+k")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--show", type=int, default=3, help="wrong documents to describe (default 3)")
    ap.add_argument("--producers", default="classic",
                    help="'classic' (ReportLab and WeasyPrint, the seed choosing, as before), 'all' (those and "
                    "every producer in tests/producers installed here, in turn), or a comma-separated list")
    args = ap.parse_args(argv)
    from producers import installed

    if args.producers == "classic":
        producers: list[str | None] = [None]
    elif args.producers == "all":
        producers = ["reportlab", "weasyprint", *installed()]
    else:
        producers = [p.strip() for p in args.producers.split(",") if p.strip()]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        leads = _leads(Path(tmp))
        seeds = [args.seed * 100000 + k for k in range(args.n)]
        jobs = [(s, tmp, str(leads), producers[k % len(producers)]) for k, s in enumerate(seeds)]
        if args.jobs <= 1:
            scores = [_job(j) for j in jobs]
        else:
            with ProcessPoolExecutor(args.jobs) as pool:
                scores = list(pool.map(_job, jobs))
    by_style: dict[str, list] = defaultdict(list)
    for s in scores:
        by_style[f"{s.layout['producer']}/{s.layout['rules']}" if producers != [None] else s.layout["rules"]].append(s)
    width = max([13, *map(len, by_style)])
    head = f"{'style':{width}} {'docs':>4} {'records':>8} {'text':>7} {'other':>7} {'spur':>5} {'wrong':>5} " \
           f"{'loud':>5} {'silent':>6}"
    print(head)
    print("-" * len(head))
    for style, group in [*sorted(by_style.items()), ("all", scores)]:
        rec = sum(s.records for s in group)
        found = sum(s.found for s in group)
        tt = sum(s.text_total for s in group)
        tok = sum(s.text_ok for s in group)
        ot = sum(s.other_total for s in group)
        ook = sum(s.other_ok for s in group)
        wrong = [s for s in group if s.wrong]
        print(f"{style:{width}} {len(group):4} {found / max(rec, 1):8.3f} {tok / max(tt, 1):7.3f} "
              f"{ook / max(ot, 1):7.3f} "
              f"{sum(s.spurious for s in group):5} {len(wrong):5} {sum(1 for s in wrong if not s.silent):5} "
              f"{sum(1 for s in group if s.silent):6}")
    shown = [s for s in scores if s.wrong][: args.show]
    for s in shown:
        print(f"\n{'SILENT' if s.silent else 'flagged'} (seed {s.seed}): {s.layout}")
        print(f"  error: {s.error}" if s.error else f"  structural warnings: {s.structural}")
        for m in s.misses[:6]:
            print("  ", m)
    print(f"\n{len(scores)} documents in {time.perf_counter() - start:.0f} s")
    return 1 if any(s.silent for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
