"""Scanned plans: read with Tesseract, the grid taken from the page image."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import SAMPLE_PDF
from rapidfuzz import fuzz
from synth import PlanSpec, make_plan_pdf, make_scan_pdf, random_records

from actionplan import InputError, convert
from actionplan.schemas.contract import data_file

TEXT = ("area_for_improvement", "lead", "action", "by_when", "progress", "monitoring")


def _need_tesseract() -> None:
    if shutil.which("tesseract") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Tesseract (tesseract-ocr, see .ci/run)")
        pytest.skip("Tesseract is not installed")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory, synth_leads):
    """A generated plan printed, scanned at 200 dpi in grey, skewed under a degree, dusty."""
    _need_tesseract()
    folder = tmp_path_factory.mktemp("scan")
    records = random_records(77, 10)
    born = make_plan_pdf(folder / "born.pdf", [PlanSpec("Improvement plan", records)], rules="grid", font_size=9)
    scan = make_scan_pdf(born, folder / "scan.pdf", dpi=200, angle=0.6, speckle=0.002, seed=77)
    return records, convert(scan, leads=synth_leads)


def test_a_skewed_dusty_scan_gives_back_every_record(scanned):
    records, result = scanned
    got = {r["item"]: r for r in result.records}
    assert set(got) == {r["item"] for r in records}
    close = [fuzz.ratio(r.get(f) or "", got[r["item"]].get(f) or "") >= 95 for r in records for f in TEXT]
    assert sum(close) / len(close) >= 0.9
    for r in records:
        assert got[r["item"]]["due_dates"] == r["due_dates"], r["item"]
        assert got[r["item"]]["rag"] == r["rag"], r["item"]


def test_a_plan_read_by_ocr_says_so_and_names_its_doubtful_words(scanned):
    import jsonschema

    _, result = scanned
    doc = result.to_dict()
    assert all(t["ocr"] for t in doc["tables"])
    codes = {w["code"] for w in doc["warnings"]}
    assert "ocr-used" in codes
    assert all(w["page"] for w in doc["warnings"] if w["code"] == "ocr-low-confidence")
    assert result.text_coverage["words"] > 0  # counted against the words OCR read
    jsonschema.validate(doc, json.loads(data_file("actionplan.schema.json").read_text(encoding="utf-8")))


def test_born_digital_pages_are_never_read_by_ocr(sample_result):
    assert sample_result.document.ocr_pages == []
    assert not [t for t in sample_result.tables if t.ocr]
    assert not {w["code"] for w in sample_result.warnings} & {"ocr-used", "ocr-low-confidence"}


def test_a_scan_without_tesseract_says_how_to_install_it(tmp_path, monkeypatch):
    import actionplan.extractors.ocr as ocr

    born = make_plan_pdf(tmp_path / "born.pdf", [PlanSpec("Plan", random_records(3, 3))])
    scan = make_scan_pdf(born, tmp_path / "scan.pdf", speckle=0)
    monkeypatch.setattr(ocr, "tesseract", lambda: None)
    with pytest.raises(InputError, match="apt-get install tesseract-ocr"):
        convert(scan)
    with pytest.raises(InputError, match="no text layer"):
        convert(scan, ocr="never")


def test_ocr_always_is_an_accepted_setting_and_a_bad_one_is_refused():
    from actionplan import ConfigError, Settings

    assert Settings(ocr="always").ocr == "always"
    with pytest.raises(ConfigError, match="auto, always or never"):
        Settings(ocr="sometimes")
    assert SAMPLE_PDF.exists()
