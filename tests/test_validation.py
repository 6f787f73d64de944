"""pandera validation: hard failures fail the file, soft ones become warnings; lazily."""

from __future__ import annotations

import pytest
from synth import PlanSpec, make_plan_pdf, random_records

from actionplan import ValidationFailed, convert
from actionplan.pipeline.cli import main
from actionplan.schemas.contract import RECORD_FIELDS
from actionplan.schemas.issues import STRUCTURAL
from actionplan.schemas.validation import validate_records

FIELDS = {"item", "lead", "action", "by_when", "rag", "inspection_para"}


def rec(item, **kw):
    r = dict.fromkeys(RECORD_FIELDS)
    r.update(item=item, lead="Head of X", lead_canonical=["Head of X"], inspection_para_refs=[], due_dates=[],
             source_pages=[1], extra={})
    r.update(kw)
    return r


def codes(issues):
    return sorted((i.code, i.item) for i in issues)


def test_clean_records_pass():
    assert validate_records([rec("1"), rec("2", due_dates=["2015-11"], due="2015-11", rag="G")], FIELDS, "t") == ([], [])


def test_every_failure_is_collected_not_just_the_first():
    hard, soft = validate_records(
        [rec("1", rag="Red"), rec("1"), rec("3", due_dates=["2015-02-30"], due="2015-02-30"), rec("5", lead=None)],
        FIELDS, "t")
    assert codes(hard) == [("date-invalid", "3"), ("item-duplicate", "1"), ("item-duplicate", "1"), ("rag-invalid", "1")]
    assert codes(soft) == [("lead-empty", "5"), ("numbering-gap", "3"), ("numbering-gap", "5")]


def test_gap_in_numbering_is_a_warning_naming_both_items():
    _, soft = validate_records([rec("10"), rec("12")], FIELDS, "t")
    assert [(i.code, i.message) for i in soft] == [("numbering-gap", "item 10 is followed by 12")]


def test_dotted_numbering_restarting_per_section_is_not_a_gap():
    _, soft = validate_records([rec("1.1"), rec("1.2"), rec("2.1"), rec("2.2")], FIELDS, "t")
    assert soft == []


def test_paragraph_that_is_not_a_number_is_a_warning():
    _, soft = validate_records([rec("1", inspection_para="see report")], FIELDS, "t")
    assert codes(soft) == [("para-not-numeric", "1")]


def test_due_must_be_the_last_due_date():
    hard, _ = validate_records([rec("1", due_dates=["2015-01", "2015-03"], due="2015-01")], FIELDS, "t")
    assert codes(hard) == [("due-mismatch", "1")]


def test_text_must_be_stripped():
    hard, _ = validate_records([rec("1", action=" padded ")], FIELDS, "t")
    assert codes(hard) == [("text-unstripped", "1")]


@pytest.fixture(scope="module")
def duplicate_pdf(tmp_path_factory):
    records = random_records(8, 6)
    records[3]["item"] = records[2]["item"]
    return make_plan_pdf(tmp_path_factory.mktemp("dup") / "dup.pdf", [PlanSpec("Plan", records)])


def test_duplicate_item_fails_the_file_naming_both_places(duplicate_pdf):
    with pytest.raises(ValidationFailed, match=r"item '3' is printed more than once in the plan: page \d+, page \d+") \
            as exc:
        convert(duplicate_pdf)
    assert exc.value.file and exc.value.row == "3"


def test_a_plan_whose_numbering_starts_again_converts_as_two_plans(tmp_path):
    first, second = random_records(5, 31), random_records(4, 32)
    pdf = make_plan_pdf(tmp_path / "two.pdf", [PlanSpec("Plan", [*first, *second])])
    result = convert(pdf)
    assert [[r["item"] for r in t.records] for t in result.tables] == [
        [r["item"] for r in first], [r["item"] for r in second]]
    restarts = [w for w in result.warnings if w.code == "plan-split-numbering-restarts"]
    assert [(w.item, w.code in STRUCTURAL) for w in restarts] == [("1", True)]


def test_failed_file_leaves_no_outputs(duplicate_pdf, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["convert", str(duplicate_pdf), "-o", str(out)]) == 1
    assert "dup.pdf" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["manifest.json"]


def test_strict_turns_warnings_into_a_failing_exit_code(tmp_path, capsys):
    records = random_records(9, 4)
    records[1]["lead"] = ""
    records[1]["lead_canonical"] = []
    pdf = make_plan_pdf(tmp_path / "warn.pdf", [PlanSpec("Plan", records)])
    assert main(["convert", str(pdf), "-o", str(tmp_path / "a")]) == 0
    assert main(["convert", str(pdf), "-o", str(tmp_path / "b"), "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err
