"""Plans from other councils: layouts and habits the sample does not show.

Each case types random records into a PDF the way that council's template would and
checks the records that come back, not just that nothing crashed.
"""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4, portrait
from synth import DEFAULT_HEADERS, PlanSpec, make_plan_pdf, random_records
from test_roundtrip import _mismatches

from actionplan import convert

OTHER_HEADERS = [
    {"item": "Ref", "area_for_improvement": "Recommendation", "action": "Action(s)", "lead": "Responsible officer",
     "by_when": "Target date", "progress": "Update", "rag": "RAG status", "monitoring": "Monitoring"},
    {"item": "#", "area_for_improvement": "Finding", "action": "What we will do", "lead": "Owner",
     "by_when": "Deadline", "progress": "Progress update (June 2023)", "rag": "Rating", "monitoring": "Evidence"},
    {"item": "No.", "area_for_improvement": "Area for improvement", "action": "Actions", "lead": "Lead officer",
     "by_when": "Timescale", "progress": "Progress", "rag": "Status", "monitoring": "Measure of success"},
]
ORDERS = [
    ("item", "area_for_improvement", "action", "lead", "by_when", "rag", "progress", "monitoring"),
    ("item", "lead", "area_for_improvement", "action", "progress", "by_when", "rag", "monitoring"),
    ("item", "area_for_improvement", "lead", "by_when", "action", "progress", "monitoring", "rag"),
]


def _roundtrip(tmp_path, leads, records, fields=None, headers=None, title="Improvement Plan", **layout):
    spec = PlanSpec(title, records, tuple(fields or DEFAULT_HEADERS), {**DEFAULT_HEADERS, **(headers or {})})
    pdf = make_plan_pdf(tmp_path / "plan.pdf", [spec], **layout)
    return convert(pdf, leads=leads)


@pytest.mark.parametrize("n", range(3))
def test_other_headers_and_column_orders(n, tmp_path, synth_leads):
    records = random_records(40 + n, 14)
    result = _roundtrip(tmp_path, synth_leads, records, ORDERS[n], OTHER_HEADERS[n])
    fields = {c["header"]: c["field"] for c in result.tables[0].columns}
    assert fields[OTHER_HEADERS[n]["monitoring"]] in ("monitoring", "evidence_of_impact")
    got = {r["item"]: r for r in result.tables[0].records}
    for r in records:
        g = got[r["item"]]
        assert g["monitoring"] or g["evidence_of_impact"]
        # "Evidence"/"Measure of success" land in evidence_of_impact: compare wherever the text went
        g["monitoring"] = g["monitoring"] or g["evidence_of_impact"]
        g["inspection_para"], g["inspection_para_refs"] = r["inspection_para"], r["inspection_para_refs"]
    assert _mismatches(records, result) == []


@pytest.mark.parametrize("style", ["dotted", "prefixed", "letter"])
def test_item_ids_that_are_not_plain_numbers(style, tmp_path, synth_leads):
    records = random_records(50, 12, item_style=style)
    result = _roundtrip(tmp_path, synth_leads, records)
    assert [r["item"] for r in result.tables[0].records] == [r["item"] for r in records]
    assert _mismatches(records, result) == []


def test_recommendation_merged_down_over_its_actions_and_past_a_page_break(tmp_path, synth_leads):
    records = random_records(51, 16)
    result = _roundtrip(tmp_path, synth_leads, records, merge_areas=True)
    assert any(len(r["source_pages"]) > 1 for r in result.tables[0].records)
    assert _mismatches(records, result) == []


@pytest.mark.parametrize("rules", ["horizontal", "none"])
@pytest.mark.parametrize("repeat_header", [True, False])
def test_tables_without_full_rules_give_the_same_records(rules, repeat_header, tmp_path, synth_leads):
    records = random_records(52, 16)
    result = _roundtrip(tmp_path, synth_leads, records, rules=rules, repeat_header=repeat_header)
    assert len(result.tables) == 1 and result.page_count > 3
    assert _mismatches(records, result) == []
    assert result.text_coverage["ratio"] == 1.0


def test_small_non_plan_tables_stay_out_of_the_plan(tmp_path, synth_leads):
    records = random_records(53, 10)
    key = [["R", "Off track"], ["A", "At risk"], ["G", "On track"], ["B", "Complete"]]
    judgements = [["Judgement", "Grade"], ["Overall effectiveness", "Requires improvement"],
                  ["Leadership", "Good"]]
    sign_off = [["Signed", "Director of Children's Services"], ["Date", "1 June 2023"]]
    result = _roundtrip(tmp_path, synth_leads, records, tables_before=[judgements, key], extra_tables=[sign_off])
    assert len(result.tables) == 1 and result.tables[0].title == "Improvement Plan"
    assert _mismatches(records, result) == []
    kept = [" ".join(" ".join(r) for r in t["rows"]) for t in result.other_tables]
    assert any("On track" in k for k in kept) and any("Signed" in k for k in kept) and any("Judgement" in k for k in kept)
    assert [w for w in result.warnings if w.code == "not-a-plan-table"]


def test_portrait_pages_running_heads_and_a_footer_without_page_numbers(tmp_path, synth_leads):
    records = random_records(54, 14)
    result = _roundtrip(tmp_path, synth_leads, records, pagesize=portrait(A4), font_size=7,
                        running_head="OFFICIAL - SENSITIVE", footer="Children's Services Improvement Plan v3")
    assert result.tables[0].title == "Improvement Plan"
    assert _mismatches(records, result) == []


def test_rating_given_only_by_colour_including_blue(tmp_path, synth_leads):
    records = random_records(55, 20)
    result = _roundtrip(tmp_path, synth_leads, records, rag_text=False)
    assert {r["rag"] for r in records} >= {"R", "A", "G", "B"}
    assert _mismatches(records, result) == []


def test_day_dates_quarters_and_completed_with_a_date(tmp_path, synth_leads):
    records = random_records(56, 24)
    forms = ["31/03/2016", "End of Q2 2023/24", "Completed June 2023", "01/09/2023"]
    want = [["2016-03-31"], ["2023-09"], ["2023-06"], ["2023-09-01"]]
    for r, text, dates in zip(records, forms, want):
        r["by_when"], r["due_dates"] = text, dates
    result = _roundtrip(tmp_path, synth_leads, records)
    assert _mismatches(records, result) == []


def test_leads_named_by_post_with_abbreviation_or_by_abbreviation_alone(tmp_path, synth_leads):
    records = random_records(57, 6)
    for r, lead in zip(records, ["Director of Children's Services (DCS)", "DCS", "PSW",
                                 "Director of Children's Services", "DCS and PSW", "Head of LAC (JK)"]):
        r["lead"] = lead
    canon = [["Director of Children's Services"], ["Director of Children's Services"], ["Principal Social Worker"],
             ["Director of Children's Services"], ["Director of Children's Services", "Principal Social Worker"],
             ["Head of Looked After Children"]]
    for r, c in zip(records, canon):
        r["lead_canonical"] = c
    result = _roundtrip(tmp_path, synth_leads, records)
    assert _mismatches(records, result) == []


def test_a_lead_merged_over_several_actions_gives_each_action_its_lead(tmp_path, synth_leads):
    records = random_records(58, 8)
    for r in records:  # short rows, so the merged cell sits on one page
        r["progress"], r["action"], r["monitoring"] = "Underway.", "Review the protocol.", "Board."
        r["area_for_improvement"] = "Ensure that plans are reviewed."
    for r in records[2:5]:
        r["lead"], r["lead_canonical"] = "Head of Fieldwork", ["Head of Fieldwork"]
    result = _roundtrip(tmp_path, synth_leads, records, spans=[("lead", 2, 4)])
    assert result.page_count == 1
    assert _mismatches(records, result) == []
    assert not [w for w in result.warnings if w.code == "lead-empty"]


def test_plan_without_a_number_column_still_joins_rows_cut_by_a_page_break(tmp_path, synth_leads):
    records = random_records(59, 12)
    for r in records:  # text that carries on mid-sentence when a page cuts it
        r["progress"] = r["progress"][0] + r["progress"][1:].lower()
    fields = tuple(f for f in DEFAULT_HEADERS if f != "item")
    result = _roundtrip(tmp_path, synth_leads, records, fields)
    got = result.tables[0].records
    assert len(got) == len(records)
    assert any(len(r["source_pages"]) > 1 for r in got)
    assert [r["action"] for r in got] == [r["action"] for r in records]
    assert [r["item"] for r in got] == [str(n) for n in range(1, len(records) + 1)]
