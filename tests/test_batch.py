"""Batches: good files convert, each bad one is reported in one line, nothing partial is left,
and a second run skips what is done."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_LEADS, SAMPLE_PDF
from synth import PlanSpec, make_plan_pdf, random_records

from actionplan import convert
from actionplan.extractors.ocr import tesseract
from actionplan.pipeline.batch import FileReport, output_stems, render_table, run_batch
from actionplan.pipeline.cli import main
from actionplan.pipeline.settings import Settings
from actionplan.schemas.errors import ExtractionError, InputError


def _encrypted(path: Path) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", canPrint=1, canCopy=0)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(72, 720, "No. Action Lead By when")
    c.save()
    return path


def _image_only(path: Path) -> Path:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).rectangle([10, 10, 390, 190], outline="black")
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(img), 72, 400, 400, 200)
    c.save()
    return path


def _no_table(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Dear colleague, please find the improvement plan attached.")
    c.save()
    return path


def _unmapped_headers(path: Path) -> Path:
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    t = Table([["Colour", "Shape", "Weight"], ["red", "round", "4"], ["blue", "square", "9"]])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0))]))
    SimpleDocTemplate(str(path)).build([t])
    return path


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("batch")
    (d / "sub").mkdir()
    shutil.copy(SAMPLE_PDF, d / "sample.pdf")
    make_plan_pdf(d / "sub" / "synthetic.pdf", [PlanSpec("Plan", random_records(21, 10))])
    (d / "empty.pdf").write_bytes(b"")
    (d / "renamed.pdf").write_text("No.,Action,Lead\n1,Do it,Head of X\n", encoding="utf-8")
    (d / "truncated.pdf").write_bytes(SAMPLE_PDF.read_bytes()[:40_000])
    _encrypted(d / "encrypted.pdf")
    _image_only(d / "scanned.pdf")
    _no_table(d / "letter.pdf")
    (d / "notes.txt").write_text("not a pdf", encoding="utf-8")
    return d


EXPECT = {
    "empty.pdf": "empty",
    "renamed.pdf": "not a PDF",
    "truncated.pdf": "truncated",
    "encrypted.pdf": "--password",
    # a picture of an empty box: read by OCR and found empty, or, without Tesseract, said so
    "scanned.pdf": "no text on any page, even by OCR" if tesseract() else "Tesseract is not installed",
    "letter.pdf": "no table found",
}


def test_a_batch_converts_good_files_and_reports_each_bad_one_in_one_line(batch_dir, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["convert", str(batch_dir), "-o", str(out), "--jobs", "2", "--leads", str(SAMPLE_LEADS)])
    captured = capsys.readouterr()
    assert code == 1
    assert "skipped" in captured.err and "notes.txt" in captured.err
    for name, words in EXPECT.items():
        lines = [ln for ln in captured.err.splitlines() if name in ln and "failed" in ln]
        assert len(lines) == 1 and words in lines[0], (name, lines)
    assert "Traceback" not in captured.err
    produced = sorted(p.name for p in out.iterdir())
    assert [n for n in produced if not n.startswith(("sample.", "synthetic.", "manifest", "collection."))] == []
    # a batch of several files ends with their collection (tests/test_collection.py)
    assert {"collection.sqlite", "collection.xlsx", "collection.jsonl"} <= set(produced)
    assert {"sample.json", "sample.xlsx", "synthetic.json", "synthetic.xlsx"} <= set(produced)
    table = captured.out
    assert "file" in table and "status" in table
    assert sum(ln.split()[4:5] == ["failed"] for ln in table.splitlines()) == len(EXPECT)
    totals = next(ln for ln in table.splitlines() if ln.startswith("total:"))
    assert f"({2} converted, {len(EXPECT)} failed)" in totals
    assert table.splitlines()[-1].startswith("collection: 8 file(s)")  # then the collection it built

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    status = {Path(e["path"]).name: e["status"] for e in manifest["inputs"]}
    assert status["sample.pdf"] == "converted" and status["empty.pdf"] == "failed"
    sample = next(e for e in manifest["inputs"] if e["path"].endswith("sample.pdf"))
    assert len(sample["sha256"]) == 64 and "sample.json" in sample["outputs"] and sample["tool_version"]

    # a second run skips what is done, retries what failed; the manifest still says done
    assert main(["convert", str(batch_dir), "-o", str(out), "--leads", str(SAMPLE_LEADS)]) == 1
    captured = capsys.readouterr()
    assert "2 file(s) skipped: already converted with the same options" in captured.out
    again = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    status = {Path(e["path"]).name: e["status"] for e in again["inputs"]}
    assert status["sample.pdf"] == "converted" and status["synthetic.pdf"] == "converted"
    assert status["empty.pdf"] == "failed"
    # --force redoes them
    assert main(["convert", str(batch_dir / "sample.pdf"), "-o", str(out), "--force"]) == 0
    forced = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(e["path"]).name: e["status"] for e in forced["inputs"]}["sample.pdf"] == "converted"


def test_changed_input_is_converted_again(tmp_path):
    pdf = tmp_path / "in" / "plan.pdf"
    pdf.parent.mkdir()
    make_plan_pdf(pdf, [PlanSpec("Plan", random_records(1, 5))])
    out = tmp_path / "out"
    assert [r.status for r in run_batch([pdf], out, Settings())] == ["converted"]
    assert [r.status for r in run_batch([pdf], out, Settings())] == ["skipped"]
    make_plan_pdf(pdf, [PlanSpec("Plan", random_records(2, 5))])
    assert [r.status for r in run_batch([pdf], out, Settings())] == ["converted"]


def test_encrypted_pdf_opens_with_its_password(tmp_path):
    pdf = _encrypted(tmp_path / "locked.pdf")
    with pytest.raises(InputError, match="needs a password to open"):
        convert(pdf)
    with pytest.raises(InputError, match="password is wrong"):
        convert(pdf, password="wrong")
    with pytest.raises(ExtractionError):  # opened and read: it simply holds no plan
        convert(pdf, password="owner")


def test_table_with_unmappable_headers_names_them(tmp_path):
    pdf = _unmapped_headers(tmp_path / "other.pdf")
    with pytest.raises(ExtractionError, match="'Colour', 'Shape', 'Weight'") as exc:
        convert(pdf)
    assert "--synonyms" in str(exc.value)


def _good_and_bad(tmp_path, monkeypatch, bad_name, misbehave):
    """A good plan and a copy of it whose conversion misbehaves (the forked workers inherit the patch)."""
    import actionplan.pipeline.core as core

    good = tmp_path / "good.pdf"
    make_plan_pdf(good, [PlanSpec("Plan", random_records(3, 4))])
    bad = tmp_path / bad_name
    shutil.copy(good, bad)
    real = core.convert

    def patched(path, settings=None, **kw):
        if Path(path).name == bad_name:
            misbehave()
        return real(path, settings, **kw)

    monkeypatch.setattr(core, "convert", patched)
    return good, bad


def test_a_file_that_hangs_is_stopped_and_the_batch_goes_on(tmp_path, monkeypatch):
    good, slow = _good_and_bad(tmp_path, monkeypatch, "slow.pdf", lambda: time.sleep(60))
    start = time.monotonic()
    reports = run_batch([slow, good], tmp_path / "out", Settings(), jobs=2, timeout=3)
    assert time.monotonic() - start < 30
    assert [r.status for r in reports] == ["timeout", "converted"]
    assert "longer than 3 s" in reports[0].error
    assert not list((tmp_path / "out").glob("slow.*")) and not list((tmp_path / "out").glob(".slow*"))


def test_a_crashing_worker_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    import os

    good, bad = _good_and_bad(tmp_path, monkeypatch, "bad.pdf", lambda: os._exit(139))
    reports = run_batch([bad, good], tmp_path / "out", Settings(), jobs=1)
    assert [r.status for r in reports] == ["crashed", "converted"]
    assert "died" in reports[0].error


def test_inputs_with_the_same_name_in_different_folders_do_not_overwrite_each_other():
    stems = output_stems([Path("a/plan.pdf"), Path("b/plan.pdf"), Path("c/other.pdf")])
    assert list(stems.values()) == ["a-plan", "b-plan", "other"]


def test_summary_table_has_a_row_per_file():
    text = render_table([FileReport("/x/a.pdf", status="converted", plans=2, records=10, warnings=1, seconds=1.5),
                         FileReport("/x/b.pdf", status="failed")])
    lines = text.splitlines()
    assert lines[0].split() == ["file", "plans", "records", "warnings", "status", "time"]
    assert lines[2].split() == ["a.pdf", "2", "10", "1", "converted", "1.5s"] and "failed" in lines[3]


def test_a_file_that_needs_too_much_memory_is_stopped_and_reported(tmp_path):
    good = tmp_path / "good.pdf"
    make_plan_pdf(good, [PlanSpec("Plan", random_records(5, 4))])
    reports = run_batch([good], tmp_path / "out", Settings(), max_memory=100)
    assert reports[0].status in ("failed", "crashed")
    assert "memory" in reports[0].error or "died" in reports[0].error
    assert not list((tmp_path / "out").glob("good.*"))


def test_a_plan_named_manifest_does_not_overwrite_the_batch_manifest(tmp_path):
    assert output_stems([tmp_path / "manifest.pdf"])[tmp_path / "manifest.pdf"] != "manifest"


def test_resume_skips_an_input_given_by_a_relative_path_and_one_file_given_twice_converts_once(tmp_path, monkeypatch):
    pdf = tmp_path / "in" / "plan.pdf"
    pdf.parent.mkdir()
    make_plan_pdf(pdf, [PlanSpec("Plan", random_records(3, 4))])
    monkeypatch.chdir(tmp_path)
    rel = Path("in/plan.pdf")
    assert main(["convert", str(rel), str(pdf), "-o", "out", "-j", "1"]) == 0
    inputs = json.loads((tmp_path / "out" / "manifest.json").read_text())["inputs"]
    assert len(inputs) == 1
    assert [r.status for r in run_batch([rel], Path("out"), Settings())] == ["skipped"]


def test_symlinked_folders_are_followed_once_and_unreadable_ones_are_reported(tmp_path):
    from actionplan.pipeline.cli import find_pdfs

    real = tmp_path / "real"
    real.mkdir()
    make_plan_pdf(real / "a.pdf", [PlanSpec("Plan", random_records(4, 3))])
    top = tmp_path / "top"
    top.mkdir()
    (top / "link").symlink_to(real, target_is_directory=True)
    (top / "loop").symlink_to(top, target_is_directory=True)
    pdfs, notes = find_pdfs([top])
    assert [p.name for p in pdfs] == ["a.pdf"]
    assert any("already searched" in n for n in notes)


def _as_at_a_terminal() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


@pytest.mark.parametrize(("sig", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_stopped_batch_stops_its_workers_leaves_no_partial_output_and_records_what_finished(sig, code, tmp_path):
    import signal
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    for k in range(4):
        shutil.copy(SAMPLE_PDF, src / f"plan{k}.pdf")
    out = tmp_path / "out"
    # CI may run us with SIGINT ignored (a shell's background job) or blocked (the runner's
    # signal mask); a user at a terminal has neither: give the batch the terminal's state
    proc = subprocess.Popen([sys.executable, "-m", "actionplan", "convert", str(src), "-o", str(out), "-j", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_as_at_a_terminal)
    manifest = out / "manifest.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and json.loads(manifest.read_text())["inputs"]:
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the batch ended before it could be stopped"
    proc.send_signal(getattr(signal, sig))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3
    inputs = json.loads(manifest.read_text())["inputs"]
    assert inputs and all(e["status"] == "converted" for e in inputs)
    assert not list(out.glob(".*.part"))
    names = {p.name for p in out.iterdir()}
    for e in inputs:
        assert set(e["outputs"]) <= names
    converted = {Path(e["path"]).stem for e in inputs}
    assert {p.name.split(".")[0] for p in out.glob("plan*.json")} == converted  # nothing half-written


def test_a_pdf_whose_end_marker_is_far_from_the_end_still_reads(tmp_path):
    pdf = tmp_path / "padded.pdf"
    make_plan_pdf(pdf, [PlanSpec("Plan", random_records(6, 3))])
    pdf.write_bytes(pdf.read_bytes() + b"\n" + b" " * 10000)  # some mailers and servers pad files
    assert len(convert(pdf).records) == 3


def test_no_plan_header_names_a_few_headers_in_one_readable_line(tmp_path):
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    path = tmp_path / "wide.pdf"
    t = Table([[f"Colour\x01{k}" for k in range(9)], [str(k) for k in range(9)]])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0))]))
    SimpleDocTemplate(str(path)).build([t])
    with pytest.raises(ExtractionError) as exc:
        convert(path)
    text = str(exc.value)
    assert "\n" not in text and "and 5 more" in text and text.isprintable()


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_elsewhere():
    import io

    from actionplan.pipeline.batch import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    ok = FileReport("/x/a.pdf", status="converted", plans=1, records=3)
    bad = FileReport("/x/b.pdf", status="failed", error="/x/b.pdf: no table found")
    term = Terminal()
    bar = Progress(2, term)
    bar(ok, 1, 2)
    bar(bad, 2, 2)
    shown = term.getvalue()
    assert "2/2" in shown and "/x/b.pdf: no table found\n" in shown and "1 failed" in shown
    plain = io.StringIO()
    lines = Progress(2, plain)
    lines(ok, 1, 2)
    lines(bad, 2, 2)
    assert plain.getvalue().splitlines() == ["[1/2] converted: a.pdf: 1 plan(s), 3 records, 0 warning(s)",
                                             "[2/2] failed: /x/b.pdf: no table found"]


def test_a_report_that_arrives_just_after_the_batch_looked_for_it_is_not_lost(tmp_path, monkeypatch):
    """Regression: the batch looked for a worker's report, then whether the worker was alive;
    a worker that reported and exited between the two was called dead (exit code 0)."""
    import os
    from multiprocessing.connection import Connection

    pdf = tmp_path / "plan.pdf"
    make_plan_pdf(pdf, [PlanSpec("Plan", random_records(7, 4))])
    batch_pid = os.getpid()
    real = Connection.poll

    def late(self, timeout=0.0):
        ready = real(self, timeout)
        if not ready and os.getpid() == batch_pid:
            time.sleep(1.0)  # a slow look: the worker may report and exit meanwhile
        return ready

    monkeypatch.setattr(Connection, "poll", late)
    reports = run_batch([pdf], tmp_path / "out", Settings())
    assert [r.status for r in reports] == ["converted"], reports[0].error


def test_a_worker_that_dies_at_once_is_reported_even_if_the_pool_is_slow_to_see_it_start(tmp_path, monkeypatch):
    """pebble's pool knows which file a dead worker held only once it has read the worker's
    word that the file started; a worker dying before that broke the whole pool and every
    file in it. The batch lets a worker start only once the pool has recorded it."""
    import os

    from pebble.pool import process

    real = process.PoolManager.process_next_message

    def slow(self, timeout):
        time.sleep(0.3)  # a busy machine: the pool reads its workers' messages late
        return real(self, timeout)

    monkeypatch.setattr(process.PoolManager, "process_next_message", slow)
    good, bad = _good_and_bad(tmp_path, monkeypatch, "bad.pdf", lambda: os._exit(139))
    reports = run_batch([bad, good], tmp_path / "out", Settings(), jobs=1)
    assert [r.status for r in reports] == ["crashed", "converted"], [r.error for r in reports]
    assert "exit code 139" in reports[0].error


def test_files_in_parallel_read_their_pages_in_one_process_each(tmp_path, monkeypatch):
    """Files in parallel for a batch, pages in parallel for one file: never both nested."""
    import actionplan.pipeline.core as core

    seen = tmp_path / "workers"
    seen.mkdir()
    real = core.convert

    def record(path, settings=None, **kw):
        (seen / Path(path).stem).write_text(str(settings.workers))
        return real(path, settings, **kw)

    monkeypatch.setattr(core, "convert", record)
    pdfs = [tmp_path / f"plan{k}.pdf" for k in range(2)]
    for k, p in enumerate(pdfs):
        make_plan_pdf(p, [PlanSpec("Plan", random_records(30 + k, 3))])
    assert [r.status for r in run_batch(pdfs, tmp_path / "out", Settings(), jobs=4)] == ["converted"] * 2
    assert {p.name: p.read_text() for p in seen.iterdir()} == {"plan0": "1", "plan1": "1"}
    assert [r.status for r in run_batch(pdfs[:1], tmp_path / "one", Settings(), jobs=2, force=True)] == ["converted"]
    assert (seen / "plan0").read_text() == "2"  # a batch of one file still shares its pages


def _gone(pid: int) -> bool:
    """The process has exited and been reaped (a zombie still counts as there)."""
    return not Path(f"/proc/{pid}").exists()


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")


@needs_proc
def test_killing_the_batch_outright_leaves_no_worker_running(tmp_path):
    """Regression: after `kill -9` of the batch its workers went on converting (a hung file
    for ever): now each dies with the batch."""
    import os
    import signal
    import subprocess
    import sys

    pids = tmp_path / "pids"
    pids.mkdir()
    inputs = []
    for name in ("a", "b"):
        inputs.append(tmp_path / f"{name}.pdf")
        inputs[-1].write_bytes(b"%PDF-1.4 " + name.encode())
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "import actionplan.pipeline.core as core\n"
        "from actionplan.pipeline.batch import run_batch\n"
        "from actionplan.pipeline.settings import Settings\n"
        "def hang(path, settings=None, **kw):\n"
        "    Path(sys.argv[2], str(os.getpid())).touch()\n"
        "    time.sleep(120)\n"
        "core.convert = hang\n"
        "run_batch([Path(p) for p in sys.argv[3:]], Path(sys.argv[1]), Settings(), jobs=2, timeout=300)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "out"), str(pids), *map(str, inputs)])
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
            workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) == 2, "the workers did not start"
        proc.kill()
        proc.wait(10)
        deadline = time.monotonic() + 10
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if _running(pid)]
    finally:
        proc.kill()
        for pid in workers:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


@needs_proc
def test_a_file_whose_pages_are_read_in_parallel_leaves_no_page_reader_after_its_timeout(tmp_path, monkeypatch):
    """Regression: a file of a one-file batch reads its pages in several processes; when its
    time ran out, a page reader was left behind unreaped (a zombie)."""
    import os

    import actionplan.extractors.pdf as pdf

    pids = tmp_path / "pids"
    pids.mkdir()

    def hang(*args, **kwargs):
        (pids / str(os.getpid())).touch()
        time.sleep(120)

    monkeypatch.setattr(pdf, "_read", hang)
    plan = tmp_path / "plan.pdf"
    shutil.copy(SAMPLE_PDF, plan)  # 21 pages: read by two processes with two jobs
    reports = run_batch([plan], tmp_path / "out", Settings(), jobs=2, timeout=3)
    assert [r.status for r in reports] == ["timeout"]
    readers = [int(p.name) for p in pids.iterdir()]
    assert len(readers) == 2  # the worker and one page reader
    assert [pid for pid in readers if not _gone(pid)] == []



def _slow_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seconds: float) -> Path:
    """A three-page scan whose pages each take `seconds` to OCR (Tesseract stood in for)."""
    from synth import make_scan_pdf

    import actionplan.extractors.ocr as ocr
    from actionplan.extractors.model import PageContent

    born = make_plan_pdf(tmp_path / "born.pdf", [PlanSpec("Plan", random_records(5, 12))])
    scan = make_scan_pdf(born, tmp_path / "scan.pdf", speckle=0)

    def read(path, index, exe, password=None, settings=None):
        time.sleep(seconds)
        return ocr.ScannedPage(PageContent(index + 1, 842.0, 595.0))

    monkeypatch.setattr(ocr, "tesseract", lambda: "tesseract")
    monkeypatch.setattr(ocr, "read_scanned_page", read)
    return scan


def test_a_scans_time_limit_grows_with_its_ocr_pages_and_its_progress_is_told(tmp_path, monkeypatch):
    scan = _slow_scan(tmp_path, monkeypatch, 1.0)
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(str(scan)))
    assert pages >= 2
    heard = []
    reports = run_batch([scan], tmp_path / "out", Settings(), jobs=1, timeout=0.5, ocr_page_timeout=5,
                        on_ocr=lambda path, done, of: heard.append((done, of)))
    # the pages read nothing, so the file fails for want of a plan, but in its time
    assert reports[0].status == "failed" and "no text" in reports[0].error
    assert heard[0] == (0, pages) and heard[-1] == (pages, pages)
    reports = run_batch([scan], tmp_path / "out2", Settings(), jobs=1, timeout=0.5, ocr_page_timeout=0.1)
    assert reports[0].status == "timeout"
    assert f"0.5 s and 0.1 s for each of its {pages} pages read by OCR" in reports[0].error


def test_ocr_progress_on_a_pipe_is_a_line_when_it_starts_then_one_in_a_while():
    import io

    from actionplan.pipeline.batch import Progress

    out = io.StringIO()
    progress = Progress(1, stream=out, every=3600)
    for done in range(4):
        progress.ocr(Path("plan.pdf"), done, 3)
    assert out.getvalue() == "plan.pdf: reading 3 scanned page(s) by OCR\n"
    progress = Progress(1, stream=out, every=0)
    progress.ocr(Path("plan.pdf"), 2, 3)
    assert out.getvalue().endswith("plan.pdf: OCR page 2 of 3\n")


def _leads_of(out: Path, stem: str) -> list:
    data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    return [c for t in data["tables"] for r in t["records"] for c in r["lead_canonical"]]


def test_a_rerun_with_a_new_option_converts_again_and_says_which(tmp_path, capsys):
    pdf = tmp_path / "plan.pdf"
    records = random_records(41, 6)
    make_plan_pdf(pdf, [PlanSpec("Plan", records)])
    leads = tmp_path / "leads.csv"
    leads.write_text("canonical,aliases\nDirector of Everything,\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["convert", str(pdf), "-o", str(out), "-j", "1"]
    assert main(argv) == 0
    before = _leads_of(out, "plan")
    assert main(argv) == 0
    assert "skipped: already converted with the same options" in capsys.readouterr().out
    # the user adds a lead list: converted again, the lead list applied, and why it ran is said
    assert main([*argv, "--leads", str(leads), "--lead-threshold", "0"]) == 0
    said = capsys.readouterr()
    assert "options changed since the last run (lead_threshold, leads)" in said.err + said.out
    after = _leads_of(out, "plan")
    assert set(before) != {"Director of Everything"} and set(after) == {"Director of Everything"}
    # the same again is skipped; the lead list edited in place is a change
    assert [r.status for r in run_batch([pdf], out, Settings(leads=leads, lead_threshold=0))] == ["skipped"]
    leads.write_text("canonical,aliases\nChief of Staff,\n", encoding="utf-8")
    again = run_batch([pdf], out, Settings(leads=leads, lead_threshold=0))
    assert [r.status for r in again] == ["converted"] and "leads" in (again[0].note or "")
    assert set(_leads_of(out, "plan")) == {"Chief of Staff"}
    # --ocr never, a layout tolerance: each a change
    for changed in (Settings(leads=leads, lead_threshold=0, ocr="never"),
                    Settings(leads=leads, lead_threshold=0, ocr="never", layout={"gap_ratio": 1.3})):
        assert [r.status for r in run_batch([pdf], out, changed)] == ["converted"]
        assert [r.status for r in run_batch([pdf], out, changed)] == ["skipped"]
    # what does not change the outputs does not convert again: the number of processes, OCR's
    # time limit
    same = Settings(leads=leads, lead_threshold=0, ocr="never", layout={"gap_ratio": 1.3}, workers=2,
                    ocr_settings={"tesseract_timeout": 30.0})
    assert [r.status for r in run_batch([pdf], out, same)] == ["skipped"]
    # the day overdue actions are judged on shapes the workbook
    later = same.replace(as_of=same.as_of.replace(year=same.as_of.year + 1))
    assert [r.status for r in run_batch([pdf], out, later)] == ["converted"]


def test_resume_does_not_flip_between_converted_and_skipped(tmp_path):
    pdf = tmp_path / "plan.pdf"
    make_plan_pdf(pdf, [PlanSpec("Plan", random_records(42, 4))])
    out = tmp_path / "out"
    runs = [run_batch([pdf], out, Settings())[0].status for _ in range(4)]
    assert runs == ["converted", "skipped", "skipped", "skipped"]
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"][0]
    assert entry["status"] == "converted" and entry["options"]["ocr"] == "auto"


def test_strict_writes_the_outputs_fails_the_file_and_names_every_warning(tmp_path, capsys):
    out = tmp_path / "out"
    pdf = tmp_path / "sample.pdf"
    shutil.copy(SAMPLE_PDF, pdf)
    code = main(["convert", str(pdf), "-o", str(out), "--strict", "-j", "1"])
    said = capsys.readouterr()
    assert code == 1
    result = json.loads((out / "sample.json").read_text(encoding="utf-8"))
    warnings = result["warnings"]
    assert warnings and (out / "sample.xlsx").is_file() and list(out.glob("sample.*.csv"))
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"][0]
    assert entry["status"] == "failed" and entry["strict_failed"] and entry["records"] == 102
    assert f"{len(warnings)} warning(s) and --strict" in said.err + said.out
    table = next(ln for ln in said.out.splitlines() if ln.startswith("sample.pdf"))
    assert table.split()[1:4] == [str(len(result["tables"])), "102", str(len(warnings))] and "failed" in table
    for w in warnings:  # every one named, with its code and where it is
        assert f"{w['code']}: {w['message']}" in said.out
    # the same run again is not skipped (it failed), and without --strict it is done
    assert main(["convert", str(pdf), "-o", str(out), "--strict", "-j", "1"]) == 1
    assert main(["convert", str(pdf), "-o", str(out), "-j", "1"]) == 0
    # done with warnings, then asked again with --strict: converted again, and failed
    capsys.readouterr()
    assert main(["convert", str(pdf), "-o", str(out), "--strict", "-j", "1"]) == 1
    assert "--strict, and it has warnings" in capsys.readouterr().out


def test_after_a_batch_warnings_are_shown_by_code_and_file_with_a_totals_line(tmp_path, capsys):
    from actionplan.pipeline.batch import render_warnings

    reports = [
        FileReport("/x/a.pdf", status="converted", plans=1, records=10, warnings=5, outputs=["a.xlsx"],
                   warnings_by_code={"rag-blank": 4, "lead-empty": 1},
                   warning_examples={"rag-blank": ["item 1, page 2: rag-blank: no rating"] * 3,
                                     "lead-empty": ["item 3, page 2: lead-empty: the action has no lead"]}),
        FileReport("/x/b.pdf", status="converted", plans=2, records=7, warnings=1, outputs=["b.xlsx"],
                   warnings_by_code={"rag-blank": 1},
                   warning_examples={"rag-blank": ["item 9, page 1: rag-blank: no rating"]}),
        FileReport("/x/c.pdf", status="failed", error="boom"),
    ]
    text = render_warnings(reports, Path("out"))
    lines = text.splitlines()
    assert lines[0] == "warnings by code:"
    assert "  rag-blank: 5 (a.pdf 4, b.pdf 1)" in lines and "  lead-empty: 1 (a.pdf 1)" in lines
    assert lines.index("  rag-blank: 5 (a.pdf 4, b.pdf 1)") < lines.index("  lead-empty: 1 (a.pdf 1)")
    assert "    a.pdf: item 3, page 2: lead-empty: the action has no lead" in lines
    assert "    ... 2 more" in lines  # 5 rag-blank, 3 shown
    assert any("Review sheet" in ln and "--review" in ln for ln in lines)
    assert lines[-1] == "total: 3 file(s) (2 converted, 1 failed); 3 plan(s), 17 records, 6 warning(s)"


def test_verbose_shows_our_stages_and_decisions_not_the_pdf_libraries_debug(tmp_path):
    import subprocess
    import sys

    pdf = tmp_path / "plan.pdf"
    make_plan_pdf(pdf, [PlanSpec("Plan", random_records(43, 4))])

    def run(*flags: str, after: tuple[str, ...] = ()) -> list[str]:
        proc = subprocess.run([sys.executable, "-m", "actionplan", *flags, "convert", *after, str(pdf), "-o",
                               str(tmp_path / "o"), "--force", "-j", "1"], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc.stderr.splitlines()

    ours = run("-v")
    assert any("structure: 1 plan(s)" in ln for ln in ours)
    assert any("column-role" in ln for ln in ours) and any(" s, " in ln and "read" in ln for ln in ours)
    assert all(ln.startswith(("actionplan.", "[")) for ln in ours), [ln for ln in ours if not ln.startswith("a")][:5]
    every = run("-vv")
    assert len(every) > len(ours) and any(not ln.startswith(("actionplan", "DEBUG actionplan", "INFO actionplan",
                                                              "[")) for ln in every)
    assert abs(len(run("-v", after=("-v",))) - len(every)) < len(every) // 10  # before and after the command add up


def test_outputs_an_earlier_run_wrote_that_a_new_run_does_not_are_removed(tmp_path):
    pdf = tmp_path / "plan.pdf"
    make_plan_pdf(pdf, [PlanSpec("Plan", random_records(44, 4))])
    out = tmp_path / "out"
    assert [r.status for r in run_batch([pdf], out, Settings(), review=True)] == ["converted"]
    assert (out / "plan.review.html").is_file()
    again = run_batch([pdf], out, Settings(lead_threshold=50))  # converted again, no review page asked for
    assert [r.status for r in again] == ["converted"] and not (out / "plan.review.html").exists()
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"][0]
    assert sorted(p.name for p in out.iterdir() if p.name != "manifest.json") == sorted(entry["outputs"])


def test_a_report_sent_as_the_pool_sees_its_worker_end_is_not_lost(tmp_path):
    """pebble can take a worker that ends as its report goes back for dead ("expired", exit
    code 0): the report the worker also left on disk settles the file."""
    from concurrent.futures import Future

    from pebble import ProcessExpired

    from actionplan.pipeline.batch import _Batch, _keep_report, _Limits

    pdf = tmp_path / "plan.pdf"
    make_plan_pdf(pdf, [PlanSpec("Plan", random_records(45, 3))])
    out = tmp_path / "out"
    out.mkdir()
    reports = [FileReport(str(pdf.resolve()))]
    batch = _Batch([pdf], out, Settings(), reports, {}, _Limits(60.0, None, 0, False), None)
    batch.ocr = [0, 0]
    expired: Future = Future()
    expired.set_exception(ProcessExpired("Abnormal termination", code=0))
    batch.running[0] = (expired, 0.0)  # type: ignore[assignment]
    _keep_report(out, "plan", {"status": "converted", "plans": 1, "records": 3, "outputs": ["plan.json"]})
    batch.settle(0)
    assert reports[0].status == "converted" and reports[0].records == 3
    assert not list(out.glob(".plan.*"))  # the report file is gone once read
    # with no report left behind, the death is reported as it was
    batch.running[0] = (expired, 0.0)  # type: ignore[assignment]
    reports[0].status = "pending"
    batch.settle(0)
    assert reports[0].status == "crashed" and "exit code 0" in reports[0].error


def test_a_files_pages_read_in_parallel_give_the_same_result_as_read_in_one_process(sample_result):
    """A conversion shares a file's pages among the cores by default (in the test workers,
    one process: conftest); read by two processes the sample gives the same records,
    warnings and decisions as read by one."""
    from actionplan import convert

    two = convert(SAMPLE_PDF, leads=SAMPLE_LEADS, workers=2)
    assert two.to_dict()["tables"] == sample_result.to_dict()["tables"]
    assert [w.message for w in two.warnings] == [w.message for w in sample_result.warnings]
    assert [d.label for d in two.decisions] == [d.label for d in sample_result.decisions]
