"""The sample's records typeset again: other paper, fonts, widths, no repeated header."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_LEADS
from reportlab.lib.pagesizes import A3, A4, landscape, letter, portrait
from scoring import score
from synth import make_plan_pdf, plans_from_expected

from actionplan import convert

VARIANTS = {
    "letter-times-header-once": dict(pagesize=landscape(letter), font="Times-Roman", font_size=9, repeat_header=False),
    "a3-courier-narrow-dates": dict(pagesize=landscape(A3), font="Courier", font_size=7),
    "a4-portrait-header-once": dict(pagesize=portrait(A4), font="Helvetica", font_size=7, repeat_header=False),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_sample_typeset_differently_converts_the_same(name, expected, tmp_path):
    specs = plans_from_expected(expected)
    if "narrow" in name:
        specs[0].widths = {"item": 0.4, "by_when": 0.55, "rag": 0.4}
    pdf = make_plan_pdf(tmp_path / f"{name}.pdf", specs, **VARIANTS[name])
    result = convert(pdf, leads=SAMPLE_LEADS)
    s = score(expected["tables"], result.to_dict()["tables"])
    assert len(result.tables) == 2
    assert s.found == s.records and s.spurious == 0, s.misses[:10]
    assert s.rate("text") >= 0.98, s.misses[:10]
    assert s.para_ok == s.found
    assert s.rate("due") >= 0.98
    assert s.rag_ok == s.rag_total
    assert s.rate("lead") >= 0.98
