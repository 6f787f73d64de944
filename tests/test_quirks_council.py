"""Quirks of plans made the way councils make them (browser prints, Word tables, narrow
columns), each pinned on the smallest input that shows it."""

from __future__ import annotations

import itertools
from dataclasses import replace

from actionplan.extractors.model import Cell, PageContent, RawTable, TextLine
from actionplan.normalisers.fields import carry_down
from actionplan.normalisers.model import Piece, Row
from actionplan.normalisers.text import Vocabulary, join_lines
from actionplan.schemas.layout import DEFAULT_LAYOUT


def _ln(text: str, x0: float, x1: float, top: float, size: float = 8.0) -> TextLine:
    return TextLine(text, (x0, top - size, x1, top), size)


# --- words and dates a column narrower than them broke twice -------------------------

def test_a_word_broken_in_three_pieces_is_rejoined_when_the_three_make_a_word():
    vocab = Vocabulary.from_texts(["Complete the audit", "Completed in time"])
    assert join_lines("Co\nmpl\nete", vocab) == "Complete"
    assert join_lines("Co\nmpl\neted", vocab) == "Completed"


def test_a_word_broken_in_three_pieces_is_rejoined_though_its_middle_piece_is_long():
    """"Commi" / "ssionin" / "g": the middle piece is long, and "ssionin" + "g" reads as a
    word the page wrote broken elsewhere, but the head is a fragment and the three make
    a word the document uses: one word, not "Commi ssioning"."""
    cell = "Servic\ne \nManag\ner – \nICT \nStrate\ngy and\nCommi\nssionin\ng "
    vocab = Vocabulary.from_texts([cell, "Chair of\nCommissioning", "Service Manager ICT Strategy and\nCommissio\nning",
                                   "ssioning the review"])
    assert join_lines(cell, vocab) == "Service Manager – ICT Strategy and Commissioning"


def test_a_word_broken_in_four_pieces_is_rejoined_though_its_middle_pieces_are_long():
    """A lead column a few characters wide breaks "Commissioning" three times; "ionin"
    is longer than a short middle piece, but the piece before it, which a join made, is no
    word, and the three make one."""
    broken = "Strat\negy\nand\nCom\nmiss\nionin\ng"  # the same lead in every cell: its pieces are written thrice
    vocab = Vocabulary.from_texts(["commissioning of the service", *[broken] * 3])
    assert join_lines(broken, vocab) == "Strategy and Commissioning"
    assert join_lines("Review\nthe\nmission\nplan", Vocabulary.from_texts(["the mission plan"])) == \
        "Review the mission plan"


def test_a_month_broken_in_three_pieces_is_rejoined_though_the_plan_spells_it_nowhere():
    assert join_lines("Sept\nemb\ner \n201\n8 ", Vocabulary()) == "September 2018"


def test_a_date_broken_twice_by_a_narrow_column_is_one_date():
    assert join_lines("19/0\n3/20\n15 ", Vocabulary()) == "19/03/2015"


def test_three_words_on_three_lines_stay_three_words():
    vocab = Vocabulary.from_texts(["Review the plan", "the plan works"])
    assert join_lines("Review\nthe\nplan", vocab) == "Review the plan"


# --- columns: which holds the numbering ----------------------------------------------

def test_numbers_that_repeat_are_paragraph_references_not_the_plans_numbering():
    from actionplan.structure.roles import cell_evidence, content_scores

    def column(values: list[str]) -> list[Cell]:
        return [Cell(v, (0, 700 - 20 * k, 40, 712 - 20 * k), None, (_ln(v, 2, 20, 710 - 20 * k),))
                for k, v in enumerate(values)]

    numbering = cell_evidence(column(["1.", "2.", "3.", "4.", "5."]), Vocabulary())
    refs = cell_evidence(column(["26.", "26.", "12.", "12.", "40."]), Vocabulary())
    assert content_scores(numbering)["item"] > 0
    assert content_scores(refs)["item"] < 0 < content_scores(refs)["inspection_para"]


def test_a_first_column_without_heading_over_a_numbering_is_the_item_even_beside_a_ref_heading():
    from actionplan.structure.headers import ColumnMap, HeadingWords, Synonyms
    from actionplan.structure.roles import assign_roles

    rows = []
    for k in range(6):
        top = 700 - 30 * k
        texts = [f"{k + 1}.", f"{[26, 26, 12, 31, 31, 9][k]}.", "Ensure that audits are done well and on time",
                 "Head of Service"]
        xs = [(0, 30), (30, 70), (70, 300), (300, 400)]
        rows.append([Cell(t, (a, top - 20, b, top), None, (_ln(t, a + 2, min(b - 2, a + 2 + 4 * len(t)), top),))
                     for t, (a, b) in zip(texts, xs)])
    cmap = ColumnMap(("", "Ofsted ref", "What needs to improve?", "Lead"), (None, "item", None, "lead"),
                     (0.0, 80.0, 0.0, 100.0))
    mapped, _, _ = assign_roles(cmap, rows, Synonyms.load(), HeadingWords.load(), Vocabulary(), 1)
    assert mapped.fields[0] == "item"
    assert mapped.fields[1] == "inspection_para"


# --- rows ----------------------------------------------------------------------------

def test_digits_wrapped_under_digits_are_one_item_number():
    from actionplan.schemas.layout import DEFAULT_LAYOUT
    from actionplan.structure.rows import item_levels

    item = Cell("1\n0", (0, 600, 12, 700), None, (_ln("1", 2, 7, 700), _ln("0", 2, 7, 690)))
    text = Cell("Ensure that", (12, 600, 200, 700), None, (_ln("Ensure that", 14, 80, 700),))
    assert item_levels([item, text], 0, DEFAULT_LAYOUT, pitch=10.0) == {0}
    two = Cell("1\n2", (0, 600, 12, 700), None, (_ln("1", 2, 7, 700), _ln("2", 2, 7, 660)))
    assert item_levels([two, text], 0, DEFAULT_LAYOUT, pitch=10.0) == {0, 1}


def test_a_multi_level_number_wrapped_piece_by_piece_in_a_narrow_column_is_one_item_number():
    from actionplan.schemas.layout import DEFAULT_LAYOUT
    from actionplan.structure.rows import item_levels

    text = Cell("Ensure that", (12, 500, 200, 700), None, (_ln("Ensure that", 14, 80, 700),))
    # a browser breaks "1.1" in a column one digit wide: "1" / "." / "1"; a spreadsheet "1.1" / "a"
    for pieces in (["1", ".", "1"], ["1.1", "a"], ["1", ".", "1", "a"]):
        lines = tuple(_ln(p, 2, 7, 700 - 10 * k) for k, p in enumerate(pieces))
        item = Cell("\n".join(pieces), (0, 500, 12, 700), None, lines)
        assert item_levels([item, text], 0, DEFAULT_LAYOUT, pitch=10.0) == {0}, pieces
    # the next row's number, a row's height below the last piece, is a number of its own
    lines = (_ln("1", 2, 7, 700), _ln(".", 2, 7, 690), _ln("1", 2, 7, 680), _ln("1", 2, 7, 640),
             _ln(".", 2, 7, 630), _ln("2", 2, 7, 620))
    item = Cell("1\n.\n1\n1\n.\n2", (0, 500, 12, 700), None, lines)
    assert item_levels([item, text], 0, DEFAULT_LAYOUT, pitch=10.0) == {0, 3}
    # a browser breaks "1.1" after its dot: "1." / "1"
    item = Cell("1.\n1", (0, 500, 12, 700), None, (_ln("1.", 2, 9, 700), _ln("1", 2, 7, 690)))
    assert item_levels([item, text], 0, DEFAULT_LAYOUT, pitch=10.0) == {0}
    # "Action 2" wrapped word by word: the item starts at the word, not at the digit under it
    item = Cell("Action\n2", (0, 500, 30, 700), None, (_ln("Action", 2, 28, 700), _ln("2", 2, 7, 690)))
    assert item_levels([item, text], 0, DEFAULT_LAYOUT, pitch=10.0) == {0}
    cells = [Cell("", (0, 500, 30, 700), None, (_ln("stray", 2, 20, 700), _ln("Action", 2, 28, 680), _ln("2", 2, 7, 670))),
             Cell("", (30, 500, 200, 700), None, (_ln("rest of 1", 32, 90, 700), _ln("Ensure that", 32, 90, 680)))]
    assert item_levels(cells, 0, DEFAULT_LAYOUT, pitch=10.0) == {1}
    # numbers on consecutive lines that are whole ("1." then "2.") stay two
    item = Cell("1.\n2.", (0, 500, 12, 700), None, (_ln("1.", 2, 9, 700), _ln("2.", 2, 9, 690)))
    assert item_levels([item, text], 0, DEFAULT_LAYOUT, pitch=10.0) == {0, 1}


def test_a_merged_cells_text_running_on_over_a_new_row_stays_with_the_row_it_starts_in():
    """A web page's rowspan area, no rule to show it: its sentence runs on at one line
    pitch past the next item's number, while the other cells start afresh after a gap."""
    from actionplan.structure.evidence import cut_row

    item = Cell("", (0, 500, 30, 700), None, (_ln("1", 2, 8, 700), _ln("2", 2, 8, 660)))
    area = Cell("", (30, 500, 200, 700), None, tuple(
        _ln(t, 32, 190, 700 - 10 * k) for k, t in enumerate(["Ensure that the service", "reviews its plans and",
                                                              "acts on what it finds", "and tells the", "board every month."])))
    action = Cell("", (200, 500, 400, 700), None, (_ln("Audit the files.", 202, 300, 700),
                                                   _ln("Train the team.", 202, 300, 660)))
    parts = cut_row([item, area, action], [4], pitch=10.0)
    assert [len(p[1].lines) for p in parts] == [5, 0]
    assert [len(p[1].lines) for p in cut_row([item, area, action], [4])] == [4, 1]  # without the pitch: by level
    assert [p[2].text.strip() for p in parts] == ["Audit the files.", "Train the team."]


def test_a_row_a_page_break_cut_goes_on_when_its_running_text_carries_on_mid_sentence():
    from actionplan.structure.rows import merge_page_continuations

    rows = [Row({"action": "Audit the files and", "lead": "Head of Children with", "progress": "Begun in"},
                (Piece(3, 0),)),
            Row({"action": "report to the board.", "lead": "Disabilities Service", "progress": "in May."},
                (Piece(4, 0),))]
    out = merge_page_continuations(rows)
    assert len(out) == 1 and out[0].cells["lead"] == "Head of Children with\nDisabilities Service"
    fresh = [rows[0], Row({"action": "Report to the board.", "lead": "Head of Service", "progress": "None"},
                          (Piece(4, 0),))]
    assert len(merge_page_continuations(fresh)) == 2


def test_a_rows_rest_atop_a_page_goes_on_though_a_rating_merged_from_the_row_below_fills_it():
    """A word processor's banded table paints both rating cells green, hiding the rule
    between the rest of a cut row and the next row: the rating the row below prints is given
    to the rest too, but it is not the rest's own, so the rest still lacks every short field."""
    from actionplan.structure.rows import merge_page_continuations

    above = Row({"action": "Audit the files.", "lead": "PSW", "rag": "Green", "progress": "Begun in May."},
                (Piece(3, 4),))
    rest = Row({"action": "", "lead": "", "rag": "Green", "progress": "Officers reviewed it."},
               (Piece(4, 0),), carried=("rag",))
    nxt = Row({"action": "Train the team.", "lead": "DCS", "rag": "Green", "progress": "Done."},
              (Piece(4, 1),), merged=("rag",))
    out = merge_page_continuations([above, rest, nxt])
    assert len(out) == 2 and out[0].cells["progress"] == "Begun in May.\nOfficers reviewed it."
    own = replace(rest, carried=())  # a rating printed in the row itself: a record of its own
    assert len(merge_page_continuations([above, own, nxt])) == 3


def test_a_plans_title_is_the_heading_nearest_its_table_not_the_documents_first():
    """A report's numbered sections set in one heading style, prose between, the plan's
    table under the last: that heading is its title, so the same title printed again atop
    the next pages (a title row repeated with the header) continues the plan."""
    from actionplan.structure.plans import plan_title

    lines = [_ln("1. Introduction", 72, 190, 530, 14.0), _ln("Families and the reviewing impact.", 72, 700, 515),
             _ln("4. The action plan", 72, 240, 370, 14.0), _ln("Embed been schools this.", 72, 600, 355),
             _ln("4. The action plan", 72, 130, 345)]
    assert plan_title(lines) == "4. The action plan"
    # a title over two lines of one size is still one title
    cover = [_ln("Kingsford Council", 72, 300, 560, 16.0), _ln("Ofsted Improvement Plan", 72, 330, 540, 16.0),
             _ln("Version 5", 72, 120, 520)]
    assert plan_title(cover) == "Kingsford Council Ofsted Improvement Plan"


def test_a_page_break_inside_an_item_number_joins_its_rest_to_the_record_above():
    """A browser splits a row over two pages with its number: "4.1" at the foot, "a" atop
    the next. The rest is no number of its own; a real next number stays a record."""
    from actionplan.structure.rows import merge_page_continuations

    rows = [Row({"item": "4.1", "action": "Audit the files and", "lead": "Chair of QA"}, (Piece(3, 0),)),
            Row({"item": "a", "action": "report to the board.", "lead": "Sub Group"}, (Piece(4, 0),))]
    out = merge_page_continuations(rows)
    assert len(out) == 1 and out[0].cells["lead"] == "Chair of QA\nSub Group"
    assert "".join(out[0].cells["item"].split()) == "4.1a"
    assert out[0].pieces[-1].joined is not None and "rest of the number" in out[0].pieces[-1].joined.label
    fresh = [rows[0], Row({"item": "4.2", "action": "Report.", "lead": "Head of Service"}, (Piece(4, 0),))]
    assert len(merge_page_continuations(fresh)) == 2
    same_page = [rows[0], replace(rows[1], pieces=(Piece(3, 1),))]  # not at a page break: left to the checks
    assert len(merge_page_continuations(same_page)) == 2


def test_a_section_row_a_page_break_cut_is_one_section():
    from actionplan.structure.rows import give_sections

    rows = [Row({"action": ""}, (Piece(8, 5),), section="4. Ensure that the service reviews its"),
            Row({"action": ""}, (Piece(9, 0),), section="plans every month."),
            Row({"action": "Audit"}, (Piece(9, 1),))]
    out = give_sections(rows)
    assert [r.cells["area_for_improvement"] for r in out] == [
        "4. Ensure that the service reviews its plans every month."]


def test_a_section_line_the_columns_cut_is_joined_where_its_glyphs_meet():
    """Each piece keeps its glyphs' extent: pieces that abut are one word the cut fell in
    ("pr" + "otocol"), pieces a space apart are two words ("1:" + "Ensure")."""
    from actionplan.structure.rows import section_text

    def piece(text: str, a: float, b: float, top: float) -> TextLine:
        return TextLine(text, (a, top - 8, b, top), 8)

    cells = [Cell("Priority 1:", (0, 480, 40, 500), None, (piece("Priority 1:", 2, 38.5, 500),)),
             Cell("Ensure that the service pr\nevery month.", (40, 480, 200, 500), None,
                  (piece("Ensure that the service pr", 40, 198, 500), piece("every month.", 40, 110, 490))),
             Cell("otocol is kept", (200, 480, 300, 500), None, (piece("otocol is kept", 198, 280, 500),)),
             Cell("", (300, 480, 360, 500), None, ())]
    text, why = section_text(cells, ("item", "area_for_improvement", "lead", "by_when"), False)
    assert why == "one line running on across the columns"
    assert text == "Priority 1: Ensure that the service protocol is kept\nevery month."
    assert join_lines(text, Vocabulary()) == "Priority 1: Ensure that the service protocol is kept every month."


def test_a_labelled_section_line_the_columns_cut_is_a_section_not_a_record():
    """"Priority 4 – Ensure that ..." on one line across the table: the item column holds
    "Priority 4", which reads as an item number; one line running on across every column
    is no record's row (seen in the sweep: seed 11100083, a record 'Priority 4')."""
    from actionplan.structure.rows import section_text

    def piece(text: str, a: float, b: float, top: float) -> TextLine:
        return TextLine(text, (a, top - 8, b, top), 8)

    cells = [Cell("Priority 4", (0, 480, 40, 500), None, (piece("Priority 4", 2, 40, 500),)),
             Cell("– Ensure that the service", (40, 480, 200, 500), None,
                  (piece("– Ensure that the service", 41.5, 199, 500),)),
             Cell("reviews its plans", (200, 480, 300, 500), None, (piece("reviews its plans", 202.5, 280, 500),)),
             Cell("", (300, 480, 360, 500), None, ())]
    text, why = section_text(cells, ("item", "area_for_improvement", "lead", "by_when"), False)
    assert why == "one line running on across the columns"
    assert join_lines(text, Vocabulary()) == "Priority 4 – Ensure that the service reviews its plans"


def test_a_cell_merged_across_a_plan_that_opens_with_its_lead_is_a_section_row():
    """A workbook of no item numbers whose first column is the lead: the recommendation's
    cell merged across the row starts in the lead's column (sweep seed 12000135: read as a
    lead, every section a record and every record without its area, flagged only as a
    lead holding sentences)."""
    from actionplan.structure.rows import section_text

    fields = ("lead", "action", "by_when", "rag")
    text = "Ensure that framework fostering capacity protocol resources improve."
    section = [Cell(text, (0, 480, 360, 500), None, (TextLine(text, (2, 490, 300, 500), 8),), spans=4),
               Cell("", (90, 480, 200, 500)), Cell("", (200, 480, 300, 500)), Cell("", (300, 480, 360, 500))]
    assert section_text(section, fields, False) == (text, "one cell merged across the table")
    # a lead in a cell of its own is a record's
    record = [replace(section[0], text="Principal Social Worker", spans=1, bbox=(0, 480, 90, 500)), *section[1:]]
    assert section_text(record, fields, False) is None


def test_a_numbered_section_line_the_columns_cut_is_a_section_not_a_record():
    """A web page numbers its recommendations like its actions ("2. Ensure that ..."): the
    item column cuts "2." off a line that runs on across the table. The pieces past it
    start left of their own cells, where no cell's text starts; a record's cells, though
    their lines come close, start inside their cells (seen in the sweep: "2" twice)."""
    from actionplan.structure.rows import section_text

    def piece(text: str, a: float, b: float, top: float) -> TextLine:
        return TextLine(text, (a, top - 8, b, top), 8)

    fields = ("item", "area_for_improvement", "lead", "by_when")
    cells = [Cell("2.", (0, 480, 14, 500), None, (piece("2.", 1, 9, 500),)),
             Cell("Ensure that the service", (14, 480, 200, 500), None, (piece("Ensure that the service", 11.5, 199, 500),)),
             Cell("reviews its plans", (200, 480, 300, 500), None, (piece("reviews its plans", 201.5, 280, 500),)),
             Cell("", (300, 480, 360, 500), None, ())]
    text, why = section_text(cells, fields, False)
    assert why == "one line running on across the columns"
    assert text == "2. Ensure that the service reviews its plans"
    record = [Cell("2.", (0, 480, 14, 500), None, (piece("2.", 1, 9, 500),)),
              Cell("Audit the files", (14, 480, 200, 500), None, (piece("Audit the files", 16, 198, 500),)),
              Cell("Head of X", (200, 480, 300, 500), None, (piece("Head of X", 202, 298, 500),)),
              Cell("", (300, 480, 360, 500), None, ())]
    assert section_text(record, fields, False) is None


# --- text tables: columns and furniture -----------------------------------------------

def test_a_short_last_line_of_the_first_labelled_column_is_not_a_blank_headed_column():
    from actionplan.structure.columns import widen_left
    from actionplan.structure.headers import GRID_PAD, Grid

    grid = Grid((175.0,), 100.0 - GRID_PAD, 300.0)  # "Priority" centred at 100, its text from 57
    body = [[_ln("1.1", 36, 44, 700), _ln("Ensure that the assessment of", 57, 165, 700)],
            [_ln("and continue.", 57, 93, 690)],
            [_ln("2.1", 36, 44, 650), _ln("Ensure that members will meet", 57, 160, 650)]]
    seps = widen_left(grid, body).separators
    assert len(seps) == 2 and 44 < seps[0] < 57


def test_a_blank_headed_number_column_is_found_beside_section_rows_starting_where_it_starts():
    """Section rows start at the table's left edge, where the numbers do, and run across
    the columns: they are no column's text, so the numbers still make a column of their own."""
    from actionplan.structure.columns import widen_left
    from actionplan.structure.headers import GRID_PAD, Grid

    grid = Grid((240.0, 310.0), 82.0 - GRID_PAD, 730.0, 150.0)  # "Actions to address" at 82
    section = [_ln("Ensure that continue on training completed fostering performance scrutiny", 55, 700, 720)]
    body = [section, [_ln("1.1", 55, 66, 700), _ln("Has safeguarding from implementation", 82, 230, 700)],
            [_ln("1.2", 55, 66, 660), _ln("Provider partnership strategy", 82, 220, 660)],
            section]
    seps = widen_left(grid, body).separators
    assert len(seps) == 3 and 66 < seps[0] < 82


def test_a_section_rows_short_last_line_flush_with_the_numbers_is_not_the_first_columns_text():
    """A section row wrapped over two lines: its last, "strengthen.", starts where the numbers
    do and crosses no column edge. Taken for the first labelled column's own short line, it
    made the one number on the page ("1.") that column's too: the plan's numbers were lost, and
    a section row at the next page's foot with them (tuning seed 11800090, silent)."""
    from actionplan.structure.columns import widen_left
    from actionplan.structure.headers import GRID_PAD, Grid

    grid = Grid((186.7, 273.8), 41.9 - GRID_PAD, 728.0, 135.0)  # "Actions to address" 42-135
    body = [[_ln("Ensure that resources this review assessment care monthly", 19, 700, 560)],
            [_ln("strengthen.", 19, 60, 550)],
            [_ln("1.", 19, 28, 500), _ln("Sharing escalation attendance", 42, 180, 520)]]
    seps = widen_left(grid, body).separators
    assert len(seps) == 3 and 28 < seps[0] < 42


def test_the_plans_header_printed_again_with_an_empty_column_more_keeps_the_plans_columns():
    """The plan's header again atop a page, read with an edge more inside a heading: the
    page's own columns cut the plan's rows differently, the page's table became a new plan
    whose only row (the rest of the record above) had no number, and the file was refused
    (tuning seed 11800047). Where every line keeps to the plan's columns and none starts in
    the new one, the plan's columns stand; a line in it keeps the page's own."""
    from actionplan.schemas.layout import DEFAULT_LAYOUT
    from actionplan.structure.columns import _fits_better
    from actionplan.structure.headers import Grid

    plan = Grid((90.0, 258.0, 400.0), 30.0, 720.0)
    own = Grid((90.0, 258.0, 351.0, 400.0), 30.0, 720.0)
    body = [[_ln("1.1", 32, 50, 700), _ln("Ensure that", 92, 200, 700), _ln("Audit the files and report", 260, 395, 700)],
            [_ln("to the board.", 260, 330, 690)]]
    assert _fits_better(plan, own, body, DEFAULT_LAYOUT)
    beside = [*body, [_ln("Head of LAC", 353, 390, 680)]]
    assert not _fits_better(plan, own, beside, DEFAULT_LAYOUT)


def test_numbers_set_left_of_a_heading_centred_over_them_are_that_columns_own():
    """A browser centres "Action No." over a column whose numbers sit at its left edge; the
    next column's heading starts the next column. A number far left of a heading whose
    column is blank on the page ("5." under a blank first heading) is a column of its own."""
    from actionplan.structure.columns import widen_left
    from actionplan.structure.headers import GRID_PAD, Grid

    centred = Grid((68.0, 118.0), 43.0 - GRID_PAD, 560.0, 62.0)  # "Action No." 43-62 over a column 37-68
    body = [[_ln("1", 38, 43, 700), _ln("25. (57, 134)", 70, 110, 700), _ln("Adoption partnership", 120, 240, 700)],
            [_ln("2", 38, 43, 660), _ln("27. (40, 59)", 70, 108, 660), _ln("Presented for", 120, 200, 660)]]
    assert widen_left(centred, body) == centred
    # the next column's text set left of its own centred heading, before this column's
    # edge, is not this column's: "#" centred over "1.1", "Para" over "33." (seed 11300116)
    hash_ = Grid((112.4,), 74.6 - GRID_PAD, 560.0, 79.8)
    body = [[_ln("1.1", 62, 72, 700), _ln("33.", 98, 108, 700)], [_ln("2.1", 62, 72, 660), _ln("34.", 98, 108, 660)]]
    assert widen_left(hash_, body) == hash_
    far = Grid((118.0, 217.0), 68.0 - GRID_PAD, 750.0, 110.0)  # "Ofsted Para No" 68-110, no text under it
    body = [[_ln("5.", 37, 45, 700), _ln("Chair of QA Sub Group", 218, 280, 700)]]
    assert len(widen_left(far, body).separators) == 3


def test_a_cell_holding_two_texts_side_by_side_is_flagged():
    from actionplan.structure.checks import cells_side_by_side
    from actionplan.structure.plans import _side_by_side

    apart = Cell("Ensure that services reports underway DCS", (60, 350, 186, 380), None,
                 (_ln("Ensure that services reports underway", 60, 160, 376), _ln("DCS", 175, 186, 376)))
    assert _side_by_side(apart, DEFAULT_LAYOUT)
    one_line = Cell("Ensure that services", (60, 350, 186, 380), None, (_ln("Ensure that services", 60, 120, 376),
                                                                       _ln("reports underway", 60, 110, 368)))
    assert not _side_by_side(one_line, DEFAULT_LAYOUT)
    rows = [Row({"area_for_improvement": "x", "lead": ""}, (Piece(1, 0),), side_by_side=("area_for_improvement",)),
            Row({"area_for_improvement": "y", "lead": "DCS"}, (Piece(1, 1),))]
    issues = cells_side_by_side(rows)
    assert [i.code for i in issues] == ["cells-side-by-side"] and issues[0].field == "area_for_improvement"
    assert cells_side_by_side(rows[1:]) == []


def test_a_blank_headed_first_column_mostly_numbers_is_the_item_column_though_section_pieces_sit_in_it():
    from actionplan.structure.headers import ColumnMap, HeadingWords, Synonyms
    from actionplan.structure.roles import assign_roles

    # a section row cut at the column edge leaves its first letters ("Ensu") among the numbers
    texts = ["Ensu", "1.1", "1.2", "Ensu", "2.1", "2.2", "2.3", "3.1"]
    rows = [[Cell(t, (0, 700 - 20 * k, 40, 712 - 20 * k), None, (_ln(t, 2, 20, 710 - 20 * k),)),
             Cell("Audit the cases", (40, 700 - 20 * k, 200, 712 - 20 * k), None,
                  (_ln("Audit the cases", 42, 120, 710 - 20 * k),))] for k, t in enumerate(texts)]
    cmap = ColumnMap(("", "Actions to address"), (None, "action"), (0.0, 100.0))
    roles, _, _ = assign_roles(cmap, rows, Synonyms.load(), HeadingWords.load(), Vocabulary(), 1)
    assert roles.fields[0] == "item"


def test_a_blank_headed_first_column_is_the_item_column_where_section_rows_cut_into_it_outnumber_the_numbers():
    """A word processor's section rows run across the table in one cell; the text table's
    column edges cut their lines, so their first letters ("Pri" / "co") sit in the number
    column, more lines than its numbers on a page of long rows: they run on into the
    column beside, so they are not the column's."""
    from actionplan.structure.headers import ColumnMap, HeadingWords, Synonyms
    from actionplan.structure.roles import assign_roles

    def section(top: float) -> list[Cell]:
        return [Cell("Pri\nco", (0, top - 30, 40, top), None, (_ln("Pri", 2, 17, top, 10), _ln("co", 2, 13, top - 12, 10))),
                # the pieces go on where the first stop, a bold word space (3.5 pt) after "co"
                Cell("ority 1: Ensure\nmmissioning care", (40, top - 30, 200, top), None,
                     (_ln("ority 1: Ensure", 17.1, 110, top, 10), _ln("mmissioning care", 16.5, 120, top - 12, 10)))]

    def item(n: int, top: float) -> list[Cell]:
        return [Cell(str(n), (0, top - 12, 40, top), None, (_ln(str(n), 2, 8, top, 10),)),
                Cell("Audit the cases", (40, top - 12, 200, top), None, (_ln("Audit the cases", 42, 120, top, 10),))]

    rows = [section(700), item(1, 660), section(600), item(2, 560)]
    cmap = ColumnMap(("", "Actions to address"), (None, "action"), (0.0, 100.0))
    roles, _, _ = assign_roles(cmap, rows, Synonyms.load(), HeadingWords.load(), Vocabulary(), 1)
    assert roles.fields[0] == "item"
    # lines of the column's own, set apart from the next column's text, still count against it
    apart = [[Cell(c.text, c.bbox, None, tuple(replace(ln, bbox=(ln.bbox[0] + 30 * k, *ln.bbox[1:]))
                                              for ln in c.lines)) for k, c in enumerate(r)] for r in rows]
    roles, _, _ = assign_roles(cmap, apart, Synonyms.load(), HeadingWords.load(), Vocabulary(), 1)
    assert roles.fields[0] is None


def test_a_line_the_column_edges_cut_at_a_word_space_is_still_pieces_of_one_line():
    from actionplan.extractors.layout import pieces_of_one_line

    # a bold 10-pt space is 3.5 pt; "mmissioning" averages 6.5 pt a character
    left = _ln("mmissioning", 66.9, 138.1, 600, 10)
    assert pieces_of_one_line(left, _ln("care approved", 141.6, 220, 600, 10))
    narrow = _ln("rs capacity", 256.8, 318.4, 600, 10)  # 5.6 pt a character: the space is wider than 0.6 of one
    assert pieces_of_one_line(narrow, _ln("is and en", 321.9, 373.1, 600, 10))
    assert not pieces_of_one_line(narrow, _ln("is and en", 321.9, 373.1, 600, 10), space=0.0)  # `cut_word_space`
    # the next cell's text, past both cells' padding (2.8 pt each), is not
    assert not pieces_of_one_line(left, _ln("care approved", 143.8, 220, 600, 10))
    assert not pieces_of_one_line(left, _ln("care approved", 141.6, 220, 588, 10))  # the next line


def test_where_a_column_wraps_is_not_read_from_a_section_rows_pieces_running_through_it():
    """"Safeguar" / "ding" broke at the column's width; a section row's piece ending at the
    column's edge, further right, is not where the column wraps, so "Safeguar" is not read
    as a line that stopped short (a word's end)."""
    from actionplan.extractors.layout import lines_text, wrap_edge

    own = [_ln("AD", 259.5, 272, 600, 10), _ln("Safeguar", 259.5, 304.5, 588, 10),
           _ln("ding and", 259.5, 300, 576, 10)]
    piece = _ln("tion all cab", 256.4, 319.0, 700, 10)
    beside = [_ln("view that", 319.1, 368.4, 700, 10)]
    assert wrap_edge([piece, *own], beside) == 304.5
    assert lines_text(own, wrap_edge([piece, *own], beside)).split("\n")[1] == "Safeguar"
    assert lines_text(own, wrap_edge([piece, *own])).split("\n")[1] == "Safeguar "  # the piece taken as the edge


def test_a_section_row_wrapped_over_several_lines_at_a_pages_foot_stays_in_the_table_but_a_footnote_does_not():
    from actionplan.structure.columns import _section_at_foot
    from actionplan.structure.headers import Grid

    grid = Grid((40.0, 200.0, 300.0), 0.0, 360.0)
    words = "Priority 2: Ensure that escalation reaches the board in time"
    four = [[_ln(words, 2, 330, 140 - 12 * k, 10)] for k in range(4)]
    next_page = [[_ln("2", 2, 10, 700, 10), _ln("Audit the files", 42, 150, 700, 10)]]
    assert _section_at_foot(four, grid, next_page, None, "", DEFAULT_LAYOUT, body=10.0)
    footnote = [[_ln(words, 2, 330, 140 - 9 * k, 7)] for k in range(2)]
    assert not _section_at_foot(footnote, grid, next_page, None, "", DEFAULT_LAYOUT, body=10.0)
    assert not _section_at_foot(four + four[:2], grid, next_page, None, "", DEFAULT_LAYOUT, body=10.0)


def test_a_leads_last_lines_alone_at_a_pages_top_go_on_from_a_title_cut_after_a_joining_word():
    """Without an item column, a narrow lead column's title broken by the page ("Service
    Manager – ICT Strategy and" / "Commissioning") is the rest of the record above."""
    from actionplan.structure.rows import merge_page_continuations

    above = Row({"action": "Audit the files", "lead": "Service Manager – ICT Strategy and ", "by_when": "2024"},
                (Piece(2, 3),))
    rest = Row({"action": "", "lead": "Commissioning", "by_when": ""}, (Piece(3, 0),))
    nxt = Row({"action": "Review", "lead": "PSW", "by_when": "2025"}, (Piece(3, 1),))
    got = merge_page_continuations([above, rest, nxt])
    assert [" ".join(r.cells["lead"].split()) for r in got] == ["Service Manager – ICT Strategy and Commissioning",
                                                                "PSW"]
    # a title that ends whole does not take the next page's lead
    whole = Row({**above.cells, "lead": "Head of Fieldwork"}, (Piece(2, 3),))
    assert len(merge_page_continuations([whole, rest, nxt])) == 3


def test_a_middle_aligned_headers_first_lines_as_many_as_its_one_line_headings_are_over_their_gaps():
    """A browser centres each <th>: "Who is" / "responsible?" sits half a line above and below
    the one-line "Ref", "Action", "Commentary", "Governance"; four two-line headings over the
    gaps of four one-line ones are the header's first lines, not a row above it."""
    from actionplan.structure.headers import _in_gaps

    upper = [_ln(t, x0, x1, 406.4) for t, x0, x1 in
             [("Who is", 173, 192), ("Target", 215, 233), ("Impact on children and", 657, 722), ("Current", 730, 753)]]
    lower = [_ln(t, x0, x1, 402.2) for t, x0, x1 in
             [("Ref", 41, 51), ("Action to be taken", 80, 131), ("Commentary", 388, 424), ("Governance", 596, 629)]]
    assert _in_gaps(upper, lower, DEFAULT_LAYOUT)
    assert not _in_gaps([*upper, _ln("Lead", 100, 120, 406.4)], lower, DEFAULT_LAYOUT)  # more than below
    assert not _in_gaps([_ln("Action plan", 90, 140, 406.4)], lower, DEFAULT_LAYOUT)  # over a heading


def test_a_running_head_set_close_over_the_header_is_furniture_where_it_stands_clear_once():
    from actionplan.extractors.furniture import find_furniture

    def page(n: int) -> PageContent:
        head = TextLine("OFFICIAL – SENSITIVE", (40, 566, 140, 574), 8)
        below = [TextLine("Improvement Plan", (40, 539, 200, 552), 12)] if n == 1 else [
            TextLine(t, (40 + 90 * k, 556, 100 + 90 * k, 564), 8) for k, t in enumerate(["Ref.", "Action", "Lead"])]
        return PageContent(n, 792, 612, lines=[head, *below, TextLine("Body", (40, 300, 90, 308), 8)])

    pages = [page(n) for n in range(1, 7)]
    assert any("official" in k for k in find_furniture(pages))
    # a header's first line, crowded on every page, is not
    crowded = [PageContent(n, 792, 612, lines=[TextLine("Responsible", (40, 566, 100, 574), 8),
                                               *page(2).lines[1:]]) for n in range(1, 7)]
    assert not any("responsible" in k for k in find_furniture(crowded))


def test_a_marking_crowded_over_the_table_on_every_page_is_no_record_where_a_row_holds_it_alone():
    """A word processor's protective marking ("OFFICIAL – SENSITIVE") set right over a text
    table on every page, never clear of it: the table's area takes it in as its first row.
    It is not furniture (a print title repeats so too, and is the plan's title), but a row
    holding only it is no record (seen in the sweep: every record took the next one's text)."""
    from actionplan.extractors.furniture import find_furniture, outermost_marks
    from actionplan.normalisers.text import Vocabulary
    from actionplan.structure.headers import Synonyms
    from actionplan.structure.plans import build_plans

    def page(n: int) -> PageContent:
        head = TextLine("OFFICIAL – SENSITIVE", (600, 566, 700, 574), 8)
        cells = [TextLine(t, (40 + 150 * k, 556, 100 + 150 * k, 564), 8) for k, t in enumerate(["Action", "Lead"])]
        return PageContent(n, 792, 612, lines=[head, *cells, TextLine("Body", (40, 300, 90, 308), 8)])

    pages = [page(n) for n in range(1, 7)]
    assert not any("official" in k for k in find_furniture(pages))
    marks = outermost_marks(pages)
    assert any("official" in k for k in marks)
    assert not outermost_marks(pages[:2])  # too few pages to say

    edges = [40, 200, 560, 720]

    def row(texts: list[str], top: float) -> list[Cell]:
        return [Cell(t, (a, top - 20, b, top), None, (TextLine(t, (a + 2, top - 10, a + 2 + 5 * len(t), top - 2), 9),)
                     if t else ()) for t, (a, b) in zip(texts, itertools.pairwise(edges))]

    header = row(["No.", "Action", "Lead"], 560)
    first = [row(["1.", "Audit the files", "Head of LAC"], 530)]
    second = [row(["", "", "OFFICIAL – SENSITIVE"], 575), row(["2.", "Train the staff", "Head of LAC"], 540)]
    # (the reader cut the marking's row off: a fill edge under it, in the sweep)
    tables = [RawTable(1, (40, 490, 720, 560), [header, *first], "lattice"),
              RawTable(2, (40, 500, 720, 575), second, "lattice")]
    plans, _, _ = build_plans([PageContent(n, 792, 612, tables=[t]) for n, t in ((1, tables[0]), (2, tables[1]))],
                              Synonyms.load(), Vocabulary(), furniture=set(), marks=marks)
    assert [(r.get("item"), r.get("lead")) for r in plans[0].rows] == [("1.", "Head of LAC"), ("2.", "Head of LAC")]
    plans, _, _ = build_plans([PageContent(n, 792, 612, tables=[t]) for n, t in ((1, tables[0]), (2, tables[1]))],
                              Synonyms.load(), Vocabulary(), furniture=set())
    assert [r.get("lead") for r in plans[0].rows] == ["Head of LAC", "OFFICIAL – SENSITIVE", "Head of LAC"]


def test_a_marking_over_the_rest_of_a_cut_row_is_left_off_that_row():
    """The marking set over a text table shares the page's first row with the rest of a row
    the page break cut, its pieces cut by the columns ("OFF" / "ICIAL – SENSITIVE"): the
    row read as a section row, its text the area of the rows below (tuning seed 11700079)."""
    from actionplan.extractors.furniture import furniture_key
    from actionplan.structure.plans import _without_mark

    row = [Cell("resources quality\nunderway", (40, 500, 200, 575), None,
                (_ln("OFF", 180, 198, 574), _ln("resources quality", 42, 120, 565), _ln("underway", 42, 90, 556))),
           Cell("ICIAL – SENSITIVE", (200, 500, 300, 575), None, (_ln("ICIAL – SENSITIVE", 198.5, 260, 574),))]
    marks = {furniture_key("OFFICIAL – SENSITIVE")}
    out, mark = _without_mark(row, marks)
    assert [[ln.text for ln in c.lines] for c in out] == [["resources quality", "underway"], []]
    assert mark is not None and furniture_key(mark) in marks
    assert _without_mark(row, set()) == (row, None)
    alone = [Cell("OFFICIAL – SENSITIVE", (40, 560, 300, 575), None, (_ln("OFFICIAL – SENSITIVE", 180, 260, 574),))]
    assert _without_mark(alone, marks) == (alone, None)  # a row of the mark alone is furniture, left out whole


def test_a_header_whose_one_line_headings_sit_between_two_line_ones_is_read_whole():
    from actionplan.structure.headers import find_text_header

    def is_header(cells: list[str]) -> bool:
        return len(cells) >= 4

    rows = [[_ln("Responsible", 170, 210, 720)],
            [_ln("#", 40, 46, 715), _ln("Priority", 100, 130, 715), _ln("Tasks", 280, 300, 715),
             _ln("Reported to", 600, 640, 715)],
            [_ln("lead", 180, 195, 710)],
            [_ln("1.1", 36, 44, 690), _ln("Ensure that", 57, 120, 690)]]
    found = find_text_header(rows, is_header)
    assert found is not None and found[0] == 0 and found[1] == 3


def test_a_heading_wrapped_a_few_letters_a_line_past_the_other_headings_rows_is_all_header():
    """A browser wraps "On track?" a few letters a line in a narrow column ("O" / "n" / "tr" /
    "ac" / "k?"), centred in the header row: its first and last lines sit in rows of their
    own, above and below the other headings. Read without them, "O" was a row of the page
    before's table and "k?" the body's first line (tuning seed 11500041)."""
    from actionplan.structure.headers import PlanHeaderTest, Synonyms, find_text_header

    rows = [[_ln("Post-inspection action plan", 37, 140, 439.2, 10)],
            [_ln("O", 619, 623, 416.4)],
            [_ln("By", 261, 270, 408.0), _ln("n", 619, 623, 408.0)],
            [_ln("Evidence of", 690, 730, 403.8)],
            [_ln("Theme", 37, 60, 399.0), _ln("Lead", 122, 138, 399.0), _ln("Actions to address", 151, 220, 399.0),
             _ln("wh", 261, 270, 399.0), _ln("Update", 283, 310, 399.0), _ln("tr", 619, 623, 399.0),
             _ln("Reported to", 635, 675, 399.0)],
            [_ln("impact", 690, 715, 394.8)],
            [_ln("en?", 261, 272, 390.6), _ln("ac", 619, 624, 390.6)],
            [_ln("k?", 619, 624, 381.6)],
            [_ln("Comm", 122, 140, 367.8), _ln("agreed cabinet training of", 151, 240, 367.8), _ln("202", 261, 272, 367.8),
             _ln("thresholds commissioning at review", 283, 400, 367.8), _ln("reviewing", 690, 720, 367.8)]]
    found = find_text_header(rows, PlanHeaderTest(Synonyms.load()))
    assert found is not None and (found[0], found[1]) == (1, 7)
    # a line above at another spacing (a subtitle, the cell's padding between) is not the heading's
    rows[1] = [_ln("O", 619, 623, 419.4)]
    found = find_text_header(rows, PlanHeaderTest(Synonyms.load()))
    assert found is not None and found[0] == 2


def test_a_key_of_the_ratings_set_right_over_the_header_does_not_hide_it():
    """A sheet prints its key ("Key:" / "Off track" / "Some slippage" / "On track") in the
    row right above the header: a row of four cells close above, it read as the body of a
    table, so the header under it was no header and Camelot guessed the columns (tuning seed
    11400069: 1 of 21 found)."""
    from actionplan.structure.headers import PlanHeaderTest, Synonyms, find_text_header, key_row

    key = [_ln("Key:", 40, 55, 610), _ln("Off track", 90, 130, 610), _ln("Some slippage", 200, 260, 610),
           _ln("On track", 330, 370, 610), _ln("Complete", 420, 460, 610)]
    header = [_ln("Ref", 40, 55, 600), _ln("Area for Improvement", 70, 160, 600), _ln("Action", 200, 230, 600),
              _ln("Named lead", 330, 380, 600), _ln("By When", 420, 455, 600), _ln("Commentary", 500, 560, 600)]
    body = [_ln("1.1", 40, 52, 585), _ln("Ensure that members", 70, 160, 585), _ln("In ensure for", 200, 260, 585),
            _ln("Assistant Director", 330, 400, 585), _ln("April 2019", 420, 460, 585),
            _ln("Supervision develop leavers", 500, 600, 585)]
    assert key_row(key) and not key_row(header) and not key_row(body)
    found = find_text_header([key, header, body], PlanHeaderTest(Synonyms.load()))
    assert found is not None and found[0] == 1
    # under a row of its own table's body, a row of headings is body text
    assert find_text_header([body, header, body], PlanHeaderTest(Synonyms.load())) is None


def test_two_headings_printed_as_one_line_are_parted_where_the_body_starts_a_column():
    from actionplan.structure.headers import PlanHeaderTest, Synonyms, part_joined_headings

    names = PlanHeaderTest(Synonyms.load()).names
    cells = [(40.0, 60.0, "No."), (300.0, 420.0, "Target date Progress and evidence")]
    body = [[_ln("January", 300, 330, 700), _ln("Governance from the board.", 350, 418, 700)],
            [_ln("2025", 300, 318, 690), _ln("Cabinet attainment delivered", 350, 416, 690)]]
    assert [t for _, _, t in part_joined_headings(cells, body, names)] == ["No.", "Target date",
                                                                           "Progress and evidence"]
    assert part_joined_headings(cells, body, names)[2][0] == 350
    # without a column of body text starting inside it, one heading stays one
    assert len(part_joined_headings(cells, body[:1], names)) == 2
    # and a heading wrapped onto lines of its own ("Target date" / "Progress ...") is one
    assert len(part_joined_headings(cells, body, names, printed={"No.", "Target date", "Progress and evidence"})) == 2


def test_a_number_columns_heading_run_into_the_next_is_parted_where_the_numbers_end():
    """A narrow number column's "No." runs on into "Area for Improvement" as one printed
    line; the area column is blank on the page (its text merged lower), so only the
    numbers say where the columns part."""
    from actionplan.structure.headers import PlanHeaderTest, Synonyms, part_joined_headings

    names = PlanHeaderTest(Synonyms.load()).names
    cells = [(168.0, 320.0, "No. Area for Improvement"), (330.0, 500.0, "Action")]
    body = [[_ln("1.1", 169, 180, 700), _ln("Implementation at", 331, 420, 700)],
            [_ln("a", 169, 173, 690), _ln("health teams", 331, 400, 690)],
            [_ln("1.2", 169, 180, 640), _ln("Agencies by", 331, 400, 640)]]
    parted = part_joined_headings(cells, body, names)
    assert [t for _, _, t in parted] == ["No.", "Area for Improvement", "Action"]
    assert 180 < parted[1][0] < 168 + 152 * 4 / 25
    # a cell whose body under its start runs on past the numbers ("1.1 Improve the ...")
    # is one column holding both
    long = [[_ln("1.1 Improve the timeliness of", 169, 300, 700)], *body[1:]]
    assert len(part_joined_headings(cells, long, names)) == 2
    # nor is a column of words under it parted ("Lead officer" over names)
    words = [[_ln("Head of", 169, 200, 700)], [_ln("Service", 169, 200, 690)]]
    assert len(part_joined_headings(cells, words, names)) == 2


def test_a_spreadsheets_header_over_rows_of_the_same_height_is_cut_off_its_body():
    """A borderless sheet keeps no padding under its header: the gap under the bold header
    is barely wider than a line, but every cell above is a whole heading name."""
    from actionplan.schemas.layout import DEFAULT_LAYOUT
    from actionplan.structure.headers import Synonyms, header_cut, header_score, names_only

    syn = Synonyms.load()
    heads = ["No.", "Action", "Lead", "By When"]
    body = [["1.1", "Audit the", "Head of", "June 2019"], ["", "files.", "Service", ""]]
    row = []
    for c, head in enumerate(heads):
        x = 40.0 + 100 * c
        lines = [_ln(head, x, x + 40, 700)] + [_ln(t, x, x + 40, 690.6 - 8.6 * k) for k, r in enumerate(body)
                                                if (t := r[c])]
        row.append(Cell("\n".join(ln.text for ln in lines), (x, 600, x + 100, 702), None, tuple(lines)))
    k = header_cut(row, lambda cells: header_score(cells, syn, DEFAULT_LAYOUT), DEFAULT_LAYOUT, None, None,
                   lambda cells: names_only(cells, syn, DEFAULT_LAYOUT))
    assert k == 1


# --- a spreadsheet's pages: print titles, merged cells drawn again, cells set low ----

def test_a_heading_word_a_narrow_column_broke_in_two_still_names_its_field():
    from actionplan.structure.headers import HeadingWords, word_hits

    words = HeadingWords.load()
    assert "by_when" in word_hits("Timefram e", words, 6)
    assert "by_when" not in word_hits("Team e", words, 6)


def test_two_heading_words_a_join_ran_together_still_name_their_field():
    """"Accountable" / "manager" in a narrow heading, joined as one word: its first part is
    a heading word; a word that only starts with a short one ("Leadership") is not."""
    from actionplan.structure.headers import HeadingWords, word_hits

    words = HeadingWords.load()
    assert "lead" in word_hits("Accountablemanager", words, 6)
    assert word_hits("Leadership", words, 6) == {}


def test_a_glyph_shown_over_a_hidden_copy_is_kept_and_the_copy_alone_is_taken_out():
    """Calc draws a merged cell's text again on the next page, clipped away, behind the
    title and header: only the hidden glyphs go, not the title's glyphs over them."""
    from types import SimpleNamespace

    from actionplan.extractors.visibility import Hidden, out_of_sight

    def glyph(text: str, x0: float, y0: float, size: float) -> SimpleNamespace:
        return SimpleNamespace(get_text=lambda: text, bbox=(x0, y0, x0 + size * 0.5, y0 + size), size=size,
                               render_mode=0)

    hidden = [Hidden("e", 82.5, 522.5, 10.0)]
    assert out_of_sight(glyph("e", 82.5, 520.0, 10.0), hidden)
    assert not out_of_sight(glyph("e", 80.7, 522.4, 14.0), hidden)  # the title's "e" over it
    assert not out_of_sight(glyph("e", 82.5, 520.0, 14.0), hidden)  # same place, another size
    assert not out_of_sight(glyph("m", 82.5, 520.0, 10.0), hidden)


def test_a_ruled_rows_number_set_at_its_foot_does_not_cut_its_first_lines_off():
    """Cells aligned to the bottom: the number is on the row's last line, the other cells
    run down to it. A number after a gap under another record's cells still cuts."""
    from actionplan.extractors.model import RawTable
    from actionplan.schemas.layout import DEFAULT_LAYOUT
    from actionplan.structure.rows import row_cuts

    def cell(x0: float, x1: float, lines: list[tuple[str, float]]) -> Cell:
        return Cell("\n".join(t for t, _ in lines), (x0, 500, x1, 700), None,
                    tuple(_ln(t, x0 + 2, x1 - 2, top) for t, top in lines))

    low = [cell(0, 30, [("2", 660)]), cell(30, 60, [("15", 660)]),
           cell(60, 300, [("Audit the files", 690), ("and report to", 680), ("the board.", 670), ("Monthly.", 660)]),
           cell(300, 400, [("Head of", 670), ("Fieldwork", 660)])]
    table = RawTable(1, (0, 500, 400, 700), [low], "lattice", rule_pieces=((700, 0, 400), (500, 0, 400)))
    assert row_cuts(low, table, 0, DEFAULT_LAYOUT, pitch=10.0) == {}
    # a box with vertical rules only closes no row: the number cuts (the lines above are
    # the rest of a record a page break cut)
    box = RawTable(1, (0, 500, 400, 700), [low], "lattice", rule_pieces=((700, 0, 400),))
    assert row_cuts(low, box, 0, DEFAULT_LAYOUT, pitch=10.0) == {3: "item number"}
    two = [cell(0, 30, [("1", 690), ("2", 650)]), cell(30, 60, [("15", 690), ("16", 650)]),
           cell(60, 300, [("Audit the files.", 690), ("Train the team.", 650)]),
           cell(300, 400, [("Head of Service", 690), ("Head of Fieldwork", 650)])]
    assert row_cuts(two, RawTable(1, (0, 500, 400, 700), [two], "lattice"), 0, DEFAULT_LAYOUT,
                    pitch=10.0) == {1: "item number"}


def test_a_merged_cell_going_on_from_the_page_before_takes_the_text_printed_there():
    """A spreadsheet draws a merged cell a page break cuts on both pages, clipped: the rows
    at the top of the next page are blank but hide the copy, which names the cell above,
    not the one printed on the page after."""
    from actionplan.structure.rows import spread_merged_cells

    area = "area_for_improvement"
    rows = [Row({area: "Ensure that thresholds are applied", "action": "a"}, (Piece(2, 0),)),
            Row({area: "", "action": "b"}, (Piece(3, 0),), hidden=((area, "Ensure that thresholds"),)),
            Row({area: "", "action": "c"}, (Piece(3, 1),), merged=(area,)),
            Row({area: "Ensure that reviews happen", "action": "d"}, (Piece(4, 0),)),
            Row({area: "", "action": "e"}, (Piece(4, 1),), merged=(area,))]
    got = [r.cells[area] for r in spread_merged_cells(rows)]
    assert got[1:3] == ["Ensure that thresholds are applied"] * 2
    # without the hidden copy, in a spreadsheet's plan (it draws copies out of sight
    # elsewhere) whose merged cells print their text mid-cell (centred), the blank run lies
    # at the top of a cell printed on the next page, where most of it is
    centred = [rows[0], replace(rows[1], hidden=()), rows[2],
               Row({area: "", "action": "d"}, (Piece(4, 0),)),
               Row({area: "Ensure that reviews happen", "action": "e"}, (Piece(4, 1),), merged=(area,)),
               Row({area: "", "action": "f"}, (Piece(4, 2),), merged=(area,)),
               Row({area: "", "action": "g"}, (Piece(4, 3),), hidden=((area, "Ensure that others"),)),
               Row({area: "Ensure that others", "action": "h"}, (Piece(5, 0),))]
    assert [r.cells[area] for r in spread_merged_cells(centred)][1:3] == ["Ensure that reviews happen"] * 2
    # a plan with no copy drawn anywhere was flowed by a browser or a word processor: a
    # cell a page break splits prints its text in its first part, on the page before
    # (sweep seed 11400068: a rowspan's last three rows took the next group's area)
    # the blanks are left for "same as above", which gives them the cell above whole
    flowed = [replace(r, hidden=()) for r in centred]
    spread = spread_merged_cells(flowed)
    assert [r.cells[area] for r in spread][1:3] == ["", ""]
    assert [r.cells[area] for r in carry_down(spread, (area,))][1:3] == ["Ensure that thresholds are applied"] * 2


def test_a_blank_cell_at_a_pages_foot_hiding_the_next_pages_text_takes_that_text():
    """A cell merged over rows that a page break cuts, centred: its text is printed on the
    next page, and drawn out of sight over the blank at this page's foot. That blank is the
    top of the next page's cell, not "same as above"."""
    from actionplan.structure.rows import spread_merged_cells

    area = "area_for_improvement"
    rows = [Row({area: "Ensure that reviews happen", "action": "a"}, (Piece(4, 0),)),
            Row({area: "", "action": "b"}, (Piece(4, 1),), hidden=((area, "Ensure that service capacity"),)),
            Row({area: "Ensure that service capacity is evaluated", "action": "c"}, (Piece(5, 0),)),
            Row({area: "", "action": "d"}, (Piece(5, 1),), merged=(area,))]
    got = spread_merged_cells(rows)
    assert got[1].cells[area] == "Ensure that service capacity is evaluated"
    assert area in got[1].carried  # printed once, on the next page
    # nothing drawn there: a blank is "same as above", left for carrying down
    plain = [rows[0], replace(rows[1], hidden=()), *rows[2:]]
    assert spread_merged_cells(plain)[1].cells[area] == ""
    # a copy of the cell above keeps it the cell above's
    above = [rows[0], replace(rows[1], hidden=((area, "Ensure that reviews"),)), *rows[2:]]
    assert spread_merged_cells(above)[1].cells[area] == ""


def test_a_blank_run_hiding_the_text_printed_lower_down_on_the_next_page_takes_that_text():
    """A cell merged over four rows, centred, over two page breaks: its text is printed
    beside its third row, on the middle page; the first row, on the page before, holds its
    copy out of sight, and the blank rows between are the same cell (not the cell above)."""
    from actionplan.structure.rows import spread_merged_cells

    area = "area_for_improvement"
    wanted = "Ensure that quality presented impact learning"
    rows = [Row({area: "Ensure that drafted development", "action": "a"}, (Piece(4, 0),)),
            Row({area: "", "action": "b"}, (Piece(4, 1),), merged=(area,),
                hidden=((area, "Ensure that quality presented"),)),
            Row({area: "", "action": "c"}, (Piece(5, 0),)),
            Row({area: wanted, "action": "d"}, (Piece(5, 1),), merged=(area,)),
            Row({area: "Ensure that others", "action": "e"}, (Piece(6, 0),))]
    got = [r.cells[area] for r in spread_merged_cells(rows)]
    assert got[1:4] == [wanted] * 3
    # the same rows with nothing drawn: the blank goes with the cell above
    plain = [rows[0], replace(rows[1], hidden=()), *rows[2:]]
    assert [r.cells[area] for r in spread_merged_cells(plain)][1] == "Ensure that drafted development"


def test_a_blank_run_hiding_a_cell_printed_two_pages_down_takes_that_text():
    """A spreadsheet's area merged over rows on three pages, centred: its text is printed on
    the third, and drawn out of sight over its rows on the first two. Those rows are that
    cell, not "same as above" (seen in the sweep, seed 11100096: three records took the
    area above, and nothing said so)."""
    from actionplan.structure.rows import spread_merged_cells

    area = "area_for_improvement"
    wanted = "Ensure that strengthen provider development"
    copy = ((area, "Ensure that strengthen provider"),)
    rows = [Row({area: "Ensure that in schools police", "action": "a"}, (Piece(3, 0),)),
            Row({area: "", "action": "b"}, (Piece(4, 0),), hidden=copy),
            Row({area: "", "action": "c"}, (Piece(5, 0),), hidden=copy),
            Row({area: wanted, "action": "d"}, (Piece(6, 0),)),
            Row({area: "Ensure that others", "action": "e"}, (Piece(7, 0),))]
    got = [r.cells[area] for r in spread_merged_cells(rows)]
    assert got[1:4] == [wanted] * 3
    # a copy of the cell above keeps the blanks the cell above's
    above = [rows[0], *(replace(r, hidden=((area, "Ensure that in schools"),)) for r in rows[1:3]), *rows[3:]]
    assert [r.cells[area] for r in spread_merged_cells(above)][1:3] == ["", ""]


def test_the_blank_rows_above_a_hidden_copy_in_the_same_merged_cell_take_the_next_pages_text():
    """A spreadsheet's paragraph merged over four rows, centred over a page break: "32" is
    printed on the next page and drawn out of sight near this page's foot, over the second
    row. The first row, merged with it and blank, is the same cell, not "same as above"
    (sweep seed 11400087: the record took the paragraph above, and nothing said so)."""
    from actionplan.structure.rows import spread_merged_cells

    para = "inspection_para"
    rows = [Row({para: "31", "action": "a"}, (Piece(5, 2),)),
            Row({para: "", "action": "b"}, (Piece(5, 3),)),
            Row({para: "", "action": "c"}, (Piece(5, 4),), merged=(para,), hidden=((para, "32"),)),
            Row({para: "", "action": ""}, (Piece(6, 0),)),  # the rest of the row above
            Row({para: "32", "action": "d"}, (Piece(6, 1),)),
            Row({para: "", "action": "e"}, (Piece(6, 2),), merged=(para,))]
    assert [r.cells[para] for r in spread_merged_cells(rows)] == ["31", "32", "32", "32", "32", "32"]
    # not merged with the row holding the copy: a blank of its own, "same as above"
    apart = [rows[0], rows[1], replace(rows[2], merged=()), *rows[3:]]
    assert [r.cells[para] for r in spread_merged_cells(apart)][1] == ""


def test_blank_rows_atop_a_page_holding_the_cell_above_s_copy_are_that_cell_not_the_one_below():
    """A banded spreadsheet shows no edge between a merged area going on from the page before
    and the next group's merged area: the first rows look merged with the row printing the
    next area. The copy drawn out of sight over them names the cell above the break (sweep
    seed 11400096: the last action of a group took the next group's area, in silence)."""
    from actionplan.structure.rows import spread_merged_cells

    area = "area_for_improvement"
    rows = [Row({area: "Ensure that reports are shared", "action": "a"}, (Piece(1, 1),)),
            Row({area: "", "action": "b"}, (Piece(2, 0),), hidden=((area, "Ensure that reports"),)),
            Row({area: "Ensure that audits happen", "action": "c"}, (Piece(2, 1),), merged=(area,)),
            Row({area: "", "action": "d"}, (Piece(2, 2),), merged=(area,))]
    got = [r.cells[area] for r in spread_merged_cells(rows)]
    assert got == ["Ensure that reports are shared", "Ensure that reports are shared",
                   "Ensure that audits happen", "Ensure that audits happen"]
    # no copy drawn there: one cell over the three rows, as the rules say
    plain = [rows[0], replace(rows[1], hidden=()), *rows[2:]]
    assert [r.cells[area] for r in spread_merged_cells(plain)][1] == "Ensure that audits happen"


def test_a_merged_cells_part_below_a_row_cut_is_not_read_twice():
    """A grid's reader gives a merged cell's text to each row it covers; where a row edge
    runs through the cell (the rest of a record the page cut, at the page's top), the row
    below the cut holds the lines from there down, the row under it the whole page's
    part: the part is inside the whole, one text, not two."""
    from actionplan.structure.rows import spread_merged_cells

    area = "area_for_improvement"
    whole = "safeguarding their schools\nevaluation of the services."
    rows = [Row({area: "evaluation of the \nservices.", "action": "a"}, (Piece(6, 1),)),
            Row({area: whole, "action": "b"}, (Piece(6, 2),), merged=(area,))]
    assert [r.cells[area] for r in spread_merged_cells(rows)] == [whole, whole]
    # two texts neither holds whole are two parts, both kept
    parts = [rows[0], replace(rows[1], cells={area: "safeguarding their schools", "action": "b"})]
    assert spread_merged_cells(parts)[0].cells[area].split("\n") == ["evaluation of the ", "services.",
                                                                      "safeguarding their schools"]


def test_a_merged_area_over_three_records_a_page_break_cuts_is_whole_in_each():
    """An area merged over records 4 to 7 and cut by the page after record 4's first line:
    record 4 (above the break) holds its first part, record 5 runs over the break, 6 and 7
    hold the rest. Every one of them takes the whole area, the first too."""
    from actionplan.structure.rows import rejoin_split_merged_cells

    area = "area_for_improvement"
    head, tail = "Ensure that police managers by", "evaluation of the services."
    rows = [Row({area: "Earlier area.", "action": "a"}, (Piece(5, 2),)),
            Row({area: head, "action": "b"}, (Piece(5, 3),)),
            Row({area: f"{head} safeguarding", "action": "c"}, (Piece(5, 4), Piece(6, 0))),
            Row({area: tail, "action": "d"}, (Piece(6, 1),)),
            Row({area: tail, "action": "e"}, (Piece(6, 2),))]
    got = [" ".join(r.cells[area].split()) for r in rejoin_split_merged_cells(rows)]
    assert got == ["Earlier area.", *[f"{head} safeguarding {tail}"] * 4]


def test_a_word_a_join_made_is_a_known_word_for_the_next_break():
    """"Accounta" / "ble" / "manager": the first break makes "Accountable", so the second
    meets a known word, not two fragments seen nowhere."""
    vocab = Vocabulary().with_words(["accountable"])
    assert join_lines("Accounta\nble\nmanager", vocab) == "Accountable manager"


def test_a_lead_wrapped_over_lines_of_a_text_table_names_a_lead_from_the_list():
    from actionplan.structure.roles import cell_evidence

    lines = ["Head of", "Fieldwork", "(KP)", "", "Director of", "Children's", "Services", "", "DCS", ""]
    cells = [Cell(t, (0, 700 - 10 * k, 40, 708 - 10 * k), None, (_ln(t, 2, 38, 708 - 10 * k),) if t else ())
             for k, t in enumerate(lines)]
    names = ["Head of Fieldwork (KP)", "Director of Children's Services", "DCS"]
    assert cell_evidence(cells, Vocabulary(), names).leads >= 0.6


def test_a_line_broken_before_an_apostrophes_ending_is_one_word():
    """A narrow spreadsheet column breaks "Children's" before its apostrophe."""
    assert join_lines("Director \nof \nChildren\n's \nServices", Vocabulary()) == "Director of Children's Services"
    assert join_lines("Children \n's Services", Vocabulary()) == "Children's Services"
    assert join_lines("Director of Children'\ns Services (DCS)", Vocabulary()) == "Director of Children's Services (DCS)"
    assert join_lines("the pupils'\nsafety", Vocabulary()) == "the pupils' safety"
    assert join_lines("rated \n'good' overall", Vocabulary()) == "rated 'good' overall"


def _sheet_row(rows: list[list[list[str]]], pitch: float = 10.0, gap: float = 4.0) -> list[Cell]:
    """A rules-free sheet's body stacked into one row of columns: each record a list of
    cells (each a list of lines), every cell set at the foot of its record's band."""
    xs = [(0, 30), (30, 250), (250, 350), (350, 400)]
    lines: list[list[TextLine]] = [[] for _ in xs]
    top = 700.0
    for record in rows:
        height = max(len(c) for c in record)
        foot = top - pitch * (height - 1)
        for c, cell in enumerate(record):
            for k, text in enumerate(cell):
                lines[c].append(_ln(text, xs[c][0] + 2, xs[c][1] - 2, foot + pitch * (len(cell) - 1 - k)))
        top = foot - pitch - gap
    return [Cell("\n".join(ln.text for ln in ls), (a, top, b, 702), None, tuple(ls)) for (a, b), ls in zip(xs, lines)]


def test_a_sheets_rows_set_at_their_foot_are_cut_after_each_number_not_before_it():
    """A spreadsheet's default: cells aligned to the bottom, no rules. Each record's
    number is on its last line; the lines above it are its own, not the record before's."""
    from actionplan.extractors.model import RawTable
    from actionplan.schemas.layout import DEFAULT_LAYOUT
    from actionplan.structure.evidence import cut_row
    from actionplan.structure.rows import row_cuts

    records = [[["1"], ["Audit the files", "and report to", "the board."], ["Head of", "Service"], ["A"]],
               [["2"], ["Train the team", "every month."], ["Principal", "Social", "Worker"], ["G"]],
               [["3"], ["Publish it."], ["Head of QA"], ["R"]]]
    row = _sheet_row(records)
    table = RawTable(1, (0, 600, 400, 702), [row], "stream")
    cuts = row_cuts(row, table, 0, DEFAULT_LAYOUT, pitch=10.0)
    parts = cut_row(row, sorted(cuts), settings=DEFAULT_LAYOUT)
    assert [p[0].text.strip() for p in parts] == ["1", "2", "3"]
    assert [p[1].text.split("\n")[0] for p in parts] == ["Audit the files", "Train the team", "Publish it."]
    assert [p[2].text.split("\n")[0] for p in parts] == ["Head of", "Principal", "Head of QA"]


def test_a_sheets_page_holding_one_number_set_at_its_rows_foot_is_cut_above_its_lines():
    """A spreadsheet's page with one record on it (or the rest of the record before, then one
    record): cells set at their foot or middle put the number on the row's last or middle
    line. Cut at the number, the lines above it went to the record before and every later
    field began mid-sentence (tuning seeds 11500069, 11700081)."""
    from actionplan.extractors.model import RawTable
    from actionplan.schemas.layout import DEFAULT_LAYOUT
    from actionplan.structure.rows import row_cuts

    alone = _sheet_row([[["7"], ["Audit the files", "and report to", "the board."], ["Principal", "Social", "Worker"],
                         ["A"]]])
    table = RawTable(1, (0, 600, 400, 702), [alone], "stream")
    assert row_cuts(alone, table, 0, DEFAULT_LAYOUT, pitch=10.0) == {}
    rest = _sheet_row([[[], ["of the plan before.", "It ends here."], [], []],
                       [["8"], ["Train the team", "every month", "and report."], ["Head of", "Service"], ["G"]]])
    table = RawTable(1, (0, 600, 400, 702), [rest], "stream")
    assert row_cuts(rest, table, 0, DEFAULT_LAYOUT, pitch=10.0) == {2: "item number"}


def test_an_area_set_across_the_edge_between_two_rows_is_one_merged_cell():
    """A spreadsheet's area merged over two records and centred, with no rule or band edge in
    its column: its first lines print at the foot of the upper row, the rest at the top of the
    lower, one line's pitch apart, mid-sentence. Read row by row, each record had half of it
    (tuning seeds 11700003, 11700114, silent)."""
    from actionplan.structure.plans import area_across_row_edges

    def row(top: float, foot: float, area: list[tuple[str, float]], action: str) -> list[Cell]:
        lines = tuple(_ln(t, 42, 140, y) for t, y in area)
        return [Cell("1", (0, foot, 40, top), None, (_ln("1", 2, 10, top - 2),)),
                Cell("\n".join(t for t, _ in area), (40, foot, 150, top), None, lines),
                Cell(action, (150, foot, 300, top), None, (_ln(action, 152, 290, top - 2),))]

    names = ["item", "area_for_improvement", "action"]
    upper = row(700, 660, [("Ensure that the team", 672), ("reviews each case", 662)], "Audit the files.")
    lower = row(660, 620, [("and reports on it.", 652)], "Train the team.")
    assert list(area_across_row_edges([upper, lower], names)) == [1]
    # a sentence ended above, or a new text starting afresh: two cells
    ended = row(660, 620, [("Reports on it.", 652)], "Train the team.")
    assert area_across_row_edges([upper, ended], names) == {}
    apart = row(660, 620, [("and reports on it.", 640)], "Train the team.")
    assert area_across_row_edges([upper, apart], names) == {}


def test_a_sheets_rows_set_at_their_top_are_still_cut_at_each_number():
    from actionplan.extractors.model import RawTable
    from actionplan.schemas.layout import DEFAULT_LAYOUT
    from actionplan.structure.rows import aligned_number_cuts, row_cuts

    xs = [(0, 30), (30, 250), (250, 350)]
    texts = [[["1"], ["Audit the files", "and report", "to the board."], ["Head of", "Service"]],
             [["2"], ["Train the team."], ["Principal", "Social Worker"]]]
    lines: list[list[TextLine]] = [[] for _ in xs]
    top = 700.0
    for record in texts:
        for c, cell in enumerate(record):
            for k, text in enumerate(cell):
                lines[c].append(_ln(text, xs[c][0] + 2, xs[c][1] - 2, top - 10 * k))
        top -= 10 * max(len(c) for c in record) + 4
    row = [Cell("\n".join(ln.text for ln in ls), (a, 600, b, 702), None, tuple(ls)) for (a, b), ls in zip(xs, lines)]
    assert aligned_number_cuts(row, 0, {0, 3}, DEFAULT_LAYOUT, 10.0) is None
    assert row_cuts(row, RawTable(1, (0, 600, 350, 702), [row], "stream"), 0, DEFAULT_LAYOUT,
                    pitch=10.0) == {3: "item number"}


def test_a_text_tables_last_row_with_two_cells_run_into_one_line_stays_in_the_table():
    """A date and a rating beside it read as one line cross a column edge; the row's other
    lines keep to the columns, so it is the table's last row, not a note under it."""
    from actionplan.schemas.layout import DEFAULT_LAYOUT
    from actionplan.structure.columns import table_end
    from actionplan.structure.headers import Grid

    grid = Grid((40.0, 150.0, 250.0, 300.0, 330.0), 0.0, 500.0)
    body = [[_ln("1.1", 2, 20, 700), _ln("Audit the", 42, 120, 700), _ln("Head of", 152, 200, 700),
             _ln("May 2019", 252, 290, 700), _ln("Report", 332, 380, 700)],
            [_ln("files.", 42, 80, 690), _ln("Service", 152, 200, 690), _ln("June 2019 R", 252, 318, 690),
             _ln("monthly.", 332, 380, 690)]]
    assert table_end(body, 0, grid, lambda cells: False, DEFAULT_LAYOUT) == (2, "the foot of the page")
    note = [*body, [_ln("Key: R = off track, A = some slippage, G = on track", 2, 400, 670)]]
    assert table_end(note, 0, grid, lambda cells: False, DEFAULT_LAYOUT)[0] == 2


def test_a_merged_cells_line_the_page_break_cuts_through_is_read_once():
    """Calc draws the line a page break cuts through on both pages, each clipped to its
    part: printed last above the break and first below, it is one line."""
    from actionplan.structure.rows import join_across_break

    assert join_across_break("Ensure that the\nreview of officers", "review of officers\nreports monthly.") == (
        "Ensure that the\nreview of officers\nreports monthly.")
    assert join_across_break("Audit the files", "and report.") == "Audit the files\nand report."
    assert join_across_break("Audit\nDone", "Done\nlater") == "Audit\nDone\nDone\nlater"  # one word: may repeat


def test_a_merged_area_running_on_past_the_rest_of_a_record_cut_by_the_break_is_one_area():
    """The merged area's lines at the next page's top sit above the first number there:
    they join the record above (its rest), and the area runs on into the rows below."""
    from actionplan.structure.rows import rejoin_split_merged_cells

    area = "area_for_improvement"
    rows = [Row({area: "Ensure that care is\nreviewed by the", "action": "a\nb"}, (Piece(3, 4), Piece(4, 0))),
            Row({area: "board every month.", "action": "c"}, (Piece(4, 1),)),
            Row({area: "board every month.", "action": "d"}, (Piece(4, 2),))]
    got = [r.cells[area] for r in rejoin_split_merged_cells(rows)]
    assert got == ["Ensure that care is\nreviewed by the\nboard every month."] * 3


def test_a_section_row_left_alone_at_a_pages_foot_stays_in_the_table_that_goes_on():
    """A word processor keeps a section row with the page it falls on, its actions on the
    next: the line running across the columns at the foot is the table's, not a note; a
    note ("Note: ...") and a page whose table goes no further are not."""
    from actionplan.structure.columns import _section_at_foot
    from actionplan.structure.headers import Grid

    grid = Grid((40.0, 200.0, 300.0), 0.0, 360.0)
    section = [[_ln("2. Ensure that reviews happen every month and are recorded", 2, 330, 120)]]
    next_page = [[_ln("2.1", 2, 20, 700), _ln("Audit the files", 42, 150, 700)]]
    assert _section_at_foot(section, grid, next_page, None, "", DEFAULT_LAYOUT)
    note = [[_ln("Note: reviews happen every month and are recorded by the board", 2, 330, 120)]]
    assert not _section_at_foot(note, grid, next_page, None, "", DEFAULT_LAYOUT)
    assert not _section_at_foot(section, grid, None, None, "", DEFAULT_LAYOUT)  # the last page
    indented = [[_ln("Signed by the chair of the improvement board", 120, 330, 120)]]
    assert not _section_at_foot(indented, grid, next_page, None, "", DEFAULT_LAYOUT)
    # a browser centres the first heading ("ID") right of where the rows start, flush with
    # the table's edge: the grid's left edge is the heading's, the section row starts left of it
    centred = Grid((60.0, 200.0, 300.0), 30.0, 360.0)
    assert not _section_at_foot(section, centred, next_page, None, "", DEFAULT_LAYOUT)
    assert _section_at_foot(section, centred, next_page, None, "", DEFAULT_LAYOUT, left=2.0)
    # a section's <th> padded less than the body's cells starts a little left of every row
    assert _section_at_foot(section, grid, next_page, None, "", DEFAULT_LAYOUT, left=5.0)


def test_a_text_tables_area_stops_above_a_footer_set_close_under_its_last_line():
    """A word processor sets "Page 4 of 20" so close under the table that the lines' boxes
    overlap; the reader takes a line whose middle is near its area, so the area ends above
    the footer's middle (seen in the sweep: the footer became a section, then a lead)."""
    from actionplan.extractors.furniture import furniture_key_of
    from actionplan.structure.columns import _READER_SLACK, _above_footer

    last = _ln("review review strategy procedures", 476, 613, 52.3, size=10.0)
    footer = _ln("Page 4 of 20", 396, 446, 45.2, size=10.0)
    box = (52.0, 527.0, 775.0, 41.3)
    _, _, _, bottom = _above_footer(box, [[last]], [last, footer], {furniture_key_of(footer)})
    assert 40.2 + _READER_SLACK < bottom < 47.3 - _READER_SLACK + 0.01  # the footer's middle out, the line's in
    assert _above_footer(box, [[last]], [last, footer], set()) == box  # no furniture: as it was


def test_a_row_that_is_a_footer_the_columns_cut_is_page_furniture():
    from actionplan.extractors.furniture import furniture_key
    from actionplan.structure.plans import _is_furniture_row

    furniture = {furniture_key("Page 1 of 20")}
    row = [Cell("", (0, 30, 390, 50)), Cell("Page 4 of 2", (390, 30, 441, 50), None, (_ln("Page 4 of 2", 396, 441.2, 45),)),
           Cell("0", (441, 30, 500, 50), None, (_ln("0", 441.2, 446, 45),))]
    assert _is_furniture_row(row, furniture)
    # the same words in a record's cells over two lines, or beside other text, are the record's
    other = [Cell("Page 4 of 2", (390, 30, 441, 50), None, (_ln("Page 4 of 2", 396, 441.2, 45),)),
             Cell("0 reviews", (441, 30, 500, 50), None, (_ln("0 reviews", 441.2, 480, 45),))]
    assert not _is_furniture_row(other, furniture)


def test_a_header_read_with_a_body_line_under_it_is_still_the_plans_header_again():
    """A header's last line may take the first body words with it on one page and not on
    another (seen in the sweep: a section row at a page's foot was then taken for a note,
    the next page's header being "another" header)."""
    from actionplan.structure.columns import same_header_text

    header = "no. key actions responsible lead timescale progress to date brag assurance route"
    assert same_header_text(header, header + " escalation that partnership")
    assert same_header_text(header + " practice police at", header + " programme cabinet is")
    assert not same_header_text(header, "id theme action lead by when status")
    assert not same_header_text("no. action lead", "no. action owner")


def test_a_cut_rows_rest_above_a_new_plans_title_keeps_the_columns_of_the_page_before():
    """A word processor breaks the first plan's last row over the page, and the second plan's
    title and header follow on the same page: the lines above the title are that row's rest
    (seen in the sweep: they were read as nothing, and the record lost its last lines)."""
    from actionplan.structure.columns import _rest_above
    from actionplan.structure.headers import Grid

    grid = Grid((40.0, 200.0, 300.0), 0.0, 360.0)
    rest = [[_ln("social.", 42, 70, 800), _ln("presented", 202, 240, 800), _ln("agencies outcomes", 302, 350, 800)],
            [_ln("engagement", 202, 250, 790), _ln("schools presented", 302, 355, 790)]]
    title = [[_ln("Part B: Health partners' action plan", 2, 250, 760, size=12.0)]]
    header = [[_ln("Ref", 2, 20, 740), _ln("Theme", 42, 80, 740), _ln("Action", 202, 240, 740),
               _ln("Lead", 302, 330, 740)]]
    found = _rest_above([*rest, *title, *header], 3, grid, DEFAULT_LAYOUT)
    assert found is not None and found[1] == grid.separators
    _, top, _, bottom = found[0]
    assert top >= 800 and 770 < bottom < 782  # the two rows, not the title
    # a page that opens with the title, or with prose across the columns, has no rest
    assert _rest_above([*title, *header], 1, grid, DEFAULT_LAYOUT) is None
    prose = [[_ln("The board agreed this plan in May and reviews it every month with partners.", 2, 350, 800)]]
    assert _rest_above([*prose, *title, *header], 2, grid, DEFAULT_LAYOUT) is None
    # a row cut at the page before's foot may go on in its longest cells only: two columns
    # of it are its rest where the page before ran to its foot (seen in the sweep, seed
    # 11000118: the record lost its last lines above a new plan's note, key and title)
    two = [[_ln("managers.", 42, 80, 800), _ln("workforce strengthen", 302, 355, 800)],
           [_ln("assessment evidence", 302, 355, 790)]]
    assert _rest_above([*two, *title, *header], 2, grid, DEFAULT_LAYOUT) is None
    found = _rest_above([*two, *title, *header], 2, grid, DEFAULT_LAYOUT, 1)
    assert found is not None and 780 < found[0][3] < 792
    # a short title fits inside one column: set larger than the table's text, it is still
    # the title, not the rest's last line (seen in the sweep, seed 11100060: the record
    # ended "... programme audit. Care Leavers Action Plan")
    short = [[_ln("Care Leavers Plan", 202, 290, 760, size=12.0)]]
    found = _rest_above([*rest, *short, *header], 3, grid, DEFAULT_LAYOUT)
    assert found is not None and 770 < found[0][3] < 782


def test_the_top_of_a_cut_row_under_the_repeated_header_is_the_rows_not_the_headers():
    """A word processor repeats the header on the next page; the cut row's last line
    ("impact.") sits right under it. It is the record's text, not a second header line,
    though "impact" is a heading word."""
    from actionplan.extractors.model import Document, RawTable
    from actionplan.structure import find_structure
    from actionplan.structure.headers import Synonyms

    xs = [(0, 40), (40, 240), (240, 340), (340, 400)]
    header = ["No.", "Action", "Lead", "Position at review"]

    def row(texts: list[str], top: float) -> list[Cell]:
        return [Cell(t, (a, top - 20, b, top), None, (_ln(t, a + 2, b - 2, top - 2),) if t else ())
                for t, (a, b) in zip(texts, xs)]

    first = RawTable(1, (0, 600, 400, 760), [row(header, 760), row(["1", "Audit the files", "Head of X",
                                                                    "Files audited, with"], 740)], "lattice")
    second = RawTable(2, (0, 600, 400, 760), [row(header, 760), row(["", "", "", "impact."], 740),
                                              row(["2", "Train the staff", "Head of Y", "Under way"], 720)],
                      "lattice")
    found = find_structure(Document([PageContent(1, 595, 842, tables=[first]),
                                     PageContent(2, 595, 842, tables=[second])]), Synonyms.load())
    plan = found.plans[0]
    assert [r.get("item") for r in plan.rows] == ["1", "2"]
    assert plan.rows[0].get(plan.column_names()[3]).split() == ["Files", "audited,", "with", "impact."]


def test_text_under_a_repeated_header_in_the_same_row_is_kept_for_the_row():
    from actionplan.structure.rows import _below_header

    headers = ["No.", "Action", "Timescale"]
    row = Row({"item": "No.", "action": "Action\nand review.", "by_when": "Timescal\ne"}, (Piece(3, 0),))
    rest = _below_header(row, headers)
    assert rest is not None and rest.cells == {"item": "", "action": "and review.", "by_when": ""}
    assert _below_header(Row({"item": "No.", "action": "Action", "by_when": "Timescale"}, (Piece(3, 0),)),
                         headers) is None  # all header
    assert _below_header(Row({"item": "No.", "action": "Actoin", "by_when": "Timescale"}, (Piece(3, 0),)),
                         headers) is None  # misread: not parted


def test_rows_a_missed_rule_leaves_unparted_keep_their_own_numbers():
    """No rule between two rows in a column reads as one cell over both; where both rows
    print a number of their own in the item column, they are two rows (a border side the
    producer left out), and an item number is never given to the row above it."""
    from actionplan.structure.rows import spread_merged_cells

    rows = [Row({"item": "", "lead": "", "action": "the rest"}, (Piece(2, 0),)),
            Row({"item": "1.2a", "lead": "DCS", "action": "Audit"}, (Piece(2, 1),), merged=("item",)),
            Row({"item": "2.2a", "lead": "Head of X", "action": "Train"}, (Piece(2, 2),), merged=("item",)),
            Row({"item": "2.2b", "lead": "", "action": "Review"}, (Piece(2, 3),), merged=("item", "lead"))]
    got = spread_merged_cells(rows)
    assert [r.cells["item"] for r in got] == ["", "1.2a", "2.2a", "2.2b"]
    assert [r.cells["lead"] for r in got] == ["", "DCS", "Head of X", "Head of X"]


def test_print_titles_over_a_later_plans_page_continue_that_plan():
    """A sheet's print titles are its first plan's title and header, printed at the top of
    every page, over a second plan's pages too: those pages go on with the second plan."""
    from actionplan.extractors.model import Document, RawTable
    from actionplan.structure import find_structure
    from actionplan.structure.headers import Synonyms

    xs = [(0, 40), (40, 240), (240, 340), (340, 400)]
    first_header = ["No.", "Action", "Lead", "By when"]
    second_header = ["Ref", "What we will do", "Owner", "Deadline"]

    def row(texts: list[str], top: float) -> list[Cell]:
        return [Cell(t, (a, top - 20, b, top), None, (_ln(t, a + 2, b - 2, top - 2),) if t else ())
                for t, (a, b) in zip(texts, xs)]

    def table(page: int, top: float, header: list[str], items: list[str]) -> RawTable:
        rows = [row(header, top)] + [row([i, f"Action {i} is done", "Head of X", "June 2015"], top - 20 * (k + 1))
                                     for k, i in enumerate(items)]
        return RawTable(page, (0, top - 20 * len(rows), 400, top), rows, "lattice")

    def title(text: str, top: float) -> TextLine:
        return _ln(text, 0, 300, top, size=14)

    pages = [PageContent(1, 595, 842, tables=[table(1, 760, first_header, ["1", "2"])],
                         lines=[title("Children's Services Improvement Plan", 800)]),
             PageContent(2, 595, 842, tables=[table(2, 760, first_header, ["3"]),
                                              table(2, 560, second_header, ["1"])],
                         lines=[title("Children's Services Improvement Plan", 800), title("Early Help Plan", 600)]),
             PageContent(3, 595, 842, tables=[table(3, 760, first_header, ["2", "3"])],
                         lines=[title("Children's Services Improvement Plan", 800)])]
    found = find_structure(Document(pages), Synonyms.load())
    assert [(p.title, [r.get("item") for r in p.rows]) for p in found.plans] == [
        ("Children's Services Improvement Plan", ["1", "2", "3"]), ("Early Help Plan", ["1", "2", "3"])]


def test_a_blank_merged_run_opening_a_page_continues_the_cell_above_where_merged_cells_print_at_their_top():
    """A word processor prints a vertically merged cell's text once, in its first row; the
    rows it covers on the next page are blank, with no copy drawn out of sight. Where the
    plan's other merged cells print their text in their first row, the blank run at a page's
    top is the cell above going on, not the cell printed on the page after."""
    from actionplan.structure.rows import spread_merged_cells

    area = "area_for_improvement"
    rows = [Row({area: "Ensure that plans are kept", "action": "a"}, (Piece(4, 0),)),
            Row({area: "", "action": "b"}, (Piece(4, 1),), merged=(area,)),
            Row({area: "Ensure that the board reviews", "action": "c"}, (Piece(4, 2),)),
            Row({area: "", "action": "d"}, (Piece(5, 0),)),
            Row({area: "", "action": "e"}, (Piece(5, 1),), merged=(area,)),
            Row({area: "Ensure that staff are trained", "action": "f"}, (Piece(6, 0),)),
            Row({area: "", "action": "g"}, (Piece(6, 1),), merged=(area,))]
    got = [r.cells[area] for r in spread_merged_cells(rows)]
    assert got[3:5] == ["Ensure that the board reviews"] * 2
    assert got[0:2] == ["Ensure that plans are kept"] * 2


def test_two_headings_run_together_over_one_column_are_flagged():
    """A spreadsheet's rating column shows its ratings by colour alone: no text, so no gap
    parts its heading from the next ("BRAG" + "Position at review"), and the plan reads with
    no rating column, every rating lost (sweep seed 11500075, silent)."""
    from actionplan.structure.headers import Synonyms
    from actionplan.structure.roles import _headings_run_together

    headers = ("ID", "Planned activity", "BRAG Position at review")
    got = _headings_run_together(headers, ("item", "action", "progress"), Synonyms.load(), 1)
    assert [(i.code, i.field) for i in got] == [("column-ambiguous", "rag")]
    # the rating has a column of its own: one heading, nothing run together
    assert _headings_run_together((*headers, "RAG"), ("item", "action", "progress", "rag"), Synonyms.load(), 1) == []
    # a heading that is one field's spelling whole is not two, nor one naming two things
    for heading, read in (("Lead officer", "lead"), ("Progress rating", "rag"), ("Progress and evidence", "progress"),
                          ("Progress Rating", "rag")):
        assert _headings_run_together((heading,), (read,), Synonyms.load(), 1) == [], heading


def test_a_heading_naming_two_fields_read_as_one_while_the_other_has_no_column_is_flagged():
    from actionplan.structure.headers import ColumnMap, HeadingWords, Synonyms
    from actionplan.structure.roles import assign_roles

    def column(texts: list[str], x: float) -> list[Cell]:
        return [Cell(t, (x, 700 - 20 * k, x + 100, 712 - 20 * k), None, (_ln(t, x + 2, x + 90, 710 - 20 * k),))
                for k, t in enumerate(texts)]

    prose = [f"Programme {k} approved families referrals strengthen analysis impact assurance reports" for k in "abcd"]
    action = [f"Audit the cases {k} and report to the board each quarter with the findings" for k in "abcd"]
    rows = [list(r) for r in zip(column(action, 0), column(prose, 100))]
    cmap = ColumnMap(("Action to be taken", "How progress will be checked"), ("action", None), (100.0, 0.0))
    _, issues, _ = assign_roles(cmap, rows, Synonyms.load(), HeadingWords.load(), Vocabulary(), 3)
    assert [i.code for i in issues] == ["column-ambiguous"]
    # a plan with a column of each: no guess to report
    both = ColumnMap(("How progress will be checked", "Progress"), (None, "progress"), (0.0, 100.0))
    _, issues, _ = assign_roles(both, rows, Synonyms.load(), HeadingWords.load(), Vocabulary(), 3)
    assert issues == []


def test_a_heading_kept_with_its_table_over_the_tables_top_rule_is_text_above_it():
    """A word processor keeps a heading with the table under it: its descenders reach over
    the table's top rule, and it is still the title of the plan that starts there."""
    from actionplan.extractors.model import RawTable
    from actionplan.structure.plans import _lines_above

    table = RawTable(16, (40, 100, 750, 500), [], "lattice")
    heading = TextLine("Section 2: Education, health and care partnership actions", (60, 498, 470, 512), 14.0)
    inside = TextLine("27. (63,", (42, 480, 80, 490), 8.0)
    page = PageContent(16, 842, 595, tables=[table], lines=[heading, inside])
    assert _lines_above(page, table, set(), DEFAULT_LAYOUT) == [heading]


def test_a_header_under_a_title_that_ended_the_page_before_is_a_new_tables():
    """A web page prints its second plan under a title at the foot of the first plan's last
    page; the next page opens with the second plan's header (other columns) above a ruled
    sign-off. That header was taken for body text "reading like a header" on a page the
    first plan goes on, and the page, holding a ruled table, was then left unread: a whole
    plan gone, and no warning (sweep seed 11500083)."""
    from actionplan.extractors.model import Document, RawTable
    from actionplan.structure.columns import locate_text_tables
    from actionplan.structure.headers import PlanHeaderTest, Synonyms

    def line(texts: list[str], cols: list[tuple[int, int]], top: float) -> list[TextLine]:
        return [_ln(t, a, min(b, a + 5 * len(t)), top) for t, (a, b) in zip(texts, cols) if t]

    one = [(40, 70), (80, 260), (270, 420), (430, 520)]
    page1 = line(["No.", "Action", "Lead", "Due date"], one, 780)
    for k in range(8):
        page1 += line([str(k + 1), f"Audit the files of team {k}", "Head of Service", "May 2018"], one, 760 - 40 * k)
        page1 += line(["", "and report to the board", "", ""], one, 750 - 40 * k)
    page1.append(TextLine("Recommendations for the partnership", (40, 60, 300, 74), 14.0))
    two = [(40, 70), (80, 200), (210, 330), (340, 420), (430, 520)]
    page2 = line(["No.", "Priority", "Actions to address", "Named lead", "Timescale"], two, 800)
    for k in range(6):
        page2 += line([f"{k + 1}.", f"Ensure that team {k}", f"Review the cases of {k}", "Head of LAC", "May 2019"],
                      two, 780 - 40 * k)
        page2 += line(["", "is supported", "every month", "", ""], two, 770 - 40 * k)
    signoff = RawTable(2, (40, 200, 300, 300), [[Cell("Signed off by", (40, 200, 300, 300))]], "lattice")
    document = Document([PageContent(1, 595, 842, lines=page1, n_chars=900),
                         PageContent(2, 595, 842, tables=[signoff], lines=page2, n_chars=600)])
    requests, _ = locate_text_tables(document, PlanHeaderTest(Synonyms.load(), DEFAULT_LAYOUT), DEFAULT_LAYOUT)
    on = {r.page: r for r in requests}
    assert 2 in on and on[2].columns is not None and len(on[2].columns) == 4
    assert on[2].area is not None and on[2].area[1] >= 800  # from its header, at the page's top


def test_a_page_printing_a_plan_header_no_plan_was_read_from_is_flagged():
    """However the text tables were located, a page whose text holds a plan's header with
    rows under it, and that no plan was read from, lost its records: never in silence."""
    from actionplan.extractors.model import Document
    from actionplan.structure.columns import headers_left_unread
    from actionplan.structure.headers import PlanHeaderTest, Synonyms

    cols = [(40, 70), (80, 260), (270, 420), (430, 520)]
    lines = [_ln(t, a, a + 5 * len(t), 780) for t, (a, _) in zip(["No.", "Action", "Lead", "Due date"], cols)]
    for k in range(4):
        lines += [_ln(t, a, a + 5 * len(t), 760 - 20 * k)
                  for t, (a, _) in zip([str(k + 1), f"Audit team {k}", "Head of Service", "May 2018"], cols)]
    document = Document([PageContent(1, 595, 842, lines=lines, n_chars=400)])
    test = PlanHeaderTest(Synonyms.load(), DEFAULT_LAYOUT)
    assert [i.code for i in headers_left_unread(document, set(), test, DEFAULT_LAYOUT)] == ["table-left-out"]
    assert headers_left_unread(document, {1}, test, DEFAULT_LAYOUT) == []
    # a header with no rows under it (a key's heading, a contents line) is no lost table
    alone = Document([PageContent(1, 595, 842, lines=lines[:4], n_chars=40)])
    assert headers_left_unread(alone, set(), test, DEFAULT_LAYOUT) == []


def test_a_plans_rows_on_a_headerless_page_after_one_with_a_ruled_key_are_still_read():
    """A web page prints a ruled key beside the plan's first rows, and the plan's last rows
    on the next page above a ruled table of milestones, with no header repeated. The page
    before holding a ruled table made this page's rows nobody's (seen in the sweep, seed
    11000125: two records gone, and no warning)."""
    from actionplan.extractors.model import Document, RawTable
    from actionplan.structure.columns import locate_text_tables
    from actionplan.structure.headers import PlanHeaderTest, Synonyms

    cols = [(40, 70), (80, 260), (270, 420), (430, 520)]

    def line(texts: list[str], top: float) -> list[TextLine]:
        return [_ln(t, a, min(b, a + 5 * len(t)), top) for t, (a, b) in zip(texts, cols) if t]

    key = RawTable(1, (40, 700, 300, 800), [[Cell("Red", (40, 700, 300, 800))]], "lattice")
    page1 = [*line(["No.", "Action", "Lead", "Due date"], 680)]
    for k in range(8):
        page1 += line([str(k + 1), f"Audit the files of team {k}", "Head of Service", "May 2018"], 660 - 40 * k)
        page1 += line(["", "and report to the board", "", ""], 650 - 40 * k)
    page2 = []
    for k in range(8, 11):
        page2 += line([str(k + 1), f"Train the staff of team {k}", "Head of Service", "June 2018"], 800 - 40 * (k - 8))
        page2 += line(["", "and review the training", "", ""], 790 - 40 * (k - 8))
    milestones = RawTable(2, (40, 300, 520, 500), [[Cell("Milestone", (40, 300, 520, 500))]], "lattice")
    document = Document([PageContent(1, 595, 842, tables=[key], lines=page1, n_chars=900),
                         PageContent(2, 595, 842, tables=[milestones], lines=page2, n_chars=400)])
    requests, _ = locate_text_tables(document, PlanHeaderTest(Synonyms.load(), DEFAULT_LAYOUT), DEFAULT_LAYOUT)
    on = {r.page: r for r in requests}
    assert 2 in on and on[2].columns is not None and on[2].keep_ruled
    assert on[2].area is not None and on[2].area[1] >= 700  # its rows, at the page's top


def test_a_second_plan_under_its_own_title_on_a_page_with_a_ruled_key_is_read():
    """A web page prints the first plan's last rows, then the second plan's title and
    header, then a ruled key of the ratings under it: a page holding a ruled table read no
    second header (sweep seed 12000038: the second plan's 7 records gone, flagged only as
    words not placed)."""
    from actionplan.extractors.model import Document, RawTable
    from actionplan.structure.columns import locate_text_tables
    from actionplan.structure.headers import PlanHeaderTest, Synonyms

    cols = [(40, 70), (80, 260), (270, 420), (430, 520)]

    def line(texts: list[str], top: float) -> list[TextLine]:
        return [_ln(t, a, min(b, a + 5 * len(t)), top) for t, (a, b) in zip(texts, cols) if t]

    page = [*line(["No.", "Action", "Lead", "Due date"], 800)]
    for k in range(4):
        page += line([str(k + 1), f"Audit the files of team {k}", "Head of Service", "May 2018"], 780 - 30 * k)
        page += line(["", "and report to the board", "", ""], 770 - 30 * k)
    page.append(TextLine("Recommendations for the partnership", (40, 640, 300, 654), 14))
    page += line(["Ref", "Actions to address", "Led by", "By when"], 620)
    for k in range(4):
        page += line([str(k + 1), f"Train the staff of team {k}", "Head of Service", "June 2018"], 600 - 30 * k)
        page += line(["", "and review the training", "", ""], 590 - 30 * k)
    key = RawTable(1, (40, 300, 300, 400), [[Cell("Red", (40, 300, 300, 400))]], "lattice")
    document = Document([PageContent(1, 595, 842, tables=[key], lines=page, n_chars=1200)])
    requests, _ = locate_text_tables(document, PlanHeaderTest(Synonyms.load(), DEFAULT_LAYOUT), DEFAULT_LAYOUT)
    assert len(requests) == 1 and len(requests[0].more) == 1
    box = requests[0].more[0][0]
    assert box[1] >= 600 and box[3] > 400  # the second plan's rows, above the key


def test_columns_a_header_over_only_a_section_row_placed_move_to_where_the_next_pages_text_starts():
    """A browser centres each heading; the gaps between headings part the columns right of
    where their flush-left text starts. With no row under the header on its page (only a
    section row, then a row kept whole on the next page), the next page's starts place the
    edges, though that page's own section row runs across them all (tuning seed 11700098:
    every lead and progress line cut mid-word)."""
    from actionplan.structure.columns import _snap_to_starts
    from actionplan.structure.headers import Grid

    grid = Grid((100.0, 200.0), 0.0, 400.0)
    body = [[_ln("1.1", 2, 20, 700 - 10 * k), _ln("Audit the files", 92, 170, 700 - 10 * k),
             _ln("Children officers", 190, 300, 700 - 10 * k)] for k in range(4)]
    section = [[_ln("Ensure that the board reviews each case in time", 2, 380, 650)]]
    moved = _snap_to_starts(grid, [*body, *section], DEFAULT_LAYOUT)
    assert moved is not None
    assert [round(x) for x in moved.separators] == [round(92 - DEFAULT_LAYOUT.text_column_lead),
                                                     round(190 - DEFAULT_LAYOUT.text_column_lead)]


def test_rows_set_in_their_middle_are_cut_between_them_above_a_section_row_wrapped_in_the_item_column():
    """A web page's rows set in their middle, then a section row whose three lines the
    columns cut, a piece of each in the item column ("Ensure", "develop", "reviewin"). The
    section's first line, where its fill starts a row, was known to be no label; its other
    lines were taken for one, and the rows were cut at each number, the lines above a number
    given to the record before (tuning seed 11700098)."""
    from actionplan.structure.rows import aligned_number_cuts

    xs = [(0, 30), (30, 250), (250, 350), (350, 400)]
    placed = {0: [("2.2", 680), ("2.3", 622), ("Ensure", 590), ("develop", 580), ("reviewin", 570)],
              1: [(f"Action line {k}", 700 - 10 * k) for k in range(5)] + [("Train", 632), ("the", 622), ("team.", 612),
                                                                          ("that the board", 590), ("thresholds", 580),
                                                                          ("and completed", 570)],
              2: [("Head of", 690), ("Looked After", 680), ("Children", 670), ("PSW", 622)],
              3: [("A", 680), ("G", 622)]}
    row = []
    for c, (a, b) in enumerate(xs):
        lines = tuple(_ln(t, a + 2, b - 2, y) for t, y in placed[c])
        row.append(Cell("\n".join(ln.text for ln in lines), (a, 560, b, 702), None, lines))
    got = aligned_number_cuts(row, 0, {2, 6}, DEFAULT_LAYOUT, 10.0, {8})
    assert got == (0, [5])  # 2.2's row from the top, 2.3's from its first line


def test_a_running_head_clear_on_a_portrait_page_is_furniture_crowded_over_landscape_headers():
    """A Writer document's introduction on portrait pages, its plan on landscape ones: the
    running head ("OFFICIAL") sits as far below each page's top on both, so lower up the
    landscape page. Clear of the text only on the portrait page, it was read into the plan's
    header there as a column (tuning seed 11500112, refused)."""
    from actionplan.extractors.furniture import find_furniture

    def page(n: int, portrait: bool) -> PageContent:
        height, width = (842, 595) if portrait else (595, 842)
        head = TextLine("OFFICIAL", (width - 76, height - 47, width - 36, height - 38), 8)
        if portrait:
            below = [TextLine("1. Introduction", (36, height - 88, 123, height - 74), 12)]
        else:  # the header row right under it
            below = [TextLine(t, (36 + 120 * k, height - 58, 90 + 120 * k, height - 49), 8)
                     for k, t in enumerate(["Ref", "Action to be taken", "Lead person", "Progress update"])]
        return PageContent(n, width, height, lines=[head, *below, TextLine("Body", (40, 300, 90, 308), 8)])

    pages = [page(1, True), *(page(n, False) for n in range(2, 7))]
    assert "official" in find_furniture(pages)
    # never clear of the text, it is not (a sheet's print title may be such a line)
    assert "official" not in find_furniture(pages[1:])


def test_the_rest_of_a_row_under_a_repeated_text_header_is_body_though_it_starts_where_headings_start():
    """Writer repeats the header on each page; under it, the rest of the row the page broke:
    a few cells' lines, each starting where its heading starts. They were skipped as the
    header's wrapped lines, with the note and title below, and the next plan's rows fitted
    this plan's columns (tuning seed 11500112)."""
    from actionplan.structure.headers import below_header

    header = [_ln(t, x, x + 30, 500) for t, x in [("Ref", 36), ("Para", 69), ("Objective", 102), ("Action", 207),
                                                  ("Evidence", 353), ("Lead", 421), ("Target", 470),
                                                  ("Progress update", 506), ("Rating", 640), ("Monitoring", 692)]]
    wrapped = [_ln("person", 421, 450, 490), _ln("arrangements", 692, 750, 490)]
    rest = [_ln("Family", 421, 450, 480), _ln("social refreshed be agencies schools.", 506, 680, 480),
            _ln("strengthen workforce", 692, 780, 480)]
    assert below_header([header, wrapped, rest], 1) == [rest]
    assert below_header([header, wrapped, rest[:1]], 1) == []  # one short word: as a wrapped heading reads


def test_a_heading_that_opens_with_key_is_no_key_under_the_table():
    """"Key actions" heads a sheet's action column; read as a note ("Key: R = ..."), the line
    ended the table at its own header and the plan came out twice, the first empty (tuning
    seed 11500009). "Key:" and "Key –" still open a note."""
    from actionplan.structure.columns import table_end
    from actionplan.structure.headers import Grid

    grid = Grid((47.0, 229.0, 308.0, 368.0, 611.0, 648.0), 0.0, 700.0)
    rows = [[_ln("Actio", 19, 45, 499)],
            [_ln("Key actions", 49, 100, 493), _ln("Senior lead", 231, 280, 493), _ln("By When", 310, 350, 493),
             _ln("Position at review", 370, 450, 493), _ln("BRAG Oversight", 613, 690, 493)],
            [_ln("n ref", 19, 40, 487)],
            [_ln("1.1", 19, 30, 440), _ln("Drafted learning", 49, 200, 440), _ln("PSW", 231, 260, 440)]]
    assert table_end(rows, 0, grid, lambda cells: False, DEFAULT_LAYOUT)[0] == 4
    for label in ("Key: R = off track", "Key – ratings"):
        note = [*rows[2:], [_ln(label, 19, 400, 420)]]
        assert table_end(note, 0, grid, lambda cells: False, DEFAULT_LAYOUT)[0] == 2


def test_a_title_set_larger_under_a_tables_last_row_is_the_next_plans_not_a_section_row():
    """A web page's second plan: its title (an <h2>) and header alone at the page's foot,
    under the first plan's last row. The title runs across the columns from the first as a
    section row does, but it is set larger than the table's text: read as a section row,
    the second plan's rows went on the first's (tuning seed 11500071)."""
    from actionplan.structure.columns import _section_at_foot
    from actionplan.structure.headers import Grid

    grid = Grid((40.0, 200.0, 300.0), 0.0, 360.0)
    next_page = [[_ln("1", 2, 10, 700, 10), _ln("Audit the files", 42, 150, 700, 10)]]
    title = [[_ln("Local Safeguarding Children Board recommendations", 2, 330, 140, 14)]]
    assert not _section_at_foot(title, grid, next_page, None, "", DEFAULT_LAYOUT, body=10.0)
    same_size = [[_ln("Local Safeguarding Children Board recommendations", 2, 330, 140, 10)]]
    assert _section_at_foot(same_size, grid, next_page, None, "", DEFAULT_LAYOUT, body=10.0)


def test_a_ruled_pages_first_columns_no_rule_crosses_are_given_back_from_the_rules_down_the_page():
    """A browser's grid on a page where the first columns hold only an area merged down the
    page and the rows' numbers: no rule crosses them, so the reader's table starts at the
    first column one does, and the page was left out of the plan (tuning seed 11700095: 8
    of 21 records). The plan's first columns, ruled down the page, are given back, each
    row taking the text printed there."""
    from actionplan.structure.plans import Plan, _columns_left_off

    def cell(text: str, x0: float, x1: float, y0: float, y1: float) -> Cell:
        lines = (_ln(text, x0 + 2, x1 - 2, y1 - 2),) if text else ()
        return Cell(text, (x0, y0, x1, y1), None, lines)

    rows = [[cell("Audit the files", 200, 300, 600, 700), cell("PSW", 300, 400, 600, 700)],
            [cell("Train the team", 200, 300, 500, 600), cell("Head of LAC", 300, 400, 500, 600)]]
    table = RawTable(3, (200, 500, 400, 700), rows, "lattice")
    numbers = [_ln("1.2", 62, 80, 698), _ln("1.3", 62, 80, 598)]
    down = tuple((x, y0, y0 + 100) for x in (60, 100, 200, 300, 400) for y0 in (500, 600))
    page = PageContent(3, 595, 842, tables=[table], lines=numbers, vrules=down)
    plan = Plan(None, None, [100.0, 200.0, 300.0], [])
    got = _columns_left_off(table, page, plan, DEFAULT_LAYOUT)
    assert [[c.text.strip() for c in r] for r in got.rows] == [["1.2", "", "Audit the files", "PSW"],
                                                               ["1.3", "", "Train the team", "Head of LAC"]]
    assert got.separators() == [100.0, 200.0, 300.0]
    # without the rules down the page, nothing is given
    assert _columns_left_off(table, replace(page, vrules=down[4:]), plan, DEFAULT_LAYOUT) is table
    # nor where the reader read those columns as a table of their own (a sheet's numbers
    # beside an area merged down the page: tuning seed 11400003)
    numbers_table = RawTable(3, (60, 500, 100, 700), [[cell("1.2", 60, 100, 600, 700)]], "lattice")
    apart = replace(page, tables=[numbers_table, table], lines=[])
    assert _columns_left_off(table, apart, plan, DEFAULT_LAYOUT) is table
    # unless the plan's first columns are that table, ruled across, beside an area merged
    # down the page that no rule crosses: given back with it, its lines its cells' (sweep
    # seed 12000042: pages of a Calc grid read as two tables, neither a plan's: 7 of 14)
    numbers_table = RawTable(3, (60, 500, 100, 700), [[cell("1.2", 60, 100, 600, 700)],
                                                      [cell("1.3", 60, 100, 500, 600)]], "lattice")
    apart = replace(page, tables=[numbers_table, table], lines=[])
    got = _columns_left_off(table, apart, plan, DEFAULT_LAYOUT, beside=[numbers_table])
    assert [[c.text.strip() for c in r] for r in got.rows] == [["1.2", "", "Audit the files", "PSW"],
                                                               ["1.3", "", "Train the team", "Head of LAC"]]
    from actionplan.structure.plans import _first_columns_apart
    assert {k: v[0] for k, v in _first_columns_apart(apart, plan, DEFAULT_LAYOUT).items()} == {id(table): [numbers_table]}


def test_a_prefixed_numbers_last_digit_wrapped_under_it_is_one_item_number():
    """A sheet's narrow item column wraps "R10" as "R1" / "0": one number, not R1 and a row
    numbered 0 (tuning seed 11800015: R10 to R14 each read as R1 over a row of its own)."""
    from actionplan.structure.rows import item_levels

    item = Cell("R1\n0", (0, 600, 14, 700), None, (_ln("R1", 2, 12, 700), _ln("0", 2, 7, 690)))
    text = Cell("Ensure that", (14, 600, 200, 700), None, (_ln("Ensure that", 16, 80, 700),))
    assert item_levels([item, text], 0, DEFAULT_LAYOUT, pitch=10.0) == {0}
    apart = Cell("R1\nR2", (0, 600, 14, 700), None, (_ln("R1", 2, 12, 700), _ln("R2", 2, 12, 690)))
    assert item_levels([apart, text], 0, DEFAULT_LAYOUT, pitch=10.0) == {0, 1}


def test_a_repeated_headers_columns_are_the_plans_where_the_pages_lines_place_no_edge_better():
    """The plan's header again, word for word, over a page whose lines fit its own gaps and
    the plan's columns alike (a column of paragraph numbers all one width, "40." "43.", that
    says nothing of where its column starts): the plan's columns, not the gaps between its
    centred headings, which gave "4.2" and "40." one column (tuning seed 11600050)."""
    from actionplan.structure.columns import _fits_better
    from actionplan.structure.headers import Grid

    carried, own = Grid((68.0, 112.0), 30.0, 300.0), Grid((77.0, 112.0), 30.0, 300.0)
    body = [[_ln("4.2", 40, 52, 700 - 30 * k), _ln("40.", 69.6, 76.8, 700 - 30 * k),
             _ln("Ensure that", 114, 200, 700 - 30 * k)] for k in range(3)]
    assert _fits_better(carried, own, body, DEFAULT_LAYOUT)
    # where the page's lines cross the plan's edges and not its own, its own
    crossing = [[_ln("4.2", 40, 52, 700 - 30 * k), _ln("40. (113)", 66, 76.8, 700 - 30 * k)] for k in range(3)]
    assert not _fits_better(carried, own, crossing, DEFAULT_LAYOUT)


def test_a_pages_two_rows_each_take_the_copy_drawn_beyond_their_own_edge():
    """A spreadsheet page holding only two rows of two merged cells a page break cuts
    each (the one from the page before, the one going on to the next): Calc draws both
    cells' texts out of sight, one above the page's table, one below it. The first row
    takes the copy above its foot, the last the copy below its top (sweep seed 12000036:
    both rows took both copies, and the first took the next cell's paragraph, in silence)."""
    from actionplan.extractors.model import Cell, TextLine
    from actionplan.structure.plans import _hidden_over

    names = ["item", "inspection_para"]
    first = [Cell("10", (54, 327, 77, 494)), Cell("", (78, 327, 110, 494))]
    last = [Cell("11", (54, 222, 77, 316)), Cell("", (78, 222, 110, 316))]
    hidden = [TextLine("31.(68,", (78, 549, 105, 556), 7), TextLine("92)", (78, 541, 90, 548), 7),
              TextLine("33.(63,", (78, 108, 105, 115), 7), TextLine("152)", (78, 93, 94, 99), 7)]
    assert _hidden_over(first, names, hidden, first=True, last=False) == (("inspection_para", "31.(68, 92)"),)
    assert _hidden_over(last, names, hidden, first=False, last=True) == (("inspection_para", "33.(63, 152)"),)
    # a page of one row is both: it takes every copy over its column
    assert _hidden_over(first, names, hidden, first=True, last=True)[0][1].split() == [
        "31.(68,", "92)", "33.(63,", "152)"]
    assert _hidden_over(first, names, hidden, first=False, last=False) == ()  # a row between draws no copy


def test_a_copy_drawn_on_every_page_a_cell_crosses_takes_its_rows_though_not_every_row_holds_it():
    """A paragraph merged over pages: Calc draws its copy out of sight on each page the cell
    crosses, and a page's first row takes only what is drawn above its foot, its last only
    what is drawn below its top: on a page between, one row holds the copy, not each (sweep
    seed 11600117: the rows above took the paragraph above, flagged as copy-disagrees)."""
    from actionplan.structure.rows import spread_merged_cells

    para = "inspection_para"
    rows = [Row({para: "25 (142, 157)", "action": "a"}, (Piece(3, 0),)),
            Row({para: "", "action": "b"}, (Piece(4, 0),), hidden=((para, "25 (142, 157)"),)),
            Row({para: "", "action": "c"}, (Piece(4, 1),), hidden=((para, "26"),)),
            Row({para: "", "action": "d"}, (Piece(5, 0),)),
            Row({para: "", "action": "e"}, (Piece(5, 1),), hidden=((para, "26"),)),
            Row({para: "26", "action": "f"}, (Piece(6, 0),))]
    got = [r.cells[para] for r in spread_merged_cells(rows)]
    assert got[2:] == ["26"] * 4 and got[1] != "26"
    # a page between with no copy on it: the cell does not reach back over it
    bare = [*rows[:4], replace(rows[4], hidden=()), rows[5]]
    assert [r.cells[para] for r in spread_merged_cells(bare)][2] != "26"
