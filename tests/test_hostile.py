"""Malformed and hostile PDFs (tests/hostile.py makes them): each fails alone, in seconds,
in bounded memory, with one line naming the file, and the batch goes on."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time

import pytest
from conftest import SAMPLE_PDF
from hostile import CORPUS, write_corpus

from actionplan import ActionPlanError, convert


def test_a_batch_of_hostile_files_fails_each_quickly_in_bounded_memory(tmp_path):
    src = tmp_path / "in"
    write_corpus(src)
    shutil.copy(SAMPLE_PDF, src / "good.pdf")
    out = tmp_path / "out"
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "actionplan", "convert", str(src), "-o", str(out), "-j", "2",
                           "--timeout", "120"], capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "Fatal Python error" not in proc.stderr, proc.stderr[-2000:]
    entries = {e["path"].rsplit("/", 1)[-1]: e for e in json.loads((out / "manifest.json").read_text())["inputs"]}
    assert entries["good.pdf"]["status"] == "converted"
    for name in CORPUS:
        e = entries[f"{name}.pdf"]
        assert e["status"] == "failed", (name, e["status"], e["error"])
        assert "\n" not in e["error"] and f"{name}.pdf" in e["error"], e["error"]
        assert "Error:" not in e["error"] and "Exception" not in e["error"], e["error"]  # no raw exception names
        assert e["seconds"] < 15, (name, e["seconds"])
    assert elapsed < 120
    assert peak_mb < 700, f"a worker peaked at {peak_mb:.0f} MB"
    assert not [p for p in out.iterdir() if p.name.split(".")[0] in CORPUS]  # no outputs from failed files


@pytest.mark.parametrize(("name", "says"), [
    ("recursive-resources", "refers back to itself"),
    ("inflation-bomb", "drawing instructions exceed"),
    ("many-operators", "drawing instructions exceed"),
    ("not-a-pdf", "not a PDF"),
    ("empty", "empty"),
])
def test_a_hostile_file_is_refused_with_the_reason(name, says, tmp_path):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(CORPUS[name]())
    with pytest.raises(ActionPlanError, match=says):
        convert(path)


def test_a_page_over_the_drawing_budget_is_skipped_and_reported(tmp_path):
    """One hostile page among good ones: the rest is read, the page is named in a warning."""
    from pypdf import PdfReader, PdfWriter

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(CORPUS["many-operators"]())
    writer = PdfWriter()
    for page in PdfReader(SAMPLE_PDF).pages:
        writer.add_page(page)
    writer.add_page(PdfReader(bomb).pages[0])
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as fh:
        writer.write(fh)
    result = convert(mixed)
    assert len(result.records) == 102
    skipped = [w for w in result.warnings if w.code == "page-not-read"]
    assert len(skipped) == 1 and skipped[0].page == result.page_count


def test_a_file_with_bytes_after_its_end_marker_is_not_called_truncated(tmp_path):
    from actionplan.extractors.open import cut_short as _cut_short

    whole = tmp_path / "appended.pdf"
    whole.write_bytes(b"%PDF-1.4\n" + b"x" * 100 + b"\n%%EOF\n" + b"\0" * 10_000)  # beyond the tail read first
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(b"%PDF-1.4\n" + b"x" * 10_000)
    assert not _cut_short(whole)
    assert _cut_short(cut)
