"""Row repairs: repeated headers out, rows cut by a page break merged back together."""

from __future__ import annotations

import re

import pandas as pd

from normalisers.headers import ColumnMap
from normalisers.stitch import META, header_fragment
from normalisers.text import Vocabulary, clean_cell

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


def merge_page_continuations(df: pd.DataFrame) -> pd.DataFrame:
    """Fold rows with an empty item cell into the record above, field by field.

    Word continues a row cut by a page break at the top of the next page with an empty
    "No." cell (or just the "." of a number that was cut). The fragment's text is appended
    to the same field of the record it continues, so nothing is lost or duplicated.
    Without an item column every row is its own record.
    """
    cols = _content_columns(df)
    if "item" not in df.columns:
        out = df.copy()
        out["_pages"] = [[p] for p in out["_page"]]
        return out
    records: list[dict[str, object]] = []
    for row in df.to_dict("records"):
        if records and _is_blank_item(row.get("item")):
            rec = records[-1]
            for c in cols:
                piece = str(row.get(c) or "")
                if piece.strip():
                    before = str(rec.get(c) or "")
                    rec[c] = f"{before}\n{piece}" if before.strip() else piece
            if row["_page"] not in rec["_pages"]:
                rec["_pages"].append(row["_page"])
            if rec.get("_fill") is None:
                rec["_fill"] = row.get("_fill")
            continue
        row = dict(row)
        row["_pages"] = [row["_page"]]
        records.append(row)
    return pd.DataFrame(records, columns=[*df.columns, "_pages"])
