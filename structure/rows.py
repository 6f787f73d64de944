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
from collections.abc import Sequence
from dataclasses import replace

from actionplan.extractors.model import Cell, RawTable
from actionplan.normalisers.fields import ITEM_ID
from actionplan.normalisers.model import Row
from actionplan.normalisers.text import Vocabulary
from actionplan.schemas.layout import LayoutSettings
from actionplan.structure.evidence import cut_row, edge_cuts, level_of, levels_of, line_pitch, row_lines
from actionplan.structure.headers import ColumnMap, header_rows, repeated_header_cuts


def item_cuts(row: Sequence[Cell], column: int, settings: LayoutSettings, below: float | None = None) -> set[int]:
    """Cuts before every line of the item column that reads as an item number.

    `below`: only numbers whose tops are below this height count. A ruled row's own number
    sits at its top, under the last line of a cell merged down from the row above (whose
    text runs on over the rule) and must not cut that line off.
    """
    if column >= len(row):
        return set()
    lines = row_lines(row)
    levels = levels_of(lines, settings.level_tolerance)
    return {k for ln in row[column].lines if ITEM_ID.match(ln.text.strip())
            and (below is None or ln.bbox[3] < below)
            and (k := level_of(ln, levels, settings.level_tolerance)) > 0}


def gap_cuts(row: Sequence[Cell], settings: LayoutSettings, pitch: float | None = None) -> set[int]:
    """Cuts where several cells start together after a gap wider than the line pitch."""
    lines = row_lines(row)
    tol = settings.level_tolerance
    levels = levels_of(lines, tol)
    if len(levels) < 3:
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


_NO_TEXT = re.compile(r"^[\W_]*$")


def drop_header_rows(rows: Sequence[Row], cmap: ColumnMap, vocab: Vocabulary) -> list[Row]:
    """The rows without repeated headers."""
    return [r for r, header in zip(rows, header_rows(rows, cmap, vocab)) if not header]


def drop_empty_rows(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if any(v.strip() for v in r.cells.values())]


def _is_blank_item(value: str | None) -> bool:
    return value is None or bool(_NO_TEXT.match(value))


_SHORT = ("lead", "by_when", "rag")


def _continues_row(row: Row, previous: Row) -> str | None:
    """Without item numbers: is this first row of a page the rest of the row above (and why)?

    Yes when all its text carries on mid-sentence (no filled cell starts with a capital,
    and some start in lower case), or when it lacks every short field (lead, deadline, rating) the row above has:
    those fit before the page break, only the long cells run over.
    """
    filled = {c: v.lstrip() for c, v in row.cells.items() if v.strip()}
    if not filled:
        return None
    starts = [t[0] for t in filled.values()]
    if all(not c.isupper() for c in starts) and any(c.islower() for c in starts):
        return "carries on mid-sentence"  # "...and" / "partnership work" / "2024" (the year of a cut date)
    short = [c for c in _SHORT if row.has(c)]
    if short and not any(c in filled for c in short) and any(previous.get(c).strip() for c in short):
        return f"no {', '.join(short)} of its own"
    return None


def merge_page_continuations(rows: Sequence[Row]) -> list[Row]:
    """Fold rows with an empty item cell into the record above, field by field.

    Word continues a row cut by a page break at the top of the next page with an empty
    "No." cell (or just the "." of a number that was cut). The fragment's text is appended
    to the same field of the record it continues, so nothing is lost or duplicated.
    Without an item column, the first row of a page may still continue the record above
    (see `_continues_row`). Each joined piece keeps why it was joined.
    """
    numbered = bool(rows) and rows[0].has("item")
    records: list[Row] = []
    for row in rows:
        why: str | None = None
        if numbered:
            why = "no item number" if _is_blank_item(row.cells.get("item")) else None
        elif records and row.page not in records[-1].pages:
            why = _continues_row(row, records[-1])
        if records and why:
            rec = records[-1]
            cells = dict(rec.cells)
            for c, piece in row.cells.items():
                if piece.strip():
                    before = cells.get(c) or ""
                    cells[c] = f"{before}\n{piece}" if before.strip() else piece
            joined = tuple(replace(p, joined=why) for p in row.pieces)
            records[-1] = replace(rec, cells=cells, pieces=(*rec.pieces, *joined))
            continue
        records.append(row)
    return records
