"""Rows from all the evidence a page gives.

Camelot's grid is right where the PDF draws a rule between two rows. Where it draws none
(a repeated header above a row the page split, rows ruled only by fills or not at all, an
outer box with vertical rules only) the lattice reader merges rows, and the stream reader
gives one row per printed line. These functions cut and join rows again, line by line,
from the other evidence on the page:

- the edges of filled rectangles that span the table (banded rows, a shaded header);
- horizontal rules across the table;
- the item column starting a new entry ("12." at the left of a line);
- a header's last line (the lines above it read as the plan's header);
- the first lines of several cells sitting on one top line after a wider gap than
  the lines of a cell keep.

Each is a pure function of a table; none invents text: every line ends in exactly one row.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable, Sequence

from actionplan.extractors.geometry import fill_of
from actionplan.extractors.model import BBox, Cell, RawTable, TextLine
from actionplan.normalisers.headers import ITEM_ID
from actionplan.normalisers.text import header_key
from actionplan.schemas.layout import LayoutSettings

__all__ = ["LayoutSettings"]  # defined with the shared settings; imported from here too


HeaderScore = Callable[[list[str]], "float | None"]


def _levels(lines: Sequence[TextLine], tol: float) -> list[float]:
    """Distinct top lines, top first."""
    tops: list[float] = []
    for top in sorted((ln.bbox[3] for ln in lines), reverse=True):
        if not tops or tops[-1] - top > tol:
            tops.append(top)
    return tops


def _level_of(line: TextLine, levels: Sequence[float], tol: float) -> int:
    top = line.bbox[3]
    for k, level in enumerate(levels):
        if level - top <= tol:
            return k
    return len(levels) - 1


def _row_lines(row: Sequence[Cell]) -> list[TextLine]:
    return [ln for c in row for ln in c.lines]


def lines_text(lines: Sequence[TextLine], edge: float | None = None) -> str:
    """A cell's lines as text, top first. A line that stops well short of where the
    column's lines wrap (`edge`) cannot end in half a word: it gets a trailing space, which
    tells the joiner (normalisers/text.py) to put a space there, not rejoin a broken word."""
    ordered = sorted(lines, key=lambda ln: (-ln.bbox[3], ln.bbox[0]))
    if edge is None and ordered:
        edge = max(ln.bbox[2] for ln in ordered)
    out = []
    for ln in ordered:
        text = ln.text.strip()
        char = (ln.bbox[2] - ln.bbox[0]) / max(1, len(text))
        short = edge is not None and edge - ln.bbox[2] > 1.5 * char
        out.append(text + (" " if short else ""))
    return "\n".join(out)


def cut_row(row: Sequence[Cell], cuts: Sequence[int], fills: Sequence[tuple[BBox, tuple[float, float, float]]] = (),
            tol: float = 2.0) -> list[list[Cell]]:
    """The row cut before each of the given top-line indices; each cell keeps its lines."""
    lines = _row_lines(row)
    levels = _levels(lines, tol)
    bounds = [0, *sorted(k for k in set(cuts) if 0 < k < len(levels)), len(levels)]
    if len(bounds) == 2 and not fills:
        return [list(row)]
    out: list[list[Cell]] = []
    edges = [max((ln.bbox[2] for ln in cell.lines), default=None) for cell in row]
    for a, b in itertools.pairwise(bounds):
        part: list[Cell] = []
        for cell, edge in zip(row, edges):
            held = tuple(ln for ln in cell.lines if a <= _level_of(ln, levels, tol) < b)
            top = levels[a] + 1.0 if a else cell.bbox[3]
            bottom = cell.bbox[1] if b == len(levels) else min(
                (ln.bbox[1] for ln in lines if a <= _level_of(ln, levels, tol) < b), default=levels[b - 1]) - 0.5
            bbox = (cell.bbox[0], max(cell.bbox[1], bottom), cell.bbox[2], min(cell.bbox[3], top))
            text = lines_text(held, edge)
            part.append(Cell(text, bbox, fill_of(bbox, fills) if fills else cell.fill, held))
        out.append(part)
    return out


def _cut_before_y(y: float, lines: Sequence[TextLine], levels: Sequence[float]) -> int | None:
    """The top-line index a horizontal edge at `y` separates, if it cuts through no line."""
    if any(ln.bbox[1] + 1.0 < y < ln.bbox[3] - 1.0 for ln in lines):
        return None
    below = [k for k, top in enumerate(levels) if top < y]
    if not below or below[0] == 0:
        return None
    return below[0]


def edge_cuts(row: Sequence[Cell], table: RawTable, settings: LayoutSettings, rules: bool = False) -> set[int]:
    """Cuts at the edges of fills spanning the table, and at rules across it."""
    lines = _row_lines(row)
    levels = _levels(lines, settings.level_tolerance)
    width = (table.bbox[2] - table.bbox[0]) or 1.0
    ys: list[float] = []
    for (x0, y0, x1, y1), _ in table.fills:
        if min(x1, table.bbox[2]) - max(x0, table.bbox[0]) >= settings.fill_span * width:
            ys += [y0, y1]
    if rules:
        ys += list(table.rules)
    cuts = {_cut_before_y(y, lines, levels) for y in ys}
    return {k for k in cuts if k is not None}


def item_cuts(row: Sequence[Cell], column: int, settings: LayoutSettings, below: float | None = None) -> set[int]:
    """Cuts before every line of the item column that reads as an item number.

    `below`: only numbers whose tops are below this height count. A ruled row's own number
    sits at its top, under the last line of a cell merged down from the row above (whose
    text runs on over the rule) and must not cut that line off.
    """
    if column >= len(row):
        return set()
    lines = _row_lines(row)
    levels = _levels(lines, settings.level_tolerance)
    return {k for ln in row[column].lines if ITEM_ID.match(ln.text.strip())
            and (below is None or ln.bbox[3] < below)
            and (k := _level_of(ln, levels, settings.level_tolerance)) > 0}


def repeated_header_cuts(row: Sequence[Cell], header: Sequence[Sequence[str]], settings: LayoutSettings) -> set[int]:
    """Cuts around a header printed again inside the row (ReportLab repeats a table's
    header mid-page after a row it split): before its first line and after its last."""
    if len(header) != len(row):
        return set()
    first = [header_key(lines[0]) if lines else "" for lines in header]
    wanted = [k for k in first if k]
    depth = max((len(lines) for lines in header), default=1)
    if len(wanted) < 2:
        return set()
    lines = _row_lines(row)
    tol = settings.level_tolerance
    levels = _levels(lines, tol)
    cuts: set[int] = set()
    for k in range(len(levels)):
        hits = sum(1 for c, cell in enumerate(row) if first[c] and any(
            _level_of(ln, levels, tol) == k and header_key(ln.text) == first[c] for ln in cell.lines))
        if hits >= max(2, 0.5 * len(wanted)):
            cuts |= {k, k + depth}
    return {k for k in cuts if 0 < k < len(levels)}


def gap_cuts(row: Sequence[Cell], settings: LayoutSettings, pitch: float | None = None) -> set[int]:
    """Cuts where several cells start together after a gap wider than the line pitch."""
    lines = _row_lines(row)
    tol = settings.level_tolerance
    levels = _levels(lines, tol)
    if len(levels) < 3:
        return set()
    steps = [a - b for a, b in itertools.pairwise(levels)]
    pitch = pitch or statistics.median(steps)
    cuts = set()
    for k in range(1, len(levels)):
        if steps[k - 1] < settings.gap_ratio * pitch:
            continue
        starting = sum(1 for c in row if any(_level_of(ln, levels, tol) == k for ln in c.lines))
        if starting >= settings.min_starts:
            cuts.add(k)
    return cuts


def line_pitch(table: RawTable, settings: LayoutSettings) -> float | None:
    """The usual distance between one line of a cell and the next."""
    steps: list[float] = []
    for row in table.rows:
        for cell in row:
            tops = _levels(cell.lines, settings.level_tolerance)
            steps += [a - b for a, b in itertools.pairwise(tops)]
    return statistics.median(steps) if steps else None


def header_cut(row: Sequence[Cell], score: HeaderScore, settings: LayoutSettings, pitch: float | None = None,
               known: Sequence[str] | None = None,
               names_only: Callable[[list[str]], bool] | None = None) -> int | None:
    """Where a header printed at the top of a merged cell ends, if it ends inside the row.

    Each top line is tried as the header's last; the cut whose upper part reads best as a
    header wins (too few lines cut a wrapped header short, too many add body text). A cut
    must sit on evidence that a header ended there: a wider gap than the lines of a cell
    keep (the header's and the row's padding), the upper part being exactly the plan's
    known header, or (`names_only`) every cell above being a whole header name with any
    gap past the line pitch below it (a row split by the page has no top padding, so its
    gap under the header is narrow). The whole row is a candidate too: a clean header is
    not cut.
    """
    lines = _row_lines(row)
    tol = settings.level_tolerance
    levels = _levels(lines, tol)
    if len(levels) < 2:
        return None
    steps = [a - b for a, b in itertools.pairwise(levels)]
    pitch = pitch or statistics.median(steps)
    known_keys = [header_key(h) for h in known] if known and len(known) == len(row) else None
    best: tuple[float, int] | None = None

    def upper(k: int) -> list[str]:
        return [" ".join(ln.text for ln in sorted(c.lines, key=lambda ln: -ln.bbox[3])
                         if _level_of(ln, levels, tol) < k) for c in row]

    for k in range(1, min(settings.header_levels, len(levels)) + 1):
        above = upper(k)
        exact = known_keys is not None and [header_key(a) for a in above] == known_keys
        if not exact and names_only is not None and k < len(levels) and steps[k - 1] > pitch + tol / 2:
            # whole names over any gap past a line, unless the next line reads as more header
            # ("Lead" over "Officer")
            more, here = score(upper(k + 1)), score(above)
            exact = names_only(above) and (more is None or here is None or more < here)
        ends = k == len(levels) or steps[k - 1] >= settings.gap_ratio * pitch or exact
        got = score(above) if ends else None
        if got is not None and (best is None or got + (1000 if exact else 0) > best[0]):
            best = (got + (1000 if exact else 0), k)
    if best is None or best[1] == len(levels):
        return None
    return best[1]


def as_one_row(table: RawTable) -> list[Cell]:
    """A stream table's line rows stacked back into one row of columns."""
    if not table.rows:
        return []
    out = []
    for c in range(table.ncols):
        column = [row[c] for row in table.rows if c < len(row)]
        x0 = min(cell.bbox[0] for cell in column)
        x1 = max(cell.bbox[2] for cell in column)
        bbox = (x0, min(cell.bbox[1] for cell in column), x1, max(cell.bbox[3] for cell in column))
        lines = tuple(ln for cell in column for ln in cell.lines)
        out.append(Cell(lines_text(lines), bbox, None, lines))
    return out
