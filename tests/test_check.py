"""`actionplan check`: a team's own plans with their expected records as regression tests."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import SAMPLES
from synth import PlanSpec, make_plan_pdf, random_records, write_leads_csv

from actionplan.pipeline.check import CheckResult, Pair, check_pair, compare, find_pairs
from actionplan.pipeline.cli import main

PAIRS = find_pairs(SAMPLES)


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_every_plan_in_samples_converts_to_its_expected_records(pair):
    """Drop NAME.pdf and NAME.expected.json (and NAME.leads.csv) into samples/: this checks them."""
    result = check_pair(pair)
    assert result.passed, "\n".join(result.differences[:20]) or result.error


def test_the_bundled_sample_is_the_first_pair_with_its_lead_list():
    assert PAIRS and PAIRS[0].pdf.name == "ofsted-improvement-plan-2014.pdf"
    assert PAIRS[0].leads is not None and PAIRS[0].leads.name.endswith(".leads.csv")


def test_a_pair_dropped_into_a_folder_is_found_and_a_pdf_without_expected_records_is_not(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "a.expected.json").write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sub" / "d.expected.json").write_text("{}")
    (tmp_path / "sub" / "d.leads.csv").write_text("canonical,aliases\n")
    assert [(p.name, p.leads is not None) for p in find_pairs(tmp_path)] == [("a", False), ("d", True)]
    assert [p.name for p in find_pairs(tmp_path, with_expected=False)] == ["a", "b", "c", "d"]


@pytest.fixture()
def own_plan(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    make_plan_pdf(folder / "ours.pdf", [PlanSpec("Our Improvement Plan", random_records(31, 8))])
    write_leads_csv(folder / "ours.leads.csv")
    return folder


def test_check_update_accepts_an_output_then_check_passes_and_fails_with_a_per_field_report(own_plan, capsys):
    assert main(["check", str(own_plan)]) == 2  # no expected records yet: usage, said in one line
    assert "--update" in capsys.readouterr().err
    assert main(["check", str(own_plan), "--update"]) == 0
    expected_file = own_plan / "ours.expected.json"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert "source_boxes" not in expected["tables"][0]["records"][0]
    assert expected["tables"][0]["records"][0]["lead_canonical"]  # the pair's own lead list was used
    capsys.readouterr()
    assert main(["check", str(own_plan)]) == 0
    assert " ok" in capsys.readouterr().out
    record = expected["tables"][0]["records"][2]
    record["progress"] = "Something else entirely"
    record["rag"] = "B" if record["rag"] != "B" else "R"
    expected_file.write_text(json.dumps(expected), encoding="utf-8")
    assert main(["check", str(own_plan)]) == 1
    out = capsys.readouterr().out
    assert "REGRESSION" in out
    assert f"item {record['item']}: progress: got" in out and "Something else entirely" in out
    assert f"item {record['item']}: rag: got" in out
    row = next(line for line in out.splitlines() if line.startswith("ours"))
    cells = dict(zip(["plan", "records", "spurious", "text", "para", "dates", "ratings"], row.split()))
    assert cells["records"] == "8/8" and cells["spurious"] == "0"
    assert cells["ratings"] == "15/16"  # rag and rag_raw of eight records: one rag differs
    done, total = map(int, cells["text"].split("/"))
    assert done == total - 1  # one progress differs


def _doc(*tables):
    return {"tables": [{"title": t, "records": rs} for t, rs in tables]}


def _check(expected, got):
    return compare(CheckResult(Pair("x", None, None)), expected, got)  # type: ignore[arg-type]


def test_compare_counts_a_missing_a_doubled_and_a_spurious_record():
    want = _doc(("Plan", [{"item": "1", "action": "a"}, {"item": "2", "action": "b"}, {"item": "3"}]))
    got = _doc(("Plan", [{"item": "1", "action": "a"}, {"item": "2", "action": "b"}, {"item": "2", "action": "b"},
                         {"item": "9", "action": "z"}]))
    r = _check(want, got)
    assert (r.expected, r.found, r.spurious, r.passed) == (3, 1, 1, False)
    assert any("item 2: found 2 times" in d for d in r.differences)
    assert any("item 3: found 0 times" in d for d in r.differences)


def test_compare_reads_a_plan_nobody_expected_as_spurious_records():
    want = _doc(("Plan", [{"item": "1"}]))
    got = _doc(("Plan", [{"item": "1"}]), ("Key", [{"item": "R"}, {"item": "A"}]))
    r = _check(want, got)
    assert r.spurious == 2 and not r.passed


def test_compare_takes_look_alike_letters_lead_order_and_a_printed_query_mark_as_the_same():
    want = _doc(("Plan", [{"item": "1", "rag_raw": "Α", "lead_canonical": ["B", "A"],
                           "inspection_para_refs": ["67", "80"], "progress": "two  words"}]))
    got = _doc(("Plan", [{"item": "1.", "rag_raw": "A", "lead_canonical": ["A", "B"],
                          "inspection_para_refs": ["67?", "80"], "progress": "two words"}]))
    assert _check(want, got).passed
    got["tables"][0]["records"][0]["inspection_para_refs"] = ["67"]
    assert not _check(want, got).passed


def test_a_pair_whose_expected_file_is_broken_is_an_error_naming_it(tmp_path):
    shutil.copy(SAMPLES / "ofsted-improvement-plan-2014.pdf", tmp_path / "p.pdf")
    (tmp_path / "p.expected.json").write_text("{not json")
    r = check_pair(find_pairs(tmp_path)[0], output={"tables": []})
    assert not r.passed and "p.expected.json" in (r.error or "")
