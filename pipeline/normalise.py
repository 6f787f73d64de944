"""The normalisers in order, from the structure stage's plans to records in the JSON contract."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from actionplan.normalisers.dates import split_by_when
from actionplan.normalisers.fields import (
    ITEM_ID,
    carry_down,
    clean_text_columns,
    mend_ocr_items,
    split_inspection_para,
    split_item,
)
from actionplan.normalisers.leads import LeadList, find_abbreviations, group_leads, match_lead, titles_run_together
from actionplan.normalisers.model import Row
from actionplan.normalisers.rag import rag_from_fill, rag_from_shade, resolve_rag, shaded_grey
from actionplan.normalisers.text import Vocabulary
from actionplan.pipeline.settings import Settings
from actionplan.schemas.contract import RECORD_FIELDS, Record
from actionplan.schemas.issues import Issue
from actionplan.structure import Structure
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
        due = split_by_when(rec["by_when"])
        rec["by_when"] = due.text or rec["by_when"]
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
        if (two := titles_run_together(rec["lead"], leads)) is not None:
            warn("record-looks-merged", f"the lead names two titles with nothing between them ({two[0]!r}, "
                 f"{two[1]!r}): rows may have been merged into this record", "lead")
        rec["source_pages"] = pages
        rec["source_boxes"] = [{"page": p.page, "bbox": [round(v, 1) for v in p.box]}
                               for p in row.pieces if p.box is not None]
        rec["extra"] = {c.split(":", 1)[1]: v for c, v in row.cells.items() if c.startswith("extra:") and v}
        records.append(rec)
    return records, issues


@dataclass
class NormalisedPlan:
    """One plan's records and what the normalisers doubted."""

    id: str
    plan: Plan
    rows: list[Row]  # one a record, cells cleaned, "same as above" filled in
    records: list[Record]
    issues: list[Issue]
    ocr: bool = False  # some of its pages were read by OCR
    mended: list[str] = field(default_factory=list)  # OCR'd item numbers as first read, before mending


def plan_id(title: str | None, n: int, taken: set[str]) -> str:
    """A short id from the plan's title, unique in the file ("plan-2" without a title)."""
    base = ""
    for word in re.findall(r"[a-z0-9]+", (title or "").lower()):
        if len(base) + len(word) + 1 > 40:
            break
        base = f"{base}-{word}" if base else word
    base = base or f"plan-{n}"
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base}-{k}", k + 1
    taken.add(slug)
    return slug


def mend_items(records: list[Record], accounted: list[str]) -> list[Issue]:
    """A scanned plan's item numbers misread by one character, mended from their
    neighbours; each mending is a warning, and the number as read stays accounted for."""
    out = []
    for k, read, meant in mend_ocr_items([r["item"] for r in records]):
        records[k]["item"] = meant
        accounted.append(read)
        pages = records[k]["source_pages"]
        out.append(Issue("ocr-item-mended", f"item number read as {read!r} between its neighbours: taken as "
                         f"{meant!r}; check it", item=meant, field="item", page=pages[0] if pages else None))
    return out


def _first_page(rec: Record) -> int | None:
    pages = rec["source_pages"]
    return pages[0] if pages else None


LEAD_LIST_MIN = 3  # leads a plan needs before "the list matches none of them" says anything


def lead_list_matches_none(records: list[Record], issues: list[Issue]) -> list[Issue]:
    """A lead list that matches none of a plan's leads is the wrong file (another council's,
    another service's), not a hundred doubtful leads: one warning for the plan instead of
    one per record."""
    led = [r for r in records if r.get("lead")]
    doubted = {i.item for i in issues if i.code == "lead-low-confidence"}
    if len(led) < LEAD_LIST_MIN or any(r["item"] not in doubted for r in led):
        return issues
    first = next((p for r in led for p in r["source_pages"][:1]), None)
    kept = [i for i in issues if i.code != "lead-low-confidence"]
    return [*kept, Issue("lead-list-unmatched", f"the lead list matches none of this plan's {len(led)} leads "
                         "(wrong file?): each is kept as printed, as its own canonical title; check --leads",
                         field="lead", page=first)]


def tell_misread_items_apart(records: list[Record]) -> list[Issue]:
    """Item cells that do not read as item numbers ("Action", "Recom": the number went to
    another row or column) can repeat; they are the reader's misreading, already flagged
    (`item-not-a-number`), so the file still converts: the second is told apart ("Action
    (2)"), with a structural warning naming where each is."""
    seen: dict[str, list[int]] = {}
    for k, rec in enumerate(records):
        if rec["item"] and not ITEM_ID.match(rec["item"]):
            seen.setdefault(rec["item"], []).append(k)
    out = []
    taken = {r["item"] for r in records}
    for item, where in seen.items():
        if len(where) < 2:
            continue
        pages = [str(_first_page(records[k]) or "?") for k in where]
        for n, k in enumerate(where[1:], 2):
            label = f"{item} ({n})"
            while label in taken:
                label += "'"
            taken.add(label)
            records[k]["item"] = label
        out.append(Issue("item-misread-twice", f"the item cell {item!r}, which is no item number, is read on pages "
                         f"{', '.join(pages)}: told apart as {item!r}, '{item} (2)'...; the rows there were cut or "
                         "joined wrongly", item=item, field="item", page=_first_page(records[where[0]])))
    return out


def read_on_shades(records: list[Record], rows: list[Row]) -> dict[int, tuple[tuple[float, float, float], str]]:
    """Record index -> (its cell's fill, the rating its letter gave): what a shade is learnt from."""
    return {k: (row.fill, rec["rag"]) for k, (rec, row) in enumerate(zip(records, rows))
            if rec["rag"] is not None and rec["rag_raw"] and row.fill is not None}


def fill_unread_ratings(records: list[Record], rows: list[Row], ocr: bool,
                        elsewhere: Sequence[tuple[tuple[float, float, float], str]] = ()) -> list[Issue]:
    """Ratings the rules left blank where the cell shows something: a shaded cell takes the
    rating of the cells of its shade whose letter was read (`rag-from-shade`), on a scan also
    where what was read of it is no rating ('fR', a speck before the letter); there, a letter
    read on a cell shaded like the cells of another rating is doubted (`rag-unsettled`); a
    record whose rating could not be read at all says so (`rag-unread`), as does a blank in
    a plan that rates most of its records (`rag-blank`). Never a blank rating in silence
    where the page may show one. `elsewhere`: the shades and letters read in the document's
    other plans (a shade means the same rating throughout a document)."""
    read = read_on_shades(records, rows)
    known = [*read.values(), *elsewhere]
    # a plan that rates most of its records rates them all: a blank there is one unread
    rated = sum(1 for rec in records if rec["rag"] is not None)
    most_rated = bool(rows) and rows[0].has("rag") and 2 * rated > len(records)
    out = []
    for k, (rec, row) in enumerate(zip(records, rows)):
        page = _first_page(rec)
        if rec["rag"] is not None:
            if ocr and k in read and rag_from_fill(row.fill) is None:  # a born-digital grey is design, not a rating
                shade = rag_from_shade([*(v for j, v in read.items() if j != k), *elsewhere], row.fill)
                if shade is not None and shade != rec["rag"]:
                    out.append(Issue("rag-unsettled", f"the text reads {rec['rag']} but the cell is shaded like the "
                                     f"cells rated {shade}: check it", item=rec["item"], field="rag", page=page))
            continue
        if rec["rag_raw"] and not ocr:
            continue  # text the rules reported as unsettled: born digital, it is what the cell says
        shade = rag_from_shade(known, row.fill)
        if shade is not None:
            rec["rag"] = shade
            said = f"what was read of it ({rec['rag_raw']!r}) is no rating" if rec["rag_raw"] else \
                "no rating letter could be read"
            out.append(Issue("rag-from-shade", f"{said}; the cell is shaded like the cells rated {shade}: taken as "
                             f"{shade}, check it", item=rec["item"], field="rag", page=page))
        elif rec["rag_raw"]:
            continue  # text the rules reported as unsettled
        elif ocr or (row.fill is not None and rag_from_fill(row.fill) is None and shaded_grey(row.fill)):
            out.append(Issue("rag-unread", "the rating could not be read" + (" (a scan)" if ocr else
                             ": the cell is shaded in no rating colour"), item=rec["item"], field="rag", page=page))
        elif most_rated:
            out.append(Issue("rag-blank", f"no rating, where {rated} of the plan's {len(records)} records have one: "
                             "check the cell (blank, or a colour or mark the reader does not know)",
                             item=rec["item"], field="rag", page=page))
    return out


def normalise_plans(found: Structure, settings: Settings, lead_list: LeadList | None = None,
                    ocr_pages: Sequence[int] = ()) -> list[NormalisedPlan]:
    """Every plan's rows as records: cells cleaned, values carried down, leads matched
    (against `lead_list`, or among the document's own leads), dates and ratings read."""
    from actionplan.normalisers.text import clean_cell

    repaired = [repair_rows(plan, found.vocab, settings) for plan in found.plans]
    leads = prepare_leads(repaired, settings, [clean_cell(t, found.vocab) for t in found.texts], lead_list)
    taken: set[str] = set()
    out = []
    for n, (plan, rows) in enumerate(zip(found.plans, repaired), 1):
        table_id = plan_id(plan.title, n, taken)
        records, issues = build_records(rows, leads, settings)
        if lead_list is not None or settings.leads is not None:
            issues = lead_list_matches_none(records, issues)
        issues += tell_misread_items_apart(records)
        done = NormalisedPlan(table_id, plan, rows, records, issues, ocr=bool(set(plan.pages) & set(ocr_pages)))
        if done.ocr:
            done.issues += mend_items(records, done.mended)
        out.append(done)
    shades = [list(read_on_shades(d.records, d.rows).values()) for d in out]
    for n, done in enumerate(out):
        if "rag" in done.plan.columns.mapped:
            elsewhere = [s for m, some in enumerate(shades) if m != n for s in some]
            done.issues += fill_unread_ratings(done.records, done.rows, done.ocr, elsewhere)
    return out
