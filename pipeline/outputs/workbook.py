"""The analyst's workbook: Summary, one sheet per plan, and a Review sheet of warnings.

It must look finished when opened cold: readable headers, wrapped text, widths that fit,
header row frozen, filters on, real dates, RAG cells coloured.
"""

from __future__ import annotations

import functools
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
from actionplan.pipeline.outputs.tabular import cut_at_word, extra_headers, is_dangerous
from actionplan.schemas.contract import SPEC, Record
from actionplan.schemas.issues import STRUCTURAL
from actionplan.schemas.records import as_date, due_date, overdue

RAG_COLOURS = {"R": ("FF0000", "FFFFFF"), "A": ("FFC000", "000000"), "G": ("00B050", "FFFFFF"),
               "B": ("0070C0", "FFFFFF")}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
FONT_NAME = "Calibri"  # the workbook's own font, named on every styled cell: a font left
# unnamed is whatever the spreadsheet falls back to (LibreOffice: a serif)
BOLD = Font(name=FONT_NAME, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# what a board reads of a plan, first and printed; the rest follows on the screen only
# (item, area, lead, action, latest deadline, progress, rating)
BOARD: tuple[str, ...] = ("item", "area_for_improvement", "lead_canonical", "action", "due", "progress", "rag")
# the record's keys in the order an analyst reads them: the board's columns, then what was
# printed and read besides (the first deadline, the text as written); headers and widths
# come from the record's definition
SHEET_ORDER: tuple[str, ...] = (
    *BOARD, "inspection_para", "inspection_para_refs", "business_plan_ref", "lead", "by_when", "first_due",
    "rag_raw", "monitoring", "evidence_of_impact", "source_pages",
)
# printing: A4 landscape inside 0.4-inch side margins, and the smallest text on the paper
PRINT_WIDTH_PT = 842 - 2 * 0.4 * 72
PRINT_MIN_PT = 9.0  # at least 8 pt on the paper: room for Calc's wider columns and its rounded-down scale
FONT_PT = 11.0  # openpyxl's default font (Calibri 11): column widths are in its digits
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


def print_setup(ws: Worksheet, title_rows: str | None = "1:1", areas: Sequence[str] = ()) -> None:
    """Printed for a board meeting: landscape, one page wide (as many long as it takes),
    the header row on every page, the file name and page numbers in the footer. `areas`:
    the ranges printed (each starts a page), where not the whole sheet."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # the class's: a write-only sheet has none
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if areas:
        ws.print_area = list(areas)
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.left.text = "&F - &A"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.print_options.gridLines = False


def width_pt(width: float) -> float:
    """A column's width on the page at 100 %, in points: Excel's width is in digits of the
    default font (7 px each at 96 dpi, plus 5 px of padding)."""
    return (7 * width + 5) * 0.75


def fit_for_print(widths: Sequence[float], narrow: float = 16) -> list[float]:
    """Column widths whose sum prints one page wide with text at least PRINT_MIN_PT: the
    wide (text) columns give up width in proportion, the narrow ones (numbers, dates,
    ratings) keep theirs. Widths that fit already are kept."""
    budget = PRINT_WIDTH_PT * FONT_PT / PRINT_MIN_PT
    total = sum(width_pt(w) for w in widths)
    if total <= budget:
        return list(widths)
    fixed = sum(width_pt(w) for w in widths if w <= narrow)
    wide = sum(width_pt(w) for w in widths if w > narrow)
    factor = max(0.3, (budget - fixed) / wide) if wide else 1.0
    return [w if w <= narrow else (width_pt(w) * factor / 0.75 - 5) / 7 for w in widths]


def finish_sheet(ws: Worksheet, printed: int | None = None) -> None:
    """Filters over the table; the first `printed` columns (all by default) fitted to print
    one page wide at a readable size, the rest on the screen only; every row as tall as its
    wrapped text; the print setup."""
    if ws.max_row >= 1 and ws.max_column >= 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{max(ws.max_row, 2)}"
    n = min(printed or ws.max_column, ws.max_column)
    letters = [get_column_letter(c) for c in range(1, n + 1)]
    widths = [ws.column_dimensions[x].width or 10 for x in letters]
    for letter, width in zip(letters, fit_for_print(widths)):
        ws.column_dimensions[letter].width = round(width, 1)
    for r, cells in enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row), 1):
        ws.row_dimensions[r].height = row_height(ws, cells, button=r == 1)
    areas = [f"A1:{letters[-1]}{ws.max_row}"] if printed and n < ws.max_column else []
    print_setup(ws, areas=areas)


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
    finish_sheet(ws, printed=sum(key in BOARD for key, _, _ in cols))


# Calibri's advance widths in its digit's width (Excel's width unit): narrow and wide
# letters differ by three times, so counting characters misjudges capitals and "iiii"
_NARROW = dict.fromkeys("fijlrtI!'|.,:;()[]{}", 0.55)
_WIDE = dict.fromkeys("mwMW", 1.55) | dict.fromkeys("ABCDGHKNOPQRUVXY&%@", 1.15)
_SPACE = 0.45


@functools.lru_cache(maxsize=1 << 16)  # measured word by word, and words repeat
def text_units(text: str, bold: bool = False) -> float:
    """How wide a text prints, in widths of the font's digit."""
    units = sum(_NARROW.get(c) or _WIDE.get(c) or (_SPACE if c == " " else 1.0 if c.isdigit() or c.isupper()
                                                   else 0.9) for c in text)
    return units * (1.07 if bold else 1.0)


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines a cell of `width` (Excel's units) wraps `text` into, word by word as a
    spreadsheet wraps it (a word longer than the line is broken)."""
    room = max(1.0, width * 0.93 - 0.4)  # the cell's padding, and a spreadsheet's screen metrics (wider)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            w = text_units(word, bold)
            if used and used + _SPACE + w <= room:
                used += _SPACE + w
                continue
            if used:
                lines += 1
            extra = max(0, math.ceil(w / room) - 1)  # a word wider than the cell goes on over lines
            lines += extra
            used = w - extra * room
    return max(1, lines)


FILTER_BUTTON = 2.5  # a filter's drop-down button takes this much of a header cell (Excel's units)


def row_height(ws: Worksheet, cells: Sequence[Any], button: bool = False) -> float:
    """Room for the wrapped text of a row's `cells`, since neither Excel nor LibreOffice
    measures it on open: 15 pt a line of 11-pt text (Excel's; Calc's lines are 11.2 pt, so it
    gets slack). `button`: the row holds filter buttons, which narrow its cells. (The cells,
    not a row number: `ws[row]` looks over every cell of the sheet for its width.)"""
    lines = 1
    for cell in cells:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = (ws.column_dimensions[cell.column_letter].width or 10) - (FILTER_BUTTON if button else 0)
            lines = max(lines, wrapped_lines(cell.value, width, bool(cell.font and cell.font.b)))
    return 15.0 if lines == 1 else min(409.0, 15.0 * lines + 3)


def rag_style(cell: Any, letter: Any) -> None:
    """A rating cell in its colour (nothing for no rating or an unknown one)."""
    if letter in RAG_COLOURS:
        cell.fill, cell.font, cell.alignment = _rag_look(letter)


@functools.cache  # made once a rating: a style made again for every cell is hashed anew each time
def _rag_look(letter: str) -> tuple[PatternFill, Font, Alignment]:
    fill, font = RAG_COLOURS[letter]
    return (PatternFill("solid", fgColor=fill), Font(name=FONT_NAME, bold=True, color=font),
            Alignment(horizontal="center", vertical="top"))


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
    rows += [[], ["Overdue action", "Lead", "Item", "Latest due", "RAG", "Plan sheet"]]
    heads.add(len(rows))
    formats = {4: "dd/mm/yyyy"}  # row -> the format of its date: "Overdue as of" is a day
    for t in result.tables:
        for r in t.records:
            if overdue(r, as_of):
                rows.append([cut_at_word(r.get("action") or "", 80), "; ".join(r.get("lead_canonical") or []),
                             r["item"], due_date(r), r.get("rag"), sheets[t.id]])
                formats[len(rows)] = date_format(r.get("due"))
    counted = set(sorted(heads)[:2])  # the plan and lead tables: counts under every heading past the second
    for i, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = put_cell(ws, i, c, value)
            # names and titles wrap; a run of letters without a space (a checksum) does not
            cell.alignment = WRAP if isinstance(value, str) and c <= 2 and " " in value else TOP
            if isinstance(value, date):
                cell.number_format = formats.get(i, "dd/mm/yyyy")
                cell.alignment = Alignment(horizontal="left", vertical="top")
            if i in heads or (c == 1 and i <= 5):
                cell.font = BOLD
            if i in heads:
                cell.fill = HEADER_FILL
            if i <= 5 and c == 2:  # the file's facts read as a list, numbers too
                cell.alignment = Alignment(horizontal="left", vertical="top")
            if i in counted and c >= 3:  # a count's heading over its numbers
                cell.alignment = Alignment(horizontal="right", vertical="top")
            if c == 5 and i not in heads and row[0] and len(row) == 6:
                rag_style(cell, value)
    plan_head, lead_head, _ = sorted(heads)
    for i, cells in enumerate(ws.iter_rows(min_row=1, max_row=len(rows)), 1):
        ws.row_dimensions[i].height = row_height(ws, cells)
    charts = _charts(ws, plan_head, len(result.tables), lead_head, rows)  # sized over the rows' heights
    # the tables on the first printed page(s), each chart beside them on a page of its own
    print_setup(ws, None, areas=[f"A1:I{len(rows)}", *charts])


# two charts side by side print one page wide no wider than the tables (eight default
# columns, 13.5 cm, each)
CHART_CM = 13.0


def ratings_chart(ws: Worksheet, title: str, head: int, n: int) -> Any:
    """Ratings stacked in their colours: the R, A, G, B counts (columns E:H) of the `n` rows
    under the heading row `head`, named by column A."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title, chart.y_axis.title = title, "Actions"
    chart.add_data(Reference(ws, min_col=5, max_col=8, min_row=head, max_row=head + n), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=head + n))
    for series, letter in zip(chart.series, "RAGB"):
        series.graphicalProperties.solidFill = RAG_COLOURS[letter][0]
    return chart


def overdue_chart(ws: Worksheet, title: str, head: int, n: int) -> Any:
    """Overdue actions (column D) of the `n` rows under the heading row `head`, named by column A."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar"
    chart.title, chart.y_axis.title, chart.legend = title, "Overdue", None
    chart.add_data(Reference(ws, min_col=4, min_row=head, max_row=head + n), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=head + n))
    chart.series[0].graphicalProperties.solidFill = RAG_COLOURS["R"][0]
    return chart


def _charts(ws: Worksheet, plan_head: int, n_plans: int, lead_head: int, rows: list[list[Any]]) -> list[str]:
    """What people would rather look at than read, beside the tables they come from:
    ratings per plan (stacked, in RAG colours) and overdue actions per lead, side by side.
    Returns the range they cover, printed as a page of its own (charts one above the other
    would cross a page break, and a sheet's page break would cut the tables too)."""
    placed: list[float] = []  # each chart's height, cm
    if n_plans:
        chart = ratings_chart(ws, "Ratings per plan", plan_head, n_plans)
        chart.height, chart.width = 7.5, CHART_CM  # cm: about 15 rows, eight columns
        ws.add_chart(chart, "K1")
        placed.append(chart.height)
    leads = 0
    while lead_head + leads < len(rows) and rows[lead_head + leads]:
        leads += 1
    if leads:
        chart = overdue_chart(ws, "Overdue actions per lead", lead_head, leads)
        chart.height, chart.width = min(14, 4 + 0.5 * leads), CHART_CM  # cm: within a landscape page
        ws.add_chart(chart, "S1" if placed else "K1")  # right of the ratings chart
        placed.append(chart.height)
    if not placed:
        return []
    last = "Z" if len(placed) == 2 else "R"
    return [f"K1:{last}{_rows_for(ws, 1, max(placed))}"]


def _rows_for(ws: Worksheet, top: int, cm: float) -> int:
    """How many rows from `top` a chart `cm` tall covers (the rows' own heights)."""
    covered, n = 0.0, 0
    while covered < cm * 72 / 2.54:
        covered += ws.row_dimensions[top + n].height or 15.0
        n += 1
    return n


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
