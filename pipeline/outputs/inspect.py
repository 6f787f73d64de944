"""`inspect`: one page drawn with what each stage saw and decided, the first picture to
look at when a new template converts badly.

The page itself shows what the reader found (rules, fills, the cells, the text lines
outside tables, page furniture struck through) and each record's region. Every
structural decision on the page (where a row ends and on what evidence, which rows are
the header, where a plan starts, where a text table's columns part, which field each
column holds, what was joined or left out) is drawn where it applies and numbered; its
short label sits in the margin beside the page, clear of the text, and the panel on the
right gives each number's reason.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from actionplan.extractors.render import render_pages
from actionplan.normalisers.text import Join, join_trace
from actionplan.pipeline.core import Result
from actionplan.pipeline.outputs.drawing import PLAN_COLOURS, BBox, page_of, record_boxes, to_px
from actionplan.schemas.decisions import Decision

# what each kind of decision is drawn in
KIND_COLOURS: dict[str, tuple[int, int, int]] = {
    "row-cut": (0, 90, 255),
    "header": (140, 0, 200),
    "repeated-header": (140, 0, 200),
    "plan-start": (200, 0, 90),
    "plan-goes-on": (120, 120, 120),
    "continuation": (0, 150, 150),
    "columns": (230, 120, 0),
    "column-role": (140, 0, 200),
    "left-out": (200, 0, 0),
}
LEFT, TOP, RIGHT, PANEL = 150, 28, 70, 520  # pixels: margins around the page, and the reasons panel


@dataclass
class Inspection:
    """One page drawn with what each stage saw; the shapes drawn, in PDF points, for checking.
    `image` is the page at the scale asked for; `sheet` is the picture written: the page
    with its labels in the margins and the reasons beside it."""

    page: int
    image: Any
    cells: list[BBox] = field(default_factory=list)
    records: list[tuple[str, str, BBox]] = field(default_factory=list)  # plan id, item, region
    furniture: list[BBox] = field(default_factory=list)
    text: list[BBox] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)  # drawn and numbered, in this order
    joins: list[Join] = field(default_factory=list)  # words a line break cut that were rejoined, and why
    sheet: Any = None
    failure: str | None = None  # why the conversion failed, when it did: drawn all the same


def _font(size: int) -> Any:
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow before 10.1 has one size only
        return ImageFont.load_default()


def _spread(wanted: list[float], height: float, lowest: float) -> list[float]:
    """Label positions as near the wanted ones as they can be without overlapping."""
    out: list[float] = []
    for y in wanted:
        y = max(y, out[-1] + height) if out else y
        out.append(y)
    over = out[-1] - lowest if out else 0
    if over > 0:  # pushed past the foot: move the last ones up
        out = [y - over for y in out]
    return out


def inspect_page(result: Result, number: int, scale: float = 2.0, failure: str | None = None) -> Inspection:
    """The page with its rules and fills, the reader's cells, the text lines outside the
    tables, page furniture struck through, each record's region, and every structural
    decision taken on it, labelled with its reason. `failure`: why the conversion failed
    (the result is what was read before it did), named at the top of the panel."""
    from PIL import Image, ImageDraw

    from actionplan.extractors.furniture import is_furniture

    page = page_of(result, number)
    image = next(render_pages(result.source, scale, [number],
                              result.settings.password if result.settings else None)).image
    draw = ImageDraw.Draw(image, "RGBA")
    h = page.height
    out = Inspection(number, image, failure=failure)
    furniture = result.document.furniture if result.document else set()
    for table in page.tables:
        for box, _rgb in table.fills:
            draw.rectangle(to_px(box, h, scale), outline=(230, 160, 0, 255), width=1)
        tx0, _, tx1, _ = table.bbox
        for y in table.rules:
            draw.line(((tx0 * scale, (h - y) * scale), (tx1 * scale, (h - y) * scale)), fill=(0, 90, 255, 120), width=1)
        for row in table.rows:
            for cell in row:
                draw.rectangle(to_px(cell.bbox, h, scale), outline=(0, 160, 0, 255), width=1)
                out.cells.append(cell.bbox)
    for line in page.lines:
        px = to_px(line.bbox, h, scale)
        if is_furniture(line, furniture):
            draw.rectangle(px, outline=(200, 0, 0, 255), width=1)
            draw.line((px[0], (px[1] + px[3]) / 2, px[2], (px[1] + px[3]) / 2), fill=(200, 0, 0, 255), width=2)
            out.furniture.append(line.bbox)
        else:
            draw.rectangle(px, outline=(120, 120, 120, 255), width=1)
            out.text.append(line.bbox)
    records = list(record_boxes(result, number))
    for k, plan_id, item, box in records:
        rgb = hex_rgb(PLAN_COLOURS[k % len(PLAN_COLOURS)])
        draw.rectangle(to_px(box, h, scale), fill=(*rgb, 30), outline=(*rgb, 255), width=2)
        out.records.append((plan_id, item, box))
    out.decisions = [d for d in result.decisions if d.page == number]
    out.joins = [j for table in page.tables for row in table.rows for cell in row
                 for j in join_trace(cell.text, result.vocab) if j.joined]
    for n, d in enumerate(out.decisions, 1):
        _mark(draw, d, n, h, scale)
    out.sheet = _sheet(image, out, records, h, scale, Image, ImageDraw)
    return out


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _mark(draw: Any, d: Decision, n: int, h: float, scale: float) -> None:
    """A decision drawn on the page where it applies (its label goes in the margin)."""
    rgb = KIND_COLOURS.get(d.kind, (0, 0, 0))
    if d.kind == "row-cut" and d.box is not None:
        x0, y, x1, _ = to_px(d.box, h, scale)
        for x in range(int(x0), int(x1), 12):  # dashed across the table
            draw.line((x, y, min(x + 6, x1), y), fill=(*rgb, 230), width=2)
    elif d.kind == "columns" and d.box is not None:
        x0, y0, x1, y1 = to_px(d.box, h, scale)
        draw.rectangle((x0, y0, x1, y1), outline=(*rgb, 255), width=2)
        for sep in d.xs:
            for y in range(int(y0), int(y1), 12):
                draw.line((sep * scale, y, sep * scale, min(y + 6, y1)), fill=(*rgb, 230), width=2)
    elif d.box is not None:
        width = 4 if d.kind == "plan-start" else 2
        draw.rectangle(to_px(d.box, h, scale), outline=(*rgb, 255), width=width)


def _anchor(d: Decision, h: float, scale: float) -> tuple[str, float]:
    """Where a decision's label goes: the left margin at its height, or the top margin
    above its column."""
    if d.kind == "column-role" and d.box is not None:
        x0, _, x1, _ = to_px(d.box, h, scale)
        return "top", (x0 + x1) / 2
    if d.box is None:
        return "left", float(TOP)
    _, y0, _, _ = to_px(d.box, h, scale)
    return "left", y0


def _sheet(image: Any, ins: Inspection, records: list[tuple[int, str, str, BBox]], h: float, scale: float,
           Image: Any, ImageDraw: Any) -> Any:
    """The page in a frame: decision labels in the left and top margins, record labels in
    the right margin, each number's reason in the panel beside."""
    w_px, h_px = image.size
    sheet = Image.new("RGB", (LEFT + w_px + RIGHT + PANEL, TOP + h_px), "white")
    sheet.paste(image, (LEFT, TOP))
    draw = ImageDraw.Draw(sheet, "RGBA")
    small, text = _font(11), _font(12)
    left = [(y, n, d) for n, d in enumerate(ins.decisions, 1) if (a := _anchor(d, h, scale))[0] == "left"
            for y in [a[1]]]
    left.sort(key=lambda t: t[0])
    for (y, n, d), at in zip(left, _spread([y for y, _, _ in left], 13, h_px - 13)):
        rgb = KIND_COLOURS.get(d.kind, (0, 0, 0))
        draw.text((4, TOP + at), f"{n} {d.label}"[:24], fill=(*rgb, 255), font=small)
        draw.line((LEFT - 6, TOP + at + 6, LEFT - 1, TOP + y), fill=(*rgb, 160), width=1)  # up to the page
    for n, d in enumerate(ins.decisions, 1):
        where, x = _anchor(d, h, scale)
        if where == "top":
            rgb = KIND_COLOURS.get(d.kind, (0, 0, 0))
            draw.text((LEFT + x - 6, 6), str(n), fill=(*rgb, 255), font=small)
    tops = sorted({(to_px(box, h, scale)[1], k, item) for k, _, item, box in records})
    for (_, k, item), at in zip(tops, _spread([t[0] for t in tops], 13, h_px - 13)):
        rgb = hex_rgb(PLAN_COLOURS[k % len(PLAN_COLOURS)])
        draw.text((LEFT + w_px + 6, TOP + at), f"#{item}"[:10], fill=(*rgb, 255), font=small)
    x0 = LEFT + w_px + RIGHT
    draw.line((x0 - 4, 0, x0 - 4, TOP + h_px), fill=(200, 200, 200, 255), width=1)
    lines = [*(["CONVERSION FAILED:", *textwrap.wrap(ins.failure, 78), ""] if ins.failure else []),
             f"Page {ins.page}: {len(ins.cells)} cells, {len(ins.records)} record regions, "
             f"{len(ins.decisions)} decisions",
             "green: cells · grey: text outside tables · red: furniture (left out) · orange: fills · shaded: records",
             "dashed blue: a row ends (label: the evidence) · purple: header, column roles · "
             "pink: a plan starts · orange boxes: a text table's columns", ""]
    for n, d in enumerate(ins.decisions, 1):
        lines += textwrap.wrap(f"{n}. {d.kind}: {d.label}. {d.reason}", 78, subsequent_indent="    ")
    if ins.joins:
        lines += ["", "Words a line break cut, rejoined (the rule that decided):"]
        lines += textwrap.wrap("; ".join(f"{j.head.split()[-1]}+{j.tail.split()[0]} ({j.rule})" for j in ins.joins), 78)
    y = 6
    for line in lines:
        if y > TOP + h_px - 16:
            draw.text((x0 + 4, y), "…", fill=(0, 0, 0, 255), font=text)
            break
        draw.text((x0 + 4, y), line, fill=(0, 0, 0, 255), font=text)
        y += 15
    return sheet
