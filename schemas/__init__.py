"""The output contract: record fields, the JSON Schema, and the pandera schemas."""

from actionplan.schemas.contract import (
    CARRY_DOWN_DEFAULT,
    FIELDS,
    LIST_FIELDS,
    RECORD_FIELDS,
    SCHEMA_VERSION,
    TEXT_FIELDS,
    data_file,
)

__all__ = [
    "CARRY_DOWN_DEFAULT",
    "FIELDS",
    "LIST_FIELDS",
    "RECORD_FIELDS",
    "SCHEMA_VERSION",
    "TEXT_FIELDS",
    "data_file",
]
