"""A batch of several plans gives one collection: SQLite, a workbook and JSON lines."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT
from synth import PlanSpec, make_plan_pdf, random_records, write_leads_csv

from actionplan.pipeline.cli import main
from actionplan.schemas.records import overdue

AS_OF = "2016-01-01"


def _records(seed: int, n: int) -> list[dict]:
    return random_records(seed, n)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Three plans in two PDFs, a file that is no PDF, and a later version of the first plan
    (more red ratings, one progress cell left blank) compared with `diff`."""
    root = tmp_path_factory.mktemp("collection")
    inputs = root / "in"
    inputs.mkdir()
    leads = write_leads_csv(root / "leads.csv")
    first = _records(11, 9)
    make_plan_pdf(inputs / "north.pdf", [PlanSpec("North Improvement Plan", first)])
    make_plan_pdf(inputs / "south.pdf", [PlanSpec("South Improvement Plan", _records(12, 7)),
                                         PlanSpec("South Board Plan", _records(13, 5))])
    (inputs / "broken.pdf").write_bytes(b"not a pdf at all")
    later = [dict(r) for r in first]
    for r in later[:4]:
        r["rag"] = "R"
    later[5]["progress"] = ""
    make_plan_pdf(inputs / "north-v2.pdf", [PlanSpec("North Improvement Plan", later)])
    out = root / "out"
    args = ["-o", str(out), "--leads", str(leads), "--as-of", AS_OF]
    code = main(["convert", str(inputs), *args, "-j", "2"])
    diff_code = main(["diff", str(out / "north.json"), str(out / "north-v2.json"), "-o", str(out), "--as-of", AS_OF])
    collect_code = main(["collect", str(out), "--as-of", AS_OF])
    return {"out": out, "code": code, "diff": diff_code, "collect": collect_code, "inputs": inputs}


def _outputs(out: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")
            if p.name != "manifest.json" and not p.name.endswith(".changes.json")}


def test_a_batch_of_several_plans_gives_a_collection_holding_every_record_once_with_its_file_and_plan(batch):
    out = batch["out"]
    assert batch["code"] == 1  # broken.pdf failed; the others converted and were collected
    want = [(name.replace(".json", ".pdf"), t["title"], r["item"], r["action"])
            for name, doc in sorted(_outputs(out).items()) for t in doc["tables"] for r in t["records"]]
    assert len(want) == 9 + 7 + 5 + 9
    db = sqlite3.connect(out / "collection.sqlite")
    got = db.execute("SELECT f.name, p.title, r.item, r.action FROM records r JOIN plans p ON p.id = r.plan_id "
                     "JOIN files f ON f.id = r.file_id ORDER BY f.name, r.plan_id, r.position").fetchall()
    assert sorted(got) == sorted(want)
    lines = [json.loads(x) for x in (out / "collection.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted((x["file"], x["plan_title"], x["record"]["item"], x["record"]["action"]) for x in lines) == sorted(want)
    failed = db.execute("SELECT status, error FROM files WHERE name = 'broken.pdf'").fetchone()
    assert failed[0] == "failed" and "not a PDF" in failed[1]

    from openpyxl import load_workbook

    wb = load_workbook(out / "collection.xlsx")
    assert wb.sheetnames == ["Summary", "Records"]
    ws = wb["Records"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    assert sorted((r["File"], r["Plan"], r["Item"], r["Action"]) for r in rows) == sorted(want)
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:{ws.cell(1, len(head)).column_letter}{len(rows) + 1}"
    red = next(ws.cell(i + 2, head.index("RAG") + 1) for i, r in enumerate(rows) if r["RAG"] == "R")
    assert red.fill.fgColor.rgb.endswith("FF0000")
    for sheet in wb:  # printed landscape, one page wide (a write-only sheet must be told before its rows)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.orientation == "landscape"
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    assert ["File not in the collection", "Why"] in [row[:2] for row in summary]
    import zipfile

    charts = [n for n in zipfile.ZipFile(out / "collection.xlsx").namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2  # ratings and overdue actions per lead (openpyxl does not load charts back)


def test_the_collection_counts_overdue_actions_as_the_plan_workbooks_do(batch):
    out = batch["out"]
    db = sqlite3.connect(out / "collection.sqlite")
    as_of = date.fromisoformat(AS_OF)
    want = {(name.replace(".json", ".pdf"), r["item"], t["title"]): overdue(r, as_of)
            for name, doc in _outputs(out).items() for t in doc["tables"] for r in t["records"]}
    got = {(f, i, t): bool(o) for f, i, t, o in db.execute(
        "SELECT f.name, r.item, p.title, r.overdue FROM records r JOIN files f ON f.id = r.file_id "
        "JOIN plans p ON p.id = r.plan_id")}
    assert got == want and any(want.values()) and not all(want.values())


def _readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Questions in SQL"):]
    return re.findall(r"```sql\n(.*?)```", section, re.S)[:3]


def test_the_three_readme_queries_run_as_written_and_answer_their_questions(batch):
    out = batch["out"]
    assert batch["diff"] == 0 and batch["collect"] == 0  # broken.pdf failed: listed in files, with its error
    by_lead, red_rose, no_progress = _readme_queries()
    db = sqlite3.connect(out / "collection.sqlite")
    # overdue actions by lead, across plans: the same counts as the records' own leads give
    as_of = date.fromisoformat(AS_OF)
    want: dict[str, int] = {}
    for doc in _outputs(out).values():
        for t in doc["tables"]:
            for r in t["records"]:
                if overdue(r, as_of):
                    for lead in r["lead_canonical"] or ([r["lead"]] if r["lead"] else []):
                        want[lead] = want.get(lead, 0) + 1
    rows = db.execute(by_lead).fetchall()
    assert {row[0]: row[1] for row in rows} == want and want
    # red ratings rose in the north plan's later version (four records set to R)
    rows = db.execute(red_rose).fetchall()
    assert [(row[0], row[1], row[2]) for row in rows] == [("North Improvement Plan", "north.pdf", "north-v2.pdf")]
    assert rows[0][4] > rows[0][3]
    # the one action whose progress was left blank
    rows = db.execute(no_progress).fetchall()
    assert [(row[0], row[2]) for row in rows] == [("north-v2.pdf", "6")]


def test_a_collection_that_fails_leaves_the_last_good_one_and_no_temporary_files(batch, tmp_path, monkeypatch):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(batch["out"], out)
    before = (out / "collection.sqlite").read_bytes()
    from actionplan.pipeline import collection

    def fail(col, path):
        Path(path).write_bytes(b"half a database")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(collection, "write_database", fail)
    assert main(["collect", str(out), "--as-of", AS_OF]) == 1
    assert (out / "collection.sqlite").read_bytes() == before
    assert not list(out.glob(".*.part"))


def test_a_missing_json_output_is_named_and_its_file_listed_not_silently_left_out(batch, tmp_path, capsys):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(batch["out"], out)
    (out / "south.json").unlink()
    assert main(["collect", str(out)]) == 1
    err = capsys.readouterr().err
    assert "south.pdf" in err and "JSON output is missing" in err
    db = sqlite3.connect(out / "collection.sqlite")
    assert "missing" in db.execute("SELECT error FROM files WHERE name = 'south.pdf'").fetchone()[0]
    assert db.execute("SELECT count(*) FROM records r JOIN files f ON f.id = r.file_id "
                      "WHERE f.name = 'south.pdf'").fetchone()[0] == 0


def test_a_resumed_batch_rebuilds_the_collection_without_counting_a_record_twice(batch, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(batch["out"], out)
    leads = tmp_path / "leads.csv"
    write_leads_csv(leads)
    before = sqlite3.connect(out / "collection.sqlite").execute("SELECT count(*) FROM records").fetchone()[0]
    assert main(["convert", str(batch["inputs"]), "-o", str(out), "--leads", str(leads), "--as-of", AS_OF]) == 1
    after = sqlite3.connect(out / "collection.sqlite").execute("SELECT count(*) FROM records").fetchone()[0]
    assert after == before == 30


def test_collect_refuses_a_folder_no_conversion_wrote_in_one_line(tmp_path, capsys):
    assert main(["collect", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "manifest.json" in err and str(tmp_path) in err


def test_a_single_file_or_no_collect_builds_no_collection(tmp_path):
    pdf = make_plan_pdf(tmp_path / "one.pdf", [PlanSpec("Plan", _records(21, 4))])
    assert main(["convert", str(pdf), "-o", str(tmp_path / "a")]) == 0
    assert not (tmp_path / "a" / "collection.sqlite").exists()
    other = make_plan_pdf(tmp_path / "two.pdf", [PlanSpec("Plan", _records(22, 4))])
    assert main(["convert", str(pdf), str(other), "-o", str(tmp_path / "b"), "--no-collect"]) == 0
    assert not (tmp_path / "b" / "collection.sqlite").exists()


def test_the_collection_workbook_keeps_a_cell_that_looks_like_a_formula_as_text(tmp_path):
    from openpyxl import Workbook, load_workbook

    from actionplan.pipeline.outputs.collection_book import WRAP, _Looks

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    looks = _Looks(ws)
    ws.append([looks.cell("=HYPERLINK(\"http://x\")", WRAP), looks.cell("plain\x07", WRAP), looks.cell(5, WRAP)])
    wb.save(tmp_path / "t.xlsx")
    cells = list(load_workbook(tmp_path / "t.xlsx")["x"][1])
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        ('=HYPERLINK("http://x")', "s", True), ("plain", "s", False), (5, "n", False)]
    assert all(c.alignment.wrap_text for c in cells)
