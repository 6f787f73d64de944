"""One settings object for a conversion, checked once when it is made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from actionplan.schemas.contract import CARRY_DOWN_DEFAULT, FIELDS
from actionplan.schemas.errors import ConfigError
from actionplan.schemas.layout import LayoutSettings
from actionplan.schemas.ocr import OcrSettings

if TYPE_CHECKING:
    from actionplan.normalisers.leads import LeadList
    from actionplan.structure.headers import Synonyms

ENGINES = ("vector", "combined", "raster")


@dataclass(frozen=True)
class Settings:
    """How to read plans. Every field has a default that suits a typical council plan.

    leads: CSV of canonical lead titles (`canonical,aliases`, aliases split by `|`);
        without it, leads are grouped among themselves.
    synonyms: extra header synonyms CSVs (`field,synonym`) on top of the shipped ones.
    lead_threshold: fuzzy score (0-100) a lead must reach to take a canonical title.
    carry_down: columns where a blank cell means "same as the row above".
    engine: Camelot lattice engine; "vector" reads the PDF's own rules without rendering.
    fallback: try rendered lattice and the text flavors on pages where no ruled table is found.
    password: for encrypted PDFs.
    as_of: the date "overdue" is judged against (workbook summary).
    strict: a batch marks a file with any warning failed (its outputs are written all the same).
    workers: processes sharing one file's pages (None: one per core; batches use 1 per file).
    layout: the tolerances that decide a table's rows, columns, header, title and page
        furniture, the reader's rules and fills, and the structural checks (`LayoutSettings`;
        each field, its default and where that came from: the README's "Layout tolerances");
        a dict is accepted too.
    max_page_mb: the drawing instructions one page may hold, forms included (a plan page
        holds tens of KB); a page over it is not read (warning page-not-read), so a
        compression bomb or a page of a million rules costs milliseconds, not gigabytes.
    ocr: "auto" reads pages that are a picture with no text (a scan) with Tesseract;
        "always" every page; "never" refuses scans. Born-digital pages are never touched
        under "auto".
    ocr_settings: the tolerances that read a scanned page (`OcrSettings`: render dpi,
        deskew, rule finding, dust, Tesseract's confidences, cell shading); a dict is
        accepted too.
    """

    leads: Path | None = None
    synonyms: tuple[Path, ...] = ()
    lead_threshold: float = 85.0
    carry_down: tuple[str, ...] = CARRY_DOWN_DEFAULT
    engine: str = "vector"
    fallback: bool = True
    password: str | None = None
    as_of: date = field(default_factory=date.today)
    strict: bool = False
    workers: int | None = None
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    max_page_mb: float = 2.0
    ocr: str = "auto"
    ocr_settings: OcrSettings = field(default_factory=OcrSettings)

    def __post_init__(self) -> None:
        if isinstance(self.layout, dict):
            try:
                object.__setattr__(self, "layout", LayoutSettings(**self.layout))
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"layout settings: {exc}") from exc
        if isinstance(self.ocr_settings, dict):
            try:
                object.__setattr__(self, "ocr_settings", OcrSettings(**self.ocr_settings))
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"OCR settings: {exc}") from exc
        if self.leads is not None:
            object.__setattr__(self, "leads", Path(self.leads))
            if not self.leads.is_file():
                raise ConfigError("lead list not found", file=self.leads,
                                  hint="pass an existing CSV with --leads")
        syn = self.synonyms
        if isinstance(syn, (str, Path)):
            syn = (syn,)
        object.__setattr__(self, "synonyms", tuple(Path(p) for p in syn))
        for p in self.synonyms:
            if not p.is_file():
                raise ConfigError("synonyms file not found", file=p, hint="pass an existing CSV with --synonyms")
        if not 0 <= float(self.lead_threshold) <= 100:
            raise ConfigError(f"lead_threshold must be between 0 and 100, not {self.lead_threshold}")
        object.__setattr__(self, "lead_threshold", float(self.lead_threshold))
        carry = self.carry_down
        if isinstance(carry, str):
            carry = tuple(c.strip() for c in carry.split(",") if c.strip())
        unknown = [c for c in carry if c not in FIELDS]
        if unknown:
            raise ConfigError(f"carry_down names unknown fields {unknown}", hint=f"use some of {', '.join(FIELDS)}")
        object.__setattr__(self, "carry_down", tuple(carry))
        if self.engine not in ENGINES:
            raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if self.workers is None:
            object.__setattr__(self, "workers", available_cores())
        elif int(self.workers) < 1:
            raise ConfigError(f"workers must be 1 or more, not {self.workers}")
        if self.ocr not in ("auto", "always", "never"):
            raise ConfigError(f"ocr must be auto, always or never, not {self.ocr!r}")
        if not float(self.max_page_mb) > 0:
            raise ConfigError(f"max_page_mb must be above 0, not {self.max_page_mb}")
        if not isinstance(self.as_of, date):
            raise ConfigError(f"as_of must be a date, not {self.as_of!r}")

    def replace(self, **changes: object) -> Settings:
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[arg-type]

    @cached_property
    def knowledge(self) -> Knowledge:
        """The user's data files, read once: a batch reads them here, before any PDF, and
        every conversion with these settings uses them (a forked worker inherits them)."""
        from actionplan.normalisers.leads import LeadList
        from actionplan.structure.headers import Synonyms

        return Knowledge(Synonyms.load(self.synonyms, self.layout.header_match),
                         LeadList.load(self.leads) if self.leads is not None else None)


@dataclass(frozen=True)
class Knowledge:
    """What the organisation knows that a conversion uses: header synonyms (the shipped
    file and the user's) and the canonical lead list, if one was given."""

    synonyms: Synonyms
    leads: LeadList | None

    @property
    def lead_words(self) -> list[str]:
        """The lead list's titles: the organisation's own words, whole even where a plan
        only ever prints them broken by a narrow column."""
        return [title for title, _ in self.leads.titles] if self.leads is not None else []


def available_cores() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in containers)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def as_settings(settings: Settings | None = None, **overrides: object) -> Settings:
    """Settings from an object, keyword overrides, or the defaults."""
    base = settings or Settings()
    return base.replace(**overrides) if overrides else base


def paths(values: Sequence[str | Path] | None) -> tuple[Path, ...]:
    return tuple(Path(v) for v in values or ())
