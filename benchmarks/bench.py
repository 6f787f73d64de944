"""Speed and memory of a full conversion against what a user would script instead.

    python benchmarks/bench.py [--repeat 3] [--pages 200] [--copies 8] [--quick]

Measured in one run, each case in a fresh process of its own so peak memory is its own:
bare camelot.read_pdf with the defaults a user would type (lattice, rendered pages),
bare Camelot with the vector engine, our full conversion (extract, stitch, normalise,
validate, write CSV/Excel/JSON) warm in one process and as a cold `actionplan` process,
and a batch of copies with --jobs 1 and --jobs 2 beside the bare vector script's loop over
the same copies in one process. Needs the test extras (reportlab)
to typeset the long generated plan. Prints a table, the ratios against the targets and
where our time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "ofsted-improvement-plan-2014.pdf"
LEADS = ROOT / "samples" / "ofsted-improvement-plan-2014.leads.csv"
CACHE = ROOT / "benchmarks" / ".cache"

# Each snippet prints one JSON line: {"times": [...], "extra": {...}}; the harness adds peak memory.
BARE = """
import sys, time, json, warnings
warnings.simplefilter("ignore")
t0 = time.perf_counter()
import camelot
imported = time.perf_counter() - t0
times = []
for _ in range({repeat}):
    t = time.perf_counter()
    tables = camelot.read_pdf({pdf!r}, pages="all"{kwargs})
    times.append(time.perf_counter() - t)
print(json.dumps({{"times": times, "extra": {{"tables": tables.n, "import": imported}}}}))
"""

OURS = """
import sys, time, json, tempfile
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from actionplan import convert, write_outputs, Settings
import actionplan.pipeline.outputs.workbook, actionplan.schemas.validation, camelot.parsers, openpyxl, pandera.pandas
imported = time.perf_counter() - t0
settings = Settings(leads={leads!r}{settings})
out = tempfile.mkdtemp()
times, stages = [], []
for _ in range({repeat} + 1):  # the first run warms caches and is not counted
    t = time.perf_counter()
    result = convert({pdf!r}, settings)
    w = time.perf_counter()
    write_outputs(result, out)
    end = time.perf_counter()
    times.append(end - t)
    stages.append({{**result.timings, "write": end - w}})
print(json.dumps({{"times": times[1:], "extra": {{"stages": stages[1:], "import": imported,
    "records": len(result.records), "pages": result.page_count}}}}))
"""


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def run_python(code: str) -> dict:
    """Run a snippet in a fresh interpreter; its times plus its peak memory, summed over the
    process and the helpers it starts (sampled every 20 ms)."""
    import threading

    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    if proc.returncode:
        sys.stderr.write(err)
        raise SystemExit(proc.returncode)
    data = json.loads(out.strip().splitlines()[-1])
    data["peak_mb"] = peak[0] if Path("/proc").is_dir() else float("nan")
    return data


def run_command(args: list[str], repeat: int) -> dict:
    """Wall time of a whole command, cold each time."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return {"times": times}


def long_plan(pages: int) -> Path:
    """A generated plan of at least `pages` pages (typeset once, then cached)."""
    target = CACHE / f"plan-{pages}p.pdf"
    if target.exists():
        return target
    sys.path.insert(0, str(ROOT / "tests"))
    from synth import PlanSpec, make_plan_pdf, random_records

    CACHE.mkdir(parents=True, exist_ok=True)
    n = max(10, int(pages * 2.6))
    while True:
        make_plan_pdf(target, [PlanSpec("Generated Improvement Plan", random_records(7, n))])
        count = _page_count(target)
        if count >= pages:
            return target
        n = int(n * pages / max(count, 1)) + 5


def _page_count(pdf: Path) -> int:
    import playa

    with playa.open(pdf) as doc:
        return len(doc.pages)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (median reported)")
    ap.add_argument("--pages", type=int, default=200, help="pages of the generated long plan")
    ap.add_argument("--copies", type=int, default=8, help="copies of the sample in the batch cases")
    ap.add_argument("--quick", action="store_true", help="one run each, no rendered-Camelot run on the long plan")
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat
    big = long_plan(args.pages)
    files = {"sample": SAMPLE, "long": big}
    pages = {name: _page_count(p) for name, p in files.items()}
    cli = shutil.which("actionplan") or f"{sys.executable} -m actionplan"
    rows: list[tuple[str, str, float, float | None]] = []
    results: dict[tuple[str, str], dict] = {}

    def record(file: str, case: str, data: dict) -> None:
        results[(file, case)] = data
        rows.append((file, case, median(data["times"]), data.get("peak_mb")))
        print(f"  {file:<7} {case:<38} {median(data['times']):7.2f} s", file=sys.stderr)

    print(f"benchmark on {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}",
          file=sys.stderr)
    for name, pdf in files.items():
        default_repeat = 1 if (name == "long" or args.quick) else repeat
        if not (args.quick and name == "long"):
            record(name, "1. bare camelot, defaults (rendered)",
                   run_python(BARE.format(repeat=default_repeat, pdf=str(pdf), kwargs="")))
        record(name, "2. bare camelot, vector engine",
               run_python(BARE.format(repeat=repeat, pdf=str(pdf), kwargs=", engine='vector'")))
        record(name, "3a. ours, warm (all cores)",
               run_python(OURS.format(root=str(ROOT), leads=str(LEADS), repeat=repeat, pdf=str(pdf), settings="")))
        record(name, "3b. ours, warm (one process)",
               run_python(OURS.format(root=str(ROOT), leads=str(LEADS), repeat=repeat, pdf=str(pdf),
                                      settings=", workers=1")))
        with tempfile.TemporaryDirectory() as out:
            record(name, "3c. ours, cold process (actionplan)", run_command(
                [*cli.split(), "convert", str(pdf), "-o", out, "--force", "--leads", str(LEADS)], repeat))
        bare_script = f"import camelot; camelot.read_pdf({str(pdf)!r}, pages='all', engine='vector')"
        record(name, "2c. bare camelot vector, cold process", run_command([sys.executable, "-c", bare_script], repeat))

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "in"
        batch.mkdir()
        for i in range(args.copies):
            shutil.copy(SAMPLE, batch / f"copy{i:02d}.pdf")
        copies = sorted(str(p) for p in batch.glob("*.pdf"))
        loop = f"import camelot\nfor f in {copies!r}: camelot.read_pdf(f, pages='all', engine='vector')"
        record("batch", f"2d. bare vector loop over {args.copies}", run_command([sys.executable, "-c", loop], 1))
        for jobs in (1, 2):
            out = Path(tmp) / f"out{jobs}"
            record("batch", f"4. {args.copies} copies, --jobs {jobs}", run_command(
                [*cli.split(), "convert", str(batch), "-o", str(out), "--force", "--jobs", str(jobs)], 1))
    helps = run_command([*cli.split(), "--help"], 5)
    rows.append(("-", "actionplan --help", median(helps["times"]), None))

    print()
    print(f"{'file':<7} {'case':<40} {'median s':>9} {'s/page':>8} {'peak MB':>8}")
    for file, case, t, mb in rows:
        per_page = t / pages[file] if file in pages else float("nan")
        print(f"{file:<7} {case:<40} {t:9.2f} {per_page:8.3f} {mb if mb is not None else float('nan'):8.0f}")

    def t(file: str, case: str) -> float:
        return median(results[(file, case)]["times"]) if (file, case) in results else float("nan")

    checks = []
    for name in files:
        ours = t(name, "3a. ours, warm (all cores)")
        checks.append((f"{name}: ours warm / bare vector warm", ours / t(name, "2. bare camelot, vector engine"),
                       "<= 1.30"))
        checks.append((f"{name}: same, ours in one process", t(name, "3b. ours, warm (one process)")
                       / t(name, "2. bare camelot, vector engine"), "<= 1.30"))
        checks.append((f"{name}: ours cold / bare vector cold", t(name, "3c. ours, cold process (actionplan)")
                       / t(name, "2c. bare camelot vector, cold process"), "<= 1.10"))
        if (name, "1. bare camelot, defaults (rendered)") in results:
            checks.append((f"{name}: bare default / ours (speed-up)",
                           t(name, "1. bare camelot, defaults (rendered)") / ours, ">= 5.00"))
    per_page = {n: t(n, "3b. ours, warm (one process)") / pages[n] for n in files}
    # linear or better: the long plan may cost less a page (fixed costs spread), never 20% more
    checks.append(("long/sample time per page (one process)", per_page["long"] / per_page["sample"], "<= 1.20"))
    checks.append((f"batch of {args.copies}: --jobs 1 / bare vector loop",
                   t("batch", f"4. {args.copies} copies, --jobs 1")
                   / t("batch", f"2d. bare vector loop over {args.copies}"),
                   "<= 1.10"))
    checks.append(("batch throughput --jobs 2 / --jobs 1",
                   t("batch", f"4. {args.copies} copies, --jobs 1") / t("batch", f"4. {args.copies} copies, --jobs 2"),
                   ">= 1.80"))
    checks.append(("peak MB, long plan, ours", results[("long", "3a. ours, warm (all cores)")]["peak_mb"], "< 500"))
    checks.append(("actionplan --help, s", median(helps["times"]), "< 0.50"))
    print()
    for label, value, target in checks:
        op, bound = target.split()
        ok = {"<=": value <= float(bound), ">=": value >= float(bound), "<": value < float(bound)}[op]
        print(f"{label:<45} {value:8.2f}   target {target:<8} {'ok' if ok else 'MISSED'}")

    print("\nwhere our time goes (warm, one process, median seconds):")
    for name in files:
        data = results[(name, "3b. ours, warm (one process)")]["extra"]
        stages = data["stages"]
        keys = list(stages[0])
        parts = ", ".join(f"{k} {median([s[k] for s in stages]):.3f}" for k in keys)
        print(f"  {name}: imports {data['import']:.2f} (once per process); {parts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
