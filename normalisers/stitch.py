"""Join each page's table fragments into one logical table per plan.

A PDF can hold several plans; a new plan starts where a header row appears under a title
or with different columns. Pages without a header continue the plan whose columns they
share. Page furniture (running heads, "Page 3 of 24") is recognised by repetition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from actionplan.extractors.furniture import find_furniture, is_furniture
from actionplan.extractors.model import PageContent, RawTable, TextLine
from actionplan.normalisers.headers import ColumnMap, Synonyms, find_header, infer_item_column
from actionplan.normalisers.text import Vocabulary, clean_cell, header_key
from actionplan.schemas.issues import Issue

_COLUMN_TOLERANCE = 0.03
META = ("_page", "_fill", "_row")


def _lines_above(page: PageContent, table: RawTable, furniture: set[str]) -> list[TextLine]:
    """Text between this table and the one above it (or the top of the page)."""
    floor = table.bbox[3]
    ceiling = min((t.bbox[1] for t in page.tables if t.bbox[1] >= floor - 1 and t is not table), default=1e9)
    return [
        ln for ln in page.lines
        if ln.bbox[1] >= floor - 1 and ln.bbox[3] <= ceiling + 1 and not is_furniture(ln, furniture)
    ]


def plan_title(lines: list[TextLine]) -> str | None:
    """The largest text above the table; consecutive lines of that size are one title."""
    lines = [ln for ln in lines if ln.text.strip()]
    if not lines:
        return None
    biggest = max(ln.size for ln in lines)
    out: list[str] = []
    for ln in lines:  # top to bottom
        if ln.size >= biggest - 0.5:
            out.append(ln.text.strip())
        elif out:
            break
    return " ".join(out) or None


@dataclass
class Plan:
    title: str | None
    columns: ColumnMap
    fractions: list[float]
    rows: list[dict[str, object]] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    sources: list[tuple[int, int]] = field(default_factory=list)  # (page, table index on the page)
    placed: list[str] = field(default_factory=list)  # header and reported text: accounted for, not records

    @property
    def ncols(self) -> int:
        return len(self.columns.fields)

    def column_names(self) -> list[str]:
        """DataFrame column per table column: the field, or `extra:<header>`."""
        names: list[str] = []
        for header, f in zip(self.columns.headers, self.columns.fields):
            base = f if f else f"extra:{header or 'column ' + str(len(names) + 1)}"
            name, k = base, 2
            while name in names:  # two unmapped columns under one header
                name, k = f"{base} ({k})", k + 1
            names.append(name)
        return names

    def frame(self) -> pd.DataFrame:
        names = self.column_names()
        return pd.DataFrame(self.rows, columns=[*names, *META])


@dataclass
class Leftover:
    """A table that is not part of any plan (a RAG key, a sign-off block): kept, reported."""

    page: int
    rows: list[list[str]]


def _same_columns(fractions: list[float], plan: Plan) -> bool:
    return len(fractions) == plan.ncols and all(
        abs(a - b) <= _COLUMN_TOLERANCE for a, b in zip(fractions, plan.fractions)
    )


def build_plans(
    pages: list[PageContent], synonyms: Synonyms, vocab: Vocabulary
) -> tuple[list[Plan], list[Leftover], list[Issue]]:
    """Walk the tables in reading order and assign every row to a plan (or a leftover)."""
    furniture = find_furniture(pages)
    plans: list[Plan] = []
    leftovers: list[Leftover] = []
    issues: list[Issue] = []
    current: Plan | None = None
    for page in pages:
        for table in page.tables:
            texts = [[c.text for c in row] for row in table.rows]
            cleaned = [[clean_cell(t, vocab) for t in row] for row in texts]
            found = find_header(cleaned, synonyms)
            fractions = table.column_fractions()
            if found is not None:
                start, n, cmap = found
                cmap = infer_item_column(cmap, cleaned[start + n:])
                above = _lines_above(page, table, furniture)
                same = current is not None and (
                    [header_key(h) for h in current.columns.headers] == [header_key(h) for h in cmap.headers]
                    or current.columns.fields == cmap.fields
                )
                # text above the header inside the ruled area: reported, and a title if none is above
                inside = [" | ".join(c for c in cleaned[i] if c) for i in range(start) if any(cleaned[i])]
                if current is None or not same or above:
                    title = plan_title(above) or (inside[0].replace(" | ", " ") if inside else None)
                    current = Plan(title, cmap, fractions)
                    plans.append(current)
                body = range(start + n, len(table.rows))
                current.placed += [c for row in cleaned[:start + n] for c in row if c]
                issues += [Issue("text-above-header", text, page=page.number) for text in inside]
            elif current is not None and _same_columns(fractions, current):
                body = range(len(table.rows))
            else:
                leftovers.append(Leftover(page.number, cleaned))
                issues.append(Issue(
                    "not-a-plan-table",
                    f"a {len(table.rows)}x{table.ncols} table on page {page.number} has no plan header "
                    "and does not continue a plan; it is kept under other_tables",
                    page=page.number,
                ))
                continue
            if page.number not in current.pages:
                current.pages.append(page.number)
            current.sources.append((page.number, table.index))
            rag_col = current.columns.index("rag")
            for r in body:
                row = table.rows[r]
                rec: dict[str, object] = dict(zip(current.column_names(), texts[r]))
                rec["_page"] = page.number
                rec["_fill"] = row[rag_col].fill if rag_col is not None else None
                rec["_row"] = r
                current.rows.append(rec)
    return plans, leftovers, issues


def header_fragment(cells: list[str], cmap: ColumnMap) -> bool:
    """A row that repeats the header, whole or in pieces ("Para No" under "Ofsted").

    Every word of every filled cell must be a word of that column's header, so a
    continuation line such as "on." under "Action" is not mistaken for one.
    """
    filled = [(c, h) for c, h in zip(cells, cmap.headers) if c.strip()]
    if not filled:
        return False
    words_seen = 0
    for cell, header in filled:
        words = re.findall(r"[a-z]+", cell.lower())
        if words and not set(words) <= set(re.findall(r"[a-z]+", header.lower())):
            return False
        words_seen += sum(1 for w in words if len(w) >= 2)
    # a lone word ("Evaluation." ending a cell cut by the page) is text, not a header piece
    return words_seen >= 2
