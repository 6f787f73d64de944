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
from typing import Any

import pandas as pd

from actionplan.extractors.model import Cell, RawTable
from actionplan.normalisers.fields import ITEM_ID, META
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


def _content_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in META]


def drop_header_rows(df: pd.DataFrame, cmap: ColumnMap, vocab: Vocabulary) -> pd.DataFrame:
    """The rows without repeated headers."""
    return df[~header_rows(df, cmap, vocab)].reset_index(drop=True)


def drop_empty_rows(df: pd.DataFrame) -> pd.DataFrame:
    cols = _content_columns(df)
    if df.empty:
        return df
    filled = df[cols].fillna("").astype(str).apply(lambda s: s.str.strip() != "").any(axis=1)
    return df[filled].reset_index(drop=True)


def _is_blank_item(value: object) -> bool:
    return value is None or bool(_NO_TEXT.match(str(value)))


_SHORT = ("lead", "by_when", "rag")


def _continues_row(row: dict[str, object], previous: dict[str, object], cols: list[str]) -> bool:
    """Without item numbers: is this first row of a page the rest of the row above?

    Yes when all its text carries on mid-sentence (no filled cell starts with a capital,
    and some start in lower case), or when it lacks every short field (lead, deadline, rating) the row above has:
    those fit before the page break, only the long cells run over.
    """
    filled = {c: str(row.get(c) or "").lstrip() for c in cols if str(row.get(c) or "").strip()}
    if not filled:
        return False
    starts = [t[0] for t in filled.values()]
    if all(not c.isupper() for c in starts) and any(c.islower() for c in starts):
        return True  # "...and" / "partnership work" / "2024" (the year of a cut date)
    short = [c for c in _SHORT if c in cols]
    return bool(short) and not any(c in filled for c in short) and any(
        str(previous.get(c) or "").strip() for c in short)


def merge_page_continuations(df: pd.DataFrame) -> pd.DataFrame:
    """Fold rows with an empty item cell into the record above, field by field.

    Word continues a row cut by a page break at the top of the next page with an empty
    "No." cell (or just the "." of a number that was cut). The fragment's text is appended
    to the same field of the record it continues, so nothing is lost or duplicated.
    Without an item column, the first row of a page may still continue the record above
    (see `_continues_row`).
    """
    cols = _content_columns(df)
    numbered = "item" in df.columns
    records: list[dict[str, Any]] = []
    for row in df.to_dict("records"):
        if numbered:
            continues = _is_blank_item(row.get("item"))
        else:
            continues = (bool(records) and row["_page"] not in records[-1]["_pages"]
                         and _continues_row(row, records[-1], cols))
        if records and continues:
            rec = records[-1]
            rec["_joins"].append((row["_page"], row.get("_row", 0)))
            for c in cols:
                piece = str(row.get(c) or "")
                if piece.strip():
                    before = str(rec.get(c) or "")
                    rec[c] = f"{before}\n{piece}" if before.strip() else piece
            if row["_page"] not in rec["_pages"]:
                rec["_pages"].append(row["_page"])
            rec["_boxes"].append((row["_page"], row.get("_box")))
            if rec.get("_fill") is None:
                rec["_fill"] = row.get("_fill")
            continue
        row = dict(row)
        row["_pages"] = [row["_page"]]
        row["_joins"] = []
        row["_boxes"] = [(row["_page"], row.get("_box"))]
        records.append(row)
    return pd.DataFrame(records, columns=[*df.columns, "_pages", "_joins", "_boxes"])
