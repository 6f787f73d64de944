"""The Chromium producer makes what it says it makes: web pages printed to PDF whose text
holds every record it promises, with the header repeated only when the page asks for it.
Whether the converter reads them right is the sweep's business, not this file's."""

from __future__ import annotations

import os
import random
import re

import pytest
from producers import chromium


@pytest.fixture(scope="module", autouse=True)
def browser():
    why = chromium.available()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have Chromium for the chromium producer: {why} (see .ci/run)")
        pytest.skip(f"the chromium producer needs Chromium: {why}")
    yield
    chromium.close()


def _pages(pdf) -> list[str]:
    from pypdf import PdfReader

    return [re.sub(r"\s+", "", page.extract_text() or "") for page in PdfReader(str(pdf)).pages]


def _layout(seed: int, **fixed) -> dict:
    layout = chromium.random_layout(random.Random(seed))
    layout.update(fixed)
    return layout


def test_every_record_of_both_plans_is_in_the_printed_text(tmp_path):
    layout = _layout(3, areas="section-rows", section_label="Recommendation {k}: ", section_markup="td",
                     two_plans="different", keep_rows=True, long_cells=False, rating="fill-only", palette="office",
                     backgrounds="on", wrap="normal", landscape=True, scale=0.8, browser_furniture=True,
                     extras=["key-before", "signoff-after"], notes=True,
                     columns=["item", "inspection_para", "action", "lead", "by_when", "progress", "rag"])
    pdf, specs = chromium.make(tmp_path / "plan.pdf", 11, layout, n=8)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = "".join(_pages(pdf))
    assert len(specs) == 2 and all(s.records for s in specs)
    for spec in specs:
        for rec in spec.records:
            assert re.sub(r"\s+", "", rec["action"]) in text, rec["item"]
            # a section row's text is the area its actions carry
            assert re.sub(r"\s+", "", rec["area_for_improvement"]) in text
            assert rec["area_for_improvement"].startswith("Recommendation ")
            assert rec["rag_raw"] is None  # only the cell's colour says it
    # the colour-only ratings are printed: the page shows the palette's fills
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    colours = set()
    for i in range(len(doc)):
        colours |= set(doc[i].render(scale=0.5).to_pil().convert("RGB").getdata())
    doc.close()
    palette = chromium.PALETTES["office"]
    shown = {k for k, hexa in palette.items() if tuple(int(hexa[j:j + 2], 16) for j in (1, 3, 5)) in colours}
    assert {r["rag"] for r in specs[0].records if r["rag"]} <= shown


@pytest.mark.parametrize("thead", [True, False])
def test_the_header_is_repeated_on_every_page_only_from_a_thead(tmp_path, thead):
    layout = _layout(5, thead=thead, two_plans=None, extras=[], notes=False, page="export", keep_rows=True,
                     landscape=False, scale=1.0, font_px=14, long_cells=True, areas="first-row",
                     headings={"action": "Planned activity"}, browser_furniture=False,
                     updated=False)
    pdf, specs = chromium.make(tmp_path / "plan.pdf", 21, layout, n=10)
    pages = _pages(pdf)
    assert len(pages) > 1
    with_header = [i for i, t in enumerate(pages) if "Plannedactivity" in t]
    assert with_header == (list(range(len(pages))) if thead else [0])
    assert specs[0].headers["action"] == "Planned activity"
