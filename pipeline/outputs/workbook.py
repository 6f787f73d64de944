"""The analyst's workbook: Summary, one sheet per plan, and a Review sheet of warnings.

It must look finished when opened cold: readable headers, wrapped text, widths that fit,
header row frozen, filters on, real dates, RAG cells coloured.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from actionplan.pipeline.core import PlanTable, Result
from actionplan.pipeline.outputs.tabular import extra_headers, is_dangerous
from actionplan.schemas.contract import SPEC, Record
from actionplan.schemas.issues import STRUCTURAL
from actionplan.schemas.records import as_date, due_date, overdue

RAG_COLOURS = {"R": ("FF0000", "FFFFFF"), "A": ("FFC000", "000000"), "G": ("00B050", "FFFFFF"),
               "B": ("0070C0", "FFFFFF")}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# the record's keys in the order an analyst reads them, the first deadline beside the last;
# headers and widths come from the record's definition
SHEET_ORDER: tuple[str, ...] = (
    "item", "inspection_para", "inspection_para_refs", "business_plan_ref", "area_for_improvement",
    "lead_canonical", "lead", "action", "by_when", "first_due", "due", "progress", "rag", "rag_raw",
    "monitoring", "evidence_of_impact", "source_pages",
)
# (record key, header, width); a column appears only where the plan has it
PLAN_COLUMNS: tuple[tuple[str, str, float], ...] = tuple(
    (k, "Original due", 12) if k == "first_due" else (k, SPEC[k].label, SPEC[k].width) for k in SHEET_ORDER)
_ALWAYS = {"item", "lead_canonical", "action", "first_due", "due", "rag"}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
RESERVED = {"summary", "review"}


def sheet_name(title: str | None, fallback: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    base = _SHEET_BAD.sub(" ", title or fallback)
    base = re.sub(r"\s+", " ", base).strip().strip("'") or fallback
    if len(base) > 31:  # cut at a word, not inside one
        cut = base[:32].rsplit(" ", 1)[0] if " " in base[:32] else base[:31]
        base = cut.rstrip(" -–—,;.") or base[:31]
    name, n = base, 2
    while name.lower() in taken or name.lower() in RESERVED:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)].strip() + suffix, n + 1
    taken.add(name.lower())
    return name


def put_cell(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if is_dangerous(value):
            # shown as text, never run as a formula; the JSON keeps the exact text
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def header_row(ws: Worksheet, headers: Sequence[tuple[str, float]]) -> None:
    for c, (text, width) in enumerate(headers, 1):
        cell = put_cell(ws, 1, c, text)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"


def print_setup(ws: Worksheet, title_rows: str | None = "1:1") -> None:
    """Printed for a board meeting: landscape, one page wide (as many long as it takes),
    the header row on every page, the file name and page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.left.text = "&F - &A"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.print_options.gridLines = False


def finish_sheet(ws: Worksheet) -> None:
    if ws.max_row >= 1 and ws.max_column >= 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{max(ws.max_row, 2)}"
    print_setup(ws)


def _plan_columns(table: PlanTable) -> list[tuple[str, str, float]]:
    mapped = {c["field"] for c in table.columns if c["field"]}
    present = {k for r in table.records for k, v in r.items() if v not in (None, [], {}, "")}
    cols = []
    for key, header, width in PLAN_COLUMNS:
        source = {"first_due": "due_dates", "due": "due_dates", "lead_canonical": "lead"}.get(key, key)
        if key in _ALWAYS or source in mapped or key in present:
            if key == "inspection_para_refs" and key not in present:
                continue
            cols.append((key, header, width))
    return cols


def date_format(iso: Any) -> str:
    """A date shown as the plan states it, the same on every sheet: to the day, or the month
    alone ("Nov 2015", never "01/11/2015" for "November 2015")."""
    return "dd/mm/yyyy" if isinstance(iso, str) and len(iso) == 10 else "mmm yyyy"


def _value(record: Record, key: str) -> Any:
    if key == "first_due":
        return as_date(record["due_dates"][0]) if record.get("due_dates") else None
    if key == "due":
        return due_date(record)
    value = record.get(key)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or None
    return value


def _plan_sheet(ws: Worksheet, table: PlanTable) -> None:
    cols = _plan_columns(table)
    extras = extra_headers(table.records)
    header_row(ws, [(h, w) for _, h, w in cols] + [(h, 24) for h in extras])
    for r, record in enumerate(table.records, 2):
        for c, (key, _, _) in enumerate(cols, 1):
            cell = put_cell(ws, r, c, _value(record, key))
            if key in ("first_due", "due") and cell.value is not None:
                cell.number_format = date_format(record["due_dates"][0] if key == "first_due" else record.get("due"))
                cell.alignment = TOP
            elif key == "rag" and record["rag"] in RAG_COLOURS:
                rag_style(cell, record["rag"])
            else:
                cell.alignment = WRAP
        for c, h in enumerate(extras, len(cols) + 1):
            put_cell(ws, r, c, (record.get("extra") or {}).get(h)).alignment = WRAP
        ws.row_dimensions[r].height = _row_height(ws, r)
    ws.row_dimensions[1].height = _row_height(ws, 1)
    finish_sheet(ws)


def _row_height(ws: Worksheet, row: int) -> float:
    """Room for the wrapped text, since neither Excel nor LibreOffice measures it on open."""
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = ws.column_dimensions[cell.column_letter].width or 10
            per_line = max(1.0, width * 1.15)
            lines = max(lines, sum(math.ceil(max(len(part), 1) / per_line) for part in cell.value.split("\n")))
    return min(409.0, 15.0 * lines + 3)


def rag_style(cell: Any, letter: Any) -> None:
    """A rating cell in its colour (nothing for no rating or an unknown one)."""
    if letter in RAG_COLOURS:
        fill, font = RAG_COLOURS[letter]
        cell.fill, cell.font = PatternFill("solid", fgColor=fill), Font(bold=True, color=font)
        cell.alignment = Alignment(horizontal="center", vertical="top")


def _summary_sheet(ws: Worksheet, result: Result, sheets: dict[str, str], as_of: date) -> None:
    for col, width in zip("ABCDEFGHI", (48, 34, 11, 11, 8, 8, 8, 10, 10)):
        ws.column_dimensions[col].width = width
    rows: list[list[Any]] = [
        ["Source file", result.source.name],
        ["SHA-256", result.sha256],
        ["Pages", result.page_count],
        ["Overdue as of", as_of],
        ["Warnings to review (Review sheet)", len(result.warnings)],
        [],
        ["Plan", "Sheet", "Records", "Overdue", "R", "A", "G", "B", "No rating"],
    ]
    heads = {len(rows)}
    for t in result.tables:
        rags = Counter(r.get("rag") for r in t.records)
        rows.append([t.title or t.id, sheets[t.id], len(t.records), sum(overdue(r, as_of) for r in t.records),
                     rags["R"], rags["A"], rags["G"], rags["B"], rags[None]])
    rows += [[], ["Lead", "Plan", "Records", "Overdue", "R", "A", "G", "B", "No rating"]]
    heads.add(len(rows))
    for t in result.tables:
        by_lead: dict[str, list[Record]] = {}
        for r in t.records:
            for lead in r.get("lead_canonical") or ["(none)"]:
                by_lead.setdefault(lead, []).append(r)
        for lead, recs in sorted(by_lead.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            rags = Counter(r.get("rag") for r in recs)
            rows.append([lead, t.title or t.id, len(recs), sum(overdue(r, as_of) for r in recs),
                         rags["R"], rags["A"], rags["G"], rags["B"], rags[None]])
    rows += [[], ["Overdue action", "Plan", "Item", "Latest due", "RAG", "Lead"]]
    heads.add(len(rows))
    formats = {4: "dd/mm/yyyy"}  # row -> the format of its date: "Overdue as of" is a day
    for t in result.tables:
        for r in t.records:
            if overdue(r, as_of):
                action = r.get("action") or ""
                rows.append([action if len(action) <= 60 else action[:57].rstrip() + "...", t.title or t.id,
                             r["item"], due_date(r), r.get("rag"), "; ".join(r.get("lead_canonical") or [])])
                formats[len(rows)] = date_format(r.get("due"))
    for i, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = put_cell(ws, i, c, value)
            cell.alignment = TOP
            if isinstance(value, date):
                cell.number_format = formats.get(i, "dd/mm/yyyy")
                cell.alignment = Alignment(horizontal="left", vertical="top")
            if i in heads or (c == 1 and i <= 5):
                cell.font = BOLD
            if i in heads:
                cell.fill = HEADER_FILL
            if c == 5 and i not in heads and row[0] and len(row) == 6:
                rag_style(cell, value)
    plan_head, lead_head, _ = sorted(heads)
    _charts(ws, plan_head, len(result.tables), lead_head, rows)
    print_setup(ws, None)


def _charts(ws: Worksheet, plan_head: int, n_plans: int, lead_head: int, rows: list[list[Any]]) -> None:
    """What people would rather look at than read, beside the tables they come from:
    ratings per plan (stacked, in RAG colours) and overdue actions per lead."""
    from openpyxl.chart import BarChart, Reference

    if n_plans:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title, chart.y_axis.title = "Ratings per plan", "Actions"
        data = Reference(ws, min_col=5, max_col=8, min_row=plan_head, max_row=plan_head + n_plans)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=plan_head + 1, max_row=plan_head + n_plans))
        for series, letter in zip(chart.series, "RAGB"):
            series.graphicalProperties.solidFill = RAG_COLOURS[letter][0]
        chart.height, chart.width = 7.5, 16  # cm: about 15 rows
        ws.add_chart(chart, "K1")
    leads = 0
    while lead_head + leads < len(rows) and rows[lead_head + leads]:
        leads += 1
    if leads:
        chart = BarChart()
        chart.type = "bar"
        chart.title, chart.y_axis.title, chart.legend = "Overdue actions per lead", "Overdue", None
        chart.add_data(Reference(ws, min_col=4, min_row=lead_head, max_row=lead_head + leads), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=lead_head + 1, max_row=lead_head + leads))
        chart.series[0].graphicalProperties.solidFill = RAG_COLOURS["R"][0]
        chart.height, chart.width = 4 + 0.5 * leads, 16
        ws.add_chart(chart, f"K{max(lead_head, 17)}")  # below the ratings chart


def _review_sheet(ws: Worksheet, result: Result, titles: dict[str, str]) -> None:
    cols = [("Plan", 30), ("Item", 7), ("Field", 16), ("Page", 6), ("Code", 20), ("What and why", 90)]
    header_row(ws, cols)
    # doubts about the table's structure first: a whole plan may be wrong, not one cell
    ordered = sorted(result.warnings, key=lambda w: w.code not in STRUCTURAL)
    for r, w in enumerate(ordered, 2):
        values = [titles.get(w.table or "", w.table), w.item, w.field, w.page, w.code, w.message]
        for c, value in enumerate(values, 1):
            put_cell(ws, r, c, value).alignment = WRAP
    finish_sheet(ws)


def build_workbook(result: Result, as_of: date | None = None) -> Workbook:
    as_of = as_of or (result.settings.as_of if result.settings else date.today())
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    taken = set(RESERVED)
    sheets = {t.id: sheet_name(t.title, t.id, taken) for t in result.tables}
    for t in result.tables:
        _plan_sheet(wb.create_sheet(sheets[t.id]), t)
    _review_sheet(wb.create_sheet("Review"), result, {t.id: t.title or t.id for t in result.tables})
    _summary_sheet(summary, result, sheets, as_of)
    return wb
