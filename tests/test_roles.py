"""Which field each column holds: its heading and its cells decide together (structure/roles.py)."""

from __future__ import annotations

import pytest

from actionplan.extractors.model import Cell, TextLine
from actionplan.normalisers.text import Vocabulary
from actionplan.structure.headers import HeadingWords, Synonyms, map_columns
from actionplan.structure.roles import assign_roles, cell_evidence


@pytest.fixture(scope="module")
def syn() -> Synonyms:
    return Synonyms.load()


def cell(text: str, x: float = 0.0, y: float = 100.0) -> Cell:
    lines = tuple(TextLine(t, (x, y - 10 * k - 8, x + 5 * len(t), y - 10 * k), 8.0)
                  for k, t in enumerate(text.split("\n")) if t)
    return Cell(text, (x, y - 40, x + 200, y), lines=lines)


def roles(headers: list[str], columns: list[list[str]], syn: Synonyms) -> tuple[list[str | None], list[str]]:
    body = [[cell(col[r], 60.0 * c) for c, col in enumerate(columns)] for r in range(len(columns[0]))]
    mapped, issues, _ = assign_roles(map_columns(headers, syn), body, syn, HeadingWords.load(), Vocabulary(), 1)
    return list(mapped.fields), [i.code for i in issues]


LONG = "Ensure that every child in need has a plan reviewed within timescales by a qualified manager"


def test_a_heading_naming_two_fields_gives_up_the_one_another_column_needs(syn):
    headers = ["Action", "Position at review", "How progress will be checked"]
    text = ["Audit the files", "Train the staff", "Review the plans"]
    fields, _ = roles(headers, [text, text, text], syn)
    assert fields == ["action", "progress", "monitoring"]


def test_columns_are_named_by_their_cells_where_the_heading_names_nothing_and_say_so(syn):
    headers = ["Ref", "Action", "Finish line", "Colour"]
    columns = [["1.", "2.", "3."], ["Audit the files", "Train the staff", "Review"],
               ["March 2024", "June 2024", "Ongoing"], ["R", "A", "G"]]
    fields, codes = roles(headers, columns, syn)
    assert fields == ["item", "action", "by_when", "rag"]
    assert codes.count("column-by-content") == 2


def test_long_text_written_once_and_copied_to_the_rows_below_is_the_area(syn):
    copied = cell_evidence([cell(LONG), cell(LONG), cell(LONG), cell(LONG + " too"), cell(LONG + " too")],
                           Vocabulary())
    assert copied.once >= 0.5
    fields, codes = roles(["No.", "Narrative", "Action"],
                          [["1.", "2.", "3.", "4."], [LONG, LONG, "", LONG + " again"],
                           ["Audit the files", "Train the staff", "Review", "Report"]], syn)
    assert fields == ["item", "area_for_improvement", "action"] and "column-by-content" in codes


def test_running_text_that_starts_with_a_rating_letter_is_no_rating():
    stacked = Cell("", (0, 0, 100, 100), lines=tuple(
        TextLine(t, (0, 90 - 10 * k, 100, 98 - 10 * k), 8.0)
        for k, t in enumerate(["A commissioning review of the placements is under way", "with the partners", "Green", "Red"])))
    ev = cell_evidence([stacked], Vocabulary())
    assert ev.ratings == 0.5  # "Green" and "Red", not the sentence that starts with "A"


def test_a_text_tables_column_of_wrapped_prose_reads_as_running_text():
    """A text table gives a column as its printed lines: a sentence wrapped over them is one
    text, and references wrapped in a narrow column ("35" / "(90," / "154)") one reference."""
    prose = [cell(line) for line in ("Ensure that every child in need", "has a plan reviewed within the",
                                     "timescales set by a qualified", "manager.", "Ensure that the board",
                                     "receives a report on progress", "each and every quarter of the year.")]
    assert cell_evidence(prose, Vocabulary()).long == 1.0
    refs = [cell(line) for line in ("35", "(90,", "154)", "37", "(91)")]
    assert cell_evidence(refs, Vocabulary()).paras == 1.0


def test_a_heading_that_names_the_inspection_over_prose_is_no_paragraph_column(syn):
    """ "What Ofsted said" names the inspection, and its cells hold what it found: the area."""
    said = [LONG, "Ensure that the board receives a report on progress every quarter", "Ensure that plans are kept"]
    fields, _ = roles(["No.", "What Ofsted said", "Action"], [["1", "2", "3"], said, ["Audit", "Train", "Review"]],
                      syn)
    assert fields[1] != "inspection_para"
    fields, _ = roles(["No.", "Ofsted ref", "Action"], [["1", "2", "3"], ["17 (57)", "18", "19 (60, 61)"],
                                                       ["Audit", "Train", "Review"]], syn)
    assert fields[1] == "inspection_para"


def test_a_headings_word_in_another_form_names_its_field():
    """"What will be different?" where the words file has "difference"; short words and
    words that only begin alike name nothing."""
    from actionplan.structure.headers import word_hits
    from actionplan.structure.roles import HeadingWords

    words = HeadingWords.load()
    assert word_hits("What will be different?", words, 6) == {"evidence_of_impact": 1}
    assert word_hits("Monitored by", words, 6) == {"monitoring": 1}
    from actionplan.structure.headers import _same_stem

    assert _same_stem("different", "difference") and not _same_stem("assessed", "assessment")
    assert not _same_stem("progress", "programme") and not _same_stem("dated", "date")
    # forms whose tails differ by a fifth of the longer word are other words: the inspectors'
    # findings are an area, not the inspectorate's paragraph; "Report" is not "reported"
    assert not _same_stem("inspectors", "inspectorate") and not _same_stem("report", "reported")
    assert word_hits("What the inspectors found", words, 6) == {"area_for_improvement": 1}


def test_a_column_of_colour_only_ratings_is_the_rating_whatever_its_heading(syn):
    """Seen in the sweep (seed 11000014): "Progress rating" over cells that print only a
    colour, in a text table whose stacked column has no fill of its own, was read as the
    progress column, and every record lost its rating in silence."""
    from actionplan.structure.roles import colour_only

    stacked = [Cell("1.1\n2.1\n3.1", (0, 0, 40, 300), lines=tuple(
        TextLine(t, (2, 280 - 40 * k, 20, 288 - 40 * k), 8.0) for k, t in enumerate(["1.1", "2.1", "3.1"]))),
        Cell("Audit the files\nTrain the staff\nReview", (40, 0, 240, 300), lines=tuple(
            TextLine(t, (42, 280 - 40 * k, 200, 288 - 40 * k), 8.0)
            for k, t in enumerate(["Audit the files", "Train the staff", "Review"]))),
        Cell("", (240, 0, 280, 300))]
    red, green = (0.86, 0.21, 0.27), (0.16, 0.65, 0.27)
    fills = [((242, 260, 300, 300), red), ((242, 220, 300, 260), green), ((242, 180, 300, 220), green),
             ((0, 300, 300, 320), (0.2, 0.2, 0.2))]  # a dark header band across the table
    assert [c.fill for c in colour_only([stacked[2]], fills)] == [red, green, green]
    assert colour_only([stacked[1]], fills) == [stacked[1]]  # a column with text keeps its cells
    mapped, _, _ = assign_roles(map_columns(["No.", "Action", "Progress rating"], syn), [stacked], syn,
                                HeadingWords.load(), Vocabulary(), 1, fills=fills)
    assert mapped.fields == ("item", "action", "rag")


def test_a_rating_column_the_reader_has_not_cut_into_rows_reads_as_ratings_among_zebra_bands():
    """A text table's first reading puts a page's ratings in one cell, a letter a line, and
    leaves the other rows' cells blank on their zebra band's grey: the column still reads
    as ratings (seen in the sweep, seed 11200005: "Progress rating" read as progress)."""
    grey = (0.95, 0.95, 0.95)
    cells = [cell("A\nA\nG\nB\nG\nB\nG\nA"), *[Cell("", (0, 0, 200, 40), grey) for _ in range(8)], cell("G")]
    assert cell_evidence(cells, Vocabulary()).ratings >= 0.7
    mixed = [cell("A\nthe board agreed it\nG"), cell("Begun"), cell("G")]
    assert cell_evidence(mixed, Vocabulary()).ratings < 0.7


def test_a_numbers_letter_wrapped_onto_its_own_line_still_reads_as_numbering():
    """Multi-level numbers with a letter ("1.1a") in a column so narrow the letter wraps:
    in one cell ("1.1" / "a") or in the next row's, where the reader has not cut the rows
    yet (seen in the sweep, seed 11200123: the column went to `extra`, every record was
    numbered by its place, none found, and nothing said so)."""
    cells = [cell("1.1\na"), cell("1.1"), cell("b"), cell("1.1"), cell("c"), cell("2.1"), cell("a"), cell("3.1\na")]
    ev = cell_evidence(cells, Vocabulary())
    assert ev.items >= 0.8 and ev.ordered >= 0.5


def test_outline_numbers_a_narrow_column_broke_after_their_dot_read_as_an_ordered_numbering():
    """"1." / "1", "2." / "1": read a line each, the numbers went back and forth, and the item
    column was taken for inspection paragraphs (every record numbered by its place; tuning
    seed 11600095, 0 of 14 found)."""
    cells = [cell(f"{a}.\n{b}") for a, b in ((1, 1), (2, 1), (2, 2), (2, 3), (3, 1), (3, 2))]
    ev = cell_evidence(cells, Vocabulary())
    assert ev.items == 1.0 and ev.ordered == 1.0
    # whole numbers with a dot, one a line, are each a number
    assert cell_evidence([cell("1.\n2."), cell("3.\n4.")], Vocabulary()).ordered == 1.0


def test_item_numbers_a_narrow_column_wrapped_after_their_word_read_as_item_numbers():
    """"Action" / "4" in a column too narrow for both: one number. Read a line each, half the
    column was words, and a blank-headed number column went to `extra` (tuning seed 11800016)."""
    lines = [TextLine(t, (2.0, 700.0 - 10 * k - 8, 30.0, 700.0 - 10 * k), 8.0)
             for k, t in enumerate(["Action", "1", "Action", "2", "Action", "3"])]
    column = [Cell("\n".join(ln.text for ln in lines), (0.0, 600.0, 32.0, 702.0), None, tuple(lines))]
    assert cell_evidence(column, Vocabulary()).items == 1.0


def test_numbers_written_once_over_groups_of_rows_are_the_inspection_paragraph_not_the_item(syn):
    """A plan with no numbering of its own: its "Para ref" column gives the report's paragraph
    once per group of actions ("35", blank, blank, "36. (89, 100)"). The numbers run on, so
    they read as a numbering, and every blank below was merged into the record above: 14
    records came out as 3 (tuning seed 11400016)."""
    for paras in (["35", "", "", "", ""], ["35", "", "", "36.\n(89, 100)", "", "", "38.\n(118, 137,\n155)", ""]):
        actions = [f"Audit the files of team {k}" for k in range(len(paras))]
        leads = ["Head of Service", "PSW", "Head of LAC", "PSW"] * 2
        fields, _ = roles(["Para ref", "Action(s)", "Owner"], [paras, actions, leads[:len(paras)]], syn)
        assert fields == ["inspection_para", "action", "lead"], paras
    # a numbering every row carries is the item, under the same heading
    fields, _ = roles(["Para ref", "Action(s)", "Owner"], [[f"{k}." for k in range(1, 6)], actions[:5], leads[:5]], syn)
    assert fields[0] == "item"
