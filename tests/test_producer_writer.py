"""The Writer producer (tests/producers/writer.py) makes what its layout says: checks of the
generator only. How the converter does on its documents is for the sweep
(`python tests/producers/writer.py`), not for these tests."""

from __future__ import annotations

import os
import random
import re

import pytest
from producers import writer


def _need_writer() -> None:
    reason = writer.available()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have LibreOffice Writer: {reason}")
        pytest.skip(reason)


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _pages(pdf) -> list[str]:
    import pypdf

    return [_squash(p.extract_text()) for p in pypdf.PdfReader(str(pdf)).pages]


def _layout(seed: int, **changes) -> dict:
    layout = writer.random_layout(random.Random(seed))
    layout.update(changes)
    return layout


@pytest.mark.parametrize("seed", range(1, 25))
def test_every_layout_makes_a_docx_holding_its_records(seed, tmp_path):
    """Without Writer: the DOCX for any layout holds every expected action, and the records
    follow the layout (numbers unique, a rating colour-only when the layout says so)."""
    import docx

    layout = writer.random_layout(random.Random(900 + seed))
    path, specs = writer.make_docx(tmp_path / "plan.docx", 900 + seed, layout, n=6)
    body = docx.Document(str(path))
    text = _squash(" ".join(c.text for t in body.tables for row in t.rows for c in row.cells))
    assert len(specs) == (2 if layout["two_plans"] else 1)
    for spec in specs:
        items = [r["item"] for r in spec.records]
        assert len(set(items)) == len(items), items
        if layout["item"] == "none":
            assert items == [str(k) for k in range(1, len(items) + 1)]
        for rec in spec.records:
            assert _squash(rec["action"]) in text
            assert rec["area_for_improvement"]
            if "rag" not in spec.headers:
                assert rec["rag"] is None
            elif layout["rating"] == "fill":
                assert rec["rag_raw"] is None
            if "inspection_para" not in spec.headers:
                assert rec["inspection_para"] is None
    assert writer.random_layout(random.Random(900 + seed)) == layout  # one seed, one layout


def test_a_plan_with_section_rows_and_a_cover_page(tmp_path):
    """Cover page first, then the plan: each area as a row across the table before its
    actions, every action in the PDF's text, the colour-only ratings drawn as fills."""
    _need_writer()
    layout = _layout(3, rules="writer-shaded-sections", area="section-rows", section_label="Priority {k}: ",
                     cover=True, logo="shaded-box", prose=False, contents=False, rating="fill", palette="standard",
                     cant_split=True, long_cells=False, narrow=False, two_plans="same", title_row=False,
                     tables_before=["rag-key"], tables_after=["sign-off"], notes=["revised", "key"],
                     columns=["item", "action", "lead", "by_when", "progress", "rag"], item="multilevel")
    layout["headings"] = {f: writer._heading(f, random.Random(f)) for f in layout["columns"]}
    pdf, specs = writer.make(tmp_path / "plan.pdf", 31, layout, n=5)
    pages = _pages(pdf)
    assert len(pages) >= 3
    cover = pages[0]
    assert any(_squash(c) in cover for c in writer.COUNCILS)
    assert any(_squash(t) in cover for t in writer.TITLES)
    assert not any(_squash(r["action"]) in cover for s in specs for r in s.records)
    text = "".join(pages[1:])
    assert len(specs) == 2
    pos = 0
    for spec in specs:
        for rec in spec.records:
            area, action = _squash(rec["area_for_improvement"]), _squash(rec["action"])
            assert area.startswith("Priority")
            assert area in text, rec["area_for_improvement"]
            assert action in text, rec["action"]
            assert text.index(area, 0) < text.index(action, pos), "a section row comes before its actions"
            pos = text.index(action, pos)
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    colours = {tuple(int(writer.PALETTES["standard"][k][i:i + 2], 16) for i in (0, 2, 4)) for k in "RAGB"}
    seen = set()
    for i in range(len(doc)):
        im = doc[i].render(scale=0.5).to_pil().convert("RGB")
        seen |= colours & set(im.getdata())
    wanted = {rec["rag"] for s in specs for rec in s.records if rec["rag"]}
    assert len(seen) >= len(wanted)  # the RAG key shows all four; the plan its own


def test_a_plan_with_merged_areas_word_ratings_and_no_cover(tmp_path):
    """The area merged down its own column: written once, every action still in the text;
    ratings as words; the first page is the plan's."""
    _need_writer()
    layout = _layout(5, rules="writer-grid", area="vmerge", cover=False, prose=False, contents=False,
                     rating="word", cant_split=True, long_cells=False, narrow=False, two_plans=None,
                     tables_before=[], tables_after=["glossary"], notes=[], item="multilevel-letter",
                     orientation="portrait",
                     columns=["item", "inspection_para", "area_for_improvement", "action", "lead", "by_when", "rag"])
    layout["headings"] = {f: writer._heading(f, random.Random(f)) for f in layout["columns"]}
    pdf, specs = writer.make(tmp_path / "plan.pdf", 52, layout, n=5)
    text = "".join(_pages(pdf))
    (spec,) = specs
    for rec in spec.records:
        assert _squash(rec["action"]) in text
        assert text.count(_squash(rec["area_for_improvement"])) == 1  # merged: written once
        if rec["rag"]:
            assert rec["rag_raw"] in ("Red", "Amber", "Green", "Blue")
    assert _squash(spec.records[0]["action"]) in _pages(pdf)[0]
