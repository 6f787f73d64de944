"""Convert many PDFs: each in its own process, with a time and memory limit, resumable.

One bad file must not stop the rest: a file that raises, hangs past `timeout` or crashes
its process is reported and the batch goes on. `OUTDIR/manifest.json` records every
input (path, sha256, status, outputs); a re-run skips inputs already converted by the
same tool version from the same bytes.
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
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from actionplan.pipeline.settings import Settings
from actionplan.schemas.errors import ActionPlanError

MANIFEST = "manifest.json"
DONE = "converted"


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
    tool_version: str | None = None
    traceback: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in (DONE, "skipped")

    def to_manifest(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("traceback")
        return data


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


def quiet_logging(verbose: bool) -> None:
    """Third-party parsers log every PDF oddity; the user sees our one line instead."""
    logging.getLogger().setLevel(logging.DEBUG if verbose else logging.CRITICAL)


def _limit_memory(megabytes: int | None) -> None:
    if not megabytes:
        return
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform
        pass


def _work(conn: Any, path: Path, outdir: Path, stem: str, settings: Settings, max_memory: int | None,
          verbose: bool) -> None:
    """In the child: convert one file, write its outputs, send back a small report."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # so a timeout can stop this process and any page workers it starts
    quiet_logging(verbose)
    _limit_memory(max_memory)
    from actionplan.pipeline.core import TOOL_VERSION, convert
    from actionplan.pipeline.writers import write_outputs

    report: dict[str, Any] = {"tool_version": TOOL_VERSION}
    try:
        result = convert(path, settings)
        if settings.strict and result.warnings:
            first = result.warnings[0]
            raise ActionPlanError(f"{len(result.warnings)} warning(s) and --strict", file=path,
                                  hint=f"first: item {first.get('item')}: {first['message']}")
        written = write_outputs(result, outdir, stem=stem)
        coverage = result.text_coverage or {}
        report.update(status=DONE, plans=len(result.tables), records=len(result.records),
                      warnings=len(result.warnings), outputs=[p.name for p in written], sha256=result.sha256,
                      text_coverage=coverage.get("ratio"))
    except ActionPlanError as exc:
        report.update(status="failed", error=str(exc), traceback=traceback.format_exc())
    except MemoryError:
        report.update(status="failed", error=f"{path}: ran out of memory (limit {max_memory} MB)"
                      " (raise it with --max-memory if the file is genuinely that large)")
    except Exception as exc:  # a bug or a PDF nobody anticipated: reported, never fatal to the batch
        report.update(status="failed", error=f"{path}: unexpected {type(exc).__name__}: {exc}",
                      traceback=traceback.format_exc())
    conn.send(report)
    conn.close()


def _preload() -> None:
    """Import the heavy libraries once here, so every forked worker starts with them loaded."""
    import camelot.parsers  # noqa: F401
    import openpyxl  # noqa: F401
    import pandera.pandas  # noqa: F401

    import actionplan.pipeline.core
    import actionplan.pipeline.workbook
    import actionplan.schemas.validation  # noqa: F401


def _cleanup(outdir: Path, stem: str) -> None:
    """Temporary files a killed worker left behind."""
    if outdir.is_dir():
        for tmp in outdir.glob(f".{stem}.*.part"):
            tmp.unlink(missing_ok=True)


def _kill(proc: Any) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):
        proc.kill()
    proc.join(5)


def load_manifest(outdir: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
        return {entry["path"]: entry for entry in data.get("inputs", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(outdir: Path, reports: Sequence[FileReport], previous: dict[str, dict[str, Any]]) -> None:
    from actionplan.pipeline.core import TOOL_VERSION
    from actionplan.pipeline.writers import atomic_files

    entries = dict(previous)
    for r in reports:
        if r.status != "pending":
            entries[r.path] = r.to_manifest()
    doc = {"tool_version": TOOL_VERSION, "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "inputs": list(entries.values())}
    with atomic_files(outdir) as open_, open_(MANIFEST) as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)


def run_batch(
    pdfs: Sequence[Path],
    outdir: Path,
    settings: Settings,
    *,
    jobs: int = 1,
    timeout: float = 300.0,
    force: bool = False,
    max_memory: int | None = 2048,
    verbose: bool = False,
    on_done: Callable[[FileReport, int, int], None] | None = None,
) -> list[FileReport]:
    """Convert every PDF into `outdir`, `jobs` at a time; returns one report per input."""
    from actionplan.pipeline.core import TOOL_VERSION, sha256_of

    outdir.mkdir(parents=True, exist_ok=True)
    previous = load_manifest(outdir)
    stems = output_stems(pdfs)
    reports = [FileReport(str(p.resolve())) for p in pdfs]
    todo: list[int] = []
    for i, p in enumerate(pdfs):
        try:
            reports[i].sha256 = sha256_of(p)
        except OSError as exc:
            reports[i].status, reports[i].error = "failed", f"{p}: cannot read the file ({exc.strerror})"
            continue
        old = previous.get(str(p.resolve()))  # the manifest keys inputs by their full path
        if (not force and old and old.get("status") == DONE and old.get("sha256") == reports[i].sha256
                and old.get("tool_version") == TOOL_VERSION
                and all((outdir / o).exists() for o in old.get("outputs", []))):
            reports[i] = FileReport(**{**old, "status": "skipped", "seconds": 0.0})
            continue
        todo.append(i)
    done = len(pdfs) - len(todo)
    # `jobs` is the whole budget of processes: files first, then pages within a file
    settings = replace(settings, workers=max(1, jobs // max(1, min(jobs, len(todo)))))
    for r in reports:
        if r.status != "pending" and on_done:
            on_done(r, sum(1 for x in reports if x.status != "pending"), len(pdfs))
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx: Any = mp.get_context(method)
    if method == "fork" and todo:
        _preload()
    running: dict[int, tuple[Any, Any, float]] = {}
    queue = list(todo)
    try:
        while queue or running:
            while queue and len(running) < max(1, jobs):
                i = queue.pop(0)
                parent, child = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_work, args=(child, pdfs[i], outdir, stems[pdfs[i]], settings, max_memory,
                                                       verbose), daemon=False)
                proc.start()
                child.close()
                running[i] = (proc, parent, time.monotonic())
            time.sleep(0.02)
            for i, (proc, conn, start) in list(running.items()):
                report = reports[i]
                elapsed = time.monotonic() - start
                message = None
                if conn.poll():
                    try:
                        message = conn.recv()
                    except EOFError:
                        message = None
                if message is not None:
                    proc.join(10)
                    for k, v in message.items():
                        setattr(report, k, v)
                elif not proc.is_alive():
                    report.status = "crashed"
                    report.error = (f"{pdfs[i]}: the worker process died (exit code {proc.exitcode}) while "
                                    "converting it; the PDF may be malformed or too large (see --max-memory)")
                elif elapsed > timeout:
                    _kill(proc)
                    report.status = "timeout"
                    report.error = f"{pdfs[i]}: took longer than {timeout:g} s and was stopped (raise --timeout)"
                else:
                    continue
                report.seconds = round(elapsed, 2)
                if not report.ok:
                    _cleanup(outdir, stems[pdfs[i]])
                    _remove_outputs(outdir, stems[pdfs[i]], previous.get(report.path))
                conn.close()
                del running[i]
                done += 1
                write_manifest(outdir, reports, previous)
                if on_done:
                    on_done(report, done, len(pdfs))
    finally:
        # stopped (Ctrl-C, SIGTERM) or done: no worker outlives the batch, none leaves half a
        # file, and the manifest records what finished
        for i, (proc, _, _) in running.items():
            _kill(proc)
            _cleanup(outdir, stems[pdfs[i]])
        write_manifest(outdir, reports, previous)
    return reports


def _remove_outputs(outdir: Path, stem: str, old: dict[str, Any] | None) -> None:
    """A file that now fails keeps no outputs from an earlier run: they no longer match it."""
    for name in (old or {}).get("outputs", []):
        if name.startswith(stem + "."):
            (outdir / name).unlink(missing_ok=True)


def render_table(reports: Sequence[FileReport]) -> str:
    """The end-of-batch summary: file, plans, records, warnings, status, time."""
    rows = [("file", "plans", "records", "warnings", "status", "time")]
    for r in reports:
        rows.append((Path(r.path).name, str(r.plans), str(r.records), str(r.warnings), r.status, f"{r.seconds:.1f}s"))
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [row[c].rjust(widths[c]) for c in (1, 2, 3)] + [
            row[4].ljust(widths[4]), row[5].rjust(widths[5])]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Progress:
    """A bar on a terminal; plain lines when output goes to a file or a pipe."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.failed = 0

    def __call__(self, report: FileReport, done: int, total: int) -> None:
        if not report.ok:
            self.failed += 1
        name = Path(report.path).name
        if self.tty:
            width = 30
            filled = int(width * done / max(total, 1))
            line = (f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} files"
                    f"{f', {self.failed} failed' if self.failed else ''}  {name[:40]:<40}")
            self.stream.write(line)
            if not report.ok:
                self.stream.write(f"\n{report.error}\n")
            if done == total:
                self.stream.write("\n")
        elif report.ok:
            self.stream.write(f"[{done}/{total}] {report.status}: {name}: {report.plans} plan(s), "
                              f"{report.records} records, {report.warnings} warning(s)\n")
        else:
            self.stream.write(f"[{done}/{total}] {report.status}: {report.error}\n")
        self.stream.flush()
