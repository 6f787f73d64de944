"""Where a plan's rows end: on a page, and across page breaks.

On a page, a row the reader merged is cut again between its printed lines where the
evidence says a new row starts (structure/evidence.py has the page's own drawing: fill
edges, rules): the item column starting a new number, several cells starting together
after a wider gap than a cell's own lines keep, a header printed again inside the row.
Across pages, a row a page break cut is joined back to the record it continues.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import TYPE_CHECKING

from actionplan.extractors.furniture import is_furniture
from actionplan.extractors.layout import pieces_of_one_line
from actionplan.extractors.model import Cell, PageContent, RawTable, TextLine
from actionplan.normalisers.fields import ITEM_ID
from actionplan.normalisers.model import Row
from actionplan.normalisers.text import Vocabulary, header_key
from actionplan.schemas.contract import CARRY_DOWN_DEFAULT, RUNNING_FIELDS, SHORT_FIELDS
from actionplan.schemas.decisions import Decision
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings
from actionplan.structure.alignment import place_merged_cells
from actionplan.structure.evidence import (
    CUT_ABOVE,
    SENTENCE_END,
    bracket_goes_on,
    cell_fill_cuts,
    cell_fill_edges,
    copy_of,
    cut_row,
    edge_cuts,
    fill_edges,
    level_of,
    levels_of,
    line_pitch,
    reference_goes_on,
    row_lines,
    sentence_goes_on,
)
from actionplan.structure.headers import ColumnMap, header_rows, repeated_header_cuts

if TYPE_CHECKING:
    from actionplan.structure.plans import Plan


def item_cuts(row: Sequence[Cell], column: int, settings: LayoutSettings, below: float | None = None) -> set[int]:
    """Cuts before every line of the item column that reads as an item number.

    `below`: only numbers whose tops are below this height count. A ruled row's own number
    sits at its top, under the last line of a cell merged down from the row above (whose
    text runs on over the rule) and must not cut that line off.
    """
    return {k for k in item_levels(row, column, settings, below) if k > 0}


_DIGITS = re.compile(r"^\d+$")
# a prefixed number whose last digit a narrow column wrapped ("R1" / "0" is R10)
_PREFIXED = re.compile(r"^[A-Za-z]{1,3}\d+$")
# a word an item number is written after ("Action 2", "R 3"), wrapped onto a line of its own
_ITEM_WORD = re.compile(r"^(?:[A-Za-z]{1,3}|[A-Z][a-z]{3,14})$")
# a section label's word before its number ("Priority 4", "Recommendation 2")
_LABEL_WORD = re.compile(r"^[A-Za-z]{2,}")
# a number whose next level the column wrapped onto the line below ("1." / "1" is 1.1)
_OPEN_LEVEL = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,2}\.$")
# a line this many line pitches below another is the next line of the same cell
_NEXT_LINE = 1.3


def item_levels(row: Sequence[Cell], column: int, settings: LayoutSettings, below: float | None = None,
                pitch: float | None = None) -> set[int]:
    """The top lines of the row where the item column holds an item number. Digits on the
    line right under digits are the rest of one number a narrow column wrapped ("1" / "0"
    is 10, "R1" / "0" is R10), not a number of their own; so is what follows such a piece ("1" / "." / "1"
    is 1.1, "1." / "1" is 1.1, "1.1" / "a" is 1.1a), while the pieces still read as one number.
    A number's word wrapped above it ("Action" / "2") starts the item at the word's line."""
    if column >= len(row):
        return set()
    levels = levels_of(row_lines(row), settings.level_tolerance)
    step = (pitch or settings.default_line_pitch) * _NEXT_LINE
    out: set[int] = set()
    before: TextLine | None = None
    number = ""  # the number read so far, while its last line was digits or a wrapped piece
    for ln in sorted(row[column].lines, key=lambda ln: -ln.bbox[3]):
        text = ln.text.strip()
        near = before is not None and before.bbox[3] - ln.bbox[3] <= step
        wrapped = (near and number != "" and ITEM_ID.match(number + text) is not None
                   and not (number.endswith(".") and text.endswith(".")))  # "1." / "2." are two items
        # the number's word on the line above ("Action" / "2"): the item starts at the word
        head = before if (near and before is not None and number == "" and _ITEM_WORD.match(before.text.strip())
                          and ITEM_ID.match(f"{before.text.strip()} {text}")) else ln
        if ITEM_ID.match(text) and not wrapped and (below is None or head.bbox[3] < below):
            out.add(level_of(head, levels, settings.level_tolerance))
        number = (number + text if wrapped
                  else text if _DIGITS.match(text) or _OPEN_LEVEL.match(text) or _PREFIXED.match(text) else "")
        before = ln
    return out


# a row is cut at a gap only where it has this many top lines: with two, its one step is the
# pitch it would be measured against (fixed: a median needs steps to compare)
_FEWEST_LEVELS = 3


def gap_cuts(row: Sequence[Cell], settings: LayoutSettings, pitch: float | None = None) -> set[int]:
    """Cuts where several cells start together after a gap wider than the line pitch."""
    lines = row_lines(row)
    tol = settings.level_tolerance
    levels = levels_of(lines, tol)
    if len(levels) < _FEWEST_LEVELS:
        return set()
    steps = [a - b for a, b in itertools.pairwise(levels)]
    pitch = pitch or statistics.median(steps)
    cuts = set()
    for k in range(1, len(levels)):
        if steps[k - 1] < settings.gap_ratio * pitch:
            continue
        starting = sum(1 for c in row if any(level_of(ln, levels, tol) == k for ln in c.lines))
        if starting >= settings.min_starts:
            cuts.add(k)
    return cuts


# how much better (in points, summed over the row's cell blocks) cells set at their foot
# or middle must fit the numbers than cells set at their top for the row to be cut so
_ALIGN_MARGIN = 1.5


def _fit(choice: tuple[float, list[int]]) -> tuple[float, int, list[int]]:
    """How well a choice of cuts fits; of two that fit alike, the one whose first row starts
    lower: lines above that change nothing (a block ending above a number set at the foot)
    are the rest of the row before, not this one's."""
    cost, cuts = choice
    return cost, -cuts[0], cuts[1:]


def aligned_number_cuts(row: Sequence[Cell], column: int, numbers: set[int], settings: LayoutSettings,
                        pitch: float | None, starts: Iterable[int] = ()) -> tuple[int, list[int]] | None:
    """Where a rules-free row holding several item numbers is cut when its cells are set
    at their foot (a spreadsheet's default) or middle: the cells' blocks of lines sit with
    their bottoms (or centres) level with their number's, so a row starts after the number
    above, not at its own: (where the first number's row starts, 0 at the top; the cuts
    between numbers). None where cells set at their top fit as well (cut at each number).

    The cuts fall where no block of lines is parted, chosen together so that each row's
    cells (each cell's lines in the row as one block) best line up with its number, by the
    alignment that fits the whole row best.
    `starts`: lines where other evidence starts a row already (a section row's fill edges,
    above and below it); what the item column holds there, or on the line above, is that
    row's (its text cut by the column), no label."""
    tol = settings.level_tolerance
    levels = levels_of(row_lines(row), tol)
    step = (pitch or settings.default_line_pitch) * _NEXT_LINE
    anchors: dict[int, TextLine] = {}
    for ln in row[column].lines:
        k = level_of(ln, levels, tol)
        if k in numbers:
            anchors.setdefault(k, ln)
    order = sorted(anchors)
    if not order:
        return None
    opened = set(starts)
    # (a row other evidence starts: the item column's lines from there on, one pitch apart,
    # are that row's, as a section row's text wrapped over three lines)
    theirs = {id(ln) for run in _blocks(row[column].lines, step)
              if {level_of(run[0], levels, tol), level_of(run[0], levels, tol) + 1} & opened for ln in run}
    if any(ITEM_ID.match(ln.text.strip()) is None and not _DIGITS.match(ln.text.strip())
           for ln in row[column].lines if ln.text.strip() and id(ln) not in theirs):
        return None  # the column holds more than numbers (another plan's header, a label): cut at each
    # (top level, bottom level) of every other cell's blocks of lines: no cut parts one
    blocks = [(level_of(run[0], levels, tol), level_of(run[-1], levels, tol))
              for c, cell in enumerate(row) if c != column for run in _blocks(cell.lines, step)]
    others = [[(level_of(ln, levels, tol), ln) for ln in cell.lines if ln.text.strip()]
              for c, cell in enumerate(row) if c != column]
    choices = [[k for k in range(a + 1, b + 1) if not any(bl[0] < k <= bl[1] for bl in blocks)]
               for a, b in itertools.pairwise(order)]
    if not all(choices):
        return None
    lead = [k for k in range(order[0] + 1) if not any(bl[0] < k <= bl[1] for bl in blocks)]
    end = len(levels)

    def ref(top: float, bottom: float, how: str) -> float:
        return top if how == "top" else bottom if how == "bottom" else (top + bottom) / 2

    def cost(i: int, lo: int, hi: int, how: str) -> float:
        """How far the cells of the row between lo and hi sit from its number: each cell's
        lines there as one block (a cell of several paragraphs is centred whole)."""
        y = ref(anchors[order[i]].bbox[3], anchors[order[i]].bbox[1], how)
        total = 0.0
        for lines in others:
            part = [ln for k, ln in lines if lo <= k < hi]
            if part:
                total += abs(ref(max(ln.bbox[3] for ln in part), min(ln.bbox[1] for ln in part), how) - y)
        return total

    best: dict[str, tuple[float, list[int]]] = {}
    for how in ("top", "bottom", "middle"):
        # the cuts chosen together (rows between consecutive cuts, each against its number);
        # the first number's row may start below the row's top: lines above it that do not
        # sit with that number are the rest of a row the page broke (or a row of their own)
        table: dict[int, tuple[float, list[int]]] = {k: (0.0, [k]) for k in lead}
        for i, ks in enumerate(choices):
            table = {k: min(((c + cost(i, lo, k, how), [*cuts, k]) for lo, (c, cuts) in table.items()), key=_fit)
                     for k in ks}
        best[how] = min(((c + cost(len(order) - 1, lo, end, how), cuts) for lo, (c, cuts) in table.items()), key=_fit)
    how = min(best, key=lambda h: best[h][0])
    if how == "top" or best["top"][0] - best[how][0] <= _ALIGN_MARGIN * len(order):
        return None
    first, *cuts = best[how][1]
    return first, cuts


def _blocks(lines: Sequence[TextLine], step: float) -> list[list[TextLine]]:
    """A cell's lines, top first, in runs one line pitch (`step`) apart: its paragraphs,
    or the texts of the rows it holds."""
    runs: list[list[TextLine]] = []
    for ln in sorted((ln for ln in lines if ln.text.strip()), key=lambda ln: -ln.bbox[3]):
        if runs and runs[-1][-1].bbox[3] - ln.bbox[3] <= step:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def _others_start(row: Sequence[Cell], column: int, k: int, settings: LayoutSettings, pitch: float | None) -> bool:
    """Does a cell besides `column` start a paragraph at top line k, after a gap under
    lines of its own? (A cell's only line says nothing: a row's short cells set at its foot
    or middle have no line above either.)"""
    levels = levels_of(row_lines(row), settings.level_tolerance)
    step = (pitch or settings.default_line_pitch) * _NEXT_LINE
    return any(level_of(run[0], levels, settings.level_tolerance) == k
               for c, cell in enumerate(row) if c != column for run in _blocks(cell.lines, step)[1:])


def row_cuts(row: Sequence[Cell], table: RawTable, item_col: int | None, settings: LayoutSettings,
             header: Sequence[Sequence[str]] = (), pitch: float | None = None,
             cell_edges: Sequence[tuple[float, bool]] | None = None,
             spanning: Sequence[tuple[float, float, float]] | None = None) -> dict[int, str]:
    """Where a new row starts inside this printed row, and on what evidence: the top-line
    index of each cut, and "fill edge", "rule", "cell fill", "repeated header", "item number"
    or "gap"."""
    ruled = table.flavor == "lattice"
    if spanning is None:
        spanning = fill_edges(table, settings)
    found: dict[int, str] = dict.fromkeys(edge_cuts(row, table, settings, edges=spanning), "fill edge")
    if not ruled:  # a ruled table's rules are the reader's grid already
        for k in edge_cuts(row, table, settings, rules=True, edges=spanning) - set(found):
            found[k] = "rule"
        for k in cell_fill_cuts(row, table, settings, cell_edges) - set(found):
            found[k] = "cell fill"
    if header:
        for k in repeated_header_cuts(row, header, settings) - set(found):
            found[k] = "repeated header"
    if item_col is not None:
        below = row[0].bbox[3] - (pitch or settings.default_line_pitch) - settings.level_tolerance if ruled else None
        numbers = item_levels(row, item_col, settings, below, pitch)
        # a totals row ("Total | 7 actions | Red 2, ...") under the last record, no fill or
        # rule between: it starts a row of its own (kept apart later, not a record)
        totals = [ln for ln in (row[item_col].lines if item_col < len(row) else ())
                  if _SUMMARY.match("".join(ln.text.split()))]
        levels = levels_of(row_lines(row), settings.level_tolerance) if totals else []  # (rare: only then)
        for ln in totals:
            k = level_of(ln, levels, settings.level_tolerance)
            if k and k not in found:
                found[k] = "totals row"
        # cells set at their foot or middle: a row starts after the number above, not at its
        # own; between two numbers the other evidence parts (a cell's fill) it starts there
        aligned: set[int] = set()
        if not ruled and numbers:
            set_low = aligned_number_cuts(row, item_col, numbers, settings, pitch, found)
            if set_low is not None:
                aligned = set(numbers)
                order = sorted(numbers)
                first, between = set_low
                if first and not any(f <= order[0] for f in found):
                    found[first] = "item number"  # the lines above are no part of its row
                for a, b, cut in zip(order, order[1:], between):
                    if not any(a < f <= b for f in found):
                        found[cut] = "item number"
        edges = {k for k, why in found.items() if why == "rule"}
        bounds = sorted({0, *edges})
        fills = {k for k, why in found.items() if why in ("fill edge", "cell fill")}
        cells = {k for k, why in found.items() if why == "cell fill"}
        parts = itertools.pairwise(sorted({0, *edges, *fills, max(numbers, default=0) + 1}))
        banded = bool(fills) and all(sum(1 for j in numbers if a <= j < b) <= 1 for a, b in parts)
        for k in sorted(numbers - set(found) - aligned - {0}):
            # between rules across the table, a number starts a row only where another number
            # came before it there: a number set lower in its row (bottom- or middle-aligned)
            # does not cut its own row's first lines off
            start = max(b for b in bounds if b <= k)
            if edges and not ruled and not any(start <= j < k for j in numbers):
                continue
            # so too under a band's fill edge, where the fills part every row (none holds two
            # numbers: fills that part groups say nothing of where a row starts); above the
            # page's first edge only where no other cell starts afresh beside the number (the
            # rest of a row the page break cut, above it)
            # A cell's fill edge is its row's, whatever the others part: the first number under
            # one is set lower in the row the edge starts.
            start = max(b for b in {0, *edges, *fills} if b <= k)
            first = not ruled and not any(start <= j < k for j in numbers)
            if first and (start in cells or (banded and (
                    start in fills or not _others_start(row, item_col, k, settings, pitch)))):
                continue
            # a row a rule closes below: its only number, set below the row's top, starts a row
            # only where other cells start with it (bottom-aligned cells run on down to it). A
            # box with vertical rules only closes no row: its numbers cut as ever.
            foot = min(c.bbox[1] for c in row)
            closed = any(abs(y - foot) <= settings.level_tolerance for y, _, _ in table.rule_pieces)
            if (ruled and closed and len(numbers) == 1
                    and not _others_start(row, item_col, k, settings, pitch)):
                continue
            found[k] = "item number"
    elif ruled or not set(found.values()) - {"cell fill"}:  # a cell's fill parts its row only, no band
        for k in gap_cuts(row, settings, pitch) - set(found):
            found[k] = "gap"
    return found


def split_body(
    rows: list[list[Cell]], table: RawTable, item_col: int | None, settings: LayoutSettings,
    header: Sequence[Sequence[str]] = (), trace: list[Decision] | None = None,
) -> list[list[Cell]]:
    """Body rows cut where the evidence says a row ends (`row_cuts`); each cut, and each
    rule of the reader's own grid, goes into `trace` with its evidence."""
    pitch = line_pitch(table, settings)
    ruled = table.flavor == "lattice"
    cell_edges = None if ruled else cell_fill_edges(table, settings)  # once per table, not per row
    spanning = fill_edges(table, settings)
    out: list[list[Cell]] = []
    x0, x1 = table.bbox[0], table.bbox[2]
    for n, row in enumerate(rows):
        cuts = row_cuts(row, table, item_col, settings, header, pitch, cell_edges, spanning)
        if trace is not None:
            if ruled and n:
                top = max(c.bbox[3] for c in row)
                trace.append(Decision("row-cut", table.page, "rule", "a rule of the table's grid",
                                      box=(x0, top, x1, top), y=top))
            levels = levels_of(row_lines(row), settings.level_tolerance)
            for k, evidence in sorted(cuts.items()):
                y = levels[k] + CUT_ABOVE
                trace.append(Decision("row-cut", table.page, evidence, _CUT_REASONS[evidence],
                                      box=(x0, y, x1, y), y=y))
        # a text flavour's stacked columns learn their fills here, row by row
        out += cut_row(row, sorted(cuts), table.fills, settings, None if ruled else pitch) if cuts or not ruled \
            else [row]
    return out


_CUT_REASONS = {
    "fill edge": "the edge of a fill that spans the table (banded rows, a shaded header)",
    "rule": "a rule across the table",
    "cell fill": "the top or foot of a cell's fill (a rating's colour, a card) that no line crosses",
    "repeated header": "the plan's header printed again inside the row",
    "item number": "a new item number in the item column",
    "gap": "several cells start together after a wider gap than a cell's own lines keep",
    "totals row": "the item column says the row totals the plan (\"Total\"): a row of its own",
}


_NO_TEXT = re.compile(r"^[\W_]*$")


def drop_header_rows(rows: Sequence[Row], cmap: ColumnMap, vocab: Vocabulary,
                     settings: LayoutSettings = DEFAULT_LAYOUT) -> list[Row]:
    """The rows without repeated headers."""
    return [r for r, header in zip(rows, header_rows(rows, cmap, vocab, settings)) if not header]


def drop_empty_rows(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if r.section is not None or any(v.strip() for v in r.cells.values())]


# an item cell that totals the plan ("Total", "Totals:", "Summary", "Grand total")
# (read with its lines run together: a narrow item column breaks it, "Tota" / "l")
_SUMMARY = re.compile(r"^(?:grand)?(?:totals?|summary|overall)[:.]?$", re.IGNORECASE)


def split_summary_rows(rows: Sequence[Row], trace: list[Decision] | None = None) -> tuple[list[Row], list[Row]]:
    """A spreadsheet's totals row ("Total | 14 actions | Red 3, Amber 5 ...") under a
    numbered plan's rows: what it counts is the records, it is not one. Kept, apart."""
    kept: list[Row] = []
    summaries: list[Row] = []
    for row in rows:
        if row.has("item") and _SUMMARY.match("".join(row.get("item").split())):
            summaries.append(row)
            if trace is not None:
                trace += [Decision("left-out", p.page, "a totals row: not a record",
                                   f"its item cell reads {row.get('item').strip()!r}, not an item number; kept "
                                   "under other_tables", box=p.box) for p in row.pieces]
            continue
        kept.append(row)
    # a numbered plan's last rows whose item cell holds text and no number, every other cell
    # blank: a note ("* Dates revised ...") or the next part's heading ("Glossary") printed
    # under the table, inside its frame; kept, apart
    items = [" ".join(r.get("item").split()) for r in kept if r.has("item") and r.get("item").strip()]
    if not any(r.has("item") for r in kept):
        # a plan of no numbers: a last row of one short line in one cell, under records that
        # fill most of theirs, is a line printed under the table ("Last updated: 10 September")
        while len(kept) > 1 and _line_under(kept[-1], kept[:-1]):
            row = kept.pop()
            summaries.insert(0, row)
            if trace is not None:
                trace += [Decision("left-out", p.page, "a line under the table: not a record",
                                   "under the plan's last record, one line in one cell, where the records fill "
                                   "most of theirs; kept under other_tables", box=p.box) for p in row.pieces]
    elif items and sum(1 for x in items if ITEM_ID.match(x)) >= _NUMBERED_PLAN * len(items):
        while kept and _note_row(kept[-1]):
            row = kept.pop()
            summaries.insert(0, row)
            if trace is not None:
                trace += [Decision("left-out", p.page, "a note under the table: not a record",
                                   f"under the plan's last record, its item cell reads "
                                   f"{row.get('item').strip()[:40]!r}, no item number, and nothing else is filled; "
                                   "kept under other_tables", box=p.box)
                          for p in row.pieces]
    return kept, summaries


# share of a plan's item cells numbered for rows under its last record without a number to be notes
_NUMBERED_PLAN = 0.6


def _note_row(row: Row) -> bool:
    item = " ".join(row.get("item").split()) if row.has("item") else ""
    return (bool(item) and not ITEM_ID.match(item) and row.section is None
            and not any(v.strip() for f, v in row.cells.items() if f != "item"))


def _line_under(row: Row, above: Sequence[Row]) -> bool:
    # (a row of its action alone is the group's last action, "same as above" for the rest)
    filled = [v for v in row.cells.values() if v.strip()]
    if len(filled) != 1 or "\n" in filled[0].strip() or row.section is not None or row.get("action").strip():
        return False
    if not above or row.pieces[0].page != above[-1].pieces[-1].page:
        return False  # atop the next page: the rest of the record the page break cut
    counts = sorted(sum(1 for v in r.cells.values() if v.strip()) for r in above if r.section is None)
    return bool(counts) and counts[len(counts) // 2] >= _FILLED_RECORD


# cells a plan's records fill (median) for a one-line row under them to be no record
_FILLED_RECORD = 3


def _is_blank_item(value: str | None) -> bool:
    return value is None or bool(_NO_TEXT.match(value))


# a title does not end on a joining word or mark ("Service Manager – ICT Strategy and")
_OPEN_TITLE = re.compile(r"(?:\b(?:and|of|the|for|with|to|in)|[&–,/-])\s*$", re.IGNORECASE)


def _continues_row(row: Row, previous: Row) -> str | None:
    """Without item numbers: is this first row of a page the rest of the row above (and why)?

    Yes when all its text carries on mid-sentence (no filled cell starts with a capital,
    and some start in lower case), or when it lacks every short field (lead, deadline, rating) the row above has:
    those fit before the page break, only the long cells run over.
    """
    # a merged cell's text given to it from a row below is not its own (a fill hiding the
    # rule between a row's rest and the next row's rating reads as one cell over both)
    filled = {c: v.lstrip() for c, v in row.cells.items() if v.strip() and c not in row.carried}
    if not filled:
        return None
    starts = [t[0] for t in filled.values()]
    if all(not c.isupper() for c in starts) and any(c.islower() for c in starts):
        return "carries on mid-sentence"  # "...and" / "partnership work" / "2024" (the year of a cut date)
    short = [c for c in SHORT_FIELDS if row.has(c)]
    if short and not any(c in filled for c in short) and any(previous.get(c).strip() for c in short):
        return f"no {', '.join(short)} of its own"
    # a lead's last lines alone ("Commissioning"), the title above cut after "and": a narrow
    # column's title the page broke
    if set(filled) == {"lead"} and _OPEN_TITLE.search(previous.get("lead")):
        return "its lead goes on from the title above, cut after a joining word"
    # its running text goes on mid-sentence from the row above's, whatever its titles say
    # (a lead "Head of Children with" / "Disabilities and Practice")
    running = [c for c in filled
               if c in RUNNING_FIELDS and " ".join(filled[c].split()) != " ".join(previous.get(c).split())]
    if running and all(filled[c][0].islower() and previous.get(c).strip()
                       and not previous.get(c).rstrip().endswith(SENTENCE_END) for c in running):
        return "its running text carries on mid-sentence"
    return None


def _rest_of_number(row: Row, previous: Row) -> str | None:
    """A page's first row whose item cell is no number but ends the one above ("4.1" / "a"):
    the page broke a narrow column's number, and the row with it."""
    piece = "".join(row.get("item").split())
    number = "".join(previous.get("item").split())
    if row.page in previous.pages or not number:
        return None
    after_word = number.isalpha() and piece.isdigit() and ITEM_ID.match(f"{number} {piece}")  # "Action" / "4"
    if not after_word and (ITEM_ID.match(piece) or not ITEM_ID.match(number + piece)):
        return None
    return "its item cell is the rest of the number above"


def join_across_break(before: str, after: str) -> str:
    """A cell's text either side of a page break, as one. A spreadsheet draws a merged
    cell's line the break cuts through on both pages (each clipped to its part of the
    line): that line, printed last above and first below, is read once."""
    if not before.strip():
        return after
    above = [ln for ln in before.split("\n") if ln.strip()]
    below = [ln for ln in after.split("\n") if ln.strip()]
    if above and below and len(above[-1].split()) >= 2 and " ".join(above[-1].split()) == " ".join(below[0].split()):
        after = "\n".join(below[1:])
    return f"{before}\n{after}" if after.strip() else before


def merge_page_continuations(rows: Sequence[Row]) -> list[Row]:
    """Fold rows with an empty item cell into the record above, field by field.

    Word continues a row cut by a page break at the top of the next page with an empty
    "No." cell (or just the "." or letter of a number that was cut). The fragment's text is appended
    to the same field of the record it continues, so nothing is lost or duplicated.
    Without an item column, the first row of a page may still continue the record above
    (see `_continues_row`). Each joined piece keeps why it was joined.
    """
    numbered = bool(rows) and rows[0].has("item")
    records: list[Row] = []
    # rows without a number before the plan's first, or a section's: the top of the record
    # whose number comes next (set lower in its row than its first lines)
    ahead: list[Row] = []
    for row in rows:
        why: str | None = None
        if numbered:
            why = ("no item number" if _is_blank_item(row.cells.get("item"))
                   else _rest_of_number(row, records[-1]) if records else None)
            if row.opens_section and ahead and records:  # a section with no number under it
                records[-1] = _join(records[-1], ahead, "no item number")
                ahead = []
            if why and (not records or ahead or row.opens_section):
                ahead.append(row)
                continue
            if ahead:
                row = _prepend(ahead, row, "under a section row" if ahead[0].opens_section and records
                               else "before the first item number")
                ahead = []
        elif records and row.page not in records[-1].pages:
            why = _continues_row(row, records[-1])
        if records and why:
            records[-1] = _join(records[-1], [row], why)
            continue
        records.append(row)
    if ahead and records:
        records[-1] = _join(records[-1], ahead, "no item number")
        ahead = []
    return [*records, *ahead]


def _join(rec: Row, rows: Sequence[Row], why: str) -> Row:
    """Rows a page break cut (and why) joined to the record they go on from, field by field."""
    for row in rows:
        cells = dict(rec.cells)
        for c, piece in row.cells.items():
            before = cells.get(c) or ""
            # the same text both sides of the break is printed again (a section's area, a
            # merged cell a producer repeats), not the rest of the cell
            if piece.strip() and " ".join(piece.split()) != " ".join(before.split()):
                cells[c] = join_across_break(before, piece)
        label = rec.get("item").strip() or "the row above"
        joined = tuple(replace(p, joined=Decision(
            "continuation", p.page, f"joined to {label}: {why}",
            "a row cut by the page break goes on at the top of the next page", box=p.box,
            y=p.box[3] if p.box else None)) for p in row.pieces)
        rec = replace(rec, cells=cells, pieces=(*rec.pieces, *joined),
                      side_by_side=tuple(dict.fromkeys((*rec.side_by_side, *row.side_by_side))))
    return rec


# the long field a cell merged down over several rows holds (the area those actions serve)
MERGED_FIELD = "area_for_improvement"


def spread_merged_cells(rows: Sequence[Row], trace: list[Decision] | None = None,
                        settled: AbstractSet[str] = frozenset()) -> list[Row]:
    """A cell merged over several rows prints its text once, often in the middle of them
    (centred) or at their foot: every row it covers takes it, as a ruled grid's reader gives
    a merged cell's text to each row. The rows it covers are the rows below the first whose
    cell goes on from the row above (`Row.merged`), on one page."""
    out = list(rows)

    def run_end(k: int, f: str) -> int:
        """Past the last row of the merged cell that starts at row k (on k's page)."""
        end = k + 1
        while end < len(out) and f in out[end].merged and out[end].page == out[k].page:
            end += 1
        return end

    def texts_of(a: int, b: int, f: str) -> list[str]:
        return [t for j in range(a, b) if (t := out[j].get(f).strip())]

    def printed_at_top(f: str) -> bool:
        """The plan's merged cells in this column that lie on one page print their text in
        their first row (set at the top), every one of them: a blank merged run opening a
        page is the rest of the cell the page before began."""
        seen: list[bool] = []
        k = 0
        while k < len(out):
            end = run_end(k, f)
            printed = [j for j in range(k, end) if out[j].get(f).strip()]
            if end - k > 1 and len(printed) == 1:
                seen.append(printed[0] == k)
            k = end
        return bool(seen) and all(seen)

    for f in sorted({f for r in rows for f in r.merged} - settled):
        top_set = printed_at_top(f)
        k = 0
        while k < len(out):
            end = run_end(k, f)
            if end - k > 1 and (printed := _rest_from_page_before(out, k, end, f, texts_of)):
                # the run's first rows are the rest of the cell above the break, not the cell they
                # are drawn merged with (a spreadsheet's band shows no edge between the two)
                before = texts_of(k - 1, k, f)[0]
                for j in range(k, printed):
                    out[j] = replace(out[j], cells={**out[j].cells, f: before},
                                     carried=tuple(dict.fromkeys((*out[j].carried, f))))
                if trace is not None:
                    first = out[k].pieces[0]
                    trace.append(Decision("continuation", first.page, f"{f} from the page before",
                                          "blank rows atop the page hold the copy, drawn out of sight, of the cell "
                                          "above the break, before a cell that prints its own text", box=first.box))
                k = printed
                continue
            if end - k > 1:
                texts = texts_of(k, end, f)
                if f == "item" and len({" ".join(t.split()) for t in texts}) > 1:
                    k = end  # rows numbered each their own are rows of their own (a rule missed)
                    continue
                came = "no rule between these rows in that column: one cell over them all, its text each row's"
                if not texts:
                    texts, why = _merged_elsewhere(out, k, end, run_end, texts_of, f, top_set)
                    came = why or came
                texts = _without_copies(texts)
                if texts:
                    whole = "\n".join(texts)
                    # an item number numbers the rows from its own down: a row above it is the
                    # rest of the record before (cut by the page), not a second record of its number
                    top = next((j for j in range(k, end) if out[j].get(f).strip()), k) if f == "item" else k
                    # the words count once, in the first row that printed some (a text set
                    # across a row edge prints in two rows)
                    counted = next((j for j in range(top, end) if out[j].get(f).strip()), None)
                    for j in range(top, end):
                        got = out[j].get(f).strip()
                        carried = out[j].carried if got == whole or j == counted else (*out[j].carried, f)
                        out[j] = replace(out[j], cells={**out[j].cells, f: whole}, carried=carried)
                    if trace is not None:
                        first = out[k].pieces[0]
                        trace.append(Decision("continuation", first.page, f"{f} merged over {end - k} rows",
                                              came, box=first.box))
            k = end
    return _take_hidden_from_next_page(out, trace, settled)


def _rest_from_page_before(out: Sequence[Row], k: int, end: int, f: str,
                           texts_of: Callable[[int, int, str], list[str]]) -> int | None:
    """Where a merged run opening a page (rows k..end) first prints its text, if the blank
    rows above that hold a copy, out of sight, of the text above the break rather than of
    that text: those rows go on from the page before."""
    if k == 0 or out[k - 1].page == out[k].page or f == "item":
        return None
    printed = next((j for j in range(k, end) if out[j].get(f).strip()), None)
    before = texts_of(k - 1, k, f)
    if printed is None or printed == k or not before:
        return None
    drawn = " ".join(" ".join(out[j].hidden_in(f) for j in range(k, printed)).split()).lower()
    return printed if drawn and copy_of(drawn, before, texts_of(printed, end, f)) == "before" else None


def _without_copies(texts: Sequence[str]) -> list[str]:
    """A merged cell's texts, each once: a grid's reader copies the cell's text into every
    row it covers, and a row cut through the cell holds a part of what the row below it
    holds whole (its lines from the cut down): a text inside another is that one's."""
    seen = list({" ".join(t.split()): t for t in texts}.items())
    return [t for k, t in seen if not any(k != o and f" {k} " in f" {o} " for o, _ in seen)]


def _take_hidden_from_next_page(out: list[Row], trace: list[Decision] | None,
                                settled: AbstractSet[str] = frozenset()) -> list[Row]:
    """A row whose cell printed nothing, with a merged cell's text drawn over it out of
    sight, is part of a cell the page break cuts: the cell is printed further down, on
    a later page or this one past the page's foot rows (where most of it lies), so the
    row and the blank rows down to that text take it, not the text above ("same as above"
    is what a blank means only where nothing was drawn)."""
    for k in range(len(out) - 1):
        row = out[k]
        for f, drawn in row.hidden:
            if f in settled or (row.get(f).strip() and f not in row.carried):
                continue  # placed by its alignment, or printed here
            end = k + 1  # the first row down that prints the cell, on a later page (a cell merged
            # over several pages is drawn out of sight on each, and printed on one of them)
            while end < len(out) and not (out[end].get(f).strip() and f not in out[end].carried):
                end += 1
            if end >= len(out) or out[end].page == row.page:
                continue
            between = {out[j].page for j in range(k + 1, end) if out[j].page > row.page}
            if out[end].page > row.page + 1 and not all(
                    any(g == f for j in range(k + 1, end) if out[j].page == p for g, _ in out[j].hidden)
                    for p in between):
                continue  # past the next page only where the copy is drawn on every page between
            after = out[end].get(f).strip()
            before = row.get(f).strip() or (out[k - 1].get(f).strip() if k > 0 else "")
            if copy_of(drawn, [before], [after]) != "after":
                continue
            start = k  # the cell's blank rows above, merged with this one, are the same cell
            while start > 0 and f in out[start].merged and out[start - 1].page == row.page \
                    and not out[start - 1].get(f).strip():
                start -= 1
            for j in range(start, end):
                out[j] = replace(out[j], cells={**out[j].cells, f: after}, carried=tuple(
                    dict.fromkeys((*out[j].carried, f))))
            if trace is not None:
                first = row.pieces[-1]
                trace.append(Decision("continuation", first.page, f"{f} from the next page",
                                      "a blank cell at the page's foot with a merged cell's text drawn over it "
                                      "out of sight: the cell printed on the next page", box=first.box))
    return out


def _merged_elsewhere(out: list[Row], k: int, end: int, run_end: Callable[[int, str], int],
                      texts_of: Callable[[int, int, str], list[str]], f: str,
                      top_set: bool = False) -> tuple[list[str], str | None]:
    """A merged cell that prints no text on this page (rows k..end) printed it on the page
    before (it goes on from there) or on the next (most of it lies there). The copy the
    producer drew here out of sight says which; without one, a plan whose merged cells print
    their text in their first row (`top_set`) began it on the page before; otherwise the
    next page's rows hold it (a cell centred over the break is drawn where most of it is, as a
    spreadsheet does; it also draws the copies out of sight, so a plan with none anywhere was
    flowed by a browser or a word processor, which print a split cell's text in its first part)."""
    before = texts_of(k - 1, k, f) if k > 0 and out[k - 1].page != out[k].page else []
    after = texts_of(end, run_end(end, f), f) if end < len(out) and out[end].page != out[k].page else []
    drawn = " ".join(" ".join(out[j].hidden_in(f) for j in range(k, end)).split()).lower()
    if drawn and before and copy_of(drawn, before, after) == "before":
        return before, ("a merged cell going on from the page before: its text printed there, "
                        "and drawn here again out of sight")
    if before and not drawn and top_set:
        return before, ("a merged cell going on from the page before: the plan's merged cells print their text "
                        "in their first row")
    if before and not any(r.hidden for r in out):
        # a merged cell going on from the page before: the plan draws no cell out of sight, so
        # its producer flows a cell's text from the cell's top (a browser, a word processor);
        # left blank, "same as above" gives these rows that cell whole, joined over its pages
        return [], None
    if after:
        return after, "a merged cell whose text is printed on the next page, where most of it lies"
    return [], None


# the fields a cell merged down over many rows holds, how its two parts either side of a
# page break show they are one, and the evidence in words
_MERGED_PARTS: tuple[tuple[str, Callable[[str, str], bool], str], ...] = (
    (MERGED_FIELD, sentence_goes_on, "the part above the break does not end a sentence and the part below starts "
                                       "in lower case: one cell merged over the rows either side"),
    ("inspection_para", bracket_goes_on, "the part above the break opens a bracket the part below closes: one "
                                          "cell merged over the rows either side"),
    ("inspection_para", reference_goes_on, "the part above the break is a paragraph's number, the part below its "
                                            "bracketed references: one cell merged over the rows either side"),
)


def rejoin_split_merged_cells(rows: Sequence[Row], trace: list[Decision] | None = None) -> list[Row]:
    """A cell merged down over rows that a page break cuts is printed in two parts: the
    first above the break (given to each row it covers there), the rest at the top of the
    next page (given to the rows it covers there). Where the two show they are one (`_MERGED_PARTS`:
    an area whose part above does not end a sentence and whose part below starts in lower
    case; references whose bracket the part below closes), every row either side takes the whole."""
    out = list(rows)
    for f, parts_meet, reason in _MERGED_PARTS:
        if rows and rows[0].has(f):
            out = _rejoin_field(out, f, parts_meet, reason, trace)
    return out


def _rejoin_field(out: list[Row], f: str, parts_meet: Callable[[str, str], bool], reason: str,
                  trace: list[Decision] | None) -> list[Row]:
    out = list(out)

    def text(j: int) -> str:  # a merged cell's copies differ from its first in line ends only
        return " ".join(out[j].get(f).split())

    def run(k: int, step: int, value: str) -> list[int]:
        """The rows from k on (going `step`) that hold this part (or nothing) of the cell."""
        got = []
        while 0 <= k < len(out) and text(k) in (value, ""):
            got.append(k)
            k += step
        return got

    for k in range(len(out)):
        row, v, raw = out[k], text(k), out[k].get(f).strip()
        whole, changed = None, []
        nxt = out[k + 1] if k + 1 < len(out) else None
        # the next record starts the next page, or right under this record's own rest there
        # (the merged cell's lines above the first number, joined to this record)
        rest = [q.index for q in row.pieces if q.page == row.pages[-1]] if len(row.pages) > 1 else []
        after_break = nxt is not None and (
            (nxt.page == row.pages[-1] + 1 and nxt.pieces[0].index == 0)
            or (bool(rest) and nxt.page == row.pages[-1] and nxt.pieces[0].index == max(rest) + 1))
        if nxt is not None and after_break and v != text(k + 1) and parts_meet(v, text(k + 1)):
            # the break falls between two records
            whole = join_across_break(raw, nxt.get(f).strip())
            changed = [*run(k, -1, v), *run(k + 1, 1, text(k + 1))]
        elif (nxt is not None and after_break and v and text(k + 1).startswith(f"{v} ")
              and not v.endswith(SENTENCE_END)):
            # the part above the break, printed again whole at the next page's top (a sheet
            # draws the merged cell there too, its first lines under the page's clip edge)
            whole, changed = nxt.get(f).strip(), run(k, -1, v)
        if len(row.pages) > 1:  # the break falls inside this record (too: a cell over three records)
            between = whole is not None
            a = text(k - 1) if k else ""
            b = text(k + 1) if nxt is not None else ""
            if a and v.startswith(f"{a} ") and parts_meet(a, v[len(a) + 1:]):
                whole, changed = whole or raw, [*changed, *run(k - 1, -1, a)]
            if not between and b and v.endswith(f" {b}") and parts_meet(v[: -len(b) - 1], b):
                whole, changed = raw, [*changed, *run(k + 1, 1, b)]
        if whole is None or not changed:
            continue
        for j in changed:
            if out[j].get(f).strip():
                out[j] = out[j].with_cells(**{f: whole})
        if trace is not None:
            trace.append(Decision("continuation", row.pages[-1], f"{f} goes on over the page break", reason,
                                  box=row.pieces[-1].box))
    return out


# of a block's line pitch: a line this much further below it stands apart from it
_APART = 1.5


def take_orphan_lines(plan: Plan, pages: Sequence[PageContent], furniture: set[str],
                      trace: list[Decision] | None = None) -> list[Row]:
    """A cell's last lines a page break pushed onto a page the table does not go on to (the
    next page holds a key, a sign-off, prose): at that page's top, above everything else,
    wholly inside one of the plan's columns (not the first), at a line's spacing, under a
    cell that does not end its sentence. They go back to the plan's last record, in that
    column."""
    rows = list(plan.rows)
    if not rows or not plan.separators or not plan.pages:
        return rows
    last = rows[-1]
    after = next((p for p in pages if p.number == plan.pages[-1] + 1), None)
    if after is None or after.number in plan.pages or last.pages[-1] != plan.pages[-1]:
        return rows
    tops = [t.bbox[3] for t in after.tables]
    lines = sorted((ln for ln in after.lines if not is_furniture(ln, furniture)), key=lambda ln: -ln.bbox[3])
    if not lines or (tops and max(tops) > lines[0].bbox[3]):
        return rows
    first = lines[0]
    edges = [-float("inf"), *plan.separators, float("inf")]

    def column(ln: TextLine) -> int | None:
        return next((c for c in range(1, len(edges) - 1) if edges[c] <= ln.bbox[0] and ln.bbox[2] <= edges[c + 1]),
                    None)

    col = column(first)
    names = plan.column_names()
    # the cell's lines: those under the first at a line's spacing, inside the same column
    block = [first]
    while (len(block) < len(lines) and column(nxt := lines[len(block)]) == col
           and nxt.bbox[3] > block[-1].bbox[1] - block[-1].size):
        block.append(nxt)
    # what follows the block must stand apart from it: further than the block's own line
    # pitch (a lone line: two of its heights)
    pitch = (block[0].bbox[3] - block[-1].bbox[3]) / (len(block) - 1) if len(block) > 1 else None
    nxt_line = lines[len(block)] if len(lines) > len(block) else None
    close = nxt_line is not None and (
        block[-1].bbox[3] - nxt_line.bbox[3] <= _APART * pitch if pitch is not None
        else nxt_line.bbox[3] > block[-1].bbox[1] - block[-1].size * 2)
    if col is None or col >= len(names) or close:
        return rows  # not alone at the top, or across columns: prose, not a cell's last lines
    name = names[col]
    above = last.get(name).rstrip()
    if not above or above.endswith(SENTENCE_END):
        return rows
    rows[-1] = last.with_cells(**{name: "\n".join([above, *(ln.text for ln in block)])})
    after.lines = [ln for ln in after.lines if all(ln is not b for b in block)]
    if trace is not None:
        trace.append(Decision("continuation", after.number, f"joined to {last.get('item').strip() or 'the row above'}",
                              "a cell's last lines alone at the top of the next page, inside its column, under a "
                              "cell that does not end its sentence", box=first.bbox))
    return rows


def _prepend(ahead: list[Row], row: Row, where: str) -> Row:
    """Rows before a plan's (or a section's) first item number joined to the top of that
    record: the number was set lower in its row than its first lines (a middle- or
    bottom-aligned cell)."""
    cells = dict(row.cells)
    for c in cells:
        # the same text above as in the row is a section's area both took, not more of it
        above = "\n".join(r.cells.get(c, "") for r in ahead if r.cells.get(c, "").strip()
                           and " ".join(r.cells[c].split()) != " ".join(cells[c].split()))
        if above:
            cells[c] = f"{above}\n{cells[c]}" if cells[c].strip() else above
    label = row.get("item").strip()
    joined = tuple(replace(p, joined=Decision(
        "continuation", p.page, f"joined to {label}: {where}",
        "rows above a plan's (or a section's) first item number are the top of that record (the number set lower "
        "in its row)",
        box=p.box, y=p.box[3] if p.box else None)) for r in ahead for p in r.pieces)
    return replace(row, cells=cells, pieces=(*row.pieces, *joined))


def section_text(row: Sequence[Cell], fields: Sequence[str | None], first_on_page: bool,
                 settings: LayoutSettings = DEFAULT_LAYOUT) -> tuple[str, str] | None:
    """The text of a row that heads a group of actions ("Priority 2: Improve ..."), and the
    evidence, or None. Such a row is one cell merged across the table (no rule between its
    columns), or one printed line running on across the columns (no rule to say so, but no
    gap a cell's padding would leave either), or, in a numbered plan, text in its first
    column alone where the item number belongs, no lead, deadline or rating beside it."""
    filled = [c for c, cell in enumerate(row) if cell.text.strip()]
    if not filled:
        return None
    adjacent = len(filled) >= 2 and filled == list(range(filled[0], filled[-1] + 1))
    run_on = adjacent and _all_run_on(row, filled, settings.cut_word_space)
    # a numbered row, unless its number opens one line the columns cut ("2." + "Ensure
    # that ..."): a piece of it starts left of its own cell, where no cell's text starts
    cut = run_on and any(ln.bbox[0] < row[c].bbox[0] for c in filled[1:] for ln in row[c].lines)
    # or a label's word and number ("Priority 4" + "– Ensure that ..."): one line running on
    # across every column is no record's row, whose cells keep their padding apart
    cut = cut or (run_on and "item" in fields and fields.index("item") in filled
                  and _LABEL_WORD.match(row[fields.index("item")].text.strip()) is not None)
    if ("item" in fields and (k := fields.index("item")) < len(row) and ITEM_ID.match(row[k].text.strip() or "-")
            and not cut):
        return None
    # lines that all run on across the columns are one text, whichever columns they cross
    if run_on:
        return _joined_pieces(row, filled), "one line running on across the columns"
    first = row[filled[0]]
    # (whichever column it starts in: a plan of no numbers may open with its lead's)
    if len(filled) == 1 and first.spans >= max(2, (len(row) + 1) // 2):
        return " ".join(first.text.split()), "one cell merged across the table"
    short = [c for c, f in enumerate(fields) if f in ("lead", "by_when", "rag") and c < len(row)]
    if any(row[c].text.strip() for c in short):
        return None
    if adjacent and _runs_on(row, filled):
        return _joined_pieces(row, filled), "one line running on across the columns"
    numbered = "item" in fields
    text = " ".join(first.text.split())
    if (numbered and len(filled) == 1 and filled[0] == 0 and not first_on_page and len(text.split()) >= 3
            and (text[:1].isupper() or text[:1].isdigit())):
        return text, "text in the item column alone, with no lead, deadline or rating"
    return None


def _runs_on(row: Sequence[Cell], filled: list[int]) -> bool:
    """Each filled cell's first line goes on where the one before stops, on the same line,
    closer than a word space: the pieces of one line the columns cut."""
    for a, b in itertools.pairwise(filled):
        la = max(row[a].lines, key=lambda ln: ln.bbox[3], default=None)
        lb = max(row[b].lines, key=lambda ln: ln.bbox[3], default=None)
        # one line only: closer than a character, as a word cut apart (a cut at its space
        # is as close as two cells' texts may come)
        if la is None or lb is None or not pieces_of_one_line(la, lb, space=0.0):
            return False
    return True


# points: pieces of one printed line, cut by column edges, share their top this closely
_SAME_TOP = 1.0


def _all_run_on(row: Sequence[Cell], filled: list[int], space: float = DEFAULT_LAYOUT.cut_word_space) -> bool:
    """Every printed line of the row is pieces that touch, across the columns from the
    first filled one: no cell of its own, only one text the columns cut."""
    lines = sorted((ln for c in filled for ln in row[c].lines), key=lambda ln: (-ln.bbox[3], ln.bbox[0]))
    tops = levels_of(lines, _SAME_TOP)
    levels: list[list[TextLine]] = [[] for _ in tops]
    for ln in lines:
        levels[level_of(ln, tops, _SAME_TOP)].append(ln)
    if not levels or len(levels[0]) < 2:
        return False
    for level in levels:
        if not all(pieces_of_one_line(a, b, _SAME_TOP, space) for a, b in itertools.pairwise(level)):
            return False
    return all(row[c].lines for c in filled)


def _joined_pieces(row: Sequence[Cell], filled: list[int]) -> str:
    """The pieces of the lines the columns cut, joined line by line where they touch. The
    reader keeps each piece's glyphs' extent, so the gap where two meet says whether the cut
    fell inside a word ("a" + "re") or at a space ("leavers" + "from")."""
    lines = sorted((ln for c in filled for ln in row[c].lines), key=lambda ln: (-ln.bbox[3], ln.bbox[0]))
    out = ""
    prev: TextLine | None = None
    for ln in lines:
        text = " ".join(ln.text.split())
        if prev is None:
            out = text
        elif abs(prev.bbox[3] - ln.bbox[3]) > 1.0:
            out += "\n" + text  # the next printed line
        else:
            char = (prev.bbox[2] - prev.bbox[0]) / max(1, len(prev.text.strip()))
            gap = ln.bbox[0] - prev.bbox[2]
            out += ("" if gap < 0.25 * char else " ") + text
        prev = ln
    return out


def give_sections(rows: Sequence[Row]) -> list[Row]:
    """Rows under a section row take its text as their area (where theirs is blank); the
    section rows themselves are not records."""
    out: list[Row] = []
    section: str | None = None
    last: Row | None = None  # the row before, section or not
    opens = False
    for row in rows:
        if row.section is not None:
            if (last is not None and last.section is not None and section is not None
                    and row.pieces[0].page != last.pieces[-1].page and row.section[:1].islower()
                    and not section.rstrip().endswith(SENTENCE_END)):
                section = f"{section} {row.section}"  # a section row a page break cut: its rest
            elif section is None or " ".join(row.section.split()) != " ".join(section.split()):
                section, opens = row.section, True
            # else: printed again over the next page (a merged cell a producer repeats)
            last = row
            continue
        last = row
        if opens:
            row, opens = replace(row, opens_section=True), False
        if section is not None and not row.get("area_for_improvement").strip():
            row = row.with_cells(area_for_improvement=section)
        out.append(row)
    return out


def _below_header(row: Row, headers: Sequence[str]) -> Row | None:
    """The text under a repeated header in the same row: each cell's lines past those that
    spell its column's heading (the top of a row the page break cut, read with the header
    where no rule parts them). None where the row is all header, or where a cell does not
    start with its heading word for word (then the row cannot be parted safely)."""
    cells: dict[str, str] = {}
    for (name, text), heading in zip(row.cells.items(), headers):
        want, lines = header_key(heading), [ln for ln in text.split("\n") if ln.strip()]
        got, k = "", 0
        while k < len(lines) and want and (key := header_key(lines[k])) and want.startswith(got + key):
            got, k = got + key, k + 1
        if lines and want and got != want:
            return None
        cells[name] = "\n".join(lines[k:])
    if not any(v.strip() for v in cells.values()):
        return None
    return replace(row, cells=cells)


def _header_part(row: Row, rest: Row) -> dict[str, str]:
    """The row's cells without the text under the header."""
    out = {}
    for name, text in row.cells.items():
        lines = [ln for ln in text.split("\n") if ln.strip()]
        tail = len([ln for ln in rest.get(name).split("\n") if ln.strip()])
        out[name] = "\n".join(lines[:len(lines) - tail])
    return out


def settle_rows(plan: Plan, vocab: Vocabulary, trace: list[Decision] | None = None,
                settings: LayoutSettings = DEFAULT_LAYOUT) -> list[Row]:
    """A plan's printed rows as one row per record: repeated headers out (their text goes
    to the plan's header text, which is in no record by design), empty rows out, section
    rows given to the rows below as their area, rows a page break cut joined to the record
    they continue."""
    kept: list[Row] = []
    for row, header in zip(plan.rows, header_rows(plan.rows, plan.columns, vocab, settings)):
        if not header:
            kept.append(row)
            continue
        rest = _below_header(row, plan.columns.headers)
        plan.header_text += [v for v in (row.cells if rest is None else _header_part(row, rest)).values() if v]
        if trace is not None:
            trace += [Decision("repeated-header", p.page, "header repeated",
                               "a row that repeats the header, whole or in pieces: not a record", box=p.box)
                      for p in row.pieces]
        if rest is not None:  # a row the page cut, printed under the header with no rule between
            kept.append(rest)
    kept, plan.summaries = split_summary_rows(drop_empty_rows(kept), trace)
    if any(r.section is not None for r in kept):
        if "area_for_improvement" not in plan.columns.fields:
            cm = plan.columns
            plan.columns = ColumnMap((*cm.headers, "(section rows)"), (*cm.fields, "area_for_improvement"),
                                     (*cm.scores, 100.0))
        kept = give_sections(kept)
    kept, settled, plan.doubts = place_merged_cells(kept, CARRY_DOWN_DEFAULT, trace)
    kept = spread_merged_cells(kept, trace, settled)
    rows = merge_page_continuations(kept)
    if trace is not None:
        trace += [p.joined for row in rows for p in row.pieces if p.joined is not None]
    return rejoin_split_merged_cells(rows, trace)
