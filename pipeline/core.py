"""convert(path) -> Result: the whole pipeline for one PDF, as a library call."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from actionplan.pipeline.settings import Settings, as_settings
from actionplan.schemas.contract import TOOL_VERSION, Record
from actionplan.schemas.decisions import Decision
from actionplan.schemas.errors import InputError, ValidationFailed
from actionplan.schemas.issues import Issue

log = logging.getLogger(__name__)


@dataclass
class PlanTable:
    """One plan: its title, its columns and its records in the JSON contract."""

    id: str
    title: str | None
    pages: list[int]
    columns: list[dict[str, str | None]]
    records: list[Record]
    ocr: bool = False  # some of its pages were read by OCR: check its text against the PDF

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "pages": [self.pages[0], self.pages[-1]] if self.pages else [],
            "columns": self.columns,
            "records": self.records,
            "ocr": self.ocr,
        }


@dataclass
class Result:
    """What a conversion found; `to_dict()` is the JSON contract."""

    source: Path
    sha256: str
    page_count: int
    tables: list[PlanTable]
    warnings: list[Issue] = field(default_factory=list)
    other_tables: list[dict[str, Any]] = field(default_factory=list)
    text_coverage: dict[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)
    settings: Settings | None = None
    # what the reader found (tables, cells, rules, fills, text lines): for inspect and the review page
    document: Any = field(default=None, repr=False)
    # every structural decision, with its reason: for inspect
    decisions: list[Decision] = field(default_factory=list, repr=False)
    # the document's own words, as the word joiner used them: for inspect
    vocab: Any = field(default=None, repr=False)

    @property
    def records(self) -> list[Record]:
        return [r for t in self.tables for r in t.records]

    def to_dict(self) -> dict[str, Any]:
        from actionplan.schemas.contract import SCHEMA_VERSION

        source: dict[str, Any] = {"file": self.source.name, "sha256": self.sha256, "pages": self.page_count}
        if self.text_coverage is not None:
            source["text_coverage"] = self.text_coverage
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "actionplan", "version": TOOL_VERSION},
            "source": source,
            "tables": [t.to_dict() for t in self.tables],
            "other_tables": self.other_tables,
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def frame(self, table: int | str = 0) -> Any:
        """One plan's records as a pandas DataFrame."""
        import pandas as pd

        from actionplan.schemas.contract import RECORD_FIELDS

        t = self.tables[table] if isinstance(table, int) else next(x for x in self.tables if x.id == table)
        return pd.DataFrame(t.records, columns=list(RECORD_FIELDS))


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _validate(path: Path, tables: list[PlanTable], plans: list[Any]) -> list[Issue]:
    """Soft failures as warnings; the first hard failure fails the file (naming how many more)."""
    from actionplan.schemas.validation import validate_records

    failures, warnings = [], []
    for table, plan in zip(tables, plans):
        hard, soft = validate_records(table.records, plan.columns.mapped, table.id)
        failures += hard
        warnings += soft
    if failures:
        first = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        message = first.message
        if first.code == "item-duplicate":  # the PDF prints it twice: say where, both times
            table = next(t for t in tables if t.id == first.table)
            places = [f"page {r['source_pages'][0]}" for r in table.records
                      if r["item"] == first.item and r["source_pages"]]
            message = f"item {first.item!r} is printed more than once in the plan: {', '.join(places)}"
        raise ValidationFailed(
            f"plan {first.table!r}: {message}{more}", file=path, page=first.page, row=first.item,
            hint="check that row in the PDF; the plan itself needs correcting",
        )
    return warnings


def _security_issues(security: Any) -> list[Issue]:
    """A protected file is read like any reader reads it; say that it was protected."""
    if not security.restrictions:
        return []
    how = f"{security.handler} encrypted" if security.handler else "protected"
    return [Issue("pdf-restricted",
                  f"the PDF is {how} and its author restricted {', '.join(security.restrictions)}; "
                  "it was read as PDF readers read it; check you may reuse its content")]


def _ocr_issues(document: Any) -> list[Issue]:
    """Scanned pages: that they were read by OCR, and the words read with low confidence."""
    out = []
    if document.ocr_pages:
        pages = document.ocr_pages
        out.append(Issue("ocr-used", f"{len(pages)} page(s) were scans and were read by OCR (pages "
                         f"{', '.join(map(str, pages[:10]))}{' ...' if len(pages) > 10 else ''}); check the text "
                         "against the PDF", page=pages[0]))
    for page, words in sorted(document.ocr_doubts.items()):
        out.append(Issue("ocr-low-confidence", f"{len(words)} word(s) on page {page} were read with low confidence: "
                         + " ".join(words[:20]) + (" ..." if len(words) > 20 else ""), page=page))
    return out


def _hidden_issues(document: Any) -> list[Issue]:
    """Text drawn out of sight was not read; say so, page by page, with what it said."""
    out = []
    for page in document.pages:
        if page.hidden_text:
            shown = "; ".join(t[:40] for t in page.hidden_text[:5]) + (" ..." if len(page.hidden_text) > 5 else "")
            out.append(Issue("text-out-of-sight", f"{len(page.hidden_text)} line(s) on page {page.number} are drawn "
                             f"out of sight (clipped away, invisible or off the page) and were not read: {shown}",
                             page=page.number))
    return out


def _refused_issues(refused: list[Any]) -> list[Issue]:
    return [Issue("page-not-read", f"page {p.number} was not read: {p.not_read}; any plan rows on it are missing "
                  f"({p.not_read_hint})", page=p.number) for p in refused]


def _read(path: Path, opts: Settings, progress: Callable[[str, int, int], None] | None = None) -> Any:
    """What the pages hold; a file with nothing to read is refused here, naming why."""
    from actionplan.extractors.model import BUDGET_HINT
    from actionplan.extractors.pdf import read_document

    document = read_document(path, password=opts.password, engine=opts.engine, workers=opts.workers or 1,
                             max_page_bytes=int(opts.max_page_mb * (1 << 20)), layout=opts.layout, ocr=opts.ocr,
                             ocr_settings=opts.ocr_settings, progress=progress)
    pages = document.pages
    refused = [p for p in pages if p.not_read]
    if refused and not any(p.n_chars for p in pages):
        first = refused[0]
        raise InputError(f"page {first.number} was not read: {first.not_read}"
                         + (f" (and {len(refused) - 1} more pages)" if len(refused) > 1 else ""), file=path,
                         hint=first.not_read_hint if first.not_read_hint != BUDGET_HINT else
                         "the file looks malformed; if it is a genuine plan, raise --max-page-mb")
    if document.truncated and not any(p.n_chars for p in pages):
        raise InputError("the PDF is truncated (it has no end-of-file marker) and no text could be read", file=path,
                         hint="the download or copy was cut short; fetch the file again")
    if pages and not any(p.n_chars for p in pages):
        raise InputError(
            "the PDF has no text layer (a scan?)" if opts.ocr == "never" else "no text on any page, even by OCR",
            file=path,
            hint="convert with --ocr auto (the default) to read it with Tesseract" if opts.ocr == "never"
            else "check the file shows a plan; a blank or unreadable scan cannot be converted",
        )
    return document


def convert(path: str | Path, settings: Settings | None = None, *,
            progress: Callable[[str, int, int], None] | None = None, **overrides: Any) -> Result:
    """Convert one plan PDF into records: read -> structure -> normalise -> check ->
    validate. Raises an ActionPlanError subclass on bad input. `progress` is told of the long
    steps as they go: ("ocr", pages done, scanned pages), first with none done."""
    from actionplan.extractors.pdf import read_text_tables
    from actionplan.pipeline.coverage import text_coverage
    from actionplan.pipeline.normalise import normalise_plans
    from actionplan.structure import find_structure, no_plan_error
    from actionplan.structure.checks import check_plan, numbering_runs_on

    opts = as_settings(settings, **overrides)
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=path, hint="check the path")
    known = opts.knowledge
    timings: dict[str, float] = {}
    with _timed(timings, "read"):
        document = _read(path, opts, progress)
    log.info("%s: read %d page(s)%s in %.2f s", path.name, len(document.pages),
             f", {len(document.ocr_pages)} by OCR" if document.ocr_pages else "", timings["read"])

    def text_tables(requests: Any) -> None:  # the structure stage says where; the reader cuts
        read_text_tables(path, document, requests, opts.password, opts.layout)

    with _timed(timings, "structure"):
        found = find_structure(document, known.synonyms, opts.layout, text_tables if opts.fallback else None,
                               known.lead_words)
    def partial(tables: list[PlanTable], issues: list[Issue]) -> Result:  # what `inspect` draws of a failure
        return Result(source=path, sha256=sha256_of(path), page_count=len(document.pages), tables=tables,
                      warnings=issues, other_tables=[], text_coverage={}, timings=timings, settings=opts,
                      document=document, decisions=found.decisions, vocab=found.vocab)

    log.info("%s: structure: %d plan(s), %d decision(s) in %.2f s", path.name, len(found.plans),
             len(found.decisions), timings["structure"])
    if log.isEnabledFor(logging.DEBUG):
        for decision in found.decisions:
            log.debug("%s: %s", path.name, decision.describe())
    if not found.plans:
        err = no_plan_error(path, document, found.vocab)
        err.partial = partial([], list(found.issues))
        raise err
    with _timed(timings, "normalise"):
        plans = normalise_plans(found, opts, known.leads, document.ocr_pages)
    with _timed(timings, "check"):
        issues = [*_security_issues(document.security), *_refused_issues([p for p in document.pages if p.not_read]),
                  *_ocr_issues(document), *_hidden_issues(document), *found.issues]
        for done in plans:
            first_pages = [r["source_pages"][0] if r["source_pages"] else None for r in done.records]
            checked = check_plan(done.rows, [r["item"] for r in done.records], first_pages, opts.layout,
                                 [r["due_dates"] for r in done.records])
            issues += [replace(i, table=done.id) for i in (*done.plan.doubts, *done.issues, *checked)]
        issues += numbering_runs_on([(d.id, [r["item"] for r in d.records]) for d in plans])
        tables = [PlanTable(d.id, d.plan.title, d.plan.pages,
                            [{"header": h, "field": f} for h, f in zip(d.plan.columns.headers, d.plan.columns.fields)],
                            d.records, ocr=d.ocr) for d in plans]
        # printed text in no record by design: header cells, items as first read, totals rows
        accounted = [[*d.plan.header_text, *d.mended, *(v for r in d.plan.summaries for v in r.cells.values())]
                     for d in plans]
        coverage, lost = text_coverage(document.pages, [d.plan for d in plans], [d.records for d in plans],
                                       [d.id for d in plans], accounted, document.furniture,
                                       [[list(r.carried) for r in d.rows] for d in plans])
        issues += lost
    with _timed(timings, "validate"):
        try:
            issues += _validate(path, tables, [d.plan for d in plans])
        except ValidationFailed as err:
            err.partial = partial(tables, issues)
            raise
    log.info("%s: %d record(s), %d warning(s); %s", path.name, sum(len(t.records) for t in tables), len(issues),
             ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    return Result(
        source=path, sha256=sha256_of(path), page_count=len(document.pages), tables=tables, warnings=issues,
        other_tables=[{"page": lo.page, "rows": lo.rows} for lo in found.leftovers], text_coverage=coverage,
        timings=timings, settings=opts, document=document, decisions=found.decisions, vocab=found.vocab,
    )
