"""Every call into Camelot, in one module.

`camelot.read_pdf` analyses each page's layout and then throws it away; we need that same
layout for cell fills (RAG colours), the text around tables (plan titles, page furniture)
and the coverage check, so we lay each page out once and hand the layout to Camelot's
parser classes ourselves. Camelot has no public call for "parse this layout": the parser's
`prepare_page_parse` is what `read_pdf` calls between the two, and a table's box is only
kept in `Table._bbox`. Those two, and the layout helpers in `camelot.utils`, are used here
and nowhere else, so a Camelot upgrade touches this module only.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

from actionplan.extractors.geometry import area, overlap
from actionplan.extractors.layout import PageLayout, objects
from actionplan.extractors.model import BBox
from actionplan.schemas.layout import DEFAULT_LAYOUT

log = logging.getLogger(__name__)


def _text_in_bbox_grid(t_bbox: list[Any]) -> list[Any]:
    """Camelot's `_text_in_bbox_loop` (its pass for more than 1,500 text lines in a table,
    which drops a line lying >80 % inside a longer one with the same text), with the same
    result, but each line tested against the lines near it only: Camelot tests every line
    against every other, 100 million tests for a 100 x 100 grid of numbers (a minute),
    the square of that for 300 x 300."""
    from camelot.utils import (
        _is_textual_duplicate,
        _normalised_textline_text,
        bbox_area,
        bbox_intersect,
        bbox_intersection_area,
        bbox_longer,
    )

    n = len(t_bbox)
    if n == 0:
        return []
    heights = sorted(max(t.y1 - t.y0, 0.0) for t in t_bbox)
    widths = sorted(max(t.x1 - t.x0, 0.0) for t in t_bbox)
    size = max(1.0, 2 * heights[n // 2], 2 * widths[n // 2])  # a cell holds a few lines
    grid: dict[tuple[int, int], list[int]] = {}

    def cells(t: Any) -> Any:
        for gx in range(int(t.x0 // size), int(t.x1 // size) + 1):
            for gy in range(int(t.y0 // size), int(t.y1 // size) + 1):
                yield gx, gy

    for j, t in enumerate(t_bbox):
        for key in cells(t):
            grid.setdefault(key, []).append(j)
    discarded: set[int] = set()
    texts = [_normalised_textline_text(t) for t in t_bbox]
    for i in range(n):
        ba = t_bbox[i]
        ba_area = bbox_area(ba)
        near = sorted({j for key in cells(ba) for j in grid.get(key, ())})  # in Camelot's order
        for j in near:
            if i == j or j in discarded:
                continue
            bb = t_bbox[j]
            if not bbox_intersect(ba, bb):
                continue
            if ((ba_area == 0 or (bbox_intersection_area(ba, bb) / ba_area) > 0.8)
                    and bbox_longer(bb, ba) and _is_textual_duplicate(texts[i], texts[j])):
                discarded.add(i)
                break
    return [t_bbox[i] for i in range(n) if i not in discarded]


_CAMELOTS: dict[str, Any] = {}  # Camelot's own functions that the ones here stand in for


def camelots_loop() -> Any:
    """Camelot's own all-pairs pass, whether or not ours stands in for it now (for tests)."""
    import camelot.utils

    return _CAMELOTS.get("loop", camelot.utils._text_in_bbox_loop)


def _use_the_grid() -> None:
    import camelot.utils

    if camelot.utils._text_in_bbox_loop is not _text_in_bbox_grid:
        _CAMELOTS["loop"] = camelot.utils._text_in_bbox_loop
        camelot.utils._text_in_bbox_loop = _text_in_bbox_grid

# Fast layout analysis: Camelot reads text lines, not the box hierarchy, so skip it.
LAYOUT_FAST: dict[str, Any] = {"boxes_flow": None, "detect_vertical": False}
LAYOUT_ROTATED: dict[str, Any] = {"boxes_flow": None, "detect_vertical": True}

# The text flavors' fallback guesses: a table needs at least this many rows and columns to
# be kept (smaller guesses are a heading and its paragraph, not a table). Fixed: a plan's
# header and one row, and the three fields a header names (header_min_fields' default);
# these only thin Camelot's guesses, which the structure stage then judges.
GUESS_MIN_ROWS, GUESS_MIN_COLS = 2, 3
# The text flavors report one table several times over: two guesses overlapping by this
# share of the smaller are one (fixed: a duplicate overlaps almost wholly, two tables not at all)
DUPLICATE_OVERLAP = 0.5


def page_layout(page: Any, kwargs: dict[str, Any] | None = None) -> PageLayout:
    """The page laid out once: its shapes, size, images, characters and text lines.

    Camelot's parsers read ruled lines from the layout they are given by walking all of
    it, characters included; handing them just the page's shapes gives the same lines in
    a fraction of the walk.
    """
    from camelot.utils import get_page_layout, get_rotation

    def analyse(kw: dict[str, Any]) -> PageLayout:
        layout, dims = get_page_layout(page, **kw)
        shapes: list[Any] = []
        images, chars, htext, vtext = objects(layout, shapes)
        return PageLayout(shapes, dims, images, chars, htext, vtext, "", kw)

    pl = analyse(kwargs or LAYOUT_FAST)
    if pl.chars and sum(1 for ch in pl.chars if not getattr(ch, "upright", True)) > len(pl.chars) / 2:
        # rotated text: redo the analysis with vertical lines on, as camelot.read_pdf would
        pl = analyse(LAYOUT_ROTATED)
        rotation = get_rotation(pl.chars, pl.htext, pl.vtext)
        if rotation:
            page.set_initial_ctm(page.space, page.rotate + (-90 if rotation == "clockwise" else 90))
            pl = analyse(LAYOUT_ROTATED)
        pl.rotation = rotation
    return pl


class Parsers:
    """Camelot parser objects, made once per conversion."""

    def __init__(self, engine: str, line_scale: int = DEFAULT_LAYOUT.line_scale) -> None:
        """`line_scale`: the lattice's (LayoutSettings.line_scale; Camelot's own default is 15
        too, kept explicit because the vector engine reads it)."""
        from camelot.parsers import Hybrid, Lattice, Network

        # a cell merged down over several rows (a lead or recommendation shared by several
        # actions) gives its text to every row it covers: Camelot's copy_text does that
        # a printed line that runs across a column rule (cells padded less than a
        # character's width apart) belongs to both cells: split_text cuts it there
        self.lattice = Lattice(engine=engine, line_scale=line_scale, copy_text=["v"], split_text=True)
        self.raster = Lattice(engine="combined", copy_text=["v"], split_text=True) if engine == "vector" else None
        self.hybrid = Hybrid(engine="vector")
        self.network = Network()


def parse(parser: Any, path: Path, pl: PageLayout, page_no: int) -> list[Any]:
    """Camelot's tables on one laid-out page (the private step `read_pdf` takes)."""
    _use_the_grid()
    parser.prepare_page_parse(
        str(path), pl.shapes, pl.dims, page_no, pl.images, pl.htext, pl.vtext, pl.rotation,
        layout_kwargs=LAYOUT_ROTATED if pl.rotation else LAYOUT_FAST,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(parser.extract_tables())


def try_parse(parser: Any, path: Path, pl: PageLayout, page_no: int) -> list[Any]:
    """As `parse`, for the parsers that fail in odd ways on odd pages (rendering backends,
    text flavors): a failure is no table."""
    try:
        return parse(parser, path, pl, page_no)
    except Exception as exc:
        log.debug("%s failed on page %s: %s", type(parser).__name__, page_no, exc)
        return []


def bbox_of(table: Any) -> BBox:
    """Where a Camelot table sits on its page (kept only in a private attribute)."""
    return tuple(table._bbox)


def has_rules(shapes: list[Any]) -> bool:
    """Does Camelot see any ruling line among these shapes."""
    from camelot.image_processing import find_lines_from_layout

    return bool(find_lines_from_layout(shapes, "horizontal")) or bool(find_lines_from_layout(shapes, "vertical"))


def stream_table(path: Path, pl: PageLayout, page_no: int, area_box: BBox, columns: tuple[float, ...]) -> list[Any]:
    """Camelot's stream parser told where the table is and where its columns part."""
    from camelot.parsers import Stream

    stream = Stream(table_areas=[",".join(f"{v:.2f}" for v in area_box)],
                    columns=[",".join(f"{v:.2f}" for v in columns)], split_text=True)
    return try_parse(stream, path, pl, page_no)


def _distinct(tables: list[Any]) -> list[Any]:
    """The text-based flavors can report one table several times over; keep the biggest."""
    kept: list[Any] = []
    for t in sorted(tables, key=lambda t: -area(bbox_of(t))):
        box = bbox_of(t)
        if all(overlap(box, bbox_of(k)) < DUPLICATE_OVERLAP * min(area(box), area(bbox_of(k))) for k in kept):
            kept.append(t)
    return kept


def guess_tables(parsers: Parsers, path: Path, pl: PageLayout, page_no: int) -> tuple[list[Any], str]:
    """No rules and no columns to go by: Camelot's guesses from text alignment."""
    inner: Any = parsers.hybrid.network_parser
    inner.table_bbox_parses = None  # set again only where the hybrid parser gets as far as its network pass
    for name in ("hybrid", "network"):
        if name == "network" and inner.table_bbox_parses == {}:
            # the hybrid parser's own network pass, with the same settings, found no table on
            # the page (prose): a second pass would search every line again for nothing
            break
        found = _distinct([t for t in try_parse(getattr(parsers, name), path, pl, page_no)
                           if t.shape[0] >= GUESS_MIN_ROWS and t.shape[1] >= GUESS_MIN_COLS])
        if found:
            return found, name
    return [], ""
