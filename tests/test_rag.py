"""R/A/G cells from text and from the cell's fill colour."""

from __future__ import annotations

import pytest

from actionplan.normalisers.rag import rag_from_fill, rag_from_text, resolve_rag


@pytest.mark.parametrize(
    ("text", "rag"),
    [("R", "R"), ("A", "A"), ("G", "G"), ("Red", "R"), ("amber", "A"), ("GREEN", "G"), ("Blue", "B"),
     ("Complete", "B"), ("Completed", "B"), ("R – due to time frame", "R"),
     ("R -as need a single set of proce dures", "R"), ("Α", "A"), ("Green - on track", "G")],
)
def test_rating_text_with_or_without_notes(text, rag):
    assert rag_from_text(text).value == rag and rag_from_text(text).problem is None


@pytest.mark.parametrize("text", ["GA", "A/G", "R/A", "Amber/Green"])
def test_ambiguous_ratings_are_null_with_a_reason_naming_the_value(text):
    got = rag_from_text(text)
    assert got.value is None and text in got.problem


def test_unknown_rating_is_reported():
    assert rag_from_text("on hold").problem


def test_empty_cell_has_no_rating_and_no_problem():
    assert rag_from_text("") == rag_from_text(None) and rag_from_text(None).value is None


@pytest.mark.parametrize(
    ("rgb", "rag"),
    [((1.0, 0.0, 0.0), "R"), ((0.75, 0.0, 0.0), "R"), ((1.0, 0.75, 0.0), "A"), ((1.0, 1.0, 0.0), "A"),
     ((1.0, 0.6, 0.0), "A"), ((0.0, 0.69, 0.31), "G"), ((0.57, 0.82, 0.31), "G"), ((0.0, 0.44, 0.75), "B"),
     ((0.85, 0.85, 0.85), None), ((1.0, 1.0, 1.0), None), ((0.0, 0.0, 0.0), None), (None, None)],
)
def test_fill_colours_read_as_ratings(rgb, rag):
    assert rag_from_fill(rgb) == rag


def test_fill_speaks_when_the_text_is_empty():
    assert resolve_rag("", (0.0, 0.69, 0.31)).value == "G"


def test_text_wins_over_fill_but_a_disagreement_is_reported():
    got = resolve_rag("R", (0.0, 0.69, 0.31))
    assert got.value == "R" and "shaded G" in got.problem


def test_ambiguous_text_is_not_settled_by_the_fill():
    assert resolve_rag("GA", (0.0, 0.69, 0.31)).value is None


def test_sample_fills_agree_with_the_letters_beside_them():
    """The sample shades each RAG cell; reading the shade alone gives the letter."""
    from conftest import SAMPLE_PDF

    from actionplan.extractors.pdf import read_pages
    from actionplan.normalisers.text import clean_cell
    from actionplan.structure.headers import Synonyms, score_header

    syn = Synonyms.load()
    checked = 0
    for page in read_pages(SAMPLE_PDF):
        for table in page.tables:
            col = next(i for i, c in enumerate(table.rows[0]) if score_header(clean_cell(c.text), syn)[0] == "rag")
            for row in table.rows[1:]:
                said = rag_from_text(row[col].text).value
                if said:
                    assert rag_from_fill(row[col].fill) == said, (page.number, row[col].text, row[col].fill)
                    checked += 1
    assert checked >= 90


@pytest.mark.parametrize(("text", "rag"), [("On track", "G"), ("At risk", "A"), ("Off track", "R"),
                                           ("Some slippage", "A"), ("Not on track - see note", "R")])
def test_ratings_said_in_a_trackers_words(text, rag):
    assert rag_from_text(text).value == rag and rag_from_text(text).problem is None


@pytest.mark.parametrize(("hex_colour", "rag"), [("FFC7CE", "R"), ("FFEB9C", "A"), ("C6EFCE", "G"), ("BDD7EE", "B"),
                                                 ("B6D7A8", "G"), ("A9D08E", "G"), ("EA9999", "R"),
                                                 ("9FC5E8", "B"), ("ACB9CA", None), ("EDF2F9", None), ("D9D9D9", None), ("DCE6F1", None)])
def test_a_spreadsheets_pale_rating_fills_are_ratings_and_pale_bands_are_not(hex_colour, rag):
    rgb = tuple(int(hex_colour[k:k + 2], 16) / 255 for k in (0, 2, 4))
    assert rag_from_fill(rgb) == rag


def test_a_rating_word_a_narrow_column_broke_is_read_whole():
    from actionplan.normalisers.rag import rag_from_text

    assert rag_from_text("Amb er").value == "A"
    assert rag_from_text("Gre en – on track").value == "G"
    assert rag_from_text("Am ok").value is None


def test_a_shade_whose_letter_was_not_read_takes_the_rating_of_cells_of_that_shade():
    from actionplan.normalisers.rag import rag_from_shade

    dark, mid = (0.35, 0.35, 0.35), (0.62, 0.62, 0.62)  # a grey scan's red and amber
    known = [(dark, "R"), ((0.36, 0.36, 0.36), "R"), (mid, "A"), ((0.6, 0.6, 0.6), "A")]
    assert rag_from_shade(known, (0.34, 0.34, 0.34)) == "R"
    assert rag_from_shade(known, (0.61, 0.61, 0.61)) == "A"
    assert rag_from_shade(known, (0.48, 0.48, 0.48)) is None  # between the two: no guess
    assert rag_from_shade(known[:1], (0.35, 0.35, 0.35)) is None  # one example is not enough
    assert rag_from_shade(known, (1.0, 1.0, 1.0)) is None  # the paper
    # one letter misread on a red cell does not unsettle the shade; as many as read right do
    misread = [*known, ((0.35, 0.35, 0.35), "G")]
    assert rag_from_shade([*misread, ((0.34, 0.34, 0.34), "R"), ((0.35, 0.35, 0.35), "R"),
                           ((0.36, 0.36, 0.36), "R")], (0.35, 0.35, 0.35)) == "R"
    assert rag_from_shade(misread, (0.35, 0.35, 0.35)) is None


def test_a_blank_rating_on_a_scan_or_a_shaded_cell_is_never_silent():
    from actionplan.normalisers.model import Piece, Row
    from actionplan.pipeline.normalise import fill_unread_ratings

    def rec(item, rag, raw):
        return {"item": item, "rag": rag, "rag_raw": raw, "source_pages": [3]}

    dark = (0.35, 0.35, 0.35)
    rows = [Row({}, (Piece(3, k, None, fill),)) for k, fill in enumerate([dark, dark, dark, None])]
    records = [rec("1", "R", "R"), rec("2", "R", "R"), rec("3", None, None), rec("4", None, None)]
    issues = fill_unread_ratings(records, rows, ocr=True)
    assert records[2]["rag"] == "R"
    assert [(i.code, i.item, i.page) for i in issues] == [("rag-from-shade", "3", 3), ("rag-unread", "4", 3)]
    # born digital, a blank white cell is a blank rating
    plain = [rec("1", None, None)]
    assert fill_unread_ratings(plain, [Row({}, (Piece(1, 0),))], ocr=False) == []


def test_a_scans_misread_rating_text_on_a_known_shade_takes_the_shade_and_says_so():
    """'fR' (a speck before the letter) and 'GA' read on a dark cell: the shade, shared by
    cells whose letter was read, decides, with a rag-from-shade warning naming what was read."""
    from actionplan.normalisers.model import Piece, Row
    from actionplan.pipeline.normalise import fill_unread_ratings

    red, green = (0.2, 0.2, 0.2), (0.33, 0.33, 0.33)
    fills = [red, red, green, green, red]
    rows = [Row({}, (Piece(2, k, None, f),)) for k, f in enumerate(fills)]
    records = [{"item": str(k + 1), "rag": rag, "rag_raw": raw, "source_pages": [2]}
               for k, (rag, raw) in enumerate([("R", "R"), ("R", "R"), ("G", "G"), ("G", "G"), (None, "fR")])]
    issues = fill_unread_ratings(records, rows, ocr=True)
    assert records[4]["rag"] == "R"
    assert [(i.code, i.item) for i in issues] == [("rag-from-shade", "5")] and "'fR'" in issues[0].message


def test_a_letter_read_on_a_cell_shaded_like_another_rating_is_doubted():
    """'G' read on a red cell (a letter from the row above run into it): kept, and doubted."""
    from actionplan.normalisers.model import Piece, Row
    from actionplan.pipeline.normalise import fill_unread_ratings

    red, green = (0.2, 0.2, 0.2), (0.33, 0.33, 0.33)
    fills = [red, red, green, green, (0.21, 0.21, 0.21)]
    rows = [Row({}, (Piece(2, k, None, f),)) for k, f in enumerate(fills)]
    records = [{"item": str(k + 1), "rag": rag, "rag_raw": rag, "source_pages": [2]} for k, rag in enumerate("RRGGG")]
    issues = fill_unread_ratings(records, rows, ocr=True)
    assert records[4]["rag"] == "G"
    assert [(i.code, i.item) for i in issues] == [("rag-unsettled", "5")] and "rated R" in issues[0].message


def test_a_blank_rating_in_a_plan_that_rates_most_records_is_pointed_out():
    from actionplan.normalisers.model import Piece, Row
    from actionplan.pipeline.normalise import fill_unread_ratings

    def rec(item, rag):
        return {"item": item, "rag": rag, "rag_raw": rag, "source_pages": [2]}

    rows = [Row({"rag": ""}, (Piece(2, k),)) for k in range(4)]
    records = [rec("1", "G"), rec("2", "A"), rec("3", None), rec("4", "R")]
    issues = fill_unread_ratings(records, rows, ocr=False)
    assert [(i.code, i.item, i.page) for i in issues] == [("rag-blank", "3", 2)]
    # a plan that rates few of its records leaves the rest unrated on purpose
    few = [rec("1", "G"), rec("2", None), rec("3", None), rec("4", None)]
    assert fill_unread_ratings(few, rows, ocr=False) == []


def test_unknown_words_on_a_rating_colour_take_the_colour_and_say_so():
    got = resolve_rag("Under review", (0.0, 0.69, 0.31))
    assert got.value == "G" and "unrecognised" in got.problem and "colour" in got.problem
    assert resolve_rag("Under review", None).value is None


def test_a_rating_phrase_a_narrow_column_wrapped_without_its_space_is_read():
    assert rag_from_text("Someslippage").value == "A"
    assert rag_from_text("Ontrack").value == "G"


def test_a_born_digital_grey_is_design_and_settles_no_rating():
    """Zebra bands or a tinted column: the letters on them are exact, so a grey that most G
    cells share neither doubts an R on it nor turns 'Not started' into G."""
    from actionplan.normalisers.model import Piece, Row
    from actionplan.pipeline.normalise import fill_unread_ratings

    band = (0.85, 0.85, 0.85)
    rows = [Row({}, (Piece(1, k, None, band),)) for k in range(6)]
    records = [{"item": str(k + 1), "rag": rag, "rag_raw": raw, "source_pages": [1]}
               for k, (rag, raw) in enumerate([("G", "G")] * 4 + [("R", "R"), (None, "Not started")])]
    assert fill_unread_ratings(records, rows, ocr=False) == []
    assert records[5]["rag"] is None
