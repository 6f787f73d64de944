"""The structure stage: what the pages hold, as plans.

One home for every decision about a table: where a text table is and where its columns
part (`columns`), which rows are its header and which field each column holds
(`headers`), where one row ends and the next begins, on a page and across page breaks
(`evidence`, `rows`), where a plan starts and what it is called (`plans`), and the checks
that notice when one of those went wrong (`checks`). Every decision is kept with its
reason (`decisions`) for `inspect` to draw.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from actionplan.extractors.model import Document
from actionplan.extractors.pdf import TextTableRequest
from actionplan.normalisers.text import Vocabulary, clean_cell
from actionplan.schemas.decisions import Decision
from actionplan.schemas.errors import ExtractionError
from actionplan.schemas.issues import Issue
from actionplan.schemas.layout import LayoutSettings
from actionplan.structure.columns import headers_left_unread, locate_text_tables
from actionplan.structure.evidence import as_one_row
from actionplan.structure.headers import PlanHeaderTest, Synonyms
from actionplan.structure.plans import (
    Leftover,
    Plan,
    build_plans,
    part_at_inner_headers,
    split_where_numbering_restarts,
)
from actionplan.structure.rows import settle_rows, take_orphan_lines

__all__ = ["Decision", "Leftover", "Plan", "Structure", "Synonyms", "find_structure", "no_plan_error"]

log = logging.getLogger(__name__)


@dataclass
class Structure:
    """The plans a document holds, what was left out, and every decision on the way."""

    plans: list[Plan]
    leftovers: list[Leftover]
    issues: list[Issue]
    vocab: Vocabulary  # the document's own words, for rejoining words a column broke
    texts: list[str]  # every cell's and line's text, as printed
    decisions: list[Decision] = field(default_factory=list)


def document_texts(document: Document, settings: LayoutSettings | None = None) -> list[str]:
    """Every cell's text and every line outside tables, marked where a line may not be a
    whole word's edge.

    A text flavour's cell is one printed line: its words only count as whole words where
    the line above and below in the same column say so (and its first and last lines may
    be the halves of a word the page break cut); a ruled table's first and last rows may
    be the pieces of rows a page break cut ("nt families" opening a cell): their edge
    lines do not prove whole words either.
    """
    settings = settings or LayoutSettings()
    texts = [c.text if t.flavor == "lattice" and 0 < r < len(t.rows) - 1 else f"\u2026\n{c.text}\n\u2026"
             for p in document.pages for t in p.tables
             for r, row in enumerate(t.rows if t.flavor == "lattice" else [as_one_row(t, settings)]) for c in row]
    return texts + [ln.text for p in document.pages for ln in p.lines]


def find_structure(document: Document, synonyms: Synonyms, settings: LayoutSettings | None = None,
                   read_text_tables: Callable[[Sequence[TextTableRequest]], None] | None = None,
                   known_words: Sequence[str] = ()) -> Structure:
    """Pages into plans. `read_text_tables` cuts the text of the pages without ruled tables
    where this stage locates their tables (None: those pages stay unread as tables);
    `known_words`: the organisation's own words (its lead titles), whole even where the
    plan only ever prints them broken ("Safeguardin" / "g")."""
    settings = settings or LayoutSettings()
    decisions: list[Decision] = []
    if read_text_tables is not None:
        requests, decisions = locate_text_tables(document, PlanHeaderTest(synonyms, settings), settings)
        read_text_tables(requests)
    texts = document_texts(document, settings)
    vocab = Vocabulary.from_texts([*texts, *known_words])
    document.pages = part_at_inner_headers(document.pages, synonyms, vocab, settings, decisions)
    plans, leftovers, issues = build_plans(document.pages, synonyms, vocab, settings, document.furniture, decisions,
                                           list(known_words), document.marks)
    for plan in plans:
        plan.rows = settle_rows(plan, vocab, decisions, settings)
        plan.rows = take_orphan_lines(plan, document.pages, document.furniture, decisions)
        leftovers += [Leftover(r.pieces[0].page, [list(r.cells.values())]) for r in plan.summaries]
    plans, restarts = split_where_numbering_restarts(plans, decisions)
    issues += restarts
    if read_text_tables is not None:
        issues += headers_left_unread(document, {n for p in plans for n in p.pages}, PlanHeaderTest(synonyms, settings),
                                      settings)
    return Structure(plans, leftovers, issues, vocab, texts, decisions)


def no_plan_error(path: Path, document: Document, vocab: Vocabulary) -> ExtractionError:
    """Why no plan was found, naming the headers of the biggest table if there is one."""
    tables = [t for p in document.pages for t in p.tables]
    if not tables:
        return ExtractionError("no table found: this does not look like an action plan", file=path,
                               hint="check it is the plan itself, not a covering letter or report")
    biggest = max(tables, key=lambda t: len(t.rows) * t.ncols)
    headers = [h for h in (clean_cell(c.text, vocab) for c in (biggest.rows[0] if biggest.rows else [])) if h]
    log.debug("%s: headers of the largest table: %r", path, headers)
    shown = ["".join(ch for ch in h if ch.isprintable())[:30] for h in headers[:4]]
    more = f" and {len(headers) - 4} more" if len(headers) > 4 else ""
    what = ("headers " + ", ".join(repr(h) for h in shown) + more) if shown else "no header text"
    return ExtractionError(
        f"no plan header recognised; the largest table (page {biggest.page}) has {what}",
        file=path, hint="map them to fields in a synonyms CSV (field,synonym) and pass it with --synonyms",
    )
