"""Plans published as web pages and printed to PDF by Chromium.

A council puts its improvement plan on its website (a CMS page, or an HTML export of a
spreadsheet or list) and somebody prints it from the browser. What comes out is what the
page's HTML and CSS made of it, habits and all:

- the CMS around the plan: a site header, a breadcrumb, the page title, an intro, "Last
  updated", a "Related pages" box, a cookie banner, a feedback box and a site footer, or a
  bare export with none of them; Chromium's own header and footer (date, title, address,
  page numbers) on or off;
- the areas for improvement as a column written in the first action's row only, in every
  row, as a `rowspan` cell over its actions (Chromium repeats nothing of it on the next
  page), or as section rows across the whole table (`colspan`, shaded, "Recommendation 2:
  ...") with the actions below them;
- a `<thead>` (repeated on each printed page) or a plain first row of `<th>` or of bold
  `<td>` (not repeated); rows kept whole (`break-inside: avoid`) or split; cells aligned to
  the top or, as browsers do by default, to the middle; full grid, zebra stripes, bottom
  rules only (GOV.UK style), none, or cells as separate boxes ("cards");
- ratings as letters, words ("On track", "Complete"), coloured pills, or only a cell's
  background; in several palettes, pale ones included;
- column headings as councils write them (`headings.py`), optional columns, other column
  orders, an impact column; numbering 1, "1.", "1.1", "2.1a" or none;
- narrow columns whose long words are broken mid-word (`overflow-wrap: anywhere`,
  `word-break: break-word`); portrait or landscape, A4 or Letter, print scale and margins;
- other tables before or after (a RAG key, milestones, a sign-off), notes under the table,
  and two plans on one page under their own `<h2>`.

    python tests/producers/chromium.py --n 12 --seed 1 [--show 4] [--keep DIR]

makes that many documents (document k from seed*100000+k), converts each, and prints how the
converter did, per style and per area layout.
"""

from __future__ import annotations

import atexit
import base64
import html
import random
import re
import shutil
import string
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: tests/ holds synth.py and sweep.py
    sys.path.insert(0, str(HERE.parent))

from synth import LEADS, MONTHS, PlanSpec, random_records, sentence  # noqa: E402

from producers.headings import HEADINGS  # noqa: E402

STYLES = ("web-grid", "web-zebra", "web-lines", "web-bare", "web-cards")
AREAS = ("first-row", "every-row", "rowspan", "section-rows")
ITEMS = ("number", "dotted", "outline", "outline-letter", "none")
RATINGS = ("letter", "word", "pill", "fill-only")

# how web pages colour a rating: Office's standard colours, GOV.UK's, Bootstrap's, and the
# pale fills of a spreadsheet's "light" row
PALETTES: dict[str, dict[str, str]] = {
    "office": {"R": "#ff0000", "A": "#ffc000", "G": "#00b050", "B": "#0070c0"},
    "govuk": {"R": "#d4351c", "A": "#f47738", "G": "#00703c", "B": "#1d70b8"},
    "bootstrap": {"R": "#dc3545", "A": "#ffc107", "G": "#28a745", "B": "#007bff"},
    "sheets-light": {"R": "#ea9999", "A": "#ffe599", "G": "#b6d7a8", "B": "#9fc5e8"},
}
DARK_TEXT = {"#ffc000", "#ffc107", "#ea9999", "#ffe599", "#b6d7a8", "#9fc5e8", "#f47738"}

# rating vocabularies: one per document, as a council uses one
RAG_WORDS: dict[str, dict[str, str]] = {
    "colour": {"R": "Red", "A": "Amber", "G": "Green", "B": "Blue"},
    "status": {"R": "Off track", "A": "At risk", "G": "On track", "B": "Complete"},
    "progress": {"R": "Not on track", "A": "Some slippage", "G": "On track", "B": "Completed"},
}

COUNCILS = (
    ("Anyshire County Council", "www.anyshire.gov.uk"),
    ("Borsetshire Council", "www.borsetshire.gov.uk"),
    ("Midsomer Borough Council", "www.midsomer.gov.uk"),
    ("Wessex City Council", "www.wessex.gov.uk"),
    ("Casterbridge Metropolitan Borough Council", "www.casterbridge.gov.uk"),
)

FONTS = {
    "arial": "Arial, Helvetica, sans-serif",
    "system": "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    "verdana": "Verdana, Geneva, 'DejaVu Sans', sans-serif",
    "georgia": "Georgia, 'Times New Roman', serif",
    "narrow": "'Arial Narrow', 'Liberation Sans Narrow', sans-serif",
}

PAPER = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}
MARGINS = {"default": 0.4, "narrow": 0.25, "wide": 0.75}

SECTION_LABELS = ("Recommendation {k}: ", "Area for improvement {k}: ", "{k}. ", "", "Priority {k} – ")

BASE_COLUMNS = ("item", "inspection_para", "area_for_improvement", "action", "lead", "by_when", "progress", "rag",
                "monitoring", "evidence_of_impact")


def available() -> str | None:
    """None when Chromium, its driver and selenium are here, else why not."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")):
        return "Chromium is not installed"
    if not shutil.which("chromedriver"):
        return "chromedriver is not installed"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    return None


def random_layout(rng: random.Random) -> dict[str, Any]:
    """One web page and one printing of it."""
    areas = rng.choice(AREAS)
    items = rng.choices(ITEMS, weights=(3, 2, 2, 1, 2))[0]
    columns = _columns(rng, areas, items)
    rating = rng.choice(RATINGS) if "rag" in columns else None
    landscape = rng.random() < 0.5
    return {
        "producer": "chromium",
        "rules": rng.choice(STYLES),
        "areas": areas,
        "items": items,
        "columns": columns,
        "section_markup": rng.choice(("td", "th", "tbody")) if areas == "section-rows" else None,
        "section_label": rng.choice(SECTION_LABELS) if areas == "section-rows" else None,
        "rating": rating,
        "rating_words": rng.choice(tuple(RAG_WORDS)) if rating in ("word", "pill") else None,
        "rating_fill": rating in ("letter", "word") and rng.random() < 0.7,
        "palette": rng.choices(tuple(PALETTES), weights=(3, 3, 2, 1))[0],
        "thead": rng.random() < 0.6,
        "header_cells": rng.choice(("th", "td-bold")),
        "header_fill": rng.choice(("dark", "grey", "none")),
        "item_cell": rng.choice(("td", "td", "th-row")) if items != "none" else None,
        "keep_rows": rng.random() < 0.4,
        "valign": rng.choice(("top", "top", "middle")),
        "widths": rng.choice(("auto", "set", "narrow")),
        "wrap": rng.choice(("normal", "normal", "anywhere", "break-word")),
        "font": rng.choice(tuple(FONTS)),
        "font_px": rng.choice((11, 12, 13, 14, 16)),
        "cell_p": rng.random() < 0.3,
        "long_cells": rng.random() < 0.4,
        "page": rng.choices(("cms", "cms-print-css", "export"), weights=(2, 1, 1))[0],
        "updated": rng.random() < 0.5,
        "aside": rng.random() < 0.2,
        "cookie_banner": rng.random() < 0.15,
        "caption": rng.random() < 0.15,
        "extras": sorted(rng.sample(("key-before", "key-after", "milestones-after", "signoff-after"),
                                    rng.choice((0, 0, 1, 1, 2)))),
        "notes": rng.random() < 0.35,
        "two_plans": rng.choices((None, "same", "different"), weights=(3, 1, 1))[0],
        "browser_furniture": rng.random() < 0.5,
        "backgrounds": "on" if rng.random() < 0.8 else "off",
        "paper": rng.choice(tuple(PAPER)),
        "landscape": landscape,
        "scale": rng.choice((1.0, 1.0, 0.9, 0.8, 0.7) if landscape else (1.0, 0.8, 0.7, 0.6)),
        "margins": rng.choice(tuple(MARGINS)),
    }


def _columns(rng: random.Random, areas: str, items: str) -> list[str]:
    """The columns a council chose, in its order."""
    cols = list(BASE_COLUMNS)
    optional = {"inspection_para": 0.7, "lead": 0.95, "by_when": 0.95, "progress": 0.8, "rag": 0.85,
                "monitoring": 0.6, "evidence_of_impact": 0.4}
    cols = [c for c in cols if rng.random() < optional.get(c, 1.0)]
    if areas == "section-rows":
        cols.remove("area_for_improvement")
    if items == "none":
        cols.remove("item")
    if rng.random() < 0.4 and "lead" in cols:  # lead before action
        cols.remove("lead")
        cols.insert(cols.index("action"), "lead")
    if rng.random() < 0.3 and "rag" in cols:  # rating last
        cols.remove("rag")
        cols.append("rag")
    if rng.random() < 0.25 and "inspection_para" in cols and "area_for_improvement" in cols:
        cols.remove("inspection_para")
        cols.insert(cols.index("area_for_improvement") + 1, "inspection_para")
    if rng.random() < 0.25 and "evidence_of_impact" in cols and "progress" in cols:
        cols.remove("evidence_of_impact")
        cols.insert(cols.index("progress"), "evidence_of_impact")
    return cols


# ---------------------------------------------------------------------------- records


def _plan_records(seed: int, n: int, layout: dict[str, Any], columns: list[str], rng: random.Random,
                  section_label: str | None) -> list[dict[str, Any]]:
    """Records from random_records, as this page shows them and a reader must return them."""
    records = random_records(seed, n, long_cells=layout["long_cells"])
    area_k = 0
    prev = None
    sub = 0
    letter = 0
    for i, rec in enumerate(records, start=1):
        key = (rec["area_for_improvement"], rec["inspection_para"])
        first = key != prev
        prev = key
        if first:
            area_k += 1
            sub = 0
        rec["_first"] = first
        rec["_area_k"] = area_k
        # numbering
        style = layout["items"]
        if style == "outline-letter":
            if first or rng.random() < 0.5:
                sub += 1
                letter = 0
            written = f"{area_k}.{sub}{string.ascii_lowercase[letter % 26]}"
            letter += 1
            rec["item"] = written
        elif style == "outline":
            sub += 1
            written = f"{area_k}.{sub}"
            rec["item"] = written
        elif style == "dotted":
            written = f"{i}."
            rec["item"] = str(i)
        else:  # number, none
            written = str(i)
            rec["item"] = str(i)
        rec["_item_written"] = written if style != "none" else ""
        # the area as this page writes it
        if section_label is not None:
            rec["area_for_improvement"] = section_label.format(k=area_k) + rec["area_for_improvement"]
        rec["evidence_of_impact"] = sentence(rng, 4, 22)
        # progress updates: some paragraphs start with the month they were written
        if layout["long_cells"] and "\n\n" in rec["progress"] and rng.random() < 0.4:
            parts = rec["progress"].split("\n\n")
            y = rng.randint(2015, 2025)
            rec["progress"] = "\n\n".join(f"{MONTHS[(3 * k + 2) % 12]} {y + k // 4}: {p}" for k, p in enumerate(parts))
        # the rating as written
        rag = rec["rag"]
        if "rag" not in columns:
            rec["rag"] = None
            rec["rag_raw"] = None
        elif layout["rating"] == "fill-only" or rag is None:
            rec["rag_raw"] = None
        elif layout["rating"] == "letter":
            rec["rag_raw"] = rag
        else:
            rec["rag_raw"] = RAG_WORDS[layout["rating_words"]][rag]
        if "inspection_para" not in columns:
            rec["inspection_para"] = None
            rec["inspection_para_refs"] = []
        if "by_when" not in columns:
            rec["by_when"] = None
            rec["due_dates"] = []
        for f in ("lead", "progress", "monitoring", "evidence_of_impact"):
            if f not in columns:
                rec[f] = None
        if "lead" not in columns:
            rec["lead_canonical"] = []
    return records


def _public(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if not k.startswith("_")}


# ---------------------------------------------------------------------------- HTML


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _paras(text: str, cell_p: bool, rng: random.Random) -> str:
    parts = text.split("\n\n")
    if cell_p or (len(parts) > 1 and rng.random() < 0.6):
        return "".join(f"<p>{_bold_month(_e(p))}</p>" for p in parts)
    return "<br><br>".join(_bold_month(_e(p)) for p in parts)


def _bold_month(escaped: str) -> str:
    """An update's month in bold, as editors mark them."""
    head, sep, rest = escaped.partition(": ")
    if sep and head.split(" ")[0] in MONTHS and len(head) < 16:
        return f"<strong>{head}:</strong> {rest}"
    return escaped


def _para_text(rec: dict[str, Any]) -> str:
    refs = rec["inspection_para_refs"]
    return f"{rec['inspection_para']}. ({', '.join(refs)})" if refs else f"{rec['inspection_para']}."


def _rag_cell(rec: dict[str, Any], layout: dict[str, Any]) -> tuple[str, str]:
    """(td attributes, inner html) of a rating cell."""
    rag = rec["rag"]
    if rag is None:
        return "", ""
    colour = PALETTES[layout["palette"]][rag]
    ink = "#0b0c0c" if colour in DARK_TEXT else "#ffffff"
    fill = f' class="rag" style="background-color: {colour}; color: {ink}"'
    rating = layout["rating"]
    if rating == "fill-only":
        return fill, ""
    if rating == "pill":
        return ' class="rag-cell"', (f'<span class="pill" style="background-color: {colour}; color: {ink}">'
                                     f"{_e(rec['rag_raw'])}</span>")
    if layout["rating_fill"]:
        return fill, _e(rec["rag_raw"])
    return "", _e(rec["rag_raw"])


WIDTHS_SET = {"item": 4, "inspection_para": 6, "area_for_improvement": 14, "action": 16, "lead": 10, "by_when": 8,
              "progress": 20, "rag": 6, "monitoring": 12, "evidence_of_impact": 12}
WIDTHS_NARROW = {"item": 3, "inspection_para": 4, "area_for_improvement": 16, "action": 20, "lead": 7, "by_when": 5,
                 "progress": 26, "rag": 3, "monitoring": 12, "evidence_of_impact": 12}


def _colgroup(columns: list[str], widths: str) -> str:
    if widths == "auto":
        return ""
    table = WIDTHS_SET if widths == "set" else WIDTHS_NARROW
    total = sum(table[c] for c in columns)
    return "<colgroup>" + "".join(f'<col style="width: {100 * table[c] / total:.1f}%">' for c in columns) + "</colgroup>"


def _plan_table(spec: PlanSpec, columns: list[str], layout: dict[str, Any], rng: random.Random) -> str:
    records = spec.records
    heads = [spec.headers[c] for c in columns]
    if layout["header_cells"] == "th":
        head_row = "<tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in heads) + "</tr>"
    else:
        head_row = '<tr class="head">' + "".join(f"<td><strong>{_e(h)}</strong></td>" for h in heads) + "</tr>"
    ncols = len(columns)
    areas = layout["areas"]
    span_of: dict[int, int] = {}  # first row of an area -> rows it spans
    if areas == "rowspan":
        start = 0
        for i, rec in enumerate(records):
            if rec["_first"]:
                start = i
                span_of[start] = 0
            span_of[start] += 1
    groups: list[list[str]] = [[]]
    for i, rec in enumerate(records):
        if areas == "section-rows" and rec["_first"]:
            text = _e(rec["area_for_improvement"])
            if layout["section_markup"] == "th":
                row = f'<tr class="section"><th colspan="{ncols}" scope="colgroup">{text}</th></tr>'
            else:
                row = f'<tr class="section"><td colspan="{ncols}"><strong>{text}</strong></td></tr>'
            if layout["section_markup"] == "tbody" and groups[-1]:
                groups.append([])
            groups[-1].append(row)
        cells = []
        for c in columns:
            attrs, inner = "", ""
            if c in ("inspection_para", "area_for_improvement") and areas in ("first-row", "every-row", "rowspan"):
                if areas == "rowspan":
                    if i not in span_of:
                        continue  # covered by the cell above
                    if span_of[i] > 1:
                        attrs = f' rowspan="{span_of[i]}"'
                if areas == "every-row" or rec["_first"]:
                    inner = _e(_para_text(rec)) if c == "inspection_para" else _e(rec["area_for_improvement"])
            elif c == "inspection_para":  # section rows: the paragraph in the area's first action
                inner = _e(_para_text(rec)) if rec["_first"] else ""
            elif c == "item":
                inner = _e(rec["_item_written"])
                if layout.get("item_cell") == "th-row":  # the number as the row's header: bold, centred
                    cells.append(f'<th scope="row">{inner}</th>')
                    continue
            elif c == "rag":
                attrs, inner = _rag_cell(rec, layout)
            elif c in ("action", "progress", "monitoring", "evidence_of_impact"):
                inner = _paras(rec[c], layout["cell_p"], rng)
            else:
                inner = _e(rec[c] or "")
            if layout["cell_p"] and inner and not inner.startswith("<p>") and c != "rag":
                inner = f"<p>{inner}</p>"
            cells.append(f"<td{attrs}>{inner}</td>")
        groups[-1].append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{_e(spec.title)}: actions and progress</caption>" if layout["caption"] else ""
    if layout["thead"]:
        head = f"<thead>{head_row}</thead>"
    else:
        head = ""
        groups[0].insert(0, head_row)
    body = "".join(f"<tbody>{''.join(g)}</tbody>" for g in groups)
    return f'<table class="plan">{caption}{_colgroup(columns, layout["widths"])}{head}{body}</table>'


def _small_table(rows: list[list[str]], cls: str, fills: dict[tuple[int, int], str] | None = None) -> str:
    out = [f'<table class="small {cls}">']
    for r, row in enumerate(rows):
        tag = "th" if r == 0 else "td"
        cells = []
        for c, text in enumerate(row):
            style = f' style="background-color: {fills[(r, c)]}"' if fills and (r, c) in fills else ""
            cells.append(f"<{tag}{style}>{_e(text)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _extra(kind: str, layout: dict[str, Any], rng: random.Random) -> str:
    palette = PALETTES[layout["palette"]]
    if kind.startswith("key"):
        words = RAG_WORDS["colour"]
        meaning = {"R": "Significant concerns: action not started or well behind plan",
                   "A": "Some concerns: action under way but may slip",
                   "G": "On track: action progressing as planned",
                   "B": "Complete: action delivered and impact evidenced"}
        rows = [["Rating", "What it means"]] + [[words[k], meaning[k]] for k in "RAGB"]
        fills = {(r + 1, 0): palette[k] for r, k in enumerate("RAGB")}
        return '<h3>Key to ratings</h3>' + _small_table(rows, "key", fills)
    if kind == "milestones-after":
        rows = [["Milestone", "Target date", "Owner"]]
        for _ in range(3):
            rows.append([sentence(rng, 3, 8), f"{rng.choice(MONTHS)} {rng.randint(2016, 2026)}", rng.choice(LEADS)[0]])
        return "<h2>Key milestones</h2>" + _small_table(rows, "milestones")
    rows = [["Signed off by", "Role", "Date"],
            ["", "Director of Children's Services", f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2016, 2026)}"],
            ["", "Lead Member for Children", f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2016, 2026)}"]]
    return "<h2>Sign-off</h2>" + _small_table(rows, "signoff")


def _css(layout: dict[str, Any]) -> str:
    font = FONTS[layout["font"]]
    px = layout["font_px"]
    brand = {"dark": "#1d3557", "grey": "#e1e1e1", "none": "transparent"}[layout["header_fill"]]
    head_ink = "#ffffff" if layout["header_fill"] == "dark" else "#0b0c0c"
    exact = "-webkit-print-color-adjust: exact; print-color-adjust: exact;"
    rules = {
        "web-grid": "table.plan { border-collapse: collapse } table.plan th, table.plan td { border: 1px solid #8a8a8a }",
        "web-zebra": ("table.plan { border-collapse: collapse } table.plan thead th, table.plan tr.head td "
                      "{ border-bottom: 2px solid #333 } table.plan tbody tr:nth-child(even) { background: #f2f2f2 }"),
        "web-lines": ("table.plan { border-collapse: collapse } table.plan th, table.plan td "
                      "{ border-bottom: 1px solid #b1b4b6; padding: 8px 12px 8px 0 }"),
        "web-bare": "table.plan { border-collapse: collapse }",
        "web-cards": ("table.plan { border-collapse: separate; border-spacing: 5px } table.plan td "
                      "{ background: #f3f2f1; border-radius: 4px; border: 1px solid #e0dedb }"),
    }[layout["rules"]]
    wrap = {"normal": "", "anywhere": "table.plan td { overflow-wrap: anywhere }",
            "break-word": "table.plan td { word-break: break-word }"}[layout["wrap"]]
    valign = "table.plan td, table.plan th { vertical-align: top }" if layout["valign"] == "top" else ""
    keep = "table.plan tr { break-inside: avoid; page-break-inside: avoid }" if layout["keep_rows"] else ""
    hide = ("@media print { .site-header, nav.site-nav, .cookie-banner, .feedback, footer.site-footer, "
            "aside.related { display: none } }") if layout["page"] == "cms-print-css" else ""
    rag_exact = f"td.rag, span.pill {{ {exact} }}"
    section = {"td": "tr.section td", "th": "tr.section th", "tbody": "tr.section td"}.get(
        layout.get("section_markup") or "", "tr.section td")
    return f"""
    html {{ font-family: {font}; font-size: {px}px; color: #0b0c0c; line-height: 1.35 }}
    body {{ margin: 0 }}
    .site-header {{ background: #0b0c0c; color: #fff; padding: 10px 16px; {exact if layout["backgrounds"] == "on" else ""} }}
    .site-header .logo {{ font-weight: bold; font-size: 1.4em }}
    nav.site-nav {{ font-size: 0.9em; margin-top: 4px }} nav.site-nav a {{ color: #fff; margin-right: 14px }}
    .cookie-banner {{ background: #f3f2f1; border-bottom: 1px solid #b1b4b6; padding: 8px 16px; font-size: 0.9em }}
    .breadcrumb {{ font-size: 0.85em; margin: 10px 0; color: #505a5f }}
    main {{ padding: 0 16px; max-width: 1200px }}
    h1 {{ font-size: 2em; margin: 12px 0 8px }} h2 {{ font-size: 1.45em; margin: 20px 0 8px }}
    h3 {{ font-size: 1.15em; margin: 16px 0 6px }}
    .updated {{ color: #505a5f; font-size: 0.9em }}
    aside.related {{ float: right; width: 30%; border-top: 4px solid #1d70b8; margin: 0 0 10px 16px; padding: 6px 10px;
                     background: #f3f2f1; font-size: 0.9em }}
    aside.related ul {{ padding-left: 18px; margin: 4px 0 }}
    table {{ clear: both }}
    table.plan {{ width: 100%; font-size: 0.9em; margin-bottom: 8px }}
    table.plan th, table.plan td {{ padding: 5px 6px }}
    table.plan thead th, table.plan > tbody > tr:first-child > th[scope="col"], table.plan tr.head td {{
        background: {brand}; color: {head_ink} }}
    {section} {{ background: #dbe7f3; font-weight: bold; text-align: left; {exact} }}
    caption {{ text-align: left; font-weight: bold; padding: 4px 0 }}
    td p {{ margin: {"0 0 0.6em" if layout["cell_p"] else "0 0 0.5em"} }} td p:last-child {{ margin-bottom: 0 }}
    td.rag, td.rag-cell {{ text-align: center; font-weight: bold }}
    span.pill {{ display: inline-block; border-radius: 10px; padding: 1px 8px; font-size: 0.85em; font-weight: bold }}
    table.small {{ border-collapse: collapse; margin: 6px 0 14px; font-size: 0.9em }}
    table.small th, table.small td {{ border: 1px solid #b1b4b6; padding: 4px 8px; text-align: left;
                                      vertical-align: top }}
    table.key td:first-child {{ {exact} }}
    .notes {{ font-size: 0.85em }}
    .feedback {{ border: 1px solid #b1b4b6; padding: 8px 12px; margin: 20px 0; width: 50% }}
    footer.site-footer {{ background: #f3f2f1; border-top: 1px solid #1d70b8; padding: 12px 16px; margin-top: 20px;
                          font-size: 0.85em }}
    footer.site-footer a {{ margin-right: 14px; color: #1d70b8 }}
    {rules}
    {wrap}
    {valign}
    {keep}
    {rag_exact}
    {hide}
    """


def _page_html(council: tuple[str, str], title: str, layout: dict[str, Any], plans: list[tuple[PlanSpec, list[str]]],
               rng: random.Random, updated: str) -> str:
    name = council[0]
    parts: list[str] = []
    cms = layout["page"] != "export"
    if cms:
        if layout["cookie_banner"]:
            parts.append('<div class="cookie-banner"><strong>Cookies on our website</strong> We use some essential '
                         "cookies to make this website work. <u>Accept additional cookies</u> "
                         "<u>Reject additional cookies</u></div>")
        parts.append(f'<header class="site-header"><div class="logo">{_e(name)}</div>'
                     '<nav class="site-nav"><a>Home</a><a>Council and democracy</a><a>Children and families</a>'
                     "<a>Education and schools</a><a>Contact us</a></nav></header>")
    parts.append("<main>")
    if cms:
        parts.append('<div class="breadcrumb">Home &rsaquo; Children and families &rsaquo; Children\'s social care '
                     f"&rsaquo; {_e(title)}</div>")
    parts.append(f"<h1>{_e(title)}</h1>")
    if layout["updated"] and cms:
        parts.append(f'<p class="updated">Last updated: {updated}</p>')
    if layout["aside"] and cms:
        parts.append('<aside class="related"><strong>Related pages</strong><ul><li>Ofsted inspection report</li>'
                     "<li>Children's services improvement board</li><li>Our practice framework</li></ul></aside>")
    month, year = rng.choice(MONTHS), rng.randint(2014, 2025)
    parts.append(f"<p>Ofsted inspected our services for children in need of help and protection, children looked "
                 f"after and care leavers in {month} {year}. This page sets out what we are doing about each "
                 "recommendation in the report, who is leading the work and where we have got to.</p>")
    if rng.random() < 0.5:
        parts.append(f"<p>The improvement board reviews this page every month. {_e(sentence(rng, 8, 20))}</p>")
    for extra in layout["extras"]:
        if extra == "key-before":
            parts.append(_extra(extra, layout, rng))
    for k, (spec, columns) in enumerate(plans):
        if len(plans) > 1:
            parts.append(f"<h2>{_e(spec.title)}</h2>")
        parts.append(_plan_table(spec, columns, layout, rng))
        if layout["notes"] and k == len(plans) - 1:
            parts.append(f'<p class="notes">* Dates marked as revised were agreed by the improvement board in '
                         f"{rng.choice(MONTHS)} {rng.randint(2015, 2025)}.</p>"
                         f'<p class="notes">Note: {_e(sentence(rng, 8, 18))}</p>')
    for extra in layout["extras"]:
        if extra != "key-before":
            parts.append(_extra(extra, layout, rng))
    if layout["updated"] and not cms:
        parts.append(f'<p class="updated">Last updated: {updated}</p>')
    if cms:
        parts.append('<div class="feedback"><strong>Was this page helpful?</strong> Yes / No</div>')
    parts.append("</main>")
    if cms:
        parts.append(f'<footer class="site-footer"><a>Accessibility</a><a>Cookies</a><a>Privacy notice</a>'
                     f"<a>Contact us</a><p>&copy; {_e(name)} {year + 1}</p></footer>")
    doc_title = f"{title} | {name}" if cms else title
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_e(doc_title)}</title>'
            f"<style>{_css(layout)}</style></head><body>{''.join(parts)}</body></html>")


# ---------------------------------------------------------------------------- printing


class _Printer:
    """One headless Chromium, kept for the documents of a run, printing through DevTools."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        why = available()
        if why:
            raise RuntimeError(why)
        self.profile = tempfile.mkdtemp(prefix="chromium-producer-")
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
            "google-chrome") or ""
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={self.profile}"):
            options.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)

    def print(self, page: Path, params: dict[str, Any]) -> bytes:
        self.driver.get(page.as_uri())
        return base64.b64decode(self.driver.execute_cdp_cmd("Page.printToPDF", params)["data"])

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


_PRINTER: _Printer | None = None


def _printer() -> _Printer:
    global _PRINTER
    if _PRINTER is None:
        _PRINTER = _Printer()
        atexit.register(close)
    return _PRINTER


def close() -> None:
    """Stop the browser this module started, if any."""
    global _PRINTER
    if _PRINTER is not None:
        printer, _PRINTER = _PRINTER, None
        printer.close()


def _print_params(layout: dict[str, Any], url: str, printed: str) -> dict[str, Any]:
    width, height = PAPER[layout["paper"]]
    margin = MARGINS[layout["margins"]]
    if layout["browser_furniture"]:
        margin = max(margin, 0.4)  # Chromium leaves its header and footer out of smaller margins
    params: dict[str, Any] = {
        "paperWidth": width, "paperHeight": height, "landscape": layout["landscape"],
        "scale": layout["scale"], "printBackground": layout["backgrounds"] == "on",
        "marginTop": margin, "marginBottom": margin, "marginLeft": margin, "marginRight": margin,
        "displayHeaderFooter": layout["browser_furniture"],
    }
    if layout["browser_furniture"]:
        # Chromium's own: date and title at the top, address and "page/pages" at the foot.
        # The date and address are written in so that a document is the same on every run.
        style = "font-family: sans-serif; font-size: 8px; width: 100%; margin: 0 0.4in; display: flex; " \
                "justify-content: space-between"
        params["headerTemplate"] = (f'<div style="{style}"><span>{printed}</span><span class="title"></span>'
                                    "<span></span></div>")
        params["footerTemplate"] = (f'<div style="{style}"><span>{_e(url)}</span><span><span class="pageNumber">'
                                    '</span>/<span class="totalPages"></span></span></div>')
    return params


# ---------------------------------------------------------------------------- the producer


def _headers(columns: list[str], rng: random.Random, fixed: dict[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in columns:
        choices = [h for h in HEADINGS[c] if h not in out.values() or not h]
        out[c] = (fixed or {}).get(c) or rng.choice(choices)
    return out


def _second_columns(columns: list[str], rng: random.Random) -> list[str]:
    """The second plan's columns: another board, another template."""
    cols = [c for c in columns if c not in ("monitoring", "evidence_of_impact")]
    cols.append(rng.choice(("evidence_of_impact", "monitoring")))
    if "progress" in cols and rng.random() < 0.4:
        cols.remove("progress")
    if "lead" in cols and "action" in cols and rng.random() < 0.5:
        cols.remove("lead")
        cols.insert(cols.index("action") + 1, "lead")
    return cols


TITLES = ("Ofsted improvement plan", "Children's services improvement plan", "Our response to the Ofsted inspection",
          "Post-inspection action plan", "Ofsted action plan: progress update")
SECOND_TITLES = ("Local Safeguarding Children Board recommendations", "Recommendations for the partnership",
                 "Joint targeted area inspection: actions")


def make(path: str | Path, seed: int, layout: dict[str, Any], n: int = 14) -> tuple[Path, list[PlanSpec]]:
    """The page for `seed` in `layout`, printed by Chromium to `path` (the HTML beside it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"chromium:{seed}")
    council = rng.choice(COUNCILS)
    title = rng.choice(TITLES)
    columns = list(layout["columns"])
    label = layout.get("section_label")
    fixed = layout.get("headings")
    specs: list[tuple[PlanSpec, list[str]]] = []
    records = _plan_records(seed, n, layout, columns, rng, label)
    fields = tuple(dict.fromkeys([*columns, "area_for_improvement", "item"]))
    headers = _headers(columns, rng, fixed)
    first_title = rng.choice(("Ofsted recommendations", "Actions and progress", title))
    specs.append((PlanSpec(first_title if layout["two_plans"] else title, records, fields, headers), columns))
    if layout["two_plans"]:
        second_cols = columns if layout["two_plans"] == "same" else _second_columns(columns, rng)
        second = _plan_records(seed + 1, max(4, n // 2), layout, second_cols, rng, label)
        second_headers = headers if layout["two_plans"] == "same" else _headers(second_cols, rng, fixed)
        fields2 = tuple(dict.fromkeys([*second_cols, "area_for_improvement", "item"]))
        specs.append((PlanSpec(rng.choice(SECOND_TITLES), second, fields2, second_headers), second_cols))
    updated = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2016, 2026)}"
    page = _page_html(council, title, layout, specs, rng, updated)
    html_path = path.with_suffix(".html")
    html_path.write_text(page, encoding="utf-8")
    slug = title.lower().replace("'", "").replace(":", "").replace(" ", "-")
    url = f"https://{council[1]}/children-and-families/{slug}"
    printed = f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(16, 26)}, {rng.randint(1, 12)}:{rng.randint(0, 59):02d} " \
              f"{rng.choice(('AM', 'PM'))}"
    path.write_bytes(_printer().print(html_path, _print_params(layout, url, printed)))
    out = []
    for spec, _cols in specs:
        spec.records = [_public(r) for r in spec.records]
        out.append(spec)
    return path, out


# ---------------------------------------------------------------------------- one habit at a time

# A plain page every reader should get right (the classic headings, a ruled grid, a repeated
# header, letters on coloured cells), and the habits, each changed on its own: which of them
# the converter stumbles on.
CONTROL: dict[str, Any] = {
    "producer": "chromium", "rules": "web-grid", "areas": "first-row", "items": "number",
    "columns": ["item", "inspection_para", "area_for_improvement", "lead", "action", "by_when", "progress", "rag",
                "monitoring"],
    "section_markup": None, "section_label": None, "rating": "letter", "rating_words": None, "rating_fill": True,
    "palette": "office", "thead": True, "header_cells": "th", "header_fill": "grey", "item_cell": "td",
    "keep_rows": False, "valign": "top", "widths": "set", "wrap": "normal", "font": "arial", "font_px": 12,
    "cell_p": False, "long_cells": False, "page": "export", "updated": False, "aside": False, "cookie_banner": False,
    "caption": False, "extras": [], "notes": False, "two_plans": None, "browser_furniture": False,
    "backgrounds": "on", "paper": "A4", "landscape": True, "scale": 1.0, "margins": "default",
    "headings": {"item": "No.", "inspection_para": "Ofsted Para No", "area_for_improvement": "Area for Improvement",
                 "lead": "Lead", "action": "Action", "by_when": "By When", "progress": "Progress", "rag": "R/A/G",
                 "monitoring": "Monitoring and Evaluation", "evidence_of_impact": "Evidence of impact"},
}
_NO_AREA = [c for c in CONTROL["columns"] if c != "area_for_improvement"]
ABLATIONS: dict[str, dict[str, Any]] = {
    "control": {},
    **{f"rules={r}": {"rules": r} for r in STYLES[1:]},
    "areas=every-row": {"areas": "every-row"},
    "areas=rowspan": {"areas": "rowspan"},
    "areas=rowspan,middle": {"areas": "rowspan", "valign": "middle"},
    "areas=section-rows": {"areas": "section-rows", "columns": _NO_AREA, "section_markup": "td",
                           "section_label": "Recommendation {k}: "},
    "areas=section-rows,bare": {"areas": "section-rows", "columns": _NO_AREA, "section_markup": "th",
                                "section_label": ""},
    "items=dotted": {"items": "dotted"},
    "items=outline": {"items": "outline"},
    "items=outline-letter": {"items": "outline-letter"},
    "items=none": {"items": "none", "columns": CONTROL["columns"][1:], "item_cell": None},
    "item_cell=th-row": {"item_cell": "th-row"},
    "rating=letter,no fill": {"rating_fill": False},
    "rating=word(colour)": {"rating": "word", "rating_words": "colour"},
    "rating=word(status)": {"rating": "word", "rating_words": "status"},
    "rating=pill(status)": {"rating": "pill", "rating_words": "status"},
    "rating=fill-only": {"rating": "fill-only"},
    "rating=fill-only,govuk": {"rating": "fill-only", "palette": "govuk"},
    "rating=fill-only,sheets-light": {"rating": "fill-only", "palette": "sheets-light"},
    "headings=council's": {"headings": None},
    "columns=+impact": {"columns": [*CONTROL["columns"], "evidence_of_impact"]},
    "columns=-para": {"columns": [c for c in CONTROL["columns"] if c != "inspection_para"]},
    "thead=no": {"thead": False},
    "header_cells=td-bold": {"header_cells": "td-bold"},
    "header_fill=dark": {"header_fill": "dark"},
    "keep_rows": {"keep_rows": True},
    "valign=middle": {"valign": "middle"},
    "widths=auto": {"widths": "auto"},
    "widths=narrow,anywhere": {"widths": "narrow", "wrap": "anywhere"},
    "widths=auto,break-word": {"widths": "auto", "wrap": "break-word"},
    "font=georgia": {"font": "georgia"},
    "font=narrow": {"font": "narrow"},
    "font_px=16": {"font_px": 16},
    "cell_p": {"cell_p": True},
    "long_cells": {"long_cells": True},
    "page=cms": {"page": "cms", "updated": True, "aside": True, "cookie_banner": True},
    "page=cms-print-css": {"page": "cms-print-css", "updated": True},
    "caption": {"caption": True},
    "extras=key-before": {"extras": ["key-before"]},
    "extras=after": {"extras": ["milestones-after", "signoff-after"]},
    "notes": {"notes": True},
    "two_plans=same": {"two_plans": "same"},
    "two_plans=different": {"two_plans": "different"},
    "browser_furniture": {"browser_furniture": True},
    "backgrounds=off": {"backgrounds": "off"},
    "portrait": {"landscape": False},
    "portrait,scale=0.6": {"landscape": False, "scale": 0.6},
    "paper=Letter": {"paper": "Letter"},
    "margins=narrow": {"margins": "narrow"},
}


def ablation(name: str) -> dict[str, Any]:
    """The control page with one habit changed."""
    layout = {**CONTROL, **ABLATIONS[name]}
    layout["ablation"] = name
    return layout


# ---------------------------------------------------------------------------- the sweep


def _score(seed: int, workdir: Path, leads: Path, layout: dict[str, Any], n: int) -> Any:
    import time

    from sweep import LayoutScore, compare

    from actionplan import ActionPlanError, convert
    from actionplan.schemas.issues import STRUCTURAL

    score = LayoutScore(layout, seed)
    t0 = time.perf_counter()
    pdf, specs = make(workdir / f"chromium-{seed}.pdf", seed, layout, n=n)
    t1 = time.perf_counter()
    score.made_s = t1 - t0  # type: ignore[attr-defined]
    score.specs = specs  # type: ignore[attr-defined]
    try:
        result = convert(pdf, leads=leads)
    except ActionPlanError as exc:
        score.error = str(exc)
        score.records = sum(len(s.records) for s in specs)
    else:
        doc = result.to_dict()
        score.structural = sorted({w["code"] for w in doc["warnings"] if w["code"] in STRUCTURAL})
        compare(specs, doc["tables"], score)
    score.convert_s = time.perf_counter() - t1  # type: ignore[attr-defined]
    return score


def _kind(miss: str) -> str:
    """The field a miss is about ("action", "rag", "missing")."""
    if miss.endswith(": missing"):
        return "missing"
    head = miss.split(":")[0]
    return head.rsplit(".", 1)[-1] if "." in head else head


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _ablation_table(scores: list[Any]) -> None:
    from collections import Counter

    head = f"{'habit':28} {'docs':>4} {'records':>8} {'text':>6} {'other':>6} {'spur':>5} {'wrong':>5} {'silent':>6}  what"
    print(head)
    print("-" * len(head))
    for name in ABLATIONS:
        group = [s for s in scores if s.layout.get("ablation") == name]
        rec = sum(s.records for s in group)
        kinds = Counter(_kind(m) for s in group for m in s.misses)
        what = [f"{k} {v}" for k, v in kinds.most_common(3)]
        what += sorted({_error_kind(s.error) for s in group if s.error})
        what += sorted({c for s in group for c in s.structural})
        print(f"{name:28} {len(group):4} {sum(s.found for s in group) / max(rec, 1):8.3f} "
              f"{sum(s.text_ok for s in group) / max(sum(s.text_total for s in group), 1):6.3f} "
              f"{sum(s.other_ok for s in group) / max(sum(s.other_total for s in group), 1):6.3f} "
              f"{sum(s.spurious for s in group):5} {sum(1 for s in group if s.wrong):5} "
              f"{sum(1 for s in group if s.silent):6}  {'; '.join(what)}")
    print()


def _error_kind(error: str) -> str:
    """A refusal without its file, page and values: "the item number appears more than once"."""
    text = error.split(": ", 1)[-1] if error.startswith("/") else error
    text = re.sub(r"^plan '[^']*': ", "", re.sub(r"^(page \\d+, )?(item [^:]*: )?", "", text))
    return re.split(r"[:;(]", text)[0].strip()


def _table(title: str, groups: dict[str, list[Any]], everyone: list[Any]) -> None:
    head = (f"{title:15} {'docs':>4} {'records':>8} {'text':>6} {'other':>6} {'spur':>5} {'wrong':>5} "
            f"{'flagged':>7} {'silent':>6}")
    print(head)
    print("-" * len(head))
    for name, group in [*sorted(groups.items()), ("all", everyone)]:
        rec = sum(s.records for s in group)
        wrong = [s for s in group if s.wrong]
        print(f"{name:15} {len(group):4} {sum(s.found for s in group) / max(rec, 1):8.3f} "
              f"{sum(s.text_ok for s in group) / max(sum(s.text_total for s in group), 1):6.3f} "
              f"{sum(s.other_ok for s in group) / max(sum(s.other_total for s in group), 1):6.3f} "
              f"{sum(s.spurious for s in group):5} {len(wrong):5} {sum(1 for s in wrong if not s.silent):7} "
              f"{sum(1 for s in group if s.silent):6}")
    print()


def main(argv: list[str] | None = None) -> int:
    import argparse
    import time
    from collections import Counter, defaultdict

    from synth import write_leads_csv

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=12, help="documents to make (default 12)")
    ap.add_argument("--seed", type=int, default=1, help="document k uses seed*100000+k")
    ap.add_argument("--records", type=int, default=14, help="records in the first plan (default 14)")
    ap.add_argument("--show", type=int, default=4, help="wrong documents to describe (default 4)")
    ap.add_argument("--keep", type=Path, help="keep the HTML and PDFs in this folder")
    ap.add_argument("--ablate", action="store_true",
                    help="instead: the control page and each habit on its own, --n documents each")
    args = ap.parse_args(argv)
    why = available()
    if why:
        print(f"chromium producer unavailable: {why}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        leads = write_leads_csv(Path(tmp) / "leads.csv")
        try:
            if args.ablate:
                for name in ABLATIONS:
                    for k in range(args.n):
                        seed = args.seed * 100000 + k
                        scores.append(_score(seed, workdir / _slug(name), leads, ablation(name), args.records))
            else:
                for k in range(args.n):
                    seed = args.seed * 100000 + k
                    layout = random_layout(random.Random(seed))
                    scores.append(_score(seed, workdir, leads, layout, args.records))
        finally:
            close()
    if args.ablate:
        _ablation_table(scores)
    for axis in () if args.ablate else ("rules", "areas", "rating", "items"):
        groups: dict[str, list[Any]] = defaultdict(list)
        for s in scores:
            groups[str(s.layout[axis])].append(s)
        _table(axis, groups, scores)
    kinds = Counter(_kind(m) for s in scores for m in s.misses)
    print("misses by field:", ", ".join(f"{k} {v}" for k, v in kinds.most_common()) or "none")
    errors = Counter(_error_kind(s.error) for s in scores if s.error)
    print("conversions refused:", "; ".join(f"{v} x {k}" for k, v in errors.most_common()) or "none")
    warned = Counter(code for s in scores for code in s.structural)
    print("structural warnings:", ", ".join(f"{k} {v}" for k, v in warned.most_common()) or "none")
    for s in [s for s in scores if s.wrong][: args.show]:
        print(f"\n{'SILENT' if s.silent else 'flagged'} (seed {s.seed}): {s.layout}")
        print(f"  headers: {[sp.headers for sp in s.specs]}")
        print(f"  error: {s.error}" if s.error else f"  structural warnings: {s.structural}")
        for m in s.misses[:8]:
            print("  ", m)
    made = sum(s.made_s for s in scores) / max(len(scores), 1)
    conv = sum(s.convert_s for s in scores) / max(len(scores), 1)
    print(f"\n{len(scores)} documents in {time.perf_counter() - start:.0f} s "
          f"(per document: {made:.1f} s to make, {conv:.1f} s to convert)")
    return 1 if any(s.silent for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
