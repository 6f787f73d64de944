"""Recognise a plan's header row by its text and map each column to a canonical field.

Headers arrive wrapped and split by narrow columns ("Busine ss Plan 2014-15 Refere nce",
"R/ A/G"), so they are compared as bare letters, fuzzily, against a synonyms file the
user can extend.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from actionplan.normalisers.text import header_key
from actionplan.schemas.contract import FIELDS, data_file
from actionplan.schemas.errors import ConfigError, read_user_text

MATCH_THRESHOLD = 80.0
ITEM_ID = re.compile(r"^(?:[A-Za-z]{1,3}\s?)?\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?\.?$")


@dataclass(frozen=True)
class Synonyms:
    """Header spellings per canonical field, as bare-letter keys."""

    keys: dict[str, tuple[str, ...]]
    threshold: float = MATCH_THRESHOLD  # the fuzzy score a header cell needs to name a field

    @classmethod
    def load(cls, extra: Iterable[Path] = (), threshold: float = MATCH_THRESHOLD) -> Synonyms:
        table: dict[str, list[str]] = {f: [] for f in FIELDS}
        for path in (data_file("header_synonyms.csv"), *extra):
            for field, synonym in _read_synonyms(Path(path)):
                key = header_key(synonym)
                if key and key not in table[field]:
                    table[field].append(key)
        return cls({f: tuple(v) for f, v in table.items()}, threshold)


def _read_synonyms(path: Path) -> list[tuple[str, str]]:
    import io

    rows = list(csv.reader(io.StringIO(read_user_text(path, "synonyms file"), newline="")))
    out = []
    for n, row in enumerate(rows, 1):
        if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
            continue
        if n == 1 and row[0].strip().lower() == "field":
            continue
        if len(row) < 2:
            raise ConfigError(f"line {n} needs two columns: field,synonym", file=path)
        field = row[0].strip()
        if field not in FIELDS:
            raise ConfigError(
                f"line {n}: unknown field {field!r}", file=path, hint=f"use one of {', '.join(FIELDS)}"
            )
        out.append((field, row[1].strip()))
    return out


def score_header(text: str, synonyms: Synonyms) -> tuple[str | None, float]:
    """The best canonical field for one header cell and how sure we are (0-100)."""
    words = [k for w in text.split() if (k := header_key(w))]
    key = "".join(words)
    if not key:
        return None, 0.0
    bounds = {0}
    for w in words:
        bounds.add(max(bounds) + len(w))
    best: tuple[str | None, float] = (None, 0.0)
    for field, keys in synonyms.keys.items():
        for syn in keys:
            score = fuzz.ratio(key, syn)
            if len(syn) >= 3 and syn != key and _holds(key, syn, bounds):
                score = max(score, 70.0 + 30.0 * len(syn) / len(key))
            if score > best[1]:
                best = (field, score)
    return best


def _holds(key: str, syn: str, bounds: set[int]) -> bool:
    """The synonym is whole words of the header ("Current RAG", "Evidence of impact
    seen"), not the start of a longer word ("Ref" in "refreshed")."""
    at = key.find(syn)
    while at >= 0:
        if at in bounds and at + len(syn) in bounds:
            return True
        at = key.find(syn, at + 1)
    return False


@dataclass(frozen=True)
class ColumnMap:
    """Which canonical field each column holds (None: kept under `extra`)."""

    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    scores: tuple[float, ...]

    @property
    def mapped(self) -> set[str]:
        return {f for f in self.fields if f}

    def index(self, field: str) -> int | None:
        return self.fields.index(field) if field in self.fields else None


def map_columns(headers: Sequence[str], synonyms: Synonyms, threshold: float | None = None) -> ColumnMap:
    """Map header cells to fields; each field goes to the column that matches it best."""
    threshold = synonyms.threshold if threshold is None else threshold
    scored = [score_header(h, synonyms) for h in headers]
    owner: dict[str, int] = {}
    for i, (field, score) in enumerate(scored):
        if field and score >= threshold and (field not in owner or score > scored[owner[field]][1]):
            owner[field] = i
    fields: list[str | None] = [None] * len(headers)
    for field, i in owner.items():
        fields[i] = field
    return ColumnMap(tuple(headers), tuple(fields), tuple(s for _, s in scored))


def looks_like_header(cells: Sequence[str], synonyms: Synonyms) -> ColumnMap | None:
    """A header row maps at least three columns and most of its non-empty cells."""
    cmap = map_columns(cells, synonyms)
    filled = sum(1 for c in cells if c.strip())
    if len(cmap.mapped) >= 3 and len(cmap.mapped) * 2 >= filled:
        return cmap
    return None


def names_only(cells: Sequence[str], synonyms: Synonyms, sure: float = 99.0) -> bool:
    """Every filled cell is exactly a header name we know (at least three of them): text
    that ends here is a whole header, not the first lines of one."""
    filled = [c for c in cells if c.strip()]
    return len(filled) >= 3 and all(score_header(c, synonyms)[1] >= sure for c in filled)


def header_score(cells: Sequence[str], synonyms: Synonyms) -> float | None:
    """How well a row reads as a header (None: it does not)."""
    cmap = looks_like_header(cells, synonyms)
    if cmap is None:
        return None
    return sum(s for s, f in zip(cmap.scores, cmap.fields) if f)


def find_header(rows: Sequence[Sequence[str]], synonyms: Synonyms, scan: int = 3) -> tuple[int, int, ColumnMap] | None:
    """(first row, number of header rows, column map) of the header near the top, if any.

    A header may be wrapped over two table rows ("Ofsted" / "Para No"); the two rows are
    read as one when that maps the columns clearly better than the first row alone.
    """
    for i in range(min(scan, len(rows))):
        one = looks_like_header(rows[i], synonyms)
        two = None
        if i + 1 < len(rows) and rows[i + 1] and not ITEM_ID.match(rows[i + 1][0].strip()):
            joined = [f"{a} {b}".strip() for a, b in zip(rows[i], rows[i + 1])]
            two = looks_like_header(joined, synonyms)
            below = looks_like_header(rows[i + 1], synonyms)
            best_single = max((m for m in (one, below) if m is not None), key=lambda m: sum(m.scores), default=None)
            filled = [c for c in rows[i + 1] if c.strip()]
            # a short second line under a complete header ("Para No" under "Ofsted") that reads better joined
            tucked = (one is not None and below is None and two is not None
                      and 0 < len(filled) < sum(1 for c in rows[i] if c.strip())
                      and all(len(c.split()) <= 4 for c in filled)
                      and sum(two.scores) >= sum(one.scores) and len(two.mapped) >= len(one.mapped))
            if two is not None and (
                tucked or best_single is None
                or (sum(two.scores) > sum(best_single.scores) + 50 and len(two.mapped) >= len(best_single.mapped))
            ):
                return i, 2, two
        if one is not None:
            return i, 1, one
    return None


def infer_item_column(cmap: ColumnMap, data: Sequence[Sequence[str]]) -> ColumnMap:
    """An unlabelled first column of "1.", "2." ... is the item number."""
    if "item" in cmap.mapped or not cmap.fields or cmap.fields[0] is not None:
        return cmap
    values = [r[0].strip() for r in data if r and r[0].strip()]
    if values and sum(1 for v in values if ITEM_ID.match(v)) >= 0.6 * len(values):
        fields = ("item", *cmap.fields[1:])
        scores = (100.0, *cmap.scores[1:])
        return ColumnMap(cmap.headers, fields, scores)
    return cmap
