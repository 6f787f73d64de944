"""The collection's workbook: a Summary across plans and every record of every plan on one sheet.

Written in openpyxl's write-only mode: a thousand plans are some 80,000 rows, which the
ordinary mode would hold in memory cell by cell. The look is the plan workbook's (bold
grey header, frozen, filters, wrapped text, real dates, RAG fills, printed landscape one
page wide), made from the same helpers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from copy import copy
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from actionplan.pipeline.outputs.tabular import is_dangerous
from actionplan.pipeline.outputs.workbook import (
    BOARD,
    BOLD,
    HEADER_FILL,
    PLAN_COLUMNS,
    TOP,
    WRAP,
    _rag_look,
    date_format,
    fit_for_print,
    print_setup,
    wrapped_lines,
)
from actionplan.schemas.records import as_date

if TYPE_CHECKING:
    from actionplan.pipeline.collection import Collection

EXCEL_ROWS = 1_048_576
CHART_LEADS = 20  # the charts show the leads with the most actions
RIGHT = Alignment(horizontal="right", vertical="top")
LEFT = Alignment(horizontal="left", vertical="top")
# the Records sheet: where a record comes from, then the plan sheet's columns, then whether it is overdue
SOURCE_COLUMNS: tuple[tuple[str, str, float], ...] = (("file", "File", 24), ("plan", "Plan", 30))
RECORD_COLUMNS: tuple[tuple[str, str, float], ...] = (
    *SOURCE_COLUMNS, *PLAN_COLUMNS, ("overdue", "Overdue", 9), ("extra", "Extra", 24))
_DATES = {"first_due", "due"}


class _Looks:
    """Each cell style made once and copied: a style set on a cell is looked up in the
    workbook's style lists by hash every time, which over 80,000 rows was most of the
    workbook's cost; a copy of one made before is not."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.made: dict[Any, Any] = {}

    def cell(self, value: Any, alignment: Alignment, fill: Any = None, font: Any = None,
             number_format: str = "") -> Any:
        key = (id(alignment), id(fill), id(font), number_format)
        if key not in self.made:
            model = WriteOnlyCell(self.ws)
            model.alignment = alignment
            if fill is not None:
                model.fill = fill
            if font is not None:
                model.font = font
            if number_format:
                model.number_format = number_format
            self.made[key] = model._style
        if isinstance(value, str):
            # text is stored as it is (openpyxl's value setter would test its type again,
            # and read a leading "=" as a formula): the cheapest cell there is, 80,000 times
            cell = WriteOnlyCell(self.ws)
            cell._value, cell.data_type = ILLEGAL_CHARACTERS_RE.sub("", value), "s"
        else:
            cell = WriteOnlyCell(self.ws, value)
        cell._style = copy(self.made[key])
        if isinstance(value, str) and is_dangerous(value):
            cell.data_type, cell.quotePrefix = "s", True
        return cell


def _header(looks: _Looks, texts: Sequence[str], alignment: Alignment = WRAP) -> list[Any]:
    return [looks.cell(t, alignment, HEADER_FILL, BOLD) for t in texts]


def _height(texts: Sequence[tuple[str, float]]) -> float:
    lines = max([1, *(wrapped_lines(t, w) for t, w in texts)])
    return 15.0 if lines == 1 else min(409.0, 15.0 * lines + 3)


def _value(row: dict[str, Any], key: str) -> Any:
    if key == "first_due":
        return as_date(row["due_dates"][0]) if row.get("due_dates") else None
    if key == "due":
        return as_date(row.get("due"))
    if key == "overdue":
        return "yes" if row.get("overdue") else None
    value = row.get(key)
    if key == "extra":
        return "; ".join(f"{k}: {v}" for k, v in (value or {}).items()) or None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or None
    return value


def _records_sheet(wb: Workbook, col: Collection) -> None:
    """Every record, with its file and plan (as many as Excel's rows hold: the Summary says
    how many did not fit)."""
    ws = wb.create_sheet("Records")
    present = {k for r in col.records for k, v in r.items() if v not in (None, "", [], {})}
    cols = [c for c in RECORD_COLUMNS if c[0] in ("file", "plan", "item", "action", "due", "rag", "lead_canonical")
            or c[0] in present or (c[0] == "first_due" and "due_dates" in present)]
    printed = sum(k in BOARD or k in ("file", "plan") for k, _, _ in cols)
    widths = fit_for_print([w for _, _, w in cols[:printed]]) + [w for _, _, w in cols[printed:]]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = round(width, 1)
    ws.freeze_panes = "C2"  # the header row, and the file and plan beside every record
    files, plans = col.by_id("files"), col.by_id("plans")
    ws.row_dimensions[1].height = _height([(h, w - 2.5) for (_, h, _), w in zip(cols, widths)])
    room = EXCEL_ROWS - 1
    last = get_column_letter(len(cols))
    rows = min(len(col.records), room) + 1
    ws.auto_filter.ref = f"A1:{last}{max(rows, 2)}"
    # before the first row: a write-only sheet writes its properties (fit to the page) with it
    print_setup(ws, areas=[f"A1:{get_column_letter(printed)}{rows}"] if printed < len(cols) else [])
    looks = _Looks(ws)
    ws.append(_header(looks, [h for _, h, _ in cols]))
    for n, raw in enumerate(col.records[:room], 2):
        row = dict(raw)
        row["file"], row["plan"] = files[raw["file_id"]]["name"], plans[raw["plan_id"]]["title"] or plans[
            raw["plan_id"]]["key"]
        cells: list[Any] = []
        texts: list[tuple[str, float]] = []
        for (key, _, _), width in zip(cols, widths):
            value = _value(row, key)
            if value is None:  # an empty cell is not written (a styled one is, 80,000 times over)
                cells.append(None)
                continue
            if key in _DATES:
                fmt = date_format(row["due_dates"][0] if key == "first_due" else row.get("due"))
                cell = looks.cell(value, TOP, number_format=fmt)
            elif key == "rag":
                fill, font, alignment = _rag_look(value)
                cell = looks.cell(value, alignment, fill, font)
            else:
                cell = looks.cell(value, WRAP)
                if isinstance(value, str):
                    texts.append((value, width))
            cells.append(cell)
        ws.row_dimensions[n].height = _height(texts)
        ws.append(cells)


def _lead_rows(col: Collection) -> list[list[Any]]:
    records = col.by_id("records")
    by_lead: dict[str, list[dict[str, Any]]] = {}
    for link in col.record_leads:
        if link["canonical"]:
            by_lead.setdefault(link["lead"], []).append(records[link["record_id"]])
    led = {link["record_id"] for link in col.record_leads if link["canonical"]}
    unmatched = [r for r in col.records if r["id"] not in led]
    if unmatched:
        by_lead["(no lead from the lead list)"] = unmatched
    rows = []
    for lead, recs in sorted(by_lead.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        rags = Counter(r.get("rag") for r in recs)
        rows.append([lead, len({r["plan_id"] for r in recs}), len(recs), sum(r["overdue"] for r in recs),
                     rags["R"], rags["A"], rags["G"], rags["B"], rags[None]])
    return rows


def _summary_sheet(wb: Workbook, col: Collection, cut: int) -> None:
    ws = wb.create_sheet("Summary")
    for i, width in enumerate((40, 34, 9, 9, 7, 7, 7, 7, 10), 1):  # name, file or plans, counts
        ws.column_dimensions[get_column_letter(i)].width = width
    files = col.by_id("files")
    facts: list[list[Any]] = [
        ["Files", len(col.files)],
        ["Plans", len(col.plans)],
        ["Records", len(col.records)],
        ["Overdue as of", col.as_of],
        ["Overdue actions", sum(r["overdue"] for r in col.records)],
        ["Warnings (each file's Review sheet)", len(col.warnings)],
    ]
    if cut:
        facts.append(["Records not on the Records sheet (Excel's row limit)", cut])
    rows: list[tuple[str, list[Any]]] = [("fact", f) for f in facts]
    rows += [("gap", []), ("head", ["Plan", "File", "Records", "Overdue", "R", "A", "G", "B", "No rating"])]
    for p in col.plans:
        rows.append(("plan", [p["title"] or p["key"], files[p["file_id"]]["name"], p["records"], p["overdue"],
                              p["red"], p["amber"], p["green"], p["blue"], p["unrated"]]))
    rows += [("gap", []), ("head", ["Lead", "Plans", "Records", "Overdue", "R", "A", "G", "B", "No rating"])]
    lead_head = len(rows)
    leads = _lead_rows(col)
    rows += [("lead", r) for r in leads]
    failed = [f for f in col.files if f["json"] is None]
    if failed:
        rows += [("gap", []), ("head", ["File not in the collection", "Why"])]
        rows += [("failed", [f["name"], f["error"] or f["status"]]) for f in failed]
    charts = _charts(ws, lead_head, min(len(leads), CHART_LEADS))
    print_setup(ws, None, areas=[f"A1:I{len(rows)}", *charts])  # before the first row, as above
    looks = _Looks(ws)
    for n, (kind, values) in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(values, 1):
            if kind == "head":  # a count's heading over its numbers
                cell = _header(looks, [value], RIGHT if c >= 3 and len(values) > 2 else WRAP)[0]
            elif kind == "fact":
                cell = looks.cell(value, LEFT, font=BOLD if c == 1 else None,
                                  number_format="dd/mm/yyyy" if hasattr(value, "isoformat") else "")
            else:
                cell = looks.cell(value, WRAP if isinstance(value, str) else TOP)
            cells.append(cell)
        texts = [(v, w) for v, w in zip(values, (40, 34)) if isinstance(v, str)]
        ws.row_dimensions[n].height = _height(texts)
        ws.append(cells)


def _charts(ws: Any, head: int, n: int) -> list[str]:
    """Ratings and overdue actions per lead (the leads with the most actions), side by side."""
    from actionplan.pipeline.outputs.workbook import CHART_CM, overdue_chart, ratings_chart

    if not n:
        return []
    ratings = ratings_chart(ws, "Ratings per lead, across plans", head, n)
    overdue = overdue_chart(ws, "Overdue actions per lead, across plans", head, n)
    height = min(14.0, 4 + 0.5 * n)
    for chart, anchor in ((ratings, "L1"), (overdue, "T1")):
        chart.height, chart.width = height, CHART_CM
        ws.add_chart(chart, anchor)
    return [f"L1:AA{int(height * 72 / 2.54 / 15) + 2}"]


def build_collection_workbook(col: Collection) -> Workbook:
    """Summary first, then Records; returned unsaved (write-only: it can be saved once)."""
    wb = Workbook(write_only=True)
    _summary_sheet(wb, col, cut=max(0, len(col.records) - (EXCEL_ROWS - 1)))
    _records_sheet(wb, col)
    return wb
