"""How long the collection of many plans takes to build, and how large it is.

Makes OUTDIR with N plan outputs (default 1,000 plans of 80 records: some 80,000 records,
each record the sample's own, renumbered) and a manifest, as a batch would leave them,
then times `collect` and reports the database's size and the peak memory. The issue's
budget: under a minute and a few hundred MB of database for 1,000 plans.

    python benchmarks/collection.py [--plans 1000] [--records 80]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
from pathlib import Path

from actionplan.pipeline.collection import collect

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "ofsted-improvement-plan-2014.json"


def make_outdir(outdir: Path, plans: int, per_plan: int) -> None:
    source = json.loads(GOLDEN.read_text(encoding="utf-8"))
    pool = [r for t in source["tables"] for r in t["records"]]
    entries = []
    for n in range(plans):
        records = []
        for i in range(per_plan):
            r = dict(pool[(n * 7 + i) % len(pool)])
            r["item"] = str(i + 1)
            records.append(r)
        doc = {**source, "source": {**source["source"], "file": f"plan-{n:04d}.pdf", "sha256": f"{n:064x}"},
               "tables": [{**source["tables"][0], "id": "plan", "title": f"Improvement plan {n}", "records": records}]}
        (outdir / f"plan-{n:04d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        entries.append({"path": f"/plans/plan-{n:04d}.pdf", "sha256": f"{n:064x}", "status": "converted",
                        "plans": 1, "records": per_plan, "outputs": [f"plan-{n:04d}.json"]})
    (outdir / "manifest.json").write_text(json.dumps({"inputs": entries}), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--records", type=int, default=80)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        outdir = Path(tmp)
        make_outdir(outdir, args.plans, args.records)
        result = collect(outdir)
        sizes = {p.name: p.stat().st_size / 1e6 for p in result.paths}
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{result.plans} plans, {result.records} records: collected in {result.seconds:.1f} s "
              f"(budget 60 s); " + ", ".join(f"{k} {v:.0f} MB" for k, v in sizes.items())
              + f"; peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
