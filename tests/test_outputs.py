"""Outputs: JSON against the published schema, the workbook, CSVs, injection guards, atomic writes."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from actionplan import write_outputs
from actionplan.pipeline.core import PlanTable, Result
from actionplan.pipeline.outputs.tabular import neutralise, read_csv_records, restore
from actionplan.pipeline.outputs.workbook import build_workbook, sheet_name
from actionplan.schemas.contract import RECORD_FIELDS, data_file
from actionplan.schemas.records import overdue


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(data_file("actionplan.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def written(sample_result, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    paths = write_outputs(sample_result, out, as_of=date(2015, 7, 1))
    return {p.suffix if p.suffix != ".csv" else p.name: p for p in paths}


def _hostile_result(tmp_path: Path) -> Result:
    rec = dict.fromkeys(RECORD_FIELDS)
    rec.update(item="1", action="=HYPERLINK(\"http://x\",\"y\")", progress="+1", lead="@SUM(A1)", monitoring="-",
               by_when="\tTab", evidence_of_impact="\rCR", inspection_para_refs=[], lead_canonical=["-5"],
               due_dates=["2015-11"], due="2015-11", rag="R", rag_raw="R", source_pages=[1], extra={"Budget": "=1+1"})
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    columns = [{"header": "No.", "field": "item"}, {"header": "Budget", "field": None}]
    return Result(source=pdf, sha256="0" * 64, page_count=1, tables=[PlanTable("plan", "Plan", [1], columns, [rec])])


def test_sample_json_validates_against_the_published_schema(written, validator):
    doc = json.loads(written[".json"].read_text(encoding="utf-8"))
    errors = [e.message for e in validator.iter_errors(doc)]
    assert errors == []


def test_schema_rejects_a_record_that_breaks_the_contract(sample_result, validator):
    doc = json.loads(sample_result.to_json())
    doc["tables"][0]["records"][0]["rag"] = "Red"
    doc["tables"][0]["records"][1]["due_dates"] = ["2015-13"]
    assert len(list(validator.iter_errors(doc))) == 2


def test_workbook_has_summary_one_sheet_per_plan_and_review(written):
    wb = load_workbook(written[".xlsx"])
    assert wb.sheetnames == ["Summary", "OFSTED INSPECTION MAY 2014", "HSCB OFSTED INSPECTION MAY 2014", "Review"]


def test_plan_sheets_look_finished(written):
    wb = load_workbook(written[".xlsx"])
    ws = wb["OFSTED INSPECTION MAY 2014"]
    headers = [c.value for c in ws[1]]
    # what a board reads first (and prints), then what was printed and read besides (screen only)
    assert headers[:7] == ["Item", "Area for improvement", "Lead", "Action", "Latest due", "Progress", "RAG"]
    assert {"Inspection para", "Lead (as written)", "Original due"} <= set(headers[7:])
    assert ws.print_area == f"'{ws.title}'!$A$1:$G$77"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}77"
    assert ws.max_row == 77 and all(c.font.bold for c in ws[1])
    action = ws.cell(2, headers.index("Action") + 1)
    assert action.alignment.wrap_text and ws.column_dimensions[action.column_letter].width >= 40


def test_deadlines_are_real_dates_with_the_revision_beside_the_original(written):
    ws = load_workbook(written[".xlsx"])["OFSTED INSPECTION MAY 2014"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "20")  # "August 2014 September 2015"
    first, latest = row[headers.index("Original due")], row[headers.index("Latest due")]
    assert first.is_date and latest.is_date
    assert (first.value.date(), latest.value.date()) == (date(2014, 8, 1), date(2015, 9, 1))
    assert latest.number_format == "mmm yyyy"


def test_rag_cells_are_filled_with_their_colour(written):
    ws = load_workbook(written[".xlsx"])["OFSTED INSPECTION MAY 2014"]
    col = [c.value for c in ws[1]].index("RAG")
    fills = {r[col].value: r[col].fill.fgColor.rgb for r in ws.iter_rows(min_row=2) if r[col].value}
    assert fills["R"].endswith("FF0000") and fills["A"].endswith("FFC000") and fills["G"].endswith("00B050")


def test_review_sheet_lists_every_warning(written, sample_result):
    ws = load_workbook(written[".xlsx"])["Review"]
    assert ws.max_row - 1 == len(sample_result.warnings)
    codes = {r[4].value for r in ws.iter_rows(min_row=2)}
    assert {"rag-unsettled", "numbering-gap", "lead-empty"} <= codes


def test_summary_counts_records_ratings_leads_and_overdue(written):
    ws = load_workbook(written[".xlsx"])["Summary"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    plan = next(r for r in rows if r[0] == "OFSTED INSPECTION MAY 2014 - IMPROVEMENT PLAN")
    assert plan[2] == 76 and sum(plan[4:9]) == 76 and plan[3] > 0  # records, R+A+G+B+none, overdue
    assert any(r[0] == "Head of Looked After Children" for r in rows)
    late = rows.index(next(r for r in rows if r[0] == "Overdue action"))
    assert len([r for r in rows[late + 1:] if r[0]]) == sum(r[3] for r in rows if r[0] and r[1] and r[1] in (
        "OFSTED INSPECTION MAY 2014", "HSCB OFSTED INSPECTION MAY 2014"))


def test_overdue_means_past_the_end_of_the_due_month_and_not_complete():
    rec = {"due": "2015-06", "rag": "A", "by_when": "June 2015"}
    assert not overdue(rec, date(2015, 6, 30)) and overdue(rec, date(2015, 7, 1))
    assert not overdue({**rec, "rag": "B"}, date(2016, 1, 1))
    assert not overdue({**rec, "by_when": "Completed June 2015"}, date(2016, 1, 1))


@pytest.mark.parametrize(
    ("title", "want"),
    [("OFSTED INSPECTION MAY 2014 - IMPROVEMENT PLAN", "OFSTED INSPECTION MAY 2014"), ("Plan: A/B [draft]?", "Plan A B draft"),
     ("Summary", "Summary (2)"), (None, "plan-1")],
)
def test_sheet_names_follow_excels_rules(title, want):
    name = sheet_name(title, "plan-1", {"summary", "review"})
    assert name == want and len(name) <= 31


def test_csvs_round_trip_through_pandas_to_the_same_records(written, sample_result):
    for table in sample_result.tables:
        path = next(p for n, p in written.items() if n.endswith(f".{table.id}.csv"))
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        # every field but the page regions, which only the JSON carries
        flat = [{k: v for k, v in r.items() if k != "source_boxes"} for r in table.records]
        assert read_csv_records(path) == flat


def test_hostile_cells_are_neutralised_in_csv_and_excel_but_exact_in_json(tmp_path):
    result = _hostile_result(tmp_path)
    paths = write_outputs(result, tmp_path / "out")
    csv_text = next(p for p in paths if p.suffix == ".csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+1" in csv_text and "'@SUM" in csv_text and ",'-," in csv_text
    assert "'=1+1" in csv_text
    ws = load_workbook(next(p for p in paths if p.suffix == ".xlsx"))["Plan"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    dangerous = [c for c in cells if c.value[:1] in "=+-@\t\r"]
    assert dangerous and all(c.data_type == "s" and c.quotePrefix for c in dangerous)
    doc = json.loads(next(p for p in paths if p.suffix == ".json").read_text(encoding="utf-8"))
    assert doc["tables"][0]["records"][0]["action"] == "=HYPERLINK(\"http://x\",\"y\")"
    assert read_csv_records(next(p for p in paths if p.suffix == ".csv"))[0]["action"] == "=HYPERLINK(\"http://x\",\"y\")"


def test_neutralise_and_restore_are_inverse():
    for text in ["=1", "+", "-", "@x", "\tt", "\rr", "plain", "'quoted", "'=already"]:
        assert restore(neutralise(text)) == text


def test_a_failed_write_leaves_no_file_under_any_final_name(tmp_path, sample_result, monkeypatch):
    import actionplan.pipeline.outputs.tabular as tabular

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tabular, "write_csv", boom)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        write_outputs(sample_result, out)
    assert list(out.iterdir()) == []


def test_a_rewrite_replaces_files_whole(tmp_path, sample_result):
    out = tmp_path / "out"
    first = write_outputs(sample_result, out)
    again = write_outputs(sample_result, out)
    assert first == again and sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first)


def _office() -> str:
    from printing import office

    return office()


def test_the_workbook_prints_landscape_one_page_wide_with_titles_and_footer(written):
    from openpyxl import load_workbook

    wb = load_workbook(written[".xlsx"])
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and setup.fitToWidth == 1 and setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert "&P" in ws.oddFooter.right.text and "&F" in ws.oddFooter.left.text, ws.title
        if ws.title != "Summary":
            assert ws.print_title_rows in ("1:1", "$1:$1"), ws.title
    charts = wb["Summary"]._charts
    assert len(charts) == 2
    titles = ["".join(r.t for p in c.title.tx.rich.p for r in p.r) for c in charts]
    assert titles == ["Ratings per plan", "Overdue actions per lead"]


@pytest.fixture(scope="module")
def changes_book(sample_result, tmp_path_factory) -> Path:
    """The sample against a later version of itself: progress written in, ratings moved,
    an action inserted (everything after it renumbered)."""
    import copy

    from actionplan.pipeline.compare.changes_book import build_changes_workbook
    from actionplan.pipeline.compare.diff import Version, diff

    old = Version("plan-march.pdf", None, sample_result.to_dict()["tables"], Path("plan-march.pdf"))
    tables = copy.deepcopy(old.tables)
    records = tables[0]["records"]
    for k, rec in enumerate(records):
        if k % 2:
            rec["progress"] = (rec.get("progress") or "") + " Further work was agreed at the June board."
        if k % 7 == 0:
            rec["rag"] = rec["rag_raw"] = "R"
    records.insert(5, dict(records[5], item="5a", action="Train every social worker in the new model of practice"))
    changes = diff(old, Version("plan-june.pdf", None, tables, Path("plan-june.pdf")), as_of=date(2015, 7, 1))
    path = tmp_path_factory.mktemp("changes") / "plan-june.changes.xlsx"
    build_changes_workbook(changes).save(path)
    return path


@pytest.fixture(scope="module")
def synthetic_book(tmp_path_factory, synth_leads) -> Path:
    """A generated plan (not the sample: nothing here was tuned on it) as its workbook."""
    from synth import PlanSpec, make_plan_pdf, random_records

    from actionplan import convert

    d = tmp_path_factory.mktemp("synthetic")
    pdf = make_plan_pdf(d / "generated.pdf", [PlanSpec("Improvement plan", random_records(907, 40))])
    return write_outputs(convert(pdf, leads=synth_leads), d / "out", as_of=date(2016, 1, 1))[1]


def _report_print(name: str, pages: list) -> None:
    from conftest import artifact
    from printing import pages_per_sheet

    artifact(f"print-{name}.json").write_text(json.dumps(
        {"pages": len(pages), "per_sheet": pages_per_sheet(pages),
         "smallest_pt": round(min(p.smallest for p in pages), 2)}, indent=1), encoding="utf-8")


@pytest.mark.parametrize("book", ["sample", "changes", "synthetic"])
def test_printed_pages_are_landscape_readable_and_no_text_prints_over_text(book, written, changes_book,
                                                                          synthetic_book, tmp_path):
    """Printed as a user prints it (LibreOffice, every sheet): text at least 8 pt on the
    paper, nothing printed over anything else, a plan sheet's board columns only."""
    from printing import print_workbook, text_over_text
    from pypdf import PdfReader

    xlsx = {"sample": written[".xlsx"], "changes": changes_book, "synthetic": synthetic_book}[book]
    pages = print_workbook(xlsx, tmp_path)
    _report_print(book, pages)
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in PdfReader(tmp_path / (xlsx.stem + ".pdf")).pages)
    for k, page in enumerate(pages, 1):
        assert page.sheet != "?", k  # every page carries its footer
        assert page.smallest >= 8.0, (page.sheet, k, page.smallest)
        assert text_over_text(page) == [], (page.sheet, k, text_over_text(page)[:5])
        assert page.off_page() == [], (page.sheet, k, page.off_page()[:5])
    plans = [p for p in pages if p.sheet not in ("Summary", "Review", "Changes")]
    if book != "changes":
        assert plans and all("Progress" in p.text and "RAG" in p.text for p in plans if "Action" in p.text)
        assert not any("(as written)" in p.text for p in plans)  # screen only
    else:
        changes = [p for p in pages if p.sheet == "Changes"]
        assert changes and "New Progress" in changes[0].text and "Other fields changed" not in changes[0].text


@pytest.mark.parametrize("book", ["sample", "changes", "synthetic"])
def test_every_row_is_as_tall_as_calc_grows_it_for_its_text(book, written, changes_book, synthetic_book):
    """Rows grow to their text on every sheet (the Review and Changes sheets too): Calc's
    own optimal height for each row is never more than the workbook gives it."""
    from printing import calc_rows

    xlsx = {"sample": written[".xlsx"], "changes": changes_book, "synthetic": synthetic_book}[book]
    for sheet, rows in calc_rows(xlsx).items():
        short = [(r, given, need) for r, (given, need) in enumerate(rows, 1) if given < need - 0.5]
        assert short == [], (sheet, short[:5])


def test_libreoffice_opens_the_workbook_without_repair(written, tmp_path):
    office = _office()
    proc = subprocess.run([office, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(written[".xlsx"])],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / (written[".xlsx"].stem + ".csv")
    assert out.exists() and "Source file" in out.read_text(encoding="utf-8", errors="replace")


def test_workbook_builds_for_a_plan_without_records(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = Result(source=pdf, sha256="0" * 64, page_count=1, tables=[PlanTable("p", None, [1], [], [])])
    assert build_workbook(result).sheetnames == ["Summary", "p", "Review"]


def test_the_review_sheet_lists_structural_warnings_first(tmp_path):
    from actionplan.pipeline.core import Result
    from actionplan.pipeline.outputs.workbook import build_workbook
    from actionplan.schemas.issues import Issue

    warnings = [Issue("lead-empty", "no lead", item="3", field="lead", page=1),
                Issue("row-without-item", "joined", page=2)]
    result = Result(source=tmp_path / "p.pdf", sha256="0", page_count=2, tables=[], warnings=warnings)
    ws = build_workbook(result)["Review"]
    assert [ws.cell(r, 5).value for r in (2, 3)] == ["row-without-item", "lead-empty"]
