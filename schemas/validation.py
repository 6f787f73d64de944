"""What a clean record is, as a pandera schema per kind of plan table.

Validation is lazy: every failure is collected. Each check is either hard (the file
fails: a duplicate or missing item, a rating outside R/A/G/B, a date that does not
exist) or soft (a warning for the Review sheet: a gap in numbering, an empty lead, a
paragraph that is not a number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd
import pandera.pandas as pa

from actionplan.schemas.contract import LIST_FIELDS, RECORD_FIELDS, RECORD_SPEC
from actionplan.schemas.issues import Issue

RAG_CODES = ("R", "A", "G", "B")
_PARA = re.compile(r"^[A-Za-z]{0,3}\d+(?:\.\d+)*[a-z]?$")
_MONTH = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")

# check name -> (hard?, warning code, what it means, field)
CHECKS: dict[str, tuple[bool, str, str, str | None]] = {
    "not_nullable": (True, "item-missing", "a record has no item number", "item"),
    "field_uniqueness": (True, "item-duplicate", "the item number appears more than once in the plan", "item"),
    "rag_code": (True, "rag-invalid", "the rating is not one of R, A, G, B", "rag"),
    "real_dates": (True, "date-invalid", "a due date is not a real YYYY-MM or YYYY-MM-DD date", "due_dates"),
    "due_is_last": (True, "due-mismatch", "`due` is not the last of `due_dates`", "due"),
    "stripped": (True, "text-unstripped", "text has leading or trailing whitespace", None),
    "pages_known": (True, "pages-missing", "the record has no source page", "source_pages"),
    "para_numeric": (False, "para-not-numeric", "the inspection paragraph is not a number", "inspection_para"),
    "lead_present": (False, "lead-empty", "the action has no lead", "lead"),
    "numbering_gap": (False, "numbering-gap", "item numbers skip here", "item"),
}


def _real_date(value: str) -> bool:
    if not isinstance(value, str) or not _MONTH.match(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _numbering_ok(df: pd.DataFrame) -> pd.Series:
    """False where an item number is not the one after the item above (10 -> 12)."""
    ok = []
    previous: tuple[str, int] | None = None
    for item in df["item"]:
        m = re.match(r"^(.*?)(\d+)$", str(item or ""))
        if not m:
            ok.append(True)
            previous = None
            continue
        prefix, n = m.group(1), int(m.group(2))
        ok.append(previous is None or previous[0] != prefix or n == previous[1] + 1 or n == 1)
        previous = (prefix, n)
    return pd.Series(ok, index=df.index)


@lru_cache(maxsize=32)
def plan_schema(fields: frozenset[str]) -> pa.DataFrameSchema:
    """The schema for a plan with these columns, made from the record's definition."""
    text = pa.Check(lambda v: v is None or v == v.strip(), element_wise=True, name="stripped")
    by_kind: dict[str, list[pa.Check]] = {
        "text": [text],
        "rag": [pa.Check(lambda v: v is None or v in RAG_CODES, element_wise=True, name="rag_code")],
        "dates": [pa.Check(lambda v: all(_real_date(d) for d in v), element_wise=True, name="real_dates")],
        "pages": [pa.Check(lambda v: len(v) > 0, element_wise=True, name="pages_known")],
    }
    columns: dict[str, pa.Column] = {}
    for spec in RECORD_SPEC:
        if spec.kind == "item":
            columns[spec.name] = pa.Column(object, nullable=False, unique=True)
        elif spec.kind in by_kind:
            checks = list(by_kind[spec.kind])
            if spec.name == "inspection_para":
                checks.append(pa.Check(lambda v: v is None or bool(_PARA.match(v)), element_wise=True,
                                       name="para_numeric"))
            columns[spec.name] = pa.Column(object, checks, nullable=spec.kind in ("text", "rag"))
    frame_checks = [
        pa.Check(lambda df: df["due"].isna().where(df["due_dates"].map(len) == 0,
                                                   df["due"] == df["due_dates"].map(lambda v: v[-1] if v else None)),
                 name="due_is_last"),
    ]
    if "item" in fields:
        frame_checks.append(pa.Check(_numbering_ok, name="numbering_gap"))
    if "lead" in fields:
        frame_checks.append(pa.Check(lambda df: df["lead"].map(bool), name="lead_present"))
    return pa.DataFrameSchema(columns, checks=frame_checks, strict=False, coerce=False)


def records_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(list(records), columns=list(RECORD_FIELDS))
    for f in LIST_FIELDS:
        df[f] = df[f].map(lambda v: v if isinstance(v, list) else [])
    return df.astype(object).where(df.notna(), None)


def validate_records(
    records: Sequence[Mapping[str, Any]], fields: Iterable[str], table: str
) -> tuple[list[Issue], list[Issue]]:
    """(hard failures, soft warnings) for one plan's records."""
    if not records:
        return [], []
    df = records_frame(records)
    schema = plan_schema(frozenset(fields))
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _issues(exc.failure_cases, df, table)
    return [], []


def _issues(cases: pd.DataFrame, df: pd.DataFrame, table: str) -> tuple[list[Issue], list[Issue]]:
    hard: list[Issue] = []
    soft: list[Issue] = []
    seen: set[tuple[str, Any, Any]] = set()
    for case in cases.to_dict("records"):
        name = str(case.get("check") or "")
        key = next((k for k in CHECKS if name == k or name.startswith(k)), None)
        column = case.get("column") if isinstance(case.get("column"), str) else None
        if key is None:  # a pandera check of its own (dtype, column presence): a bug, so hard
            hard_, code, what, field = True, "schema", f"{column}: {name}", column
        else:
            hard_, code, what, field = CHECKS[key]
        if case.get("schema_context") == "DataFrameSchema" or not column:
            column = field  # frame-wide checks report every column; the check knows its field
        index = case.get("index")
        if (code, index, column) in seen:
            continue
        seen.add((code, index, column))
        item = df.at[index, "item"] if index is not None and index in df.index else None
        pages = df.at[index, "source_pages"] if index is not None and index in df.index else None
        value = case.get("failure_case")
        detail = f"{what}: {value!r}" if code not in ("numbering-gap", "lead-empty", "item-missing") else what
        if code == "numbering-gap" and index is not None and index > 0:
            detail = f"item {df.at[index - 1, 'item']} is followed by {item}"
        issue = Issue(code, detail, table=table, item=item, field=column, page=pages[0] if pages else None)
        (hard if hard_ else soft).append(issue)
    return hard, soft
