"""The normalisers in order, from a stitched plan to records in the JSON contract."""

from __future__ import annotations

from typing import Any, cast

from actionplan.normalisers.dates import rejoin_month_fragments, split_by_when
from actionplan.normalisers.fields import carry_down, clean_text_columns, split_inspection_para, split_item
from actionplan.normalisers.leads import LeadList, find_abbreviations, group_leads, match_lead
from actionplan.normalisers.model import Row
from actionplan.normalisers.rag import resolve_rag
from actionplan.normalisers.text import Vocabulary
from actionplan.pipeline.settings import Settings
from actionplan.schemas.contract import RECORD_FIELDS, Record
from actionplan.schemas.issues import Issue
from actionplan.structure.checks import (
    gap_at_page_break,
    item_column_merged,
    items_not_numbers,
    partial_rows,
    records_far_apart,
    records_vs_numbering,
    rows_without_item,
)
from actionplan.structure.plans import Plan


def prepare_leads(plans: list[list[Row]], settings: Settings, texts: list[str],
                  given: LeadList | None = None) -> LeadList:
    """The user's lead list, or groups formed from the document's own leads; either way
    abbreviations the document defines ("special educational needs (SEN)") are spelt out."""
    expansions = find_abbreviations(texts)
    if given is not None:
        return given.with_expansions(expansions)
    if settings.leads is not None:
        return LeadList.load(settings.leads).with_expansions(expansions)
    values = [r.get("lead") for rows in plans for r in rows if r.get("lead")]
    return group_leads(values, settings.lead_threshold, expansions)


def _none_if_empty(value: Any) -> Any:
    return value if value not in ("", None) else None


def repair_rows(plan: Plan, vocab: Vocabulary, settings: Settings) -> list[Row]:
    """A plan's settled rows with their text cleaned and "same as above" filled in."""
    return carry_down(clean_text_columns(plan.rows, vocab), settings.carry_down)


def check_structure(rows: list[Row], records: list[Record]) -> list[Issue]:
    """Warnings where the rows or plan may have been cut or joined in the wrong place."""
    issues = (rows_without_item(rows) + gap_at_page_break(rows) + records_far_apart(rows) + partial_rows(rows)
              + item_column_merged(rows))
    if rows and rows[0].has("item") and records:
        first_pages = [r["source_pages"][0] if r["source_pages"] else None for r in records]
        issues += records_vs_numbering([r["item"] for r in records], page=first_pages[0])
        issues += items_not_numbers([r["item"] for r in records], first_pages)
    return issues


def build_records(rows: list[Row], leads: LeadList, settings: Settings) -> tuple[list[Record], list[Issue]]:
    """Repaired rows -> records in the JSON contract, with a warning for every cell the
    rules could not settle."""
    has = set(rows[0].cells) if rows else set()
    issues: list[Issue] = []
    records: list[Record] = []
    for n, row in enumerate(rows, 1):
        rec = cast(Record, dict.fromkeys(RECORD_FIELDS))
        item = split_item(row.cells.get("item")) if "item" in has else str(n)
        rec["item"] = cast(str, item)  # None only until validation fails the record for it
        label = item or f"row {n}"
        pages = row.pages

        def warn(code: str, message: str, fld: str | None = None, label: str = label, page: int = pages[0]) -> None:
            issues.append(Issue(code, message, item=label, field=fld, page=page))

        # a missing item or a paragraph that is no number is the validator's to report
        rec["inspection_para"], rec["inspection_para_refs"], _ = split_inspection_para(row.cells.get("inspection_para"))
        for fld in ("business_plan_ref", "area_for_improvement", "lead", "action", "by_when", "progress",
                    "monitoring", "evidence_of_impact"):
            rec[fld] = _none_if_empty(row.cells.get(fld))
        if rec["by_when"]:
            rec["by_when"] = rejoin_month_fragments(rec["by_when"])
        due = split_by_when(rec["by_when"])
        rec["due_dates"], rec["due"] = due.dates, due.due
        if due.unparsed:
            warn("date-unparsed", f"could not read a date in {due.unparsed!r}", "by_when")
        rag_text = row.cells.get("rag") if "rag" in has else None
        rag = resolve_rag(rag_text, row.fill if "rag" in has else None)
        rec["rag"], rec["rag_raw"] = rag.value, _none_if_empty(rag_text)
        if rag.problem:
            warn("rag-unsettled", rag.problem, "rag")
        lead = match_lead(rec["lead"], leads, settings.lead_threshold)
        rec["lead_canonical"] = lead.canonical
        if lead.review:
            warn("lead-low-confidence", lead.review, "lead")
        rec["source_pages"] = pages
        rec["source_boxes"] = [{"page": p.page, "bbox": [round(v, 1) for v in p.box]}
                               for p in row.pieces if p.box is not None]
        rec["extra"] = {c.split(":", 1)[1]: v for c, v in row.cells.items() if c.startswith("extra:") and v}
        records.append(rec)
    return records, issues
