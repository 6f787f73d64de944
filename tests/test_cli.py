"""The command line: thin over the library, one-line errors, no half-written outputs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import SAMPLE_LEADS, SAMPLE_PDF

from actionplan.pipeline.cli import main


def test_help_explains_every_convert_option(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["convert", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for option in ("--outdir", "--leads", "--synonyms", "--lead-threshold", "--password", "--strict", "--as-of"):
        assert option in text


def test_top_level_help_runs_without_loading_heavy_libraries():
    code = "import sys; from pipeline.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n" \
           "print(sorted(m for m in ('camelot', 'pandas', 'playa') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]")


def test_convert_writes_json_for_the_sample(tmp_path, capsys):
    assert main(["convert", str(SAMPLE_PDF), "-o", str(tmp_path), "--leads", str(SAMPLE_LEADS)]) == 0
    doc = json.loads((tmp_path / f"{SAMPLE_PDF.stem}.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1 and len(doc["tables"]) == 2
    captured = capsys.readouterr()
    assert "2 plan(s), 102 records" in captured.err  # progress
    assert "converted" in captured.out  # summary table


def test_missing_input_is_bad_usage_in_one_line(tmp_path, capsys):
    assert main(["convert", str(tmp_path / "nope.pdf"), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.pdf" in err[0] and "Traceback" not in err[0]


def test_missing_lead_list_is_bad_usage_naming_the_file(tmp_path, capsys):
    assert main(["convert", str(SAMPLE_PDF), "-o", str(tmp_path), "--leads", str(tmp_path / "x.csv")]) == 2
    assert "x.csv" in capsys.readouterr().err


def test_not_a_pdf_fails_in_one_line_and_writes_nothing(tmp_path, capsys):
    fake = tmp_path / "in" / "plan.pdf"
    fake.parent.mkdir()
    fake.write_text("No.,Action\n1,Do it\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(fake), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "plan.pdf" in err[0] and "not a PDF" in err[0]
    assert [p.name for p in out.iterdir()] == ["manifest.json"]  # the batch's record, no outputs


def test_verbose_shows_the_traceback(tmp_path):
    fake = tmp_path / "plan.pdf"
    fake.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "actionplan", "-v", "convert", str(fake), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "Traceback" in proc.stderr and "empty" in proc.stderr


@pytest.mark.parametrize("option", [["--timeout", "0"], ["--timeout", "-5"], ["--max-memory", "-1"]])
def test_limits_that_make_no_sense_are_usage_errors(option, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["convert", str(tmp_path), "-o", str(tmp_path / "o"), *option])
    assert exc.value.code == 2


def test_an_output_folder_that_is_a_file_or_cannot_be_made_fails_before_any_work(tmp_path, capsys):
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    for outdir in (blocker, blocker / "sub"):
        assert main(["convert", str(tmp_path), "-o", str(outdir)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "output folder" in err[0] and "Traceback" not in err[0]


def test_verbose_may_come_after_the_subcommand(tmp_path):
    fake = tmp_path / "plan.pdf"
    fake.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "actionplan", "convert", "-v", str(fake), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" in proc.stderr and "empty" in proc.stderr


# the options that say how a PDF is read, which every command that converts one takes
CONVERSION_OPTIONS = ("--leads", "--synonyms", "--lead-threshold", "--carry-down", "--password", "--layout",
                      "--engine", "--no-fallback", "--max-page-mb", "--ocr")
COMMANDS = {"convert": ["convert", "plan.pdf"], "inspect": ["inspect", "plan.pdf", "--page", "1"],
            "diff": ["diff", "old.pdf", "new.pdf"]}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_that_converts_takes_the_same_conversion_options(command, tmp_path):
    from actionplan.pipeline.cli import build_parser, settings_from_args
    from actionplan.pipeline.settings import Settings

    synonyms = tmp_path / "syn.csv"
    synonyms.write_text("field,synonym\naction,What we will do\n", encoding="utf-8")
    given = ["--leads", str(SAMPLE_LEADS), "--synonyms", str(synonyms), "--lead-threshold", "70",
             "--carry-down", "action", "--password", "pw", "--layout", "gap_ratio=1.5", "--engine", "combined",
             "--no-fallback", "--max-page-mb", "3", "--ocr", "never"]
    assert {a for a in given if a.startswith("--")} == set(CONVERSION_OPTIONS)
    s = settings_from_args(build_parser().parse_args([*COMMANDS[command], *given]))
    assert (s.leads, s.synonyms, s.lead_threshold, s.carry_down, s.password) == (
        SAMPLE_LEADS, (synonyms,), 70.0, ("action",), "pw")
    assert (s.layout.gap_ratio, s.engine, s.fallback, s.max_page_mb, s.ocr) == (1.5, "combined", False, 3.0, "never")
    # and without them, the settings a library caller gets
    assert settings_from_args(build_parser().parse_args(COMMANDS[command])) == Settings()


@pytest.mark.parametrize("command", COMMANDS)
def test_the_defaults_help_shows_are_the_settings_defaults(command, capsys, monkeypatch):
    import re

    from actionplan.pipeline.settings import Settings

    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    shown = {}  # option -> the default its help text states
    for entry in re.split(r"\n(?=  -)", text):  # an option's lines, however they wrap
        words = " ".join(entry.split())
        default = re.search(r"\(default: ([^;)]+)", words)
        if default:
            shown[words.split()[0]] = default[1]
    defaults = Settings()
    assert float(shown["--lead-threshold"]) == defaults.lead_threshold
    assert float(shown["--max-page-mb"]) == defaults.max_page_mb
    assert shown["--engine"] == defaults.engine and shown["--ocr"] == defaults.ocr
    assert tuple(shown["--carry-down"].split(",")) == defaults.carry_down
    for option in CONVERSION_OPTIONS:
        assert option in text


@pytest.mark.parametrize("command", ["inspect", "diff"])
def test_inspect_and_diff_convert_a_pdf_with_the_options_given(command, tmp_path, monkeypatch):
    import actionplan.pipeline.core as core
    from actionplan import ExtractionError

    seen = []

    def convert(path, settings=None, progress=None):
        seen.append(settings)
        raise ExtractionError("stop here", file=path)

    monkeypatch.setattr(core, "convert", convert)
    argv = ["inspect", str(SAMPLE_PDF), "--page", "1"] if command == "inspect" else \
        ["diff", str(SAMPLE_PDF), str(SAMPLE_PDF), "-o", str(tmp_path)]
    assert main([*argv, "--engine", "raster", "--ocr", "never", "--max-page-mb", "5", "--no-fallback",
                 "--lead-threshold", "60", "--carry-down", "lead"]) == 1
    s = seen[0]
    assert (s.engine, s.ocr, s.max_page_mb, s.fallback, s.lead_threshold, s.carry_down) == (
        "raster", "never", 5.0, False, 60.0, ("lead",))


@pytest.mark.parametrize("command", ["inspect", "diff"])
def test_inspect_and_diff_keep_convert_s_time_limit_that_grows_with_a_scan_s_pages(command, tmp_path, monkeypatch,
                                                                                   capsys):
    import time

    import actionplan.pipeline.core as core

    def convert(path, settings=None, progress=None):  # a two-page scan whose OCR hangs on page 2
        progress("ocr", 0, 2)
        progress("ocr", 1, 2)
        time.sleep(30)

    monkeypatch.setattr(core, "convert", convert)
    argv = ["inspect", str(SAMPLE_PDF), "--page", "1"] if command == "inspect" else \
        ["diff", str(SAMPLE_PDF), str(SAMPLE_PDF), "-o", str(tmp_path)]
    start = time.monotonic()
    assert main([*argv, "--timeout", "0.5", "--ocr-page-timeout", "0.5"]) == 1
    assert 1.4 < time.monotonic() - start < 10
    err = capsys.readouterr().err
    assert "OCR page 1 of 2" in err
    assert "took longer than 1.5 s (0.5 s and 0.5 s for each of its 2 pages read by OCR)" in err
    assert "raise --timeout or --ocr-page-timeout" in err


def test_odd_inputs_get_a_line_that_says_what_they_are(tmp_path, capsys, monkeypatch):
    import os
    import shutil

    from conftest import SAMPLE_PDF

    fifo = tmp_path / "plan.pdf"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.pdf"
    zero.symlink_to("/dev/zero")
    for path, says in ((fifo, "a pipe (FIFO), not a PDF file"), (zero, "a character device (a link to /dev/zero)")):
        assert main(["convert", str(path), "-o", str(tmp_path / "o")]) == 2
        err = capsys.readouterr().err
        assert says in err and "no such file" not in err, err
    # a limit of "nan" would switch the limit off: refused
    with pytest.raises(SystemExit) as exc:
        main(["convert", str(SAMPLE_PDF), "--timeout", "nan"])
    assert exc.value.code == 2 and "not a finite number" in capsys.readouterr().err
    # a file whose name starts with a dash reads as an option: say how to pass it
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE_PDF, tmp_path / "-plan.pdf")
    with pytest.raises(SystemExit):
        main(["convert", "-plan.pdf", "-o", "o"])
    assert "put -- before it" in capsys.readouterr().err
    assert main(["convert", "-o", "o", "-j", "1", "--", "-plan.pdf"]) == 0


def test_a_folder_that_cannot_be_read_fails_the_run(tmp_path, capsys, monkeypatch):
    import errno
    import os
    import shutil

    from conftest import SAMPLE_PDF

    top = tmp_path / "in"
    (top / "locked").mkdir(parents=True)
    shutil.copy(SAMPLE_PDF, top / "plan.pdf")
    shutil.copy(SAMPLE_PDF, top / "locked" / "other.pdf")
    real_walk = os.walk

    def walk(folder, onerror=None, followlinks=False):  # as the system walks a folder it may not list (root may)
        for here, dirs, files in real_walk(folder, onerror=onerror, followlinks=followlinks):
            if os.path.basename(here) == "locked":
                onerror(PermissionError(errno.EACCES, "Permission denied", here))
                dirs[:] = []
                continue
            yield here, dirs, files

    monkeypatch.setattr(os, "walk", walk)
    assert main(["convert", str(top), "-o", str(tmp_path / "o"), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert "cannot read the folder (Permission denied)" in err and "not converted" in err
    assert (tmp_path / "o" / "plan.json").is_file()  # what could be read was converted
