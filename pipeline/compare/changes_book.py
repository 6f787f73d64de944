"""The changes between two versions as an analyst reads them: CSV, and a workbook with a
Changes sheet (old and new side by side) and a Summary (counts, leads, RAG transitions)."""

from __future__ import annotations

import csv
from collections import Counter
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from actionplan.pipeline.compare.diff import FLAGS, KIND_LABELS, KINDS, Change, Changes
from actionplan.pipeline.outputs.tabular import neutralise
from actionplan.pipeline.outputs.workbook import (
    BOLD,
    HEADER_FILL,
    TOP,
    WRAP,
    date_format,
    finish_sheet,
    header_row,
    print_setup,
    put_cell,
    rag_style,
    row_height,
)
from actionplan.schemas.contract import Record
from actionplan.schemas.records import due_date

KIND_FILLS = {"added": "E2EFDA", "removed": "FCE4D6", "changed": "FFF2CC", "renumbered": "DDEBF7",
              "unchanged": "EDEDED"}
# the fields shown side by side; every other changed field is listed by name
SIDE_BY_SIDE = (("rag", "RAG", 7), ("due", "Latest due", 12), ("progress", "Progress", 50))

# what a board reads of a change first, and printed; the rest follows on the screen only
# (the plan too: two plans' items share numbers)
PRINTED: tuple[tuple[str, float], ...] = (
    ("Plan", 16), ("Kind", 11), ("Flags", 22), ("Old item", 8), ("New item", 8), ("Action", 40),
    *((f"{side} {h}", width) for _, h, width in SIDE_BY_SIDE for side in ("Old", "New")),
)
COLUMNS: tuple[tuple[str, float], ...] = (
    *PRINTED, ("Lead", 26), ("Match", 7), ("Other fields changed", 40),
)


def _side(change: Change, key: str, which: str) -> Any:
    record = change.old if which == "old" else change.new
    if record is None:
        return None
    if key == "due":
        try:
            return due_date(cast(Record, record))  # as read back from the JSON contract
        except (TypeError, ValueError):
            return record.get("due")
    return record.get(key)


def _others(change: Change) -> str:
    shown = {k for k, _, _ in SIDE_BY_SIDE} | {"by_when"}
    parts = []
    for name, pair in change.fields.items():
        if name in shown:
            continue
        parts.append(f"{name}: {_short(pair['old'])} -> {_short(pair['new'])}")
    return "\n".join(parts)


def _short(value: Any, n: int = 80) -> str:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return text if len(text) <= n else text[: n - 3].rstrip() + "..."


def _row(change: Change) -> list[Any]:
    values: dict[str, Any] = {
        "Plan": change.plan or change.plan_id, "Kind": change.kind, "Flags": ", ".join(change.flags),
        "Old item": change.old_item, "New item": change.new_item,
        "Match": None if change.match is None else round(change.match, 2), "Lead": "; ".join(change.lead),
        "Action": change.action, "Other fields changed": _others(change)}
    for key, h, _ in SIDE_BY_SIDE:
        values[f"Old {h}"], values[f"New {h}"] = _side(change, key, "old"), _side(change, key, "new")
    return [values[h] for h, _ in COLUMNS]


def write_changes_csv(fh: Any, changes: Changes) -> None:
    """One row per change, UTF-8 with a BOM; fields and flags joined by "; "."""
    fh.write("\ufeff")
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(["plan", "plan_id", "kind", "old_item", "new_item", "flags", "fields", "match", "lead",
                     "action", "old_rag", "new_rag", "old_due", "new_due", "old_progress", "new_progress"])
    for c in changes.flagged:
        row = [c.plan, c.plan_id, c.kind, c.old_item, c.new_item, "; ".join(c.flags), "; ".join(c.fields),
               None if c.match is None else f"{c.match:.3f}", "; ".join(c.lead), c.action]
        for key in ("rag", "due", "progress"):
            row += [(c.old or {}).get(key), (c.new or {}).get(key)]
        writer.writerow(["" if v is None else neutralise(str(v)) for v in row])


def _changes_sheet(ws: Worksheet, changes: Changes) -> None:
    header_row(ws, COLUMNS)
    rag_cols = {i for i, (h, _) in enumerate(COLUMNS, 1) if h.endswith(" RAG")}
    due_cols = {i for i, (h, _) in enumerate(COLUMNS, 1) if h.endswith(" Latest due")}
    for r, change in enumerate(changes.flagged, 2):
        for c, value in enumerate(_row(change), 1):
            cell = put_cell(ws, r, c, value)
            cell.alignment = WRAP
            if COLUMNS[c - 1][0] == "Kind" and change.kind in KIND_FILLS:
                cell.fill = PatternFill("solid", fgColor=KIND_FILLS[change.kind])
            elif c in rag_cols:
                rag_style(cell, cell.value)
            elif c in due_cols and value is not None and not isinstance(value, str):
                side = change.old if COLUMNS[c - 1][0].startswith("Old") else change.new
                cell.number_format = date_format((side or {}).get("due"))
                cell.alignment = TOP
    finish_sheet(ws, printed=len(PRINTED))


UPRIGHT = Alignment(text_rotation=90, horizontal="center", vertical="bottom")


def _table(ws: Worksheet, top: int, header: list[str], rows: list[list[Any]], upright: bool = False) -> int:
    """A small table; `upright`: the headers of its count columns turned on their side, so
    fourteen counts and the names they count print on one page at a readable size."""
    for c, text in enumerate(header, 1):
        cell = put_cell(ws, top, c, text)
        cell.font, cell.fill = BOLD, HEADER_FILL
        if upright and c > 2:
            cell.alignment = UPRIGHT
    if upright:  # room for the longest turned header, in points (bold 11 pt: about 6.5 a letter)
        ws.row_dimensions[top].height = 12 + 6.5 * max(len(str(h)) for h in header[2:])
    for r, row in enumerate(rows, top + 1):
        cells = [put_cell(ws, r, c, value) for c, value in enumerate(row, 1)]
        for c, cell in enumerate(cells, 1):
            cell.alignment = WRAP if c <= 2 else TOP
        ws.row_dimensions[r].height = row_height(ws, cells)
    return top + len(rows) + 2


def _summary_sheet(ws: Worksheet, changes: Changes) -> None:
    for col, width in zip("ABCDEFGHIJKLMNOP", (40, 30, *([6] * 14))):
        ws.column_dimensions[col].width = width
    head = [("Old version", changes.old.file), ("New version", changes.new.file),
            ("Overdue as of", changes.as_of)]
    for r, (label, value) in enumerate(head, 1):
        put_cell(ws, r, 1, label).font = BOLD
        cell = put_cell(ws, r, 2, value)
        if r == 3:
            cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(horizontal="left")
    row = len(head) + 2
    everything = changes.changes + changes.unchanged

    def counts(group: list[Change]) -> list[int]:
        kinds = Counter(c.kind for c in group)
        flags = Counter(f for c in group for f in c.flags)
        return [kinds[k] for k in (*KINDS, "unchanged")] + [flags[f] for f in FLAGS]

    kinds = [KIND_LABELS.get(k, k) for k in KINDS]
    header = ["Plan", "Old / new records", *kinds, "unchanged", *FLAGS]
    rows = []
    for p in changes.plans:
        group = [c for c in everything if c.plan_id == p["id"]]
        rows.append([p["title"] or p["id"], f"{p['old_records']} / {p['new_records']}", *counts(group)])
    row = _table(ws, row, header, rows, upright=True)
    by_lead: dict[str, list[Change]] = {}
    for c in everything:
        for lead in c.lead or ["(none)"]:
            by_lead.setdefault(lead, []).append(c)
    rows = [[lead, "", *counts(group)] for lead, group in sorted(by_lead.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    row = _table(ws, row, ["Lead", "", *kinds, "unchanged", *FLAGS], rows, upright=True)
    # RAG transitions over every record found in both versions
    letters = ["R", "A", "G", "B", None]
    pairs = Counter(((c.old or {}).get("rag"), (c.new or {}).get("rag")) for c in everything
                    if c.old is not None and c.new is not None)
    put_cell(ws, row, 1, "RAG from (rows) to (columns)").font = BOLD
    row += 1
    header = ["From \\ to", "", *(x or "none" for x in letters)]
    rows = [[a or "none", "", *(pairs[(a, b)] for b in letters)] for a in letters]
    top = row
    _table(ws, row, header, rows)
    for k, letter in enumerate(letters):
        if letter:
            rag_style(ws.cell(row=top + 1 + k, column=1), letter)
            rag_style(ws.cell(row=top, column=3 + k), letter)
    print_setup(ws, None)


def build_changes_workbook(changes: Changes) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    _changes_sheet(wb.create_sheet("Changes"), changes)
    _summary_sheet(summary, changes)
    return wb
