"""Field repairs: clean text, "same as above" cells, item numbers and inspection paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from actionplan.normalisers.model import Row
from actionplan.normalisers.text import Vocabulary, clean_cell

# an item number as plans write them: "12.", "1.1", "R2.3", "A4", "2.1a", and a word before
# the number: "Action 4", "Recommendation 2"
ITEM_ID = re.compile(r"^(?:[A-Za-z]{1,3}\s?|[A-Z][a-z]{3,14}\s)?\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?\.?$")
_WORD_PREFIX = re.compile(r"^([A-Z][a-z]{3,14})\s*(\d.*)$")
_DASH_ONLY = re.compile(r"^[\s\-–—_‐‑.]*$")
_PARA = re.compile(
    r"^(?P<para>[A-Za-z]{0,3}\s?\d+(?:\.\d+)*[a-z]?)\.?\s*(?:\((?P<refs>[^)]*)\)?)?\s*$"
)


def clean_text_columns(rows: Sequence[Row], vocab: Vocabulary) -> list[Row]:
    """Every cell: wrapped lines joined, broken words rejoined, look-alikes fixed."""
    return [replace(r, cells={c: clean_cell(v, vocab) for c, v in r.cells.items()}) for r in rows]


def is_same_as_above(value: object) -> bool:
    """An empty cell or a lone dash under a merged-looking column."""
    return value is None or bool(_DASH_ONLY.match(str(value)))


def carry_down(rows: Sequence[Row], fields: Iterable[str]) -> list[Row]:
    """Blank cells in grouping columns (paragraph, area for improvement) take the value
    above; but a blank that opens a new group of item numbers ("6.1" under "5.2") takes the
    value its group prints lower down, as a cell merged over the group and centred prints it
    below its first row. Each row's `carried` lists the fields filled so: their words were
    printed once, elsewhere, and text coverage must count them once."""
    out = list(rows)
    groups = [_group_of(r.get("item")) for r in out]
    for field in fields:
        if not out or not out[0].has(field):
            continue
        last = ""
        for k, row in enumerate(out):
            v = row.cells.get(field)
            if is_same_as_above(v):
                if groups[k] is not None and (k == 0 or groups[k - 1] != groups[k]):
                    last = _printed_lower(out, groups, k, field) or last
                out[k] = replace(row, cells={**row.cells, field: last},
                                 carried=(*row.carried, field) if last else row.carried)
            else:
                last = str(v)
    return out


# the group an item number belongs to, its first number: "6" of "6.1", "1" of "1.1a" (the
# recommendation its actions serve; "12" and "R2" are in none)
_GROUP = re.compile(r"^(\D{0,3}\d{1,3})(?:(?:\.\d{1,3}){1,3}[a-z]?|[a-z])$")


def _group_of(item: str) -> str | None:
    m = _GROUP.match("".join(item.split()).rstrip("."))
    return m.group(1) if m else None


def _printed_lower(rows: Sequence[Row], groups: Sequence[str | None], k: int, field: str) -> str | None:
    """The first value printed below row k inside its group."""
    for j in range(k + 1, len(rows)):
        if groups[j] != groups[k]:
            return None
        if not is_same_as_above(rows[j].cells.get(field)):
            return str(rows[j].cells.get(field))
    return None


def opens_with_item(text: str) -> bool:
    """The text's first words are an item number ("14 28." where a narrow column's number
    ran on into the next cell's text, "Action 1 Action 2" a column not yet cut into rows)."""
    words = text.split()
    return any(ITEM_ID.match(" ".join(words[:n])) for n in (1, 2) if len(words) >= n)


def split_item(text: str | None) -> str | None:
    """"12." -> "12"; "R2.3" stays; "Action\n4" -> "Action 4"; blank -> None."""
    if text is None:
        return None
    value = re.sub(r"\s+", "", str(text)).rstrip(".")
    word = _WORD_PREFIX.match(value)
    if word:  # "Action 4" keeps its space ("R 2" is "R2")
        value = f"{word.group(1)} {word.group(2)}"
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
