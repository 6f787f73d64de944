"""The Calc producer makes what its layout says: a PDF that opens, holds every action it
was given, repeats the header on every page when print titles are on (and only then),
merges an area over its actions (drawn once a page) or repeats it on every row, and
shows a fill-only rating as colour without a letter. Whether the converter reads these
back is the sweep's business (python tests/producers/calc.py), not this file's."""

from __future__ import annotations

import os
import random
import re

import pytest
from producers import calc

WHY = calc.available()
if WHY and not os.environ.get("CI"):
    pytest.skip(f"Calc producer needs LibreOffice: {WHY}", allow_module_level=True)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(pdf) -> list[str]:
    import playa

    with playa.open(pdf) as doc:
        return [_squash(page.extract_text()) for page in doc.pages]


def _layout(seed: int, **over) -> dict:
    layout = calc.random_layout(random.Random(seed))
    layout.update(over)
    return layout


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """A grid with areas merged down, the header as print titles, fill-only ratings."""
    layout = _layout(13, rules="calc-grid", area_mode="merge", para=True, para_mode="merge", print_titles="header",
                     rag_mode="fill-only", palette="standard", two_plans=None, item_style="int", headings="standard",
                     font_size=11, narrow=False, notes_below=None, blank_between=False, fit_width=False,
                     scale=100, monitoring=True, impact=False, order="standard", key=None)
    pdf, specs = calc.make(tmp_path_factory.mktemp("calc") / "merged.pdf", 13, layout, n=10)
    return pdf, specs, layout


@pytest.fixture(scope="module")
def repeated(tmp_path_factory):
    """Areas typed on every row, no print titles, word ratings, a second plan on a sheet of its own."""
    layout = _layout(12, rules="calc-horizontal", area_mode="repeat", para_mode="repeat", para=True,
                     print_titles="off", rag_mode="word", two_plans="sheet", item_style="dotted", headings="standard",
                     font_size=11, narrow=False, notes_below="note", blank_between=False, fit_width=False, scale=100,
                     title_merged=False, order="standard", key=None)
    pdf, specs = calc.make(tmp_path_factory.mktemp("calc") / "repeated.pdf", 12, layout, n=10)
    return pdf, specs, layout


def test_the_pdf_opens_and_holds_every_action(merged, repeated):
    for pdf, specs, _ in (merged, repeated):
        text = "".join(_pages(pdf))
        for spec in specs:
            for rec in spec.records:
                assert _squash(rec["action"]) in text, (pdf.name, rec["item"])
                assert _squash(rec["progress"]) in text, (pdf.name, rec["item"])


def test_print_titles_repeat_the_header_on_every_page_and_only_then(merged, repeated):
    pages = _pages(merged[0])
    assert len(pages) >= 2
    assert all("OfstedParaNo" in p and "AreaforImprovement" in p for p in pages)
    pdf, specs, _ = repeated
    pages = _pages(pdf)
    first_plan = [p for p in pages if any(_squash(r["action"]) in p for r in specs[0].records)]
    assert len(first_plan) >= 2
    assert "AreaforImprovement" in first_plan[0]
    assert not any("AreaforImprovement" in p for p in first_plan[1:])


def test_an_area_merged_down_is_drawn_once_a_page_and_repeated_areas_once_a_row(merged, repeated):
    pdf, specs, _ = merged
    pages = _pages(pdf)
    records = specs[0].records
    areas = {r["area_for_improvement"] for r in records}
    for area in areas:
        assert all(p.count(_squash(area)) <= 1 for p in pages), area
    groups = [sum(1 for r in records if r["area_for_improvement"] == a) for a in areas]
    assert max(groups) > 1  # there is something merged
    assert sum(p.count(_squash(a)) for p in pages for a in areas) < len(records)
    pdf, specs, _ = repeated
    text = "".join(_pages(pdf))
    for area in {r["area_for_improvement"] for r in specs[0].records}:
        assert text.count(_squash(area)) == sum(1 for r in specs[0].records if r["area_for_improvement"] == area)


def test_a_merge_across_a_page_break_is_drawn_again_on_the_next_page(merged):
    """Calc draws a merged cell's text on every page the merge touches (clipped out of sight
    after the first): the expected records still give each action its area once."""
    import openpyxl

    pdf, specs, _ = merged
    sheet = openpyxl.load_workbook(pdf.with_suffix(".xlsx")).active
    assert any(rg.max_row > rg.min_row for rg in sheet.merged_cells.ranges)
    pages = _pages(pdf)
    records = specs[0].records
    crossing = 0
    for area in {r["area_for_improvement"] for r in records}:
        actions = [_squash(r["action"]) for r in records if r["area_for_improvement"] == area]
        on = {k for k, p in enumerate(pages) for a in actions if a in p}
        assert on == {k for k, p in enumerate(pages) if _squash(area) in p}, area
        crossing += len(on) > 1
    assert crossing  # the fixture has a merge that crosses a page break


def test_fill_only_ratings_show_colour_and_no_letter(merged):
    import pypdfium2 as pdfium

    pdf, specs, _ = merged
    wanted = {r["rag"] for r in specs[0].records if r["rag"]}
    assert all(r["rag_raw"] is None for r in specs[0].records)
    doc = pdfium.PdfDocument(str(pdf))
    seen = set()
    for i in range(len(doc)):
        colours = set(doc[i].render(scale=0.5).to_pil().convert("RGB").getdata())
        for letter, rgb in calc.PALETTES["standard"].items():
            if tuple(int(rgb[k:k + 2], 16) for k in (0, 2, 4)) in colours:
                seen.add(letter)
    doc.close()
    assert wanted <= seen


def test_a_second_sheet_is_a_second_plan_starting_on_a_page_of_its_own(repeated):
    pdf, specs, _ = repeated
    assert len(specs) == 2
    pages = _pages(pdf)
    starts = [k for k, p in enumerate(pages) if _squash(specs[1].title) in p]
    assert starts and starts[0] > 0
    assert not any(_squash(r["action"]) in pages[starts[0]] for r in specs[0].records)
    assert all(r["rag_raw"] and r["rag_raw"][0] in "RAGBC" for s in specs for r in s.records if r["rag"])


def test_layouts_are_the_same_for_the_same_seed():
    assert calc.random_layout(random.Random(5)) == calc.random_layout(random.Random(5))
    assert {calc.random_layout(random.Random(s))["rules"] for s in range(40)} == set(calc.STYLES)


def _overlapping_lines(pdf, hidden: set[str]) -> list[tuple[int, str, str]]:
    """Printed lines that lie on top of each other: a row too short for its text runs into the
    next row (or, aligned to the bottom, into the one above). Lines of `hidden` texts (a
    merged cell Calc draws again, clipped, on the next page) are left out."""
    import playa

    found = []
    with playa.open(pdf) as doc:
        for k, page in enumerate(doc.pages):
            lines = sorted(((t.bbox, t.chars) for t in page.texts if t.chars.strip()
                            and not any(_squash(t.chars) in h for h in hidden)), key=lambda line: line[0][1])
            for i, ((x0, y0, x1, y1), a) in enumerate(lines):
                for (u0, v0, u1, v1), b in lines[i + 1:]:
                    if v0 >= y1:
                        break
                    if min(y1, v1) - max(y0, v0) > 0.5 * min(y1 - y0, v1 - v0) and min(x1, u1) - max(x0, u0) > 2:
                        found.append((k, a, b))
    return found


def test_rows_are_tall_enough_for_their_text(merged, repeated):
    for pdf, specs, _ in (merged, repeated):
        hidden = {_squash(r[f]) for s in specs for r in s.records for f in ("area_for_improvement",)}
        hidden |= {_squash(f"{r['inspection_para']}") for s in specs for r in s.records}
        assert _overlapping_lines(pdf, hidden) == [], pdf.name
