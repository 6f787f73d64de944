"""Cell text: wrapped lines, words broken mid-word, look-alike characters."""

from __future__ import annotations

from actionplan.normalisers.text import Vocabulary, clean_cell, fix_lookalikes, header_key, join_lines

DOC = Vocabulary.from_texts([
    "Reviews due in October 2014 and February 2015 with the Business Plan Reference list.",
    "the procedures were agreed",
])


def test_lines_are_joined_with_single_spaces():
    assert join_lines("Ensure that \ncaseloads in   children\nin need", DOC) == "Ensure that caseloads in children in need"


def test_word_broken_by_a_narrow_column_is_rejoined_from_document_evidence():
    assert join_lines("Octob\ner 2014", DOC) == "October 2014"
    assert join_lines("Febru\nary", DOC) == "February"
    assert join_lines("Refere\nnce", DOC) == "Reference"
    assert join_lines("proced\nures", DOC) == "procedures"


def test_word_split_into_two_fragments_the_document_never_uses_is_rejoined():
    # "Seotember" (sic) is spelt nowhere else, but neither "Seotembe" nor "r" is a word
    assert join_lines("Seotembe\nr 2015", DOC) == "Seotember 2015"


def test_two_real_words_on_separate_lines_stay_apart():
    assert join_lines("Reviews due\nin October", DOC) == "Reviews due in October"
    assert join_lines("the\nprocedures", DOC) == "the procedures"


def test_short_lone_line_is_a_whole_word_even_if_unknown():
    # "alternative" ended its line because "accommodation" did not fit: not one word
    text = "police custody out\nof hours and that\nalternative\naccommodation is"
    assert join_lines(text, DOC) == "police custody out of hours and that alternative accommodation is"


def test_compound_broken_at_its_hyphen_stays_whole():
    assert join_lines("multi-\nagency workshops", DOC) == "multi-agency workshops"
    assert join_lines("2014-\n15", DOC) == "2014-15"


def test_dash_starting_a_line_keeps_its_spaces():
    assert join_lines("Service Manager\n– ICT Strategy", DOC) == "Service Manager – ICT Strategy"


def test_day_precision_date_broken_by_a_narrow_column_is_rejoined():
    assert join_lines("31/03/20\n16", DOC) == "31/03/2016"


def test_greek_alpha_used_as_a_latin_a_is_normalised():
    assert fix_lookalikes("Α") == "A"
    assert clean_cell("Αmber", DOC) == "Amber"
    assert fix_lookalikes("Αλφα") == "Αλφα"  # real Greek is left alone


def test_invisible_characters_and_odd_spaces_are_removed():
    assert clean_cell("multi\u00adagency\u00a0work\u200b", DOC) == "multiagency work"


def test_empty_cell_is_empty_string():
    assert clean_cell(None) == "" and clean_cell(" \n ") == ""


def test_header_key_ignores_wrapping_splits_and_punctuation():
    assert header_key("Busine ss Plan 2014-15 Refere nce") == header_key("Business Plan Reference")
    assert header_key("R/ A/G") == "rag"
    assert header_key("Ofsted / Para No") == header_key("Ofsted Para No")


def test_words_cut_by_a_narrow_column_are_rejoined_only_on_evidence():
    vocab = Vocabulary.from_texts(["the assessments were done", "a consultation with children and families"])
    assert join_lines("By\nassessment\ns at", vocab) == "By assessments at"  # a lone "s" is no word
    assert join_lines("End of Q4\n2016/1\n7", vocab) == "End of Q4 2016/17"  # a year range
    assert join_lines("Of agreed\nindependent\n.", vocab) == "Of agreed independent."  # wraps break at spaces
    assert join_lines("consultation\nchildren", vocab) == "consultation children"  # both are words here


def test_a_word_the_document_writes_elsewhere_is_not_glued_to_a_fragment_below_it():
    # a narrow column: "independe" + "nt" is one word, "timescale" above it is a word of its own
    doc = Vocabulary.from_texts(["the timescale was agreed", "a timescale", "independent"])
    assert join_lines("committee\ntimescale\nindepende\nnt practice", doc) == "committee timescale independent practice"


def test_a_fragment_the_document_breaks_the_same_way_twice_is_still_rejoined():
    # "Comple" ends a line twice ("Comple" + "te", "Comple" + "ted July"), and "Complete" is
    # whole nowhere: the fragments still make one word
    doc = Vocabulary.from_texts(["Comple\nte", "Comple\nted July 2015"])
    assert join_lines("Comple\nte", doc) == "Complete"


def test_a_word_broken_after_a_head_that_is_itself_a_word_is_rejoined_when_the_tail_is_none():
    # ReportLab breaks a word too long for its column where the width runs out: "develop" is
    # a word, "ment" never is, and "development" is written elsewhere
    doc = Vocabulary.from_texts(["we will develop the plan", "workforce development"])
    assert join_lines("governance\ndevelop\nment\nframework", doc) == "governance development framework"
    # both halves words of their own: two words ("consultation children" above)
    doc = Vocabulary.from_texts(["the work", "force of law", "workforce"])
    assert join_lines("the\nwork\nforce", doc) == "the work force"


def test_a_short_tail_seen_alone_only_at_a_pages_top_still_rejoins_its_head():
    # "nt" once stood alone as the first line of a page's piece of a split row (under the
    # repeated header's "Lead"): that does not make "Developme" + "nt" two words
    doc = Vocabulary.from_texts(["\u2026\nLead \nnt \nLead \n\u2026", "Workforce Development"])
    assert "nt" in doc
    # (a longer line above: "Developme" does not fill the cell's widest line in characters)
    assert join_lines("Assistant Director\nWorkforce\nDevelopme\nnt", doc) == "Assistant Director Workforce Development"


def test_a_word_broken_the_same_way_in_every_cell_that_holds_it_is_rejoined():
    # "Complete" is never whole: "Compl" / "ete" twice in a narrow deadline column
    doc = Vocabulary.from_texts(["Compl\nete", "Compl\nete", "consultation\nchildren", "children and families"])
    assert join_lines("Compl\nete", doc) == "Complete"
    assert join_lines("consultation\nchildren", doc) == "consultation children"


def test_an_outline_number_a_narrow_column_broke_after_its_dot_is_one_number():
    # a browser breaks "1.1" after the dot in a column narrower than it, the cell holding nothing else
    assert join_lines("1. \n1") == "1.1"
    assert join_lines("10.\n4a") == "10.4a"
    assert join_lines("17.\n(57, 138)") == "17. (57, 138)"  # a paragraph and its references
    assert join_lines("Priority\n1.") == "Priority 1."
    assert join_lines("See 1.\n1") == "See 1. 1"


def test_a_date_a_browser_broke_after_its_slash_is_one_date():
    # the line stops short of the column's edge (marked with a space): a browser breaks after "/"
    assert join_lines("07/09/ \n2020") == "07/09/2020"
    assert join_lines("11/01/20\n23") == "11/01/2023"
    assert join_lines("Review\n2020") == "Review 2020"


def test_a_footnote_mark_or_a_year_a_narrow_column_broke_off_goes_back():
    assert join_lines("October 2018\n*") == "October 2018*"
    assert join_lines("End of Q1 2023/\n24") == "End of Q1 2023/24"
    assert join_lines("February 202\n4") == "February 2024"
    assert join_lines("Since 2019\n4 reviews") == "Since 2019 4 reviews"
    # a year range broken before its slash, a date with its footnote mark broken in its year
    assert join_lines("End of Q2 2021\n/22") == "End of Q2 2021/22"
    assert join_lines("14/10/2\n023*") == "14/10/2023*"
    assert join_lines("Since 2019\n/ reviews") == "Since 2019 / reviews"


def test_a_year_a_very_narrow_column_broke_in_two_after_its_month_is_one_year():
    """A browser's very narrow column breaks every two letters: "No" / "v" / "20" / "19" was
    read "Nov 20 19", the deadline November 2020 (sweep seed 11700089, silent)."""
    assert join_lines("No\nv\n20\n19") == "Nov 2019"
    assert join_lines("Au\ngu\nst\n20\n19") == "August 2019"
    assert join_lines("Nov 20\n19") == "Nov 2019"
    # numbers that are no year after a month stay apart
    assert join_lines("Review on 20\n19 May") == "Review on 20 19 May"
    assert join_lines("pages 18,\n20\n19") == "pages 18, 20 19"


def test_a_financial_year_a_very_narrow_column_broke_three_times_after_its_quarter_is_one_year():
    """"End of Q3" / "20" / "19" / "/2" / "0" was read "End of Q3 20 19 /20": no date, the
    deadline lost (tuning seed 11700089)."""
    assert join_lines("End of\nQ3\n20\n19\n/2\n0") == "End of Q3 2019/20"
    assert join_lines("Q1\n20\n16\n/17") == "Q1 2016/17"
    assert join_lines("End of Q3 20\n19/20") == "End of Q3 2019/20"
    # a number after a quarter that starts no year stays apart
    assert join_lines("Q2\n20 items") == "Q2 20 items"


def test_a_line_the_reader_saw_run_to_the_columns_edge_is_full_whatever_its_characters_count():
    """"Developm" is shorter in characters than "Disabilitie", but its wide letters fill the
    line: the reader marked every line that stops short (a trailing space) and not this one.
    Read by its characters it was "not full", so "ent" (a word here only as this break's
    tail, and once elsewhere) stayed apart: "Developm ent" (tuning seed 11800052, silent)."""
    cell = "Head of \nChildren \nwith \nDisabilitie\ns and \nPractice \nDevelopm\nent "
    doc = Vocabulary.from_texts([cell] * 4 + ["Workforce development plan", "Ensure the ent team"])
    assert join_lines(cell, doc) == "Head of Children with Disabilities and Practice Development"
    # unmarked, nothing is known of where lines end: a short line is still not full
    assert join_lines("Children with Disabilities\nDevelopm\nent", doc).endswith("Developm ent")


def test_an_abbreviation_a_narrow_column_broke_is_rejoined_where_the_plan_uses_it_whole():
    doc = Vocabulary.from_texts(["Director of Children's Services (DCS)", "the LAC team"])
    assert join_lines("Services (DC\nS)", doc) == "Services (DCS)"
    # capitals that make no word the plan uses stay two words
    assert join_lines("the LAC\nIRO", doc) == "the LAC IRO"


def test_a_status_or_rating_word_a_narrow_column_broke_is_rejoined_where_the_plan_never_writes_it_whole():
    """Seen in the sweep (seed 11000080): "Ongoi" / "ng", where "ng" was also the tail of
    another broken word, stayed "Ongoi ng", and the deadline could not be read."""
    doc = Vocabulary.from_texts(["Ongoi\nng", "Safeguardi\nng and", "Am\nber", "work goes on", "going well"])
    assert join_lines("Ongoi\nng", doc) == "Ongoing"
    assert join_lines("Am\nber", doc) == "Amber"
    assert join_lines("on\ngoing", doc) == "on going"  # two words the plan writes are two words
    # a deadline "to be confirmed" in capitals, broken by a narrow column (seed 11100022)
    assert join_lines("TB\nC", doc) == "TBC"
