"""What a page shows about where a table's rows end, read off its printed lines.

Camelot's grid is right where the PDF draws a rule between two rows. Where it draws none
(a repeated header above a row the page split, rows ruled only by fills or not at all, an
outer box with vertical rules only) the lattice reader merges rows, and the stream reader
gives one row per printed line. A row is cut again between its printed lines ("top
lines", or levels: lines whose tops sit together). This module holds the geometry every
row decision shares: the levels of a row, cutting a row at a level, and the cuts the
page's drawing makes (the edges of fills spanning the table, rules across it).

None invents text: every line ends in exactly one row.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence

from rapidfuzz import fuzz

from actionplan.extractors.geometry import fill_of
from actionplan.extractors.layout import lines_text, wrap_edge
from actionplan.extractors.model import RGB, BBox, Cell, RawTable, TextLine
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings

# points: a cut between two top lines is drawn this far above the lower line's top, and the
# part above it ends CUT_BELOW under its own lowest line: the pieces' boxes hold their text and
# touch no line of the other piece (fixed: drawing, not a decision; rows are decided by level)
CUT_ABOVE = 1.0
CUT_BELOW = 0.5
# points: lines that start this close are flush at one edge
FLUSH = 1.0


def levels_of(lines: Sequence[TextLine], tol: float) -> list[float]:
    """Distinct top lines, top first."""
    tops: list[float] = []
    for top in sorted((ln.bbox[3] for ln in lines), reverse=True):
        if not tops or tops[-1] - top > tol:
            tops.append(top)
    return tops


def level_of(line: TextLine, levels: Sequence[float], tol: float) -> int:
    top = line.bbox[3]
    for k, level in enumerate(levels):
        if level - top <= tol:
            return k
    return len(levels) - 1


def row_lines(row: Sequence[Cell]) -> list[TextLine]:
    return [ln for c in row for ln in c.lines]


# a line this many line pitches under the one above is that line's next: the same text runs on
RUNS_ON = 1.3
SENTENCE_END = (".", "!", "?", ":", ";")  # what a finished sentence ends with


def _part_of(line: TextLine, levels: Sequence[float], bounds: Sequence[int], tol: float) -> int:
    """The part of a row cut at `bounds` (top-line indices) the line's level falls in."""
    level = level_of(line, levels, tol)
    return next(j for j in range(len(bounds) - 1) if level < bounds[j + 1])


def _parts_of(cell: Cell, levels: Sequence[float], bounds: Sequence[int], tol: float,
              pitch: float | None, fresh: Sequence[set[int]]) -> list[int]:
    """The part each of the cell's lines goes to: its level's, except lines that run on
    across a cut from the line above at one pitch, mid-sentence (the text of a cell
    merged down over rows, where no rule says so), while other cells start afresh there."""
    ordered = sorted(cell.lines, key=lambda ln: -ln.bbox[3])
    parts = [_part_of(ln, levels, bounds, tol) for ln in ordered]
    if pitch is None:
        return [parts[ordered.index(ln)] for ln in cell.lines]
    for i in range(1, len(ordered)):
        above, line = ordered[i - 1], ordered[i]
        if parts[i] == parts[i - 1] or len(fresh[parts[i]]) < 2:
            continue
        text_above, text = above.text.rstrip(), line.text.lstrip()
        if (above.bbox[3] - line.bbox[3] <= RUNS_ON * pitch and text[:1].islower()
                and not text_above.endswith(SENTENCE_END)):
            parts[i] = parts[i - 1]
    return [parts[ordered.index(ln)] for ln in cell.lines]


def cut_row(row: Sequence[Cell], cuts: Sequence[int], fills: Sequence[tuple[BBox, tuple[float, float, float]]] = (),
            settings: LayoutSettings = DEFAULT_LAYOUT, pitch: float | None = None) -> list[list[Cell]]:
    """The row cut before each of the given top-line indices; each cell keeps its lines.
    With the line `pitch` (a text table's), a cell's text that runs on over a cut stays
    whole (`_parts_of`)."""
    tol = settings.level_tolerance
    lines = row_lines(row)
    levels = levels_of(lines, tol)
    bounds = [0, *sorted(k for k in set(cuts) if 0 < k < len(levels)), len(levels)]
    if len(bounds) == 2 and not fills:
        return [list(row)]
    out: list[list[Cell]] = []
    edges = [wrap_edge(cell.lines, row[c + 1].lines if c + 1 < len(row) else (), settings.cut_word_space)
             for c, cell in enumerate(row)]
    # the cells that start afresh in each part: a gap over their first line there, within a
    # line of the part's top (a merged cell's line running on over the cut may sit a little
    # above the others' first lines)
    fresh: list[set[int]] = [set() for _ in range(len(bounds) - 1)]
    if pitch is not None:
        for c, cell in enumerate(row):
            ordered = sorted(cell.lines, key=lambda ln: -ln.bbox[3])
            for above, line in itertools.pairwise(ordered):
                j = _part_of(line, levels, bounds, tol)
                first = _part_of(above, levels, bounds, tol) != j and levels[bounds[j]] - line.bbox[3] < pitch
                if first and above.bbox[3] - line.bbox[3] > RUNS_ON * pitch:
                    fresh[j].add(c)
    owner = [_parts_of(cell, levels, bounds, tol, pitch, fresh) for cell in row]
    for j, (a, b) in enumerate(itertools.pairwise(bounds)):
        part: list[Cell] = []
        for cell, edge, parts in zip(row, edges, owner):
            held = tuple(ln for ln, k in zip(cell.lines, parts) if k == j)
            top = levels[a] + CUT_ABOVE if a else cell.bbox[3]
            bottom = cell.bbox[1] if b == len(levels) else min(
                (ln.bbox[1] for ln in lines if a <= level_of(ln, levels, tol) < b), default=levels[b - 1]) - CUT_BELOW
            if held:  # a line that ran on over the cut stays in the box that holds it
                bottom = min(bottom, min(ln.bbox[1] for ln in held) - CUT_BELOW)
            bbox = (cell.bbox[0], max(cell.bbox[1], bottom), cell.bbox[2], min(cell.bbox[3], top))
            text = lines_text(held, edge, settings.short_line_chars)
            part.append(Cell(text, bbox, fill_of(bbox, fills, settings.fill_cover) if fills else cell.fill, held))
        out.append(part)
    return out


def _cut_before_y(y: float, lines: Sequence[TextLine], levels: Sequence[float], margin: float,
                  spans: Sequence[tuple[float, float]] | None = None, hang: float = 0.0) -> int | None:
    """The top-line index a horizontal edge at `y` separates, if it cuts through no line
    (by more than `margin`: glyph boxes reach past the ink; at a line's foot, by more than
    `hang` of its height: the descenders a fill's edge may cross). With `spans`, the edge is a
    rule drawn there only: a line in a gap of it is a merged cell's, which the rule stops
    short of, and does not hold the rows together."""
    if any(ln.bbox[1] + max(margin, hang * (ln.bbox[3] - ln.bbox[1])) < y < ln.bbox[3] - margin
           and (spans is None or any(ln.bbox[0] < b - margin and ln.bbox[2] > a + margin for a, b in spans))
           for ln in lines):
        return None
    below = [k for k, top in enumerate(levels) if top < y]
    if not below or below[0] == 0:
        return None
    return below[0]


def fill_edges(table: RawTable, settings: LayoutSettings) -> list[tuple[float, float, float]]:
    """The edges of fills spanning the table (y, x0, x1): banded rows, a shaded header. A
    spreadsheet fills a band cell by cell, around a rating's own colour and short of a
    merged cell, so the fills meeting one edge side by side are read together: where they
    run on unbroken over `fill_span` of the table's width, the edge is a row's, drawn
    where they are. Where a fill meets one of its own colour across the edge, and a line
    runs through there or one of the two holds no text, no edge shows: a merged cell whose
    colour the producer paints row by row goes on over it. (A web page's cards stand
    apart, and stacked cards of one colour each hold their own text: their edges are each
    a cell's.)"""
    width = (table.bbox[2] - table.bbox[0]) or 1.0
    tol = settings.level_tolerance
    at: dict[float, list[tuple[BBox, RGB | None, bool]]] = {}
    lines = [ln for row in table.rows for cell in row for ln in cell.lines if ln.text.strip()]
    margin = settings.overlap_margin
    for (x0, y0, x1, y1), colour in table.fills:
        a, b = max(x0, table.bbox[0]), min(x1, table.bbox[2])
        if b <= a:
            continue
        for y, below in ((y0, False), (y1, True)):
            key = next((k for k in at if abs(k - y) <= tol), y)
            at.setdefault(key, []).append(((a, y0, b, y1), colour, below))

    def holds_text(box: BBox, a: float, b: float) -> bool:
        return any(ln.bbox[0] < b and ln.bbox[2] > a and box[1] - margin <= (ln.bbox[1] + ln.bbox[3]) / 2
                   <= box[3] + margin for ln in near)

    def crossed(y: float, a: float, b: float) -> bool:
        return any(ln.bbox[1] + margin < y < ln.bbox[3] - margin and ln.bbox[0] < b and ln.bbox[2] > a
                   for ln in near)

    out: list[tuple[float, float, float]] = []
    for y, edges in at.items():
        # only lines reaching into the fills meeting here can be held or crossed by them
        low = min(y, *(e[0][1] for e in edges)) - margin
        high = max(y, *(e[0][3] for e in edges)) + margin
        near = [ln for ln in lines if ln.bbox[3] >= low and ln.bbox[1] <= high]
        merged: list[list[float]] = []
        for box, _, _ in sorted(edges, key=lambda e: (e[0][0], e[0][2])):
            if merged and box[0] <= merged[-1][1] + tol:
                merged[-1][1] = max(merged[-1][1], box[2])
            else:
                merged.append([box[0], box[2]])
        # a merged cell the band stops short of, its text running on over the edge, is
        # part of the row: the band goes on past it
        bridged = [merged[0]] if merged else []
        for a, b in merged[1:]:
            if crossed(y, bridged[-1][1], a):
                bridged[-1] = [bridged[-1][0], b]
            else:
                bridged.append([a, b])
        seamless = sorted(
            (a, b) for low, p, under in edges for high, q, over in edges
            if under and not over and _same_colour(p, q)
            and (b := min(low[2], high[2])) - (a := max(low[0], high[0])) > tol
            and (crossed(y, a, b) or not holds_text(low, a, b) or not holds_text(high, a, b)))
        for a, b in bridged:
            if b - a >= settings.fill_span * width:
                out += [(y, c0, c1) for x0, x1 in _without(a, b, seamless) if x1 - x0 > tol
                        for c0, c1 in _pieces_within(merged, x0, x1)]
    return out


def _pieces_within(runs: Sequence[Sequence[float]], a: float, b: float) -> list[tuple[float, float]]:
    """The parts of [a, b] the runs cover: an edge is drawn where its fills are, not over
    the merged cell between them."""
    return [(max(a, x0), min(b, x1)) for x0, x1 in runs if min(b, x1) > max(a, x0)]


def _same_colour(p: RGB | None, q: RGB | None) -> bool:
    return p is not None and q is not None and max(abs(u - v) for u, v in zip(p, q)) <= _SAME_COLOUR


# 0-1 per channel: fills this close in colour are one colour (a producer's rounding)
_SAME_COLOUR = 0.02


def _without(a: float, b: float, holes: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """[a, b] less the holes (sorted by start)."""
    out, x = [], a
    for h0, h1 in holes:
        if h1 <= x or h0 >= b:
            continue
        if h0 > x:
            out.append((x, h0))
        x = max(x, h1)
    if x < b:
        out.append((x, b))
    return out


def edge_cuts(row: Sequence[Cell], table: RawTable, settings: LayoutSettings, rules: bool = False,
              edges: Sequence[tuple[float, float, float]] | None = None) -> set[int]:
    """Cuts at the edges of fills spanning the table, and at rules across it. `edges`: the
    table's `fill_edges`, where the caller has them (they are the table's, not the row's)."""
    lines = row_lines(row)
    levels = levels_of(lines, settings.level_tolerance)
    if edges is None:
        edges = fill_edges(table, settings)
    cuts = {_cut_before_y(y, lines, levels, settings.overlap_margin, [(x0, x1) for yy, x0, x1 in edges if yy == y],
                          hang=settings.fill_descent) for y in {y for y, _, _ in edges}}
    if rules:
        for y in table.rules:
            spans = [(x0, x1) for yy, x0, x1 in table.rule_pieces if abs(yy - y) <= settings.level_tolerance]
            cuts.add(_cut_before_y(y, lines, levels, settings.overlap_margin, spans or None))
    return {k for k in cuts if k is not None}


def cell_fill_edges(table: RawTable, settings: LayoutSettings) -> list[tuple[float, bool]]:
    """The tops and feet of cells' fills (a rating's colour, a web page's cards): a row's
    edges, though no fill spans the table. A fill counts where it covers most of a column's
    width and is a line tall or more: a highlighted word or a gradient's strips say nothing
    of rows. Each edge says whether its fill is a label's: one that hugs the text it holds
    ("Some slippage" on a coloured tab), as a cell's colour does only where that text is
    the row's tallest."""
    edges = [table.bbox[0], *table.separators(), table.bbox[2]]
    columns = [(a, b) for a, b in itertools.pairwise(edges) if b > a]
    lines = [ln for row in table.rows for cell in row for ln in cell.lines if ln.text.strip()]
    out: dict[float, bool] = {}
    for (x0, y0, x1, y1), _ in table.fills:
        if y1 - y0 < settings.default_line_pitch or not columns:
            continue
        cover = max((min(x1, b) - max(x0, a)) / (b - a) for a, b in columns)
        if cover < _COVERS:
            continue
        held = [ln for ln in lines if x0 <= (ln.bbox[0] + ln.bbox[2]) / 2 <= x1 and y0 <= ln.bbox[1]
                and ln.bbox[3] <= y1]
        pad = _HUG * max((ln.bbox[3] - ln.bbox[1] for ln in held), default=0.0)
        label = bool(held) and y1 - max(ln.bbox[3] for ln in held) <= pad and min(ln.bbox[1] for ln in held) - y0 <= pad
        for y in (round(y0, 1), round(y1, 1)):
            out[y] = out.get(y, False) or label
    return sorted(out.items())


# of a column's width: a fill this wide in it is its cell's
_COVERS = 0.8
# of its text's line height: a fill this close round the text it holds, above and below, is a label's
_HUG = 0.6


def cell_fill_cuts(row: Sequence[Cell], table: RawTable, settings: LayoutSettings,
                   edges: Sequence[tuple[float, bool]] | None = None) -> set[int]:
    """Cuts at `cell_fill_edges` that no line of the row crosses, and, for a label's fill,
    no cell's paragraph runs on over: a label's colour ends between two lines of the text
    beside it, set at their paragraph's own pitch; a row's edge parts them wider. (A
    spreadsheet's rows part hardly wider than a line, but its cells' colours are their
    rows' height.) `edges`: the table's `cell_fill_edges`, where the caller has them."""
    lines = row_lines(row)
    levels = levels_of(lines, settings.level_tolerance)
    cuts = {_cut_before_y(y, lines, levels, settings.overlap_margin, hang=settings.fill_descent)
            for y, label in (cell_fill_edges(table, settings) if edges is None else edges)
            if not label or not _inside_a_paragraph(y, row, settings.overlap_margin)}
    return {k for k in cuts if k is not None}


def _inside_a_paragraph(y: float, row: Sequence[Cell], margin: float) -> bool:
    """Do two lines of a cell either side of `y` stand as close as the cell's closest two
    (its line pitch, within `margin`)?"""
    for cell in row:
        tops = sorted((ln.bbox[3] for ln in cell.lines), reverse=True)
        steps = [(a, a - b) for a, b in itertools.pairwise(tops) if a - b > margin]
        over = [step for top, step in steps if top > y > top - step]
        rest = [step for top, step in steps if not top > y > top - step]
        if over and rest and over[0] <= min(rest) + margin:
            return True
    return False


def line_pitch(table: RawTable, settings: LayoutSettings) -> float | None:
    """The usual distance between one line of a cell and the next."""
    steps: list[float] = []
    for row in table.rows:
        for cell in row:
            tops = levels_of(cell.lines, settings.level_tolerance)
            steps += [a - b for a, b in itertools.pairwise(tops)]
    return statistics.median(steps) if steps else None


def as_one_row(table: RawTable, settings: LayoutSettings = DEFAULT_LAYOUT) -> list[Cell]:
    """A stream table's line rows stacked back into one row of columns."""
    if not table.rows:
        return []
    out = []
    beside: tuple[TextLine, ...] = ()
    for c in reversed(range(table.ncols)):
        column = [row[c] for row in table.rows if c < len(row)]
        x0 = min(cell.bbox[0] for cell in column)
        x1 = max(cell.bbox[2] for cell in column)
        bbox = (x0, min(cell.bbox[1] for cell in column), x1, max(cell.bbox[3] for cell in column))
        lines = tuple(ln for cell in column for ln in cell.lines)
        edge = wrap_edge(lines, beside, settings.cut_word_space)
        out.append(Cell(lines_text(lines, edge, settings.short_line_chars), bbox, None, lines))
        beside = lines
    return out[::-1]


def visual_rows(lines: Sequence[TextLine], tol: float = DEFAULT_LAYOUT.level_tolerance) -> list[list[TextLine]]:
    """Text lines whose tops are within `tol` (`level_tolerance`), top to bottom, each row
    left to right."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: (-ln.bbox[3], ln.bbox[0])):
        if rows and abs(rows[-1][0].bbox[3] - line.bbox[3]) <= tol:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(r, key=lambda ln: ln.bbox[0]) for r in rows]


def sentence_goes_on(a: str, b: str) -> bool:
    """One text in two parts: the part above stops mid-sentence, the part below goes on in
    lower case."""
    return bool(a and b) and not a.endswith(SENTENCE_END) and b[:1].islower()


def bracket_goes_on(a: str, b: str) -> bool:
    """"19. (65," / "66)": the part above opens a bracket the part below closes."""
    return bool(a and b) and a.count("(") > a.count(")") and b.count(")") > b.count("(")


_PARA_NUMBER = re.compile(r"^\d{1,4}\.?$")


def reference_goes_on(a: str, b: str) -> bool:
    """"35." / "(120, 140, 142)": a paragraph's number above, its bracketed references below."""
    return bool(_PARA_NUMBER.match(a.strip())) and b.lstrip().startswith("(")


# 0-100 (rapidfuzz partial_ratio): how much of a merged cell's text its copy drawn out of
# sight must match to say which cell it is (the copy is cut where the page is)
HIDDEN_MATCH = 80


def squashed(text: str) -> str:
    """A text without its spaces, in lower case: a copy drawn out of sight letter by letter
    keeps no spaces, so copies and texts are compared so."""
    return "".join(text.split()).lower()


def copy_of(drawn: str, before: Sequence[str], after: Sequence[str]) -> str | None:
    """Whose copy the text drawn out of sight is: "before" or "after" (the cell printed on
    the page before or the page after), whichever it matches better and closely enough."""
    seen = " ".join(drawn.split()).lower()

    def match(texts: Sequence[str]) -> float:
        text = " ".join(" ".join(texts).split()).lower()
        return fuzz.partial_ratio(seen, text) if text else 0.0

    b, a = match(before), match(after)
    if max(a, b) < HIDDEN_MATCH or a == b:
        return None
    return "before" if b > a else "after"
