"""`actionplan diff`: two versions of a plan, with edits we made, give back exactly those edits."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from conftest import SAMPLE_LEADS, SAMPLE_PDF
from openpyxl import load_workbook
from synth import PlanSpec, make_plan_pdf, plans_from_expected, random_records
from versions import edit_plan, tool_changes

from actionplan import InputError, diff
from actionplan.pipeline.cli import main
from actionplan.pipeline.compare.diff import MatchSettings, Version, change_flags, compare_records, write_changes
from actionplan.schemas.contract import data_file

CHANGES_SCHEMA = json.loads(data_file("changes.schema.json").read_text(encoding="utf-8"))


def _record(item: str, **kw: object) -> dict:
    base = {"item": item, "inspection_para": "17", "area_for_improvement": "Ensure that caseloads remain manageable",
            "lead": "Head of Service", "lead_canonical": ["Head of Service"],
            "action": f"Review every open case in team {item} and report the outcome to the board",
            "by_when": "March 2015", "due_dates": ["2015-03"], "due": "2015-03", "progress": "Started.",
            "rag": "A", "rag_raw": "A", "monitoring": None, "evidence_of_impact": None}
    base.update(kw)
    return base


def _version(name: str, *plans: tuple[str, list[dict]]) -> Version:
    tables = [{"id": f"plan-{k}", "title": title, "columns": [{"header": "x", "field": f} for f in
              ("item", "inspection_para", "area_for_improvement", "lead", "action", "by_when", "progress", "rag")],
               "records": records} for k, (title, records) in enumerate(plans, 1)]
    return Version(name, None, tables, Path(name))


def _contract(records: list[dict]) -> list[dict]:
    """Generated records completed as the pipeline writes them (latest due, RAG as written)."""
    out = []
    for r in records:
        r = dict(r)
        r["due"] = max(r["due_dates"]) if r.get("due_dates") else None
        r["rag_raw"] = r.get("rag")
        out.append(r)
    return out


# ------------------------------------------------------------------ fields and flags

def test_a_rating_that_moves_is_flagged_worse_or_better():
    assert "rag-worse" in change_flags(_record("1", rag="G"), _record("1", rag="R"), date(2014, 1, 1))
    assert "rag-better" in change_flags(_record("1", rag="R"), _record("1", rag="A"), date(2014, 1, 1))
    assert not {"rag-worse", "rag-better"} & set(change_flags(_record("1", rag=None), _record("1"), date(2014, 1, 1)))


def test_a_later_deadline_slips_and_an_earlier_one_is_brought_forward():
    old = _record("1")
    later = _record("1", by_when="March 2015 September 2015", due_dates=["2015-03", "2015-09"], due="2015-09")
    earlier = _record("1", by_when="January 2015", due_dates=["2015-01"], due="2015-01")
    assert "slipped" in change_flags(old, later, date(2014, 1, 1))
    assert "brought-forward" in change_flags(old, earlier, date(2014, 1, 1))
    assert compare_records(old, later).keys() == {"by_when", "due"}


def test_an_overdue_action_whose_progress_and_rating_were_not_touched_is_flagged():
    old, new = _record("1"), _record("1")
    assert "overdue-not-updated" in change_flags(old, new, date(2015, 6, 1))
    # a moved rating is an update; a progress text broken over lines elsewhere is not
    assert "overdue-not-updated" not in change_flags(old, _record("1", rag="R"), date(2015, 6, 1))
    assert "overdue-not-updated" in change_flags(old, _record("1", progress="Started. "), date(2015, 6, 1))
    assert "overdue-not-updated" not in change_flags(old, new, date(2015, 3, 15))  # the month is not over
    assert "overdue-not-updated" not in change_flags(old, _record("1", progress="Done in part."), date(2015, 6, 1))
    assert "overdue-not-updated" not in change_flags(old, _record("1", rag="B"), date(2015, 6, 1))


def test_where_a_line_broke_is_no_change_but_a_changed_word_is():
    old = _record("1", progress="Case files to be re - audited in May; case- work and social care/ health reviewed")
    for same in ("Case files to be re -audited in May; case-work and social care /health reviewed",
                 "Case files  to be\nre-audited in May;  case \u2013 work and social care/health reviewed"):
        assert compare_records(old, _record("1", progress=same)) == {}, same
    for other in ("Case files to be re-audited in June; case-work and social care/health reviewed",
                  "Case files to bere-audited in May; case-work and social care/health reviewed"):
        assert compare_records(old, _record("1", progress=other)).keys() == {"progress"}, other
    # spaces that are not a line's break count: numbers and words run together are other text
    for a, b in (("Actions 1 2 and 3 done", "Actions 12 and 3 done"), ("a part of it", "apart of it")):
        assert compare_records(_record("1", progress=a), _record("1", progress=b)).keys() == {"progress"}


def test_a_lead_spelt_another_way_is_not_a_change_but_another_lead_is():
    old = _record("1", lead="Head of LAC", lead_canonical=["Head of Looked After Children"])
    respelt = _record("1", lead="Head of Looked Children", lead_canonical=["Head of Looked After Children"])
    other = _record("1", lead="Head of Fieldwork", lead_canonical=["Head of Fieldwork"])
    assert compare_records(old, respelt) == {}
    assert compare_records(old, other) == {"lead": {"old": "Head of LAC", "new": "Head of Fieldwork"}}


def test_only_a_new_number_is_renumbered_not_changed():
    old = _version("a.json", ("Plan", [_record(str(k)) for k in range(1, 5)]))
    new_records = [_record("1"), _record("9", action="A new action nobody had written before about training")]
    new_records += [dict(_record(str(k)), item=str(k + 1)) for k in range(2, 5)]
    changes = diff(old, _version("b.json", ("Plan", new_records)), as_of=date(2014, 1, 1))
    kinds = {(c.old_item, c.new_item, c.kind) for c in changes.changes}
    assert kinds == {(None, "9", "added"), ("2", "3", "renumbered"), ("3", "4", "renumbered"),
                     ("4", "5", "renumbered")}
    assert all(c.fields == {} for c in changes.changes)


def test_renumbered_is_counted_the_same_wherever_it_is_counted(tmp_path, capsys):
    from actionplan.schemas.contract import SCHEMA_VERSION

    old = _version("a.json", ("Plan", [_record(str(k)) for k in range(1, 5)]))
    new_records = [_record("1"), _record("9", action="A new action nobody had written before about training")]
    new_records += [dict(_record(str(k)), item=str(k + 1)) for k in range(2, 5)]
    new_records[2]["progress"] = "Finished the first half."  # renumbered and changed
    paths = []
    for name, tables in (("a.json", old.tables), ("b.json", _version("b.json", ("Plan", new_records)).tables)):
        paths.append(tmp_path / name)
        paths[-1].write_text(json.dumps({"schema_version": SCHEMA_VERSION, "tables": tables}), encoding="utf-8")
    assert main(["diff", *map(str, paths), "-o", str(tmp_path / "out"), "--as-of", "2014-01-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 added, 0 removed, 1 changed, 2 renumbered only; 1 unchanged"
    assert "3 renumbered" in out[1]  # every record whose number moved, the changed one too
    ws = load_workbook(tmp_path / "out" / "b.changes.xlsx")["Summary"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    head = next(r for r in rows if r[0] == "Plan")
    plan = rows[rows.index(head) + 1]
    assert plan[head.index("renumbered only")] == 2 and plan[head.index("renumbered")] == 3


def test_dates_show_as_the_plan_states_them_on_every_sheet(sample_result, tmp_path):
    from actionplan.pipeline.compare.changes_book import build_changes_workbook
    from actionplan.pipeline.outputs.workbook import build_workbook

    wb = build_workbook(sample_result, as_of=date(2030, 1, 1))  # every dated action overdue
    plan = wb[wb.sheetnames[1]]
    header = [c.value for c in plan[1]]
    col = header.index("Latest due")
    on_plan = {str(row[0].value): row[col].number_format for row in plan.iter_rows(min_row=2) if row[col].value}
    summary = [row for row in wb["Summary"].iter_rows() if row[3].value is not None]
    overdue = [row for row in summary if row[0].value and isinstance(row[2].value, str) and
               str(row[2].value) in on_plan and row[5].value == plan.title]
    assert len(overdue) > 10
    for row in overdue:
        assert row[3].number_format == on_plan[str(row[2].value)], row[2].value
    assert {row[3].number_format for row in overdue} >= {"mmm yyyy"}
    v = Version("a.pdf", None, sample_result.to_dict()["tables"], tmp_path / "a.pdf")
    doc = copy.deepcopy(v.tables)
    for r in doc[0]["records"]:
        r["progress"] = (r.get("progress") or "") + " More."
    changes = diff(v, Version("b.pdf", None, doc, tmp_path / "b.pdf"), as_of=date(2030, 1, 1))
    ws = build_changes_workbook(changes)["Changes"]
    header = [c.value for c in ws[1]]
    k = header.index("New Latest due")
    formats = {str(row[4].value): row[k].number_format for row in ws.iter_rows(min_row=2) if row[k].value}
    assert formats and all(formats[i] == on_plan[i] for i in formats if i in on_plan)


def test_a_heavily_reworded_action_is_paired_but_flagged_uncertain():
    old = _version("a.json", ("Plan", [_record("1", action="Recruit two more social workers to the team by spring"),
                                       _record("2")]))
    new = _version("b.json", ("Plan", [_record("1", action="Recruit two agency social workers while the team waits for permanent staff"),
                                       _record("2")]))
    (change,) = diff(old, new, as_of=date(2014, 1, 1)).changes
    assert change.kind == "changed" and "uncertain-match" in change.flags and set(change.fields) == {"action"}
    strict = diff(old, new, as_of=date(2014, 1, 1), match=MatchSettings(threshold=0.95))
    assert {c.kind for c in strict.changes} == {"added", "removed"}


def test_a_new_action_under_the_same_area_and_lead_is_an_addition_not_an_edit():
    old = _version("a.json", ("Plan", [_record("1"), _record("2")]))
    new = _version("b.json", ("Plan", [_record("1"), _record("2", action="Publish the audit calendar on the intranet")]))
    kinds = sorted(c.kind for c in diff(old, new, as_of=date(2014, 1, 1)).changes)
    assert kinds == ["added", "removed"]


def test_plans_pair_by_title_and_a_dropped_plan_is_removed_whole():
    main_plan = [_record(str(k)) for k in range(1, 4)]
    board = [_record(str(k), action=f"Board task {k}: agree the protocol with partners and publish it") for k in (1, 2)]
    old = _version("a.json", ("Improvement plan", main_plan), ("Safeguarding board plan", board))
    new = _version("b.json", ("Safeguarding board plan", board), ("Improvement plan - update", main_plan))
    assert diff(old, new, as_of=date(2014, 1, 1)).changes == []
    dropped = diff(old, _version("c.json", ("Improvement plan", main_plan)), as_of=date(2014, 1, 1))
    assert [(c.plan, c.kind) for c in dropped.changes] == [("Safeguarding board plan", "removed")] * 2


# ------------------------------------------------------------------ generated version pairs, as PDFs

@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_version_pairs_give_back_every_edit_and_nothing_else(seed, tmp_path, synth_leads):
    records = random_records(900 + seed, 16, multi_lead=False)
    edited = edit_plan(records, seed, n_edits=7)
    spec = dict(repeat_header=seed % 2 == 0, rules=("grid", "horizontal", "banded", "box-vertical")[seed - 1])
    old = make_plan_pdf(tmp_path / "v1.pdf", [PlanSpec("Improvement plan", records)], **spec)
    new = make_plan_pdf(tmp_path / "v2.pdf", [PlanSpec("Improvement plan", edited.records)], **spec)
    changes = diff(old, new, leads=synth_leads, as_of=date(2000, 1, 1))
    found, renumbered = tool_changes(changes.to_dict())
    assert (found, renumbered) == (edited.changes, edited.renumbered), edited.made
    assert not any("uncertain-match" in c.flags for c in changes.changes)


def test_the_sample_against_an_edited_copy_of_itself(sample_result, tmp_path):
    doc = sample_result.to_dict()
    edits = []
    new_doc = copy.deepcopy(doc)
    for t, seed in zip(new_doc["tables"], (5, 6)):
        edited = edit_plan(t["records"], seed, n_edits=10)
        t["records"] = _contract(edited.records)
        edits.append(edited)
    path = tmp_path / "sample-v2.json"
    path.write_text(json.dumps(new_doc), encoding="utf-8")
    changes = diff(SAMPLE_PDF, path, leads=SAMPLE_LEADS, as_of=date(2000, 1, 1))
    for k, edited in enumerate(edits):
        plan_id = doc["tables"][k]["id"]
        found, renumbered = tool_changes({"changes": [c.to_dict() for c in changes.changes if c.plan_id == plan_id]})
        assert (found, renumbered) == (edited.changes, edited.renumbered), edited.made


def test_the_sample_against_an_edited_retypeset_copy(expected, tmp_path):
    """The new version comes from another producer's typesetting: only the edits show."""
    specs = plans_from_expected(expected)
    edited = edit_plan(specs[1].records, 7, n_edits=6, kinds=("rag", "deadline", "progress", "reword", "drop"))
    specs[1].records = edited.records
    new = make_plan_pdf(tmp_path / "v2.pdf", specs, rules="horizontal")
    changes = diff(SAMPLE_PDF, new, leads=SAMPLE_LEADS, as_of=date(2000, 1, 1))
    ids = [p["id"] for p in changes.plans]  # in the new version's order
    assert len(ids) == 2 and not [c for c in changes.changes if c.plan_id == ids[0]]
    found, renumbered = tool_changes({"changes": [c.to_dict() for c in changes.changes if c.plan_id == ids[1]]})
    assert (found, renumbered) == (edited.changes, edited.renumbered), edited.made


# ------------------------------------------------------------------ outputs and the command

def test_the_command_writes_json_csv_and_a_finished_workbook(sample_result, tmp_path):
    old = tmp_path / "v1.json"
    old.write_text(sample_result.to_json(), encoding="utf-8")
    doc = copy.deepcopy(sample_result.to_dict())  # the session's result is shared: edit a copy
    rec = doc["tables"][0]["records"][0]
    rec["rag"] = rec["rag_raw"] = "G" if rec["rag"] != "G" else "R"
    doc["tables"][0]["records"].pop(3)
    new = tmp_path / "v2.json"
    new.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["diff", str(old), str(new), "-o", str(out), "--as-of", "2015-01-01"]) == 0
    data = json.loads((out / "v2.changes.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, CHANGES_SCHEMA)
    assert data["as_of"] == "2015-01-01" and data["old"]["sha256"] == sample_result.sha256
    assert sorted(c["kind"] for c in data["changes"]) == ["changed", "removed"]
    csv_text = (out / "v2.changes.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("plan,plan_id,kind,old_item,new_item,flags")
    wb = load_workbook(out / "v2.changes.xlsx")
    assert wb.sheetnames == ["Summary", "Changes"]
    ws = wb["Changes"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws.page_setup.orientation == "landscape"
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c for c in row))) for row in ws.iter_rows(min_row=2)]
    changed = next(r for r in rows if r["Kind"].value == "changed")
    assert changed["New RAG"].fill.fgColor.rgb.endswith(("00B050", "FF0000"))
    assert "overdue-not-updated" in {f for r in rows for f in (r["Flags"].value or "").split(", ")}
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    assert any(row[0] == "RAG from (rows) to (columns)" for row in summary)


def test_a_file_that_is_not_a_conversion_gets_one_line(tmp_path, capsys):
    bad = tmp_path / "other.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="not a conversion written by actionplan"):
        diff(bad, bad)
    assert main(["diff", str(bad), str(bad), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "other.json" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "other.changes.json").exists()
    assert main(["diff", str(tmp_path / "missing.pdf"), str(bad)]) == 2


def test_changes_are_written_all_or_nothing(sample_result, tmp_path, monkeypatch):
    v = Version("a.pdf", None, sample_result.to_dict()["tables"], tmp_path / "a.pdf")
    changes = diff(v, v, as_of=date(2014, 1, 1))
    import actionplan.pipeline.compare.changes_book as book

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(book, "write_changes_csv", broken)
    with pytest.raises(RuntimeError):
        write_changes(changes, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []  # the JSON written before the failure is gone too
