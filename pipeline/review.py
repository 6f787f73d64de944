"""See what was read: `inspect` draws one page with what each stage saw; `review` writes a
self-contained HTML page of every page with each record's region beside the lists of
plans, records and warnings.

Both draw from the Result (its document keeps the tables, cells, rules, fills and text
lines the reader found; its records keep their `source_boxes`), over the page rendered
by pdfium, which Camelot already brings.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from actionplan.extractors.render import render_pages
from actionplan.pipeline.core import Result
from actionplan.schemas.errors import ConfigError, InputError

# one colour per plan, in order (the review shades records in their plan's colour)
PLAN_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
_WORD = re.compile(r"[^\W_]+")

BBox = tuple[float, float, float, float]


@dataclass
class Inspection:
    """One page drawn with what each stage saw; the shapes drawn, in PDF points, for checking."""

    page: int
    image: Any
    cells: list[BBox] = field(default_factory=list)
    records: list[tuple[str, str, BBox]] = field(default_factory=list)  # plan id, item, region
    furniture: list[BBox] = field(default_factory=list)
    text: list[BBox] = field(default_factory=list)


def _to_px(box: BBox, height: float, scale: float) -> tuple[float, float, float, float]:
    # ordered corners: a reader's cell can come back with its edges swapped, and the
    # picture must still be drawn (it is how such a cell gets seen)
    x0, x1 = sorted((box[0], box[2]))
    y0, y1 = sorted((box[1], box[3]))
    return x0 * scale, (height - y1) * scale, x1 * scale, (height - y0) * scale


def _page_of(result: Result, number: int) -> Any:
    if result.document is None:
        raise InputError("the result keeps no document to draw from", file=result.source,
                         hint="convert with actionplan.convert, then inspect")
    for page in result.document.pages:
        if page.number == number:
            return page
    raise ConfigError(f"there is no page {number}", file=result.source,
                      hint=f"pass --page between 1 and {result.page_count}")


def _boxes_on(result: Result, number: int) -> Iterator[tuple[int, str, str, BBox]]:
    """(plan index, plan id, item, region) of every record row on the page."""
    for k, table in enumerate(result.tables):
        for record in table.records:
            for box in record.get("source_boxes") or []:
                if box["page"] == number:
                    yield k, table.id, str(record["item"]), tuple(box["bbox"])  # type: ignore[misc]


def inspect_page(result: Result, number: int, scale: float = 2.0) -> Inspection:
    """The page with its rules and fills, the reader's cells, the text lines outside the
    tables, page furniture struck through, and each record's region labelled with its plan
    and item: the first picture to look at when a new template converts badly."""
    from PIL import ImageDraw

    from actionplan.extractors.furniture import is_furniture

    page = _page_of(result, number)
    image = next(render_pages(result.source, scale, [number],
                              result.settings.password if result.settings else None)).image
    draw = ImageDraw.Draw(image, "RGBA")
    h = page.height
    out = Inspection(number, image)
    furniture = result.document.furniture if result.document else set()
    for table in page.tables:
        for box, _rgb in table.fills:
            draw.rectangle(_to_px(box, h, scale), outline=(230, 160, 0, 255), width=1)
        tx0, _, tx1, _ = table.bbox
        for y in table.rules:
            draw.line(((tx0 * scale, (h - y) * scale), (tx1 * scale, (h - y) * scale)), fill=(0, 90, 255, 200), width=2)
        for row in table.rows:
            for cell in row:
                draw.rectangle(_to_px(cell.bbox, h, scale), outline=(0, 160, 0, 255), width=1)
                out.cells.append(cell.bbox)
    for line in page.lines:
        px = _to_px(line.bbox, h, scale)
        if is_furniture(line, furniture):
            draw.rectangle(px, outline=(200, 0, 0, 255), width=1)
            draw.line((px[0], (px[1] + px[3]) / 2, px[2], (px[1] + px[3]) / 2), fill=(200, 0, 0, 255), width=2)
            out.furniture.append(line.bbox)
        else:
            draw.rectangle(px, outline=(120, 120, 120, 255), width=1)
            out.text.append(line.bbox)
    for k, plan_id, item, box in _boxes_on(result, number):
        colour = PLAN_COLOURS[k % len(PLAN_COLOURS)]
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        px = _to_px(box, h, scale)
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


# ------------------------------------------------------------------ the review page

_STYLE = """
body{margin:0;font:13px/1.4 system-ui,sans-serif;display:flex;height:100vh;color:#222}
aside{width:340px;overflow:auto;border-right:1px solid #ccc;padding:8px 12px;box-sizing:border-box;flex:none}
main{flex:1;overflow:auto;background:#777;padding:12px}
h1{font-size:15px;margin:4px 0 8px;word-break:break-all}h2{font-size:13px;margin:14px 0 4px}
ul{list-style:none;margin:0;padding:0}li{margin:2px 0}
a{color:#0645ad;text-decoration:none;cursor:pointer}a:hover{text-decoration:underline}
.code{font-family:monospace;font-size:11px;background:#eee;padding:0 3px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
section.page{margin:0 auto 16px;width:max-content}section.page h3{color:#fff;margin:0 0 4px;font-size:12px}
.sheet{position:relative;background:#fff;box-shadow:0 1px 4px #0008}
.sheet img,.sheet svg{position:absolute;left:0;top:0}
svg .cell{fill:none;stroke:#0a0;stroke-width:.6;opacity:.5}
svg .rec{stroke-width:1.5;fill-opacity:.12}
svg .lost{fill:#e00;fill-opacity:.25;stroke:#e00;stroke-width:1}
svg .warn{fill:none;stroke:#f80;stroke-width:2;stroke-dasharray:6 3}
svg .label{font:bold 10px sans-serif;fill:#fff}
svg .hl{stroke:#ff0 !important;stroke-width:5 !important;fill:#ff0 !important;fill-opacity:.3 !important}
li.hl{background:#ff0}
"""

_SCRIPT = """
document.querySelectorAll('[data-target]').forEach(function(a){a.addEventListener('click',function(e){
 e.preventDefault();var t=document.getElementById(a.dataset.target);if(!t)return;
 document.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl')});
 t.classList.add('hl');a.parentNode.classList.add('hl');t.scrollIntoView({block:'center',inline:'center'});});});
"""


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


def _lost_words(result: Result) -> dict[int, set[str]]:
    """Per page, the words that reached no record (the coverage summary lists them all,
    where a warning's message shows the first twenty)."""
    out: dict[int, set[str]] = {}
    for entry in (result.text_coverage or {}).get("pages", []):
        out.setdefault(int(entry["page"]), set()).update(str(w).lower() for w in entry["missing"])
    return out


def review_html(result: Result, scale: float = 1.25, quality: int = 60) -> str:
    """One self-contained page: every PDF page as an image with cells outlined, each
    record's region shaded in its plan's colour and labelled, unplaced words in red and
    warnings marked; beside it the plans, records and warnings, each a link to its place."""
    e = html.escape
    lost = _lost_words(result)
    boxes = {n: list(_boxes_on(result, n)) for n in range(1, result.page_count + 1)}
    rec_ids: dict[tuple[str, str], str] = {}
    side = [f"<h1>{e(result.source.name)}</h1>",
            f"<p>{result.page_count} pages · {len(result.records)} records · {len(result.warnings)} warnings</p>",
            "<h2>Plans</h2><ul>"]
    for k, t in enumerate(result.tables):
        colour = PLAN_COLOURS[k % len(PLAN_COLOURS)]
        first = t.pages[0] if t.pages else 1
        side.append(f'<li><span class="swatch" style="background:{colour}"></span>'
                    f'<a data-target="page-{first}">{e(t.title or t.id)}</a> ({len(t.records)} records, '
                    f'pages {first}-{t.pages[-1] if t.pages else first})</li>')
    side.append("</ul>")
    # warnings: marked at their record's region where they name one, else at the page's top
    warn_marks: dict[int, list[tuple[str, BBox | None]]] = {}
    side.append(f"<h2>Warnings ({len(result.warnings)})</h2><ul>")
    for i, w in enumerate(result.warnings):
        page = w.get("page")
        target = None
        if page:
            region = next((b for k, pid, item, b in boxes.get(int(page), [])
                           if pid == w.get("table") and item == str(w.get("item"))), None)
            warn_marks.setdefault(int(page), []).append((f"w-{i}", region))
            target = f"w-{i}"
        where = f"p.{page} " if page else ""
        what = f'{where}<span class="code">{e(str(w.get("code")))}</span> {e(str(w.get("message")))[:160]}'
        side.append(f'<li><a data-target="{target}">{what}</a></li>' if target else f"<li>{what}</li>")
    side.append("</ul><h2>Records</h2>")
    for t in result.tables:
        side.append(f"<h2>{e(t.title or t.id)}</h2><ul>")
        for r in t.records:
            rid = f"r-{_slug(t.id)}-{_slug(str(r['item']))}"
            rec_ids[(t.id, str(r["item"]))] = rid
            action = (r.get("action") or "")[:70]
            label = f"#{e(str(r['item']))}"
            link = f'<a data-target="{rid}">{label}</a>' if r.get("source_boxes") else label
            side.append(f"<li>{link} {e(action)}</li>")
        side.append("</ul>")
    pages_html = []
    by_page = {p.number: p for p in (result.document.pages if result.document else [])}
    password = result.settings.password if result.settings else None
    for rendered in render_pages(result.source, scale, None, password):
        number, image = rendered.number, rendered.image
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=quality, optimize=True)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        w_px, h_px = image.size
        page = by_page.get(number)
        height = page.height if page is not None and page.height else rendered.size[1]
        svg = []
        if page is not None:
            for table in page.tables:
                for row in table.rows:
                    for cell in row:
                        x0, y0, x1, y1 = _to_px(cell.bbox, height, scale)
                        svg.append(f'<rect class="cell" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
                                   f'height="{y1 - y0:.1f}"/>')
                        words = lost.get(number)
                        if words:
                            for line in cell.lines:
                                if words & {x.lower() for x in _WORD.findall(line.text)}:
                                    a0, b0, a1, b1 = _to_px(line.bbox, height, scale)
                                    svg.append(f'<rect class="lost" x="{a0:.1f}" y="{b0:.1f}" width="{a1 - a0:.1f}" '
                                               f'height="{b1 - b0:.1f}"><title>not in any record</title></rect>')
        seen: set[str] = set()
        for k, pid, item, box in boxes.get(number, []):
            colour = PLAN_COLOURS[k % len(PLAN_COLOURS)]
            x0, y0, x1, y1 = _to_px(box, height, scale)
            rid = rec_ids.get((pid, item), "")
            attr = f' id="{rid}"' if rid and rid not in seen else ""
            seen.add(rid)
            svg.append(f'<g><rect class="rec"{attr} x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
                       f'height="{y1 - y0:.1f}" style="fill:{colour};stroke:{colour}"><title>{e(pid)} #{e(item)}'
                       f'</title></rect><rect x="{x0 + 1:.1f}" y="{y0 + 1:.1f}" width="{12 + 6 * len(item):.0f}" '
                       f'height="14" style="fill:{colour}"/><text class="label rec-label" x="{x0 + 4:.1f}" '
                       f'y="{y0 + 12:.1f}">#{e(item)}</text></g>')
        for wid, region in warn_marks.get(number, []):
            if region is not None:
                x0, y0, x1, y1 = _to_px(region, height, scale)
            else:
                x0, y0, x1, y1 = 4, 4, w_px - 4, 28
            svg.append(f'<rect class="warn" id="{wid}" x="{x0 - 3:.1f}" y="{y0 - 3:.1f}" width="{x1 - x0 + 6:.1f}" '
                       f'height="{y1 - y0 + 6:.1f}"/>')
        pages_html.append(
            f'<section class="page" id="page-{number}"><h3>Page {number}</h3>'
            f'<div class="sheet" style="width:{w_px}px;height:{h_px}px">'
            f'<img alt="page {number}" width="{w_px}" height="{h_px}" src="data:image/jpeg;base64,{data}">'
            f'<svg width="{w_px}" height="{h_px}" viewBox="0 0 {w_px} {h_px}">{"".join(svg)}</svg></div></section>')
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Review: {e(result.source.name)}</title>"
            f"<style>{_STYLE}</style></head><body><aside>{''.join(side)}</aside>"
            f"<main>{''.join(pages_html)}</main><script>{_SCRIPT}</script></body></html>")


def review_name(stem: str) -> str:
    return f"{stem}.review.html"
