"""Names shared by every stage: the canonical columns of a plan and the fields of a record."""

from __future__ import annotations

from pathlib import Path

SCHEMA_VERSION = 1


def _tool_version() -> str:
    """The installed distribution's version: one source, which resume compares."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("actionplan")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


TOOL_VERSION = _tool_version()

# Columns a plan table may have, in the order an analyst reads them.
FIELDS: tuple[str, ...] = (
    "item",
    "inspection_para",
    "business_plan_ref",
    "area_for_improvement",
    "lead",
    "action",
    "by_when",
    "progress",
    "rag",
    "monitoring",
    "evidence_of_impact",
)

# Free-text columns: cleaned, never otherwise rewritten.
TEXT_FIELDS: tuple[str, ...] = (
    "area_for_improvement",
    "lead",
    "action",
    "by_when",
    "progress",
    "monitoring",
    "evidence_of_impact",
)

# Every key of a record in the JSON contract, in output order.
RECORD_FIELDS: tuple[str, ...] = (
    "item",
    "inspection_para",
    "inspection_para_refs",
    "business_plan_ref",
    "area_for_improvement",
    "lead",
    "lead_canonical",
    "action",
    "by_when",
    "due_dates",
    "due",
    "progress",
    "rag",
    "rag_raw",
    "monitoring",
    "evidence_of_impact",
    "source_pages",
    "extra",
)

LIST_FIELDS: tuple[str, ...] = ("inspection_para_refs", "lead_canonical", "due_dates", "source_pages")

# A blank cell in these columns means "same as the row above".
CARRY_DOWN_DEFAULT: tuple[str, ...] = ("inspection_para", "business_plan_ref", "area_for_improvement")

_DATA = Path(__file__).resolve().parent


def data_file(name: str) -> Path:
    """A data file shipped with the package (header synonyms, JSON Schema)."""
    return _DATA / name
