"""Pages into plans: which rows belong to which plan, where a plan starts and ends, and
its title.

A PDF can hold several plans; a new plan starts where a header row appears under a title
or with different columns. Pages without a header continue the plan whose columns they
share. Tables with no header that continue no plan wait, page after page with the same
columns, for a header to come (a producer that keeps rows whole can push a plan's header
off its first pages).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from actionplan.extractors.furniture import find_furniture, furniture_key, is_furniture
from actionplan.extractors.layout import lines_text
from actionplan.extractors.model import BBox, Cell, PageContent, RawTable, TextLine
from actionplan.normalisers.fields import split_item
from actionplan.normalisers.model import Piece, Row
from actionplan.normalisers.text import Vocabulary, clean_cell, header_key
from actionplan.schemas.contract import CARRY_DOWN_DEFAULT, RUNNING_FIELDS
from actionplan.schemas.decisions import Decision
from actionplan.schemas.issues import Issue
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings
from actionplan.structure.checks import header_holds_body_text
from actionplan.structure.evidence import SENTENCE_END, fill_edges
from actionplan.structure.headers import (
    ColumnMap,
    Synonyms,
    find_header,
    header_inside,
    infer_item_column,
    repair_header,
)
from actionplan.structure.roles import HeadingWords, assign_roles
from actionplan.structure.rows import MERGED_FIELD, section_text, split_body


def _lines_above(page: PageContent, table: RawTable, furniture: set[str], settings: LayoutSettings) -> list[TextLine]:
    """Text between this table and the one above it (or the top of the page), reaching
    into either by no more than `overlap_margin`, or standing mostly above this one (a
    heading kept with the table, its descenders over the table's top rule)."""
    floor, m = table.bbox[3], settings.overlap_margin
    ceiling = min((t.bbox[1] for t in page.tables if t.bbox[1] >= floor - m and t is not table), default=1e9)
    return [
        ln for ln in page.lines
        if (ln.bbox[1] >= floor - m or (ln.bbox[1] + ln.bbox[3]) / 2 >= floor)
        and ln.bbox[3] <= ceiling + m and not is_furniture(ln, furniture)
    ]


def plan_title(lines: list[TextLine], settings: LayoutSettings = DEFAULT_LAYOUT) -> str | None:
    """The largest text above the table; consecutive lines of that size (within
    `title_size_tolerance`) are one title. Where headings of that size follow one another
    with text between ("1. Introduction" ... "4. The action plan"), the one nearest the
    table is its title."""
    lines = [ln for ln in lines if ln.text.strip()]
    if not lines:
        return None
    biggest = max(ln.size for ln in lines)
    runs: list[list[str]] = [[]]
    for ln in lines:  # top to bottom
        if ln.size >= biggest - settings.title_size_tolerance:
            runs[-1].append(ln.text.strip())
        elif runs[-1]:
            runs.append([])
    return " ".join(next(r for r in reversed(runs) if r)) or None


def _title_at_foot(page: PageContent, furniture: set[str], settings: LayoutSettings) -> str | None:
    """A title under the page's last table, set larger than the tables' text (by
    `title_size_margin`): the next plan's, its header on the next page (a note or a key
    under a table is the body's size)."""
    floor = min(t.bbox[1] for t in page.tables)
    below = [ln for ln in page.lines if ln.bbox[3] <= floor and not is_furniture(ln, furniture)]
    sizes = sorted(ln.size for t in page.tables for row in t.rows for c in row for ln in c.lines)
    if not below or not sizes:
        return None
    title = [ln for ln in below if ln.size > sizes[len(sizes) // 2] + settings.title_size_margin]
    return plan_title(title, settings) if title else None


@dataclass
class Plan:
    title: str | None
    columns: ColumnMap
    separators: list[float]
    header_lines: list[list[str]] = field(default_factory=list)  # each header cell's printed lines
    rows: list[Row] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    sources: list[tuple[int, int]] = field(default_factory=list)  # (page, table index on the page)
    header_text: list[str] = field(default_factory=list)  # every header cell read, repeats too: not records
    # what the synonyms alone made of its header (`columns` weighs the cells too): a later
    # header is the same plan's when it reads the same
    headings: ColumnMap | None = None
    summaries: list[Row] = field(default_factory=list)  # totals rows under its records: kept, not records
    doubts: list[Issue] = field(default_factory=list)  # warnings on how its rows were settled

    @property
    def read_as(self) -> ColumnMap:
        return self.headings or self.columns

    @property
    def header_keys(self) -> list[str]:
        """Its header's cells as `header_key`s: a header printed again reads the same."""
        return [header_key(h) for h in self.columns.headers]

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


@dataclass
class Leftover:
    """A table that is not part of any plan (a RAG key, a sign-off block): kept, reported."""

    page: int
    rows: list[list[str]]


def _same_columns(separators: list[float], plan: Plan | list[float], tolerance: float) -> bool:
    theirs = plan.separators if isinstance(plan, Plan) else plan
    return len(separators) == len(theirs) and all(abs(a - b) <= tolerance for a, b in zip(separators, theirs))


# share of a table's height a vertical rule must run down, in pieces or whole, to rule a column
_RULED_DOWN = 0.9


def _columns_left_off(table: RawTable, page: PageContent, plan: Plan, settings: LayoutSettings,
                      beside: Sequence[RawTable] = ()) -> RawTable:
    """A browser's grid whose first columns draw no rule across them on a page (an area
    merged down the page, its rows' numbers in cells whose borders collapse into it) is
    read from the first column a rule crosses. Where the table keeps the plan's last
    columns and the plan's first ones are ruled down the page beside it, those are given
    back, each row taking the text printed there. `beside`: tables the reader made of
    those first columns (a sheet's numbers ruled across, the area merged down the page
    between them and the rest: no rule crosses it), given back with them."""
    tol = settings.column_tolerance
    seps, theirs = table.separators(), plan.separators
    missing = len(theirs) - len(seps)
    if table.flavor != "lattice" or missing <= 0 or not table.rows or abs(table.bbox[0] - theirs[missing - 1]) > tol:
        return table
    if not all(abs(a - b) <= tol for a, b in zip(seps, theirs[missing:])):
        return table
    foot, top = table.bbox[1], table.bbox[3]
    # rules down the table's height (drawn in pieces, a cell's border each)
    reach: dict[float, float] = {}
    for x, y0, y1 in page.vrules:
        at = next((k for k in reach if abs(k - x) <= tol), x)
        reach[at] = reach.get(at, 0.0) + max(0.0, min(y1, top) - max(y0, foot))
    down = [x for x, length in reach.items() if length >= _RULED_DOWN * (top - foot)]
    left = min((x for x in down if x < theirs[0] - tol), default=None)
    if left is None or not all(any(abs(x - s) <= tol for x in down) for s in theirs[:missing - 1]):
        return table
    if any(t is not table and not any(t is b for b in beside) and t.bbox[0] < table.bbox[0] and t.bbox[2] > left
           and t.bbox[1] < top and t.bbox[3] > foot for t in page.tables):
        return table  # the reader read those columns as a table of their own
    edges = [left, *theirs[:missing - 1], table.bbox[0]]
    # (the lines of a table the reader made of them are its cells', not the page's)
    lines = [*page.lines, *(ln for t in beside for row in t.rows for c in row for ln in c.lines)]
    rows = []
    for row in table.rows:
        y0, y1 = min(c.bbox[1] for c in row), max(c.bbox[3] for c in row)
        given = []
        for a, b in itertools.pairwise(edges):
            held = tuple(sorted((ln for ln in lines if a <= (ln.bbox[0] + ln.bbox[2]) / 2 < b
                                 and y0 <= (ln.bbox[1] + ln.bbox[3]) / 2 <= y1), key=lambda ln: -ln.bbox[3]))
            given.append(Cell(lines_text(held), (a, y0, b, y1), None, held))
        rows.append([*given, *row])
    return replace(table, bbox=(left, foot, table.bbox[2], top), rows=rows)


def _first_columns_apart(page: PageContent, plan: Plan, settings: LayoutSettings
                         ) -> dict[int, tuple[list[RawTable], RawTable]]:
    """Per table (by id), the tables left of it on its rows that are the plan's first
    columns read apart, and the table with them given back: they leave the page's tables."""
    out: dict[int, tuple[list[RawTable], RawTable]] = {}
    for table in page.tables:
        apart = [t for t in page.tables if t is not table and t.bbox[2] <= table.bbox[0] + settings.column_tolerance
                 and t.bbox[1] < table.bbox[3] and t.bbox[3] > table.bbox[1]]
        if apart and (widened := _columns_left_off(table, page, plan, settings, apart)) is not table:
            out[id(table)] = (apart, widened)
    return out


def _goes_on(pending: list[tuple[PageContent, RawTable, list[list[str]]]], page: PageContent,
             separators: list[float], settings: LayoutSettings) -> bool:
    """The table carries on the headerless tables waiting for a header (next page, same columns)."""
    return bool(pending) and page.number - pending[-1][0].number <= 1 and _same_columns(
        separators, pending[-1][1].separators(), settings.column_tolerance)


# how alike (rapidfuzz token_set_ratio, 0-100) two headers' words are for a new untitled plan
# under the second to be doubted as the first's rows split (fixed: the same words, cut apart)
_SIMILAR_HEADER = 80


def _title_key(title: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "", (title or "").lower())


def _printed_again(plans: Sequence[Plan], title: str | None, cmap: ColumnMap) -> str | None:
    """The title of the earlier plan whose title and header these are, word for word."""
    keys = [header_key(h) for h in cmap.headers]
    return next((p.title for p in plans if p.title and _title_key(p.title) == _title_key(title)
                 and p.header_keys == keys), None)


def _adjacent(plan: Plan, page: int) -> bool:
    return bool(plan.pages) and page - plan.pages[-1] <= 1


def _title_rows_above(rows: Sequence[Sequence[str]], header: int, first: int) -> int:
    """Where a table parts above a header inside it: above the blank rows and rows of one
    cell (a title, a key) over the header, down to `first`."""
    cut = header
    while cut > first and sum(1 for c in rows[cut - 1] if c.strip()) <= 1:
        cut -= 1
    return cut


def part_table(table: RawTable, cut: int) -> tuple[RawTable, RawTable]:
    """The table's rows above `cut` and from it, each with the fills and rules on its side."""
    x0, y0, x1, y1 = table.bbox
    y = max(c.bbox[3] for c in table.rows[cut])  # the lower part's top
    top = replace(table, bbox=(x0, y, x1, y1), rows=table.rows[:cut],
                  fills=tuple(f for f in table.fills if (f[0][1] + f[0][3]) / 2 >= y),
                  rules=tuple(r for r in table.rules if r >= y),
                  rule_pieces=tuple(r for r in table.rule_pieces if r[0] >= y))
    bottom = replace(table, bbox=(x0, y0, x1, y), rows=table.rows[cut:], header_end=None,
                     fills=tuple(f for f in table.fills if (f[0][1] + f[0][3]) / 2 < y),
                     rules=tuple(r for r in table.rules if r <= y),
                     rule_pieces=tuple(r for r in table.rule_pieces if r[0] <= y))
    return top, bottom


def part_at_inner_headers(pages: list[PageContent], synonyms: Synonyms, vocab: Vocabulary,
                          settings: LayoutSettings = DEFAULT_LAYOUT, trace: list[Decision] | None = None
                          ) -> list[PageContent]:
    """Each ruled table parted above a header inside it (and above that header's title, rows
    of one cell): a sheet with two plans, one below the other, prints them in one grid, the
    second's title a merged cell across it. The parts are tables of their own, so the plans
    part there; the words the reader found in the table go with the part whose cells hold
    them (any no cell holds, with the upper part)."""
    header_vocab = vocab.with_words(sorted(HeadingWords.load().known))
    seen: set[tuple[str, ...]] = set()  # headers of the tables so far: printed again atop a page
    out: list[PageContent] = []
    for page in pages:
        tables: list[RawTable] = []
        words: list[list[str]] = []
        for k, whole in enumerate(page.tables):
            pending = [whole]
            left = list(page.table_words[k]) if k < len(page.table_words) else []
            while pending:
                table = pending.pop()
                if table.flavor != "lattice":
                    tables.append(table)
                    words.append(left)
                    continue
                cleaned = _header_candidates(table.rows, header_vocab, settings)
                found = find_header(cleaned, synonyms, settings)
                first = 1
                if found is not None:
                    first = found[0] + found[1]
                    if found[1] > 1 and tuple(header_key(c) for c in cleaned[found[0]]) in seen:
                        first = found[0] + 1  # an earlier header again, over the top of this table's rows
                    seen.add(tuple(header_key(h) for h in found[2].headers))
                inner = header_inside(cleaned, first, synonyms, settings)
                cut = _title_rows_above(cleaned, inner, first) if inner is not None else 0
                if not cut:
                    tables.append(table)
                    words.append(left)
                    continue
                top, bottom = part_table(table, cut)
                bottom = replace(bottom, parted=True)
                if trace is not None:
                    trace.append(Decision("header", page.number, "a header inside the table",
                                          "a row under the table's first rows reads as a header (a plan below "
                                          "the one above, in the same grid): the table parts above it and its "
                                          "title", box=bottom.bbox))
                tables.append(top)
                lower = Counter(w for row in bottom.rows for c in row for w in c.text.split())
                upper: list[str] = []
                below: list[str] = []
                for w in left:
                    (below if lower[w] > 0 else upper).append(w)
                    lower[w] -= 1
                words.append(upper)
                left = below
                pending.append(bottom)
        if len(tables) > len(page.tables):
            page = replace(page, tables=[replace(t, index=i) for i, t in enumerate(tables)], table_words=words)
        out.append(page)
    return out


def _header_candidates(rows: Sequence[Sequence[Cell]], vocab: Vocabulary, settings: LayoutSettings) -> list[list[str]]:
    """The rows' cells cleaned, as far as a header is looked for at a table's top and, below,
    where a row could be one (`header_inside`: enough cells, none longer than a heading);
    the other rows' cells as printed (cleaning every body cell twice would cost a page's
    structure a fifth again)."""
    out: list[list[str]] = []
    top = 0  # rows of two cells or more so far: find_header looks at the first few
    for row in rows:
        texts = [c.text for c in row]
        filled = [t for t in texts if t.strip()]
        top += len(filled) >= 2
        if top <= settings.header_scan_rows + 1 or (
                len(filled) >= settings.header_min_fields
                and all(len(t.split()) <= settings.header_max_words for t in filled)):
            texts = [clean_cell(t, vocab) for t in texts]
        out.append(texts)
    return out


def _title_rows_at_end(plan: Plan, page: int) -> list[Row]:
    """The section rows (and blank rows) that end the plan, on this page or the one before,
    with no record under them (and a record above)."""
    k = len(plan.rows)
    while k > 0 and page - plan.rows[k - 1].pieces[0].page <= 1 and (
            plan.rows[k - 1].section is not None or not any(v.strip() for v in plan.rows[k - 1].cells.values())):
        k -= 1
    rows = plan.rows[k:]
    return rows if k > 0 and any(r.section is not None for r in rows) else []


def _column_lines(rows: list[list[Cell]], col: int) -> list[str]:
    return [ln.text.strip() for row in rows if col < len(row) for ln in row[col].lines if ln.text.strip()]


def build_plans(
    pages: list[PageContent], synonyms: Synonyms, vocab: Vocabulary, settings: LayoutSettings | None = None,
    furniture: set[str] | None = None, trace: list[Decision] | None = None, lead_names: Sequence[str] = (),
    marks: AbstractSet[str] = frozenset(),
) -> tuple[list[Plan], list[Leftover], list[Issue]]:
    """Walk the tables in reading order and assign every row to a plan (or a leftover).
    `furniture`: the running heads and footers the reader found (found again if not given);
    `marks`: lines repeated as the pages' outermost (`outermost_marks`), a row of a table
    that is only one of them no record; `trace` collects every decision taken, with its reason."""
    settings = settings or LayoutSettings()
    trace = [] if trace is None else trace
    furniture = find_furniture(pages, settings=settings) if furniture is None else furniture

    def row_marks(plan: Plan) -> set[str]:
        # a header's line alone at the top of every page ("Ofste" of "Ofste / d Para No") is the header's
        return set(marks) - {furniture_key(ln) for cell in plan.header_lines for ln in cell}

    def row_furniture(plan: Plan) -> set[str]:
        return furniture | row_marks(plan)
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
            # a wide table (`wide_table_columns`, or as wide as a plan) is more likely plan rows
            # the columns did not match than a key
            wide = plans and t.ncols >= min(settings.wide_table_columns, min(pl.ncols for pl in plans))
            left = Decision("left-out", p.number, "not a plan: kept under other_tables",
                            "no plan header, and its columns continue no plan", box=t.bbox)
            trace.append(left)
            issues.append(Issue(
                "table-left-out" if wide else "not-a-plan-table",
                f"a {len(t.rows)}x{t.ncols} table on page {p.number} has no plan header "
                "and does not continue a plan; it is kept under other_tables",
                page=p.number, decision=left,
            ))
        pending.clear()

    # headers are read knowing the words headings use: one broken in a narrow column
    # ("Dat" / "e" / "du" / "e") is printed nowhere else to learn its words from
    header_vocab = vocab.with_words(sorted(HeadingWords.load().known))
    for at, page in enumerate(pages):
        if not page.tables:
            title = plan_title([ln for ln in page.lines if not is_furniture(ln, furniture)], settings)
            orphan = (page.number, title) if title else orphan
        placed_by = current  # the plan the page's first columns were given back for
        beside = _first_columns_apart(page, current, settings) if current is not None else {}
        tables = [t for t in page.tables if not any(t is b for bs, _ in beside.values() for b in bs)]
        for on_page, table in enumerate(tables):
            more_below = on_page < len(tables) - 1  # another table under this one on its page
            parted = table.parted
            apart, given = beside.get(id(table), ([], None))
            if current is not None and given is not None and current is placed_by:
                widened = given  # (worked out for this plan above)
            elif current is not None:
                widened = _columns_left_off(table, page, current, settings, apart)
            if current is not None and widened is not table:
                trace.append(Decision("columns", page.number, "first columns given back",
                                      f"the reader's table starts at the plan's column "
                                      f"{widened.ncols - table.ncols + 1}; the plan's first columns, ruled down the "
                                      "page beside it, no rule across them, are given back"
                                      + (" (the reader had made a table of their own of the ones ruled across)"
                                         if apart else ""), box=widened.bbox, xs=tuple(widened.separators())))
                table = widened
            table = repair_header(table, synonyms, current, settings, trace=trace)
            cleaned = [[clean_cell(c.text, header_vocab) for c in row] for row in table.rows]
            found = find_header(cleaned, synonyms, settings)
            separators = table.separators()
            if found is not None and found[1] > 1 and current is not None and (
                    current.header_keys == [header_key(c) for c in cleaned[found[0]]]):
                # the plan's own header again, word for word, in its first row: the row under it
                # is the top of a row the page cut, not more of the header
                one = find_header(cleaned[found[0]:found[0] + 1], synonyms, settings)
                found = (found[0], 1, one[2]) if one is not None else found
            if found is not None:
                start, n, cmap = found
                body_rows = table.rows[start + n:]
                header = Decision("header", page.number, f"header: {n} row{'s' if n > 1 else ''}",
                                  f"{len(cmap.mapped)} of its cells name fields in the synonyms file",
                                  box=_rows_box(table.rows[start:start + n]))
                if "item" not in cmap.mapped and cmap.fields and cmap.fields[0] is None:
                    cmap = infer_item_column(cmap, [[v] for v in _column_lines(body_rows, 0)], settings)
                above = _lines_above(page, table, furniture, settings)
                # a marking over every page ("OFFICIAL") set close over the table's own title
                # is no part of that title (alone above a table it may be a sheet's print title)
                above = [ln for ln in above if furniture_key(ln.text) not in marks] or above
                # a title left alone at the foot of the page before counts as text above (the
                # page before this table's waiting headerless rows, if any)
                first = pending[0][0].number if _goes_on(pending, page, separators, settings) else page.number
                titled = bool(above) or (orphan is not None and first - orphan[0] == 1)
                # text above the header inside the ruled area: reported, and a title if none is above
                inside = [" | ".join(c for c in cleaned[i] if c) for i in range(start) if any(cleaned[i])]
                # a header parted from the table above, under rows of one cell: they are its title
                titled = titled or (parted and bool(inside))
                # section rows ending the plan before, no record under them, over a header worded
                # unlike any plan's so far: the next plan's title, printed in the grid above its
                # header (under a plan's header printed again, even read in other pieces, they
                # are a section row left at a page's foot)
                keys = [header_key(h) for h in cmap.headers]
                heading = (_title_rows_at_end(current, page.number) if current is not None and all(
                    p.header_keys != keys
                    and fuzz.token_set_ratio(" ".join(p.columns.headers), " ".join(cmap.headers)) < _SIMILAR_HEADER
                    for p in plans) else [])
                titled = titled or bool(heading)
                # an earlier plan's header alone, no row under it (a sheet's print titles over a
                # later plan's own header, parted from it): the title above is that plan's, below.
                # Alone on its page, it is a plan's header left at the foot (a browser keeps rows
                # whole): the title above it is its own.
                if not body_rows and more_below and any(p.header_keys == keys for p in plans):
                    titled = False
                same = current is not None and (
                    current.header_keys == [header_key(h) for h in cmap.headers]
                    or current.read_as.fields == cmap.fields
                    or (not titled and _same_columns(separators, current, settings.column_tolerance))
                    # the plan's header again, its last column left off the page's table (a column
                    # with no text on this page, that the reader did not see)
                    or (not titled and _adjacent(current, page.number)
                        and len(cmap.fields) >= settings.header_min_fields
                        and len(current.read_as.fields) == len(cmap.fields) + 1
                        and current.read_as.fields[:-1] == cmap.fields)
                )
                # a spreadsheet's print titles (or a document's heading row) print the plan's own
                # title and header again at the top of every page: the plan goes on. A second plan
                # under the same title and columns is still parted where its numbering restarts.
                reprinted = False  # an earlier plan's title and header, printed over this plan's page
                if (titled and same and above and current is not None and current.title
                        and _adjacent(current, page.number)
                        and _title_key(plan_title(above, settings)) == _title_key(current.title)):
                    titled = False
                    trace.append(Decision("plan-goes-on", page.number, "title and header printed again",
                                          "the plan's own title and header again at the top of the page "
                                          "(print titles): the plan goes on", box=table.bbox))
                elif (titled and above and current is not None and _adjacent(current, page.number)
                      and _same_columns(separators, current, settings.column_tolerance)
                      and (first_plan := _printed_again(plans[:-1], plan_title(above, settings), cmap)) is not None):
                    # a sheet's print titles are the first plan's title and header, printed over
                    # every page of the sheet, a later plan's too: the plan on the page before goes on
                    titled, same, reprinted = False, True, True
                    trace.append(Decision("plan-goes-on", page.number, "print titles over a later plan",
                                          f"the title and header of an earlier plan ({first_plan}) printed again at "
                                          "the top of the page, over the same columns (a sheet's print titles): "
                                          "the plan on the page before goes on", box=table.bbox))
                # a plan's header left alone at the foot of the page before, without a row under
                # it: this header is that plan's again, read over its rows (its columns may read
                # differently here, where the rows show where they start)
                alone = (current is not None and not current.rows and not titled and not same
                         and _adjacent(current, page.number))
                if alone and current is not None:
                    plans.remove(current)
                    trace.append(Decision("plan-goes-on", page.number, "header again, over its rows",
                                          f"the plan's header on page {current.pages[-1] if current.pages else '?'} "
                                          "had no rows under it: its rows start here", box=table.bbox))
                if current is None or not same or titled:
                    if heading and current is not None:
                        del current.rows[len(current.rows) - len(heading):]
                        above_title = [row.section for row in heading if row.section is not None]
                        inside = [*above_title[1:], *inside]
                        title = above_title[0]
                    elif parted and inside:
                        title = plan_title([ln for row in table.rows[:start] for c in row for ln in c.lines],
                                           settings) or inside[0].replace(" | ", " ")
                    else:
                        title = plan_title(above, settings) or (inside[0].replace(" | ", " ") if inside else None)
                    if title is None and orphan is not None and first - orphan[0] <= 1:
                        title = orphan[1]
                    if alone and current is not None and title is None:
                        title = current.title
                    why = ("the first plan" if current is None
                           else "a header inside the table, under its title" if parted and titled
                           else "its title, section rows at the end of the plan before, above its header"
                           if heading else "a title above its header" if titled
                           else "its header names other columns than the plan before")
                    start_here = Decision("plan-start", page.number, f"plan {len(plans) + 1}: {title or 'untitled'}",
                                          why, box=table.bbox)
                    trace += [start_here, header]
                    trace += _column_roles(cmap, table.rows[start], page.number)
                    if (current is not None and _adjacent(current, page.number)
                            and current.read_as.fields == cmap.fields
                            and _same_columns(separators, current, settings.column_tolerance)):
                        issues.append(Issue(
                            "plan-split-same-columns",
                            f"a new plan ({title or 'untitled'}) starts on page {page.number} with the same columns "
                            f"as the plan on the page before; if it is one plan, its rows are split in two",
                            page=page.number, decision=start_here))
                    elif (current is not None and not titled and _adjacent(current, page.number)
                          and fuzz.token_set_ratio(" ".join(current.columns.headers), " ".join(cmap.headers))
                          >= _SIMILAR_HEADER):
                        # the same header read differently (its cells cut in other places): no title
                        # says a new plan starts here
                        issues.append(Issue(
                            "plan-split-same-columns",
                            f"a new untitled plan starts on page {page.number} under a header much like the plan "
                            f"before's, read differently; if it is one plan, its rows are split in two",
                            page=page.number, decision=start_here))
                    issues += header_holds_body_text(list(cmap.headers), None, page.number, settings, decision=header)
                    waiting = pending if _goes_on(pending, page, separators, settings) else []
                    evidence = [*body_rows, *(row for _, t, _ in waiting for row in t.rows)]
                    evidence += _rows_ahead(pages[at + 1:at + 1 + _EVIDENCE_PAGES], separators, synonyms, vocab,
                                            settings)
                    # a section row's text, merged across the table, says nothing of its first column;
                    # the header printed again on the pages ahead (line by line) says nothing either
                    printed = {k for c in table.rows[start] for ln in c.text.split("\n") if (k := header_key(ln))}
                    evidence = [row for row in evidence if section_text(row, cmap.fields, False, settings) is None
                                and not all(header_key(c.text) in printed for c in row if c.text.strip())]
                    roles, role_issues, role_decisions = assign_roles(cmap, evidence, synonyms, HeadingWords.load(),
                                                                      vocab, page.number, lead_names, settings,
                                                                      table.fills)
                    issues += role_issues
                    trace += role_decisions
                    orphan = None  # a title left alone above is this plan's, and no later one's
                    current = Plan(title, roles, separators,
                                   [[ln for ln in c.text.split("\n") if ln.strip()] for c in table.rows[start]],
                                   headings=cmap)
                    plans.append(current)
                    if (pending and page.number - pending[-1][0].number <= 1
                            and _same_columns(pending[-1][1].separators(), current, settings.column_tolerance)):
                        for p, t, _ in pending:
                            trace.append(Decision("plan-goes-on", p.number, "rows before the header",
                                                  f"no header of its own; the header on page {page.number} has its "
                                                  "columns", box=t.bbox))
                            _add_rows(current, p.number, t, t.rows, settings, trace, p.hidden_lines,
                                      row_furniture(current), row_marks(current))
                        pending.clear()
                else:
                    header = replace(header, kind="repeated-header", label="header repeated",
                                     reason="the plan's own header again: left out of the records")
                    trace.append(header)
                    # an earlier plan's header word for word: the sheet's print titles, not this plan's
                    reprinted = reprinted or any(p.header_keys == keys
                                                 for p in plans[:-1])
                    if not reprinted:
                        issues += header_holds_body_text(list(cmap.headers), list(current.columns.headers),
                                                         page.number, settings, decision=header)
                current.header_text += [c for row in cleaned[:start + n] for c in row if c]
                issues += [Issue("text-above-header", text, page=page.number, decision=header) for text in inside]
            elif (current is not None and _same_columns(separators, current, settings.column_tolerance)
                  and not _goes_on(pending, page, separators, settings)
                  and not (orphan is not None and page.number - orphan[0] == 1)):
                body_rows = table.rows  # (a title alone on the page before starts something new)
                trace.append(Decision("plan-goes-on", page.number, "plan goes on",
                                      "no header, and the same columns as the plan before", box=table.bbox))
            elif (current is not None and all(r.section is not None for r in current.rows)
                  and _adjacent(current, page.number) and len(separators) == len(current.separators)
                  and not pending):
                # a header alone at the foot of the page before (or over section rows only): its
                # rows are here, and where their text starts places the columns better than the
                # gaps between centred headings did
                current.separators = separators
                body_rows = table.rows
                trace.append(Decision("plan-goes-on", page.number, "rows under the header on the page before",
                                      "the plan's header had no rows under it; these, with as many columns, are "
                                      "its first", box=table.bbox))
            else:
                if not _goes_on(pending, page, separators, settings):
                    flush()
                pending.append((page, table, cleaned))
                continue
            flush()
            _add_rows(current, page.number, table, body_rows, settings, trace, page.hidden_lines,
                      row_furniture(current), row_marks(current))
        if page.tables and (title := _title_at_foot(page, furniture, settings)) is not None:
            orphan = (page.number, title)
    flush()
    return plans, leftovers, issues


# pages: a plan's columns are judged by their cells on its first page and this many pages
# after, as far as its columns go on (a first page may hold a row or two under its header)
_EVIDENCE_PAGES = 3


def _rows_ahead(pages: Sequence[PageContent], separators: list[float], synonyms: Synonyms, vocab: Vocabulary,
                settings: LayoutSettings) -> list[list[Cell]]:
    """Body rows of the tables after a plan's header that go on in its columns."""
    out: list[list[Cell]] = []
    for page in pages:
        for table in page.tables:
            if not _same_columns(table.separators(), separators, settings.column_tolerance):
                return out
            found = find_header([[clean_cell(c.text, vocab) for c in row] for row in table.rows], synonyms, settings)
            out += table.rows[found[0] + found[1]:] if found is not None else table.rows
    return out


def _rows_box(rows: list[list[Cell]]) -> BBox:
    boxes = [c.bbox for row in rows for c in row]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _column_roles(cmap: ColumnMap, header: list[Cell], page: int) -> list[Decision]:
    """Which field each column holds, and how sure the heading made us."""
    out = []
    for c, (text, fld, score) in enumerate(zip(cmap.headers, cmap.fields, cmap.scores)):
        box = header[c].bbox if c < len(header) else None
        name = " ".join(text.split())[:40] or "(no heading)"
        if fld is None:
            out.append(Decision("column-role", page, f"{name} -> extra", "its heading names no field", box=box))
        elif not text.strip():
            out.append(Decision("column-role", page, f"{name} -> {fld}", "no heading; its cells are item numbers",
                                box=box))
        else:
            out.append(Decision("column-role", page, f"{name} -> {fld}", f"heading matches {fld} ({score:.0f}/100)",
                                box=box))
    return out


def _add_rows(plan: Plan, page: int, table: RawTable, rows: list[list[Cell]], settings: LayoutSettings,
              trace: list[Decision] | None = None, hidden: Sequence[TextLine] = (),
              furniture: set[str] | None = None, marks: AbstractSet[str] = frozenset()) -> None:
    """The table's body rows into the plan: section rows, records' rows. A row that is all
    one line of the page's furniture ("Page 4 of 20" a text table's area took in at its
    foot, cut by its columns) is neither; a mark over the first row is no part of it."""
    if page not in plan.pages:
        plan.pages.append(page)
        plan.pages.sort()
    plan.sources.append((page, table.index))
    rag_col = plan.columns.index("rag")
    names = plan.column_names()
    if rows and marks:
        first, mark = _without_mark(rows[0], marks)
        if mark is not None:  # (its words are no record's: accounted for, as a header's are)
            plan.header_text.append(mark)
            rows = [first, *rows[1:]]
    body = []
    for row in split_body(rows, table, plan.columns.index("item"), settings, plan.header_lines, trace):
        if furniture and _is_furniture_row(row, furniture):
            plan.header_text += [ln.text for c in row for ln in c.lines]
            if trace is not None:
                box = (min(c.bbox[0] for c in row), min(c.bbox[1] for c in row),
                       max(c.bbox[2] for c in row), max(c.bbox[3] for c in row))
                trace.append(Decision("left-out", page, "page furniture", "the row is one line of the page's "
                                      "running head or footer, cut by the columns: not the plan's", box=box))
        else:
            body.append(row)
    edges = [*table.rule_pieces, *fill_edges(table, settings)]
    merges, edged = _merges_and_edges(body, table, settings, edges)
    bands = _drawn_bands(body, names, sorted({y for y, _, _ in edges}), settings)
    open_above = part_merged_cells(body, merges, not plan.rows, settings, trace, page)
    for r, why in area_across_row_edges(body, names, settings).items():
        open_above[r].add(names.index(MERGED_FIELD))
        if trace is not None:
            box = (min(c.bbox[0] for c in body[r]), max(c.bbox[3] for c in body[r]),
                   max(c.bbox[2] for c in body[r]), max(c.bbox[3] for c in body[r]))
            trace.append(Decision("continuation", page, "area merged with the row above", why, box=box))
    for r, row in enumerate(body):
        box = (min(c.bbox[0] for c in row), min(c.bbox[1] for c in row),
               max(c.bbox[2] for c in row), max(c.bbox[3] for c in row))
        section = section_text(row, plan.columns.fields, first_on_page=r == 0, settings=settings)
        if section is not None:
            text, why = section
            plan.header_text.append(text)  # printed once, given to every row below it
            plan.rows.append(Row({name: "" for name in names}, (Piece(page, r, box),), section=text))
            if trace is not None:
                trace.append(Decision("section-row", page, f"section: {text[:30]}", f"{why}: its text is the area "
                                      "of the rows below it, and it is not a record", box=box))
            continue
        cells = {name: row[c].text if c < len(row) else "" for c, name in enumerate(names)}
        fill = row[rag_col].fill if rag_col is not None else None
        merged = tuple(names[c] for c in sorted(open_above[r]) if c < len(names))
        drawn = _hidden_over(row, names, hidden, first=r == 0, last=r == len(body) - 1) if hidden else ()
        apart = tuple(names[c] for c, cell in enumerate(row) if c < len(names) and _side_by_side(cell, settings))
        foot = _open_at_foot(body, names, settings) if r == len(body) - 1 else ()
        extents = tuple((name, min(ln.bbox[1] for ln in row[c].lines), max(ln.bbox[3] for ln in row[c].lines))
                        for c, name in enumerate(names) if c < len(row) and row[c].lines)
        plan.rows.append(Row(cells, (Piece(page, r, box, fill, open_at_foot=foot, extents=extents, edge=edged[r],
                                          band=bands[r]),),
                             merged=merged, hidden=drawn, side_by_side=apart))


# points: pieces of one printed line, the columns cut apart, have tops this close (fixed)
_ONE_LINE = 1.0


def _is_furniture_row(row: list[Cell], furniture: set[str]) -> bool:
    """All the row's lines are on one printed line, and that line, its pieces joined, is furniture."""
    lines = [ln for c in row for ln in c.lines]
    if not lines or max(ln.bbox[3] for ln in lines) - min(ln.bbox[3] for ln in lines) > _ONE_LINE:
        return False
    return is_furniture(_one_line(lines), furniture)


def _one_line(lines: Sequence[TextLine]) -> TextLine:
    """Pieces of one printed line the columns cut, as the line: pieces that touch were one
    word the cut fell in ("2" + "0")."""
    lines = sorted(lines, key=lambda ln: ln.bbox[0])
    text = lines[0].text.strip()
    for a, b in itertools.pairwise(lines):
        char = (a.bbox[2] - a.bbox[0]) / max(1, len(a.text.strip()))
        text += ("" if b.bbox[0] - a.bbox[2] < 0.25 * char else " ") + b.text.strip()
    return TextLine(text, (lines[0].bbox[0], lines[0].bbox[1], lines[-1].bbox[2], lines[0].bbox[3]), lines[0].size)


def _without_mark(row: list[Cell], marks: AbstractSet[str]) -> tuple[list[Cell], str | None]:
    """The row without its top line, and that line, where it is (its pieces joined) a mark
    repeated at the pages' edges (`outermost_marks`): a protective marking set over a text
    table on the rest of a row cut at the page's top (it read as a section row over the
    rows below, its text their area)."""
    lines = [ln for c in row for ln in c.lines]
    if not marks or not lines:
        return row, None
    top = max(ln.bbox[3] for ln in lines)
    first = [ln for ln in lines if top - ln.bbox[3] <= _ONE_LINE]
    mark = _one_line(first).text
    if len(first) == len(lines) or furniture_key(mark) not in marks:
        return row, None
    out = []
    for c in row:
        kept = tuple(ln for ln in c.lines if ln not in first)
        out.append(c if len(kept) == len(c.lines) else replace(c, text=lines_text(kept), lines=kept))
    return out, mark


# of the column's width: a last line this close to where its column wraps was full
_FULL_LINE = 0.25


def _open_at_foot(body: list[list[Cell]], names: list[str], settings: LayoutSettings) -> tuple[str, ...]:
    """The running-text fields of the page's last row whose cell ends on the table's lowest
    line, mid-sentence, on a line as full as its column's lines run: a cell the page break
    should have carried on."""
    last = body[-1]
    lines = [ln for c in last for ln in c.lines if ln.text.strip()]
    if not lines:
        return ()
    foot = min(ln.bbox[1] for ln in lines)
    out = []
    for c, cell in enumerate(last):
        if c >= len(names) or names[c] not in RUNNING_FIELDS or not cell.lines:
            continue
        end = min(cell.lines, key=lambda ln: ln.bbox[1])
        column = [ln for row in body if c < len(row) for ln in row[c].lines]
        x0, edge = min(ln.bbox[0] for ln in column), max(ln.bbox[2] for ln in column)
        if (end.bbox[1] - foot <= settings.level_tolerance and not end.text.rstrip().endswith(SENTENCE_END)
                and end.text.rstrip()[-1:].isalpha() and edge - end.bbox[2] <= _FULL_LINE * (edge - x0)):
            out.append(names[c])
    return tuple(out)


# characters of the line's own width: two lines of one cell on one level this far apart are
# two cells' texts (a word space is one, a tab stop in a cell rarer than a misplaced edge)
_APART_CHARS = 3.0


def _side_by_side(cell: Cell, settings: LayoutSettings) -> bool:
    """The cell printed two texts on one line with a gap of several characters between
    them: a column edge fell short of where one cell's text ends and the next begins."""
    lines = sorted(cell.lines, key=lambda ln: ln.bbox[0])
    # the reader's one printed line holding two texts (a text table's row, its column edge
    # short of the second): its pieces were set apart on the page
    if any("\n" in ln.text.strip() for ln in lines):
        return True
    for a, b in itertools.combinations(lines, 2):
        if abs(a.bbox[3] - b.bbox[3]) > settings.level_tolerance:
            continue
        char = (a.bbox[2] - a.bbox[0]) / max(1, len(a.text.strip()))
        if b.bbox[0] - a.bbox[2] > _APART_CHARS * char:
            return True
    return False


def _hidden_over(row: list[Cell], names: list[str], hidden: Sequence[TextLine], *, first: bool, last: bool
                 ) -> tuple[tuple[str, str], ...]:
    """The text drawn out of sight in the columns where this row's cell is blank: a
    spreadsheet draws a merged cell that a page break cuts on both pages, clipped to
    the part each page shows, so its text lies beyond the page's top or foot. A page's
    first row takes what is drawn above its foot (the cell going on from the page before),
    its last row what is drawn below its top (the cell going on to the next): a page of
    two rows, each a cut cell's part, holds both copies, one beyond either edge."""
    if not (first or last):
        return ()
    foot, top = min(cell.bbox[1] for cell in row), max(cell.bbox[3] for cell in row)
    out = []
    for c, name in enumerate(names):
        if c >= len(row) or row[c].text.strip():
            continue
        x0, x1 = row[c].bbox[0], row[c].bbox[2]
        lines = sorted((ln for ln in hidden if x0 <= (ln.bbox[0] + ln.bbox[2]) / 2 <= x1
                        and (last or (ln.bbox[1] + ln.bbox[3]) / 2 > foot)
                        and (first or (ln.bbox[1] + ln.bbox[3]) / 2 < top)), key=lambda ln: -ln.bbox[3])
        if lines:
            out.append((name, " ".join(ln.text for ln in lines)))
    return tuple(out)


def _drawn_bands(rows: list[list[Cell]], names: Sequence[str], ys: Sequence[float], settings: LayoutSettings
                 ) -> list[tuple[float, float] | None]:
    """Each row's top and foot as drawn: the edges nearest round what its own cells print
    (not a grouping column's, whose merged text may run past the row)."""
    tol = settings.level_tolerance
    spans: list[tuple[float, float] | None] = []
    for row in rows:
        lines = [ln.bbox for c, cell in enumerate(row) if c >= len(names) or names[c] not in CARRY_DOWN_DEFAULT
                 for ln in cell.lines]
        spans.append((max(b[3] for b in lines), min(b[1] for b in lines)) if lines else None)
    out: list[tuple[float, float] | None] = []
    for r, span in enumerate(spans):
        if span is None or not ys:
            out.append(None)
            continue
        above = next((s[1] for s in reversed(spans[:r]) if s is not None), float("inf"))
        below = next((s[0] for s in spans[r + 1:] if s is not None), float("-inf"))
        tops = [y for y in ys if span[0] - tol <= y <= above + tol]
        foots = [y for y in ys if below - tol <= y <= span[1] + tol]
        out.append((min(tops), max(foots)) if tops and foots else None)
    return out


def merged_columns(rows: list[list[Cell]], table: RawTable, settings: LayoutSettings = DEFAULT_LAYOUT
                   ) -> list[set[int]]:
    return _merges_and_edges(rows, table, settings)[0]


def _merges_and_edges(rows: list[list[Cell]], table: RawTable, settings: LayoutSettings = DEFAULT_LAYOUT,
                      edges: list[tuple[float, float, float]] | None = None) -> tuple[list[set[int]], list[str]]:
    """For each row, the columns whose cell goes on from the row above: the rules between
    the two rows stop short of them (a spreadsheet's merged cell, a web page's rowspan).
    Only where rules part the rows at all. (Camelot gives a ruled grid's merged cell to each
    row it covers; what it cannot give is a merged cell's text drawn on another page.)"""
    out: list[set[int]] = [set() for _ in rows]
    edged = [""] * len(rows)  # what parts each row from the one above: "rule", "fill" (edges only) or nothing
    # a band's fill edges part rows as rules do, and stop short of a merged cell as they do
    pieces = [*table.rule_pieces, *fill_edges(table, settings)] if edges is None else edges
    if not pieces:
        return out, edged
    tol = settings.level_tolerance
    for r in range(1, len(rows)):
        above = [ln.bbox[3] for c in rows[r - 1] for ln in c.lines]
        below = [ln.bbox[3] for c in rows[r] for ln in c.lines]
        if not above or not below:
            continue
        # the rule between the two rows: the nearest over the lower row's top, within a
        # couple of its lines (a cell's padding); a merged cell's lines run past it, in its gap
        top = max(c.bbox[3] for c in rows[r])
        window = 2 * max(ln.bbox[3] - ln.bbox[1] for c in rows[r] for ln in c.lines)
        ys = [y for y, _, _ in pieces if top - tol <= y <= min(top + window, max(above))]
        if not ys:
            continue
        band = [(x0, x1) for y, x0, x1 in pieces if abs(y - min(ys)) <= tol]
        edged[r] = "rule" if any(abs(y - min(ys)) <= tol for y, _, _ in table.rule_pieces) else "fill"
        for c, cell in enumerate(rows[r]):
            # where the column prints (its lines in either row), else its middle: a column
            # read wider than it is drawn reaches into the merged cell beside it
            printed = [ln.bbox for row in (rows[r - 1], rows[r]) if c < len(row) for ln in row[c].lines]
            mid = ((min(b[0] for b in printed) + max(b[2] for b in printed)) / 2 if printed
                   else (cell.bbox[0] + cell.bbox[2]) / 2)
            if not any(x0 <= mid <= x1 for x0, x1 in band):
                out[r].add(c)
    return out, edged


def area_across_row_edges(rows: list[list[Cell]], names: Sequence[str], settings: LayoutSettings = DEFAULT_LAYOUT
                          ) -> dict[int, str]:
    """Rows whose area cell goes on from the row above's: one text set across the edge
    between them (a merged cell centred over rows that no rule or fill edge parts in its
    column), its last line above at the upper row's foot, its next a line's pitch below at
    the lower row's top, mid-sentence. Each such row, and why."""
    if MERGED_FIELD not in names:
        return {}
    c = list(names).index(MERGED_FIELD)
    out: dict[int, str] = {}
    for r in range(1, len(rows)):
        if c >= len(rows[r]) or c >= len(rows[r - 1]):
            continue
        above = [ln for ln in rows[r - 1][c].lines if ln.text.strip()]
        below = [ln for ln in rows[r][c].lines if ln.text.strip()]
        if not above or not below:
            continue
        last = min(above, key=lambda ln: ln.bbox[1])
        first = max(below, key=lambda ln: ln.bbox[3])
        height = first.bbox[3] - first.bbox[1]
        pitch = _cell_pitch(above) or _cell_pitch(below) or height * _LINE_SPACING
        foot = min(cell.bbox[1] for cell in rows[r - 1])
        top = max(cell.bbox[3] for cell in rows[r])
        if (last.text.rstrip().endswith(SENTENCE_END) or not first.text.lstrip()[:1].islower()
                or abs((last.bbox[3] - first.bbox[3]) - pitch) > settings.level_tolerance
                or last.bbox[1] - foot > pitch or top - first.bbox[3] > pitch):
            continue
        out[r] = ("its text runs on mid-sentence across the edge at one line's pitch, from the upper row's foot "
                  "to the lower's top: one merged cell set over both")
    return out


# a line's pitch as a share of its height where a cell shows no two lines to measure it by
_LINE_SPACING = 1.15


def _cell_pitch(lines: Sequence[TextLine]) -> float | None:
    tops = sorted({round(ln.bbox[3], 1) for ln in lines}, reverse=True)
    steps = [a - b for a, b in itertools.pairwise(tops)]
    return min(steps) if steps else None


def part_merged_cells(rows: list[list[Cell]], open_above: list[set[int]], first_rows: bool,
                      settings: LayoutSettings = DEFAULT_LAYOUT, trace: list[Decision] | None = None,
                      page: int = 0) -> list[set[int]]:
    """Where no rule parts a column's rows over a run (a merged cell's column, unbanded
    in a banded table), the run can hold several merged cells, each printing its text once:
    at its top, at its foot or in its middle (across a row edge). Each text is one cell; the
    rows between two texts belong to the one whose alignment places them, the alignment the
    run's texts all agree on (set at the top: each text under its first row's top by the same
    padding; at the foot alike; centred: each cell's middle at its text's middle). Returns
    `open_above` with the column closed at each cell's first row; unchanged where no
    alignment fits (`first_rows`: this page's first row starts the plan, so a cell)."""
    out = [set(s) for s in open_above]
    if len(rows) < 3:
        return out
    tops = [max(c.bbox[3] for c in row) for row in rows]
    foots = [min(c.bbox[1] for c in row) for row in rows]
    for c in sorted({c for s in open_above for c in s}):
        r = 0
        while r < len(rows):
            end = r + 1
            while end < len(rows) and c in open_above[end]:
                end += 1
            if end - r >= 3:
                cuts = _merged_cell_starts(rows, c, r, end, tops, foots, r > 0 or first_rows, end < len(rows),
                                           settings)
                if cuts is not None:
                    starts, how = cuts
                    for s in starts:
                        out[s].discard(c)
                    if trace is not None and starts:
                        box = (rows[r][c].bbox[0], foots[end - 1], rows[r][c].bbox[2], tops[r])
                        trace.append(Decision("continuation", page, f"{len(starts) + 1} merged cells in column {c + 1}",
                                              f"no rule parts the column's rows, and it prints {len(starts) + 1} "
                                              f"texts: each a merged cell, {how}", box=box))
            r = end
    return out


def _merged_cell_starts(rows: list[list[Cell]], c: int, r0: int, r1: int, tops: list[float], foots: list[float],
                        top_known: bool, foot_known: bool, settings: LayoutSettings
                        ) -> tuple[list[int], str] | None:
    """The first rows of the merged cells after the first in rows r0..r1 of column c, and
    the alignment that placed them; None where there is one text or no alignment fits."""
    tol = settings.level_tolerance
    lines = sorted(((ln, k) for k in range(r0, r1) if c < len(rows[k]) for ln in rows[k][c].lines
                    if ln.text.strip()), key=lambda lk: -lk[0].bbox[3])
    if len(lines) < 2:
        return None
    steps = [a.bbox[3] - b.bbox[3] for (a, _), (b, _) in itertools.pairwise(lines) if a.bbox[3] - b.bbox[3] > tol]
    if not steps:
        return None
    pitch = min(steps)
    # a text's lines follow one another at its pitch; a wider step starts the next text
    blocks: list[list[tuple[TextLine, int]]] = [[lines[0]]]
    for (a, _), (b, k) in itertools.pairwise(lines):
        if a.bbox[3] - b.bbox[3] > pitch + tol:
            blocks.append([])
        blocks[-1].append((b, k))
    if len(blocks) < 2:
        return None
    spans = [(min(k for _, k in b), max(k for _, k in b)) for b in blocks]
    if any(spans[i][1] >= spans[i + 1][0] for i in range(len(spans) - 1)):
        return None  # two texts in one row: not cells of their own
    top = [max(ln.bbox[3] for ln, _ in b) for b in blocks]
    foot = [min(ln.bbox[1] for ln, _ in b) for b in blocks]
    m = len(blocks)

    def fits(starts: list[int], how: str) -> float | None:
        """The largest misfit (points) of the cells the starts make, or None if one is off."""
        firsts, lasts = [r0, *starts], [*(s - 1 for s in starts), r1 - 1]
        pads: list[float] = []
        for i in range(m):
            known_top, known_foot = i > 0 or top_known, i < m - 1 or foot_known
            if how == "top" and known_top:
                pads.append(tops[firsts[i]] - top[i])
            elif how == "foot" and known_foot:
                pads.append(foot[i] - foots[lasts[i]])
            elif how == "middle" and known_top and known_foot:
                pads.append(abs((tops[firsts[i]] + foots[lasts[i]]) / 2 - (top[i] + foot[i]) / 2))
        if not pads:
            return None
        if how == "middle":
            return max(pads) if max(pads) <= pitch / 2 else None
        # set at the top (or foot): the same padding over every text, under a line's pitch
        return max(pads) - min(pads) if max(pads) <= pitch and max(pads) - min(pads) <= 2 * tol else None

    choices = [range(spans[i][1] + 1, spans[i + 1][0] + 1) for i in range(m - 1)]
    if all(len(ch) == 1 for ch in choices):
        return [ch[0] for ch in choices], "one to each text's rows"
    best: tuple[float, list[int], str] | None = None
    for how, said in (("top", "each set at its top"), ("foot", "each set at its foot"),
                      ("middle", "each set in its middle")):
        if how == "top":
            starts = [spans[i + 1][0] for i in range(m - 1)]  # a cell starts at its text's row
        elif how == "foot":
            starts = [spans[i][1] + 1 for i in range(m - 1)]
        else:
            starts = _centred_starts(choices, r0, r1, tops, foots, top, foot, top_known, foot_known)
        misfit = fits(starts, how)
        if misfit is not None and (best is None or misfit < best[0]):
            best = (misfit, starts, said)
    return (best[1], best[2]) if best is not None else None


def _centred_starts(choices: list[range], r0: int, r1: int, tops: list[float], foots: list[float],
                    top: list[float], foot: list[float], top_known: bool, foot_known: bool) -> list[int]:
    """The cells' first rows that set each text nearest its cell's middle (the worst text's
    distance the least): a cell's rows end where the next begins, so each choice moves two."""
    m = len(top)

    def off(i: int, first: int, last: int) -> float:
        if (i == 0 and not top_known) or (i == m - 1 and not foot_known):
            return 0.0
        return abs((tops[first] + foots[last]) / 2 - (top[i] + foot[i]) / 2)

    # best[s] = (worst misfit of the cells above, their starts) with the next cell starting at s
    best: dict[int, tuple[float, list[int]]] = {s: (off(0, r0, s - 1), [s]) for s in choices[0]}
    for i in range(1, m - 1):
        best = {s: min(((max(cost, off(i, p, s - 1)), [*path, s]) for p, (cost, path) in best.items() if p < s),
                       default=(1e9, [s]), key=lambda cp: cp[0]) for s in choices[i]}
    return min(((max(cost, off(m - 1, p, r1 - 1)), path) for p, (cost, path) in best.items()),
               key=lambda cp: cp[0])[1]


def _doubts_on(plan: Plan, rows: Sequence[Row]) -> list[Issue]:
    """The plan's warnings on the pages these rows lie on (a plan parted keeps each with its part)."""
    pages = {p for r in rows for p in r.pages}
    return [d for d in plan.doubts if d.page in pages]


def split_where_numbering_restarts(plans: list[Plan], trace: list[Decision] | None = None,
                                   ) -> tuple[list[Plan], list[Issue]]:
    """A plan whose numbering starts again (1, 2, ... 9, then 1 again) is two plans the
    reader joined: a second plan under the same columns, its title not read as one (a
    banded table, a heading the page shows as a row). Each restart starts a plan, with a
    structural warning, so the file converts and says where it split."""
    out: list[Plan] = []
    issues: list[Issue] = []
    for plan in plans:
        rest = plan
        while True:
            items = [split_item(r.get("item")) for r in rest.rows]
            first = items[0] if items else None
            j = next((k for k in range(2, len(items)) if first is not None and items[k] == first
                      and len(set(items[:k])) >= 2), None)
            if j is None:
                out.append(rest)
                break
            head, tail = rest.rows[:j], rest.rows[j:]
            page = tail[0].page
            before = replace(rest, rows=head, pages=sorted({p for r in head for p in r.pages}),
                             doubts=_doubts_on(rest, head))
            after = replace(rest, title=None, rows=tail, pages=sorted({p for r in tail for p in r.pages}),
                            doubts=_doubts_on(rest, tail), header_text=[])
            out.append(before)
            why = (f"the numbering starts again at {first} on page {page}, after {items[j - 1]}: "
                   "a second plan under the same columns")
            decision = Decision("plan-start", page, f"plan starts again at {first}", why,
                                box=tail[0].pieces[0].box)
            if trace is not None:
                trace.append(decision)
            issues.append(Issue("plan-split-numbering-restarts",
                                f"item {first} on page {page} starts the numbering again after item {items[j - 1]}: "
                                "read as a second plan; if it is one plan, its numbers are printed twice",
                                item=first, page=page, decision=decision))
            rest = after
    return out, issues
