"""Write a Result to OUTDIR: `<stem>.json` (and the workbook and CSVs), atomically.

Every file is first written to a temporary name in the same folder and renamed into
place only when all of them are complete, so a failed run never leaves a half-written
output under a final name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from actionplan.pipeline.core import Result


def _file_mode() -> int:
    """What a plain open() would give: 0o666 less the umask (mkstemp makes 0o600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


class _Pending:
    """Files opened (or paths reserved) by their final name, renamed into place together."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.mode_bits = _file_mode()
        self.pending: list[tuple[str, Path]] = []
        self.handles: list[IO[Any]] = []

    def _temp(self, name: str) -> tuple[int, str]:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=self.outdir)
        os.chmod(tmp, self.mode_bits)
        self.pending.append((tmp, self.outdir / name))
        return fd, tmp

    def __call__(self, name: str, mode: str = "w") -> IO[Any]:
        fd, _ = self._temp(name)
        fh: IO[Any] = os.fdopen(fd, mode, encoding="utf-8", newline="") if "b" not in mode else os.fdopen(fd, mode)
        self.handles.append(fh)
        return fh

    def reserve(self, name: str) -> Path:
        """A path for a writer that opens files itself (SQLite takes an empty file for a new
        database), renamed into place with the rest."""
        fd, tmp = self._temp(name)
        os.close(fd)
        return Path(tmp)


@contextmanager
def atomic_files(outdir: Path) -> Iterator[_Pending]:
    """Open files by final name; they appear all at once on success, never on failure."""
    outdir.mkdir(parents=True, exist_ok=True)
    files = _Pending(outdir)
    try:
        yield files
        for fh in files.handles:
            if not fh.closed:
                fh.close()
        for tmp, final in files.pending:
            os.replace(tmp, final)
    except BaseException:
        for fh in files.handles:
            fh.close()
        for tmp, _ in files.pending:
            Path(tmp).unlink(missing_ok=True)
        raise


def output_names(result: Result, stem: str | None = None, review: bool = False) -> list[str]:
    """Every file a conversion writes: `<stem>.json`, `<stem>.xlsx`, `<stem>.<plan-id>.csv`
    (and `<stem>.review.html`)."""
    stem = stem or result.source.stem
    names = [f"{stem}.json", f"{stem}.xlsx", *(f"{stem}.{t.id}.csv" for t in result.tables)]
    return [*names, f"{stem}.review.html"] if review else names


def write_outputs(result: Result, outdir: str | Path, as_of: date | None = None, stem: str | None = None,
                  review: bool = False) -> list[Path]:
    """Write every output of one conversion, all or nothing; returns their paths."""
    from actionplan.pipeline.outputs.tabular import write_csv
    from actionplan.pipeline.outputs.workbook import build_workbook

    outdir = Path(outdir)
    names = output_names(result, stem, review)
    workbook = build_workbook(result, as_of)
    page = None
    if review:
        from actionplan.pipeline.outputs.review import review_html

        page = review_html(result)
    with atomic_files(outdir) as open_:
        if page is not None:
            with open_(names[-1]) as fh:
                fh.write(page)
        with open_(names[0]) as fh:
            fh.write(result.to_json())
            fh.write("\n")
        with open_(names[1], "wb") as fh:
            workbook.save(fh)
        for name, table in zip(names[2:2 + len(result.tables)], result.tables):
            with open_(name) as fh:
                write_csv(fh, table.records)
    return [outdir / n for n in names]
