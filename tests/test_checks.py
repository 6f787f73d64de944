"""Structural checks fire on the shapes a wrong reading leaves, and stay quiet on right ones."""

from __future__ import annotations

from dataclasses import replace

from actionplan.extractors.model import Cell, TextLine
from actionplan.normalisers.model import Piece, Row
from actionplan.schemas.issues import STRUCTURAL
from actionplan.schemas.layout import LayoutSettings
from actionplan.structure.checks import (
    area_missing_at_top,
    core_fields_empty,
    gap_at_page_break,
    header_holds_body_text,
    items_not_numbers,
    leads_hold_sentences,
    numbering_runs_on,
    para_holds_words,
    partial_rows,
    record_text_blank,
    records_far_apart,
    records_vs_numbering,
    rows_without_item,
    text_cut_at_page_foot,
)


def frame(rows: list[dict]) -> list[Row]:
    """Rows from their cells, `_pages` (the pages it spans) and `_joins` ((page, place) of
    each piece joined to its first)."""
    out = []
    for r in rows:
        cells = {k: v for k, v in r.items() if not k.startswith("_")}
        joins = r.get("_joins", [])
        pages = r.get("_pages") or [1]
        pieces = [Piece(pages[0], 0), *(Piece(page, index) for page, index in joins)]
        pieces += [Piece(p, 0) for p in pages if p not in {x.page for x in pieces}]
        out.append(Row(cells, tuple(pieces)))
    return out


def test_a_row_without_a_number_joined_mid_page_is_flagged_but_not_one_cut_by_the_page():
    df = frame([{"item": "1.", "_pages": [1, 2], "_joins": [(2, 0)]},
                {"item": "2.", "_pages": [2], "_joins": [(2, 3)]}])
    issues = rows_without_item(df)
    assert [(i.code, i.item, i.page) for i in issues] == [("row-without-item", "2", 2)]


def test_a_numbering_gap_after_an_item_that_goes_over_a_page_break_is_flagged():
    df = frame([{"item": "10.", "_joins": []}, {"item": "11.", "_joins": [(6, 0)]}, {"item": "13.", "_joins": []},
                {"item": "15.", "_joins": []}])
    # 13 -> 15 skips too, but item 13 did not go on over a break: plans do skip numbers
    assert [(i.code, i.item, i.page) for i in gap_at_page_break(df)] == [("gap-at-page-break", "11", 6)]


def test_a_record_from_pages_that_do_not_follow_each_other_is_flagged():
    df = frame([{"item": "1", "_pages": [1, 2]}, {"item": "2", "_pages": [3, 5]}])
    assert [i.item for i in records_far_apart(df)] == ["2"]


def test_record_count_far_from_the_numbering_is_flagged():
    assert records_vs_numbering([str(n) for n in range(1, 21)]) == []
    assert records_vs_numbering(["1", "2", "3", "10", "11", "12", "20"])[0].code == "records-vs-numbering"
    assert records_vs_numbering(["R1", "R2", "A3"]) == []  # not plain numbers: no opinion


def test_an_item_that_is_not_a_number_is_flagged():
    issues = items_not_numbers(["1", "6.No", "R2.3", "A4"], [1, 2, 3, 4])
    assert [(i.item, i.page) for i in issues] == [("6.No", 2)]


def test_a_row_missing_every_short_field_in_an_unnumbered_plan_is_flagged():
    rows = [{"lead": "Head of LAC", "by_when": "May 2024", "rag": "G", "action": "a", "_pages": [1]}] * 5
    rows.append({"lead": "", "by_when": "", "rag": "", "action": "the rest of a sentence", "_pages": [2]})
    assert [(i.code, i.page) for i in partial_rows(frame(rows))] == [("row-looks-partial", 2)]
    assert partial_rows(frame(rows[:5])) == []


def test_a_header_carrying_body_text_is_flagged():
    plan = ["No.", "Lead", "Action"]
    assert header_holds_body_text(["No.", "Lead", "Action"], plan, 3) == []
    assert header_holds_body_text(["No.", "Lead Development", "Action needs have been considered"], plan, 3)
    assert header_holds_body_text(["No.", "Lead", " ".join(["word"] * 20)], None, 1)


def test_a_plan_numbered_on_from_the_plan_before_is_flagged():
    one = [str(n) for n in range(1, 5)]
    assert numbering_runs_on([("a", one), ("b", [str(n) for n in range(5, 15)])])[0].code == "plan-split-numbering"
    # lettered numbers carry on alike ("R1" then "R2"); other letters are another numbering
    lettered = numbering_runs_on([("a", ["R1"]), ("b", ["R2", "R3"])])
    assert [w.code for w in lettered] == ["plan-split-numbering"] and "from R2" in lettered[0].message
    assert numbering_runs_on([("a", ["R1", "R2"]), ("b", ["A3", "A4"])]) == []
    assert numbering_runs_on([("a", one), ("b", [str(n) for n in range(1, 9)])]) == []


def test_every_check_uses_a_structural_code():
    codes = {"row-without-item", "gap-at-page-break", "record-far-apart", "records-vs-numbering", "item-not-a-number",
             "row-looks-partial", "header-holds-body-text", "plan-split-numbering", "plan-split-same-columns",
             "table-left-out", "text-not-placed", "cells-side-by-side", "column-ambiguous", "core-field-empty",
             "record-text-blank", "lead-holds-sentences", "para-holds-words", "copy-disagrees"}
    assert codes <= STRUCTURAL


def test_a_number_column_merged_into_the_next_is_flagged():
    from actionplan.structure.checks import item_column_merged

    merged = frame([{"inspection_para": f"{n}. {40 + n}.", "_pages": [1]} for n in range(1, 6)])
    assert item_column_merged(merged)[0].code == "item-column-merged"
    clean = frame([{"inspection_para": f"{40 + n}.", "_pages": [1]} for n in range(1, 6)])
    assert item_column_merged(clean) == []


def test_a_plan_read_without_its_action_is_flagged():
    rows = frame([{"item": "1.", "area_for_improvement": "Timeliness", "extra:What we will do": "Audit"},
                  {"item": "2.", "area_for_improvement": "", "extra:What we will do": "Train"}])
    issues = core_fields_empty(rows)
    assert (issues[0].code, issues[0].field) == ("core-field-empty", "action")
    assert "'What we will do'" in issues[0].message and "synonyms" in issues[0].message
    assert "core-field-empty" in STRUCTURAL


def test_an_area_missing_while_a_column_is_unmapped_is_flagged_but_not_a_plan_without_one():
    unmapped = frame([{"item": "1.", "action": "Audit", "extra:Issue identified": "Timeliness"}])
    assert [i.field for i in core_fields_empty(unmapped)] == ["area_for_improvement", "evidence_of_impact",
                                                              "lead", "by_when", "rag"]
    plain = frame([{"item": "1.", "action": "Audit", "lead": "Head of Service"}])
    assert core_fields_empty(plain) == []
    # a column that is there and empty is the plan's, not a misreading
    empty_column = frame([{"item": "1.", "action": "Audit", "area_for_improvement": "",
                           "lead": "", "by_when": "", "evidence_of_impact": "", "rag": "", "extra:Notes": "see"}])
    assert core_fields_empty(empty_column) == []


def test_a_record_whose_deadlines_run_backwards_or_pile_up_is_doubted_as_merged_rows():
    from actionplan.structure.checks import records_look_merged

    items = ["1", "2", "3", "5", "6", "4"]
    due = [["2017-07", "2017-02", "2018-04"], ["2015-09", "2016-01", "2016-02"], ["2016-05"], ["2016-07"], ["2016-08"],
           ["2016-01", "2016-03", "2016-06", "2017-01", "2017-05"]]
    issues = records_look_merged(items, due, [1, 1, 2, 2, 2, 2])
    assert [(i.code, i.item) for i in issues] == [("record-looks-merged", "1"), ("record-looks-merged", "4")]
    assert "record-looks-merged" in STRUCTURAL


def test_a_record_whose_cells_start_mid_sentence_is_doubted_as_cut_in_the_wrong_place():
    from actionplan.structure.checks import records_start_mid_text

    def row(item: str, action: str, progress: str, n: int) -> Row:
        return Row({"item": item, "action": action, "progress": progress}, (Piece(1, n),))

    rows = [row("1", "Review the plans.", "Done.", 0), row("2", "Audit the files.", "Under way.", 1),
            row("3", "Train the staff.", "Started.", 2), row("4", "members ensure.", "board.", 3)]
    issues = records_start_mid_text(rows)
    assert [(i.code, i.item) for i in issues] == [("record-starts-mid-text", "4")]
    assert "record-starts-mid-text" in STRUCTURAL
    # one such cell is how a plan may write; a plan that starts its cells so everywhere is its habit
    assert not records_start_mid_text([*rows[:3], row("4", "members ensure.", "Done.", 3)])
    lower = [row(str(k), "to review the plans.", "in progress.", k) for k in range(1, 5)]
    assert not records_start_mid_text(lower)


def test_a_column_read_as_references_or_deadlines_that_holds_neither_is_doubted():
    from actionplan.structure.checks import columns_hold_other_text

    def row(n: int, para: str, due: str) -> Row:
        return Row({"item": str(n), "inspection_para": para, "by_when": due}, (Piece(3, n),))

    prose = [row(k, "Ensure that plans are reviewed every month.", "June 2015") for k in range(1, 5)]
    issues = columns_hold_other_text(prose)
    assert [(i.code, i.field) for i in issues] == [("column-misread", "inspection_para")]
    assert "column-misread" in STRUCTURAL
    fine = [row(1, "17. (57, 138)", "Ongoing"), row(2, "18", "August 2014 September 2015"),
            row(3, "19 (60)", "Q2 2016"), row(4, "", "")]
    assert columns_hold_other_text(fine) == []


def test_a_running_text_column_that_holds_ratings_is_doubted():
    """Seen in the sweep (seed 11200005): "Progress rating" named progress; its cells were
    the letters A, G, B; every record's rating was empty and nothing said so."""
    from actionplan.structure.checks import columns_hold_other_text

    def row(n: int, progress: str) -> Row:
        return Row({"item": str(n), "progress": progress}, (Piece(3, n),))

    rated = [row(k, letter) for k, letter in enumerate(["A", "G", "B", "Green", "A"], 1)]
    assert [(i.code, i.field) for i in columns_hold_other_text(rated)] == [("column-misread", "progress")]
    written = [row(k, text) for k, text in enumerate(["Begun in May.", "A", "Done, reported to the board.",
                                                      "Under way."], 1)]
    assert columns_hold_other_text(written) == []


def test_records_a_plan_opens_with_that_no_area_reached_are_flagged():
    """A spreadsheet's area cell merged over a group's rows prints its text in their middle;
    the rows above the text take no area from above, and must not stand blank in silence."""
    rows = frame([{"item": "", "area_for_improvement": "", "action": "Audit"},
                  {"item": "", "area_for_improvement": "Ensure timely visits", "action": "Train"},
                  {"item": "", "area_for_improvement": "", "action": "Report"}])
    (issue,) = area_missing_at_top(rows)
    assert (issue.code, issue.field, issue.item) == ("area-missing", "area_for_improvement", "1")
    assert "area-missing" in STRUCTURAL
    # a plan whose first record has its area, or that has none at all, says nothing here
    assert area_missing_at_top(rows[1:]) == [] and area_missing_at_top(
        frame([{"item": "1.", "area_for_improvement": "", "action": "Audit"}])) == []


def test_running_text_cut_off_at_a_full_pages_foot_with_nothing_after_it_is_flagged():
    """A word processor leaves the rest of a row taller than a page off the page: the cell
    stops mid-sentence at the foot and the next page starts the next record."""
    def row(item: str, pieces: tuple[Piece, ...]) -> Row:
        return Row({"item": item, "progress": "Agencies meet the managers members with"}, pieces)

    full, short = (50.0, 40.0, 800.0, 560.0), (50.0, 300.0, 800.0, 560.0)
    rows = [row("1", (Piece(7, 0, full, open_at_foot=("progress",)),)), row("2", (Piece(8, 0, full),))]
    (issue,) = text_cut_at_page_foot(rows)
    assert (issue.code, issue.item, issue.field, issue.page) == ("text-cut-at-page-foot", "1", "progress", 7)
    assert "text-cut-at-page-foot" in STRUCTURAL and "members with" in issue.message
    # the rest joined from the next page's top: nothing cut off
    went_on = [row("1", (Piece(7, 0, full, open_at_foot=("progress",)), Piece(8, 0, full))), rows[1]]
    assert text_cut_at_page_foot(went_on) == []
    # the cell's last lines found elsewhere (pushed alone onto the next page): its text ends
    finished = [replace(rows[0], cells={**rows[0].cells, "progress": "Agencies meet the managers members with care."}),
                rows[1]]
    assert text_cut_at_page_foot(finished) == []
    # a row under others on its page is no row taller than a page (plans end cells unstopped)
    under = [row("1", (Piece(7, 3, full, open_at_foot=("progress",)),)), rows[1]]
    assert text_cut_at_page_foot(under) == []
    # a table that stops well short of the page's foot cut nothing off
    ended = [row("1", (Piece(7, 0, short, open_at_foot=("progress",)),)), rows[1]]
    assert text_cut_at_page_foot(ended) == []


def test_a_page_foot_cell_is_open_only_on_a_full_line_mid_sentence():
    from actionplan.structure.plans import _open_at_foot

    def cell(*lines: tuple[str, float, float]) -> Cell:
        held = tuple(TextLine(t, (100.0, top - 8, x1, top), 8) for t, x1, top in lines)
        return Cell("\n".join(t for t, _, _ in lines), (98, 40, 262, 700), None, held)

    names = ["item", "progress"]
    body = [[cell(("1", 110, 690)), cell(("deliver practice supervision", 258, 690), ("managers members with", 240, 60))]]
    assert _open_at_foot(body, names, LayoutSettings()) == ("progress",)
    ended = [[body[0][0], cell(("deliver practice supervision", 258, 690), ("managers members.", 240, 60))]]
    assert _open_at_foot(ended, names, LayoutSettings()) == ()
    short = [[body[0][0], cell(("deliver practice supervision", 258, 690), ("and with", 140, 60))]]
    assert _open_at_foot(short, names, LayoutSettings()) == ()


def test_a_paragraph_holding_words_where_most_hold_numbers_is_flagged():
    """Seen in the sweep (seed 11100083): a heading's first word set above the header row
    ("Link" of "Link to report") was read into the paragraph column on every page after the
    first, and carried down its blank cells; nothing structural said so."""
    def row(item: str, para: str) -> Row:
        return Row({"item": item, "inspection_para": para, "action": "Act."}, (Piece(1, int(item)),))

    rows = [row("1", "40."), row("2", "40."), row("3", "Link"), row("4", "42. (104, 149)"), row("5", "45.")]
    assert [(i.code, i.item) for i in para_holds_words(rows)] == [("para-holds-words", "3")]
    assert "para-holds-words" in STRUCTURAL
    # a plan that writes its references in words says nothing of any one of them
    words = [row("1", "Leadership"), row("2", "Practice"), row("3", "41."), row("4", "Health")]
    assert para_holds_words(words) == []
    # a heading's piece beside the numbers (a repeated header's "Ofste" joined to the row
    # above, sweep seed 11500045), where most references hold numbers only
    piece = [row("1", "16."), row("2", "17. (64, 129)"), row("3", "17. (64, 129) Ofste"), row("4", "18."),
             row("5", "19 and 20")]
    assert [(i.code, i.item) for i in para_holds_words(piece)] == [("para-holds-words", "3")]


def test_a_record_without_the_running_text_most_records_have_is_flagged():
    """Seen in the sweep (seed 11000057): a spreadsheet's tall cells centred on their row
    started above its number, so the row above took its action and progress, and nothing
    said so."""
    def row(item: str, action: str, progress: str, n: int) -> Row:
        return Row({"item": item, "action": action, "progress": progress, "lead": "Head of Service"}, (Piece(1, n),))

    rows = [row("1.1", "Review the plans.", "Done.", 0), row("1.2", "Audit the files.", "", 1),
            row("2.1", "Train the staff. Meet the board.", "Started. Under way.", 2), row("2.2", "", "", 3),
            row("2.3", "Report.", "Reported.", 4)]
    issues = record_text_blank(rows)
    assert [(i.code, i.item) for i in issues] == [("record-text-blank", "2.2")]
    # a plan whose records often leave their text blank says nothing of any one of them
    sparse = [row(str(k), "Act." if k % 2 else "", "", k) for k in range(6)]
    assert record_text_blank(sparse) == []


def test_a_lead_that_is_a_sentence_is_flagged_but_not_a_long_joint_lead():
    """Seen in the sweep (seed 11100116): a browser's section rows were read into the lead
    column, nine records were section texts, and once a ligature no longer looked like a
    lost word nothing said so."""
    def row(lead: str, n: int) -> Row:
        return Row({"lead": lead, "action": "Audit the files."}, (Piece(2, n),))

    rows = [row("Head of Service", 0),
            row("Ensure that children in need have a plan reviewed within timescales by a manager.", 1),
            row("AD Safeguarding and Family Support and Head of Looked After Children", 2)]
    issues = leads_hold_sentences(rows)
    assert [(i.code, i.item) for i in issues] == [("lead-holds-sentences", "2")]
    assert leads_hold_sentences([rows[0], rows[2]]) == []


def test_a_record_that_took_a_text_other_than_the_copy_drawn_over_it_is_flagged():
    """A spreadsheet centres a merged area over its rows and draws its text again, out of
    sight, over rows a page break cut off; with no rules (a borderless sheet) the rows above
    the printed text took the area above as "same as above" (sweep seed 11400078, silent)."""
    from actionplan.structure.checks import copy_disagrees

    area = "area_for_improvement"

    def row(k: int, text: str, carried: bool = False, copy: str = "") -> Row:
        return Row({"item": str(k), area: text, "action": "Act."}, (Piece(1, k),),
                   carried=(area,) if carried else (), hidden=((area, copy),) if copy else ())

    wrong = [row(1, "Ensure that plans are shared"), row(2, "Ensure that plans are shared", True,
                                                         "Ensurethataudits happen")]
    assert [(i.code, i.item) for i in copy_disagrees(wrong)] == [("copy-disagrees", "2")]
    assert "copy-disagrees" in STRUCTURAL
    # the copy names the text the record took: nothing to say
    right = [wrong[0], row(2, "Ensure that plans are shared", True, "Ensurethatplans are")]
    assert copy_disagrees(right) == []
    # a copy running on past its cell, under a row that printed a cell of its own, says nothing
    spill = [row(1, "", False, "Ensure that audits"), row(2, "Ensure that plans are shared"),
             row(3, "Ensure that plans are shared", True, "Ensure that audits")]
    assert copy_disagrees(spill) == []
    # and so does one drawn above the cell it copies, over a row whose cell printed between
    above = [row(1, "Ensure that plans are shared", False), row(2, "Ensure that plans are shared", True,
                                                              "Ensure that audits"),
             row(3, "Ensure that checks"), row(4, "", False, "Ensure that audits")]
    assert copy_disagrees(above) == []


def test_a_copy_holding_text_inside_what_the_record_read_is_flagged():
    """A line of a merged area that a page break cuts through halfway shows half on either
    page, and was read on neither; the copy the spreadsheet drew out of sight over the
    records holds it (sweep seed 11400114: nine records lacked "consultation service",
    in silence). A copy cut short at either end is only where its page is: no flag."""
    from actionplan.structure.checks import copy_disagrees

    area = "area_for_improvement"
    read = "Ensure that learning provider provider capacity deliver capacity health is"
    copy = "Ensure that learning provider provider consultation service capacity deliver capacity health is"

    def row(copy: str) -> Row:
        return Row({"item": "1", area: read, "action": "Act."}, (Piece(1, 0),), carried=(area,),
                   hidden=((area, copy),))

    issues = copy_disagrees([row(copy)])
    assert [i.code for i in issues] == ["copy-disagrees"] and "ultationservi" in issues[0].message
    assert copy_disagrees([row("Ensurethatlearning providerprovider")]) == []  # cut at the page's edge
    assert copy_disagrees([row(read + " impact health timescale")]) == []  # runs on past: its page's part
    assert copy_disagrees([row(read.replace("capacity deliver ", ""))]) == []  # the read text holds more
