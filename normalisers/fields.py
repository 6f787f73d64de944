"""Field repairs: clean text, "same as above" cells, item numbers and inspection paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from actionplan.normalisers.text import Vocabulary, clean_cell

# the bookkeeping columns a plan's rows carry beside its fields: the page, the rating
# cell's fill, the row's place on its page and its box
META = ("_page", "_fill", "_row", "_box")
# an item number as plans write them: "12.", "1.1", "R2.3", "A4", "2.1a"
ITEM_ID = re.compile(r"^(?:[A-Za-z]{1,3}\s?)?\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?\.?$")
_DASH_ONLY = re.compile(r"^[\s\-–—_‐‑.]*$")
_PARA = re.compile(
    r"^(?P<para>[A-Za-z]{0,3}\s?\d+(?:\.\d+)*[a-z]?)\.?\s*(?:\((?P<refs>[^)]*)\)?)?\s*$"
)


def clean_text_columns(df: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """Every cell: wrapped lines joined, broken words rejoined, look-alikes fixed."""
    out = df.copy()
    for col in out.columns:
        if col in META or col.startswith("_"):
            continue
        out[col] = [clean_cell(v, vocab) for v in out[col]]
    return out


def is_same_as_above(value: object) -> bool:
    """An empty cell or a lone dash under a merged-looking column."""
    return value is None or bool(_DASH_ONLY.match(str(value)))


def carry_down(df: pd.DataFrame, fields: Iterable[str]) -> pd.DataFrame:
    """Blank cells in grouping columns (paragraph, area for improvement) take the value
    above. `_carried` lists, per row, the fields filled so: their words were printed once,
    above, and text coverage must count them once."""
    out = df.copy()
    carried: list[list[str]] = [[] for _ in range(len(out))]
    for field in fields:
        if field not in out.columns:
            continue
        last = ""
        values = []
        for k, v in enumerate(out[field]):
            if is_same_as_above(v):
                values.append(last)
                if last:
                    carried[k].append(field)
            else:
                last = str(v)
                values.append(last)
        out[field] = values
    out["_carried"] = carried
    return out


def split_item(text: str | None) -> str | None:
    """"12." -> "12"; "R2.3" stays; blank -> None."""
    if text is None:
        return None
    value = re.sub(r"\s+", "", str(text)).rstrip(".")
    return value or None


def split_inspection_para(text: str | None) -> tuple[str | None, list[str], bool]:
    """"17. (57, 138)" -> ("17", ["57", "138"]); the flag says whether the text parsed.

    References are kept as written, so "23. (67?, 80)" keeps its doubt: ["67?", "80"].
    """
    if text is None or not str(text).strip():
        return None, [], True
    value = re.sub(r"\s+", " ", str(text)).strip()
    m = _PARA.match(value)
    if not m:
        return value, [], False
    refs = [r.strip().rstrip(".") for r in re.split(r"[,;]|\s(?=\d)", m.group("refs") or "")]
    return m.group("para").replace(" ", ""), [r for r in refs if r], True


def mend_ocr_items(items: list[str | None]) -> list[tuple[int, str, str]]:
    """Item numbers OCR misread by one character ("4" for "1", "40" for "10"), mended
    from their neighbours: (position, as read, as meant). Only in a plan numbered 1, 2,
    3...; only where the numbers either side leave exactly one number for the gap."""
    ints = [int(i) if i and i.isdigit() else None for i in items]
    if sum(1 for v in ints if v is not None) < max(3, 0.8 * len(items)):
        return []
    out = []
    for k, v in enumerate(ints):
        before = ints[k - 1] if k > 0 else None
        after = ints[k + 1] if k + 1 < len(ints) else None
        if before is not None:
            meant = before + 1
            fits = after is None or after == meant + 1
        elif after is not None and after > 1:
            meant, fits = after - 1, True
        else:
            continue
        read = items[k] or ""
        bare = re.sub(r"[^\w]", "", read)  # "A," for "4.": the full stop is not the misreading
        near = bare != str(meant) and len(bare) <= len(str(meant)) + 1 and _one_edit(bare, str(meant))
        if v != meant and fits and near:
            out.append((k, read, str(meant)))
            ints[k] = meant
    return out


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by one character changed, added or dropped."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b) == 1
