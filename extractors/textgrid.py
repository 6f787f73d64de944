"""Tables without a full grid of rules: find the columns from the header row's text.

Camelot's text-based flavors guess columns from text alignment, which on a long plan
page drifts from page to page. A plan's header row says exactly where its columns are:
the gaps between header cells become Camelot stream `columns`, the header's top and the
last body line bound `table_areas`, and pages that do not repeat the header reuse the
columns of the page before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from actionplan.extractors.model import TextLine

HeaderTest = Callable[[list[str]], bool]


@dataclass(frozen=True)
class Grid:
    """Where a borderless table's columns are: separators between the header cells."""

    separators: tuple[float, ...]
    left: float
    right: float


def visual_rows(lines: Sequence[TextLine], tol: float = 2.0) -> list[list[TextLine]]:
    """Text lines that share a baseline band, top to bottom, each row left to right."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: (-ln.bbox[3], ln.bbox[0])):
        if rows and abs(rows[-1][0].bbox[3] - line.bbox[3]) <= tol:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(r, key=lambda ln: ln.bbox[0]) for r in rows]


def _cells(rows: Sequence[Sequence[TextLine]]) -> list[tuple[float, float, str]]:
    """Header cells from one or two rows: lines that overlap in x are one cell ("Ofsted Para" / "No")."""
    cells: list[list[float | str]] = []
    for line in sorted((ln for r in rows for ln in r), key=lambda ln: ln.bbox[0]):
        x0, x1 = line.bbox[0], line.bbox[2]
        for cell in cells:
            if x0 < float(cell[1]) - 1 and x1 > float(cell[0]) + 1:
                cell[0], cell[1] = min(float(cell[0]), x0), max(float(cell[1]), x1)
                cell[2] = f"{cell[2]} {line.text}"
                break
        else:
            cells.append([x0, x1, line.text])
    return sorted((float(a), float(b), str(t)) for a, b, t in cells)


def _grid(cells: list[tuple[float, float, str]]) -> Grid:
    """Columns start where their header text starts (plans are set left-aligned), so a
    separator sits just left of each header cell but the first."""
    seps = tuple(max(cells[k][1], cells[k + 1][0] - 2.0) for k in range(len(cells) - 1))
    return Grid(seps, cells[0][0] - 1, cells[-1][1] + 1)


def _header_cells(block: Sequence[Sequence[TextLine]], is_header: HeaderTest) -> list[tuple[float, float, str]] | None:
    cells = _cells(block)
    return cells if len(cells) >= 3 and is_header([t for _, _, t in cells]) else None


def _close(upper: Sequence[TextLine], lower: Sequence[TextLine], pitch: float = 1.5) -> bool:
    """The lower row follows the upper at a line's spacing: the same block of text."""
    return bool(upper) and bool(lower) and upper[0].bbox[1] - lower[0].bbox[3] <= pitch * upper[0].size


def _under(row: Sequence[TextLine], cells: Sequence[tuple[float, float, str]]) -> bool:
    """Every line of the row sits under one of the cells (a header line wrapped below)."""
    return all(any(ln.bbox[0] < b - 1 and ln.bbox[2] > a + 1 for a, b, _ in cells) for ln in row)


def find_header(
    rows: Sequence[Sequence[TextLine]], is_header: HeaderTest, scan: int = 12, short: int = 3
) -> tuple[int, int, Grid] | None:
    """(first row, rows used, grid) of the first header row near the top of the page.

    A header wraps its cells onto further lines ("Ofsted" / "Para" / "No"): rows that
    follow at the header's own line spacing, with fewer and short lines each under a
    header cell, belong to it. A row of body text that happens to read like a header
    ("... governance quality", "evidence at") is not one when a full row of the same
    block sits right above it: headers open their table.
    """
    for i in range(min(scan, len(rows))):
        if i and _close(rows[i - 1], rows[i]) and len(rows[i - 1]) >= 3:
            continue  # inside a body: a header is not printed under a row of its own table
        one = _header_cells(rows[i:i + 1], is_header)
        below = rows[i + 1] if i + 1 < len(rows) else []
        close = _close(rows[i], below)
        if one is not None:
            used = 2 if close and len(below) < len(one) and _under(below, one) else 1
        elif close and _header_cells([below], is_header) is None and _header_cells(rows[i:i + 2], is_header):
            used = 2
        else:
            continue
        cells = _cells(rows[i:i + used])
        if used == 2:  # further wrapped lines, at the spacing of the first two
            pitch = rows[i][0].bbox[3] - rows[i + 1][0].bbox[3]
            k = i + 2
            while (k < len(rows) and abs(rows[k - 1][0].bbox[3] - rows[k][0].bbox[3] - pitch) <= 1.0
                   and len(rows[k]) < len(cells) and all(len(ln.text.split()) <= short for ln in rows[k])
                   and _under(rows[k], cells)):
                grown = _cells(rows[i:k + 1])
                if not is_header([t for _, _, t in grown]):
                    break
                cells, k = grown, k + 1
            used = k - i
        return i, used, _grid(cells)
    return None


def widen_left(grid: Grid, body: Sequence[Sequence[TextLine]], short: int = 8) -> Grid:
    """A first column with a blank header ("" over "1.", "2."): body lines that sit wholly
    left of the first header cell make a column of their own (two lines, or one short one:
    a page may hold a single numbered row)."""
    left = [ln for r in body for ln in r if ln.bbox[2] < grid.left + 1.0]
    if not left or (len(left) == 1 and len(left[0].text) > short):
        return grid
    first_sep = grid.left - 1.0 + 2.0  # where the labelled columns start
    edge = max(ln.bbox[2] for ln in left)
    sep = (edge + first_sep) / 2 if edge < first_sep else first_sep
    return Grid((sep, *grid.separators), min(ln.bbox[0] for ln in left) - 1, grid.right)


def fits_grid(rows: Sequence[Sequence[TextLine]], grid: Grid, share: float = 0.1, columns: int = 3) -> bool:
    """Could this page's text be the body of a table with these columns? Table text wraps
    inside its column, so few lines cross a column edge, and lines start in several
    columns; a letter's paragraphs run across them."""
    lines = [ln for r in rows for ln in r]
    if not lines:
        return False
    crossing = sum(1 for ln in lines if any(ln.bbox[0] + 1 < s < ln.bbox[2] - 1 for s in grid.separators))
    starts = {sum(1 for s in grid.separators if s <= ln.bbox[0] + 1) for ln in lines}
    return crossing <= share * len(lines) and len(starts) >= min(columns, len(grid.separators) + 1)


def table_area(rows: Sequence[Sequence[TextLine]], grid: Grid, top: float) -> tuple[float, float, float, float] | None:
    """The box from `top` down to the last line within the grid's width (x1, y1, x2, y2: left-top, right-bottom)."""
    # a line of the last column may run past where its header ends: what counts is where it starts
    body = [ln for r in rows for ln in r if ln.bbox[3] <= top + 0.5 and ln.bbox[0] >= grid.left - 20
            and ln.bbox[0] <= grid.right]
    if not body:
        return None
    bottom = min(ln.bbox[1] for ln in body)
    return (min(grid.left, min(ln.bbox[0] for ln in body)) - 1, top + 1,
            max(grid.right, max(ln.bbox[2] for ln in body)) + 1, bottom - 1)
