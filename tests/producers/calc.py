"""Plans kept in a LibreOffice Calc spreadsheet and printed to PDF, the way people keep them
there: a title (and an "updated" line, a key) in the first rows, the header row repeated
by print titles or not, fit to one page wide or printed at a scale, gridlines printed or
borders drawn, wrapped text in narrow columns, the area for improvement merged down over
its actions (also across page breaks), ratings as a letter, a word or only a fill colour,
columns in other orders and under other names, numbers typed as 1, "1.", "1.1", "2.1a",
"R1" or left out, banded rows, blank rows between areas, a key or totals row under the
table, and a second plan on another sheet or below the first.

The workbook is written with openpyxl and printed by Calc itself through its UNO bridge
(`calc_uno.py`): Calc first grows every row to fit its wrapped text, as it does when the
text is typed (a plain `soffice --convert-to pdf` of an openpyxl file keeps every row at
the default height, and the text runs over the rows below), and a merged block whose text
would still not fit has its last row dragged taller.

    python tests/producers/calc.py --n 12 --seed 1 [--show 3] [--keep DIR]

makes that many documents (document k from seed*100000+k, as the sweep does), converts
each, scores it with tests/sweep.py and prints the table per style.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from synth import DEFAULT_HEADERS, MONTHS, PlanSpec, random_records, sentence  # noqa: E402

from producers.headings import heading  # noqa: E402

STYLES = ("calc-grid", "calc-horizontal", "calc-gridlines", "calc-banded", "calc-borderless")

# column orders as plans keep them; optional columns are dropped from these where absent
ORDERS: dict[str, tuple[str, ...]] = {
    "standard": ("item", "inspection_para", "area_for_improvement", "lead", "action", "by_when", "progress", "rag",
                 "monitoring", "evidence_of_impact"),
    "lead-after-action": ("item", "inspection_para", "area_for_improvement", "action", "lead", "by_when",
                          "progress", "rag", "monitoring", "evidence_of_impact"),
    "by-when-last": ("item", "inspection_para", "area_for_improvement", "action", "lead", "progress", "rag",
                     "monitoring", "evidence_of_impact", "by_when"),
    "rag-before-progress": ("item", "area_for_improvement", "inspection_para", "action", "lead", "by_when", "rag",
                            "progress", "evidence_of_impact", "monitoring"),
    "impact-after-action": ("item", "inspection_para", "area_for_improvement", "action", "evidence_of_impact",
                            "lead", "by_when", "progress", "rag", "monitoring"),
}

# each column's share of the table's width: as laid out, and with the short columns squeezed
# so their long words break ("Commiss" / "ioning", "Septem" / "ber")
WEIGHTS = {"item": (5, 3.5), "inspection_para": (7, 5), "area_for_improvement": (24, 24), "lead": (13, 8.5),
           "action": (30, 32), "by_when": (10, 7), "progress": (40, 44), "rag": (6, 4.5), "monitoring": (18, 18),
           "evidence_of_impact": (18, 18)}
UNIT_PT = {"Arial": 5.55, "Arial Narrow": 4.6, "Verdana": 6.35, "Times New Roman": 5.0}  # at 10 pt
PAGE_PT = {"A4": 841.9, "Letter": 792.0}  # landscape widths

PALETTES = {  # what a person picks from the colour menu, and Calc's "Good/Bad/Neutral"-style pastels
    "standard": {"R": "FF0000", "A": "FFC000", "G": "00B050", "B": "0070C0"},
    "pastel": {"R": "FFC7CE", "A": "FFEB9C", "G": "C6EFCE", "B": "BDD7EE"},
}
RAG_WORDS = {
    "R": ("Red", "Red - off track", "Red – not started"),
    "A": ("Amber", "Amber - on track", "Amber – some slippage"),
    "G": ("Green", "Green - on track", "Green – achieved"),
    "B": ("Blue", "Complete", "Completed", "Blue - complete"),
}
HEADER_FILLS = {"grey": ("D9D9D9", "000000"), "blue": ("DDEBF7", "000000"), "dark": ("1F4E79", "FFFFFF")}
BAND_FILL = "EEF3FA"
TITLES = ("Children's Services Improvement Plan", "Ofsted Improvement Action Plan", "Post-Inspection Action Plan",
          "ILACS Improvement Plan 2023-24", "Children's Social Care Improvement Plan")
SECOND_TITLES = ("Safeguarding Partnership Action Plan", "Early Help Improvement Plan",
                 "Care Leavers Action Plan")
FONTS = ("Arial", "Arial", "Arial Narrow", "Verdana", "Times New Roman")
KEY_WORDS = {"R": "Off track", "A": "Some slippage", "G": "On track", "B": "Complete"}
PAPER = {"A4": 9, "Letter": 1}


def available() -> str | None:
    if not shutil.which("soffice"):
        return "LibreOffice (soffice) is not installed"
    if not uno_python():
        return "no Python with LibreOffice's UNO bridge (Debian: python3-uno)"
    return None


@lru_cache(maxsize=1)
def uno_python() -> str | None:
    """A Python that can `import uno`: LibreOffice's own, or the system's with python3-uno."""
    candidates = [os.environ.get("ACTIONPLAN_UNO_PYTHON"), "/usr/lib/libreoffice/program/python",
                  "/usr/bin/python3", sys.executable]
    for exe in candidates:
        if exe and Path(exe).exists():
            try:
                ok = subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                ok = False
            if ok:
                return exe
    return None


def random_layout(rng: random.Random) -> dict[str, Any]:
    """One point of the Calc producer's axes."""
    area_mode = rng.choices(("merge", "first", "repeat", "section"), (5, 2, 2, 1))[0]
    if area_mode == "merge":
        para_mode = rng.choices(("merge", "first", "repeat"), (3, 1, 1))[0]
    else:
        para_mode = "repeat" if area_mode == "repeat" else "first"
    return {
        "producer": "calc",
        "rules": rng.choice(STYLES),
        "paper": rng.choice(("A4", "Letter")),
        "fit_width": rng.random() < 0.7,
        "scale": rng.choice((100, 90, 80, 70)),  # when not fit to width (lowered until it fits)
        "margins": rng.choice(("normal", "narrow")),
        "print_titles": rng.choices(("off", "header", "title+header"), (3, 5, 2))[0],
        "title_merged": rng.random() < 0.5,
        "subtitle": rng.random() < 0.6,
        "key": rng.choices((None, "line", "cells"), (4, 3, 2))[0],
        "blank_before_header": rng.random() < 0.6,
        "font": rng.choice(FONTS),
        "font_size": rng.choice((8, 9, 10, 10, 11)),
        "valign": rng.choices(("top", "bottom", "center"), (5, 3, 2))[0],
        "merge_valign": rng.choice(("top", "center")),
        "area_mode": area_mode,
        "para_mode": para_mode,
        "para": area_mode != "section" and rng.random() < 0.8,
        "para_format": rng.choice(("dotted", "plain")),
        "order": rng.choice(tuple(ORDERS)),
        "monitoring": rng.random() < 0.65,
        "impact": rng.random() < 0.35,
        "headings": rng.choice(("standard", "varied", "varied")),
        "item_style": rng.choices(("int", "dotted", "multi", "multi-letter", "prefixed", "none"),
                                  (3, 2, 2, 1, 1, 1))[0],
        "rag_mode": rng.choices(("letter", "word", "fill-only", "letter-hidden"), (4, 3, 3, 1))[0],
        "rag_fill": rng.random() < 0.75,  # a rating written in text is also shaded
        "rag_cf": rng.random() < 0.3,  # the shading comes from conditional formatting
        "palette": rng.choices(("standard", "pastel"), (3, 1))[0],
        "header_fill": rng.choice((None, "grey", "blue", "dark")),
        "blank_between": rng.random() < 0.25,
        "notes_below": rng.choices((None, "key", "note", "total"), (4, 2, 2, 1))[0],
        "dates": rng.choice(("text", "cells")),
        "narrow": rng.random() < 0.4,
        "width_factor": round(rng.uniform(0.85, 1.4), 2),  # the table's width over the page's
        "furniture": rng.choice(("none", "page", "official")),
        "two_plans": rng.choices((None, "sheet", "below"), (6, 2, 2))[0],
    }


@dataclass
class _Table:
    title: str
    columns: tuple[str, ...]  # the sheet's columns, left to right
    headers: dict[str, str]
    records: list[dict[str, Any]]
    layout: dict[str, Any]
    spec_fields: tuple[str, ...] = ()
    groups: list[tuple[int, int]] = field(default_factory=list)  # [first, last] record of each area

    def spec(self) -> PlanSpec:
        return PlanSpec(self.title, self.records, self.spec_fields, dict(self.headers))


def _columns(layout: dict[str, Any], order: str) -> tuple[str, ...]:
    present = {"action", "lead", "by_when", "progress", "rag"}
    if layout["item_style"] != "none":
        present.add("item")
    if layout["area_mode"] != "section":
        present.add("area_for_improvement")
        if layout["para"]:
            present.add("inspection_para")
    if layout["monitoring"]:
        present.add("monitoring")
    if layout["impact"]:
        present.add("evidence_of_impact")
    return tuple(f for f in ORDERS[order] if f in present)


def _headers(columns: tuple[str, ...], layout: dict[str, Any], rng: random.Random) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in columns:
        if layout["headings"] == "standard":
            out[f] = DEFAULT_HEADERS.get(f, "Evidence of impact")
        else:
            out[f] = heading(f, rng)
            while out[f] and out[f] in [v for k, v in out.items() if k != f]:
                out[f] = heading(f, rng)
    return out


def _group(records: list[dict[str, Any]]) -> list[tuple[int, int]]:
    groups: list[tuple[int, int]] = []
    for i, rec in enumerate(records):
        prev = records[i - 1] if i else None
        if prev is None or (rec["area_for_improvement"], rec["inspection_para"]) != (
                prev["area_for_improvement"], prev["inspection_para"]):
            groups.append((i, i))
        else:
            groups[-1] = (groups[-1][0], i)
    return groups


def _table(seed: int, n: int, layout: dict[str, Any], rng: random.Random, title: str,
           columns: tuple[str, ...]) -> _Table:
    """Records from `random_records`, numbered and rated the way this sheet writes them."""
    records = random_records(seed, n, long_cells=False)
    groups = _group(records)
    extra = random.Random(seed * 7 + 3)
    style = layout["item_style"]
    for k, (a, b) in enumerate(groups, start=1):
        for j, i in enumerate(range(a, b + 1), start=1):
            rec = records[i]
            rec["item"] = {"int": str(i + 1), "dotted": str(i + 1), "multi": f"{k}.{j}",
                           "multi-letter": f"{k}.1{chr(96 + j)}", "prefixed": f"R{i + 1}",
                           "none": str(i + 1)}[style]
    for rec in records:
        if "inspection_para" not in columns:
            rec["inspection_para"], rec["inspection_para_refs"] = None, []
        if "evidence_of_impact" in columns:
            rec["evidence_of_impact"] = (sentence(extra, 3, 20) if "monitoring" in columns
                                         else rec["monitoring"])
        if "monitoring" not in columns:
            rec.pop("monitoring")
        letter = rec["rag"]
        mode = layout["rag_mode"]
        if letter is None or mode == "fill-only":
            rec["rag_raw"] = None
        elif mode == "word":
            rec["rag_raw"] = rng.choice(RAG_WORDS[letter])
        else:
            rec["rag_raw"] = letter
    spec_fields = tuple(columns) if layout["area_mode"] != "section" else (
        "area_for_improvement", *columns)
    t = _Table(title, columns, _headers(columns, layout, rng), records, layout, spec_fields, groups)
    return t


# --------------------------------------------------------------------------- the workbook

def _fill(rgb: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=rgb, end_color=rgb)


def _border(rules: str) -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="000000")
    if rules == "calc-grid":
        return Border(left=thin, right=thin, top=thin, bottom=thin)
    if rules == "calc-horizontal":
        return Border(top=thin, bottom=thin)
    return Border()


DATE_FORMS = (
    (re.compile(r"^({}) (\d{{4}})$".format("|".join(MONTHS))), "mmmm yyyy"),
    (re.compile(r"^({}) (\d{{4}})$".format("|".join(m[:3] for m in MONTHS))), "mmm yyyy"),
    (re.compile(r"^(\d\d)/(\d\d)/(\d{4})$"), "dd/mm/yyyy"),
)


def _date_cell(text: str) -> tuple[dt.date, str] | None:
    """A deadline typed into a date cell: the date and the number format that shows it as written."""
    for rx, fmt in DATE_FORMS:
        m = rx.match(text)
        if not m:
            continue
        if fmt == "dd/mm/yyyy":
            d, mo, y = map(int, m.groups())
            return dt.date(y, mo, d), fmt
        names = MONTHS if fmt == "mmmm yyyy" else [x[:3] for x in MONTHS]
        return dt.date(int(m.group(2)), names.index(m.group(1)) + 1, 1), fmt
    return None


def _para_text(rec: dict[str, Any], fmt: str) -> Any:
    refs = rec["inspection_para_refs"]
    if fmt == "dotted":
        return f"{rec['inspection_para']}. ({', '.join(refs)})" if refs else f"{rec['inspection_para']}."
    return f"{rec['inspection_para']} ({', '.join(refs)})" if refs else int(rec["inspection_para"])


def _item_value(rec: dict[str, Any], style: str) -> Any:
    if style == "int":
        return int(rec["item"])
    if style == "dotted":
        return f"{rec['item']}."
    return rec["item"]


class _Sheet:
    """Writes tables into one worksheet, top to bottom."""

    def __init__(self, ws: Any, layout: dict[str, Any], ncols: int, widths: dict[str, float]):
        self.ws, self.layout, self.ncols = ws, layout, ncols
        self.row = 1
        self.widths = widths
        self.font_name = layout["font"]
        self.size = layout["font_size"]

    def font(self, **kw: Any) -> Any:
        from openpyxl.styles import Font

        return Font(name=self.font_name, size=kw.pop("size", self.size), **kw)

    def line(self, text: str, *, bold: bool = False, size: float | None = None, merged: bool = False,
              center: bool = False) -> None:
        from openpyxl.styles import Alignment

        c = self.ws.cell(self.row, 1, text)
        c.font = self.font(bold=bold, size=size or self.size)
        if merged:
            c.alignment = Alignment(horizontal="center" if center else "left", vertical="top", wrap_text=True)
            self.ws.merge_cells(start_row=self.row, end_row=self.row, start_column=1, end_column=self.ncols)
        self.row += 1

    def key_cells(self, palette: dict[str, str]) -> None:
        from openpyxl.styles import Alignment

        self.ws.cell(self.row, 1, "Key:").font = self.font(bold=True)
        for k, letter in enumerate("RAGB"):
            c = self.ws.cell(self.row, 2 + k, KEY_WORDS[letter])
            c.fill = _fill(palette[letter])
            c.font = self.font(size=self.size - 1)
            c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.row += 1

    def table(self, t: _Table, rng: random.Random, *, first_on_sheet: bool) -> None:
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import Alignment, Font

        lay = self.layout
        ws = self.ws
        palette = PALETTES[lay["palette"]]
        top = self.row
        self.line(t.title, bold=True, size=self.size + 4, merged=lay["title_merged"], center=lay["title_merged"])
        if lay["subtitle"]:
            y = rng.randint(2016, 2025)
            self.line(rng.choice((f"Last updated: {rng.randint(1, 28)} {rng.choice(MONTHS)} {y}",
                                  f"Version {rng.randint(2, 9)} - updated {rng.randint(1, 28):02d}/"
                                  f"{rng.randint(1, 12):02d}/{y}",
                                  f"Update for the Improvement Board, {rng.choice(MONTHS)} {y}")),
                      merged=lay["title_merged"])
        if lay["key"] == "line":
            self.line("Key: R = off track, A = some slippage, G = on track, B = complete", merged=lay["title_merged"])
        elif lay["key"] == "cells":
            self.key_cells(palette)
        if lay["blank_before_header"]:
            self.row += 1
        header_row = self.row
        col = {f: k + 1 for k, f in enumerate(t.columns)}
        border = _border(lay["rules"])
        hfill = lay["header_fill"] or ("dark" if lay["rules"] == "calc-banded" else None)
        for f, c in col.items():
            cell = ws.cell(header_row, c, t.headers[f] or None)
            cell.font = self.font(bold=True, color=HEADER_FILLS[hfill][1] if hfill else None)
            cell.alignment = Alignment(wrap_text=True, vertical="top" if lay["valign"] == "top" else "center")
            cell.border = border
            if hfill:
                cell.fill = _fill(HEADER_FILLS[hfill][0])
        if first_on_sheet and lay["print_titles"] != "off":
            first = top if lay["print_titles"] == "title+header" else header_row
            ws.print_title_rows = f"{first}:{header_row}"
        self.row += 1

        body_align = Alignment(wrap_text=True, vertical=lay["valign"])
        merge_align = Alignment(wrap_text=True, vertical=lay["merge_valign"])
        rag_rows: list[int] = []
        band = 0
        for g, (a, b) in enumerate(t.groups):
            if g and lay["blank_between"]:
                for c in col.values():
                    ws.cell(self.row, c).border = border
                self.row += 1
            if lay["area_mode"] == "section":
                cell = ws.cell(self.row, 1, t.records[a]["area_for_improvement"])
                cell.font = self.font(bold=True)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.fill = _fill("F2F2F2")
                for c in col.values():
                    ws.cell(self.row, c).border = border
                ws.merge_cells(start_row=self.row, end_row=self.row, start_column=1, end_column=self.ncols)
                self.row += 1
            first_row = self.row
            for i in range(a, b + 1):
                rec = t.records[i]
                r = self.row
                for f, c in col.items():
                    head_of_area = i == a
                    value: Any = None
                    fmt = None
                    if f == "item":
                        value = _item_value(rec, lay["item_style"])
                    elif f == "inspection_para":
                        if head_of_area or lay["para_mode"] == "repeat":
                            value = _para_text(rec, lay["para_format"])
                    elif f == "area_for_improvement":
                        if head_of_area or lay["area_mode"] == "repeat":
                            value = rec["area_for_improvement"]
                    elif f == "rag":
                        value = rec["rag_raw"] if lay["rag_mode"] != "fill-only" else None
                    elif f == "by_when" and lay["dates"] == "cells" and (d := _date_cell(rec["by_when"])):
                        value, fmt = d
                    else:
                        value = rec.get(f) or None
                    cell = ws.cell(r, c, value)
                    if fmt:
                        cell.number_format = fmt
                    cell.font = self.font()
                    cell.alignment = body_align
                    cell.border = border
                    if lay["rules"] == "calc-banded" and band % 2:
                        cell.fill = _fill(BAND_FILL)
                    if f == "rag" and rec["rag"]:
                        rgb = palette[rec["rag"]]
                        shaded = lay["rag_mode"] in ("fill-only", "letter-hidden") or lay["rag_fill"]
                        if lay["rag_mode"] == "fill-only" or (shaded and not lay["rag_cf"]):
                            cell.fill = _fill(rgb)
                            if lay["rag_mode"] == "letter-hidden":
                                cell.font = self.font(color=rgb)
                        if shaded:
                            rag_rows.append(r)
                band += 1
                self.row += 1
            last_row = self.row - 1
            if lay["area_mode"] == "merge" and last_row > first_row:
                merged = ["area_for_improvement"] + (["inspection_para"] if lay["para_mode"] == "merge" else [])
                for f in merged:
                    if f in col:
                        ws.cell(first_row, col[f]).alignment = merge_align
                        ws.merge_cells(start_row=first_row, end_row=last_row, start_column=col[f],
                                       end_column=col[f])
        last = self.row - 1
        if lay["rag_cf"] and lay["rag_mode"] != "fill-only" and "rag" in col and rag_rows:
            from openpyxl.utils import get_column_letter

            letter = get_column_letter(col["rag"])
            rng_ref = f"{letter}{header_row + 1}:{letter}{last}"
            for value in sorted({r["rag_raw"] for r in t.records if r["rag_raw"]}):
                rgb = palette[next(r["rag"] for r in t.records if r["rag_raw"] == value)]
                font = Font(color=rgb) if lay["rag_mode"] == "letter-hidden" else None
                ws.conditional_formatting.add(rng_ref, CellIsRule(
                    operator="equal", formula=['"{}"'.format(value.replace('"', '""'))], fill=_fill(rgb), font=font))
        notes = lay["notes_below"]
        if notes == "total":
            counts = {k: sum(1 for r in t.records if r["rag"] == k) for k in "RAGB"}
            for c in col.values():
                cell = ws.cell(self.row, c)
                cell.border = border
                cell.font = self.font(bold=True)
                cell.alignment = body_align
            ws.cell(self.row, 1, "Total")
            ws.cell(self.row, col["action"], f"{len(t.records)} actions")
            ws.cell(self.row, col["progress"],
                    ", ".join(f"{name} {counts[k]}" for k, name in zip("RAGB", ("Red", "Amber", "Green", "Blue"))))
            self.row += 1
        elif notes in ("key", "note"):
            if rng.random() < 0.5:
                self.row += 1
            if notes == "key":
                self.line("Key: R = not on track, A = on track with some risk, G = on track, B = complete",
                          merged=rng.random() < 0.5)
            else:
                self.line(f"* Due dates revised in {rng.choice(MONTHS)} {rng.randint(2016, 2025)} following the "
                          "Improvement Board's review.", merged=rng.random() < 0.5)

    def finish(self, columns: tuple[str, ...]) -> None:
        from openpyxl.utils import get_column_letter

        ws, lay = self.ws, self.layout
        for k, f in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(k)].width = round(self.widths[f], 1)
        ps = ws.page_setup
        ps.orientation = "landscape"
        ps.paperSize = PAPER[lay["paper"]]
        if lay["fit_width"]:
            ps.fitToWidth, ps.fitToHeight = 1, 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        else:
            ps.scale = lay["scale"]
        if lay["margins"] == "narrow":
            m = ws.page_margins
            m.left = m.right = 0.25
            m.top = m.bottom = 0.75
            m.header = m.footer = 0.3
        if lay["rules"] == "calc-gridlines":
            ws.print_options.gridLines = True
        if lay["furniture"] in ("page", "official"):
            ws.oddFooter.center.text = "Page &P of &N"
        if lay["furniture"] == "official":
            ws.oddHeader.center.text = "OFFICIAL"
            ws.oddFooter.left.text = "&A"


def _widths(columns: tuple[str, ...], layout: dict[str, Any], grow: float) -> dict[str, float]:
    """Column widths (Calc's character units) making the table `width_factor` times the
    printable width, at the print scale when it is not fit to the page."""
    unit = UNIT_PT[layout["font"]] * layout["font_size"] / 10
    margins = 36 if layout["margins"] == "narrow" else 108
    units = (PAGE_PT[layout["paper"]] - margins) / unit * layout["width_factor"]
    if not layout["fit_width"]:
        units *= 100 / layout["scale"]
    k = 1 if layout["narrow"] else 0
    total = sum(WEIGHTS[f][k] for f in columns)
    out = {}
    for f in columns:
        w = units * WEIGHTS[f][k] / total
        if f in ("progress", "action", "area_for_improvement", "monitoring", "evidence_of_impact"):
            w *= grow
        if f == "by_when" and layout["dates"] == "cells":
            w = max(w, 15)  # a date too wide for its cell shows ###: people widen it
        out[f] = max(w, 3.0)
    return out


def _sub_layout(layout: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The second sheet: the same person's habits, other columns."""
    sub = dict(layout)
    sub.update(order=rng.choice(tuple(ORDERS)), monitoring=rng.random() < 0.5, impact=rng.random() < 0.6,
               para=layout["area_mode"] != "section" and rng.random() < 0.7)
    return sub


def _plan_tables(seed: int, layout: dict[str, Any], n: int, rng: random.Random) -> list[tuple[_Table, int]]:
    """The plans and the sheet each goes on."""
    cols = _columns(layout, layout["order"])
    tables = [(_table(seed, n, layout, rng, rng.choice(TITLES), cols), 0)]
    two = layout["two_plans"]
    if two == "below":
        second_cols = tuple("evidence_of_impact" if f == "monitoring" and "evidence_of_impact" not in cols else f
                            for f in cols)
        t2 = _table(seed + 1, max(4, n // 2), layout, rng, rng.choice(SECOND_TITLES), second_cols)
        tables.append((t2, 0))
    elif two == "sheet":
        sub = _sub_layout(layout, rng)
        t2 = _table(seed + 1, max(4, n // 2), sub, rng, rng.choice(SECOND_TITLES), _columns(sub, sub["order"]))
        tables.append((t2, 1))
    return tables


def build_workbook(path: Path, seed: int, layout: dict[str, Any], n: int = 14, grow: float = 1.0
                   ) -> tuple[Path, list[PlanSpec], dict[str, Any]]:
    """The .xlsx, the plans in it, and the job for calc_uno.py."""
    import openpyxl

    rng = random.Random(f"calc-{seed}")
    tables = _plan_tables(seed, layout, n, rng)
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    wb = openpyxl.Workbook()
    normal = Font(name=layout["font"], size=layout["font_size"])  # the book's default font, as its author set it
    wb._fonts = IndexedList([normal])
    wb._named_styles["Normal"].font = normal
    sheets: list[_Sheet] = []
    job: dict[str, Any] = {"sheets": [], "merges": []}
    for t, s in tables:
        lay = t.layout
        if s >= len(sheets):
            ws = wb.active if s == 0 else wb.create_sheet()
            ws.title = rng.choice(("Action Plan", "Sheet1", "Ofsted plan", "Plan")) if s == 0 else \
                rng.choice(("Safeguarding", "Sheet2", "Partnership plan"))
            columns = t.columns
            if s == 0 and len(tables) > 1 and tables[1][1] == 0:  # a plan below shares the sheet's columns
                columns = max((t.columns, tables[1][0].columns), key=len)
            sheets.append(_Sheet(ws, lay, len(columns), _widths(columns, lay, grow)))
            sheets[-1].columns = columns  # type: ignore[attr-defined]
            job["sheets"].append({"fit": lay["fit_width"]})
        else:
            sheets[s].row += rng.choice((1, 2))  # blank rows between the plans
        sheets[s].table(t, rng, first_on_sheet=sheets[s].row == 1)
    for k, sh in enumerate(sheets):
        sh.finish(sh.columns)  # type: ignore[attr-defined]
        for rg in sh.ws.merged_cells.ranges:
            job["merges"].append([k, rg.min_row - 1, rg.min_col - 1, rg.max_row - 1, rg.max_col - 1])
    wb.save(path)
    return path, [t.spec() for t, _ in tables], job


# --------------------------------------------------------------------------- printing

_PROFILE: Path | None = None


def _profile() -> Path:
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = Path(tempfile.gettempdir()) / f"lo-profile-{os.getpid()}"
        atexit.register(shutil.rmtree, _PROFILE, True)
    return _PROFILE


class CalcError(RuntimeError):
    pass


def print_to_pdf(xlsx: Path, pdf: Path, job: dict[str, Any], timeout: float = 60.0) -> list[dict[str, Any]]:
    """Calc opens the book, grows the rows, and prints every sheet to `pdf`."""
    python = uno_python()
    if not python:
        raise CalcError(available() or "no UNO")
    job_path = xlsx.with_suffix(".job.json")
    job_path.write_text(json.dumps(job), encoding="utf-8")
    proc = subprocess.Popen([python, str(HERE / "calc_uno.py"), str(xlsx), str(pdf), _profile().as_uri(),
                             str(job_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the helper and the soffice it started
        proc.communicate()
        raise CalcError(f"Calc did not finish {xlsx.name} in {timeout:.0f} s") from None
    if proc.returncode != 0 or not pdf.exists():
        raise CalcError(f"Calc failed on {xlsx.name}: {err.strip()[-800:]}")
    return json.loads(out.strip().splitlines()[-1])


def make(path: str | Path, seed: int, layout: dict[str, Any], n: int = 14) -> tuple[Path, list[PlanSpec]]:
    """A plan kept in Calc and printed to PDF, and the records a reader must get back."""
    path = Path(path)
    grow = 1.0
    for _attempt in range(4):
        xlsx, specs, job = build_workbook(path.with_suffix(".xlsx"), seed, layout, n, grow)
        job["grow"] = grow
        report = print_to_pdf(xlsx, path, job)
        unprinted = _unprinted(path, specs)
        if not any(s["too_tall"] for s in report) and not unprinted:
            return path, specs
        # a row taller than the page, or rows Calc left out of the print (seen with the last
        # rows of a sheet whose rows the print script grew): widen the text columns, as a
        # person would, so the rows are shorter
        grow *= 1.4
    raise CalcError(f"seed {seed}: rows still taller than a page, or left unprinted ({unprinted}), after "
                    f"widening: {report}")


def _unprinted(pdf: Path, specs: list[PlanSpec]) -> list[str]:
    """Items whose action's opening words the PDF does not print: the records must be the
    ones a reader can get back."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = " ".join(" ".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc)))
    finally:
        doc.close()
    return [str(r["item"]) for spec in specs for r in spec.records
            if r.get("action") and " ".join(str(r["action"]).split()[:3]) not in text]


# --------------------------------------------------------------------------- the sweep

def run_one(seed: int, workdir: Path, leads: Path, layout: dict[str, Any] | None = None, n: int = 14) -> Any:
    from sweep import LayoutScore, compare

    from actionplan import ActionPlanError, convert
    from actionplan.schemas.issues import STRUCTURAL

    layout = layout or random_layout(random.Random(seed))
    score = LayoutScore(layout, seed)
    start = time.perf_counter()
    pdf, specs = make(workdir / f"calc-{seed}.pdf", seed, layout, n=n)
    score.make_seconds = time.perf_counter() - start  # type: ignore[attr-defined]
    try:
        result = convert(pdf, leads=leads)
    except ActionPlanError as exc:
        score.error = str(exc)
        score.records = sum(len(s.records) for s in specs)
        return score
    doc = result.to_dict()
    score.structural = sorted({w["code"] for w in doc["warnings"] if w["code"] in STRUCTURAL})
    compare(specs, doc["tables"], score)
    return score


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=12, help="documents to make (default 12)")
    ap.add_argument("--seed", type=int, default=1, help="first seed; document k uses seed*100000+k")
    ap.add_argument("--show", type=int, default=3, help="wrong documents to describe (default 3)")
    ap.add_argument("--keep", type=Path, help="keep the .xlsx and .pdf files here")
    args = ap.parse_args(argv)
    why = available()
    if why:
        print(f"cannot run: {why}")
        return 2
    from synth import write_leads_csv

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        leads = write_leads_csv(Path(tmp) / "leads.csv")
        scores = [run_one(args.seed * 100000 + k, work, leads) for k in range(args.n)]
    by_style: dict[str, list[Any]] = defaultdict(list)
    for s in scores:
        by_style[s.layout["rules"]].append(s)
    head = (f"{'style':16} {'docs':>4} {'records':>8} {'text':>7} {'other':>7} {'spur':>5} {'wrong':>5} "
            f"{'flagged':>7} {'silent':>6}")
    print(head)
    print("-" * len(head))
    for style, group in [*sorted(by_style.items()), ("all", scores)]:
        rec = sum(s.records for s in group)
        wrong = [s for s in group if s.wrong]
        print(f"{style:16} {len(group):4} {sum(s.found for s in group) / max(rec, 1):8.3f} "
              f"{sum(s.text_ok for s in group) / max(sum(s.text_total for s in group), 1):7.3f} "
              f"{sum(s.other_ok for s in group) / max(sum(s.other_total for s in group), 1):7.3f} "
              f"{sum(s.spurious for s in group):5} {len(wrong):5} {sum(1 for s in wrong if not s.silent):7} "
              f"{sum(1 for s in group if s.silent):6}")
    kinds: dict[str, int] = defaultdict(int)
    for s in scores:
        if s.error:
            kinds["(conversion failed)"] += 1
        for m in s.misses:
            kinds["missing" if m.endswith(": missing") else m.split(":")[0].rsplit(".", 1)[-1]] += 1
    print("\nmisses by field: " + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
                                    or "none"))
    for s in [s for s in scores if s.wrong][: args.show]:
        print(f"\n{'SILENT' if s.silent else 'flagged'} (seed {s.seed}): {s.layout}")
        print(f"  error: {s.error}" if s.error else f"  structural warnings: {s.structural}")
        for m in s.misses[:6]:
            print("  ", m)
    made = [getattr(s, "make_seconds", 0.0) for s in scores]
    print(f"\n{len(scores)} documents in {time.perf_counter() - start:.0f} s "
          f"(making one: {sum(made) / max(len(made), 1):.1f} s on average)")
    return 1 if any(s.silent for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
