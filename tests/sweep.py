"""The layout sweep: generated plans in every table style, converted and compared.

Shared by tests/test_sweep.py (a fixed small subset) and benchmarks/layouts.py (the full
sweep). A conversion is *silent* when it is wrong and carries no structural warning.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoring import norm
from synth import PlanSpec, make_layout_pdf, random_layout

TEXT = ("area_for_improvement", "lead", "action", "by_when", "progress", "monitoring", "evidence_of_impact")


@dataclass
class LayoutScore:
    layout: dict[str, Any]
    seed: int | None = None
    records: int = 0
    found: int = 0
    spurious: int = 0
    text_total: int = 0
    text_ok: int = 0
    other_total: int = 0  # rating, deadline, paragraph
    other_ok: int = 0
    plans_ok: bool = True
    error: str | None = None
    structural: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    titles: list[str | None] = field(default_factory=list)  # the plans' titles as read

    @property
    def wrong(self) -> bool:
        return (self.error is not None or not self.plans_ok or self.found < self.records or self.spurious > 0
                or self.text_ok < self.text_total or self.other_ok < self.other_total)

    @property
    def silent(self) -> bool:
        return self.wrong and self.error is None and not self.structural


def compare(specs: list[PlanSpec], tables: list[dict[str, Any]], score: LayoutScore) -> None:
    score.plans_ok = len(tables) == len(specs)
    for k, spec in enumerate(specs):
        table = tables[k] if k < len(tables) else {"records": []}
        got: dict[str, list[dict[str, Any]]] = {}
        for r in table["records"]:
            got.setdefault(str(r["item"]), []).append(r)
        want = {str(r["item"]) for r in spec.records}
        score.spurious += sum(len(v) for i, v in got.items() if i not in want) + sum(
            len(v) - 1 for i, v in got.items() if i in want and len(v) > 1)
        for i, v in got.items():
            if i not in want:
                text = " ".join(str(v[0].get(f) or "") for f in TEXT).strip()
                score.misses.append(f"plan {k + 1} item {i}: spurious ({norm(text)[:60]!r})")
        for rec in spec.records:
            score.records += 1
            rows = got.get(str(rec["item"]), [])
            if not rows:
                score.misses.append(f"plan {k + 1} item {rec['item']}: missing")
                continue
            score.found += 1
            row = rows[0]
            for f in TEXT:
                if f in spec.fields:
                    score.text_total += 1
                    if norm(rec.get(f)) == norm(row.get(f)):
                        score.text_ok += 1
                    else:
                        score.misses.append(f"plan {k + 1} item {rec['item']}.{f}: sent {norm(rec.get(f))[:70]!r} "
                                            f"got {norm(row.get(f))[:70]!r}")
            checks = [("rag", rec.get("rag"), row.get("rag")), ("due_dates", rec["due_dates"], row["due_dates"]),
                      ("inspection_para", rec["inspection_para"], row["inspection_para"])]
            for name, a, b in checks:
                score.other_total += 1
                if a == b:
                    score.other_ok += 1
                else:
                    score.misses.append(f"plan {k + 1} item {rec['item']}.{name}: sent {a!r} got {b!r}")


OLD_PRODUCERS = ("reportlab", "weasyprint")


def layout_for(seed: int, producer: str | None = None) -> dict[str, Any]:
    """The sweep's layout for a document: tests/synth.py's axes for ReportLab and WeasyPrint
    (`producer` None lets the seed choose between them, as the sweep always has), or the
    axes of a producer in tests/producers/."""
    if producer is None or producer in OLD_PRODUCERS:
        layout = random_layout(random.Random(seed))
        if producer is not None:
            layout["producer"] = producer
        return layout
    from producers import producer as module

    return module(producer).random_layout(random.Random(seed))


def run_one(seed: int, workdir: Path, leads: Path, layout: dict[str, Any] | None = None,
            n: int = 14) -> LayoutScore:
    from actionplan import ActionPlanError, convert
    from actionplan.schemas.issues import STRUCTURAL

    layout = layout or layout_for(seed)
    score = LayoutScore(layout, seed)
    if layout["producer"] in OLD_PRODUCERS:
        pdf, specs = make_layout_pdf(workdir / f"sweep-{seed}.pdf", seed, layout, n=n)
    else:
        from producers import producer as module

        pdf, specs = module(layout["producer"]).make(workdir / f"sweep-{seed}.pdf", seed, layout, n=n)
    try:
        result = convert(pdf, leads=leads)
    except ActionPlanError as exc:
        score.error = str(exc)
        score.records = sum(len(s.records) for s in specs)
        return score
    doc = result.to_dict()
    score.structural = sorted({w["code"] for w in doc["warnings"] if w["code"] in STRUCTURAL})
    score.titles = [t.get("title") for t in doc["tables"]]
    compare(specs, doc["tables"], score)
    return score
