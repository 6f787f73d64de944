"""Convert many PDFs: each in its own process, with a time and memory limit, resumable.

One bad file must not stop the rest: a file that raises, hangs past `timeout` or crashes
its process is reported and the batch goes on. The processes are pebble's ProcessPool with
one task per worker (`max_tasks=1`): a fresh process per file; its time limit, the report of
its death and stopping it are pebble's. `OUTDIR/manifest.json` records every input (path,
sha256, status, outputs, the options that shape the outputs); a re-run skips inputs already
converted by the same tool version from the same bytes with the same options.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures import TimeoutError as TaskTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actionplan.pipeline.settings import Settings
from actionplan.schemas.errors import ActionPlanError

if TYPE_CHECKING:
    from pebble import ProcessFuture, ProcessPool

MANIFEST = "manifest.json"
DONE = "converted"


class Stopped(BaseException):
    """Ctrl-C or SIGTERM: the batch stops its workers and records what finished."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


_stop: list[Stopped] = []  # a stop asked for by a signal, until the batch loop acts on it
_batch_running: list[bool] = []


def request_stop(code: int) -> None:
    """For a signal handler. Inside a batch the stop is only recorded: the loop acts on it
    within 20 ms, from its own code (an exception raised from the handler could land in a
    fork hook or a finaliser, where Python prints it and carries on). Elsewhere, stop now."""
    _stop.append(Stopped(code))
    if not _batch_running:
        raise _stop[-1]


def _check_stop() -> None:
    if _stop:
        raise _stop[-1]


@dataclass
class FileReport:
    path: str
    sha256: str | None = None
    status: str = "pending"  # converted | skipped | failed | timeout | crashed
    plans: int = 0
    records: int = 0
    warnings: int = 0
    outputs: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    text_coverage: float | None = None
    ocr_pages: list[int] = field(default_factory=list)  # pages that were scans, read by OCR
    tool_version: str | None = None
    options: dict[str, Any] | None = None  # what was asked that shapes the outputs (`output_options`)
    warnings_by_code: dict[str, int] = field(default_factory=dict)
    warning_examples: dict[str, list[str]] = field(default_factory=dict)  # the first few of each code
    note: str | None = None  # why it was skipped, or converted again
    strict_failed: bool = False  # failed by --strict: the outputs are written all the same
    traceback: str | None = None
    warning_lines: list[str] = field(default_factory=list)  # every warning, for --strict to name

    @property
    def ok(self) -> bool:
        return self.status in (DONE, "skipped")

    def to_manifest(self) -> dict[str, Any]:
        data = asdict(self)
        for transient in ("traceback", "warning_lines", "note"):
            data.pop(transient)
        return data


EXAMPLES_PER_CODE = 3


def warning_line(issue: Any) -> str:
    """One warning as the terminal and the manifest show it: where (the item and page find
    it; the plan's id is in the JSON), its code, what it says."""
    where = ", ".join(x for x in (f"item {issue.item}" if issue.item else "",
                                  f"page {issue.page}" if issue.page is not None else "") if x)
    return f"{where + ': ' if where else ''}{issue.code}: {issue.message}"


def output_options(settings: Settings) -> dict[str, Any]:
    """Everything asked that changes a file's outputs, as the manifest keeps it: a re-run with
    any of these different converts the file again. The user's data files count by their
    content; the day overdue actions are judged on counts (a default of today is a new day
    tomorrow); how many processes ran, OCR's time limits and threads, and the password (a
    file that opened gives the same records) do not. `--strict` changes a status, not the
    outputs (see `_triage`); the review page is asked for separately."""
    from actionplan.pipeline.core import sha256_of

    ocr = asdict(settings.ocr_settings)
    for how_not_what in ("tesseract_timeout", "tesseract_threads"):
        ocr.pop(how_not_what, None)
    options: dict[str, Any] = {
        "leads": sha256_of(settings.leads) if settings.leads is not None else None,
        "synonyms": [sha256_of(p) for p in settings.synonyms],
        "lead_threshold": settings.lead_threshold,
        "carry_down": list(settings.carry_down),
        "engine": settings.engine,
        "fallback": settings.fallback,
        "layout": _plain(asdict(settings.layout)),
        "max_page_mb": settings.max_page_mb,
        "ocr": settings.ocr,
        "ocr_settings": _plain(ocr),
        "as_of": settings.as_of.isoformat(),
    }
    return options


def _plain(value: Any) -> Any:
    """A value as JSON reads it back (tuples as lists), so a manifest compares equal."""
    return json.loads(json.dumps(value, default=str))


def options_changed(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """The options that differ from a manifest entry's (every one, for an entry without them)."""
    if old is None:
        return ["not recorded by the run that converted it"]
    return [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]


def output_stems(pdfs: Sequence[Path]) -> dict[Path, str]:
    """Output names per input; inputs sharing a file name are told apart by their folder."""
    stems: dict[Path, str] = {}
    counts: dict[str, int] = {}
    for p in pdfs:
        counts[p.stem] = counts.get(p.stem, 0) + 1
    taken: set[str] = {Path(MANIFEST).stem}  # a plan named manifest.pdf must not overwrite the manifest
    for p in pdfs:
        stem = p.stem if counts[p.stem] == 1 else f"{p.parent.name}-{p.stem}"
        base, n = stem, 2
        while stem in taken:
            stem, n = f"{base}-{n}", n + 1
        taken.add(stem)
        stems[p] = stem
    return stems


def quiet_logging(verbose: int) -> None:
    """Third-party parsers log every PDF oddity; the user sees our one line instead. `-v`
    shows our own detail (stages, decisions, timings); `-vv` the libraries' logs too."""
    logging.getLogger().setLevel(logging.DEBUG if verbose >= 2 else logging.CRITICAL)
    logging.getLogger("actionplan").setLevel(logging.DEBUG if verbose else logging.CRITICAL)


def _limit_memory(megabytes: int | None) -> tuple[int, int] | None:
    """Cap this process's address space; returns the limits to restore. Only the soft limit
    is lowered, so the worker can lift it again to send its report."""
    if not megabytes:
        return None
    try:
        import resource

        before = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 1024 * 1024, before[1]))
        return before
    except (ImportError, ValueError, OSError):  # not on this platform
        return None


def _restore_memory(before: tuple[int, int] | None) -> None:
    if before is not None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, before)


def _at_limit(megabytes: int | None) -> bool:
    """Whether this process's address space is within 64 MB of its limit: a failure then is an
    allocation refused, whatever a C extension made of it (a SystemError, say), not a bug."""
    if not megabytes:
        return False
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):  # not Linux
        return False
    return pages * os.sysconf("SC_PAGE_SIZE") > (megabytes - 64) * 1024 * 1024


_started: Any = None  # in a worker: one flag per input, set by the batch once the pool has it running
_ocr: Any = None  # in a worker: per input, pages read by OCR so far and pages to read, seen by the batch


def _init_worker(started: Any, verbose: int, batch: int, ocr: Any = None) -> None:
    """In each new worker, before its one file: its own process group, so that stopping it
    (timeout, Ctrl-C) stops any page workers it starts too; death with the batch; quiet
    logging; no stray output."""
    global _started, _ocr
    _started, _ocr = started, ocr
    if hasattr(os, "setpgrp"):
        try:
            os.setpgrp()
            signal.signal(signal.SIGTERM, _end_group)  # pebble stops a worker with SIGTERM
        except OSError:
            pass
    # the batch killed outright (kill -9) stops no worker, and pebble's go on with their file
    # (a hung one for ever): have the kernel stop them. (Strictly it signals when the thread
    # that forked the worker ends: the batch's main thread, or the pool's own, which lives
    # until the pool stops.)
    _die_with(batch, signal.SIGTERM)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=partial(_page_worker, os.getpid()))
    quiet_logging(verbose)
    if not verbose:
        # what a library or the interpreter prints on its way down (a stack dump, a C
        # library's complaint) is not for the user: the report says what happened
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int, sig: int) -> None:
    """Linux: the kernel sends `sig` to this process when its parent dies, however it dies."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        if ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the kernel was told
        os.kill(os.getpid(), sig)


def _end_group(signum: int, frame: Any) -> None:
    """SIGTERM in a worker (its time is up, or the batch stops): the processes it started
    (page readers, OCR) are killed and reaped here, so none is left over, not even as a
    zombie; then this process and anything they started in turn go at once."""
    children = _children()
    for pid in children:
        with suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    for pid in children:
        with suppress(OSError):  # reaped already, by the page pool's own thread
            os.waitpid(pid, 0)
    os.killpg(0, signal.SIGKILL)


def _children() -> list[int]:
    pids: list[int] = []
    for threads in Path("/proc/self/task").glob("*/children"):  # Linux
        with suppress(OSError, ValueError):
            pids += [int(pid) for pid in threads.read_text().split()]
    return pids


def _page_worker(worker: int) -> None:
    """In each process a worker forks (its page readers): the worker's SIGTERM handler is
    not theirs, and they die with the worker however it ends, a SIGKILL included."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(worker, signal.SIGKILL)


def _tell_ocr(i: int, what: str, done: int, of: int) -> None:
    """In the worker: the batch sees how far file `i`'s OCR has got (its bar, its time limit)."""
    if what == "ocr" and _ocr is not None:
        _ocr[2 * i], _ocr[2 * i + 1] = done, of


def _work(i: int, path: Path, outdir: Path, stem: str, settings: Settings, max_memory: int | None,
          review: bool = False) -> dict[str, Any]:
    """In the worker: convert one file, write its outputs, return a small report."""
    while _started is not None and not _started[i]:
        # wait until the batch has seen the pool record this file as running: pebble tells
        # which file a dead worker held only once it has recorded the start; a worker dying
        # before then breaks the whole pool, every file in it lost ("All workers expired")
        time.sleep(0.005)
    report = convert_one(path, outdir, settings, stem, max_memory=max_memory, review=review,
                         progress=partial(_tell_ocr, i))
    _keep_report(outdir, stem, report)
    return report


def convert_one(path: Path, outdir: Path, settings: Settings, stem: str | None = None, *,
                max_memory: int | None = None, review: bool = False,
                progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """The batch's unit: one PDF -> its outputs in `outdir` and its report (the manifest's row
    for it, less `path`). Never raises for a bad file: the report says what went wrong. A
    runner that spreads a batch over machines maps this over the files, then merges the rows
    into `manifest.json` (`write_manifest`) and builds the collection (`collect`)."""
    from actionplan.pipeline.core import TOOL_VERSION, convert
    from actionplan.pipeline.outputs.writers import write_outputs

    report: dict[str, Any] = {"tool_version": TOOL_VERSION}
    before = _limit_memory(max_memory)
    try:
        result = convert(path, settings, progress=progress)
        written = write_outputs(result, outdir, stem=stem or path.stem, review=review)
        coverage = result.text_coverage or {}
        lines = [warning_line(w) for w in result.warnings]
        by_code: dict[str, int] = {}
        examples: dict[str, list[str]] = {}
        for w, line in zip(result.warnings, lines):
            by_code[w.code] = by_code.get(w.code, 0) + 1
            if by_code[w.code] <= EXAMPLES_PER_CODE:
                examples.setdefault(w.code, []).append(line)
        report.update(status=DONE, plans=len(result.tables), records=len(result.records),
                      warnings=len(result.warnings), outputs=[p.name for p in written], sha256=result.sha256,
                      ocr_pages=list(result.document.ocr_pages) if result.document is not None else [],
                      text_coverage=coverage.get("ratio"), warnings_by_code=by_code, warning_examples=examples,
                      warning_lines=lines)
        if settings.strict and result.warnings:  # written all the same: the user looks at why
            codes = ", ".join(f"{n} {c}" for c, n in sorted(by_code.items(), key=lambda x: (-x[1], x[0])))
            report.update(status="failed", strict_failed=True,
                          error=f"{path}: {len(result.warnings)} warning(s) and --strict ({codes}); "
                          "the outputs are written: see each warning below, or in the Review sheet")
    except ActionPlanError as exc:
        report.update(status="failed", error=str(exc), traceback=traceback.format_exc())
    except Exception as exc:  # a bug or a PDF nobody anticipated: reported, never fatal to the batch
        if isinstance(exc, MemoryError) or _at_limit(max_memory):
            report.update(status="failed", error=f"{path}: ran out of memory (limit {max_memory} MB)"
                          " (raise it with --max-memory if the file is genuinely that large)")
        else:
            report.update(status="failed", error=f"{path}: unexpected {type(exc).__name__}: {exc}",
                          traceback=traceback.format_exc())
    finally:
        _restore_memory(before)
    return report


def _report_file(outdir: Path, stem: str) -> Path:
    return outdir / f".{stem}.report.json"


def _keep_report(outdir: Path, stem: str, report: dict[str, Any]) -> None:
    """The report, also on disk: a worker that ends as its report goes back can be taken by
    the pool for dead (pebble: "expired", exit code 0), its report lost with it."""
    try:
        tmp = outdir / f".{stem}.report.{os.getpid()}.part"
        tmp.write_text(json.dumps(report), encoding="utf-8")
        os.replace(tmp, _report_file(outdir, stem))
    except (OSError, TypeError, ValueError):
        pass  # the pool's own channel still carries it


def _kept_report(outdir: Path, stem: str) -> dict[str, Any] | None:
    path = _report_file(outdir, stem)
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    finally:
        path.unlink(missing_ok=True)


def _preload() -> None:
    """Import the heavy libraries once here, so every forked worker starts with them loaded."""
    import camelot.parsers  # noqa: F401
    import openpyxl  # noqa: F401
    import pandera.pandas  # noqa: F401

    import actionplan.pipeline.core
    import actionplan.pipeline.outputs.workbook
    import actionplan.schemas.validation  # noqa: F401


def _cleanup(outdir: Path, stem: str) -> None:
    """Temporary files a killed worker left behind."""
    if outdir.is_dir():
        for tmp in outdir.glob(f".{stem}.*.part"):
            tmp.unlink(missing_ok=True)
        _report_file(outdir, stem).unlink(missing_ok=True)


def load_manifest(outdir: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
        return {entry["path"]: entry for entry in data.get("inputs", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(outdir: Path, reports: Sequence[FileReport], previous: dict[str, dict[str, Any]]) -> None:
    from actionplan.pipeline.core import TOOL_VERSION
    from actionplan.pipeline.outputs.writers import atomic_files

    entries = dict(previous)
    for r in reports:
        # a skipped file keeps its entry as the run that converted it wrote it: still done
        if r.status != "pending" and not (r.status == "skipped" and r.path in entries):
            entries[r.path] = r.to_manifest()
    doc = {"tool_version": TOOL_VERSION, "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "inputs": list(entries.values())}
    with atomic_files(outdir) as open_, open_(MANIFEST) as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)


def time_allowed(timeout: float, ocr_page_timeout: float, ocr_pages: int) -> float:
    """A file's time limit (convert, inspect, diff): a scan's grows with the pages it has to OCR."""
    return timeout + ocr_page_timeout * ocr_pages


def over_time(timeout: float, ocr_page_timeout: float, ocr_pages: int) -> tuple[str, str]:
    """What a file stopped at its time limit says, and what to raise (convert, inspect, diff)."""
    scans = (f" ({timeout:g} s and {ocr_page_timeout:g} s for each of its {ocr_pages} pages read by OCR)"
             if ocr_pages else "")
    return (f"took longer than {time_allowed(timeout, ocr_page_timeout, ocr_pages):g} s{scans} and was stopped",
            "raise --timeout" + (" or --ocr-page-timeout" if ocr_pages else ""))


@dataclass(frozen=True)
class _Limits:
    """How the batch runs each file: its time and memory, and what it writes besides."""

    timeout: float
    max_memory: int | None
    verbose: int
    review: bool
    ocr_page_timeout: float = 60.0  # each page read by OCR adds this to `timeout`

    def seconds(self, ocr_pages: int) -> float:
        """A file's time limit: a scan's grows with the pages it has to OCR."""
        return time_allowed(self.timeout, self.ocr_page_timeout, ocr_pages)


def run_batch(
    pdfs: Sequence[Path],
    outdir: Path,
    settings: Settings,
    *,
    jobs: int = 1,
    timeout: float = 300.0,
    force: bool = False,
    max_memory: int | None = 2048,
    verbose: int = 0,
    on_done: Callable[[FileReport, int, int], None] | None = None,
    review: bool = False,
    ocr_page_timeout: float = 60.0,
    on_ocr: Callable[[Path, int, int], None] | None = None,
) -> list[FileReport]:
    """Convert every PDF into `outdir`, `jobs` at a time; returns one report per input.
    `review`: also write each file's review page. A file the manifest says was converted
    from the same bytes by this version with the same options (`output_options`) is skipped.
    A file may take `timeout` seconds, and `ocr_page_timeout` more for each page it reads
    by OCR; `on_ocr(path, done, of)` hears how far a file's OCR has got."""
    _stop.clear()
    _batch_running.append(True)
    try:
        limits = _Limits(timeout, max_memory, verbose, review, ocr_page_timeout)
        return _run_batch(pdfs, outdir, settings, jobs, force, limits, on_done, on_ocr)
    finally:
        _batch_running.pop()


def _run_batch(pdfs: Sequence[Path], outdir: Path, settings: Settings, jobs: int, force: bool, limits: _Limits,
               on_done: Callable[[FileReport, int, int], None] | None,
               on_ocr: Callable[[Path, int, int], None] | None = None) -> list[FileReport]:
    outdir.mkdir(parents=True, exist_ok=True)
    previous = load_manifest(outdir)
    reports, todo = _triage(pdfs, outdir, previous, force, output_options(settings), limits.review,
                            settings.strict)
    for r in reports:
        if r.status != "pending" and on_done:
            on_done(r, sum(1 for x in reports if x.status != "pending"), len(pdfs))
    # `jobs` is the whole budget of processes: files in parallel for a batch, pages in parallel
    # for a single file, never both (a pool of page workers inside each worker of the batch)
    settings = replace(settings, workers=max(1, jobs) if len(todo) == 1 else 1)
    batch = _Batch(list(pdfs), outdir, settings, reports, previous, limits, on_done, on_ocr)
    batch.run(todo, max(1, jobs))
    return reports


def _triage(pdfs: Sequence[Path], outdir: Path, previous: dict[str, dict[str, Any]],
            force: bool, options: dict[str, Any], review: bool = False,
            strict: bool = False) -> tuple[list[FileReport], list[int]]:
    """A report per input, and the inputs still to convert: unreadable files fail at once,
    files the manifest says are done (same bytes, same tool version, same options, outputs
    there) are skipped; one converted before with other options says which."""
    from actionplan.pipeline.core import TOOL_VERSION, sha256_of

    reports = [FileReport(str(p.resolve()), options=options) for p in pdfs]
    todo: list[int] = []
    for i, p in enumerate(pdfs):
        _check_stop()
        try:
            reports[i].sha256 = sha256_of(p)
        except OSError as exc:
            reports[i].status, reports[i].error = "failed", f"{p}: cannot read the file ({exc.strerror})"
            continue
        old = previous.get(str(p.resolve()))  # the manifest keys inputs by their full path
        if (not force and old and old.get("status") == DONE and old.get("sha256") == reports[i].sha256
                and old.get("tool_version") == TOOL_VERSION
                and all((outdir / o).exists() for o in old.get("outputs", []))
                and (not review or any(o.endswith(".review.html") for o in old.get("outputs", [])))):
            changed = options_changed(old.get("options"), options)
            if strict and old.get("warnings"):  # done, with warnings: --strict now fails it
                changed.append("--strict, and it has warnings")
            if not changed:
                known = {f for f in FileReport.__dataclass_fields__}
                reports[i] = FileReport(**{**{k: v for k, v in old.items() if k in known}, "status": "skipped",
                                           "seconds": 0.0, "note": "already converted with the same options"})
                continue
            reports[i].note = "converted again: options changed since the last run (" + ", ".join(changed) + ")"
        todo.append(i)
    return reports, todo


@dataclass
class _Batch:
    """The running batch: up to `jobs` files at a time in pebble's pool, one fresh worker per
    file, each file settled when its report, its worker's death or its timeout comes back."""

    pdfs: list[Path]
    outdir: Path
    settings: Settings
    reports: list[FileReport]
    previous: dict[str, dict[str, Any]]
    limits: _Limits
    on_done: Callable[[FileReport, int, int], None] | None
    on_ocr: Callable[[Path, int, int], None] | None = None
    running: dict[int, tuple[ProcessFuture[dict[str, Any]], float | None]] = field(default_factory=dict)
    started: Any = None  # the flags `_work` waits on, shared with the workers
    ocr: Any = None  # per file, OCR pages done and to do, written by the workers (`_tell_ocr`)
    seen: dict[int, tuple[int, int]] = field(default_factory=dict)
    timed_out: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.stems = output_stems(self.pdfs)
        self.done = sum(1 for r in self.reports if r.status != "pending")

    def run(self, todo: list[int], jobs: int) -> None:
        from pebble import ProcessPool

        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        ctx: Any = mp.get_context(method)
        if method == "fork" and todo:
            _preload()
        self.started = ctx.RawArray("b", len(self.pdfs))
        self.ocr = ctx.RawArray("i", 2 * len(self.pdfs))
        queue = list(todo)
        pool: ProcessPool | None = None
        try:
            while queue or self.running:
                if pool is None:
                    pool = ProcessPool(max_workers=min(jobs, len(queue) + len(self.running)), max_tasks=1,
                                       initializer=_init_worker,
                                       initargs=(self.started, self.limits.verbose, os.getpid(), self.ocr),
                                       context=ctx)
                while queue and len(self.running) < jobs:
                    self.start(pool, queue.pop(0))
                wait([f for f, _ in self.running.values()], timeout=0.02, return_when=FIRST_COMPLETED)
                _check_stop()
                self.mark_started()
                self.watch()
                for i in [i for i, (f, _) in self.running.items() if f.done()]:
                    self.settle(i)
                if not pool.active:  # pebble gave up on its pool: the files it held fail, a new pool goes on
                    pool.stop()
                    pool.join()
                    pool = None
                    for i in list(self.running):
                        self.settle(i)
        finally:
            # stopped (Ctrl-C, SIGTERM) or done: no worker outlives the batch, none leaves half a
            # file, and the manifest records what finished
            finished = [i for i, (future, _) in self.running.items() if future.done()]
            if pool is not None:
                pool.stop()  # its futures still running end as BrokenProcessPool: not settled
                pool.join()
            for i in list(self.running):
                if i in finished:
                    self.settle(i)
                else:
                    _cleanup(self.outdir, self.stems[self.pdfs[i]])
            write_manifest(self.outdir, self.reports, self.previous)

    def start(self, pool: ProcessPool, i: int) -> None:
        path = self.pdfs[i]
        limits = self.limits
        future = pool.schedule(_work, args=(i, path, self.outdir, self.stems[path], self.settings,
                                            limits.max_memory, limits.review))
        self.running[i] = (future, None)

    def watch(self) -> None:
        """Each running file's OCR, passed on as it moves; a file past its time limit (which
        grows with its OCR pages) is stopped."""
        now = time.monotonic()
        for i, (future, start) in list(self.running.items()):
            done, of = self.ocr[2 * i], self.ocr[2 * i + 1]
            if of and self.seen.get(i) != (done, of):
                self.seen[i] = (done, of)
                if self.on_ocr is not None:
                    self.on_ocr(self.pdfs[i], done, of)
            if start is not None and not future.done() and now - start > self.limits.seconds(of):
                self.timed_out.add(i)
                future.cancel()  # pebble stops the worker, and with it its page workers

    def mark_started(self) -> None:
        """Let each worker the pool has running go on (see `_work`); its time starts now."""
        for i, (future, start) in self.running.items():
            if start is None and future.running():
                self.started[i] = 1
                self.running[i] = (future, time.monotonic())

    def settle(self, i: int) -> None:
        """File `i` is done: its report, its worker's death or its timeout."""
        from pebble import ProcessExpired

        future, start = self.running[i]
        report = self.reports[i]
        elapsed = time.monotonic() - start if start is not None else 0.0
        kept = _kept_report(self.outdir, self.stems[self.pdfs[i]])
        if i in self.timed_out:
            exc: BaseException | None = TaskTimeout()
        else:
            exc = future.exception() if future.done() else BrokenProcessPool("it stopped before the file started")
        if isinstance(exc, ProcessExpired) and kept is not None:
            exc = None  # the worker finished and sent its report; the pool saw it end first
        if exc is None:
            sent = future.result() if future.done() and future.exception() is None else kept
            for k, v in (sent or {}).items():
                setattr(report, k, v)
        elif isinstance(exc, ProcessExpired):
            report.status = "crashed"
            report.error = (f"{self.pdfs[i]}: the worker process died (exit code {exc.exitcode}) while "
                            "converting it; the PDF may be malformed or too large (see --max-memory)")
        elif isinstance(exc, TaskTimeout):
            report.status = "timeout"
            said, hint = over_time(self.limits.timeout, self.limits.ocr_page_timeout, self.ocr[2 * i + 1])
            report.error = f"{self.pdfs[i]}: {said} ({hint})"
        elif isinstance(exc, BrokenProcessPool):
            report.status = "failed"
            report.error = f"{self.pdfs[i]}: the batch's worker pool failed ({exc}); run the batch again"
        else:  # raised past `_work` (a library calling sys.exit), or a report that could not be sent
            report.status = "failed"
            report.error = f"{self.pdfs[i]}: unexpected {type(exc).__name__}: {exc}"
        self.finish(i, elapsed)

    def finish(self, i: int, elapsed: float) -> None:
        report = self.reports[i]
        report.seconds = round(elapsed, 2)
        stem = self.stems[self.pdfs[i]]
        if not report.ok:
            _cleanup(self.outdir, stem)
        # outputs an earlier run wrote that this one did not (a plan no longer found, a review
        # page not asked for again) no longer match the file; a failed file keeps none
        _remove_outputs(self.outdir, stem, self.previous.get(report.path), keep=report.outputs)
        self.running.pop(i)
        self.done += 1
        write_manifest(self.outdir, self.reports, self.previous)
        if self.on_done:
            self.on_done(report, self.done, len(self.pdfs))


def _remove_outputs(outdir: Path, stem: str, old: dict[str, Any] | None, keep: Sequence[str] = ()) -> None:
    """An earlier run's outputs this run did not write again: they no longer match the file."""
    for name in (old or {}).get("outputs", []):
        if name.startswith(stem + ".") and name not in keep:
            (outdir / name).unlink(missing_ok=True)


def render_table(reports: Sequence[FileReport]) -> str:
    """The end-of-batch summary: file, plans, records, warnings, status, time."""
    from tabulate import tabulate

    rows = [(Path(r.path).name, r.plans, r.records, r.warnings, r.status + (" (--strict)" if r.strict_failed else ""),
             f"{r.seconds:.1f}s") for r in reports]
    return str(tabulate(rows, headers=("file", "plans", "records", "warnings", "status", "time"),
                        colalign=("left", "right", "right", "right", "left", "right"), disable_numparse=True))


def render_warnings(reports: Sequence[FileReport], outdir: Path, examples: int = EXAMPLES_PER_CODE) -> str:
    """After a batch: the warnings by code (how many, in which files, the first few of each),
    every warning of a file --strict failed, where to look, and a totals line."""
    out: list[str] = []
    by_code: dict[str, dict[str, int]] = {}
    shown: dict[str, list[str]] = {}
    listed: dict[str, int] = {}  # warnings of files --strict failed: each listed whole below
    for r in reports:
        name = Path(r.path).name
        for code, n in r.warnings_by_code.items():
            by_code.setdefault(code, {})[name] = n
            if r.strict_failed:
                listed[code] = listed.get(code, 0) + n
        for code, lines in (r.warning_examples.items() if not r.strict_failed else ()):  # listed whole below
            shown.setdefault(code, []).extend(f"{name}: {line}" for line in lines)
    if by_code:
        out.append("warnings by code:")
        for code, files in sorted(by_code.items(), key=lambda x: (-sum(x[1].values()), x[0])):
            where = ", ".join(f"{f} {n}" for f, n in sorted(files.items(), key=lambda x: (-x[1], x[0])))
            out.append(f"  {code}: {sum(files.values())} ({where})")
            lines = shown.get(code, [])
            out += [f"    {line}" for line in lines[:examples]]
            more = sum(files.values()) - len(lines[:examples]) - listed.get(code, 0)
            if more > 0:
                out.append(f"    ... {more} more")
        stems = sorted({Path(o).stem for r in reports for o in r.outputs if o.endswith(".xlsx")})
        sheet = f"{outdir / (stems[0] + '.xlsx')}" if len(stems) == 1 else f"{outdir}/<file>.xlsx"
        out.append(f"where to look: every warning with its page is on the Review sheet of {sheet}; "
                   "--review also writes a page showing each record on the PDF")
    for r in reports:
        if r.strict_failed and r.warning_lines:
            out.append(f"{Path(r.path).name} failed under --strict; its {len(r.warning_lines)} warning(s):")
            out += [f"  {line}" for line in r.warning_lines]
    skipped = sum(r.status == "skipped" for r in reports)
    if skipped:
        out.append(f"{skipped} file(s) skipped: already converted with the same options (--force converts "
                   "them again)")
    again = [r for r in reports if r.note and r.note.startswith("converted again")]
    for r in again:
        out.append(f"{Path(r.path).name}: {r.note}")
    status: dict[str, int] = {}
    for r in reports:
        status[r.status] = status.get(r.status, 0) + 1
    order = [DONE, "skipped", "failed", "timeout", "crashed"]
    counts = ", ".join(f"{status[k]} {k}" for k in order if status.get(k))
    out.append(f"total: {len(reports)} file(s) ({counts}); {sum(r.plans for r in reports)} plan(s), "
               f"{sum(r.records for r in reports)} records, {sum(r.warnings for r in reports)} warning(s)")
    return "\n".join(out)


class Progress:
    """tqdm's bar (rate, ETA, terminal width) on a terminal; plain lines when output goes to
    a file or a pipe. Failures are printed above the bar as they happen."""

    def __init__(self, total: int, stream: Any = None, every: float = 15.0) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.failed = 0
        self.bar: Any = None
        self.every = every  # seconds between OCR lines when output goes to a file or a pipe
        self.said: dict[Path, float] = {}
        if self.tty:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True, leave=True)

    def ocr(self, path: Path, done: int, of: int) -> None:
        """A file's OCR moving: the bar shows page N of M; plain output says when it starts,
        then every `every` seconds, so a long scan is never minutes of silence."""
        name = Path(path).name
        if self.bar is not None:
            self.bar.set_postfix_str(f"{name[:30]}: OCR page {done} of {of}", refresh=True)
            return
        now = time.monotonic()
        if done == 0 or now - self.said.get(path, 0.0) >= self.every:
            self.said[path] = now
            self.stream.write(f"{name}: OCR page {done} of {of}\n" if done else
                              f"{name}: reading {of} scanned page(s) by OCR\n")
            self.stream.flush()

    def __call__(self, report: FileReport, done: int, total: int) -> None:
        if not report.ok:
            self.failed += 1
        name = Path(report.path).name
        if self.bar is not None:
            if not report.ok:
                self.bar.write(str(report.error), file=self.stream)
            self.bar.set_postfix_str(f"{self.failed} failed" if self.failed else name[:30], refresh=False)
            self.bar.update(done - self.bar.n)
            if done == total:
                self.bar.close()
            return
        if report.status == "skipped":
            self.stream.write(f"[{done}/{total}] skipped: {name}: {report.note} (--force converts it again)\n")
        elif report.ok:
            ocr = f", {len(report.ocr_pages)} page(s) by OCR" if report.ocr_pages else ""
            again = f"; {report.note}" if report.note else ""
            self.stream.write(f"[{done}/{total}] {report.status}: {name}: {report.plans} plan(s), "
                              f"{report.records} records, {report.warnings} warning(s){ocr}{again}\n")
        else:
            self.stream.write(f"[{done}/{total}] {report.status}: {report.error}\n")
        self.stream.flush()
