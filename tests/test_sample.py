"""The bundled sample: pinned by a golden file and scored against hand-checked records."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import GOLDEN, SAMPLE_PDF
from scoring import score


def _diff(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out += _diff(a.get(k), b.get(k), f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r:.120} != {b!r:.120}"]


def test_sample_output_matches_golden_file(sample_result, update_golden):
    golden = GOLDEN / f"{SAMPLE_PDF.stem}.json"
    got = json.loads(sample_result.to_json())
    if update_golden:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.skip("golden file written")
    assert golden.exists(), f"no golden file {golden.name}: run pytest --update-golden once, and review what it wrote"
    want = json.loads(golden.read_text(encoding="utf-8"))
    diffs = _diff(want, got)
    assert not diffs, "output differs from the golden file (rerun with --update-golden if intended):\n" + "\n".join(
        diffs[:20]
    )


def test_sample_finds_every_record_once_and_no_others(sample_result, expected):
    s = score(expected["tables"], sample_result.to_dict()["tables"])
    assert s.found == s.records, s.misses
    assert s.spurious == 0


def test_sample_text_fields_are_exact(sample_result, expected):
    s = score(expected["tables"], sample_result.to_dict()["tables"])
    assert s.text_ok == s.text_total, [m for m in s.misses if "." in m][:10]


def test_sample_paragraphs_and_references_are_right_for_every_record(sample_result, expected):
    s = score(expected["tables"], sample_result.to_dict()["tables"])
    assert s.para_ok == s.found, [m for m in s.misses if ".para" in m]


def test_sample_dates_rag_and_leads_are_normalised(sample_result, expected):
    s = score(expected["tables"], sample_result.to_dict()["tables"])
    assert s.due_ok == s.found, [m for m in s.misses if "due" in m]
    assert s.rag_ok == s.rag_total, [m for m in s.misses if ".rag" in m]
    assert s.lead_ok == s.lead_total, [m for m in s.misses if ".lead" in m]


def test_sample_keeps_its_two_plans_apart_with_their_titles(sample_result):
    titles = [t.title for t in sample_result.tables]
    assert len(titles) == 2
    assert titles[0].startswith("OFSTED INSPECTION") and titles[1].startswith("HSCB OFSTED")
    fields = [{c["field"] for c in t.columns} for t in sample_result.tables]
    assert "business_plan_ref" in fields[1] and "business_plan_ref" not in fields[0]
    assert "evidence_of_impact" in fields[1] and "monitoring" in fields[0]


def test_sample_warns_about_the_ambiguous_rating(sample_result):
    codes = [(w.item, w.code) for w in sample_result.warnings]
    assert ("49", "rag-unsettled") in codes
