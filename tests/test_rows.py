"""Rows cut by page breaks, repeated headers, "same as above" cells, items and paragraphs."""

from __future__ import annotations

from dataclasses import replace

from actionplan.normalisers.fields import carry_down, split_inspection_para, split_item
from actionplan.normalisers.model import Piece, Row
from actionplan.normalisers.text import Vocabulary, clean_cell
from actionplan.structure.headers import ColumnMap
from actionplan.structure.rows import drop_empty_rows, drop_header_rows, merge_page_continuations

CMAP = ColumnMap(("No.", "Ofsted Para No", "Action", "By When"), ("item", "inspection_para", "action", "by_when"),
                 (100, 100, 100, 100))


def frame(rows):
    return [Row({"item": item, "inspection_para": para, "action": action, "by_when": when}, (Piece(page, 0),))
            for page, item, para, action, when in rows]


def column(rows, name):
    return [r.cells[name] for r in rows]


def test_fragment_at_top_of_next_page_merges_into_the_record_it_continues():
    df = frame([(1, "1.", "17.", "Direct work services are", "Nove"), (2, "", "", "being developed.", "mber 2015"),
                (2, "2.", "", "Next", "May 2016")])
    out = merge_page_continuations(df)
    assert column(out, "item") == ["1.", "2."]
    assert out[0].cells["action"] == "Direct work services are\nbeing developed."
    assert out[0].pages == [1, 2]
    vocab = Vocabulary.from_texts(["due in November"])
    assert clean_cell(out[0].cells["by_when"], vocab) == "November 2015"


def test_item_number_cut_by_a_page_break_is_not_a_new_record():
    df = frame([(1, "14", "", "Establish a", ""), (2, ".", "", "group", "")])
    out = merge_page_continuations(df)
    assert len(out) == 1 and split_item(clean_cell(out[0].cells["item"])) == "14"


def test_no_text_is_lost_or_duplicated_by_merging():
    df = frame([(1, "1.", "", "a b", "c"), (2, "", "", "d", ""), (3, "", "", "e", "f")])
    out = merge_page_continuations(df)
    assert out[0].cells["action"].split() == ["a", "b", "d", "e"] and out[0].cells["by_when"].split() == ["c", "f"]


def test_repeated_header_and_header_pieces_are_dropped_but_text_is_not():
    df = frame([(2, "No.", "Ofsted Para No", "Action", "By When"), (2, "", "Para No", "", ""),
                (2, "", "", "on.", ""), (3, "", "", "Action", "")])
    out = drop_header_rows(df, CMAP, Vocabulary())
    assert column(out, "action") == ["on.", "Action"]  # a lone word may end a cut cell: kept


def test_a_headings_last_mark_wrapped_onto_a_line_of_its_own_is_header_not_a_cell():
    """A narrow column wraps "By When?" before its "?"; where the header is printed again
    at a page's top, the reader takes the "?" line for the first body row."""
    cmap = ColumnMap(("No.", "Ofsted Para No", "Action", "By When?"), CMAP.fields, CMAP.scores)
    top = Row({"item": "", "inspection_para": "", "action": "", "by_when": "?"}, (Piece(2, 0),))
    lower = replace(top, pieces=(Piece(2, 3),))  # a "?" further down is a cell's own text
    out = drop_header_rows([top, *frame([(2, "3.", "", "Audit", "May")]), lower], cmap, Vocabulary())
    assert column(out, "item") == ["3.", ""]


def test_empty_rows_are_dropped():
    df = frame([(1, "", "", "", ""), (1, "1.", "", "x", "")])
    assert len(drop_empty_rows(df)) == 1


def test_blank_or_dash_cells_take_the_value_above():
    df = [Row({"inspection_para": p, "area_for_improvement": a}, (Piece(1, k),))
          for k, (p, a) in enumerate(zip(["17. (57)", "", "-", "18."], ["A", "", "–", "B"]))]
    out = carry_down(df, ["inspection_para", "area_for_improvement"])
    assert column(out, "inspection_para") == ["17. (57)", "17. (57)", "17. (57)", "18."]
    assert column(out, "area_for_improvement") == ["A", "A", "A", "B"]


def test_a_blank_area_opening_a_new_group_of_numbers_takes_its_groups_area_not_the_one_above():
    """A spreadsheet's area merged over a recommendation's actions and centred prints below
    the group's first row: "6.1" blank under "5.1" is group 6's area, printed at "6.2", not
    group 5's (tuning seeds 11700003, 11700114, silent)."""
    items = ["5.1", "6.1", "6.2", "6.3", "7", "8"]
    areas = ["Five", "", "Six", "", "", "Eight"]
    df = [Row({"item": i, "area_for_improvement": a}, (Piece(1, k),)) for k, (i, a) in enumerate(zip(items, areas))]
    out = carry_down(df, ["area_for_improvement"])
    assert column(out, "area_for_improvement") == ["Five", "Six", "Six", "Six", "Six", "Eight"]
    assert [("area_for_improvement" in r.carried) for r in out] == [False, True, False, True, True, False]
    # a group that prints nothing of its own goes on from above, as ever
    df = [Row({"item": i, "area_for_improvement": a}, (Piece(1, k),))
          for k, (i, a) in enumerate(zip(["1.1", "2.1", "2.2"], ["One", "", ""]))]
    assert column(carry_down(df, ["area_for_improvement"]), "area_for_improvement") == ["One"] * 3


def test_an_item_number_a_page_break_cut_after_its_word_joins_the_record_above():
    """"Action" at a page's foot, "1" atop the next: one number, Action 1 (tuning seed
    11800016: every record was one place off, or two)."""
    from actionplan.structure.rows import merge_page_continuations

    rows = [Row({"item": "Action", "action": "Audit the files and"}, (Piece(3, 4),)),
            Row({"item": "1", "action": "report to the board."}, (Piece(4, 0),)),
            Row({"item": "Action 2", "action": "Train the team."}, (Piece(4, 1),))]
    out = merge_page_continuations(rows)
    assert [" ".join(r.get("item").split()) for r in out] == ["Action 1", "Action 2"]
    fresh = [rows[0], replace(rows[1], cells={"item": "1", "action": "Report."}, pieces=(Piece(3, 5),))]
    assert len(merge_page_continuations(fresh)) == 2  # on one page: a number of its own


def test_carry_down_leaves_other_columns_alone():
    df = [Row({"lead": lead, "inspection_para": p}, (Piece(1, k),)) for k, (lead, p) in enumerate([("X", "1"), ("", "")])]
    assert column(carry_down(df, ["inspection_para"]), "lead") == ["X", ""]


def test_item_numbers_lose_their_full_stop_only():
    assert [split_item(x) for x in ("12.", "1.1", "R2.3", "A4", "14 .", "")] == ["12", "1.1", "R2.3", "A4", "14", None]
    assert [split_item(x) for x in ("Action 4", "Action\n4", "R 2")] == ["Action 4", "Action 4", "R2"]


def test_inspection_paragraph_and_references_are_split():
    assert split_inspection_para("17. (57, 138)") == ("17", ["57", "138"], True)
    assert split_inspection_para("18. (96, 122, 130, 131,132, 133)")[1] == ["96", "122", "130", "131", "132", "133"]
    assert split_inspection_para("29. (51 , 147)")[1] == ["51", "147"]
    assert split_inspection_para("30.") == ("30", [], True)
    assert split_inspection_para("149") == ("149", [], True)


def test_doubtful_reference_keeps_its_question_mark():
    assert split_inspection_para("23. (67?, 80)") == ("23", ["67?", "80"], True)


def test_unreadable_paragraph_is_kept_and_flagged():
    para, refs, ok = split_inspection_para("see report")
    assert (para, refs, ok) == ("see report", [], False)


def frame_without_items(rows):
    return [Row({"action": a, "lead": lead, "by_when": w}, (Piece(p, 0),)) for p, a, lead, w in rows]


def test_without_numbers_a_page_top_row_that_carries_on_mid_sentence_joins_the_row_above():
    df = frame_without_items([(1, "Review the", "Head of X", "May"), (2, "protocol with police", "", "2024"),
                              (2, "Train staff", "Head of Y", "June 2024")])
    out = merge_page_continuations(df)
    assert column(out, "action") == ["Review the\nprotocol with police", "Train staff"]
    assert out[0].cells["by_when"] == "May\n2024" and out[0].pages == [1, 2]


def test_without_numbers_a_page_top_row_without_its_short_fields_joins_the_row_above():
    df = frame_without_items([(1, "Review the protocol.", "Head of X", "May 2024"), (2, "Then audit it.", "", "")])
    assert len(merge_page_continuations(df)) == 1


def test_without_numbers_a_new_row_at_the_top_of_a_page_stays_a_record():
    df = frame_without_items([(1, "Review the protocol.", "Head of X", "May 2024"),
                              (2, "Train staff", "Head of Y", "June 2024")])
    assert len(merge_page_continuations(df)) == 2


def test_a_header_repeated_on_a_scan_is_dropped_though_ocr_misread_a_cell():
    from actionplan.structure.headers import header_fragment

    cmap = ColumnMap(("No.", "Ofsted Para No", "Area for Improvement", "Lead", "R/A/G"),
                     ("item", "inspection_para", "area_for_improvement", "lead", "rag"), (100,) * 5)
    assert header_fragment(["No.", "Ofsted ParaNo", "Area forlmprovement", "Lead", "RIA/JG"], cmap)
    assert not header_fragment(["2.", "31. (108, 144)", "Ensure that leads", "Lead", "A"], cmap)


def test_ocr_item_numbers_misread_by_one_character_are_mended_from_their_neighbours():
    from actionplan.normalisers.fields import mend_ocr_items

    assert mend_ocr_items(["4", "2", "3", "4"]) == [(0, "4", "1")]
    assert mend_ocr_items(["7", "8", "9", "40"]) == [(3, "40", "10")]
    assert mend_ocr_items(["1", "2", "8", "4"]) == [(2, "8", "3")]
    assert mend_ocr_items(["2", "3", "A,", "5", "6"]) == [(2, "A,", "4")]  # "4." read as "A,"
    # a real gap, or a number two characters away, is left for the numbering checks to report
    assert mend_ocr_items(["1", "2", "5", "6"]) == []
    assert mend_ocr_items(["1", "2", "58", "4"]) == []
    assert mend_ocr_items(["R1", "R2", "A3"]) == []


def _area_rows(spec):
    """(page, item, area, merged with the row above?) -> rows with an area column."""
    return [Row({"item": item, "area_for_improvement": area, "action": f"do {item}"},
                (Piece(page, sum(1 for p, *_ in spec[:k] if p == page)),),
                merged=("area_for_improvement",) if merged else ())
            for k, (page, item, area, merged) in enumerate(spec)]


def test_a_merged_area_printed_in_the_middle_of_its_rows_is_every_rows_area():
    from actionplan.structure.rows import spread_merged_cells

    rows = _area_rows([(1, "1", "First area", False), (1, "2", "", False), (1, "3", "Second area", True),
                       (1, "4", "", True), (1, "5", "Third", False)])
    out = spread_merged_cells(rows)
    assert column(out, "area_for_improvement") == ["First area", "Second area", "Second area", "Second area", "Third"]
    # the rows that took the text say so: their words were printed once, above or below
    assert [r.carried for r in out] == [(), ("area_for_improvement",), (), ("area_for_improvement",), ()]


def test_a_merged_area_at_a_pages_foot_printed_on_the_next_page_is_that_areas():
    from actionplan.structure.rows import spread_merged_cells

    rows = _area_rows([(1, "1", "First", False), (1, "2", "", False), (1, "3", "", True),
                       (2, "4", "", False), (2, "5", "Second", True), (2, "6", "Third", False)])
    out = spread_merged_cells(rows)
    assert column(out, "area_for_improvement") == ["First", "Second", "Second", "Second", "Second", "Third"]


def test_rows_not_merged_keep_their_blank_for_same_as_above():
    from actionplan.structure.rows import spread_merged_cells

    rows = _area_rows([(1, "1", "First", False), (1, "2", "", False)])
    assert column(spread_merged_cells(rows), "area_for_improvement") == ["First", ""]


def test_a_merged_area_a_page_break_cuts_mid_sentence_is_one_area_on_both_sides():
    from actionplan.structure.rows import rejoin_split_merged_cells

    rows = _area_rows([(1, "1", "Ensure that plans are", False), (1, "2", "Ensure that plans are", False),
                       (2, "3", "reviewed monthly.", False), (2, "4", "Next area.", False)])
    out = rejoin_split_merged_cells(rows)
    assert column(out, "area_for_improvement")[:3] == ["Ensure that plans are\nreviewed monthly."] * 3
    assert out[3].get("area_for_improvement") == "Next area."
    # an area that ends its sentence before the break is not joined to the next
    whole = _area_rows([(1, "1", "Plans are reviewed.", False), (2, "2", "staff are trained", False)])
    assert column(rejoin_split_merged_cells(whole), "area_for_improvement") == ["Plans are reviewed.",
                                                                               "staff are trained"]


def test_paragraph_references_a_page_break_cuts_inside_their_bracket_are_one_on_both_sides():
    """A spreadsheet merges the inspection paragraph down a group's rows; the page break
    leaves "19. (65," above it and "66)" below: the bracket says they are one cell."""
    from actionplan.structure.rows import rejoin_split_merged_cells

    rows = [Row({"item": i, "inspection_para": para, "area_for_improvement": "Ensure visits.", "action": "Do"},
                (Piece(page, k),)) for page, k, i, para in
            [(5, 3, "12", "19. (65,"), (5, 4, "13", "19. (65,"), (6, 0, "14", "66)"), (6, 1, "15", "20.")]]
    out = rejoin_split_merged_cells(rows)
    assert [" ".join(v.split()) for v in column(out, "inspection_para")] == ["19. (65, 66)"] * 3 + ["20."]
    closed = [replace(rows[1], cells={**rows[1].cells, "inspection_para": "19. (65)"}), rows[2]]
    assert column(rejoin_split_merged_cells(closed), "inspection_para") == ["19. (65)", "66)"]


def _plan_ending_on_page_one(action: str):
    from actionplan.structure.plans import Plan

    cmap = ColumnMap(("No.", "Action", "By When"), ("item", "action", "by_when"), (100, 100, 100))
    row = Row({"item": "3.", "action": action, "by_when": "May 2024"}, (Piece(1, 4, (10, 40, 400, 300)),))
    return Plan("Plan", cmap, [50.0, 300.0], rows=[row], pages=[1])


def test_a_cells_last_line_pushed_alone_onto_the_next_page_goes_back_to_its_record():
    from actionplan.extractors.model import PageContent, RawTable, TextLine
    from actionplan.structure.rows import take_orphan_lines

    plan = _plan_ending_on_page_one("Train every social worker in the new")
    line = TextLine("framework.", (60, 780, 110, 790), 9.0)
    key = RawTable(2, (10, 500, 400, 700), [], "lattice")
    after = PageContent(2, 600, 800, tables=[key], lines=[line])
    rows = take_orphan_lines(plan, [PageContent(1, 600, 800), after], set())
    assert rows[0].cells["action"] == "Train every social worker in the new\nframework."
    assert after.lines == []


def test_a_cells_last_lines_pushed_onto_the_next_page_go_back_together():
    """A browser pushes a tall cell's last lines onto a page with only a key and a note: the
    lines at the top, in the cell's column, at its line pitch, are the cell's; the note below
    them, a paragraph's gap away, stays."""
    from actionplan.extractors.model import PageContent, TextLine
    from actionplan.structure.rows import take_orphan_lines

    plan = _plan_ending_on_page_one("Train every social worker in the")
    lines = [TextLine(t, (60, top - 7, 250, top), 7.0) for t, top in
             (("new framework and review", 790), ("their practice every", 781), ("month.", 772))]
    note = TextLine("* Dates were agreed by the board.", (10, 748, 300, 755), 7.0)
    after = PageContent(2, 600, 800, lines=[*lines, note])
    rows = take_orphan_lines(plan, [PageContent(1, 600, 800), after], set())
    assert rows[0].cells["action"].split("\n")[1:] == ["new framework and review", "their practice every", "month."]
    assert after.lines == [note]


def test_prose_under_a_finished_cell_stays_where_it_is():
    from actionplan.extractors.model import PageContent, TextLine
    from actionplan.structure.rows import take_orphan_lines

    plan = _plan_ending_on_page_one("Train every social worker.")
    note = TextLine("Signed off by the board.", (60, 780, 200, 790), 9.0)
    rows = take_orphan_lines(plan, [PageContent(1, 600, 800), PageContent(2, 600, 800, lines=[note])], set())
    assert rows[0].cells["action"] == "Train every social worker."


def test_text_printed_again_both_sides_of_a_page_break_is_not_doubled():
    rows = [Row({"item": "1.1", "area_for_improvement": "1. Ensure plans are reviewed.", "action": "Audit"},
                (Piece(2, 0),)),
            Row({"item": "", "area_for_improvement": "1. Ensure plans are  reviewed.", "action": "the files"},
                (Piece(3, 0),))]
    out = merge_page_continuations(rows)
    assert out[0].cells["area_for_improvement"] == "1. Ensure plans are reviewed."
    assert out[0].cells["action"] == "Audit\nthe files"


def test_rows_under_a_section_row_above_its_first_number_are_that_records_top():
    """A browser centres each cell in its row, so a row's first lines come above its number;
    under a section row they start its group's first record, not the record above."""
    from actionplan.structure.rows import give_sections

    rows = [*frame([(1, "1.1", "", "Review the plan.", "May 2016")]),
            Row({"item": "", "inspection_para": "", "action": "Audit the", "by_when": ""}, (Piece(1, 1),),
                section="Recommendation 2: Ensure audits happen."),
            *frame([(1, "", "", "Audit the", ""), (1, "2.1", "", "files.", "June 2016")])]
    rows = [rows[0], replace(rows[1], cells={k: "" for k in rows[1].cells}), *rows[2:]]
    out = merge_page_continuations(give_sections(rows))
    assert column(out, "item") == ["1.1", "2.1"]
    assert column(out, "action") == ["Review the plan.", "Audit the\nfiles."]
    assert "under a section row" in out[1].pieces[-1].joined.label
    # both rows took the section's text as their area: the record holds it once
    assert out[1].cells["area_for_improvement"] == "Recommendation 2: Ensure audits happen."
    # the same section printed again over the next page heads no new group: the rows under it go on
    again = [*frame([(1, "1.1", "", "Review the", "May 2016")]), replace(rows[1], pieces=(Piece(1, 1),)),
             *frame([(1, "", "", "more", ""), (1, "2.1", "", "Audit.", "")]),
             replace(rows[1], pieces=(Piece(2, 0),)), *frame([(2, "", "", "files.", "")])]
    out = merge_page_continuations(give_sections(again))
    assert column(out, "action") == ["Review the", "more\nAudit.\nfiles."]


def test_a_totals_row_under_a_numbered_plan_is_kept_apart_not_a_record():
    """A spreadsheet sums its plan in a last row ("Total | 14 actions | Red 3, Amber 5"), its
    label broken in a narrow item column; an item cell that only starts with the word, or
    an area that reads "Overall ...", is a record."""
    from actionplan.structure.rows import split_summary_rows

    rows = [Row({"item": "13.", "action": "Audit the files", "progress": "Done"}, (Piece(4, 0),)),
            Row({"item": "Overall 14", "action": "Review the plan", "progress": ""}, (Piece(4, 1),)),
            Row({"item": "Tota\nl ", "action": "14 actions", "progress": "Red 3, Amber 5"}, (Piece(4, 2),))]
    trace: list = []
    kept, totals = split_summary_rows(rows, trace)
    assert column(kept, "item") == ["13.", "Overall 14"]
    assert [r.cells["action"] for r in totals] == ["14 actions"]
    assert trace and trace[0].kind == "left-out" and trace[0].page == 4
    # a plan without an item column has no totals row to tell
    plain = [Row({"action": "Total", "progress": ""}, (Piece(1, 0),))]
    assert split_summary_rows(plain) == (plain, [])


def test_a_line_printed_under_a_plan_of_no_numbers_is_kept_apart_not_a_record():
    """A web page's "Last updated: 10 September 2022" under a plan of no item numbers, in
    its first column: one line in one cell, where the records fill most of theirs (sweep
    seed 12000098: a spurious record, flagged as partial). A last row of its action alone
    is the group's last action, a record."""
    from actionplan.structure.rows import split_summary_rows

    def rec(area: str, action: str, lead: str, when: str) -> Row:
        return Row({"area_for_improvement": area, "action": action, "lead": lead, "by_when": when}, (Piece(2, 0),))

    rows = [rec("Ensure that plans are shared", "Audit the files", "PSW", "May 2014"),
            rec("", "Review the plan", "DCS", "June 2015"), rec("Last updated: 10 September 2022", "", "", "")]
    kept, notes = split_summary_rows(rows, trace := [])
    assert len(kept) == 2 and [r.get("area_for_improvement") for r in notes] == ["Last updated: 10 September 2022"]
    assert trace and trace[0].kind == "left-out"
    last_action = [*rows[:2], rec("", "Report to the board", "", "")]
    assert split_summary_rows(last_action) == (last_action, [])
    # atop the next page, one line of one cell is the rest of the record the break cut
    # (sweep seed 12000136: a progress cell's last line)
    rest = [*rows[:2], replace(rec("", "", "", ""), cells={"progress": "escalation report will report."},
                               pieces=(Piece(3, 0),))]
    assert split_summary_rows(rest) == (rest, [])


def test_a_merged_areas_first_lines_at_a_pages_foot_printed_again_whole_on_the_next_are_the_whole_area():
    """A sheet draws a merged area a page break cuts on both pages: its first lines at the
    page's foot, the whole cell again at the next page's top, its first lines under the
    clip edge. The record above the break kept only the first lines (tuning seed 11600051)."""
    from actionplan.structure.rows import rejoin_split_merged_cells

    whole = "Ensure that pathway outcomes independent from the agencies are reviewed."
    rows = _area_rows([(1, "1", "Ensure that pathway outcomes", False), (2, "2", whole, False),
                       (2, "3", "Next area.", False)])
    out = rejoin_split_merged_cells(rows)
    assert column(out, "area_for_improvement") == [whole, whole, "Next area."]
    # a first part that ends its sentence is an area of its own
    ended = _area_rows([(1, "1", "Ensure that pathway outcomes.", False), (2, "2", "Ensure that pathway outcomes. More",
                                                                         False)])
    assert column(rejoin_split_merged_cells(ended), "area_for_improvement")[0] == "Ensure that pathway outcomes."


def test_a_note_or_heading_under_a_numbered_plans_last_record_is_kept_apart_not_a_record():
    """Writer's frame takes in what follows the table: "Glossary" (the next part's heading)
    or "* Due dates revised ..." alone in the item column under the last record came out as
    a record, the area carried down into it (tuning seeds 11600025, 11500012)."""
    from actionplan.structure.rows import split_summary_rows

    def row(k: int, item: str, action: str = "") -> Row:
        return Row({"item": item, "action": action, "lead": "PSW" if action else ""}, (Piece(1, k),))

    rows = [row(0, "1.1", "Audit the files"), row(1, "", "and report."), row(2, "1.2", "Train the team"),
            row(3, "1.3", "Review"), row(4, "1.4", "Report"), row(5, "Glossary"), row(6, "* Due dates revised in November")]
    kept, apart = split_summary_rows(rows)
    assert [r.get("item") for r in kept] == ["1.1", "", "1.2", "1.3", "1.4"]
    assert [r.get("item") for r in apart] == ["Glossary", "* Due dates revised in November"]
    # a last record without a number but with its cells filled stays a record
    kept, _ = split_summary_rows([*rows[:5], row(5, "Other", "Review the plan")])
    assert [r.get("item") for r in kept][-1] == "Other"
    # and a plan numbered nowhere keeps its rows
    plain = [row(0, "Audit"), row(1, "Train")]
    assert split_summary_rows(plain)[0] == plain
