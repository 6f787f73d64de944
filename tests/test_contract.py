"""The record is defined once (schemas/contract.py); everything that lists its fields agrees."""

from __future__ import annotations

import json
from typing import get_type_hints

from actionplan.pipeline.outputs.tabular import csv_header
from actionplan.pipeline.outputs.workbook import PLAN_COLUMNS
from actionplan.schemas.contract import RECORD_FIELDS, RECORD_SPEC, Record, data_file, record_json_schema
from actionplan.schemas.validation import plan_schema


def test_the_typed_record_and_its_definition_name_the_same_keys_in_order():
    assert tuple(get_type_hints(Record)) == RECORD_FIELDS == tuple(f.name for f in RECORD_SPEC)


def test_the_published_json_schema_describes_the_record_as_defined():
    """Run `python -m actionplan.schemas` after changing RECORD_SPEC."""
    published = json.loads(data_file("actionplan.schema.json").read_text(encoding="utf-8"))
    assert published["$defs"]["record"] == record_json_schema()


def test_csv_workbook_and_pandera_columns_come_from_the_definition():
    assert csv_header([]) == [f for f in RECORD_FIELDS if f not in ("extra", "source_boxes")]
    sheet = {k for k, _, _ in PLAN_COLUMNS}
    assert sheet - {"first_due"} == set(RECORD_FIELDS) - {"due_dates", "extra", "source_boxes"}
    labels = {k: h for k, h, _ in PLAN_COLUMNS}
    assert all(labels[f.name] == f.label for f in RECORD_SPEC if f.name in labels)
    checked = set(plan_schema(frozenset({"item"})).columns)
    assert checked == {f.name for f in RECORD_SPEC if f.kind not in ("strings", "extra", "date", "boxes")}
