"""Every table style, from two producers, round-trips: a fixed slice of the layout sweep
(benchmarks/layouts.py runs the whole of it)."""

from __future__ import annotations

import random

import pytest
from conftest import SAMPLE_LEADS
from scoring import score
from sweep import run_one
from synth import STYLES, make_plan_pdf, plans_from_expected, random_layout

from actionplan import convert
from actionplan.schemas.issues import STRUCTURAL

CASES = [(style, producer) for style in STYLES for producer in ("reportlab", "weasyprint")]


@pytest.mark.parametrize(("style", "producer"), CASES)
def test_each_table_style_round_trips_without_error_or_doubt(style, producer, tmp_path, synth_leads):
    k = CASES.index((style, producer))
    layout = random_layout(random.Random(k))
    # every case crosses the awkward habits: rows split inside cells, long multi-paragraph
    # cells, a header that is repeated or not, a blank first header, a second plan
    layout.update(rules=style, producer=producer, split_in_row=True, long_cells=k % 2 == 0,
                  repeat_header=k % 4 < 2, blank_first_header=k % 3 == 0, two_plans=k % 3 != 1)
    s = run_one(7000 + k, tmp_path, synth_leads, layout)
    assert s.error is None
    assert s.found == s.records and s.spurious == 0 and s.plans_ok, s.misses[:5]
    assert s.text_ok == s.text_total and s.other_ok == s.other_total, s.misses[:5]
    assert not s.structural


@pytest.mark.parametrize("style", ["shaded-grid", "horizontal", "banded", "box-vertical"])
def test_the_sample_typeset_in_other_table_styles_converts_the_same(style, expected, tmp_path):
    pdf = make_plan_pdf(tmp_path / f"{style}.pdf", plans_from_expected(expected), rules=style,
                        repeat_header=style != "banded", header_fill=style != "banded")
    result = convert(pdf, leads=SAMPLE_LEADS)
    s = score(expected["tables"], result.to_dict()["tables"])
    assert len(result.tables) == 2
    assert s.found == s.records and s.spurious == 0, s.misses[:5]
    assert s.rate("text") == 1.0, s.misses[:5]
    assert not {w.code for w in result.warnings} & STRUCTURAL


def test_a_header_merged_into_a_split_row_is_noticed_if_not_repaired(expected, tmp_path, monkeypatch):
    """The checks catch the failure the header repair prevents: with the repair switched
    off, the conversion is wrong and says so."""
    import actionplan.structure.plans as plans

    pdf = make_plan_pdf(tmp_path / "grid.pdf", plans_from_expected(expected), rules="shaded-grid")
    monkeypatch.setattr(plans, "repair_header", lambda table, *a, **k: table)
    result = convert(pdf, leads=SAMPLE_LEADS)
    s = score(expected["tables"], result.to_dict()["tables"])
    assert s.found < s.records or len(result.tables) != 2 or s.rate("text") < 1.0
    codes = {w.code for w in result.warnings}
    assert codes & STRUCTURAL, codes


def test_the_layout_benchmark_reports_per_style(tmp_path, capsys):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("layouts", Path(__file__).parent.parent / "benchmarks" / "layouts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    code = module.main(["--n", "2", "--seed", "9", "--jobs", "1", "--show", "0"])
    out = capsys.readouterr().out
    assert "silent" in out and "2 documents" in out
    (total,) = [line.split() for line in out.splitlines() if line.startswith("all ")]
    docs, records, silent = total[1], total[2], total[-1]
    assert int(docs) == 2 and float(records) > 0.9 and int(silent) == 0
    assert code == 0  # the benchmark exits 1 when any document is silently wrong


@pytest.mark.parametrize("style", ["none", "shaded-grid"])
def test_a_plan_whose_first_page_lost_its_header_to_a_row_kept_whole(style, tmp_path, synth_leads):
    """A browser that keeps rows whole pushes a tall first row to the next page without
    the header, leaving the title alone on the page before (WeasyPrint does)."""
    layout = random_layout(random.Random(500069))
    layout.update(producer="weasyprint", rules=style, split_in_row=False, long_cells=True, repeat_header=True,
                  two_plans=False, blank_first_header=False)
    s = run_one(500069, tmp_path, synth_leads, layout)
    assert not s.wrong, (s.error, s.structural, s.misses[:5])


def test_a_last_column_line_running_past_its_header_stays_in_the_table(tmp_path, synth_leads):
    """Text-only tables take their right edge from where lines start, not where the last
    header ends: a long last-column line at a page's foot was once left out silently."""
    layout = random_layout(random.Random(700062))
    s = run_one(700062, tmp_path, synth_leads, layout)
    assert not s.wrong, (s.error, s.structural, s.misses[:5])


@pytest.mark.parametrize("seed", [
    700040,  # rows taller than a page: the header comes pages after the plan's first rows,
             # and a second plan's title stands alone on the page before its headerless rows
    700059,  # banded, blank first header: the first page's "1." lies left of the next page's columns
    700079,  # box rules: a header over a split row's continuation, with only its bottom padding between
    800004,  # "Comple" / "te" in a narrow column, "Comple" / "ted" elsewhere: both rejoined
    800021,  # the header comes two pages after the plan's first row
    900078,  # a second plan's blank-headed first column, its other columns a few points over
    1000126,  # the header two pages on, "Ofsted" / "Para" / "No" wrapped over three lines, and a
              # body row of the first page reading like a header ("... governance quality", "evidence at")
    1000194,  # banded, the same wrapped header, two plans
    1100100,  # "Developme" / "nt" in a narrow lead column, "nt" once alone under a repeated header
    1200156,  # "develop" / "ment": a word broken after a head that is a word itself
    1200159,  # the same, with the area carried down over the rows that use "develop"
    1300173,  # a split row left only "12." at a page's foot, once taken for a running footer
    1500041,  # rows a page tall: items 1, 2, 3 open pages 1, 2, 3, counting with the pages
    1600018,  # full grid: a cell on a new page opens with "nt", the tail of "Developme"
    1800066,  # "Compl" / "ete" in two deadline cells, "Complete" whole nowhere
])
def test_rows_kept_whole_by_a_browser_come_back_whole(seed, tmp_path, synth_leads):
    s = run_one(seed, tmp_path, synth_leads)
    assert not s.wrong, (s.error, s.structural, s.misses[:5])



# A fixed slice of the sweep's council producers (a workbook printed by Calc, a document typed
# in Writer, a web page printed by Chromium): `benchmarks/layouts.py --producers
# calc,writer,chromium --seed 7 --n 12`. Tuning used seed 1; of this slice only 700007 was
# looked at (silent then: a heading naming two fields, a cell's last line alone on the next
# page). The reader is not yet right on all of them (the README has the figures); what it
# must never be is silently wrong: a wrong conversion is refused or carries a structural
# warning. The four it gets exactly right stay right.
COUNCIL_SLICE = [(700000 + k, ("calc", "writer", "chromium")[k % 3]) for k in range(12)]
COUNCIL_EXACT = {700004, 700007, 700009, 700011}


@pytest.mark.parametrize(("seed", "producer"), COUNCIL_SLICE)
def test_plans_councils_make_are_never_silently_wrong(seed, producer, tmp_path, synth_leads):
    import os

    from producers import producer as module
    from sweep import layout_for

    why = module(producer).available()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install the {producer} producer's program (.ci/run): {why}")
        pytest.skip(f"the {producer} producer needs its program: {why}")
    s = run_one(seed, tmp_path, synth_leads, layout_for(seed, producer))
    assert not s.silent, (s.layout, s.misses[:5])
    if seed in COUNCIL_EXACT:
        assert not s.wrong, s.misses[:5]


@pytest.mark.parametrize(("seed", "valign"), [(1, "bottom"), (9, "center"), (22, "top")])
def test_a_workbook_printed_with_print_titles_and_areas_merged_over_page_breaks_round_trips(
        seed, valign, tmp_path, synth_leads):
    """Calc prints the title and header again on every page, draws a merged area a page
    break cuts on both pages (clipped away on the second, behind the title and header),
    and sets the cells at their foot when asked: one plan, every area carried down, no row
    cut at its own number."""
    import os
    import random

    from producers import calc

    why = calc.available()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install LibreOffice Calc (.ci/run): {why}")
        pytest.skip(f"the Calc producer needs LibreOffice: {why}")
    layout = calc.random_layout(random.Random(seed))
    layout.update(rules="calc-grid", print_titles="title+header", area_mode="merge", merge_valign="top",
                  two_plans=None, key=None, headings="standard", notes_below=None, valign=valign)
    s = run_one(seed, tmp_path, synth_leads, layout, n=12)
    assert not s.wrong, (s.error, s.structural, s.misses[:5])


def _web_plan(seed: int, tmp_path, synth_leads):
    """A tuning seed's web page printed by Chromium, converted and scored (CI has Chromium)."""
    import os

    from producers import chromium
    from sweep import layout_for

    why = chromium.available()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have Chromium (.ci/run): {why}")
        pytest.skip(f"the chromium producer needs Chromium: {why}")
    return run_one(seed, tmp_path, synth_leads, layout_for(seed, "chromium"))


@pytest.mark.parametrize("seed", [
    11600092,  # rows kept whole, a page tall: each plan's header alone at a page's foot, the second under its title
    11700098,  # no repeated header; the first page's header over a section row only, the rows on the next page
    11500071,  # cards kept whole, an area's empty rest printed on blank pages between rows, the second
               # plan's title and header alone under the first's last row
])
def test_a_web_plans_header_alone_at_a_pages_foot_heads_the_rows_on_the_next(seed, tmp_path, synth_leads):
    """Chromium keeps tall rows whole and prints them where they fit, so a plan's header
    (and its title, or a section row) may stand alone at a page's foot. Both were tuning
    seeds refused whole ("a record has no item number") before."""
    s = _web_plan(seed, tmp_path, synth_leads)
    assert s.error is None and not s.wrong, (s.error, s.structural, s.misses[:5])
    # each plan under its own title (a header alone under a title is no sheet's print titles)
    assert s.plans_ok and all(s.titles), s.titles


def test_a_web_pages_rating_colour_under_its_header_does_not_end_the_header(tmp_path, synth_leads):
    """Colour-only ratings under an unfilled header: the first body row's rating cell, a
    fill whose top the rest of a cut row crosses, is no header card; its foot ended the
    header with a106978 and the rest of the row was read into it (tuning seed 11600083)."""
    s = _web_plan(11600083, tmp_path, synth_leads)
    assert s.error is None and not s.wrong, (s.error, s.structural, s.misses[:5])


def test_a_web_plans_repeated_header_over_the_rest_of_a_cut_row_keeps_the_plans_columns(tmp_path, synth_leads):
    """The plan's header repeated (a <thead>) over the rest of a row the page cut, one line
    under "Update on progress": read as that heading's wrapped line, the header was no
    longer the plan's, its columns came from the page's own gaps, and the rows of the page
    read as a plan of their own with a record without a number: the file was refused
    (tuning seed 11400035). Its records are all found now, once."""
    s = _web_plan(11400035, tmp_path, synth_leads)
    assert s.error is None and s.found == s.records and s.spurious == 0, (s.error, s.structural, s.misses[:5])


@pytest.mark.parametrize("seed", [11500005, 11700086])
def test_a_header_like_the_plans_opening_a_page_after_a_title_is_a_plan_of_its_own(seed, tmp_path, synth_leads):
    """A web page's second plan with the first's columns: its title ends one page, its header
    (word for word the first's) opens the next. Taken for the first plan's header repeated,
    its columns and rows went on the first plan's and it came out empty (tuning seed
    11500005, with bfa91ba); and a first header alone over a section row placed its columns
    by its centred headings, which a repeated header must not keep on a tie (11700086)."""
    s = _web_plan(seed, tmp_path, synth_leads)
    assert s.error is None and s.found == s.records and s.spurious == 0, (s.error, s.structural, s.misses[:5])
