"""Plans typed in a word processor: a DOCX, as a council officer makes one in Word, printed
to PDF by LibreOffice Writer.

The document is what such plans look like: a cover page (council, title, date, a logo),
prose before the table ("1. Introduction", "2. Our priorities", perhaps a contents list),
small tables that are not the plan (milestones, a RAG key, a sign-off block, a glossary),
notes under the plan, page furniture, and the plan itself as a Word table with its habits:
each area for improvement as a shaded row across the whole table with its actions below,
or its own column merged down, or written in the first action's row only; a header row
repeated on each page or not; rows allowed to break across pages or not; ratings as a
letter, a word or only a cell's colour; columns in other orders and headed in other words;
item numbers "1.", "1.1", "2.1a", "Action 3" or none; a second plan under its own heading.

    python tests/producers/writer.py --n 12 --seed 1 [--show 3] [--keep DIR]

makes that many documents, converts each with actionplan and prints, per table style and
per area layout, how the converter did (see tests/sweep.py). Document k uses seed
seed*100000+k.
"""

from __future__ import annotations

import argparse
import atexit
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: synth, sweep, scoring

from synth import PlanSpec, random_records, sentence  # noqa: E402

from producers.headings import HEADINGS  # noqa: E402

PRODUCER = "writer"
STYLES = ("writer-grid", "writer-shaded-sections", "writer-minimal", "writer-banded")
AREAS = ("section-rows", "vmerge", "first-row", "every-row")
ITEMS = ("number", "number-dot", "multilevel", "multilevel-letter", "action-word", "none")
RATINGS = ("letter", "word", "fill", "letter+fill", "word+fill")
FONTS = ("Arial", "Calibri", "Times New Roman")
OTHER_TABLES = ("milestones", "rag-key", "sign-off", "glossary")
NOTES = ("revised", "note", "key")
OPTIONAL = ("inspection_para", "progress", "rag", "monitoring", "evidence_of_impact")

# More of the words people head columns with, beside tests/producers/headings.py
EXTRA_HEADINGS: dict[str, tuple[str, ...]] = {
    "item": ("Action number", "Ref no."),
    "inspection_para": ("Para no.", "Report para"),
    "area_for_improvement": ("Area for development", "What the inspectors found"),
    "lead": ("Lead person", "Accountable officer"),
    "action": ("Action(s)", "How will we do it?"),
    "by_when": ("When?", "Target timescale"),
    "progress": ("Progress update", "Progress so far"),
    "rag": ("BRAG rating", "RAG at review"),
    "monitoring": ("Monitoring arrangements", "Who will check?"),
    "evidence_of_impact": ("Measures of success", "What will be different?"),
}

# Word's palette: the standard colours most people pick, and the lighter row of them
PALETTES = {
    "standard": {"R": "FF0000", "A": "FFC000", "G": "00B050", "B": "0070C0"},
    "light": {"R": "C00000", "A": "FFC000", "G": "92D050", "B": "00B0F0"},
}
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green", "B": "Blue"}
COUNCILS = ("Northshire County Council", "Eastmere Borough Council", "Westbridge City Council",
            "Kingsford Metropolitan Borough Council", "Southdale District Council")
TITLES = ("Written Statement of Action", "Improvement Plan", "Ofsted Improvement Plan",
          "Post-inspection Action Plan")
SECOND_TITLES = ("Part B: Health partners' action plan", "Appendix 1: Safeguarding Partnership plan",
                 "Section 2: Education, health and care partnership actions")
SECTION_LABELS = ("Priority {k}: ", "Recommendation {k}: ", "Area for improvement {k} – ", "{k}. ", "")
MONTHS = ("January February March April May June July August September October November December").split()

WEIGHTS = {"item": 0.5, "inspection_para": 0.7, "area_for_improvement": 1.6, "action": 2.2, "lead": 1.1,
           "by_when": 0.85, "progress": 2.3, "rag": 0.55, "monitoring": 1.4, "evidence_of_impact": 1.5}
NARROW = {"lead": 0.6, "by_when": 0.45, "rag": 0.35, "inspection_para": 0.45}  # long words break here

PAPER = {"A4": (11906, 16838), "Letter": (12240, 15840)}  # twips, portrait


def available() -> str | None:
    """None when LibreOffice Writer can print DOCX to PDF here, else why not."""
    soffice = shutil.which("soffice")
    if not soffice:
        return "LibreOffice is not installed (no soffice on PATH)"
    program = Path(os.path.realpath(soffice)).parent
    if not any((d / "libswlo.so").exists() for d in (program, Path("/usr/lib/libreoffice/program"))):
        return f"LibreOffice Writer is not installed (no libswlo.so beside {program / 'soffice'})"
    try:
        import docx  # noqa: F401
    except ImportError:
        return "python-docx is not installed"
    return None


# --- the layout ------------------------------------------------------------------------------


def _heading(field: str, rng: random.Random) -> str:
    return rng.choice(HEADINGS[field] + EXTRA_HEADINGS.get(field, ()))


def _columns(rng: random.Random, area: str, item: str, portrait: bool) -> list[str]:
    """The plan's columns in order: the number, paragraph and area first as most plans have
    them, then the rest in the usual order or shuffled."""
    keep = 0.45 if portrait else 0.65
    cols = ["item"] if item != "none" else []
    if rng.random() < (0.4 if portrait else 0.6):
        cols.append("inspection_para")
    if area != "section-rows":
        cols.append("area_for_improvement")
    middle = ["action"]
    if rng.random() < keep * 0.7:
        middle.append("evidence_of_impact")
    middle += ["lead", "by_when"]
    if rng.random() < keep + 0.2:
        middle.append("progress")
    if rng.random() < 0.85:
        middle.append("rag")
    if rng.random() < keep:
        middle.append("monitoring")
    if rng.random() < 0.3:
        rest = middle[1:]
        rng.shuffle(rest)
        middle = [middle[0], *rest]
    cols += middle
    while len(cols) > (7 if portrait else 10):  # nobody keeps ten columns on a portrait page
        cols.remove(rng.choice([f for f in cols if f in OPTIONAL]))
    return cols


def random_layout(rng: random.Random) -> dict[str, Any]:
    """One point of the Writer producer's axes."""
    rules = rng.choice(STYLES)
    area = "section-rows" if rules == "writer-shaded-sections" or rng.random() < 0.3 else rng.choice(AREAS[1:])
    item = rng.choice(ITEMS)
    orientation = rng.choices(("landscape", "portrait", "mixed"), (0.55, 0.2, 0.25))[0]
    portrait = orientation == "portrait"
    columns = _columns(rng, area, item, portrait)
    two = rng.choices((None, "same", "different"), (0.65, 0.2, 0.15))[0]
    second = _columns(rng, area, item, portrait) if two == "different" else None
    cover = rng.random() < 0.7
    prose = rng.random() < 0.7
    return {
        "producer": PRODUCER,
        "rules": rules,
        "area": area,
        "section_label": rng.choice(SECTION_LABELS) if area == "section-rows" else None,
        "item": item,
        "columns": columns,
        "headings": {f: _heading(f, rng) for f in sorted(set(columns) | set(second or ()))},
        "rating": rng.choice(RATINGS),
        "palette": rng.choice(tuple(PALETTES)),
        "repeat_header": rng.random() < 0.6,
        "cant_split": rng.random() < 0.4,
        "orientation": orientation,
        "paper": rng.choice(("A4", "A4", "Letter")),
        "margins": rng.choice(("normal", "narrow", "moderate")),
        "font": rng.choice(FONTS),
        "font_size": rng.choice((8, 9, 10, 11)),
        "spacing": rng.choice(("word", "compact")),
        "header_fill": rng.choice(("none", "grey", "dark")),
        "narrow": rng.random() < 0.35,
        "long_cells": rng.random() < 0.4,
        "cover": cover,
        "logo": rng.choice(("picture", "shaded-box")) if cover else None,
        "prose": prose,
        "contents": prose and rng.random() < 0.4,
        "furniture": rng.random() < 0.85,
        "title_row": rng.random() < 0.15,
        "tables_before": rng.sample(OTHER_TABLES, rng.choice((0, 0, 1, 2))),
        "tables_after": rng.sample(OTHER_TABLES, rng.choice((0, 1, 1, 2))),
        "notes": rng.sample(NOTES, rng.choice((0, 1, 2, 3))),
        "two_plans": two,
        "second_columns": second,
        "page_break_between": rng.random() < 0.5,
    }


# --- the records a reader must get back -----------------------------------------------------


def _items(style: str, records: list[dict[str, Any]], rng: random.Random) -> list[tuple[str, str]]:
    """(cell text, expected item) for each record, numbered the way `style` numbers."""
    out: list[tuple[str, str]] = []
    groups: list[list[int]] = []
    prev = None
    for i, rec in enumerate(records):
        key = (rec["area_for_improvement"], rec["inspection_para"])
        if key != prev:
            groups.append([])
            prev = key
        groups[-1].append(i)
    for k, group in enumerate(groups, start=1):
        j = 0
        left = list(group)
        while left:
            j += 1
            take = 2 if style == "multilevel-letter" and len(left) > 1 and rng.random() < 0.4 else 1
            chunk, left = left[:take], left[take:]
            for m, _ in enumerate(chunk):
                n = len(out) + 1
                if style == "number":
                    out.append((str(n), str(n)))
                elif style == "number-dot":
                    out.append((f"{n}.", str(n)))
                elif style == "multilevel" or (style == "multilevel-letter" and take == 1):
                    out.append((f"{k}.{j}", f"{k}.{j}"))
                elif style == "multilevel-letter":
                    out.append((f"{k}.{j}{'ab'[m]}", f"{k}.{j}{'ab'[m]}"))
                elif style == "action-word":
                    out.append((f"Action {n}", f"Action {n}"))
                else:  # no number column: items 1, 2, ... in order
                    out.append(("", str(n)))
    return out


def _plan(seed: int, n: int, columns: list[str], layout: dict[str, Any], title: str) -> tuple[PlanSpec, list[str]]:
    """The records of one plan in the JSON contract's fields, and each record's item cell text."""
    rng = random.Random(f"writer-{seed}")
    records = random_records(seed, n, long_cells=layout["long_cells"])
    items = _items(layout["item"], records, rng)
    cells: list[str] = []
    area_no = 0
    prev = None
    revised = "revised" in layout["notes"]
    for rec, (cell, item) in zip(records, items):
        key = (rec["area_for_improvement"], rec["inspection_para"])
        if key != prev:
            area_no += 1
            prev = key
        if layout["area"] == "section-rows":
            label = (layout["section_label"] or "").format(k=area_no)
            rec["area_for_improvement"] = label + rec["area_for_improvement"]
        rec["item"] = item
        cells.append(cell)
        rec["evidence_of_impact"] = sentence(rng, 5, 22) if "evidence_of_impact" in columns else None
        if revised and rng.random() < 0.2:  # "* Dates revised following the review": the mark stays
            rec["by_when"] += "*"
        if "inspection_para" not in columns:
            rec["inspection_para"], rec["inspection_para_refs"] = None, []
        for f in ("progress", "monitoring"):
            if f not in columns:
                rec[f] = None
        rating = layout["rating"]
        if "rag" not in columns:
            rec["rag"] = rec["rag_raw"] = None
        elif rating == "fill":
            rec["rag_raw"] = None  # the colour is all there is
        elif rating.startswith("word") and rec["rag"]:
            rec["rag_raw"] = RAG_WORDS[rec["rag"]]
        else:
            rec["rag_raw"] = rec["rag"]
    fields = tuple(dict.fromkeys([*columns, "area_for_improvement"]))
    headers = {f: layout["headings"][f] for f in columns}
    return PlanSpec(title, records, fields, headers), cells


# --- DOCX ----------------------------------------------------------------------------------


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _props(parent: Any, tag: str) -> Any:
    """The w:tcPr / w:trPr / w:tblPr of an element, made if missing."""
    from docx.oxml.ns import qn

    pr = parent.find(qn(tag))
    if pr is None:
        pr = _el(tag)
        parent.insert(0, pr)
    return pr


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml.ns import qn

    pr = cell._tc.get_or_add_tcPr()
    for old in pr.findall(qn("w:shd")):
        pr.remove(old)
    pr.append(_el("w:shd", val="clear", color="auto", fill=fill))


def _borders(table: Any, edges: dict[str, tuple[str, int, str]]) -> None:
    """Table borders: edge -> (kind, eighths of a point, colour); edges not named are none."""
    tblPr = table._tbl.tblPr
    borders = _el("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        kind, size, color = edges.get(edge, ("nil", 0, "auto"))
        borders.append(_el(f"w:{edge}", val=kind, sz=str(size), space="0", color=color))
    tblPr.append(borders)


def _cell_border(cell: Any, edge: str, kind: str, size: int, color: str = "000000") -> None:
    pr = cell._tc.get_or_add_tcPr()
    from docx.oxml.ns import qn

    box = pr.find(qn("w:tcBorders"))
    if box is None:
        box = _el("w:tcBorders")
        pr.append(box)
    box.append(_el(f"w:{edge}", val=kind, sz=str(size), space="0", color=color))


def _row_flags(row: Any, *, header: bool = False, cant_split: bool = False) -> None:
    trPr = row._tr.get_or_add_trPr()
    if cant_split:
        trPr.append(_el("w:cantSplit"))
    if header:
        trPr.append(_el("w:tblHeader"))


def _write(cell: Any, text: str, *, bold: bool = False, color: str | None = None) -> None:
    """Text into a cell, a paragraph for each blank-line-separated part."""
    from docx.shared import RGBColor

    parts = text.split("\n\n") if text else [""]
    for k, part in enumerate(parts):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        if part:
            run = p.add_run(part)
            run.bold = bold or None
            if color:
                run.font.color.rgb = RGBColor.from_string(color)


def _field(paragraph: Any, instr: str) -> None:
    """A Word field (PAGE, NUMPAGES) as Word writes it: begin, instruction, separate, end."""
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("shown", "1"), ("end", None)):
        run = paragraph.add_run()._r
        if kind == "instr":
            t = _el("w:instrText")
            t.set(qn("xml:space"), "preserve")
            t.text = f" {text} "
            run.append(t)
        elif kind == "shown":
            t = _el("w:t")
            t.text = text
            run.append(t)
        else:
            run.append(_el("w:fldChar", fldCharType=kind))


def _logo_png(initials: str, rgb: tuple[int, int, int]) -> io.BytesIO:
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("RGB", (360, 160), rgb)
    d = ImageDraw.Draw(im)
    d.ellipse((20, 30, 120, 130), outline=(255, 255, 255), width=8)
    try:
        font: Any = ImageFont.truetype("DejaVuSans-Bold.ttf", 64)
    except OSError:
        font = ImageFont.load_default()
    d.text((140, 42), initials, fill=(255, 255, 255), font=font)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    buf.seek(0)
    return buf


class _Doc:
    """One DOCX being typed."""

    def __init__(self, layout: dict[str, Any], rng: random.Random):
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Pt, Twips

        self.layout, self.rng = layout, rng
        self.doc = docx.Document()
        self.Pt, self.Twips, self.WD_ORIENT = Pt, Twips, WD_ORIENT
        normal = self.doc.styles["Normal"]
        normal.font.name = layout["font"]
        normal.font.size = Pt(layout["font_size"])
        pf = normal.paragraph_format
        if layout["spacing"] == "word":  # Word 2013's Normal: 8 pt after, lines at 1.08
            pf.space_after, pf.line_spacing = Pt(8), 1.08
        else:
            pf.space_after, pf.line_spacing = Pt(0), 1.0
        for name in ("Heading 1", "Heading 2", "Title"):
            self.doc.styles[name].font.name = layout["font"]
        self.council = rng.choice(COUNCILS)
        self.title = rng.choice(TITLES)
        before = layout["cover"] or layout["prose"] or layout["tables_before"]
        # "mixed": portrait pages for what comes before the plan, landscape for the plan
        self.landscape = layout["orientation"] == "landscape" or (layout["orientation"] == "mixed" and not before)
        self._page(self.doc.sections[0], self.landscape)

    def _page(self, section: Any, landscape: bool) -> None:
        w, h = PAPER[self.layout["paper"]]
        margin = {"normal": 1440, "narrow": 720, "moderate": 1080}[self.layout["margins"]]
        section.orientation = self.WD_ORIENT.LANDSCAPE if landscape else self.WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (self.Twips(h), self.Twips(w)) if landscape else (
            self.Twips(w), self.Twips(h))
        section.left_margin = section.right_margin = self.Twips(margin)
        section.top_margin = section.bottom_margin = self.Twips(min(margin, 1080))

    def text_width(self) -> int:
        s = self.doc.sections[-1]
        return int(s.page_width.twips - s.left_margin.twips - s.right_margin.twips)

    def furniture(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        s = self.doc.sections[0]
        if self.layout["cover"]:
            s.different_first_page_header_footer = True
        head = s.header.paragraphs[0]
        head.text = self.rng.choice(("OFFICIAL", f"{self.council} – {self.title}", "OFFICIAL – SENSITIVE"))
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        foot = s.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run("Page ")
        _field(foot, "PAGE")
        foot.add_run(" of ")
        _field(foot, "NUMPAGES")

    def cover(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
        from docx.shared import Cm, RGBColor

        rng, doc = self.rng, self.doc
        initials = "".join(w[0] for w in self.council.split() if w[0].isupper())
        colour = rng.choice(((31, 56, 100), (0, 112, 96), (112, 48, 160)))
        if self.layout["logo"] == "picture":
            doc.add_picture(_logo_png(initials, colour), width=Cm(5))
        else:  # a coloured box typed as a one-cell table, the council's initials in white
            box = doc.add_table(rows=1, cols=1)
            box.autofit = False
            box.columns[0].width = self.Twips(2600)
            cell = box.cell(0, 0)
            cell.width = self.Twips(2600)
            _shade(cell, "".join(f"{c:02X}" for c in colour))
            _write(cell, initials, bold=True, color="FFFFFF")
        for _ in range(3):
            doc.add_paragraph()
        p = doc.add_paragraph()
        run = p.add_run(self.council)
        run.font.size, run.bold = self.Pt(20), True
        p = doc.add_paragraph()
        run = p.add_run(self.title)
        run.font.size = self.Pt(28)
        run.font.color.rgb = RGBColor(*colour)
        sub = rng.choice(("Response to the inspection of local authority children's services",
                          "Local area SEND inspection: our response", "Joint targeted area inspection"))
        doc.add_paragraph(sub).runs[0].font.size = self.Pt(14)
        m, y = rng.randint(1, 12), rng.randint(2016, 2025)
        doc.add_paragraph(f"Version {rng.randint(1, 6)} – updated {rng.randint(1, 28)} {MONTHS[m - 1]} {y}")
        p = doc.add_paragraph("Approved by the Improvement Board")
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        p.add_run().add_break(WD_BREAK.PAGE)

    def prose(self, areas: list[str]) -> None:
        from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER

        rng, doc = self.rng, self.doc
        heads = ["1. Introduction", "2. Our priorities", "3. How we will know this plan is working",
                 "4. The action plan"]
        if self.layout["contents"]:
            p = doc.add_paragraph()
            p.add_run("Contents").bold = True
            for k, h in enumerate(heads):
                p = doc.add_paragraph()
                p.paragraph_format.tab_stops.add_tab_stop(self.Twips(self.text_width() - 20),
                                                          WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
                p.add_run(f"{h}\t{k + 2 + (k > 1)}")
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(heads[0], level=1)
        for _ in range(rng.randint(2, 3)):
            doc.add_paragraph(" ".join(sentence(rng, 12, 30) for _ in range(rng.randint(2, 4))))
        doc.add_heading(heads[1], level=1)
        doc.add_paragraph(sentence(rng, 10, 25))
        if areas and rng.random() < 0.6:  # the priorities listed, as the table's section rows say them
            for a in areas:
                doc.add_paragraph(a)
        doc.add_heading(heads[2], level=1)
        doc.add_paragraph(" ".join(sentence(rng, 12, 30) for _ in range(rng.randint(1, 3))))

    def small_table(self, kind: str) -> None:
        rng, doc = self.rng, self.doc
        doc.add_paragraph()
        palette = PALETTES[self.layout["palette"]]
        if kind == "milestones":
            doc.add_paragraph().add_run("Key milestones").bold = True
            rows = [["Milestone", "Date", "Status"]]
            for what in ("Improvement board established", "Practice standards refreshed",
                         "Quality assurance framework agreed", "Six-month review of the plan"):
                m, y = rng.randint(1, 12), rng.randint(2016, 2025)
                rows.append([what, f"{MONTHS[m - 1]} {y}", rng.choice(("Complete", "On track", "Delayed"))])
        elif kind == "rag-key":
            doc.add_paragraph().add_run("RAG rating key").bold = True
            rows = [["Rating", "Meaning"], ["R", "Not on track: significant concern, action needed"],
                    ["A", "Some slippage: on track to be delivered with some delay"],
                    ["G", "On track to be delivered by the date set"], ["B", "Complete and embedded"]]
        elif kind == "sign-off":
            doc.add_paragraph().add_run("Governance and sign-off").bold = True
            rows = [["Role", "Name", "Signature", "Date"]]
            for role in ("Director of Children's Services", "Chief Executive", "Lead Member for Children"):
                rows.append([role, rng.choice(("J. Smith", "A. Patel", "R. Jones", "K. Okafor")), "",
                             f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2016, 2025)}"])
        else:
            doc.add_paragraph().add_run("Glossary").bold = True
            rows = [["Term", "Meaning"], ["LAC", "Looked after children"],
                    ["DCS", "Director of Children's Services"], ["SEND", "Special educational needs and disabilities"],
                    ["IRO", "Independent reviewing officer"], ["QA", "Quality assurance"]]
        t = doc.add_table(rows=len(rows), cols=len(rows[0]))
        _borders(t, {e: ("single", 4, "000000") for e in ("top", "left", "bottom", "right", "insideH", "insideV")})
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = t.cell(r, c)
                _write(cell, text, bold=r == 0)
                if kind == "rag-key" and r and c == 0:
                    _shade(cell, palette[text])

    def notes(self) -> None:
        texts = {"revised": "* Dates revised following the review in March, agreed by the Improvement Board.",
                 "note": "Note: actions rated blue are complete and will be removed from the plan at the next review.",
                 "key": "Key: R = not on track; A = some slippage; G = on track; B = complete."}
        self.doc.add_paragraph()
        for k in self.layout["notes"]:
            self.doc.add_paragraph(texts[k])

    def plan(self, spec: PlanSpec, columns: list[str], cells: list[str]) -> None:
        """The plan as a Word table: header row, then per area a section row or the area in
        its column, then its actions."""
        lay, rng, doc = self.layout, self.rng, self.doc
        palette = PALETTES[lay["palette"]]
        widths = self.widths(columns)
        ncol = len(columns)
        section_rows = lay["area"] == "section-rows"
        table = doc.add_table(rows=0, cols=ncol)
        table.autofit = False
        for col, w in zip(table.columns, widths):
            col.width = self.Twips(w)
        rules = lay["rules"]
        black = ("single", 4, "000000")
        if rules in ("writer-grid", "writer-shaded-sections"):
            _borders(table, dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), black))
        elif rules == "writer-minimal":
            _borders(table, dict.fromkeys(("top", "bottom", "insideH"), black))
        else:  # banded: light rules across only
            _borders(table, dict.fromkeys(("top", "bottom"), ("single", 8, "000000")))
        head_fill = {"none": None, "grey": "D9D9D9", "dark": "1F3864"}[lay["header_fill"]]
        if rules == "writer-shaded-sections" and head_fill is None:
            head_fill = "1F3864"
        section_fill = rng.choice(("DEEAF6", "D9D9D9", "FBE4D5", "E2EFD9"))

        def new_row(widths: list[int] = widths) -> Any:
            row = table.add_row()
            for cell, w in zip(row.cells, widths):
                cell.width = self.Twips(w)
            return row

        if lay["title_row"]:  # the plan's title typed into the table's first row
            row = new_row()
            merged = row.cells[0].merge(row.cells[-1])
            _write(merged, spec.title, bold=True)
            _row_flags(row, header=lay["repeat_header"])
        row = new_row()
        _row_flags(row, header=lay["repeat_header"], cant_split=True)
        for cell, f in zip(row.cells, columns):
            _write(cell, spec.headers[f], bold=True, color="FFFFFF" if head_fill == "1F3864" else None)
            if head_fill:
                _shade(cell, head_fill)
            if rules == "writer-banded":
                _cell_border(cell, "bottom", "single", 8)
        merge_from: dict[str, Any] = {}
        prev = None
        band = False
        for rec, item_cell in zip(spec.records, cells):
            first = rec["area_for_improvement"] != prev
            prev = rec["area_for_improvement"]
            if first and section_rows:
                row = new_row()
                _row_flags(row, cant_split=lay["cant_split"])
                merged = row.cells[0].merge(row.cells[-1])  # one cell across: w:gridSpan
                _write(merged, rec["area_for_improvement"], bold=True)
                if rules in ("writer-shaded-sections", "writer-banded"):
                    _shade(merged, section_fill)
            row = new_row()
            _row_flags(row, cant_split=lay["cant_split"])
            band = not band
            row_cells = row.cells
            for c, f in enumerate(columns):
                cell = row_cells[c]
                text = self._cell(f, rec, item_cell, first)
                if lay["area"] == "vmerge" and f in ("area_for_improvement", "inspection_para"):
                    if first:
                        merge_from[f] = cell
                    else:
                        merge_from[f] = merge_from[f].merge(cell)  # w:vMerge down the area's rows
                        continue
                _write(cell, text)
                if f == "rag" and rec["rag"] and "fill" in lay["rating"]:
                    _shade(cell, palette[rec["rag"]])
                elif rules == "writer-banded" and band:
                    _shade(cell, "F2F2F2")

    def widths(self, columns: list[str]) -> list[int]:
        """Column widths in twips: by weight, each at least as wide as people leave such a
        column (narrow ones still break a long word: "Septem" / "ber")."""
        lay = self.layout
        weights = {**WEIGHTS, **(NARROW if lay["narrow"] else {})}
        if lay["item"] in ("multilevel-letter", "action-word"):
            weights["item"] = 0.75
        least = {f: 650 if lay["narrow"] and f in NARROW else 1100 for f in columns}
        least["item"] = {"number": 450, "number-dot": 500, "action-word": 950}.get(lay["item"], 650)
        least["rag"] = 450 if lay["rating"] in ("letter", "fill", "letter+fill") else 750
        width = self.text_width()
        fixed: dict[str, int] = {}
        while True:
            free = [f for f in columns if f not in fixed]
            room = width - sum(fixed.values())
            total = sum(weights[f] for f in free)
            out = {f: int(room * weights[f] / total) for f in free}
            low = [f for f in free if out[f] < least[f]]
            if not low or len(free) == len(low):
                return [fixed.get(f) or out[f] for f in columns]
            fixed.update({f: least[f] for f in low})

    def _cell(self, f: str, rec: dict[str, Any], item_cell: str, first: bool) -> str:
        area = self.layout["area"]
        if f == "item":
            return item_cell
        if f == "inspection_para":
            if not first and area in ("first-row", "section-rows"):
                return ""
            refs = rec["inspection_para_refs"]
            return f"{rec['inspection_para']}. ({', '.join(refs)})" if refs else f"{rec['inspection_para']}."
        if f == "area_for_improvement":
            return rec["area_for_improvement"] if first or area in ("every-row", "vmerge") else ""
        if f == "rag":
            return "" if self.layout["rating"] == "fill" else rec["rag_raw"] or ""
        return str(rec.get(f) or "")

    def new_section(self, landscape: bool) -> None:
        from docx.enum.section import WD_SECTION

        self._page(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape)

    def heading(self, text: str) -> None:
        self.doc.add_heading(text, level=1 if self.layout["prose"] else 2)
        if self.rng.random() < 0.6:
            self.doc.add_paragraph(sentence(self.rng, 10, 25))


def make_docx(path: str | Path, seed: int, layout: dict[str, Any], n: int = 14) -> tuple[Path, list[PlanSpec]]:
    """The plan (or two) typed as a DOCX, and the records a reader must get back."""
    path = Path(path)
    rng = random.Random(f"writer-doc-{seed}")
    d = _Doc(layout, rng)
    title = "4. The action plan" if layout["prose"] else f"{d.title} {rng.randint(2016, 2025)}"
    spec, cells = _plan(seed, n, layout["columns"], layout, title)
    plans = [(spec, layout["columns"], cells)]
    if layout["two_plans"]:
        cols = layout["columns"] if layout["two_plans"] == "same" else layout["second_columns"]
        spec2, cells2 = _plan(seed + 1, max(4, n // 2), cols, layout, rng.choice(SECOND_TITLES))
        plans.append((spec2, cols, cells2))
    if layout["furniture"]:
        d.furniture()
    if layout["cover"]:
        d.cover()
    if layout["prose"]:
        areas = list(dict.fromkeys(r["area_for_improvement"] for r in spec.records))
        d.prose(areas if layout["area"] == "section-rows" else [])
    for kind in layout["tables_before"]:
        d.small_table(kind)
    if layout["orientation"] == "mixed" and (layout["cover"] or layout["prose"] or layout["tables_before"]):
        d.new_section(landscape=True)  # the plan on landscape pages after portrait ones
    elif layout["cover"] or layout["prose"] or layout["tables_before"]:
        d.doc.add_paragraph()
    for k, (s, cols, cs) in enumerate(plans):
        if k and layout["page_break_between"]:
            from docx.enum.text import WD_BREAK

            d.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif k:
            d.doc.add_paragraph()
        d.heading(s.title)
        d.plan(s, cols, cs)
        if k == 0 and layout["notes"]:
            d.notes()
    for kind in layout["tables_after"]:
        d.small_table(kind)
    d.doc.core_properties.title = d.title
    d.doc.core_properties.author = d.council
    d.doc.save(str(path))
    return path, [p[0] for p in plans]


# --- DOCX -> PDF ---------------------------------------------------------------------------

_PROFILE: Path | None = None


def _profile() -> Path:
    """A LibreOffice profile of this process's own, removed when it exits."""
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = Path(tempfile.gettempdir()) / f"lo-profile-{os.getpid()}"
        atexit.register(shutil.rmtree, _PROFILE, True)
    return _PROFILE


def to_pdf(docx_path: str | Path, outdir: str | Path | None = None, timeout: float = 60) -> Path:
    """Print a DOCX to PDF with Writer, headless; the PDF lands beside it (or in outdir)."""
    docx_path = Path(docx_path)
    outdir = Path(outdir or docx_path.parent)
    cmd = [shutil.which("soffice") or "soffice", f"-env:UserInstallation={_profile().as_uri()}", "--headless",
           "--norestore", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outdir), str(docx_path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice and the office process it started, no others
        proc.communicate()
        raise RuntimeError(f"soffice took over {timeout:.0f} s on {docx_path.name}") from None
    pdf = outdir / (docx_path.stem + ".pdf")
    if proc.returncode or not pdf.is_file():
        raise RuntimeError(f"soffice failed on {docx_path.name} (exit {proc.returncode}): "
                           f"{(err or out).decode(errors='replace').strip()[:300]}")
    return pdf


def make(path: str | Path, seed: int, layout: dict[str, Any], n: int = 14) -> tuple[Path, list[PlanSpec]]:
    """The plan typed in Word's format and printed to PDF by Writer: (pdf, [PlanSpec, ...])."""
    path = Path(path)
    docx_path, specs = make_docx(path.with_suffix(".docx"), seed, layout, n)
    pdf = to_pdf(docx_path, path.parent)
    if pdf != path:
        pdf.replace(path)
    return path, specs


# --- the sweep -----------------------------------------------------------------------------


def run_one(seed: int, workdir: Path, leads: Path, layout: dict[str, Any] | None = None, n: int = 14) -> Any:
    """Make one document, convert it, and score it as tests/sweep.py scores."""
    from sweep import LayoutScore, compare

    from actionplan import ActionPlanError, convert
    from actionplan.schemas.issues import STRUCTURAL

    layout = layout or random_layout(random.Random(seed))
    score = LayoutScore(layout, seed)
    t0 = time.perf_counter()
    pdf, specs = make(workdir / f"writer-{seed}.pdf", seed, layout, n=n)
    t1 = time.perf_counter()
    score.make_s, score.convert_s = t1 - t0, 0.0  # type: ignore[attr-defined]
    try:
        result = convert(pdf, leads=leads)
    except ActionPlanError as exc:
        score.error = str(exc)
        score.records = sum(len(s.records) for s in specs)
        score.convert_s = time.perf_counter() - t1  # type: ignore[attr-defined]
        return score
    score.convert_s = time.perf_counter() - t1  # type: ignore[attr-defined]
    doc = result.to_dict()
    score.structural = sorted({w["code"] for w in doc["warnings"] if w["code"] in STRUCTURAL})
    compare(specs, doc["tables"], score)
    score.tables_found = len(doc["tables"])  # type: ignore[attr-defined]
    return score


def _brief(layout: dict[str, Any]) -> str:
    skip = {"producer", "headings", "columns", "second_columns"}
    parts = [f"{k}={v}" for k, v in layout.items() if k not in skip and v not in (None, [], False)]
    return ", ".join(parts) + f"\n  columns: {layout['columns']}" + (
        f"\n  second: {layout['second_columns']}" if layout.get("second_columns") else "")


def report(scores: list[Any], key: str, out: Any = sys.stdout) -> None:
    groups: dict[str, list[Any]] = defaultdict(list)
    for s in scores:
        groups[str(s.layout[key])].append(s)
    head = (f"{key:24} {'docs':>4} {'records':>8} {'text':>6} {'other':>6} {'spur':>5} {'wrong':>5} "
            f"{'flagged':>7} {'silent':>6}")
    print(head, file=out)
    print("-" * len(head), file=out)
    for name, group in [*sorted(groups.items()), ("all", scores)]:
        rec = sum(s.records for s in group)
        found = sum(s.found for s in group)
        tt, tok = sum(s.text_total for s in group), sum(s.text_ok for s in group)
        ot, ook = sum(s.other_total for s in group), sum(s.other_ok for s in group)
        wrong = [s for s in group if s.wrong]
        print(f"{name:24} {len(group):4} {found / max(rec, 1):8.3f} {tok / max(tt, 1):6.3f} {ook / max(ot, 1):6.3f} "
              f"{sum(s.spurious for s in group):5} {len(wrong):5} {sum(1 for s in wrong if not s.silent):7} "
              f"{sum(1 for s in group if s.silent):6}", file=out)
    print(file=out)


def misses_by_field(scores: list[Any]) -> Counter[str]:
    """How often each field came back wrong ("missing": the record not found at all)."""
    tally: Counter[str] = Counter()
    for s in scores:
        for m in s.misses:
            hit = re.match(r"plan \d+ item .*?(?:\.(\w+): sent|: (missing))", m)
            if hit:
                tally[hit.group(1) or hit.group(2)] += 1
    return tally


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=12, help="documents to make (default 12)")
    ap.add_argument("--seed", type=int, default=1, help="document k uses seed*100000+k (default 1)")
    ap.add_argument("--records", type=int, default=14, help="records in the first plan (default 14)")
    ap.add_argument("--show", type=int, default=3, help="wrong documents to describe (default 3)")
    ap.add_argument("--misses", type=int, default=6, help="misses to print for each (default 6)")
    ap.add_argument("--keep", type=Path, help="keep the DOCX and PDF files in this folder")
    args = ap.parse_args(argv)
    if reason := available():
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    from synth import write_leads_csv

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        leads = write_leads_csv(Path(tmp) / "leads.csv")
        scores = []
        for k in range(args.n):
            seed = args.seed * 100000 + k
            scores.append(run_one(seed, work, leads, n=args.records))
    report(scores, "rules")
    report(scores, "area")
    wrong = [s for s in scores if s.wrong]
    for s in wrong[: args.show]:
        print(f"{'SILENT' if s.silent else 'flagged'} (seed {s.seed}): {_brief(s.layout)}")
        print(f"  error: {s.error}" if s.error else
              f"  plans found {getattr(s, 'tables_found', '?')}; structural warnings: {s.structural}")
        for m in s.misses[: args.misses]:
            print("   ", m)
        print()
    tally = misses_by_field(scores)
    print("misses by field: " + (", ".join(f"{k} {v}" for k, v in tally.most_common()) or "none"))
    errors = [s for s in scores if s.error]
    if errors:
        print(f"errors: {len(errors)} documents failed to convert")
    make_s = [s.make_s for s in scores]
    conv_s = [s.convert_s for s in scores]
    print(f"{len(scores)} documents in {time.perf_counter() - start:.0f} s: making (DOCX + Writer) "
          f"{sum(make_s) / max(len(scores), 1):.1f} s a document, converting {sum(conv_s) / max(len(scores), 1):.1f} s")
    return 1 if any(s.silent for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
