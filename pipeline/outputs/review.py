"""The review page: a self-contained HTML page of every page with each record's region
beside the lists of plans, records and warnings.

It draws from the Result (its document keeps the tables, cells, rules, fills and text
lines the reader found; its records keep their `source_boxes`), over the page rendered
by pdfium, which Camelot already brings.
"""

from __future__ import annotations

import base64
import html
import io
import re

from actionplan.extractors.render import render_pages
from actionplan.pipeline.core import Result
from actionplan.pipeline.outputs.drawing import PLAN_COLOURS, BBox, record_boxes, to_px

_WORD = re.compile(r"[^\W_]+")


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
    boxes = {n: list(record_boxes(result, n)) for n in range(1, result.page_count + 1)}
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
        page = w.page
        target = None
        if page:
            region = next((b for k, pid, item, b in boxes.get(int(page), [])
                           if pid == w.table and item == str(w.item)), None)
            warn_marks.setdefault(int(page), []).append((f"w-{i}", region))
            target = f"w-{i}"
        where = f"p.{page} " if page else ""
        what = f'{where}<span class="code">{e(w.code)}</span> {e(w.message)[:160]}'
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
                        x0, y0, x1, y1 = to_px(cell.bbox, height, scale)
                        svg.append(f'<rect class="cell" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
                                   f'height="{y1 - y0:.1f}"/>')
                        words = lost.get(number)
                        if words:
                            for line in cell.lines:
                                if words & {x.lower() for x in _WORD.findall(line.text)}:
                                    a0, b0, a1, b1 = to_px(line.bbox, height, scale)
                                    svg.append(f'<rect class="lost" x="{a0:.1f}" y="{b0:.1f}" width="{a1 - a0:.1f}" '
                                               f'height="{b1 - b0:.1f}"><title>not in any record</title></rect>')
        seen: set[str] = set()
        for k, pid, item, box in boxes.get(number, []):
            colour = PLAN_COLOURS[k % len(PLAN_COLOURS)]
            x0, y0, x1, y1 = to_px(box, height, scale)
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
                x0, y0, x1, y1 = to_px(region, height, scale)
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
