"""Synthetic plan PDFs: random records typeset the way Word lays out a council plan.

`make_plan_pdf` draws records into a ruled table whose rows break across pages (the
continuation starts with an empty "No." cell), with a title above, page furniture, RAG
cells shaded, and options for the habits of other councils' templates. Tests convert
the PDF back and compare with the records that went in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

WORDS = (
    "review assurance framework children social care performance audit quality practice "
    "supervision partnership board strategy delivery monitoring evaluation placement fostering "
    "adoption safeguarding training workforce development programme outcomes report reports "
    "governance procedures protocol services service teams managers report meeting agreed "
    "consultation implementation timescale resources capacity learning families engagement "
    "commissioning contract provider analysis information sharing agencies police health "
    "schools education attendance progress attainment pathway leavers assessment assessments "
    "plans escalation thresholds referrals conference independent reviewing officers quarterly "
    "monthly completed underway established refreshed presented approved drafted identified "
    "ensure develop continue improve deliver embed strengthen evidence impact scrutiny "
    "committee cabinet members the and of to in for with on at by from will be has been are is "
    "a an that this their all"
).split()

LEADS = (
    ("Head of Looked After Children", ("Head of LAC", "Head of Looked Children")),
    ("Head of Fieldwork", ("Head of Fieldwork (KP)",)),
    ("Assistant Director Safeguarding and Family Support",
     ("Assistant Director: Safeguarding & Family Support", "AD Safeguarding and Family Support")),
    ("Head of Children with Disabilities and Practice Development", ()),
    ("Strategic Business Intelligence Manager", ()),
    ("Service Manager ICT Strategy and Commissioning", ("Service Manager – ICT Strategy and Commissioning",)),
    ("Chair of QA Sub Group", ("Chair of the QA Sub Group",)),
    ("Independent Chair of the Board", ()),
    ("Director of Children's Services", ("DCS", "Director of Children's Services (DCS)")),
    ("Principal Social Worker", ("PSW",)),
)

MONTHS = ("January February March April May June July August September October November "
          "December").split()

RAG_FILL = {"R": (1.0, 0.0, 0.0), "A": (1.0, 0.75, 0.0), "G": (0.0, 0.69, 0.31), "B": (0.0, 0.44, 0.75)}

DEFAULT_HEADERS = {
    "item": "No.",
    "inspection_para": "Ofsted Para No",
    "area_for_improvement": "Area for Improvement",
    "lead": "Lead",
    "action": "Action",
    "by_when": "By When",
    "progress": "Progress",
    "rag": "R/A/G",
    "monitoring": "Monitoring and Evaluation",
}


def sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def by_when(rng: random.Random) -> tuple[str, list[str]]:
    """A deadline as plans write it, with the dates it means."""
    y = rng.randint(2014, 2025)
    m = rng.randint(1, 12)
    kind = rng.random()
    if kind < 0.55:
        return f"{MONTHS[m - 1]} {y}", [f"{y}-{m:02d}"]
    if kind < 0.7:
        m2 = rng.randint(1, 12)
        return f"{MONTHS[m - 1]} {y} {MONTHS[m2 - 1]} {y + 1}", [f"{y}-{m:02d}", f"{y + 1}-{m2:02d}"]
    if kind < 0.8:
        d = rng.randint(1, 28)
        return f"{d:02d}/{m:02d}/{y}", [f"{y}-{m:02d}-{d:02d}"]
    if kind < 0.85:
        return rng.choice(("Ongoing", "Complete", "TBC")), []
    if kind < 0.9:
        q = rng.randint(1, 4)
        month, year = (3 * q + 3, y) if q < 4 else (3, y + 1)
        return f"End of Q{q} {y}/{(y + 1) % 100:02d}", [f"{year}-{month:02d}"]
    if kind < 0.95:
        return f"Completed {MONTHS[m - 1]} {y}", [f"{y}-{m:02d}"]
    return f"{MONTHS[m - 1][:3]} {y}", [f"{y}-{m:02d}"]


@dataclass
class PlanSpec:
    title: str
    records: list[dict[str, Any]]
    fields: tuple[str, ...] = tuple(DEFAULT_HEADERS)
    headers: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_HEADERS))
    widths: dict[str, float] | None = None  # relative column widths


def random_records(seed: int, n: int, *, item_style: str = "number", multi_lead: bool = True,
                   long_cells: bool = False) -> list[dict[str, Any]]:
    """Records grouped under areas for improvement, as plans are."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    para = rng.randint(10, 40)
    area = sentence(rng, 8, 25)
    refs: list[str] = []
    for i in range(1, n + 1):
        if i == 1 or rng.random() < 0.35:
            para += rng.randint(1, 3)
            area = "Ensure that " + sentence(rng, 8, 30).lower()
            refs = sorted({str(rng.randint(40, 160)) for _ in range(rng.randint(0, 3))}, key=int)
        canonical, aliases = rng.choice(LEADS)
        lead = rng.choice((canonical, *aliases))
        canon = [canonical]
        if multi_lead and rng.random() < 0.1:
            other, _ = rng.choice([x for x in LEADS if x[0] != canonical])
            lead, canon = f"{lead} and {other}", [canonical, other]
        text, dates = by_when(rng)
        rag = rng.choice("RAGGAB") if rng.random() > 0.05 else None
        if item_style == "dotted":
            item = f"{para % 10 + 1}.{i}"
        elif item_style == "prefixed":
            item = f"R{i}"
        elif item_style == "letter":
            item = f"A{i}"
        else:
            item = str(i)
        records.append({
            "item": item,
            "inspection_para": str(para),
            "inspection_para_refs": refs,
            "area_for_improvement": area,
            "lead": lead,
            "lead_canonical": canon,
            "action": sentence(rng, 6, 40),
            "by_when": text,
            "due_dates": dates,
            "progress": _progress(rng, long_cells),
            "rag": rag,
            "monitoring": sentence(rng, 3, 20),
        })
    return records


def _progress(rng: random.Random, long_cells: bool) -> str:
    """Progress as updates are written: sentences, and with `long_cells` several
    paragraphs (a blank line between) that run over a page."""
    if not long_cells or rng.random() < 0.4:
        return " ".join(sentence(rng, 8, 30) for _ in range(rng.randint(1, 6)))
    return "\n\n".join(" ".join(sentence(rng, 8, 30) for _ in range(rng.randint(1, 4)))
                       for _ in range(rng.randint(2, 5)))


def _cell_text(field_name: str, rec: dict[str, Any], first_of_area: bool, rag_text: bool) -> str:
    if field_name == "item":
        return f"{rec['item']}."
    if field_name == "inspection_para":
        if not first_of_area:
            return ""
        refs = rec["inspection_para_refs"]
        return f"{rec['inspection_para']}. ({', '.join(refs)})" if refs else f"{rec['inspection_para']}."
    if field_name == "area_for_improvement":
        return rec["area_for_improvement"] if first_of_area else ""
    if field_name == "rag":
        return (rec.get("rag_raw") or rec["rag"] or "") if rag_text else ""
    return str(rec.get(field_name) or "")


PADDING = 3.0


def word_wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines as Word breaks them: at spaces; a word wider than the column starts a new
    line and is cut where the column ends ("Septembe" / "r 2015")."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if "\n\n" in text:  # paragraphs, a blank line between
        out: list[str] = []
        for k, part in enumerate(text.split("\n\n")):
            out += ([""] if k else []) + word_wrap(part, font, size, width)
        return out
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        while stringWidth(word, font, size) > width:
            cut = max(1, max(k for k in range(1, len(word) + 1) if stringWidth(word[:k], font, size) <= width)
                      if stringWidth(word[0], font, size) <= width else 1)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def make_plan_pdf(
    path: str | Path,
    plans: list[PlanSpec],
    *,
    pagesize: tuple[float, float] | None = None,
    font: str = "Helvetica",
    font_size: float = 8,
    repeat_header: bool = True,
    rules: str = "grid",  # one of STYLES
    split_in_row: bool = True,
    header_fill: bool = True,
    rag_text: bool = True,
    rag_fill: bool = True,
    merge_areas: bool = False,
    footer: str | None = "Page {page}",
    running_head: str | None = None,
    intro: str | None = "Key: this plan is monitored by the improvement board.",
    extra_tables: list[list[list[str]]] | None = None,
    tables_before: list[list[list[str]]] | None = None,
    spans: list[tuple[str, int, int]] | None = None,
) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    path = Path(path)
    pagesize = pagesize or landscape(A4)
    body = ParagraphStyle("body", fontName=font, fontSize=font_size, leading=font_size * 1.2, splitLongWords=0)
    head = ParagraphStyle("head", parent=body, fontName=font + ("-Bold" if font != "Times-Roman" else ""))
    if font == "Times-Roman":
        head = ParagraphStyle("head", parent=body, fontName="Times-Bold")
    title_style = ParagraphStyle("title", parent=body, fontSize=font_size + 5, leading=(font_size + 5) * 1.3)

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, font_size)
        if footer:
            canvas.drawCentredString(pagesize[0] / 2, 20, footer.format(page=doc.page))
        if running_head:
            canvas.drawString(36, pagesize[1] - 24, running_head)
        canvas.restoreState()

    story: list[Any] = []
    usable = pagesize[0] - 72

    def small_table(rows: list[list[str]]) -> Any:
        t = Table([[Paragraph(escape(c), body) for c in row] for row in rows])
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        return t

    for extra in tables_before or []:
        story += [small_table(extra), Spacer(1, 12)]
    for n, plan in enumerate(plans):
        if n:
            story.append(PageBreak())
        story.append(Paragraph(escape(plan.title), title_style))
        if intro:
            story.append(Paragraph(escape(intro), body))
        story.append(Spacer(1, 6))
        weights = plan.widths or {}
        total = sum(weights.get(f, _default_weight(f)) for f in plan.fields)
        widths = [usable * weights.get(f, _default_weight(f)) / total for f in plan.fields]
        inner = [w - 2 * PADDING - 0.5 for w in widths]

        def para(text: str, style_: ParagraphStyle, col: int, inner: list[float] = inner) -> Any:
            lines = word_wrap(text, style_.fontName, style_.fontSize, inner[col])
            return Paragraph("<br/>".join(escape(line) for line in lines), style_)

        data = [[para(plan.headers.get(f, f), head, c) for c, f in enumerate(plan.fields)]]
        style: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ]
        style += _style_rules(rules, len(plan.records), header_fill)
        rag_col = plan.fields.index("rag") if "rag" in plan.fields else None
        area_start = None
        prev_area = None
        for r, rec in enumerate(plan.records, start=1):
            first = rec["area_for_improvement"] != prev_area or rec["inspection_para"] != (
                plan.records[r - 2]["inspection_para"] if r > 1 else None)
            if merge_areas and first:
                if area_start is not None and r - 1 > area_start:
                    _span_area(style, plan.fields, area_start, r - 1)
                area_start = r
            prev_area = rec["area_for_improvement"]
            hidden = {f for f, a, b in spans or [] if a < r - 1 <= b}  # covered by a merged cell above
            data.append([para("" if f in hidden else _cell_text(f, rec, first, rag_text), body, c)
                         for c, f in enumerate(plan.fields)])
            if rag_col is not None and rag_fill and rec.get("rag"):
                style.append(("BACKGROUND", (rag_col, r), (rag_col, r), colors.Color(*RAG_FILL[rec["rag"]])))
        if merge_areas and area_start is not None and len(plan.records) > area_start:
            _span_area(style, plan.fields, area_start, len(plan.records))
        for f, a, b in spans or []:
            c = plan.fields.index(f)
            style.append(("SPAN", (c, a + 1), (c, b + 1)))
        table = Table(data, colWidths=widths, repeatRows=1 if repeat_header else 0,
                      splitInRow=1 if split_in_row else 0)
        table.setStyle(TableStyle(style))
        story.append(table)
    for extra in extra_tables or []:
        story += [Spacer(1, 12), small_table(extra)]
    doc = SimpleDocTemplate(str(path), pagesize=pagesize, leftMargin=36, rightMargin=36,
                            topMargin=36, bottomMargin=36, title="plan")
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


SAMPLE_HEADERS = (
    {**DEFAULT_HEADERS, "area_for_improvement": "Ofsted Area for Improvement"},
    {"item": "", "inspection_para": "Ofsted Para No", "business_plan_ref": "Business Plan 2014-15 Reference",
     "area_for_improvement": "Ofsted Area for Improvement", "lead": "Lead", "action": "Action",
     "by_when": "By When", "progress": "Progress", "rag": "RAG Rating", "evidence_of_impact": "Evidence of impact"},
)


def plans_from_expected(doc: dict[str, Any]) -> list[PlanSpec]:
    """Hand-checked records in the output contract, as plans to typeset again."""
    specs = []
    for n, table in enumerate(doc["tables"]):
        records = table["records"]
        fields = [f for f in ("item", "inspection_para", "business_plan_ref", "area_for_improvement", "lead",
                              "action", "by_when", "progress", "rag", "monitoring", "evidence_of_impact")
                  if any(f in r for r in records)]
        headers = SAMPLE_HEADERS[min(n, 1)]
        specs.append(PlanSpec(table["title"], records, tuple(fields), dict(headers)))
    return specs


STYLES = ("grid", "shaded-grid", "horizontal", "banded", "underline", "box-vertical", "none")
GREY = (0.85, 0.85, 0.85)
BAND = (0.93, 0.95, 0.98)


def _style_rules(style: str, n: int, header_fill: bool = True) -> list[tuple[Any, ...]]:
    """Table rules and fills as each kind of template draws them, exactly as ReportLab
    renders them (it leaves out the rule under a repeated header above a split row)."""
    from reportlab.lib import colors

    black = colors.black
    out: list[tuple[Any, ...]] = []
    if style == "grid":
        out.append(("GRID", (0, 0), (-1, -1), 0.5, black))
    elif style == "shaded-grid":
        out += [("GRID", (0, 0), (-1, -1), 0.5, black), ("BACKGROUND", (0, 0), (-1, 0), colors.Color(*GREY))]
    elif style == "horizontal":
        out += [("LINEBELOW", (0, 0), (-1, -1), 0.5, black), ("LINEABOVE", (0, 0), (-1, 0), 0.5, black)]
    elif style == "banded":
        out.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, black))
        out += [("BACKGROUND", (0, r), (-1, r), colors.Color(*BAND)) for r in range(2, n + 1, 2)]
    elif style == "underline":
        out.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, black))
    elif style == "box-vertical":
        out += [("BOX", (0, 0), (-1, -1), 0.5, black), ("LINEBEFORE", (1, 0), (-1, -1), 0.5, black)]
    elif style != "none":
        raise ValueError(style)
    if header_fill and style != "shaded-grid":
        out.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(*GREY)))
    return out


def _span_area(style: list[tuple[Any, ...]], fields: tuple[str, ...], first: int, last: int) -> None:
    for f in ("inspection_para", "area_for_improvement"):
        if f in fields:
            c = fields.index(f)
            style.append(("SPAN", (c, first), (c, last)))


def _default_weight(f: str) -> float:
    return {"item": 0.5, "inspection_para": 0.8, "rag": 0.5, "by_when": 0.9, "progress": 2.5, "action": 2.0,
            "area_for_improvement": 1.6, "lead": 1.2, "monitoring": 1.6}.get(f, 1.0)


_CSS_RULES = {
    "grid": "th, td { border: 0.5pt solid black }",
    "shaded-grid": "th, td { border: 0.5pt solid black } th { background: #d9d9d9 }",
    "horizontal": "th, td { border-bottom: 0.5pt solid black } th { border-top: 0.5pt solid black }",
    "banded": "th { border-bottom: 0.8pt solid black } tbody tr:nth-child(even) td { background: #edf2fa }",
    "underline": "th { border-bottom: 0.8pt solid black }",
    "box-vertical": "table { border: 0.5pt solid black } th + th, td + td { border-left: 0.5pt solid black }",
    "none": "",
}


def make_plan_html_pdf(
    path: str | Path,
    plans: list[PlanSpec],
    *,
    pagesize: tuple[float, float] | None = None,
    font: str = "Helvetica",
    font_size: float = 8,
    repeat_header: bool = True,
    rules: str = "grid",
    split_in_row: bool = True,
    header_fill: bool = True,
    rag_text: bool = True,
    rag_fill: bool = True,
    footer: str | None = "Page {page}",
    intro: str | None = "Key: this plan is monitored by the improvement board.",
) -> Path:
    """The same plans as an HTML page printed to PDF by WeasyPrint, as a browser or a
    report server prints them: the browser's own line breaking, table layout and page
    breaks (`thead` repeated, rows split inside cells unless told not to)."""
    import weasyprint
    from reportlab.lib.pagesizes import A4, landscape

    path = Path(path)
    width, height = pagesize or landscape(A4)
    family = "serif" if font.startswith("Times") else "monospace" if font.startswith("Courier") else "sans-serif"
    counter = 'content: "' + escape(footer).replace("{page}", '" counter(page) "') + '";' if footer else ""
    css = f"""
    @page {{ size: {width}pt {height}pt; margin: 36pt; @bottom-center {{ {counter} font-size: {font_size}pt }} }}
    body {{ font-family: {family}; font-size: {font_size}pt; line-height: 1.2 }}
    h1 {{ font-size: {font_size + 5}pt; font-weight: normal; margin: 0 0 4pt 0 }}
    p.intro {{ margin: 0 0 6pt 0 }}
    table {{ border-collapse: collapse; width: 100%; page-break-before: auto }}
    table + h1 {{ page-break-before: always }}
    th, td {{ padding: 3pt; vertical-align: top; text-align: left }}
    th {{ font-weight: bold; {"background: #d9d9d9;" if header_fill else ""} }}
    thead {{ display: {"table-header-group" if repeat_header else "table-row-group"} }}
    tr {{ break-inside: {"auto" if split_in_row else "avoid"} }}
    td p {{ margin: 0 0 {font_size * 1.2}pt 0 }} td p:last-child {{ margin-bottom: 0 }}
    {_CSS_RULES[rules]}
    """
    body: list[str] = []
    for plan in plans:
        body.append(f"<h1>{escape(plan.title)}</h1>")
        if intro:
            body.append(f'<p class="intro">{escape(intro)}</p>')
        weights = plan.widths or {}
        total = sum(weights.get(f, _default_weight(f)) for f in plan.fields)
        cols = "".join(f'<col style="width: {100 * weights.get(f, _default_weight(f)) / total:.2f}%">'
                       for f in plan.fields)
        head = "".join(f"<th>{escape(plan.headers.get(f, f))}</th>" for f in plan.fields)
        rows = []
        prev = None
        for rec in plan.records:
            first = (rec["area_for_improvement"], rec["inspection_para"]) != prev
            prev = (rec["area_for_improvement"], rec["inspection_para"])
            cells = []
            for f in plan.fields:
                text = _cell_text(f, rec, first, rag_text)
                style = ""
                if f == "rag" and rag_fill and rec.get("rag"):
                    r, g, b = RAG_FILL[rec["rag"]]
                    style = f' style="background: rgb({r * 255:.0f}, {g * 255:.0f}, {b * 255:.0f})"'
                paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n")) if text else ""
                cells.append(f"<td{style}>{paras}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        body.append(f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
                    f"<tbody>{''.join(rows)}</tbody></table>")
    html = f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{''.join(body)}</body></html>"
    weasyprint.HTML(string=html).write_pdf(str(path))
    return path


PRODUCERS = {"reportlab": make_plan_pdf, "weasyprint": make_plan_html_pdf}


def random_layout(rng: random.Random) -> dict[str, Any]:
    """One point of the layout sweep: a style crossed with the habits producers have."""
    from reportlab.lib.pagesizes import A4, landscape, letter, portrait

    paper = rng.choice((A4, letter))
    return {
        "producer": rng.choice(tuple(PRODUCERS)),
        "rules": rng.choice(STYLES),
        "repeat_header": rng.random() < 0.6,
        "split_in_row": rng.random() < 0.7,
        "pagesize": landscape(paper) if rng.random() < 0.7 else portrait(paper),
        "font": rng.choice(("Helvetica", "Times-Roman")),
        "font_size": rng.choice((7, 7.5, 8, 9, 10)),
        "header_fill": rng.random() < 0.5,
        "rag_text": rng.random() < 0.85,
        "long_cells": rng.random() < 0.5,
        "blank_first_header": rng.random() < 0.3,
        "two_plans": rng.random() < 0.4,
    }


SECOND_FIELDS = ("item", "inspection_para", "area_for_improvement", "lead", "action", "by_when", "progress", "rag",
                 "evidence_of_impact")


def make_layout_pdf(path: str | Path, seed: int, layout: dict[str, Any], n: int = 14) -> tuple[Path, list[PlanSpec]]:
    """A plan (or two with different columns) typeset with one sweep layout."""
    layout = dict(layout)
    producer = PRODUCERS[layout.pop("producer")]
    long_cells = layout.pop("long_cells")
    blank = layout.pop("blank_first_header")
    two = layout.pop("two_plans")
    headers = {**DEFAULT_HEADERS, **({"item": ""} if blank else {})}
    specs = [PlanSpec("Improvement Plan", random_records(seed, n, long_cells=long_cells), headers=headers)]
    if two:
        second = random_records(seed + 1, max(4, n // 2), long_cells=long_cells)
        for r in second:
            r["evidence_of_impact"] = r.pop("monitoring")
        specs.append(PlanSpec("Safeguarding Board Plan", second, SECOND_FIELDS,
                              {**headers, "evidence_of_impact": "Evidence of impact"}))
    try:
        return producer(path, specs, **layout), specs
    except Exception as exc:  # ReportLab cannot keep a row taller than a page whole; Word splits it
        if type(exc).__name__ != "LayoutError" or layout.get("split_in_row", True):
            raise
        return producer(path, specs, **{**layout, "split_in_row": True}), specs


def write_leads_csv(path: Path) -> Path:
    """The canonical lead list the generated plans draw their leads from."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["canonical", "aliases"])
        for canonical, aliases in LEADS:
            w.writerow([canonical, "|".join(aliases)])
    return path


def make_scan_pdf(source: str | Path, path: str | Path, *, dpi: int = 200, angle: float = 0.6,
                  speckle: float = 0.002, seed: int = 0) -> Path:
    """A born-digital PDF as a scanner returns it: each page a greyscale picture at `dpi`,
    turned by up to `angle` degrees (alternately either way), with dust (`speckle`: share
    of pixels), and no text layer."""
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    doc = pdfium.PdfDocument(str(source))
    pages = []
    for i in range(len(doc)):
        im = doc[i].render(scale=dpi / 72).to_pil().convert("L")
        im = im.rotate(angle * (1 if i % 2 else -1), resample=Image.BICUBIC, expand=False, fillcolor=255)
        px = im.load()
        w, h = im.size
        for _ in range(int(w * h * speckle)):
            px[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 80, 160))
        pages.append(im)
    doc.close()
    path = Path(path)
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return path


def make_printed_scan_pdf(source: str | Path, path: str | Path, *, dpi: int = 200, angle: float = 0.6,
                          speckle: float = 0.002, seed: int = 0, colour: bool = False,
                          jpeg_quality: int = 75, dot_gain: float = 1.6) -> Path:
    """A born-digital PDF printed on an office laser printer and scanned back, as councils
    do: the page is rasterised at the printer's 600 dpi, every tint laid down as a rotated
    halftone dot screen (a grey printer prints red and green as dark greys of dots) whose
    dots grow as toner does (`dot_gain`: the paper left between them is (1 - tint) to this
    power), the toner spreads and the scanner blurs, the scan is taken at `dpi` with its own levels (paper not
    white, black not black) and noise, turned by up to `angle` degrees, dusted, and saved as
    JPEG (`colour`: an RGB scan of a colour print, else grey)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(source))
    pages = []
    printer = 600
    screens: dict[tuple[int, int], np.ndarray] = {}  # one screen per page size: the costly part
    for i in range(len(doc)):
        im = np.asarray(doc[i].render(scale=printer / 72).to_pil().convert("RGB"))
        if colour:
            planes = [im.astype(np.float32) / 255]
        else:  # weighted in place: a float copy of the whole RGB page costs a second a page
            grey = im[..., 0] * np.float32(0.299 / 255)
            grey += im[..., 1] * np.float32(0.587 / 255)
            grey += im[..., 2] * np.float32(0.114 / 255)
            planes = [grey]
        h, w = im.shape[:2]
        if (h, w) not in screens:
            yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
            period = printer / 106  # a 106 lpi screen, 45 degrees, as office lasers use
            u, v = (xx + yy) * 0.7071, (xx - yy) * 0.7071
            screen = 0.5 + 0.25 * (np.cos(2 * np.pi * u / period) + np.cos(2 * np.pi * v / period))
            # as thresholds, evenly spread over one dot's cell: a tint of t covers t of the paper
            cell = np.linspace(0, period, 64, endpoint=False, dtype=np.float32)
            cu, cv = np.meshgrid(cell, cell)
            ranks = np.sort((0.5 + 0.25 * (np.cos(2 * np.pi * cu / period) + np.cos(2 * np.pi * cv / period))).ravel())
            screens[h, w] = np.interp(screen, ranks, np.linspace(0, 1, ranks.size)).astype(np.float32)
        screen = screens[h, w]
        out = []
        for plane in planes:
            # toner: a pixel is dark where its coverage beats the screen; solid black stays solid
            cover = 1 - (plane ** dot_gain)
            if plane.ndim == 3:
                dots = (cover > screen[..., None]).astype(np.float32)
                dots = np.where(cover > 0.97, 1.0, np.where(cover < 0.03, 0.0, dots))
            else:
                dots = np.where(cover > 0.97, 1.0, np.where(cover < 0.03, 0.0, (cover > screen).astype(np.float32)))
            out.append(1 - dots)
        printed = out[0]
        mode = "RGB" if colour else "L"
        sheet = Image.fromarray((printed * 255).astype(np.uint8), mode)
        sheet = sheet.filter(ImageFilter.GaussianBlur(1.4))  # toner spread and the scanner's optics
        size = (round(w * dpi / printer), round(h * dpi / printer))
        scan = np.asarray(sheet.resize(size, Image.BOX)).astype(np.float32)
        scan = 22 + scan * (238 - 22) / 255  # the scanner's levels: grey paper, black not black
        scan += noise.normal(0, 5, scan.shape)
        page = Image.fromarray(np.clip(scan, 0, 255).astype(np.uint8), mode)
        page = page.rotate(angle * (1 if i % 2 else -1), resample=Image.BICUBIC, expand=False,
                           fillcolor=(238, 238, 238) if colour else 238)
        px = page.load()
        pw, ph = page.size
        for _ in range(int(pw * ph * speckle)):
            g = rng.choice((0, 80, 160))
            px[rng.randrange(pw), rng.randrange(ph)] = (g, g, g) if colour else g
        pages.append(page)
    doc.close()
    path = Path(path)
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], quality=jpeg_quality)
    return path
