""""By When" -> due_dates and due: every date written, in order; the last is the one due."""

from __future__ import annotations

import pytest

from actionplan.normalisers.dates import month_of, rejoin_month_fragments, split_by_when


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("November 2015", ["2015-11"]),
        ("July 2014.", ["2014-07"]),
        ("October 15", ["2015-10"]),
        ("Seotember 2015", ["2015-09"]),
        ("Sept 2023", ["2023-09"]),
        ("Mar-24", ["2024-03"]),
        ("Jan 2024", ["2024-01"]),
    ],
)
def test_one_date_in_many_spellings(text, dates):
    assert split_by_when(text).dates == dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("31/03/2016", ["2016-03-31"]),
        ("01/09/2023", ["2023-09-01"]),
        ("31st July 2023", ["2023-07-31"]),
        ("30 November 2023", ["2023-11-30"]),
    ],
)
def test_day_precision_in_uk_order(text, dates):
    assert split_by_when(text).dates == dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("August 2014 September 2015", ["2014-08", "2015-09"]),
        ("Sept 2023 (revised Dec 2023)", ["2023-09", "2023-12"]),
        ("September 2015 January / February 2016", ["2015-09", "2016-01", "2016-02"]),
        ("October 2014 – March 2015", ["2014-10", "2015-03"]),
        ("December – January 2016", ["2015-12", "2016-01"]),
    ],
)
def test_several_dates_in_one_cell_come_back_in_order(text, dates):
    due = split_by_when(text)
    assert due.dates == dates and due.due == dates[-1]


@pytest.mark.parametrize("text", ["January\n2015", "Octob er 2014", "Septe mber 2014"])
def test_date_cut_by_a_page_break_or_narrow_column(text):
    assert len(split_by_when(text).dates) == 1


def test_month_name_broken_in_by_when_text_is_rejoined():
    assert rejoin_month_fragments("July 2016 Decembe r 2017") == "July 2016 December 2017"
    assert rejoin_month_fragments("S eptember 2017") == "September 2017"
    assert rejoin_month_fragments("Seotember 2015") == "Seotember 2015"  # written so; never corrected


@pytest.mark.parametrize(
    ("text", "joined"),
    [("De cem be r 2019", "December 2019"), ("O CT OB ER 2014", "OCTOBER 2014"), ("Ju n e 2020", "June 2020"),
     ("Jan uary / Feb ruary 2016", "January / February 2016")],
)
def test_month_name_broken_into_many_pieces_is_rejoined(text, joined):
    assert rejoin_month_fragments(text) == joined
    assert split_by_when(text).unparsed is None


@pytest.mark.parametrize("text", ["May June 2015", "to May 2016", "Co m ple te", "Mar y Smith"])
def test_words_that_do_not_spell_one_month_stay_apart(text):
    assert rejoin_month_fragments(text) == text


@pytest.mark.parametrize(
    ("text", "dates"),
    [("End of Q2 2023/24", ["2023-09"]), ("Q1 2024/25", ["2024-06"]), ("Q4 2023/24", ["2024-03"]),
     ("Q3 2023-2024", ["2023-12"])],
)
def test_uk_financial_quarters_give_the_quarters_last_month(text, dates):
    assert split_by_when(text).dates == dates


@pytest.mark.parametrize("text", ["Ongoing", "Complete", "TBC", "Completed"])
def test_status_words_give_no_date_and_no_guess(text):
    due = split_by_when(text)
    assert due.dates == [] and due.due is None and due.status and due.unparsed is None


def test_status_with_a_date_keeps_the_date():
    due = split_by_when("Completed June 2023")
    assert due.dates == ["2023-06"] and due.status == "completed"


@pytest.mark.parametrize("text", ["when funding allows", "2015/16", "the spring"])
def test_anything_unparsed_is_reported_with_its_text(text):
    due = split_by_when(text)
    assert due.dates == [] and due.unparsed == text


def test_impossible_day_is_reported_not_invented():
    due = split_by_when("31/02/2016")
    assert due.dates == [] and due.unparsed


def test_month_names_match_fuzzily_but_not_short_words():
    assert month_of("Seotember") == 9 and month_of("Febuary") == 2 and month_of("sept") == 9
    assert month_of("member") is None and month_of("the") is None


def test_a_month_whose_l_a_scan_read_as_an_exclamation_mark_is_still_read():
    assert split_by_when("Apri! 2019").dates == ["2019-04"]
    assert split_by_when("Ju| 2020").dates == ["2020-07"]
