"""Names shared by every stage: the canonical columns of a plan and the fields of a record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypedDict

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


class SourceBox(TypedDict):
    page: int
    bbox: list[float]  # x0, y0, x1, y1 in PDF points, origin at the page's bottom-left


class Record(TypedDict):
    """One action of a plan, as the JSON contract has it: the one definition of a record.

    RECORD_SPEC says what each key holds; the JSON Schema, the pandera schema, the CSV
    columns and the workbook's columns are all made from it.
    """

    item: str
    inspection_para: str | None
    inspection_para_refs: list[str]
    business_plan_ref: str | None
    area_for_improvement: str | None
    lead: str | None
    lead_canonical: list[str]
    action: str | None
    by_when: str | None
    due_dates: list[str]
    due: str | None
    progress: str | None
    rag: str | None
    rag_raw: str | None
    monitoring: str | None
    evidence_of_impact: str | None
    source_pages: list[int]
    source_boxes: list[SourceBox]
    extra: dict[str, str]


Kind = Literal["item", "text", "strings", "dates", "date", "rag", "pages", "boxes", "extra"]


@dataclass(frozen=True)
class FieldSpec:
    """A record key: its kind (which decides its JSON type and checks), the workbook's
    header and width for it, and what it means."""

    name: str
    kind: Kind
    label: str
    width: float
    description: str


RECORD_SPEC: tuple[FieldSpec, ...] = (
    FieldSpec("item", "item", "Item", 7, "the row's number without its trailing full stop"),
    FieldSpec("inspection_para", "text", "Inspection para", 11, "the inspection report paragraph the action answers"),
    FieldSpec("inspection_para_refs", "strings", "Para refs", 12,
              "further paragraphs named in brackets beside it: \"17 (57, 138)\" gives [\"57\", \"138\"]"),
    FieldSpec("business_plan_ref", "text", "Business plan ref", 11, "the council's own reference, as printed"),
    FieldSpec("area_for_improvement", "text", "Area for improvement", 40,
              "the inspection's finding; a blank cell took the one above"),
    FieldSpec("lead", "text", "Lead (as written)", 24, "the lead as printed"),
    FieldSpec("lead_canonical", "strings", "Lead", 28,
              "the lead list's titles the printed lead matched (several where it names several)"),
    FieldSpec("action", "text", "Action", 48, "what will be done"),
    FieldSpec("by_when", "text", "By when (as written)", 16, "the deadline cell as printed"),
    FieldSpec("due_dates", "dates", "Due dates", 14, "every date in by_when, in order: YYYY-MM or YYYY-MM-DD"),
    FieldSpec("due", "date", "Latest due", 12, "the last of due_dates: the deadline in force"),
    FieldSpec("progress", "text", "Progress", 60, "the progress update as printed"),
    FieldSpec("rag", "rag", "RAG", 6,
              "the rating, R, A, G or B (complete), from the printed text or the cell's colour"),
    FieldSpec("rag_raw", "text", "RAG (as written)", 12, "the rating cell as printed"),
    FieldSpec("monitoring", "text", "Monitoring and evaluation", 36, "how progress is monitored"),
    FieldSpec("evidence_of_impact", "text", "Evidence of impact", 36, "the evidence the action worked"),
    FieldSpec("source_pages", "pages", "Pages", 8, "the PDF pages the record was read from"),
    FieldSpec("source_boxes", "boxes", "Regions", 20,
              "where on those pages the record's rows are: page and bbox [x0, y0, x1, y1] in PDF points, "
              "origin at the page's bottom-left (as PDF and Camelot measure); one per row a page break cut"),
    FieldSpec("extra", "extra", "Extra", 24, "columns no field matched, by their printed header"),
)
SPEC: dict[str, FieldSpec] = {f.name: f for f in RECORD_SPEC}

# Every key of a record in the JSON contract, in output order.
RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in RECORD_SPEC)
LIST_FIELDS: tuple[str, ...] = tuple(f.name for f in RECORD_SPEC if f.kind in ("strings", "dates", "pages"))
# What a flat file (CSV) carries: everything but the nested keys (extra has columns of its own)
FLAT_FIELDS: tuple[str, ...] = tuple(f.name for f in RECORD_SPEC if f.kind not in ("boxes", "extra"))
# Free-text columns: cleaned, never otherwise rewritten.
TEXT_FIELDS: tuple[str, ...] = tuple(f.name for f in RECORD_SPEC if f.kind == "text" and f.name in FIELDS
                                     and f.name not in ("inspection_para", "business_plan_ref"))

def _field_schema(spec: FieldSpec) -> dict[str, Any]:
    by_kind: dict[str, dict[str, Any]] = {
        "item": {"type": "string", "minLength": 1},
        "text": {"$ref": "#/$defs/text"},
        "strings": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "dates": {"type": "array", "items": {"$ref": "#/$defs/month_or_day"}},
        "date": {"oneOf": [{"$ref": "#/$defs/month_or_day"}, {"type": "null"}]},
        "rag": {"enum": ["R", "A", "G", "B", None]},
        "pages": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1},
        "boxes": {"type": "array", "items": {
            "type": "object", "required": ["page", "bbox"], "additionalProperties": False,
            "properties": {"page": {"type": "integer", "minimum": 1},
                           "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}}}},
        "extra": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    return {**by_kind[spec.kind], "description": spec.description}


def record_json_schema() -> dict[str, Any]:
    """The `record` definition of schemas/actionplan.schema.json, made from RECORD_SPEC."""
    return {
        "type": "object",
        "required": list(RECORD_FIELDS),
        "additionalProperties": False,
        "properties": {f.name: _field_schema(f) for f in RECORD_SPEC},
    }


# A blank cell in these columns means "same as the row above".
CARRY_DOWN_DEFAULT: tuple[str, ...] = ("inspection_para", "business_plan_ref", "area_for_improvement")

# the short fields: a row's lead, deadline and rating fit before a page break, only its long
# cells run over, so a page-top row with none of them continues the row above (46d09c6),
# and in a plan whose rows mostly have one a row without any may be a piece (d0d1bde)
SHORT_FIELDS: tuple[str, ...] = ("lead", "by_when", "rag")
# the fields that hold running text (sentences), not titles, dates or ratings: the cells a
# page break cuts mid-sentence, and a producer may leave unfinished at a page's foot
RUNNING_FIELDS: tuple[str, ...] = ("area_for_improvement", "action", "progress", "monitoring", "evidence_of_impact")

_DATA = Path(__file__).resolve().parent


def data_file(name: str) -> Path:
    """A data file shipped with the package (header synonyms, JSON Schema)."""
    return _DATA / name
