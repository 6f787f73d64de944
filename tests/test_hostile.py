"""Malformed and hostile PDFs (tests/hostile.py makes them): each fails alone, in seconds,
in bounded memory, with one line naming the file, and the batch goes on."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from conftest import SAMPLE_PDF
from hostile import CORPUS, write_corpus

from actionplan import ActionPlanError, convert


def test_a_batch_of_hostile_files_fails_each_quickly_in_bounded_memory(tmp_path):
    from synth import PlanSpec, make_plan_pdf, random_records

    src = tmp_path / "in"
    write_corpus(src)
    # a good plan among them (a small one: the batch's point is the hostile files)
    make_plan_pdf(src / "good.pdf", [PlanSpec("Improvement plan", random_records(5, 4))])
    out = tmp_path / "out"
    start = time.monotonic()
    # the batch run from a fresh process, which reports the peak of its own children only (this
    # test process's children include page readers forked from it by earlier tests, as big as it)
    proc = subprocess.run([sys.executable, "-c", _PEAK_OF, sys.executable, "-m", "actionplan", "convert", str(src),
                           "-o", str(out), "-j", "2", "--timeout", "120"], capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - start
    peak_mb = float(proc.stdout.rsplit("peak-kb", 1)[1]) / 1024
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


# runs the command given, passes its output and exit status on, and prints the peak resident
# memory of the processes it started (the batch and its workers)
_PEAK_OF = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr); "
            "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(p.returncode)")


@pytest.mark.parametrize(("name", "says"), [
    ("recursive-resources", "refers back to itself"),
    ("inflation-bomb", "drawing instructions exceed"),
    ("many-operators", "drawing instructions exceed"),
    ("not-a-pdf", "not a PDF"),
    ("object-chain", "each only refer to the next"),
    ("no-page-tree", "no table found"),  # read: its page's text is there, it is no plan
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


def _sample_with(tmp_path, extra_page_pdf: bytes, name: str = "mixed.pdf"):
    """The sample with one more page taken from another PDF."""
    from pypdf import PdfReader, PdfWriter

    other = tmp_path / "other.pdf"
    other.write_bytes(extra_page_pdf)
    writer = PdfWriter()
    for page in PdfReader(SAMPLE_PDF).pages:
        writer.add_page(page)
    writer.add_page(PdfReader(other).pages[0])
    mixed = tmp_path / name
    with mixed.open("wb") as fh:
        writer.write(fh)
    return mixed


def test_a_flate_stream_with_a_byte_after_its_end_is_measured_not_looped_on():
    import signal
    import zlib

    from actionplan.extractors.guard import _flate_size

    raw = zlib.compress(bytes(range(256)) * 2000) + b"x"  # inflates past one 64 KB chunk
    previous = signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(TimeoutError("looped")))
    signal.alarm(5)
    try:
        assert _flate_size(raw, 10**9) == 512_000
        assert _flate_size(raw, 1000) <= 65_536 + 1000
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_page_a_library_fails_on_is_a_warning_and_the_rest_converts(tmp_path, monkeypatch):
    import actionplan.extractors.pdf as reader

    real = reader.parse

    def failing(parser, path, pl, number):
        if number == 3:
            raise IndexError("list index out of range")  # as Camelot's lattice parser did on one page
        return real(parser, path, pl, number)

    monkeypatch.setattr(reader, "parse", failing)
    result = convert(SAMPLE_PDF, workers=1)
    skipped = [w for w in result.warnings if w.code == "page-not-read"]
    assert [w.page for w in skipped] == [3]
    assert "IndexError" in skipped[0].message and "print the PDF to a new PDF" in skipped[0].message
    assert 80 < len(result.records) < 102  # the other pages' records, no more


def test_text_pages_with_a_scanned_page_and_no_tesseract_are_read_and_the_scan_named(tmp_path, monkeypatch):
    from test_batch import _image_only

    import actionplan.extractors.ocr as ocr

    scan = _image_only(tmp_path / "scan.pdf").read_bytes()
    mixed = _sample_with(tmp_path, scan)
    monkeypatch.setattr(ocr, "tesseract", lambda: None)
    result = convert(mixed, workers=1)
    assert len(result.records) == 102
    named = [w for w in result.warnings if w.code == "page-not-read"]
    assert [w.page for w in named] == [22] and "Tesseract is not installed" in named[0].message
    assert "install Tesseract and convert again" in named[0].message
    # --ocr never reads the text pages too, and names the scan it leaves
    never = convert(mixed, workers=1, ocr="never")
    named = [w for w in never.warnings if w.code == "page-not-read"]
    assert len(never.records) == 102 and [w.page for w in named] == [22] and "--ocr auto" in named[0].message


def test_a_page_of_prose_is_searched_for_a_table_once_and_asked_of_pdfium_once(tmp_path, monkeypatch):
    """A report's prose pages have no table to guess: Camelot's network search runs once a
    page (inside its hybrid parser), not again on its own, and what is out of sight is
    asked of pdfium in the first pass only (a 352-page book took 22.9 s, now 21.1)."""
    from camelot.parsers.network import Network
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    import actionplan.extractors.pdf as reader
    from actionplan import ActionPlanError, convert

    pdf = tmp_path / "report.pdf"
    text = " ".join(["The service has improved its work with families across the county this year."] * 12)
    story = [Paragraph(text, getSampleStyleSheet()["Normal"]), PageBreak(), Paragraph(text, getSampleStyleSheet()["Normal"])]
    SimpleDocTemplate(str(pdf), pagesize=A4).build(story)
    searched, asked = [], []
    search, ask = Network._generate_table_bbox, reader.hidden_text
    monkeypatch.setattr(Network, "_generate_table_bbox", lambda self: searched.append(1) or search(self))
    monkeypatch.setattr(reader, "hidden_text", lambda path, pages, password=None: asked.extend(pages)
                        or ask(path, pages, password))
    with pytest.raises(ActionPlanError):
        convert(pdf, workers=1)
    assert len(searched) == 2, searched  # one search a page
    assert sorted(asked) == [1, 2], asked  # each page asked once
