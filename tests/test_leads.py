"""Lead titles -> canonical titles from the user's list, or grouped among themselves."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_LEADS

from normalisers.leads import LeadList, clean_lead, group_leads, match_lead
from pipeline.errors import ConfigError


@pytest.fixture(scope="module")
def leads() -> LeadList:
    return LeadList.load(SAMPLE_LEADS)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Head of Fieldwork (KP)", ["Head of Fieldwork"]),
        ("Head of LAC", ["Head of Looked After Children"]),
        ("Head of Looked Children", ["Head of Looked After Children"]),
        ("Assistant Director: Safeguarding & Family Support", ["Assistant Director Safeguarding and Family Support"]),
        ("Assistant Director, Safeguarding and Family Support", ["Assistant Director Safeguarding and Family Support"]),
        ("Chair of Steering Group", ["Chair of HSCB Steering Group"]),
        ("Chair of the QA Sub Group", ["Chair of QA Sub Group"]),
        ("Chair of children at specific additional risk", ["Chair of Children at Specific Additional Risk"]),
    ],
)
def test_spellings_typos_and_dropped_words_match_one_title(leads, text, canonical):
    assert match_lead(text, leads, 85).canonical == canonical


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Head of LAC (JK) and Head of Fieldwork (KP)", ["Head of Looked After Children", "Head of Fieldwork"]),
        ("Frameworki Transformation Manager in conjunction with Service Manager – ICT Strategy and Commissioning",
         ["Frameworki Transformation Manager", "Service Manager ICT Strategy and Commissioning"]),
        ("Head of Safeguarding and Review/Head of Adults Safeguarding",
         ["Head of Safeguarding and Review", "Head of Adults Safeguarding"]),
        ("Independent Chair of the HSCB & Chair of HSAB", ["Independent Chair of HSCB", "Chair of HSAB"]),
    ],
)
def test_a_cell_naming_several_leads_gives_one_title_each(leads, text, canonical):
    assert match_lead(text, leads, 85).canonical == canonical


@pytest.mark.parametrize(
    "text",
    ["Head of Children with Disabilities and Practice Development", "Head of Safeguarding and Quality",
     "Assistant Director: Education & Commissioning"],
)
def test_titles_containing_and_are_not_split(leads, text):
    assert len(match_lead(text, leads, 85).canonical) == 1


def test_low_confidence_keeps_the_cleaned_title_and_names_the_candidates(leads):
    got = match_lead("Director of Public Health (AB)", leads, 85)
    assert got.canonical == ["Director of Public Health"]
    assert got.review and "best:" in got.review and "(" in got.review


def test_threshold_is_a_setting(leads):
    assert match_lead("Chair of Steering Group", leads, 99).review is not None


def test_initials_in_brackets_are_dropped():
    assert clean_lead("Head of Fieldwork (KP)") == "Head of Fieldwork"
    assert clean_lead("Head of LAC (J.K.)") == "Head of LAC"


def test_without_a_list_leads_group_under_their_most_frequent_spelling():
    values = ["Head of Fieldwork"] * 3 + ["Head of Fieldwork (KP)", "Head of Feildwork", "Virtual Head Teacher"]
    grouped = group_leads(values, 85)
    assert match_lead("Head of Feildwork", grouped, 85).canonical == ["Head of Fieldwork"]
    assert match_lead("Virtual Head Teacher", grouped, 85).canonical == ["Virtual Head Teacher"]


def test_lead_list_without_titles_is_a_clear_error(tmp_path):
    empty = tmp_path / "leads.csv"
    empty.write_text("canonical,aliases\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no titles"):
        LeadList.load(empty)
