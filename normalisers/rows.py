"""Row repairs: repeated headers out, rows cut by a page break merged back together."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from actionplan.normalisers.headers import ColumnMap
from actionplan.normalisers.stitch import META, header_fragment
from actionplan.normalisers.text import Vocabulary, clean_cell

_NO_TEXT = re.compile(r"^[\W_]*$")


def _content_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in META]


def header_rows(df: pd.DataFrame, cmap: ColumnMap, vocab: Vocabulary) -> pd.Series:
    """True for repeated header rows and stray pieces of them inside the body."""
    cols = _content_columns(df)
    return pd.Series(
        [header_fragment([clean_cell(row[c], vocab) for c in cols], cmap) for _, row in df.iterrows()],
        index=df.index, dtype=bool,
    )


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
