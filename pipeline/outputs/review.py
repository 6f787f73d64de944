"""The review page: a self-contained HTML page of every page with each record's region
beside the lists of plans, records and warnings.

It draws from the Result (its document keeps the tables, cells, rules, fills and text
lines the reader found; its records keep their `source_boxes`), over the page rendered
by pdfium, which Camelot already brings.

What the page shows is worked out here, as a small view model of plain values (plans,
records, warnings with their targets, pages with their shapes in pixels); the page is the
Jinja2 template `templates/review.html.j2`, with autoescaping on, so every text taken from
the PDF is escaped however the template uses it.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from actionplan.extractors.render import render_pages
from actionplan.pipeline.core import Result
from actionplan.pipeline.outputs.drawing import PLAN_COLOURS, BBox, record_boxes, to_px
from actionplan.pipeline.outputs.tabular import cut_at_word

if TYPE_CHECKING:
    from jinja2 import Template

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Shape:
    """A rectangle on the page's picture, in pixels from its top left."""

    x: float
    y: float
    width: float
    height: float

    @classmethod
    def of(cls, box: tuple[float, float, float, float], pad: float = 0) -> Shape:
        x0, y0, x1, y1 = box
        return cls(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad)


@dataclass(frozen=True)
class PlanEntry:
    title: str
    colour: str
    records: int
    first_page: int
    last_page: int


@dataclass(frozen=True)
class WarningEntry:
    code: str
    message: str
    page: int | None
    target: str | None  # the id of its mark on the page, where it has a page


@dataclass(frozen=True)
class RecordEntry:
    item: str
    action: str  # cut at a word for the list; the whole is in `action_full`
    action_full: str
    target: str | None  # the id of its region, where the record has one
    regions: int  # how many regions it has, over every page it runs across


@dataclass(frozen=True)
class PlanRecords:
    title: str
    records: list[RecordEntry]


@dataclass(frozen=True)
class RecordMark:
    shape: Shape
    colour: str
    plan: str
    item: str
    id: str | None  # on the record's first region only: ids are unique
    label: Shape  # the tab in its top left corner that holds "#item"
    text_x: float
    text_y: float
    record: str = ""  # the record's id, on every one of its regions: all are highlighted together

    @classmethod
    def at(cls, box: tuple[float, float, float, float], colour: str, plan: str, item: str,
           id: str | None, record: str = "") -> RecordMark:
        shape = Shape.of(box)
        return cls(shape, colour, plan, item, id, Shape(shape.x + 1, shape.y + 1, 12 + 6 * len(item), 14),
                   shape.x + 4, shape.y + 12, record)


@dataclass(frozen=True)
class WarningMark:
    id: str
    shape: Shape


@dataclass
class PageView:
    number: int
    width: int
    height: int
    image: str  # a data: URI, so the page fetches nothing
    cells: list[Shape] = field(default_factory=list)
    lost: list[Shape] = field(default_factory=list)  # lines holding a word no record took
    records: list[RecordMark] = field(default_factory=list)
    warnings: list[WarningMark] = field(default_factory=list)


@dataclass
class ReviewView:
    name: str
    page_count: int
    record_count: int
    plans: list[PlanEntry]
    warnings: list[WarningEntry]
    record_lists: list[PlanRecords]
    pages: list[PageView]
    # per record id, what was read, for the panel beside the pages (`record_details`)
    details: dict[str, dict[str, object]] = field(default_factory=dict)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


def record_id(plan: str, item: str) -> str:
    return f"r-{_slug(plan)}-{_slug(item)}"


# what the panel shows of a record, in the order a reviewer checks it against the page
DETAIL_FIELDS = (("item", "Item"), ("inspection_para", "Inspection para"), ("area_for_improvement", "Area"),
                 ("action", "Action"), ("lead", "Lead (as printed)"), ("lead_canonical", "Lead (canonical)"),
                 ("by_when", "By when (as printed)"), ("due_dates", "Due dates read"), ("due", "Latest due"),
                 ("rag_raw", "Rating (as printed)"), ("rag", "Rating read"), ("progress", "Progress"),
                 ("source_pages", "Pages"))


def record_details(plan: str, record: dict[str, object], warnings: list[str]) -> dict[str, object]:
    """What was read of one record, as the review panel lists it (label, value), with the
    warnings about it."""
    rows = []
    for key, label in DETAIL_FIELDS:
        value = record.get(key)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        rows.append([label, "" if value is None else str(value)])
    return {"plan": plan, "fields": rows, "warnings": warnings}


def _lost_words(result: Result) -> dict[int, set[str]]:
    """Per page, the words that reached no record (the coverage summary lists them all,
    where a warning's message shows the first twenty)."""
    out: dict[int, set[str]] = {}
    for entry in (result.text_coverage or {}).get("pages", []):
        out.setdefault(int(entry["page"]), set()).update(str(w).lower() for w in entry["missing"])
    return out


def review_view(result: Result, scale: float = 1.25, quality: int = 60) -> ReviewView:
    """Everything the review page shows, as plain values: the lists beside the pages, and
    each page's picture with its cells, lost lines, record regions and warning marks."""
    lost = _lost_words(result)
    boxes = {n: list(record_boxes(result, n)) for n in range(1, result.page_count + 1)}

    plans = []
    for k, t in enumerate(result.tables):
        first = t.pages[0] if t.pages else 1
        plans.append(PlanEntry(t.title or t.id, PLAN_COLOURS[k % len(PLAN_COLOURS)], len(t.records),
                               first, t.pages[-1] if t.pages else first))

    # warnings: marked at their record's region where they name one, else at the page's top
    warnings = []
    warn_regions: dict[int, list[tuple[str, BBox | None]]] = {}
    for i, w in enumerate(result.warnings):
        target = None
        if w.page:
            region = next((b for _k, pid, item, b in boxes.get(int(w.page), [])
                           if pid == w.table and item == str(w.item)), None)
            target = f"w-{i}"
            warn_regions.setdefault(int(w.page), []).append((target, region))
        warnings.append(WarningEntry(w.code, w.message[:160], w.page or None, target))

    about: dict[tuple[str | None, str], list[str]] = {}
    for w in result.warnings:
        if w.item is not None:
            about.setdefault((w.table, str(w.item)), []).append(f"{w.code}: {w.message}")
    rec_ids: dict[tuple[str, str], str] = {}
    record_lists = []
    details: dict[str, dict[str, object]] = {}
    for t in result.tables:
        entries = []
        for r in t.records:
            item = str(r["item"])
            rid = rec_ids[(t.id, item)] = record_id(t.id, item)
            action = r.get("action") or ""
            entries.append(RecordEntry(item, cut_at_word(action), action, rid if r.get("source_boxes") else None,
                                       len(r.get("source_boxes") or [])))
            details[rid] = record_details(t.title or t.id, dict(r), about.get((t.id, item), []))
        record_lists.append(PlanRecords(t.title or t.id, entries))

    pages = []
    seen: set[str] = set()  # a record's first region, over every page, carries its id: ids are unique
    by_page = {p.number: p for p in (result.document.pages if result.document else [])}
    password = result.settings.password if result.settings else None
    for rendered in render_pages(result.source, scale, None, password):
        number, image = rendered.number, rendered.image
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=quality, optimize=True)
        w_px, h_px = image.size
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        view = PageView(number, w_px, h_px, f"data:image/jpeg;base64,{data}")
        page = by_page.get(number)
        height = page.height if page is not None and page.height else rendered.size[1]
        words = lost.get(number)
        for table in page.tables if page is not None else []:
            for row in table.rows:
                for cell in row:
                    view.cells.append(Shape.of(to_px(cell.bbox, height, scale)))
                    if words:
                        view.lost.extend(Shape.of(to_px(line.bbox, height, scale)) for line in cell.lines
                                         if words & {x.lower() for x in _WORD.findall(line.text)})
        for k, pid, item, box in boxes.get(number, []):
            rid = rec_ids.get((pid, item), "")
            view.records.append(RecordMark.at(to_px(box, height, scale), PLAN_COLOURS[k % len(PLAN_COLOURS)],
                                              pid, item, rid if rid and rid not in seen else None, rid))
            seen.add(rid)
        for wid, region in warn_regions.get(number, []):
            px = to_px(region, height, scale) if region is not None else (4, 4, w_px - 4, 28)
            view.warnings.append(WarningMark(wid, Shape.of(px, pad=3)))
        pages.append(view)

    return ReviewView(result.source.name, result.page_count, len(result.records), plans, warnings,
                      record_lists, pages, details)


@cache
def _template() -> Template:
    # Jinja2 is loaded here, when a review page is asked for, not with the command line
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("actionplan.pipeline.outputs", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["px"] = lambda v, places=1: f"{v:.{places}f}"
    return env.get_template("review.html.j2")


def review_html(result: Result, scale: float = 1.25, quality: int = 60) -> str:
    """One self-contained page: every PDF page as an image with cells outlined, each
    record's regions shaded in its plan's colour and labelled, unplaced words in red and
    warnings marked; beside it the plans, records and warnings, each a link to its place,
    and a panel with what was read of the record selected (by its link, a click on any of
    its regions, or the keyboard)."""
    return _template().render(view=review_view(result, scale, quality))


def review_name(stem: str) -> str:
    return f"{stem}.review.html"
