"""Only what the page shows: text drawn out of sight is not read.

A PDF can hold text nobody sees: a spreadsheet prints a merged cell's text again on the
next page and clips it away, a producer draws text in render mode 3 (invisible, as OCR
layers and some exporters do), or places a whole line off the page. Readers that take every glyph
read that text as a title or a cell. The layout analysis we use does not track clipping
paths, so pdfium (which renders the page, and knows each text object's clip) says where
text is drawn out of sight, and those characters are taken out of the page's text lines
before anything reads them.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actionplan.extractors.layout import PageLayout
from actionplan.extractors.model import BBox

log = logging.getLogger(__name__)

# text render modes that paint nothing (PDF 32000 table 106: 3 neither fills nor strokes,
# 7 only adds to the clipping path)
INVISIBLE_MODES = frozenset({3, 7})
# points: a glyph whose centre is this far outside the page or its clip is out of sight
# (less would take a glyph that touches a cell's clip edge for a hidden one)
CLIP_TOLERANCE = 0.5


@dataclass(frozen=True)
class Hidden:
    """A text object drawn partly or wholly out of sight: its bounds, and the part of them
    its clipping path lets show (None: none of it)."""

    bounds: BBox
    visible: BBox | None


def _clip_box(clip: Any) -> BBox | None:
    """The box a clipping path leaves open: every path of it must be passed (their
    intersection); each path taken by its bounding box."""
    import pypdfium2.raw as raw

    box: BBox | None = None
    for k in range(raw.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for s in range(raw.FPDFClipPath_CountPathSegments(clip, k)):
            seg = raw.FPDFClipPath_GetPathSegment(clip, k, s)
            x, y = ctypes.c_float(), ctypes.c_float()
            if raw.FPDFPathSegment_GetPoint(seg, x, y):
                xs.append(x.value)
                ys.append(y.value)
        if not xs:
            continue
        path = (min(xs), min(ys), max(xs), max(ys))
        box = path if box is None else (max(box[0], path[0]), max(box[1], path[1]),
                                        min(box[2], path[2]), min(box[3], path[3]))
    return box


def hidden_text(path: Path, pages: Sequence[int], password: str | None = None) -> dict[int, list[Hidden]]:
    """Per page (1-based), the text objects a clipping path hides, wholly or in part.

    pdfium is asked, not made to render; a file it cannot open gives no answer (nothing
    is taken out: better to read hidden text than to lose what shows)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out: dict[int, list[Hidden]] = {}
    try:
        pdf = pdfium.PdfDocument(str(path), password=password)
    except Exception as exc:  # pdfium refuses files playa reads; visibility is then unknown
        log.debug("%s: pdfium cannot open it (%s); hidden text is not looked for", path, exc)
        return out
    try:
        for number in pages:
            try:
                page = pdf[number - 1]
            except Exception as exc:  # a page pdfium cannot load: read it as the layout has it
                log.debug("%s: pdfium cannot load page %s (%s)", path, number, exc)
                continue
            try:
                if page.get_rotation():
                    continue  # bounds come unrotated; the layout is read rotated
                found = []
                for k in range(raw.FPDFPage_CountObjects(page.raw)):
                    obj = raw.FPDFPage_GetObject(page.raw, k)
                    if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
                        continue
                    clip = raw.FPDFPageObj_GetClipPath(obj)
                    if not clip or raw.FPDFClipPath_CountPaths(clip) <= 0:
                        continue
                    lo, bo, ro, to = (ctypes.c_float() for _ in range(4))
                    if not raw.FPDFPageObj_GetBounds(obj, lo, bo, ro, to):
                        continue
                    bounds = (lo.value, bo.value, ro.value, to.value)
                    box = _clip_box(clip)
                    if box is None:
                        continue
                    visible = (max(bounds[0], box[0]), max(bounds[1], box[1]),
                               min(bounds[2], box[2]), min(bounds[3], box[3]))
                    if visible[0] >= visible[2] or visible[1] >= visible[3]:
                        found.append(Hidden(bounds, None))
                    elif visible != bounds:
                        found.append(Hidden(bounds, visible))
                if found:
                    out[number] = found
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def _centre(bbox: BBox) -> tuple[float, float]:
    return (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2


def _within(x: float, y: float, box: BBox, tol: float = CLIP_TOLERANCE) -> bool:
    return box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol


def out_of_sight(char: Any, hidden: Sequence[Hidden]) -> bool:
    """Is this glyph drawn where nobody sees it: invisible, or clipped away."""
    if getattr(char, "render_mode", 0) in INVISIBLE_MODES:
        return True
    bbox = getattr(char, "bbox", None)
    if bbox is None:
        return False
    x, y = _centre(bbox)
    holders = [h for h in hidden if _within(x, y, h.bounds)]
    return bool(holders) and not any(h.visible is not None and _within(x, y, h.visible) for h in holders)


def visible_layout(pl: PageLayout, hidden: Sequence[Hidden]) -> tuple[PageLayout, list[str]]:
    """The page's layout with the glyphs drawn out of sight taken out of its text lines,
    and the text taken out (one piece a line)."""
    from playa.miner import LTAnno, LTChar, LTTextLineHorizontal

    page = (0.0, 0.0, float(pl.dims[0]), float(pl.dims[1]))
    # a line wholly off the page is out of sight; a cell's line that runs past the page's
    # edge (a producer letting the last column overflow) is the cell's text, read whole
    off = {id(line) for line in pl.htext if not _within(*_centre(line.bbox), page)}
    if not off and not any(out_of_sight(ch, hidden) for ch in pl.chars):
        return pl, []
    lines: list[Any] = []
    dropped: list[str] = []
    for line in pl.htext:
        kept: list[Any] = []
        gone: list[str] = []
        for obj in line:
            if isinstance(obj, LTChar) and (id(line) in off or out_of_sight(obj, hidden)):
                gone.append(obj.get_text())
            elif isinstance(obj, LTChar) or (kept and isinstance(obj, LTAnno)):
                kept.append(obj)
        if gone:
            dropped.append("".join(gone).strip())
        if not gone:
            lines.append(line)
        elif any(isinstance(o, LTChar) for o in kept):
            rebuilt = LTTextLineHorizontal(getattr(line, "word_margin", 0.1))
            for obj in kept:
                if isinstance(obj, LTChar):
                    rebuilt.add(obj)
                else:  # a space the analysis put between words has no box to add
                    rebuilt._objs.append(obj)
            lines.append(rebuilt)
    off_chars = {id(obj) for line in pl.htext if id(line) in off for obj in line}
    chars = [ch for ch in pl.chars if id(ch) not in off_chars and not out_of_sight(ch, hidden)]
    return PageLayout(pl.shapes, pl.dims, pl.images, chars, lines, pl.vtext, pl.rotation, pl.kwargs), \
        [d for d in dropped if d]
