"""Records as flat rows for CSV and Excel, and the guard against formula injection.

Spreadsheet programs run a cell that starts with =, +, -, @, tab or carriage return as
a formula (OWASP "CSV injection"). CSV cells like that get a leading apostrophe;
`read_csv_records` takes it off again. The JSON keeps the exact text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from actionplan.schemas.contract import FLAT_FIELDS, LIST_FIELDS

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
EXTRA_PREFIX = "extra: "


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_START)


def _guarded(text: str) -> bool:
    # a text that already starts with apostrophes before a formula character gets one more,
    # so `restore` can always tell a guard from the author's own apostrophe
    return is_dangerous(text.lstrip("'"))


def neutralise(text: str) -> str:
    """The text as a spreadsheet shows it without running it."""
    return "'" + text if _guarded(text) else text


def restore(text: str) -> str:
    """Undo `neutralise`."""
    return text[1:] if text.startswith("'") and _guarded(text) else text


def extra_headers(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Headers of unmapped columns, in the order first met."""
    seen: dict[str, None] = {}
    for r in records:
        for k in r.get("extra") or {}:
            seen.setdefault(k, None)
    return list(seen)


def csv_header(records: Sequence[Mapping[str, Any]]) -> list[str]:
    return [*FLAT_FIELDS, *(EXTRA_PREFIX + h for h in extra_headers(records))]


def csv_row(record: Mapping[str, Any], header: Sequence[str]) -> list[str]:
    row = []
    for name in header:
        if name.startswith(EXTRA_PREFIX):
            value: Any = (record.get("extra") or {}).get(name[len(EXTRA_PREFIX):])
        else:
            value = record.get(name)
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(str(v) for v in value)
        row.append(neutralise(str(value)) if value is not None else "")
    return row


def write_csv(fh: Any, records: Sequence[Mapping[str, Any]]) -> None:
    """One plan's records: UTF-8 with a BOM (so Excel reads it right), lists joined by "; "."""
    fh.write("\ufeff")
    writer = csv.writer(fh, lineterminator="\r\n")
    header = csv_header(records)
    writer.writerow(header)
    for record in records:
        writer.writerow(csv_row(record, header))


def read_csv_records(path: str | Path) -> list[dict[str, Any]]:
    """Records back from a CSV this tool wrote (lists split, apostrophe guards removed)."""
    import pandas as pd

    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    records = []
    for row in df.to_dict("records"):
        rec: dict[str, Any] = {}
        extra: dict[str, str] = {}
        for name, raw in row.items():
            value = restore(raw)
            if name.startswith(EXTRA_PREFIX):
                if value:
                    extra[name[len(EXTRA_PREFIX):]] = value
            elif name in LIST_FIELDS:
                items = [v for v in value.split(LIST_SEPARATOR)] if value else []
                rec[name] = [int(v) for v in items] if name == "source_pages" else items
            else:
                rec[name] = value or None
        rec["extra"] = extra
        records.append(rec)
    return records


def cut_at_word(text: str, n: int = 90) -> str:
    """The start of a long text for a list, ended at a whole word."""
    text = " ".join(text.split())
    if len(text) <= n:
        return text
    return text[:n].rsplit(" ", 1)[0].rstrip(",;:.-") + " …"
