"""Join each page's table fragments into one logical table per plan.

A PDF can hold several plans; a new plan starts where a header row appears under a title
or with different columns. Pages without a header continue the plan whose columns they
share. Page furniture (running heads, "Page 3 of 24") is recognised by repetition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
from rapidfuzz import fuzz

from actionplan.extractors.furniture import find_furniture, is_furniture
from actionplan.extractors.model import Cell, PageContent, RawTable, TextLine
from actionplan.normalisers.checks import header_holds_body_text
from actionplan.normalisers.grid import (
    LayoutSettings,
    as_one_row,
    cut_row,
    edge_cuts,
    gap_cuts,
    header_cut,
    item_cuts,
    line_pitch,
    repeated_header_cuts,
)
from actionplan.normalisers.headers import (
    ColumnMap,
    Synonyms,
    find_header,
    header_score,
    infer_item_column,
    names_only,
)
from actionplan.normalisers.text import Vocabulary, clean_cell, header_key
from actionplan.schemas.issues import Issue

META = ("_page", "_fill", "_row", "_box")


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
    separators: list[float]
    header_lines: list[list[str]] = field(default_factory=list)  # each header cell's printed lines
    rows: list[dict[str, object]] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    sources: list[tuple[int, int]] = field(default_factory=list)  # (page, table index on the page)
    header_text: list[str] = field(default_factory=list)  # every header cell read, repeats too: not records

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


def _same_columns(separators: list[float], plan: Plan | list[float], tolerance: float) -> bool:
    theirs = plan.separators if isinstance(plan, Plan) else plan
    return len(separators) == len(theirs) and all(abs(a - b) <= tolerance for a, b in zip(separators, theirs))


def _goes_on(pending: list[tuple[PageContent, RawTable, list[list[str]]]], page: PageContent,
             separators: list[float], settings: LayoutSettings) -> bool:
    """The table carries on the headerless tables waiting for a header (next page, same columns)."""
    return bool(pending) and page.number - pending[-1][0].number <= 1 and _same_columns(
        separators, pending[-1][1].separators(), settings.column_tolerance)


def repair_header(table: RawTable, synonyms: Synonyms, current: Plan | None, settings: LayoutSettings) -> RawTable:
    """The header as a row of its own.

    Lattice: a header printed above a row the page split has no rule under it, so the
    reader merges the two; cut the first row where the header ends. Stream: one row per
    printed line; stack the lines into one row per column and cut the header off the top,
    so a header wrapped over any number of lines is one row.
    """
    if not table.rows:
        return table
    known = list(current.columns.headers) if current is not None else None
    lattice = table.flavor == "lattice"
    pitch = line_pitch(table, settings) if lattice else None
    first = table.rows[0] if lattice else as_one_row(table)
    rest = table.rows[1:] if lattice else []
    # a rule or a shaded header's lower edge, where the part above reads as a header
    edges = sorted(edge_cuts(first, table, settings, rules=not lattice))
    k: int | None = edges[0] if edges else None
    if k is not None and header_score(_joined(cut_row(first, [k])[0]), synonyms) is None:
        k = None
    if k is None:
        k = header_cut(first, lambda cells: header_score(cells, synonyms), settings, pitch, known,
                       lambda cells: names_only(cells, synonyms))
    if k is None:
        return table if lattice else replace(table, rows=[first])
    parts = cut_row(first, [k], table.fills, settings.level_tolerance)
    return replace(table, rows=[*parts, *_uncopy(rest, first, parts[-1])])


def _uncopy(rows: list[list[Cell]], merged: list[Cell], body: list[Cell]) -> list[list[Cell]]:
    """A cell merged down over several rows gives its text to each (Camelot's copy_text);
    where the header was part of that merged cell, the copies lose the header too."""
    out = []
    for row in rows:
        out.append([replace(cell, text=body[c].text) if c < len(merged) and merged[c].text.strip()
                    and cell.text == merged[c].text and not cell.lines else cell for c, cell in enumerate(row)])
    return out


def _joined(row: list[Cell]) -> list[str]:
    return [" ".join(c.text.split()) for c in row]


def split_body(
    rows: list[list[Cell]], table: RawTable, item_col: int | None, settings: LayoutSettings,
    header: Sequence[Sequence[str]] = (),
) -> list[list[Cell]]:
    """Body rows cut where the evidence says a row ends (see normalisers/grid.py)."""
    pitch = line_pitch(table, settings)
    ruled = table.flavor == "lattice"
    out: list[list[Cell]] = []
    for row in rows:
        cuts = edge_cuts(row, table, settings, rules=not ruled)
        if header:
            cuts |= repeated_header_cuts(row, header, settings)
        if item_col is not None:
            below = row[0].bbox[3] - (pitch or 10.0) - settings.level_tolerance if ruled else None
            cuts |= item_cuts(row, item_col, settings, below)
        elif not (cuts and not ruled):
            cuts |= gap_cuts(row, settings, pitch)
        # a text flavour's stacked columns learn their fills here, row by row
        out += cut_row(row, sorted(cuts), table.fills, settings.level_tolerance) if cuts or not ruled else [row]
    return out


def _adjacent(plan: Plan, page: int) -> bool:
    return bool(plan.pages) and page - plan.pages[-1] <= 1


def _column_lines(rows: list[list[Cell]], col: int) -> list[str]:
    return [ln.text.strip() for row in rows if col < len(row) for ln in row[col].lines if ln.text.strip()]


def build_plans(
    pages: list[PageContent], synonyms: Synonyms, vocab: Vocabulary, settings: LayoutSettings | None = None,
    furniture: set[str] | None = None,
) -> tuple[list[Plan], list[Leftover], list[Issue]]:
    """Walk the tables in reading order and assign every row to a plan (or a leftover).
    `furniture`: the running heads and footers the reader found (found again if not given)."""
    settings = settings or LayoutSettings()
    furniture = find_furniture(pages) if furniture is None else furniture
    plans: list[Plan] = []
    leftovers: list[Leftover] = []
    issues: list[Issue] = []
    current: Plan | None = None
    # tables with no header that continue no plan may be the first rows of the next plan
    # (a producer that keeps rows whole can push a plan's header off its first pages, a
    # row taller than a page off several); they wait, page after page with the same
    # columns, for the header to come, as does a title left alone at the foot of a page
    pending: list[tuple[PageContent, RawTable, list[list[str]]]] = []
    orphan: tuple[int, str] | None = None

    def flush() -> None:
        for p, t, cells in pending:
            leftovers.append(Leftover(p.number, cells))
            # a wide table is more likely plan rows the columns did not match than a key
            wide = plans and t.ncols >= min(4, min(pl.ncols for pl in plans))
            issues.append(Issue(
                "table-left-out" if wide else "not-a-plan-table",
                f"a {len(t.rows)}x{t.ncols} table on page {p.number} has no plan header "
                "and does not continue a plan; it is kept under other_tables",
                page=p.number,
            ))
        pending.clear()

    for page in pages:
        if not page.tables:
            title = plan_title([ln for ln in page.lines if not is_furniture(ln, furniture)])
            orphan = (page.number, title) if title else orphan
        for table in page.tables:
            table = repair_header(table, synonyms, current, settings)
            cleaned = [[clean_cell(c.text, vocab) for c in row] for row in table.rows]
            found = find_header(cleaned, synonyms)
            separators = table.separators()
            if found is not None:
                start, n, cmap = found
                body_rows = table.rows[start + n:]
                if "item" not in cmap.mapped and cmap.fields and cmap.fields[0] is None:
                    cmap = infer_item_column(cmap, [[v] for v in _column_lines(body_rows, 0)])
                above = _lines_above(page, table, furniture)
                # a title left alone at the foot of the page before counts as text above (the
                # page before this table's waiting headerless rows, if any)
                first = pending[0][0].number if _goes_on(pending, page, separators, settings) else page.number
                titled = bool(above) or (orphan is not None and first - orphan[0] == 1)
                same = current is not None and (
                    [header_key(h) for h in current.columns.headers] == [header_key(h) for h in cmap.headers]
                    or current.columns.fields == cmap.fields
                    or (not titled and _same_columns(separators, current, settings.column_tolerance))
                )
                # text above the header inside the ruled area: reported, and a title if none is above
                inside = [" | ".join(c for c in cleaned[i] if c) for i in range(start) if any(cleaned[i])]
                if current is None or not same or titled:
                    title = plan_title(above) or (inside[0].replace(" | ", " ") if inside else None)
                    if title is None and orphan is not None and first - orphan[0] <= 1:
                        title = orphan[1]
                    if (current is not None and _adjacent(current, page.number)
                            and current.columns.fields == cmap.fields
                            and _same_columns(separators, current, settings.column_tolerance)):
                        issues.append(Issue(
                            "plan-split-same-columns",
                            f"a new plan ({title or 'untitled'}) starts on page {page.number} with the same columns "
                            f"as the plan on the page before; if it is one plan, its rows are split in two",
                            page=page.number))
                    issues += header_holds_body_text(list(cmap.headers), None, page.number)
                    current = Plan(title, cmap, separators,
                                   [[ln for ln in c.text.split("\n") if ln.strip()] for c in table.rows[start]])
                    plans.append(current)
                    if (pending and page.number - pending[-1][0].number <= 1
                            and _same_columns(pending[-1][1].separators(), current, settings.column_tolerance)):
                        for p, t, _ in pending:
                            _add_rows(current, p.number, t, t.rows, settings)
                        pending.clear()
                else:
                    issues += header_holds_body_text(list(cmap.headers), list(current.columns.headers), page.number)
                current.header_text += [c for row in cleaned[:start + n] for c in row if c]
                issues += [Issue("text-above-header", text, page=page.number) for text in inside]
            elif (current is not None and _same_columns(separators, current, settings.column_tolerance)
                  and not _goes_on(pending, page, separators, settings)
                  and not (orphan is not None and page.number - orphan[0] == 1)):
                body_rows = table.rows  # (a title alone on the page before starts something new)
            else:
                if not _goes_on(pending, page, separators, settings):
                    flush()
                pending.append((page, table, cleaned))
                continue
            flush()
            _add_rows(current, page.number, table, body_rows, settings)
    flush()
    return plans, leftovers, issues


def _add_rows(plan: Plan, page: int, table: RawTable, rows: list[list[Cell]], settings: LayoutSettings) -> None:
    if page not in plan.pages:
        plan.pages.append(page)
        plan.pages.sort()
    plan.sources.append((page, table.index))
    rag_col = plan.columns.index("rag")
    for r, row in enumerate(split_body(rows, table, plan.columns.index("item"), settings, plan.header_lines)):
        rec: dict[str, object] = dict(zip(plan.column_names(), [c.text for c in row]))
        rec["_page"] = page
        rec["_fill"] = row[rag_col].fill if rag_col is not None else None
        rec["_row"] = r
        rec["_box"] = (min(c.bbox[0] for c in row), min(c.bbox[1] for c in row),
                       max(c.bbox[2] for c in row), max(c.bbox[3] for c in row))
        plan.rows.append(rec)


def header_fragment(cells: list[str], cmap: ColumnMap) -> bool:
    """A row that repeats the header, whole or in pieces ("Para No" under "Ofsted").

    Every word of every filled cell must be a word of that column's header, so a
    continuation line such as "on." under "Action" is not mistaken for one.
    """
    filled = [(c, h) for c, h in zip(cells, cmap.headers) if c.strip()]
    if not filled:
        return False
    close = sum(1 for c, h in filled if header_key(h) and fuzz.ratio(header_key(c), header_key(h)) >= 80)
    if len(filled) >= 3 and close >= max(3, 0.8 * len(filled)):
        return True  # the whole header again, as OCR reads it ("Area forlmprovement", "RIA/JG")
    words_seen = 0
    for cell, header in filled:
        words = re.findall(r"[a-z]+", cell.lower())
        if words and not set(words) <= set(re.findall(r"[a-z]+", header.lower())):
            return False
        words_seen += sum(1 for w in words if len(w) >= 2)
    # a lone word ("Evaluation." ending a cell cut by the page) is text, not a header piece
    return words_seen >= 2
