"""Rules about a record, beside its contract: when an action is complete, when it is
overdue, and its deadlines as dates. The workbook, the diff and anything else that judges
records ask here, so that they judge alike."""

from __future__ import annotations

import calendar
import re
from datetime import date

from actionplan.schemas.contract import Record

_COMPLETE = re.compile(r"\bcomplete", re.I)


def as_date(value: str | None, end_of_month: bool = False) -> date | None:
    """A record's date as the contract writes it, "2015-11" or "2016-03-31", as a date:
    "2015-11" is 1 November 2015 (or the 30th with `end_of_month`)."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    day = calendar.monthrange(parts[0], parts[1])[1] if end_of_month else 1
    return date(parts[0], parts[1], day)


def due_date(record: Record, end_of_month: bool = False) -> date | None:
    """The record's latest deadline (`due`) as a date, None where it has none."""
    return as_date(record.get("due"), end_of_month)


def is_done(record: Record) -> bool:
    """Rated B (complete), or its deadline cell says it is complete."""
    return record.get("rag") == "B" or bool(_COMPLETE.search(str(record.get("by_when") or "")))


def overdue(record: Record, as_of: date) -> bool:
    """Past its latest deadline (the end of that month, where only a month is given) on
    `as_of` and not done."""
    due = due_date(record, end_of_month=True)
    return due is not None and due < as_of and not is_done(record)
