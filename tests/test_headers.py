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
                                              ("Reference", "item")])
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
