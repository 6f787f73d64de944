"""`inspect`: one page drawn with what each stage saw, the first picture to look at when
a new template converts badly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from actionplan.extractors.render import render_pages
from actionplan.pipeline.core import Result
from actionplan.pipeline.outputs.drawing import PLAN_COLOURS, BBox, page_of, record_boxes, to_px


@dataclass
class Inspection:
    """One page drawn with what each stage saw; the shapes drawn, in PDF points, for checking."""

    page: int
    image: Any
    cells: list[BBox] = field(default_factory=list)
    records: list[tuple[str, str, BBox]] = field(default_factory=list)  # plan id, item, region
    furniture: list[BBox] = field(default_factory=list)
    text: list[BBox] = field(default_factory=list)


def inspect_page(result: Result, number: int, scale: float = 2.0) -> Inspection:
    """The page with its rules and fills, the reader's cells, the text lines outside the
    tables, page furniture struck through, and each record's region labelled with its plan
    and item: the first picture to look at when a new template converts badly."""
    from PIL import ImageDraw

    from actionplan.extractors.furniture import is_furniture

    page = page_of(result, number)
    image = next(render_pages(result.source, scale, [number],
                              result.settings.password if result.settings else None)).image
    draw = ImageDraw.Draw(image, "RGBA")
    h = page.height
    out = Inspection(number, image)
    furniture = result.document.furniture if result.document else set()
    for table in page.tables:
        for box, _rgb in table.fills:
            draw.rectangle(to_px(box, h, scale), outline=(230, 160, 0, 255), width=1)
        tx0, _, tx1, _ = table.bbox
        for y in table.rules:
            draw.line(((tx0 * scale, (h - y) * scale), (tx1 * scale, (h - y) * scale)), fill=(0, 90, 255, 200), width=2)
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
    for k, plan_id, item, box in record_boxes(result, number):
        colour = PLAN_COLOURS[k % len(PLAN_COLOURS)]
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        px = to_px(box, h, scale)
        draw.rectangle(px, fill=(*rgb, 40), outline=(*rgb, 255), width=3)
        label = f"{plan_id} #{item}"
        draw.rectangle((px[0] + 2, px[1] + 2, px[0] + 8 + 6 * len(label), px[1] + 16), fill=(*rgb, 230))
        draw.text((px[0] + 5, px[1] + 3), label, fill=(255, 255, 255, 255))
        out.records.append((plan_id, item, box))
    legend = ("green: cells the reader found · blue: rules · orange: fills · grey: text outside tables · "
              "red: page furniture (left out) · shaded: records, by plan")
    draw.rectangle((0, 0, 8 + 6 * len(legend), 16), fill=(255, 255, 255, 220))
    draw.text((4, 2), legend, fill=(0, 0, 0, 255))
    return out
