"""Header rows are found by their text and mapped through the synonyms file."""

from __future__ import annotations

import pytest

from actionplan.schemas.errors import ConfigError
from actionplan.structure.headers import Synonyms, find_header, infer_item_column, map_columns, score_header


@pytest.fixture(scope="module")
def syn() -> Synonyms:
    return Synonyms.load()


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("No.", "item"),
        ("#", "item"),
        ("Ofsted / Para No", "inspection_para"),
        ("Busine ss Plan 2014-15 Refere nce", "business_plan_ref"),
        ("Ofsted Area for Improvement", "area_for_improvement"),
        ("Recommendation", "area_for_improvement"),
        ("Responsible officer", "lead"),
        ("What we will do", "action"),
        ("Action(s)", "action"),
        ("By \nWhe\nn", "by_when"),
        ("Target date", "by_when"),
        ("Progress update (June 2023)", "progress"),
        ("R/ A/G", "rag"),
        ("RAG status", "rag"),
        ("Monitoring and Evaluation", "monitoring"),
        ("Measure of success", "evidence_of_impact"),
    ],
)
def test_wrapped_and_split_headers_map_to_their_field(syn, header, field):
    got, score = score_header(header, syn)
    assert got == field and score >= 80


@pytest.mark.parametrize(("header", "field"), [("Progress update to board", "progress"), ("Evidence of impact seen", "evidence_of_impact"),
                                              ("Reference", "item"), ("Current RAG", "rag"),
                                              ("Curre nt R A G", "rag")])
def test_a_header_holding_a_synonym_as_whole_words_maps_to_it(syn, header, field):
    got, score = score_header(header, syn)
    assert got == field and score >= 80


@pytest.mark.parametrize("text", ["refreshed", "however the board", "howard"])
def test_a_word_that_only_starts_with_a_short_synonym_is_not_that_header(syn, text):
    assert score_header(text, syn)[1] < 80


def test_a_body_row_with_a_few_header_words_is_not_a_header(syn):
    # body text of a plan: "governance" and "evidence" are header words, "refreshed" starts with "Ref"
    from actionplan.structure.headers import looks_like_header

    assert looks_like_header(["refreshed", "and Family", "governance quality", "monthly delivery ensure",
                              "evidence at"], syn) is None


def test_a_section_row_under_the_header_is_not_a_second_header_row(syn):
    """A word processor's section row right under the header, its text in the first cell (a
    blank-headed number column's): joined, "Priority 1: Ensure ..." scored as a heading and
    became the first column's, so the numbers under it were nobody's (tuning seed 11800016)."""
    header = ["", "Report paragraph", "Action", "What will be different?", "Led by", "Timescale",
              "Update on progress", "Status", "Monitoring and Evaluation"]
    section = ["Priority 1: Ensure that strengthen that information escalation quality audit from strategy "
               "evidence has impact.", *[""] * 8]
    body = ["Action 1", "32. (110)", "Attainment an continue", "Board evaluation", "Service", "November 2024",
            "Fostering timescale", "B", "Training"]
    found = find_header([header, section, body], syn)
    assert found is not None and found[:2] == (0, 1)


def test_a_body_row_whose_cells_end_sentences_is_not_a_header(syn):
    """A tall middle-aligned row leaves its cells' last lines side by side, below the rest
    of the row: seen in the sweep (a web page), read as a second table's header."""
    from actionplan.structure.headers import looks_like_header

    body = ["monitoring delivery.", "Family Support", "evidence plans.", "2022", "timescale review adoption",
            "improve drafted.", "engagement quarterly education"]
    assert looks_like_header(body, syn) is None
    # headings that end with a full stop are abbreviations, and questions are headings
    header = ["No.", "Ofsted Para No.", "What we will do", "Lead officer", "By when?", "How will we know?"]
    assert looks_like_header(header, syn) is not None


def test_unknown_header_stays_unmapped(syn):
    cmap = map_columns(["No.", "Lead", "Action", "Budget (£k)"], syn)
    assert cmap.fields == ("item", "lead", "action", None)


def test_each_field_goes_to_its_best_column(syn):
    cmap = map_columns(["Action", "Actions required"], syn)
    assert cmap.fields.count("action") == 1 and cmap.fields[0] == "action"


def test_header_row_is_found_below_stray_text_not_by_position(syn):
    rows = [["Plan owner: Director", "", "", ""], ["No.", "Action", "Lead", "By when"], ["1.", "Do it", "X", "May 2024"]]
    start, n, cmap = find_header(rows, syn)
    assert (start, n) == (1, 1) and cmap.fields == ("item", "action", "lead", "by_when")


def test_data_row_is_not_a_header(syn):
    assert find_header([["1.", "Review of EDT protocols", "Head of Fieldwork", "October 2014"]], syn) is None


def test_header_split_over_two_rows_is_joined(syn):
    rows = [["No.", "Ofsted", "Area for", "Lead", "By"], ["", "Para No", "Improvement", "", "When"], ["1.", "17.", "x", "y", "z"]]
    _, n, cmap = find_header(rows, syn)
    assert n == 2 and cmap.fields == ("item", "inspection_para", "area_for_improvement", "lead", "by_when")


def test_a_body_not_yet_cut_into_rows_is_not_a_headers_second_line(syn):
    """An item column with no heading: joined to the body under it ("Action 1 Action 2"),
    the header would name one field more, the action. A row that opens with an item
    number is the body, however its cells read joined."""
    ensure = ('Ensure that placement families placement progress from scrutiny evidence placement. Ensure'
              ' that attainment continue implementation that scrutiny will programme report reviewing '
              'this committee governance analysis procedures underway safeguarding practice practice '
              'attainment')
    action = ('Provider board is with workforce conference ensure information will health. Capacity the '
              'develop performance care assessment independent an safeguarding leavers by assessments '
              'will report this escalation report delivery been identified workforce with by review '
              'strengthen impact sharing with approved quality leavers outcomes managers evaluation '
              'implementation. Commissioning the attendance and ensure for.')
    impact = ('Plans evaluation an of health evidence quarterly partnership sharing assurance development'
              ' on strengthen resources reports plans families supervision pathway pathway implementation'
              ' sharing. Education attendance evidence children officers from independent independent '
              'plans this from officers implementation attainment placement outcomes their drafted plans '
              'supervision. Commissioning governance delivery framework ensure placement at services '
              'drafted evidence development continue thresholds deliver report.')
    route = ('Practice delivery strategy consultation resources quality attendance analysis a children '
             'independent framework health health. Monitoring evidence deliver is progress reports '
             'monthly strategy audit progress committee protocol assurance services. All develop '
             'partnership established refreshed supervision progress that escalation practice '
             'commissioning is embed committee assessment refreshed for.')
    rows = [["", "What Ofsted said", "Action to be taken", "What difference will it make?", "Accountable officer",
             "Com pleti on date", "On track?", "Assurance route"],
            ["Action 1 Action 2 Action 3", ensure, action, impact, "DCS DCS Head of Looked After Children",
             "June 2016 December 2022 May 2023 December 2020", "G G B", route]]
    start, n, cmap = find_header(rows, syn)
    assert (start, n) == (0, 1) and "action" in cmap.fields and cmap.fields[0] != "action"


def test_unlabelled_first_column_of_numbers_is_the_item(syn):
    cmap = map_columns(["", "Ofsted Para No", "Lead", "Action"], syn)
    cmap = infer_item_column(cmap, [["1.", "149", "x", "y"], ["2.", "", "x", "y"], ["", "", "x", "y"]])
    assert cmap.fields[0] == "item"


def test_synonyms_file_adds_a_councils_own_words(tmp_path):
    extra = tmp_path / "syn.csv"
    extra.write_text("field,synonym\naction,Intervention\nlead,Champion\n", encoding="utf-8")
    syn = Synonyms.load([extra])
    assert score_header("Intervention", syn)[0] == "action"
    assert score_header("Champion", syn)[0] == "lead"


def test_synonyms_file_with_an_unknown_field_is_a_clear_error(tmp_path):
    bad = tmp_path / "syn.csv"
    bad.write_text("field,synonym\nowner_name,Owner\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown field 'owner_name'"):
        Synonyms.load([bad])


def test_a_header_of_question_headings_is_named_by_its_words_once_one_synonym_names_a_column(syn):
    from actionplan.structure.headers import looks_like_header

    cells = ["Ref", "Planned activity", "Who is responsible?", "Deadline", "Position at review"]
    assert looks_like_header(cells, syn) is not None
    # a key or a milestones table with two field names and nothing a plan is for is not a plan's header
    assert looks_like_header(["Milestone", "Date", "Status"], syn) is None
    assert looks_like_header(["Rating", "Meaning", "When to use"], syn) is None


def _line(x0, x1, y, text="text"):
    from actionplan.extractors.model import TextLine

    return TextLine(text, (x0, y - 8, x1, y), 8.0)


def test_a_column_starts_where_its_lines_start_flush_left_of_a_centred_heading():
    from actionplan.structure.headers import Grid, align_to_body

    cells = [(10.0, 60.0, "Action"), (130.0, 170.0, "Lead")]  # "Lead" centred over a column from 100
    grid = Grid((126.0,), 9.0, 171.0)
    body = [[_line(10, 90, 100), _line(100, 180, 100)], [_line(10, 80, 90), _line(100, 150, 90)]]
    assert align_to_body(grid, cells, body).separators[0] < 100
    # lines centred in the column before (same width, one start) do not move it
    centred = [[_line(10, 60, 100), _line(95, 105, 100)], [_line(10, 60, 90), _line(95, 105, 90)]]
    assert align_to_body(grid, cells, centred).separators == (126.0,)


def test_an_edge_that_cuts_a_lines_first_letter_moves_left_of_it():
    """A browser centres "Target date" over a column whose dates start left of it: the gap
    between headings put the edge a letter into "June 2025" ("J" went to the lead) in a
    table with one such line on its page (sweep seeds 12000137, 12000035). A line the edge
    cuts within its first letter or two, starting after the heading before, is the next
    column's; a line of the column before, starting under its own heading, is not moved for."""
    from actionplan.structure.headers import Grid, align_to_body

    cells = [(10.0, 60.0, "Named lead"), (104.0, 130.0, "Target date")]
    grid = Grid((102.0,), 9.0, 171.0)
    body = [[_line(10, 50, 100, "Strategic"), _line(97, 125, 100, "June 2025")], [_line(10, 50, 90, "Manager")]]
    assert align_to_body(grid, cells, body).separators[0] < 97
    # a line running on from the column before (it starts under its heading) moves nothing
    spill = [[_line(10, 120, 100, "Strategic Business Lead")], [_line(10, 50, 90, "Manager")]]
    assert align_to_body(grid, cells, spill).separators == (102.0,)
    # nor does one cut further in than its first letters
    deep = [[_line(10, 50, 100, "Strategic"), _line(85, 125, 100, "June 2025")], [_line(10, 50, 90, "Manager")]]
    assert align_to_body(grid, cells, deep).separators == (102.0,)


def test_lines_centred_in_the_next_column_that_the_edge_cuts_move_it_left_of_them_all():
    """Rating words centred under a centred "R/A/G": the edge from the headings' gap cut
    "Not on track" and "Completed" ("No" went to the deadline), their starts apart, their
    centres one (sweep seed 12000146)."""
    from actionplan.structure.headers import Grid, align_to_body

    cells = [(10.0, 60.0, "Target date"), (108.0, 128.0, "R/A/G")]
    grid = Grid((106.0,), 9.0, 171.0)
    body = [[_line(10, 50, 100, "June 2025"), _line(97, 139, 100, "Not on track")],
            [_line(10, 50, 90, "May 2018"), _line(100, 136, 90, "Completed")],
            [_line(10, 50, 80, "April 2019"), _line(104, 132, 80, "On track")]]
    assert align_to_body(grid, cells, body).separators[0] < 97
    # where the new edge would cut a line of the column before, it stays
    wide = [*body, [_line(10, 98, 70, "End of Q3 2016/17")]]
    assert align_to_body(grid, cells, wide).separators == (106.0,)


def test_a_column_whose_heading_was_not_read_is_added_where_its_lines_start():
    from actionplan.structure.headers import Grid, align_to_body

    cells = [(10.0, 30.0, "No."), (130.0, 200.0, "Area")]
    grid = Grid((126.0,), 9.0, 201.0)
    body = [[_line(10, 20, 100), _line(60, 90, 100), _line(130, 190, 100)],
            [_line(10, 20, 90), _line(60, 80, 90), _line(130, 170, 90)]]
    assert len(align_to_body(grid, cells, body).separators) == 2


def test_numbers_set_flush_right_under_a_left_heading_stay_in_its_column():
    """A spreadsheet sets numbers at their cell's right: "9" and "10" end together past the
    end of "No.", some run on into the next cell's text ("11 36 (74)"). They are the item
    column's, not a column whose heading was not read."""
    from actionplan.structure.headers import Grid, align_to_body

    cells = [(10.0, 22.0, "No."), (40.0, 70.0, "Para"), (130.0, 200.0, "Area")]
    grid = Grid((36.0, 126.0), 9.0, 201.0)
    body = [[_line(30, 34, 100, "9"), _line(40, 60, 100, "35 (82,"), _line(130, 190, 100)],
            [_line(26, 34, 90, "10"), _line(40, 55, 90, "109)"), _line(130, 170, 90)],
            [_line(26, 60, 80, "11 36 (74)"), _line(130, 170, 80)]]
    assert align_to_body(grid, cells, body).separators == (36.0, 126.0)


def test_numbers_after_a_heading_that_names_the_item_are_its_column_though_they_start_flush():
    from actionplan.structure.headers import Grid, align_to_body

    cells = [(10.0, 22.0, "No."), (40.0, 70.0, "Para"), (130.0, 200.0, "Area")]
    grid = Grid((36.0, 126.0), 9.0, 201.0)
    body = [[_line(30, 56, 100, "4 32 (103)"), _line(130, 190, 100)], [_line(30, 34, 90, "5"), _line(130, 170, 90)],
            [_line(30, 34, 80, "6"), _line(130, 170, 80)]]
    assert align_to_body(grid, cells, body).separators[0] < 30  # without names: the next heading centred
    def names(text: str) -> tuple[str | None, float]:
        return ("item", 100.0) if text == "No." else (None, 0.0)
    assert align_to_body(grid, cells, body, names=names).separators == (36.0, 126.0)
    # where the item's numbers stand under its heading, numbers in the gap are the next
    # column's (a browser centres "Para" over a column that starts further left)
    web = [[_line(10, 16, 100, "1."), _line(30, 40, 100, "20"), _line(130, 190, 100)],
           [_line(10, 16, 90, "2."), _line(30, 52, 90, "23 (28)"), _line(130, 170, 90)]]
    assert align_to_body(grid, cells, web, names=names).separators[0] < 30


def test_a_header_under_a_title_subtitle_and_blank_rows_of_the_grid_is_found(syn):
    # a spreadsheet printed with its cell gridlines: the title, a version line and a blank
    # row are rows of the same grid above the header (more than `header_scan_rows`)
    rows = [["Children's Social Care Improvement Plan", "", "", "", ""],
            ["Version 3 - updated 25/03/2016", "", "", "", ""],
            ["", "", "", "", ""],
            ["", "What Ofsted said", "Tasks", "By when?", "RAG rating"],
            ["1.", "Improve the timeliness", "Audit cases", "March 2016", "Green"]]
    found = find_header(rows, syn)
    assert found is not None and found[0] == 3
    # rows of two cells or more still count: a body row does not hide a header far below it
    body = [["1.", "Audit", "x", "y", "z"]] * 3
    assert find_header([*body, rows[3]], syn) is None


def test_a_paragraph_set_right_above_a_text_header_is_not_its_first_line():
    from actionplan.structure.headers import find_text_header

    def is_header(cells):  # read whole, the headings are of two words or more
        return len(cells) >= 3 and sum(1 for c in cells if len(c.split()) >= 2) >= 3

    # the paragraph's last line runs over the first two headings at the header's own spacing
    rows = [[_line(54, 141, 450, "safeguarding this.")],
            [_line(54, 83, 436, "Priori"), _line(97, 139, 436, "Inspecti"), _line(152, 199, 436, "What the"),
             _line(244, 328, 436, "Planned activity"), _line(519, 543, 436, "Date")],
            [_line(54, 81, 423, "ty ref"), _line(97, 128, 423, "on ref"), _line(152, 208, 423, "inspectors"),
             _line(519, 539, 423, "due")],
            # the body starts at the header's line spacing, a cell or two blank
            [_line(54, 69, 410, "1.1"), _line(97, 112, 410, "21."), _line(152, 208, 410, "Ensure that"),
             _line(244, 326, 410, "Been in")]]
    found = find_text_header(rows, is_header)
    assert found is not None
    start, used, grid = found
    assert start == 1 and used == 2  # the header's two lines: not the paragraph, not the numbered row
    assert len(grid.separators) == 4  # "Priority ref" and "Inspection ref" are two columns


def test_a_section_line_right_under_a_text_header_is_not_a_headings_wrapped_line():
    """A spreadsheet heads its first group with a section row right under the header, at
    the header's own spacing: its line runs over several headings, which once read them
    all as one heading ("No. Responsible officer(s) Tasks Date due") and lost the header."""
    from actionplan.structure.headers import find_text_header

    def is_header(cells):
        return len(cells) >= 3

    rows = [[_line(19, 29, 529, "No."), _line(51, 120, 529, "Responsible officer(s)"), _line(137, 155, 529, "Tasks"),
             _line(333, 361, 529, "Date due"), _line(661, 691, 529, "On track?")],
            [_line(19, 443, 518, "Ensure that plans strategy this strategy police engagement review.")],
            [_line(19, 28, 507, "1.1"), _line(51, 110, 507, "Head of X"), _line(137, 300, 507, "Audit the files"),
             _line(333, 361, 507, "July 2015"), _line(661, 670, 507, "G")]]
    found = find_text_header(rows, is_header)
    assert found is not None
    start, used, grid = found
    assert (start, used) == (0, 1) and len(grid.separators) == 4


def test_headings_centred_over_fewer_lines_than_the_tallest_are_one_header_row():
    from actionplan.structure.headers import find_text_header

    def is_header(cells):
        return len(cells) >= 3 and sum(1 for c in cells if len(c.split()) >= 2) >= 3

    # a spreadsheet's header row centres each heading: three-line headings at 479/469/459,
    # two-line ones half a line off (474/464), one-line ones in the middle (469)
    rows = [[_line(55, 64, 479, "Nu"), _line(70, 89, 479, "Inspe")],
            [_line(341, 376, 474, "Responsib"), _line(652, 703, 474, "Monitoring and")],
            [_line(55, 65, 469, "mb"), _line(70, 87, 469, "ction"), _line(93, 117, 469, "Priority"),
             _line(378, 402, 469, "Due by"), _line(437, 491, 469, "Current position")],
            [_line(341, 363, 464, "le lead"), _line(652, 687, 464, "Evaluation")],
            [_line(55, 62, 459, "er"), _line(70, 79, 459, "ref")],
            [_line(55, 62, 440, "1."), _line(70, 79, 440, "39."), _line(93, 180, 440, "Ensure that")]]
    found = find_text_header(rows, is_header)
    assert found is not None
    start, used, grid = found
    assert (start, used) == (0, 5)
    assert len(grid.separators) == 6  # seven headings, "Responsible lead" and "Monitoring and Evaluation" among them


def test_a_long_heading_centred_between_a_headers_two_lines_keeps_the_second_line_in_the_header():
    from actionplan.structure.headers import find_text_header

    def is_header(cells):  # the first line alone reads as a header too ("Report" names a field)
        return len(cells) >= 4

    # a browser centres "Where are we now?" (four words, one line) half a line under the
    # first lines of the two-line headings; their second lines sit half a line below it
    rows = [[_line(117, 145, 543, "Area of"), _line(172, 198, 543, "Report"), _line(211, 235, 543, "Senior"),
             _line(331, 342, 543, "By")],
            [_line(77, 87, 537, "ID"), _line(270, 291, 537, "Tasks"), _line(366, 440, 537, "Where are we now?")],
            [_line(113, 148, 531, "weakness"), _line(180, 190, 531, "ref"), _line(215, 231, 531, "lead"),
             _line(325, 348, 531, "When")],
            [_line(77, 87, 515, "1.1"), _line(113, 160, 515, "Ensure that"), _line(270, 300, 515, "Audit")]]
    found = find_text_header(rows, is_header)
    assert found is not None
    start, used, grid = found
    assert (start, used) == (0, 3)
    assert len(grid.separators) == 6  # seven headings, "Area of weakness" one of them


def test_a_text_header_under_a_page_of_introduction_is_found():
    from actionplan.structure.headers import find_text_header

    def is_header(cells):
        return len(cells) >= 3 and "When?" in cells

    # an introduction filling the page above the header: a line a row, more rows than
    # `text_header_scan_rows`, none of them counted
    prose = [[_line(54, 560, 700 - 12 * k, "Teams completed pathway partnership to strategy consultation")]
             for k in range(20)]
    header = [_line(54, 90, 440, "Ofsted ref"), _line(100, 180, 440, "Key actions"),
              _line(200, 260, 440, "Accountable officer"), _line(280, 320, 440, "When?")]
    body = [_line(54, 80, 420, "25."), _line(100, 190, 420, "Committee programme"),
            _line(200, 250, 420, "DCS"), _line(280, 320, 420, "May 2025")]
    found = find_text_header([*prose, header, body], is_header)
    assert found is not None and found[0] == 20
    # rows of the plan's own table do count: a header is not looked for deep inside a body,
    # nor under a cell running on alone (one narrow line a row)
    rows = [list(body)] * 13
    assert find_text_header([*rows, header, body], is_header) is None
    running = [[_line(400, 500, 700 - 12 * k, "reviewing the plan")] for k in range(13)]
    assert find_text_header([*running, header, body], is_header) is None


def test_a_numbered_row_set_mid_cell_is_no_header_though_its_words_name_fields():
    """A browser sets a tall row's cells in their middle: the item's line ("1.1") comes mid-
    way down the progress column's text, beside one line of each other cell ("progress
    evidence", "monitoring. Teams"), words a header uses. Read as a second header, it ended
    the plan there and every later page was left out (tuning seed 11700098)."""
    from actionplan.structure.headers import PlanHeaderTest, Synonyms, find_text_header

    is_header = PlanHeaderTest(Synonyms.load())
    rows = [[_line(290, 301, 437, "ss")],
            [_line(70, 86, 430, "1.1"), _line(113, 156, 430, "38. (105)"), _line(176, 264, 430, "progress evidence"),
             _line(335, 360, 430, "mber"), _line(376, 464, 430, "monitoring. Teams"), _line(524, 535, 431, "ee")],
            [_line(290, 321, 423, "Intellig")],
            [_line(176, 271, 415, "teams safeguarding"), _line(335, 359, 415, "2021"),
             _line(376, 491, 415, "development thresholds"), _line(527, 532, 418, "n")],
            [_line(290, 314, 408, "ence")]]
    assert find_text_header(rows, is_header) is None
    # the same words without the number in the first column still read as a header
    assert find_text_header([rows[0], rows[1][1:], *rows[2:]], is_header) is not None


def test_a_headers_wrapped_line_that_names_fields_alone_is_still_its_wrapped_line():
    """Writer wraps "Action / number", "Named / lead", "By / Whe / n" in a dark header row.
    The lower line alone ("number", "lead", "Whe") reads as a header too, so the upper was
    taken for a title and the lower for a body row under it: no header was found, and 18
    of 21 records were left out (tuning seed 11500088)."""
    from actionplan.structure.headers import PlanHeaderTest, Synonyms, find_text_header

    is_header = PlanHeaderTest(Synonyms.load())
    rows = [[_line(72, 620, 538, "Officers to teams to development assessment timescale families the practice")],
            [_line(72, 250, 525, "continue independent drafted drafted.")],
            [_line(72, 104, 511, "Action"), _line(134, 177, 511, "Objective"), _line(265, 349, 511, "Actions to address"),
             _line(445, 478, 511, "Named"), _line(494, 505, 511, "By"), _line(531, 623, 511, "Where are we now?")],
            [_line(72, 108, 497, "number"), _line(445, 465, 497, "lead"), _line(494, 516, 497, "Whe")],
            [_line(494, 500, 484, "n")],
            [_line(72, 90, 470, "1.1a"), _line(134, 230, 470, "Ensure that protocol"),
             _line(265, 380, 470, "Improve is of quarterly"), _line(445, 460, 470, "AD"), _line(494, 512, 470, "Com"),
             _line(531, 640, 470, "Sharing agreed consultation")]]
    found = find_text_header(rows, is_header)
    assert found is not None and found[0] == 2 and found[1] >= 2
    assert len(found[2].separators) == 5


def test_a_text_headers_columns_are_fitted_to_its_own_table_not_the_one_under_the_next_title():
    """A web page's two plans, the second under its own title lower on the page, with other
    columns: the first header's columns were fitted to every line below it, the second
    table's too, which added edges where that table's columns start (tuning seeds 11600149,
    11500112)."""
    from actionplan.extractors.model import TextLine
    from actionplan.structure.headers import PlanHeaderTest, Synonyms, find_text_header

    def ln(x0, x1, y, text, size=8.0):
        return TextLine(text, (x0, y - size, x1, y), size)

    is_header = PlanHeaderTest(Synonyms.load())
    header = [ln(40, 60, 700, "No."), ln(120, 160, 700, "Action"), ln(260, 290, 700, "Lead"),
              ln(350, 390, 700, "By when")]
    body = [[ln(40, 50, 680 - 10 * k, "1"), ln(100, 220, 680 - 10 * k, "Audit the files"),
             ln(240, 320, 680 - 10 * k, "Head of LAC"), ln(340, 380, 680 - 10 * k, "May 2020")] for k in range(3)]
    title = [ln(40, 300, 630, "Recommendations for the partnership", 14.0)]
    second = [[ln(40, 50, 600 - 10 * k, "1"), ln(70, 140 + 10 * k, 600 - 10 * k, "Review the plan"),
               ln(180, 200 + 12 * k, 600 - 10 * k, "PSW"), ln(300, 315 + 8 * k, 600 - 10 * k, "June"),
               ln(360, 400, 600 - 10 * k, "Green")] for k in range(3)]
    found = find_text_header([header, *body, title, *second], is_header)
    assert found is not None
    alone = find_text_header([header, *body], is_header)
    assert alone is not None and found[2].separators == alone[2].separators


def test_lines_an_edge_cuts_through_starting_flush_after_a_heading_place_their_columns_start():
    """A browser centres "Para ref" over a column whose every row says "36.": the gap between
    the headings put the edge through "36.", giving "1." and "3" one column and "6." the next
    (tuning seed 11400035: items "1.32.33.3"). Lines no cell could hold across an edge,
    flush with one another, start the column, whatever their width."""
    from actionplan.extractors.model import TextLine
    from actionplan.structure.headers import Grid, align_to_body

    def ln(x0, x1, y, text):
        return TextLine(text, (x0, y - 8, x1, y), 8.0)

    cells = [(39.0, 50.0, "Ref"), (70.0, 95.0, "Para ref"), (150.0, 180.0, "Theme")]
    grid = Grid((68.0, 107.0), 33.0, 300.0)
    body = [[ln(33, 38, 700 - 30 * k, f"{k + 1}."), ln(64, 73, 700 - 30 * k, "36."),
             ln(109, 194, 700 - 30 * k, "Ensure that the services")] for k in range(3)]
    got = align_to_body(grid, cells, body)
    assert 50.0 <= got.separators[0] < 64.0 and got.separators[1] == 107.0
    # a section row's line running across both edges moves nothing
    across = [[ln(33, 290, 700 - 30 * k, "Priority 1: Ensure that the services")] for k in range(3)]
    assert align_to_body(grid, cells, across).separators == grid.separators
    # nor does a sheet's number run on into the next cell's ("3 22 (77, 141)": the item
    # and the paragraph; tuning seed 11600003) or text a cell lets run on over its neighbour
    run_on = [[ln(60, 106, 700 - 30 * k, f"{k + 3} 22 (77, 141)")] for k in range(3)]
    assert align_to_body(grid, cells, run_on).separators == grid.separators
    over = [[ln(35, 106, 700 - 30 * k, "Ongoing review")] for k in range(3)]  # from its own column's start
    assert align_to_body(grid, cells, over).separators == grid.separators


def _narrow_plan_page() -> list[list]:
    """A word processor's narrow plan: a header whose last heading wraps a syllable a line
    ("Cur" / "ren" / "t" / "RA" / "G"), then the first row at the header's own spacing, a
    word or two a line, its item a label over its number ("Action" / "12")."""
    cols = [(72, 110), (120, 190), (202, 300), (314, 380), (391, 440), (447, 495), (502, 610), (620, 640),
            (648, 720)]

    def row(texts: list[str], top: float) -> list:
        return [_line(a, min(b, a + 5 * len(t)), top, t) for t, (a, b) in zip(texts, cols) if t]

    return [row(["ID", "Area for", "How will we", "Evidence of", "Accounta", "Target", "Progress and", "Cur",
                 "Assurance"], 555),
            row(["", "development", "", "impact", "ble", "timescale", "", "ren", "route"], 543.5),
            row(["", "", "", "", "manager", "", "", "t", ""], 532),
            row(["", "", "", "", "", "", "", "RA", ""], 520.5),
            row(["", "", "", "", "", "", "", "G", ""], 509),
            row(["Action", "", "Education", "At leavers", "PSW", "December", "Procedures", "A", "Officers"], 497.5),
            row(["12", "", "all conference", "outcomes", "", "2018", "timescale", "", "underway"], 486),
            row(["", "", "strategy in.", "their plans.", "", "", "been approved.", "", "by attendance."], 474.5)]


def test_a_narrow_plans_first_row_at_the_headers_spacing_is_not_the_headers_wrapped_lines(syn):
    """A heading's lines are one run: a line under a heading that ended rows above ("Action"
    under "ID") is the body's (sweep seed 12000034: the header took a page's rows, 26 lines,
    and the page's one record was left out)."""
    from actionplan.structure.headers import PlanHeaderTest, find_text_header

    rows = _narrow_plan_page()
    found = find_text_header(rows, PlanHeaderTest(syn))
    assert found is not None and found[:2] == (0, 5)


def test_the_row_right_under_a_tables_own_header_is_its_first_row_not_another_header(syn):
    """Read from its header down, a narrow plan's first row (its lines a word or two, some
    naming fields on its first line: "Action", "December") is the table's, not a second
    table's header: read whole, over its lines, it names none (sweep seed 12000034: the
    page's record went to a table of its own, left out). A second plan's header right under
    the first's, as a sheet prints its print titles over it, is one (tuning seed 11800045)."""
    from actionplan.structure.columns import table_end
    from actionplan.structure.headers import PlanHeaderTest, find_text_header

    rows = _narrow_plan_page()
    test = PlanHeaderTest(syn)
    grid = find_text_header(rows, test)[2]
    assert table_end(rows, 0, grid, test)[0] == len(rows)
    # a second plan's header right under the first's (a sheet's print titles) ends it
    from actionplan.extractors.model import TextLine

    second = [_line(a, a + 18 if a == 620 else a + 40, 497.5, t) for a, t in zip(
        (72, 120, 202, 314, 391, 447, 502, 620, 648), ("Ref.", "What needs", "Planned activity", "Led by",
                                                       "When will", "Latest update", "Progress", "RAG", "Oversight"))]
    lower = [[TextLine(ln.text, (ln.bbox[0], ln.bbox[1] - 23, ln.bbox[2], ln.bbox[3] - 23), ln.size) for ln in r]
             for r in rows[5:]]
    assert table_end([*rows[:5], second, *lower], 0, grid, test)[0] == 5
