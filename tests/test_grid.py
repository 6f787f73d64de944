"""Row evidence, one quirk at a time, on hand-built cells (structure/evidence.py, rows.py, headers.py)."""

from __future__ import annotations

import itertools

import pytest

from actionplan.extractors.layout import lines_text
from actionplan.extractors.model import Cell, RawTable, TextLine
from actionplan.schemas.layout import LayoutSettings
from actionplan.structure.evidence import cut_row, edge_cuts
from actionplan.structure.headers import Synonyms, header_cut, header_score, names_only, repeated_header_cuts
from actionplan.structure.rows import gap_cuts, item_cuts

S = LayoutSettings()
PITCH = 10.0
COLS = [(0, 40), (40, 200), (200, 320), (320, 400)]  # item, action, lead, by when


def line(text: str, col: int, top: float, right: float | None = None) -> TextLine:
    x0, x1 = COLS[col]
    return TextLine(text, (x0 + 3, top - 8, right or min(x1 - 3, x0 + 3 + 4.5 * len(text)), top), 8)


def row(*lines: TextLine, top: float = 800, bottom: float = 400) -> list[Cell]:
    cells = []
    for c, (x0, x1) in enumerate(COLS):
        held = tuple(ln for ln in lines if COLS[c][0] <= ln.bbox[0] < COLS[c][1])
        cells.append(Cell(lines_text(held), (x0, bottom, x1, top), None, held))
    return cells


def table(cells: list[Cell], fills=(), rules=()) -> RawTable:
    return RawTable(page=1, bbox=(0, 400, 400, 800), rows=[cells], flavor="stream", fills=tuple(fills),
                    rules=tuple(rules))


def texts(parts: list[list[Cell]]) -> list[list[str]]:
    return [[" ".join(c.text.split()) for c in part] for part in parts]


def test_cutting_a_row_keeps_every_line_once():
    r = row(line("1.", 0, 790), line("Review the", 1, 790), line("plan", 1, 780), line("2.", 0, 760),
            line("Audit", 1, 760), line("Head of LAC", 2, 760))
    parts = cut_row(r, [2])
    assert texts(parts) == [["1.", "Review the plan", "", ""], ["2.", "Audit", "Head of LAC", ""]]
    assert sorted(ln.text for p in parts for c in p for ln in c.lines) == sorted(ln.text for c in r for ln in c.lines)


def test_a_new_item_number_starts_a_row_but_a_number_at_the_rows_top_does_not():
    r = row(line("1.", 0, 790), line("Review", 1, 790), line("2.", 0, 770), line("Audit", 1, 770))
    assert item_cuts(r, 0, S) == {1}
    assert item_cuts(r, 0, S, below=775) == {1}
    assert item_cuts(r, 0, S, below=765) == set()


def test_a_fill_edge_or_a_rule_across_the_table_ends_a_row_unless_it_cuts_through_a_line():
    r = row(line("Review", 1, 790), line("plan", 1, 780), line("Audit", 1, 760))
    band = ((0, 766, 400, 800), (0.9, 0.9, 0.9))
    assert edge_cuts(r, table(r, fills=[band]), S) == {2}
    assert edge_cuts(r, table(r, rules=[767.0]), S, rules=True) == {2}
    assert edge_cuts(r, table(r, rules=[767.0]), S, rules=False) == set()
    narrow = ((320, 766, 400, 800), (1.0, 0.0, 0.0))  # a RAG cell is not a row edge
    assert edge_cuts(r, table(r, fills=[narrow]), S) == set()
    through = ((0, 785, 400, 800), (0.9, 0.9, 0.9))  # its edge runs through "plan"
    assert edge_cuts(r, table(r, fills=[through]), S) == set()


def test_a_band_a_spreadsheet_fills_cell_by_cell_short_of_a_merged_cell_ends_a_row():
    """Calc fills a band around a rating's own colour and short of the merged area cell on
    its left; the merged cell's centred text crosses the band's edge, which is not drawn
    there, so it does not hold the rows together."""
    r = row(line("Ensure the", 0, 772), line("Review", 1, 790), line("plan", 1, 780), line("Audit", 1, 760),
            line("Head", 2, 760))
    pieces = [((40, 766, 320, 800), (0.93, 0.95, 0.98)), ((320, 766, 340, 800), (1.0, 0.92, 0.61)),
              ((340, 766, 400, 800), (0.93, 0.95, 0.98))]
    assert edge_cuts(r, table(r, fills=pieces), S) == {3}
    # cards a web page sets apart are each a cell's, not a band
    cards = [((44 + 120 * k, 766, 156 + 120 * k, 800), (0.95, 0.95, 0.95)) for k in range(3)]
    assert edge_cuts(r, table(r, fills=cards), S) == set()


def test_a_band_a_spreadsheet_fills_either_side_of_a_merged_cell_ends_a_row():
    """Calc fills a band cell by cell and leaves out a merged cell that began in an unbanded
    row: the band runs on either side of it, neither side wide enough alone, while the
    merged cell's centred text crosses the edge (sweep seed 12000120: the edge was missed,
    a record took the row below's first lines, in silence). An edge is drawn only where
    the fills are; a gap no text crosses parts the band."""
    from actionplan.structure.evidence import fill_edges

    r = row(line("Review", 1, 790), line("plan", 1, 780), line("Ensure the", 2, 770), line("Audit", 1, 760),
            line("Head", 3, 760))
    light = (0.93, 0.95, 0.98)
    pieces = [((0, 730, 200, 766), light), ((320, 730, 400, 766), light)]  # the band short of the lead column
    t = table(r, fills=pieces)
    assert edge_cuts(r, t, S) == {3}
    assert [(round(x0), round(x1)) for y, x0, x1 in fill_edges(t, S) if y == 766] == [(0, 200), (320, 400)]
    # with nothing crossing the gap, the two pieces are two cells' fills, neither a band
    apart = row(line("Review", 1, 790), line("plan", 1, 780), line("Audit", 1, 760), line("Head", 3, 760))
    assert edge_cuts(apart, table(apart, fills=pieces), S) == set()


def test_a_merged_cell_painted_row_by_row_in_its_own_colour_goes_on_over_the_bands_edge():
    """Calc paints a merged cell's colour row by row: where the colour meets itself across a
    band's edge no edge shows, so the merged cell's text crossing there holds nothing
    together, and the column is the merged cell's on both sides."""
    from actionplan.structure.evidence import fill_edges

    r = row(line("Ensure the", 0, 772), line("Review", 1, 790), line("plan", 1, 780), line("Audit", 1, 760),
            line("Head", 2, 760))
    light, green = (0.93, 0.95, 0.98), (0.0, 0.69, 0.31)
    pieces = [((0, 766, 40, 800), light), ((40, 766, 340, 800), None), ((340, 766, 400, 800), green),
              ((0, 730, 400, 766), light)]  # the row below banded light across, the merged cell too
    pieces = [(b, c) for b, c in pieces if c is not None]
    t = table(r, fills=pieces)
    assert edge_cuts(r, t, S) == {3}
    at = [(round(x0), round(x1)) for y, x0, x1 in fill_edges(t, S) if y == 766]
    assert at == [(40, 400)]
    # a colour that changes across the edge is an edge there
    other = [((0, 766, 40, 800), (0.8, 0.8, 0.8)), *pieces[1:]]
    assert [(round(x0), round(x1)) for y, x0, x1 in fill_edges(table(r, fills=other), S) if y == 766] == [(0, 400)]


def test_a_descender_hanging_past_its_bands_edge_does_not_hold_the_rows_together():
    """A spreadsheet lets a cell's last line hang its descenders past the row's fill; a
    rule is a cell's border, which text does not cross."""
    r = row(line("Review", 1, 790), line("planning", 1, 772.5), line("Audit", 1, 755))
    band = ((0, 766, 400, 800), (0.9, 0.9, 0.9))  # "planning" reaches 764.5, its g below the edge
    assert edge_cuts(r, table(r, fills=[band]), S) == {2}
    assert edge_cuts(r, table(r, fills=[band]), LayoutSettings(fill_descent=0.0)) == set()  # the setting
    assert edge_cuts(r, table(r, rules=[766.0]), S, rules=True) == set()
    through = ((0, 769, 400, 800), (0.9, 0.9, 0.9))  # through the middle of its letters
    assert edge_cuts(r, table(r, fills=[through]), S) == set()


def test_a_number_set_at_the_foot_of_its_band_does_not_cut_its_rows_first_lines_off():
    """Bottom-aligned cells in banded rows: each band holds one number, at its foot; where
    the bands part every row, the lines above a number are its row's."""
    from actionplan.structure.rows import row_cuts

    r = row(line("Review the", 1, 790), line("plan", 1, 780), line("1.", 0, 770), line("now", 1, 770),
            line("Audit the", 1, 750), line("files", 1, 740), line("2.", 0, 730), line("soon", 1, 730))
    bands = [((0, 756, 400, 800), (0.93, 0.95, 0.98))]  # the first row's band; the second white
    assert row_cuts(r, table(r, fills=bands), 0, S, pitch=PITCH) == {3: "fill edge"}
    # a band holding two numbers parts groups, not rows: the numbers cut as ever
    group = [((0, 720, 400, 800), (0.93, 0.95, 0.98))]
    r2 = row(line("1.", 0, 790), line("Review", 1, 790), line("2.", 0, 770), line("Audit", 1, 770))
    assert row_cuts(r2, table(r2, fills=group), 0, S, pitch=PITCH) == {1: "item number"}


def test_above_the_pages_first_band_edge_a_number_beside_a_cell_starting_afresh_starts_a_row():
    """The rest of a row the page break cut sits above the first number on the page; a
    cell starting a new paragraph beside the number, after lines of its own, says so."""
    from actionplan.structure.rows import row_cuts

    r = row(line("the rest of the update", 1, 790), line("from the page before.", 1, 780),
            line("8.", 0, 760), line("Audit the files", 1, 760), line("Head", 2, 760),
            line("9.", 0, 730), line("Review", 1, 730))
    bands = [((0, 700, 400, 740), (0.93, 0.95, 0.98))]  # row 9's band
    assert row_cuts(r, table(r, fills=bands), 0, S, pitch=PITCH) == {2: "item number", 3: "fill edge"}


def test_a_rating_cells_fill_parts_middle_aligned_rows_where_their_numbers_do_not():
    """A browser centres each cell in its row: a number sits level with its row's middle,
    under the row's first lines. Under the rest of a row the page break cut, one number
    cannot say how the row is set; the rating cell's colour covers its row's height, so
    its top and foot are the rows' edges. (Without it, the one number's row is placed by how
    the cells beside it centre on it: "Audit the" / "cases and" / "report" centre on "1.2".)"""
    from actionplan.structure.rows import row_cuts

    r = row(line("the rest of the", 1, 795), line("update.", 1, 785), line("Audit the", 1, 765),
            line("cases and", 1, 755), line("1.2", 0, 755), line("PSW", 2, 755), line("report", 1, 745))
    ratings = [((320, 775, 400, 812), (0.83, 0.21, 0.11)), ((320, 735, 400, 775), (0.0, 0.44, 0.24))]
    centred = {2: "item number"}  # read from the number's alignment alone
    assert row_cuts(r, table(r), 0, S, pitch=PITCH) == centred
    assert row_cuts(r, table(r, fills=ratings), 0, S, pitch=PITCH) == {2: "cell fill"}
    # the rated row above alone: its foot still parts the rows
    assert row_cuts(r, table(r, fills=ratings[:1]), 0, S, pitch=PITCH) == {2: "cell fill"}
    # a coloured label inside the cell, or a fill shorter than a line, is no row's edge
    label = ((340, 770, 372, 782), (0.0, 0.44, 0.24))
    assert row_cuts(r, table(r, fills=[label]), 0, S, pitch=PITCH) == centred
    strip = ((320, 772, 400, 777), (0.0, 0.44, 0.24))
    assert row_cuts(r, table(r, fills=[strip]), 0, S, pitch=PITCH) == centred
    # a tab as wide as the column, close round its word, its foot between two lines of a
    # paragraph beside it at the paragraph's own pitch: that foot is no row's edge (its top,
    # in the rows' gap, is); a cell's colour there, holding no word so close, is
    tab = ((320, 756, 400, 770), (0.96, 0.47, 0.22))
    tabbed = row(*(ln for c in r for ln in c.lines), line("Amber", 3, 766.5))
    assert row_cuts(tabbed, table(tabbed, fills=[tab]), 0, S, pitch=PITCH) == {2: "cell fill"}
    assert row_cuts(r, table(r, fills=[tab]), 0, S, pitch=PITCH) == {2: "cell fill", 3: "cell fill"}


def test_cells_set_at_their_foot_are_cut_after_the_number_above_though_a_fill_parts_some_rows():
    """A spreadsheet sets cells at their foot: each number sits at its row's last line. A
    rating's fill parts two of the rows; between the others the numbers' alignment says
    where a row starts, and the first row's lines above its number stay its own."""
    from actionplan.structure.rows import row_cuts

    r = row(line("Review the", 1, 795), line("plan now", 1, 785), line("1.", 0, 785), line("Head", 2, 785),
            line("Audit the", 1, 765), line("files", 1, 755), line("2.", 0, 755), line("PSW", 2, 755),
            line("Report to", 1, 735), line("board", 1, 725), line("3.", 0, 725), line("DCS", 2, 725))
    rated = [((320, 774, 400, 800), (0.83, 0.21, 0.11))]  # row 1's rating, its foot above "Audit the"
    assert row_cuts(r, table(r), 0, S, pitch=PITCH) == {2: "item number", 4: "item number"}
    assert row_cuts(r, table(r, fills=rated), 0, S, pitch=PITCH) == {2: "cell fill", 4: "item number"}


def test_a_totals_row_under_the_last_record_with_nothing_between_is_a_row_of_its_own():
    """A spreadsheet's totals row ("Total | 7 actions | Red 2, ...") right under the last
    record, no fill or rule between: it starts a row (sweep seed 12000063: item "2.2Total",
    its text joined to the record)."""
    from actionplan.structure.rows import row_cuts

    r = row(line("2.2", 0, 795), line("Audit the", 1, 795), line("files", 1, 785), line("PSW", 2, 795),
            line("Total", 0, 765), line("7 actions", 1, 765), line("Red 2", 2, 765))
    assert row_cuts(r, table(r), 0, S, pitch=PITCH) == {2: "totals row"}
    # a word of the item's own, wrapped under its number, cuts nothing
    w = row(line("2.2", 0, 795), line("Audit the", 1, 795), line("files", 1, 785), line("Totally", 0, 785))
    assert row_cuts(w, table(w), 0, S, pitch=PITCH) == {}


def test_cells_centred_on_their_number_are_cut_whole_and_the_rows_rest_above_is_its_own():
    """A browser centres each cell on its row: a cell of two paragraphs is centred whole,
    not each paragraph on a number; the lines atop the page above the first centred row
    (the rest of a row the page broke) are not that row's."""
    from actionplan.structure.rows import row_cuts

    r = row(line("the rest of the", 1, 795), line("update.", 1, 785),
            line("Audit the files", 1, 765), line("for the board", 1, 755), line("this month.", 1, 745),
            line("1.1", 0, 735), line("PSW", 2, 735),
            line("March 2017: all", 1, 725), line("have been read", 1, 715), line("and agreed.", 1, 705),
            line("Report to", 1, 685), line("1.2", 0, 680), line("DCS", 2, 680), line("the board.", 1, 675))
    assert row_cuts(r, table(r), 0, S, pitch=PITCH) == {2: "item number", 9: "item number"}


def test_cells_starting_together_after_a_wide_gap_start_a_row():
    r = row(line("Review the", 1, 790), line("plan", 1, 780), line("Head", 2, 790),
            line("Audit", 1, 755), line("Director", 2, 755), line("it", 1, 745))
    assert gap_cuts(r, S, PITCH) == {2}


def test_a_paragraph_gap_in_one_cell_is_not_a_row_break():
    r = row(line("Review the", 1, 790), line("Head", 2, 790), line("plan", 1, 780),
            line("Second paragraph", 1, 755), line("goes on", 1, 745))
    assert gap_cuts(r, S, PITCH) == set()


def test_a_header_printed_above_a_split_rows_text_is_cut_where_it_ends():
    syn = Synonyms.load()
    r = row(line("No.", 0, 790), line("Action", 1, 790), line("Lead", 2, 790), line("By When", 3, 790),
            line("Officer", 2, 780),  # a wrapped header: "Lead Officer"
            line("carried on from the page before", 1, 764), line("2015", 3, 764))
    k = header_cut(r, lambda cells: header_score(cells, syn), S, PITCH)
    assert k == 2
    assert texts(cut_row(r, [k])) == [["No.", "Action", "Lead Officer", "By When"],
                                       ["", "carried on from the page before", "", "2015"]]


def test_a_clean_wrapped_header_is_not_cut():
    syn = Synonyms.load()
    r = row(line("No.", 0, 790), line("Action", 1, 790), line("Lead", 2, 790), line("By When", 3, 790),
            line("Officer", 2, 780))
    assert header_cut(r, lambda cells: header_score(cells, syn), S, PITCH) is None


def test_a_header_without_a_gap_below_is_cut_where_the_plans_header_ends():
    syn = Synonyms.load()
    r = row(line("No.", 0, 790), line("Action", 1, 790), line("Lead", 2, 790), line("By When", 3, 790),
            line("continued text", 1, 780), line("2015", 3, 780))
    score = lambda cells: header_score(cells, syn)  # noqa: E731
    assert header_cut(r, score, S, PITCH) is None  # no gap: could be a wrapped header
    assert header_cut(r, score, S, PITCH, known=["No.", "Action", "Lead", "By When"]) == 1


def test_a_header_repeated_inside_a_row_is_cut_out_on_both_sides():
    r = row(line("6.", 0, 790), line("Review", 1, 790), line("No.", 0, 770), line("Action", 1, 770),
            line("Lead", 2, 770), line("Officer", 2, 760), line("7.", 0, 745), line("Audit", 1, 745))
    header = [["No."], ["Action"], ["Lead", "Officer"], ["By When"]]
    assert repeated_header_cuts(r, header, S) == {1, 3}


def test_a_line_that_stops_short_of_the_column_edge_ends_with_a_space():
    lines = [line("consultation", 1, 790, right=150), line("children", 1, 780, right=100),
             line("Developme", 1, 770, right=150)]
    assert lines_text(lines, edge=150).split("\n") == ["consultation", "children ", "Developme"]


def test_a_narrow_piece_of_a_word_broken_where_its_next_letter_did_not_fit_ends_without_a_space():
    """A column three letters wide breaks "September" as "Sep" / "te" / "mb" / "er": "te"
    is narrow letters, and stops short of the edge by about one wide letter ("m"), the
    one that did not fit, not a word's end (seen in the sweep, seed 11100022)."""
    def piece(text: str, top: float, x1: float) -> TextLine:
        return TextLine(text, (43, top - 8, x1, top), 8)

    lines = [piece("Sep", 790, 58.0), piece("te", 780, 50.5), piece("mb", 770, 56.5), piece("er", 760, 51.0)]
    assert lines_text(lines, edge=58.0).split("\n")[:3] == ["Sep", "te", "mb"]


def test_layout_tolerances_are_settings_checked_before_any_file_is_read(tmp_path, capsys):
    import pytest

    from actionplan import ConfigError, Settings
    from actionplan.pipeline.cli import main

    assert Settings(layout={"gap_ratio": 1.5}).layout.gap_ratio == 1.5
    assert LayoutSettings.parse(["gap-ratio=1.4", "min_starts=3"]) == LayoutSettings(gap_ratio=1.4, min_starts=3)
    with pytest.raises(ConfigError, match="fill_span"):
        Settings(layout={"fill_span": 2})
    missing = tmp_path / "nowhere.pdf"  # never opened: the bad option is found first
    assert main(["convert", str(missing), "-o", str(tmp_path / "o"), "--layout", "gap_ratio=wide"]) == 2
    assert "gap_ratio needs a number" in capsys.readouterr().err


def test_a_header_of_whole_names_over_a_split_rows_narrow_gap_is_cut():
    """A row the page split has no top padding: the gap under the header is only a little
    wider than a line, but every cell above it is a whole header name."""
    syn = Synonyms.load()
    r = row(line("No.", 0, 790), line("Action", 1, 790), line("Lead", 2, 790), line("By When", 3, 790),
            line("carried on from the page before", 1, 778.5), line("and on", 1, 768.5))
    score = lambda cells: header_score(cells, syn)  # noqa: E731
    whole = lambda cells: names_only(cells, syn)  # noqa: E731
    assert header_cut(r, score, S, PITCH) is None  # the gap alone is no evidence
    assert header_cut(r, score, S, PITCH, names_only=whole) == 1


def test_a_wrapped_header_whose_first_line_is_a_name_is_not_cut_there():
    syn = Synonyms.load()
    # "Lead" / "Officer" in a header set larger than the body: past the body's pitch, but more header
    r = row(line("No.", 0, 790), line("Action", 1, 790), line("Lead", 2, 790), line("By When", 3, 790),
            line("Officer", 2, 778), line("carried on", 1, 764), line("and on", 1, 754))
    whole = lambda cells: names_only(cells, syn)  # noqa: E731
    assert header_cut(r, lambda cells: header_score(cells, syn), S, PITCH, names_only=whole) == 2


def test_a_page_takes_columns_from_a_later_header_only_if_its_text_fits_them():
    from actionplan.structure.columns import fits_grid
    from actionplan.structure.headers import Grid

    grid = Grid((40.0, 200.0, 320.0), 0.0, 400.0)
    body = [[line("3.", 0, 790), line("carried on", 1, 790), line("Head of", 2, 790), line("May 2015", 3, 790)],
            [line("and on", 1, 780), line("Service", 2, 780)]]
    letter = [[TextLine("Dear colleague, this plan sets out the actions we have agreed", (3, 782, 390, 790), 8)],
              [TextLine("with the inspectors and will be reviewed by the board.", (3, 772, 380, 780), 8)]]
    assert fits_grid(body, grid)
    assert not fits_grid(letter, grid)


def test_every_layout_tolerance_is_a_checked_setting():
    s = LayoutSettings.parse(["column_gap=0.8", "header_match=90", "furniture-share=0.5"])
    assert (s.column_gap, s.header_match, s.furniture_share) == (0.8, 90.0, 0.5)
    for bad in (["header_match=0"], ["furniture_share=2"], ["column_gap=-1"], ["nonsense=1"]):
        with pytest.raises(ValueError):
            LayoutSettings.parse(bad)


def test_every_layout_tolerance_is_in_the_readme_and_round_trips_through_parse():
    from dataclasses import fields

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Layout tolerances"):readme.index("## How it works")]
    for f in fields(LayoutSettings):
        assert f"| `{f.name}` | {f.default!r} |" in table, f.name
        assert LayoutSettings.parse([f"{f.name}={f.default!r}"]) == LayoutSettings(), f.name
        other = f.default + 1 if f.type == "int" else f.default * 0.9
        got = getattr(LayoutSettings.parse([f"{f.name.replace('_', '-')}={other!r}"]), f.name)
        assert got == other and type(got) is type(f.default), f.name
    listed = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}
    assert listed == {f.name for f in fields(LayoutSettings)}


def test_whole_number_tolerances_take_whole_numbers():
    with pytest.raises(ValueError, match="whole number"):
        LayoutSettings.parse(["header_scan_rows=2.5"])
    with pytest.raises(ValueError, match="whole number"):
        LayoutSettings(min_starts=2.5)
    with pytest.raises(ValueError):
        LayoutSettings(paper_white=1.5)  # a share
    with pytest.raises(ValueError):
        LayoutSettings(header_exact_match=0)  # a score


def test_the_layout_settings_reach_the_reader_the_structure_and_the_checks(monkeypatch):
    """From `convert` to the reader's shapes and furniture, the structure stage's rows, and
    the checks: each is handed the one LayoutSettings object the conversion was given."""
    from conftest import SAMPLE_LEADS, SAMPLE_PDF

    import actionplan.extractors.pdf as pdf
    import actionplan.structure.checks as checks
    import actionplan.structure.plans as plans
    from actionplan import Settings, convert

    handed: dict[str, set[int]] = {}

    def spy(module, name, settings_at):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            given = kwargs.get("settings", args[settings_at] if len(args) > settings_at else None)
            handed.setdefault(name, set()).add(id(given))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    spy(pdf, "fills_of", 1)
    spy(pdf, "find_furniture", 2)
    spy(plans, "split_body", 3)
    spy(checks, "check_plan", 3)
    layout = LayoutSettings(rule_min_length=10.5, header_max_words=13)  # changes nothing on the sample
    result = convert(SAMPLE_PDF, Settings(leads=SAMPLE_LEADS, layout=layout, workers=1))
    assert result.tables
    assert handed == {name: {id(layout)} for name in ("fills_of", "find_furniture", "split_body", "check_plan")}


def test_the_header_match_setting_decides_how_close_a_header_must_be():
    from actionplan.structure.headers import map_columns

    cells = ["No", "Actoins to be taken", "Lead officer", "Target dates"]
    assert "action" in map_columns(cells, Synonyms.load()).mapped
    assert "action" not in map_columns(cells, Synonyms.load(threshold=99)).mapped


def test_furniture_is_what_repeats_on_the_set_share_of_pages():
    from actionplan.extractors.furniture import find_furniture
    from actionplan.extractors.model import PageContent

    def page(n: int, head: bool) -> PageContent:
        lines = [TextLine("Body text of the plan", (40, 400, 300, 410), 9)]
        if head:
            lines.append(TextLine("Draft for the improvement board", (40, 810, 300, 820), 8))
        return PageContent(n, 595, 842, lines=lines)

    pages = [page(n, head=n <= 4) for n in range(1, 11)]
    assert "draftfortheimprovementboard" in {k.replace(" ", "") for k in find_furniture(pages, 0.3)}
    assert not {k for k in find_furniture(pages, 0.6) if "draft" in k.replace(" ", "")}


def test_a_headers_hash_is_not_struck_out_by_a_bare_number_read_as_a_page_number():
    """A key's "2024*" has the key of any bare number ("#", its mark dropped): taken for a
    page number, it struck out every "#" heading over an item column, so the header alone
    at a page's foot read other columns than its repeats and split the plan (sweep seed
    11500019: an empty first plan, the second without its first section's area)."""
    from actionplan.extractors.furniture import find_furniture, is_furniture
    from actionplan.extractors.model import PageContent

    def page(n: int) -> PageContent:
        lines = [TextLine("#", (40, 500, 46, 510), 9), TextLine("Action", (120, 500, 160, 510), 9),
                 TextLine(f"Page {n} of 4", (280, 20, 320, 28), 8)]
        if n == 4:
            lines.append(TextLine("2024*", (40, 300, 70, 310), 9))
        return PageContent(n, 595, 842, lines=lines)

    keys = find_furniture([page(n) for n in range(1, 5)])
    assert not is_furniture(TextLine("#", (40, 500, 46, 510), 9), keys)
    assert is_furniture(TextLine("Page 3 of 4", (280, 20, 320, 28), 8), keys)


def test_a_two_page_plans_running_head_and_footer_are_its_outermost_rows_on_both_pages():
    """Two pages are too few to trust repetition in the margins (the header repeats), but a
    protective marking over the table and "Action plan" beside the page number, the same on
    both pages, are furniture (seen in the sweep: "OFFICIAL" became a section, its area)."""
    from actionplan.extractors.furniture import find_furniture, furniture_key
    from actionplan.extractors.model import PageContent

    def page(n: int) -> PageContent:
        header = [TextLine(t, (x, 760, x + 60, 770), 9) for t, x in (("No.", 40), ("Action", 120), ("Lead", 300),
                                                                        ("Progress", 400))]
        return PageContent(n, 595, 842, lines=[
            TextLine("OFFICIAL", (280, 810, 320, 820), 8), *header,
            TextLine(f"Audit the files {n}", (120, 700, 260, 710), 9),
            TextLine("Action plan", (40, 20, 90, 28), 8), TextLine(f"Page {n} of 2", (280, 20, 320, 28), 8)])

    keys = find_furniture([page(1), page(2)])
    assert {"official", "action plan", furniture_key("Page 1 of 2")} <= keys
    assert not {furniture_key(t) for t in ("No.", "Action", "Lead", "Progress")} & keys  # the header repeats
    # a single page has no running head to tell
    assert "official" not in find_furniture([page(1)])


def test_an_item_number_cut_off_at_a_pages_foot_is_not_page_furniture():
    """A browser splitting a row can leave only its "12." at a page's foot; two such pages
    put "#." at the same height, which once struck the item out as a running footer."""
    from actionplan.extractors.furniture import find_furniture, is_furniture
    from actionplan.extractors.model import PageContent

    def page(n: int, item: str | None) -> PageContent:
        lines = [TextLine(str(n + 2), (290, 20, 300, 28), 8)]  # the page number, counting with the pages
        if item:
            lines.append(TextLine(item, (44, 60, 56, 68), 9))
        return PageContent(n, 595, 842, lines=lines)

    pages = [page(1, None), page(2, "9."), page(3, None), page(4, "12."), page(5, "13")]
    furniture = find_furniture(pages)
    assert all(is_furniture(p.lines[0], furniture) for p in pages)
    assert not [ln.text for p in pages for ln in p.lines[1:] if is_furniture(ln, furniture)]


def test_item_numbers_that_count_with_the_pages_are_still_not_page_numbers():
    """Rows taller than a page put item 1 on page 1, item 2 on page 2...: numbers that
    count with the pages, but dotted, or level with the table's rows they number."""
    from actionplan.extractors.furniture import find_furniture, is_furniture
    from actionplan.extractors.model import Cell, PageContent, RawTable

    def page(n: int, item: str) -> PageContent:
        table = RawTable(n, (60, 40, 560, 800), [[Cell("", (60, 40, 560, 800))]], "lattice")
        return PageContent(n, 595, 842, tables=[table], lines=[TextLine(item, (44, 790, 56, 798), 9)])

    for items in (["1.", "2.", "3.", "4."], ["1", "2", "3", "4"]):
        pages = [page(n, item) for n, item in enumerate(items, 1)]
        furniture = find_furniture(pages)
        assert not [p.lines[0].text for p in pages if is_furniture(p.lines[0], furniture)]


def test_bare_numbers_that_do_not_count_with_the_pages_are_not_page_numbers():
    from actionplan.extractors.furniture import find_furniture
    from actionplan.extractors.model import PageContent

    pages = [PageContent(n, 595, 842, lines=[TextLine(v, (290, 20, 300, 28), 8)])
             for n, v in ((1, "4"), (2, "17"), (3, "5"), (4, "30"))]
    assert not find_furniture(pages)


def _text_header(syn: Synonyms):
    from actionplan.structure.headers import looks_like_header

    return lambda cells: looks_like_header(cells, syn) is not None


def test_a_header_wrapped_over_three_lines_is_one_header_and_the_body_starts_below_it():
    from actionplan.structure.headers import find_text_header as find_header

    is_header = _text_header(Synonyms.load())
    # WeasyPrint sets a narrow "Ofsted Para No" one word a line; the body starts after the cell padding
    rows = [[line("Ofsted", 0, 790), line("Area for", 1, 790), line("Lead", 2, 790), line("By When", 3, 790)],
            [line("Para", 0, 778), line("Improvement", 1, 778)],
            [line("No", 0, 766)],
            [line("12.", 0, 748), line("Ensure that", 1, 748), line("Head of", 2, 748), line("May 2015", 3, 748)]]
    start, used, grid = find_header(rows, is_header)
    assert (start, used) == (0, 3)
    assert len(grid.separators) == 3 and grid.left < COLS[0][0] + 4


def test_a_body_row_under_a_full_row_of_its_table_is_not_taken_for_a_header():
    from actionplan.structure.headers import find_text_header as find_header

    is_header = _text_header(Synonyms.load())
    rows = [[line("1.", 0, 790), line("Ensure that", 1, 790), line("AD", 2, 790), line("Completed", 3, 790)],
            [line("Lead", 0, 780), line("Action", 1, 780), line("Progress", 2, 780), line("By When", 3, 780)]]
    assert find_header(rows, is_header) is None
    # the same words under a title, with space between, are the header
    rows[0] = [TextLine("Improvement Plan 2015", (3, 792, 200, 806), 14)]
    assert find_header(rows, is_header) is not None


class _Shape:
    def __init__(self, x0, y0, x1, y1):
        self.bbox = (x0, y0, x1, y1)


def test_a_row_line_drawn_as_each_cells_border_is_one_rule():
    from actionplan.extractors.shapes import hrules_of

    # a browser's border-collapse table: each cell's bottom border, end to end at one height
    shapes = [_Shape(10, 99.8, 60, 100.2), _Shape(60, 99.8, 140, 100.2), _Shape(140.5, 99.9, 300, 100.1),
              _Shape(10, 49.8, 60, 50.2)]
    assert sorted(hrules_of(shapes)) == [(50.0, 10, 60), (100.0, 10, 300)]


def test_a_column_the_rule_between_two_rows_stops_short_of_is_merged_over_both():
    from actionplan.extractors.model import Cell, RawTable, TextLine
    from actionplan.structure.plans import merged_columns

    def cell(x0, x1, top, text):
        return Cell(text, (x0, top - 20, x1, top), lines=(TextLine(text, (x0 + 1, top - 10, x1 - 5, top - 2), 8),))

    rows = [[cell(0, 50, 100, "1"), cell(50, 200, 100, "Area"), cell(200, 300, 100, "Do this")],
            [cell(0, 50, 78, "2"), cell(50, 200, 78, ""), cell(200, 300, 78, "Do that")]]
    # the rule at y=79 runs under the number and the action, not under the area
    table = RawTable(1, (0, 50, 300, 100), rows, "stream", rule_pieces=((79.0, 0, 50), (79.0, 200, 300)))
    assert merged_columns(rows, table) == [set(), {1}]
    whole = RawTable(1, (0, 50, 300, 100), rows, "stream", rule_pieces=((79.0, 0, 300),))
    assert merged_columns(rows, whole) == [set(), set()]


def test_a_text_table_ends_at_a_note_under_it():
    from actionplan.structure.columns import table_end
    from actionplan.structure.headers import Grid

    grid = Grid((50.0, 200.0), 0.0, 400.0)
    rows = [[TextLine("1.", (5, 290, 15, 300), 8), TextLine("Audit the files", (60, 290, 150, 300), 8)],
            [TextLine("2.", (5, 270, 15, 280), 8), TextLine("Train staff", (60, 270, 120, 280), 8)],
            [TextLine("* Dates marked were agreed by the board in May", (5, 250, 330, 260), 8)],
            [TextLine("Signed", (5, 230, 40, 240), 8)]]
    end, why = table_end(rows, 0, grid, lambda cells: False)
    assert (end, why) == (2, "a note below it")


def test_a_numbered_text_table_ends_at_a_line_across_it_with_no_numbered_row_under_it():
    """A web page's "Was this page helpful?" under the plan, then its footer links, each
    link in a column of its own: no section row (no numbered row follows it), not the plan's."""
    from actionplan.structure.columns import table_end
    from actionplan.structure.headers import Grid

    grid = Grid((50.0, 200.0, 300.0), 0.0, 400.0)
    rows = [[TextLine("1.", (5, 290, 15, 300), 8), TextLine("Audit the files", (60, 290, 150, 300), 8)],
            [TextLine("2.", (5, 270, 15, 280), 8), TextLine("Train staff", (60, 270, 120, 280), 8)],
            [TextLine("Was this page helpful? Yes / No", (5, 250, 240, 260), 8)],
            [TextLine("Accessibility", (5, 230, 45, 240), 8), TextLine("Cookies", (60, 230, 90, 240), 8),
             TextLine("Contact us", (210, 230, 250, 240), 8)]]
    assert table_end(rows, 0, grid, lambda cells: False) == (2, "a line across it, no numbered row under it")
    # a section row with its numbered rows under it is the table's
    section = [*rows[:3], [TextLine("3.", (5, 230, 15, 240), 8), TextLine("Report", (60, 230, 100, 240), 8)]]
    assert table_end(section, 0, grid, lambda cells: False)[0] == 4
    # a plan without numbers: its section rows head rows without numbers
    bare = [[ln for ln in r if ln.text not in ("1.", "2.")] for r in rows]
    assert table_end(bare, 0, grid, lambda cells: False)[0] == 4
    # the plan's rows numbered on the pages before, this page its last row's rest: the same
    rest = [[TextLine("the rest of it.", (60, 290, 150, 300), 8)], *rows[2:]]
    assert table_end(rest, 0, grid, lambda cells: False)[0] == 3
    assert table_end(rest, 0, grid, lambda cells: False, numbered_before=True)[0] == 1
    # the last row's own lines: its number run on into the next cell ("3 28."), then a line
    # of its cells with one running over a column's edge; both the table's
    last = [*rows[:2], [TextLine("3 28.", (5, 250, 60, 260), 8), TextLine("Report", (210, 250, 240, 260), 8)],
            [TextLine("to the board", (60, 230, 150, 240), 8), TextLine("quarterly and monthly", (160, 230, 260, 240), 8),
             TextLine("Head", (310, 230, 330, 240), 8), TextLine("May", (340, 230, 360, 240), 8)]]
    assert table_end(last, 0, grid, lambda cells: False)[0] == 4


def test_a_text_tables_box_stops_at_a_ruled_key_below_it():
    from actionplan.extractors.model import PageContent
    from actionplan.structure.columns import _above_ruled

    key = RawTable(1, (30, 380, 190, 440), [], "lattice")
    page = PageContent(1, 600, 800, tables=[key])
    box = _above_ruled((30, 760, 570, 340), page)  # (x1, top, x2, bottom): text above the key and under it
    assert box is not None and box[3] >= 440 and box[1] == 760
    beside = PageContent(1, 600, 800, tables=[RawTable(1, (580, 380, 600, 440), [], "lattice")])
    assert _above_ruled((30, 760, 570, 340), beside) == (30, 760, 570, 340)


def test_a_text_header_set_as_close_over_the_body_as_its_lines_ends_where_the_columns_stage_found_it():
    from dataclasses import replace

    from actionplan.structure.headers import repair_header

    syn = Synonyms.load()
    # a word processor's header row: no rule, no shading, no gap, no item numbers under it
    r = row(line("Area", 0, 790), line("Planned", 1, 790), line("Accounta", 2, 790), line("Time", 3, 790),
            line("activity", 1, 780), line("ble", 2, 780), line("frame", 3, 780),
            line("officer", 2, 770),
            line("Ens", 0, 760), line("Audit the", 1, 760), line("Head of LAC", 2, 760), line("May 2020", 3, 760),
            line("ure", 0, 750), line("cases", 1, 750))
    stacked = table(r)
    assert texts(repair_header(stacked, syn, None, S).rows) == texts([r])  # no evidence where it ends
    told = repair_header(replace(stacked, header_end=762.0), syn, None, S)  # its last line's foot
    assert texts(told.rows) == [["Area", "Planned activity", "Accounta ble officer", "Time frame"],
                                ["Ens ure", "Audit the cases", "Head of LAC", "May 2020"]]
    # the body's first line set tight under the header, its top touching the header's foot
    # (the rest of a merged cell at a page's top): the body's, not the header's
    tight = row(line("Area", 0, 790), line("Planned", 1, 790), line("Accounta", 2, 790), line("Time", 3, 790),
                line("activity", 1, 780), line("ble", 2, 780), line("frame", 3, 780), line("officer", 2, 770),
                line("Ens", 0, 762.5), line("Audit the", 1, 762.5), line("Head of LAC", 2, 762.5),
                line("May 2020", 3, 762.5), line("ure", 0, 752.5), line("cases", 1, 752.5))
    told = repair_header(replace(table(tight), header_end=762.0), syn, None, S)
    assert texts(told.rows)[0] == ["Area", "Planned activity", "Accounta ble officer", "Time frame"]


def test_a_title_merged_across_a_sheet_does_not_set_where_a_column_wraps():
    """A spreadsheet's title cell runs over the columns from the first; its line, past its
    cell's edge, is no line of the column, so a lead broken mid-word at the column's edge
    ("Developmen" / "t") still reads as one word there."""
    from actionplan.extractors.pdf import _mark_short_lines

    def cell(*lines: tuple[str, float, float], right: float = 427.6) -> Cell:
        held = tuple(TextLine(t, (381.0, top - 7, x1, top), 7) for t, x1, top in lines)
        return Cell("\n".join(t for t, _, _ in lines), (380.0, lines[-1][2] - 9, right, lines[0][2] + 2), None, held)

    title = cell(("Improvement Action Plan", 489.8, 560))
    lead = cell(("and Practice", 424.6, 500), ("Developmen", 425.6, 491), ("t", 383.8, 482))
    rows = _mark_short_lines([[title], [lead]])
    assert rows[1][0].text.split("\n") == ["and Practice", "Developmen", "t "]


def test_a_text_tables_box_takes_the_first_columns_lines_set_left_of_its_centred_heading():
    """A browser centres a heading over its column and sets the cells' text flush left,
    further left than the heading starts: the box reaches out to those lines, short last
    lines ("resources.") wholly left of the heading included, so none is left out."""
    from actionplan.structure.columns import table_area
    from actionplan.structure.headers import Grid

    def at(text: str, x0: float, x1: float, top: float) -> TextLine:
        return TextLine(text, (x0, top - 5, x1, top), 5)

    grid = Grid((186.0, 370.0), 68.0, 630.0, 170.0)
    rows = [[at("embed this engagement attainment", 32.7, 179.4, 382.8), at("quality framework", 194.6, 366.3, 382.8)],
            [at("resources.", 32.7, 56.9, 375.5), at("are.", 194.6, 203.5, 375.5)]]
    box = table_area(rows, grid, 390.0)
    assert box is not None and box[0] < 32.7
    # without a line reaching into the grid from there, the box keeps to the grid
    alone = table_area([rows[1]], grid, 390.0)
    assert alone is not None and alone[0] > 56.9


def test_columns_under_a_header_alone_on_the_page_before_move_to_where_the_text_starts():
    """A browser centres each heading over its column; with the header alone at a page's
    foot, the gaps between headings are the only edges, right of where the cells' flush-left
    text starts: on the next page they move to that start, where no line crosses."""
    from actionplan.structure.columns import _snap_to_starts
    from actionplan.structure.headers import Grid

    def at(text: str, x0: float, x1: float, top: float) -> TextLine:
        return TextLine(text, (x0, top - 8, x1, top), 8)

    grid = Grid((138.0, 215.0), 74.0, 300.0, 100.0)
    rows = [[at("33.", 75, 84, 500 - 10 * k), at("Ensure that the", 115, 175, 500 - 10 * k),
             at("Head of", 203, 240, 500 - 10 * k)] for k in range(4)]
    moved = _snap_to_starts(grid, rows, LayoutSettings())
    assert moved is not None and [round(s) for s in moved.separators] == [113, 201]
    # text that keeps to the edges moves nothing
    assert _snap_to_starts(Grid((110.0, 200.0), 74.0, 300.0), rows, LayoutSettings()) is None
    # a page holding one row kept whole: two flush lines of one cell are enough (sweep seed
    # 12000113: "Chai" / "r of the QA" on every page after the header's)
    one = [[at("Teams resources", 115, 180, 500), at("Chair of the QA", 203, 250, 500)],
           [at("commissioning", 115, 170, 490), at("Sub Group", 203, 240, 490)]]
    moved = _snap_to_starts(Grid((110.0, 215.0), 74.0, 300.0), one, LayoutSettings())
    assert moved is not None and [round(s) for s in moved.separators] == [110, 201]
    ragged = [[at("Teams resources", 115, 180, 500), at("Chair of the QA", 203, 250, 500)],
              [at("commissioning", 115, 170, 490), at("Sub Group", 206, 240, 490)]]
    assert _snap_to_starts(Grid((110.0, 215.0), 74.0, 300.0), ragged, LayoutSettings()) is None


def test_a_plans_header_alone_at_a_pages_foot_takes_the_next_pages_rows_and_their_columns():
    from actionplan.extractors.model import PageContent
    from actionplan.normalisers.text import Vocabulary
    from actionplan.structure.headers import Synonyms
    from actionplan.structure.plans import build_plans

    def cells(texts: list[str], edges: list[float], top: float) -> list[Cell]:
        out = []
        for text, (a, b) in zip(texts, itertools.pairwise(edges)):
            out.append(Cell(text, (a, top - 20, b, top), None, (TextLine(text, (a + 2, top - 10, b - 2, top), 9),)))
        return out

    header = cells(["No.", "Action", "Lead", "By when"], [60, 140, 330, 430, 520], 120)
    body = [cells([f"{k}.", f"Audit the files {k}", "Head of LAC", "May 2025"], [60, 100, 310, 420, 520], 760 - 40 * k)
            for k in (1, 2)]
    pages = [PageContent(1, 600, 800, tables=[RawTable(1, (60, 100, 520, 120), [header], "stream")]),
             PageContent(2, 600, 800, tables=[RawTable(2, (60, 680, 520, 760), body, "stream")])]
    plans, leftovers, _ = build_plans(pages, Synonyms.load(), Vocabulary(), furniture=set())
    assert len(plans) == 1 and not leftovers
    assert [r.get("item") for r in plans[0].rows] == ["1.", "2."]
    assert plans[0].separators == [100, 310, 420]


def _merged_run(texts_at: list[tuple[float, int]], edges: list[float]) -> list[list[Cell]]:
    """Rows between `edges` (tops, then the last foot), a number and an action in each, and
    in the merged column (1) texts of n lines whose first line's top is given."""
    rows = []
    for k, (top, foot) in enumerate(itertools.pairwise(edges)):
        lines = [TextLine(f"do {k}", (203, top - 10, 260, top - 2), 8)]
        for first, n in texts_at:
            lines += [TextLine(f"area{first:.0f} line{i}", (43, first - PITCH * i - 8, 150, first - PITCH * i), 8)
                      for i in range(n) if foot < first - PITCH * i - 4 <= top]
        rows.append([Cell(lines_text(tuple(ln for ln in lines if x0 <= ln.bbox[0] < x1)), (x0, foot, x1, top), None,
                          tuple(ln for ln in lines if x0 <= ln.bbox[0] < x1)) for x0, x1 in COLS])
    return rows


@pytest.mark.parametrize(("texts_at", "starts", "how"), [
    # cells over rows 800-760-720 and 720-690-650-610-570: a two-line text in each one's
    # middle, the first across a row edge
    ([(769, 2), (654, 2)], [2], "middle"),
    # the same cells, each text set at its top
    ([(798, 2), (718, 2)], [2], "top"),
    # set at the foot: the first cell's text in its last row, the second's far down
    ([(740, 2), (590, 2)], [2], "foot"),
])
def test_several_merged_cells_in_a_column_no_rule_parts_are_told_apart_by_where_their_text_sits(texts_at, starts,
                                                                                                   how):
    from actionplan.structure.plans import part_merged_cells

    edges = [800, 760, 720, 690, 650, 610, 570]
    rows = _merged_run(texts_at, edges)
    open_above = [set()] + [{1} for _ in rows[1:]]
    trace: list = []
    out = part_merged_cells(rows, open_above, True, S, trace, 1)
    assert [k for k in range(1, len(rows)) if 1 not in out[k]] == starts
    assert how in trace[0].reason


def test_merged_texts_no_alignment_fits_leave_the_run_as_read():
    from actionplan.structure.plans import part_merged_cells

    # one text at the top of its rows, the next in the middle of its: no one alignment
    edges = [800, 760, 720, 690, 650, 610, 570]
    rows = _merged_run([(798, 2), (640, 2)], edges)
    open_above = [set()] + [{1} for _ in rows[1:]]
    assert part_merged_cells(rows, open_above, True, S) == open_above


def test_camelots_duplicate_line_pass_gives_the_same_lines_when_it_looks_near_each_line_only():
    """The grid-indexed pass that replaces Camelot's all-pairs loop (a 300 x 300 table of
    numbers took minutes) drops exactly the lines Camelot's own loop drops."""
    import random
    from types import SimpleNamespace

    from actionplan.extractors.camelot_adapter import _text_in_bbox_grid, camelots_loop

    _text_in_bbox_loop = camelots_loop()
    assert _text_in_bbox_loop is not _text_in_bbox_grid

    rng = random.Random(11)
    for _ in range(30):
        lines = []
        for _ in range(rng.randrange(2, 400)):
            x0, y0 = rng.uniform(0, 500), rng.uniform(0, 700)
            w, h = rng.choice([rng.uniform(0, 3), rng.uniform(5, 80)]), rng.uniform(0, 9)
            text = rng.choice(["1", "2", "ab", "Action", ""])
            lines.append(SimpleNamespace(x0=x0, y0=y0, x1=x0 + w, y1=y0 + h, get_text=lambda t=text: t))
            if rng.random() < 0.3:  # a duplicate drawn over it, a little longer or inside it
                dx = rng.uniform(-1, 1)
                lines.append(SimpleNamespace(x0=x0 + dx, y0=y0, x1=x0 + w + rng.uniform(-1, 2), y1=y0 + h,
                                             get_text=lambda t=text: t))
        assert [id(t) for t in _text_in_bbox_grid(lines)] == [id(t) for t in _text_in_bbox_loop(lines)]


def _grid_rows(rows: list[list[str]], edges: list[float], top: float, pitch: float = 30) -> list[list[Cell]]:
    """A ruled table's rows, one `pitch` tall each, a row of one text a cell merged across."""
    out = []
    for r, texts in enumerate(rows):
        t = top - pitch * r
        if len(texts) == 1:
            text = texts[0]
            cells = [Cell(text, (edges[0], t - pitch, edges[-1], t), None,
                          (TextLine(text, (edges[0] + 2, t - 12, edges[0] + 6 * len(text), t - 2), 9),) if text else (),
                          len(edges) - 1)] + [Cell("", (a, t - pitch, b, t)) for a, b in itertools.pairwise(edges[1:])]
        else:
            cells = [Cell(text, (a, t - pitch, b, t), None, (TextLine(text, (a + 2, t - 12, b - 2, t - 2), 9),)
                          if text else ()) for text, (a, b) in zip(texts, itertools.pairwise(edges))]
        out.append(cells)
    return out


def test_a_second_plans_header_inside_a_ruled_table_parts_it_and_its_title_row_starts_the_plan():
    """A sheet holding two plans one below the other prints them in one grid: the second
    plan's title is a cell merged across it, its header a row of the same grid."""
    from actionplan.extractors.model import PageContent
    from actionplan.normalisers.text import Vocabulary
    from actionplan.structure.plans import build_plans, part_at_inner_headers

    edges = [60, 100, 310, 420, 520]
    texts = [["No.", "Action", "Lead", "By when"],
             ["1.", "Audit the files", "Head of LAC", "May 2025"],
             ["2.", "Train the staff", "Head of LAC", "June 2025"],
             [""],
             ["Care Leavers Plan"],
             ["Ref", "Steps we will take", "Owner", "Deadline"],
             ["1.", "Open a hub", "Head of Care", "July 2025"]]
    rows = _grid_rows(texts, edges, 760)
    table = RawTable(1, (60, 760 - 30 * len(rows), 520, 760), rows, "lattice")
    words = [w for r in texts for t in r for w in t.split()]
    page = PageContent(1, 600, 800, tables=[table], table_words=[words])
    synonyms, vocab, trace = Synonyms.load(), Vocabulary(), []

    parted = part_at_inner_headers([page], synonyms, vocab, S, trace)
    assert [len(t.rows) for t in parted[0].tables] == [3, 4]  # the blank row and the title go below
    assert parted[0].tables[1].parted and [t.index for t in parted[0].tables] == [0, 1]
    assert sorted(w for ws in parted[0].table_words for w in ws) == sorted(words)
    assert "Care" in parted[0].table_words[1] and "Audit" in parted[0].table_words[0]
    assert any(d.label == "a header inside the table" for d in trace)

    plans, _, _ = build_plans(parted, synonyms, vocab, S, furniture=set())
    assert [p.title for p in plans] == [None, "Care Leavers Plan"]
    assert [[r.get("item") for r in p.rows] for p in plans] == [["1.", "2."], ["1."]]


def test_section_rows_ending_a_plan_over_a_new_header_on_the_next_page_are_the_next_plans_title():
    from actionplan.extractors.model import PageContent
    from actionplan.normalisers.text import Vocabulary
    from actionplan.structure.plans import build_plans

    edges = [60, 100, 310, 420, 520]
    first = _grid_rows([["No.", "Action", "Lead", "By when"], ["1.", "Audit the files", "Head of LAC", "May 2025"],
                        ["Care Leavers Plan"], ["Key: R = off track"]], edges, 760)
    second = _grid_rows([["Ref", "Steps we will take", "Owner", "Deadline"],
                         ["1.", "Open a hub", "Head of Care", "July 2025"]], edges, 760)
    pages = [PageContent(n, 600, 800, tables=[RawTable(n, (60, 760 - 30 * len(r), 520, 760), r, "lattice")])
             for n, r in ((1, first), (2, second))]
    plans, _, _ = build_plans(pages, Synonyms.load(), Vocabulary(), S, furniture=set())
    assert [p.title for p in plans] == [None, "Care Leavers Plan"]
    assert [[r.get("item") for r in p.rows] for p in plans] == [["1."], ["1."]]
    assert not any(r.section for r in plans[0].rows)


def test_a_section_row_at_a_pages_foot_under_the_plans_header_printed_again_stays_the_plans():
    from actionplan.extractors.model import PageContent
    from actionplan.normalisers.text import Vocabulary
    from actionplan.structure.plans import build_plans

    edges = [60, 100, 310, 420, 520]
    header = ["No.", "Action", "Lead", "By when"]
    first = _grid_rows([header, ["1.", "Audit the files", "Head of LAC", "May 2025"], ["Priority 2: Care leavers"]],
                       edges, 760)
    second = _grid_rows([header, ["2.", "Open a hub", "Head of Care", "July 2025"]], edges, 760)
    pages = [PageContent(n, 600, 800, tables=[RawTable(n, (60, 760 - 30 * len(r), 520, 760), r, "lattice")])
             for n, r in ((1, first), (2, second))]
    plans, _, _ = build_plans(pages, Synonyms.load(), Vocabulary(), S, furniture=set())
    assert len(plans) == 1
    assert [r.section or r.get("item") for r in plans[0].rows] == ["1.", "Priority 2: Care leavers", "2."]


def test_a_title_under_a_pages_last_table_starts_a_plan_with_the_next_pages_header():
    """A browser prints the second plan's title under the first plan's last rows and its
    header, the same headings, at the next page's top: the title (set larger than the
    table's text) starts the plan there; a note under the table, set as the body, does not."""
    from actionplan.extractors.model import PageContent
    from actionplan.normalisers.text import Vocabulary
    from actionplan.structure.plans import build_plans

    edges = [60, 100, 310, 420, 520]
    header = ["No.", "Action", "Lead", "By when"]

    def pages(foot: TextLine) -> list[PageContent]:
        first = _grid_rows([header, ["1.", "Audit the files", "Head of LAC", "May 2025"]], edges, 760)
        second = _grid_rows([header, ["1.", "Open a hub", "Head of Care", "July 2025"]], edges, 760)
        return [PageContent(1, 600, 800, tables=[RawTable(1, (60, 700, 520, 760), first, "lattice")], lines=[foot]),
                PageContent(2, 600, 800, tables=[RawTable(2, (60, 700, 520, 760), second, "lattice")])]

    title = TextLine("Care Leavers Plan", (60, 100, 200, 114), 14)
    plans, _, _ = build_plans(pages(title), Synonyms.load(), Vocabulary(), S, furniture=set())
    assert [p.title for p in plans] == [None, "Care Leavers Plan"]
    note = TextLine("Note: updated monthly", (60, 100, 200, 109), 9)
    plans, _, _ = build_plans(pages(note), Synonyms.load(), Vocabulary(), S, furniture=set())
    assert len(plans) == 1


def test_a_text_header_alone_at_a_pages_foot_is_kept_whole_to_its_wrapped_headings_last_line():
    """A browser keeps rows whole: a plan's header may stand alone at a page's foot, its
    rows on the next page. Its narrow heading wrapped over four lines ("When" / "will it" /
    "be" / "done?") read better cut after "be" (a synonym's opening), and "done?" became a
    record with no item number: the file was refused (tuning seed 11600092)."""
    from dataclasses import replace

    from actionplan.structure.headers import repair_header

    syn = Synonyms.load()
    alone = row(line("When", 3, 790), line("ID", 0, 775), line("What will we do?", 1, 775), line("Senior", 2, 782),
                line("will it", 3, 780), line("lead", 2, 772), line("be", 3, 770), line("done?", 3, 760))
    told = repair_header(replace(table(alone), header_end=751.0), syn, None, S)  # the header's foot: its last line's
    assert texts(told.rows) == [["ID", "What will we do?", "Senior lead", "When will it be done?"]]


def test_a_web_pages_header_cards_end_the_header_above_a_cut_rows_rest_and_a_section_row():
    """A browser's cards: each heading a grey fill of its own, standing apart, so no fill
    spans the table under the header. The first edge across the table was the section row's
    fill below, and the rest of the row the page cut (a progress card's last lines) was read
    into the header: the header read unlike the plan's and a new untitled plan started on
    the page (tuning seed 11700086: 1 of 21 records)."""
    from actionplan.structure.headers import repair_header

    syn = Synonyms.load()
    grey, card, blue = (0.88, 0.88, 0.88), (0.95, 0.95, 0.95), (0.85, 0.9, 0.95)
    cards = [((x0 + 4, 772, x1 - 4, 800), grey) for x0, x1 in COLS] + [((44, 702, 196, 770), card),
                                                                        ((4, 682, 396, 698), blue)]
    r = row(line("No.", 0, 790), line("Action", 1, 790), line("Lead", 2, 790), line("By when", 3, 790),
            line("families scrutiny", 1, 760), line("strengthen schools.", 1, 750),
            line("Priority 2 Ensure that the board reviews each case", 0, 692, right=390))
    got = repair_header(table(r, fills=cards), syn, None, S)
    assert texts(got.rows)[0] == ["No.", "Action", "Lead", "By when"]
