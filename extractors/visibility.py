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

import copy
import ctypes
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from actionplan.extractors.layout import PageLayout
from actionplan.extractors.model import RGB, BBox, TextLine
from actionplan.extractors.shapes import colour_of

log = logging.getLogger(__name__)

# text render modes that paint nothing (PDF 32000 table 106: 3 neither fills nor strokes,
# 7 only adds to the clipping path)
INVISIBLE_MODES = frozenset({3, 7})
# points: a glyph whose centre is this far outside the page or its clip is out of sight
# (less would take a glyph that touches a cell's clip edge for a hidden one)
CLIP_TOLERANCE = 0.5
# points: a shown glyph is the hidden one when it starts within this of the hidden glyph's
# origin, at a font size within _SAME_SIZE of it
_SAME_ORIGIN = 0.3
# a layout shape is pdfium's filled path when their bounds agree this closely (points) and
# their colours within this (of 1)
_SAME_BOUNDS = 0.2
_SAME_COLOUR = 0.02
# points: a filled shape a clip leaves no thicker than this shows a cell's border
_STRIP = 2.0
_SAME_SIZE = 0.5


@dataclass(frozen=True)
class Hidden:
    """A glyph drawn out of sight: its character, origin and size. Glyphs, not text
    objects: a spreadsheet's clipped-away text object can span the header and title drawn
    over it, and its bounds would take their glyphs with it; the origin and size tell a
    hidden glyph from a shown one that happens to lie over it."""

    char: str
    x: float
    y: float
    size: float


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


@dataclass(frozen=True)
class Unseen:
    """What one page draws out of sight: glyphs, and the filled shapes a clip cuts down
    (`fills`: each shape's bounds, the part the clip lets show (None for none) and its
    colour, in the order drawn). A browser draws a cell's border as the whole cell filled in grey and
    clipped to one side: read unclipped, it is a grey cell over the rating's colour."""

    glyphs: tuple[Hidden, ...] = ()
    fills: tuple[tuple[BBox, BBox | None, RGB | None], ...] = ()


def _address(obj: Any) -> int | None:
    return ctypes.cast(obj, ctypes.c_void_p).value


def _filled(obj: Any) -> bool:
    import pypdfium2.raw as raw

    mode, stroke = ctypes.c_int(), ctypes.c_int()
    return bool(raw.FPDFPath_GetDrawMode(obj, mode, stroke)) and mode.value != raw.FPDF_FILLMODE_NONE


def _fill_colour(obj: Any) -> RGB | None:
    import pypdfium2.raw as raw

    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


def _clipped_objects(page: Any) -> tuple[dict[int, BBox | None], list[tuple[BBox, BBox | None, RGB | None]]]:
    """The page's text objects a clip cuts: the part of each it lets show (None: none);
    and its filled shapes a clip cuts, as (bounds, the part shown), in the order drawn."""
    import pypdfium2.raw as raw

    out: dict[int, BBox | None] = {}
    fills: list[tuple[BBox, BBox | None, RGB | None]] = []
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind != raw.FPDF_PAGEOBJ_TEXT and not (kind == raw.FPDF_PAGEOBJ_PATH and _filled(obj)):
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
        visible = (max(bounds[0], box[0]), max(bounds[1], box[1]), min(bounds[2], box[2]), min(bounds[3], box[3]))
        shown = None if visible[0] >= visible[2] or visible[1] >= visible[3] else visible
        if kind == raw.FPDF_PAGEOBJ_PATH:
            if shown != bounds and (shown is None or _cut(bounds, shown)):
                fills.append((bounds, shown, _fill_colour(obj)))
            continue
        address = _address(obj)
        if address is None:
            continue
        if shown is None or shown != bounds:
            out[address] = shown
    return out, fills


def _cut(bounds: BBox, shown: BBox) -> bool:
    """The clip takes off more than its tolerance on some side."""
    return any(abs(a - b) > CLIP_TOLERANCE for a, b in zip(bounds, shown))


def _hidden_glyphs(page: Any, clipped: dict[int, BBox | None]) -> list[Hidden]:
    """The glyphs of the clipped objects whose centre their clip leaves out."""
    import pypdfium2.raw as raw

    found: list[Hidden] = []
    text = raw.FPDFText_LoadPage(page.raw)
    if not text:
        return found
    try:
        for i in range(raw.FPDFText_CountChars(text)):
            obj = raw.FPDFText_GetTextObject(text, i)
            address = _address(obj) if obj else None
            if address is None or address not in clipped:
                continue
            code = raw.FPDFText_GetUnicode(text, i)
            if not code or chr(code).isspace():
                continue
            # the loose box (the font's ascent to descent): one height for a whole line, so
            # a line the clip cuts through goes whole to the side its middle is on
            box = raw.FS_RECTF()
            ox, oy = ctypes.c_double(), ctypes.c_double()
            if not (raw.FPDFText_GetLooseCharBox(text, i, box) and raw.FPDFText_GetCharOrigin(text, i, ox, oy)):
                continue
            x, y = (box.left + box.right) / 2, (box.top + box.bottom) / 2
            visible = clipped[address]
            if visible is None or not _within(x, y, visible):
                found.append(Hidden(chr(code), ox.value, oy.value, raw.FPDFText_GetFontSize(text, i)))
    finally:
        raw.FPDFText_ClosePage(text)
    return found


def hidden_text(path: Path, pages: Sequence[int], password: str | None = None) -> dict[int, Unseen]:
    """Per page (1-based), the glyphs a clipping path hides and the fills it cuts down.

    pdfium is asked, not made to render; a file it cannot open gives no answer (nothing
    is taken out: better to read hidden text than to lose what shows)."""
    import pypdfium2 as pdfium

    out: dict[int, Unseen] = {}
    if not pages:
        return out
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
                clipped, fills = _clipped_objects(page)
                found = _hidden_glyphs(page, clipped) if clipped else []
                if found or fills:
                    out[number] = Unseen(tuple(found), tuple(fills))
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def _centre(bbox: BBox) -> tuple[float, float]:
    return (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2


def _within(x: float, y: float, box: BBox, tol: float = CLIP_TOLERANCE) -> bool:
    return box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol


def out_of_sight(char: Any, hidden: Sequence[Hidden] | dict[str, list[Hidden]]) -> bool:
    """Is this glyph drawn where nobody sees it: invisible, or one of the clipped-away
    glyphs (the same character, its centre inside this glyph's box)."""
    if getattr(char, "render_mode", 0) in INVISIBLE_MODES:
        return True
    bbox = getattr(char, "bbox", None)
    if bbox is None or not hidden:
        return False
    text = char.get_text() if hasattr(char, "get_text") else ""
    size = getattr(char, "size", None)
    index = hidden if isinstance(hidden, dict) else _by_char(hidden)
    return any(abs(h.x - bbox[0]) <= _SAME_ORIGIN and bbox[1] - _SAME_ORIGIN <= h.y <= bbox[3]
               and (size is None or abs(h.size - size) <= _SAME_SIZE) for h in index.get(_first_letter(text), ()))


def _first_letter(text: str) -> str:
    """The letter a glyph is found by: a ligature's glyph ("fi", one glyph the layout reads as
    two letters, pdfium as two characters at one origin, or as "\ufb01") by its first."""
    return unicodedata.normalize("NFKC", text)[:1] if text else text


def _by_char(hidden: Sequence[Hidden]) -> dict[str, list[Hidden]]:
    index: dict[str, list[Hidden]] = {}
    for h in hidden:
        index.setdefault(_first_letter(h.char), []).append(h)
    return index


def _shown_shapes(shapes: list[Any], fills: Sequence[tuple[BBox, BBox | None, RGB | None]]) -> list[Any]:
    """The page's shapes as they show: a filled shape a clip cuts down keeps only the part
    shown; one the clip hides wholly, or cuts down to a border's strip (`_STRIP`), is gone.
    Shapes are matched to pdfium's objects by their bounds, in the order drawn, and their
    colour (a rating's fill and a border's share a cell's box)."""
    def same(shape: Any, bounds: BBox, rgb: RGB | None) -> bool:
        if not getattr(shape, "fill", False) or any(abs(a - b) > _SAME_BOUNDS for a, b in zip(shape.bbox, bounds)):
            return False
        ours = colour_of(shape)
        return rgb is None or ours is None or all(abs(a - b) <= _SAME_COLOUR for a, b in zip(ours, rgb))

    waiting = list(fills)
    out = []
    for shape in shapes:
        k = next((k for k, (bounds, _, rgb) in enumerate(waiting) if same(shape, bounds, rgb)), None)
        if k is None:
            out.append(shape)
            continue
        _, shown, _ = waiting.pop(k)
        if shown is None or min(shown[2] - shown[0], shown[3] - shown[1]) <= _STRIP:
            # hidden, or cut down to a border's strip: no cell's colour. Nor a rule: a browser
            # draws each side of each cell so, and a side it leaves out (a card's gap) would
            # read as a cell merged over two rows; the cells' own boxes say where rows part
            continue
        cut = copy.copy(shape)
        cut.set_bbox(shown)
        out.append(cut)
    return out


def _hidden_in_line(line: Any, off: bool, index: dict[str, list[Hidden]], char_type: type) -> set[int]:
    """The ids of a line's glyphs out of sight. A clip is a rectangle and a line's glyphs
    share one height: a glyph between two shown ones of its own word is shown too, whatever
    pdfium says of it (a producer may draw a word's letters as text objects of their own,
    each clipped apart: "Ensure t at pat way" with every "h" taken out)."""
    chars: list[Any] = [obj for obj in line if isinstance(obj, char_type)]
    if off:
        return {id(ch) for ch in chars}
    hidden = [out_of_sight(ch, index) for ch in chars]
    if not any(hidden):
        return set()
    if sum(hidden) > _FEW_HIDDEN * len(chars):
        return {id(ch) for ch, h in zip(chars, hidden) if h}  # a clipped copy, shown at its edges at most
    out = set()
    for k, ch in enumerate(chars):
        if not hidden[k]:
            continue
        left = next((j for j in range(k - 1, -1, -1) if not hidden[j]), None)
        right = next((j for j in range(k + 1, len(chars)) if not hidden[j]), None)
        # (shown neighbours touching the run of hidden ones: one word, no gap between)
        inside = (left is not None and right is not None and right - left - 1 <= _SHORT_RUN
                  and all(chars[j + 1].bbox[0] - chars[j].bbox[2] <= _WORD_GAP * max(chars[j].size, 1.0)
                          for j in range(left, right)))
        if not inside:
            out.add(id(ch))
    return out


# of a glyph's size: neighbours closer than this are letters of one word; a line with
# more than this share of its glyphs hidden is a clipped copy; glyphs hidden this many in a
# row between shown ones are a word's letters drawn apart
_WORD_GAP = 0.15
_FEW_HIDDEN = 0.25
_SHORT_RUN = 2


def visible_layout(pl: PageLayout, unseen: Unseen | None = None) -> tuple[PageLayout, list[TextLine]]:
    """The page's layout with the glyphs drawn out of sight taken out of its text lines,
    and the text taken out (one line a line, boxed where its glyphs were drawn: a merged
    cell's clipped copy says which cell goes on there); its filled shapes as the clip
    shows them."""
    from playa.miner import LTAnno, LTChar, LTTextLineHorizontal

    unseen = unseen or Unseen()
    hidden = unseen.glyphs
    if unseen.fills:
        pl = replace(pl, shapes=_shown_shapes(pl.shapes, unseen.fills))
    page = (0.0, 0.0, float(pl.dims[0]), float(pl.dims[1]))
    # a line wholly off the page is out of sight; a cell's line that runs past the page's
    # edge (a producer letting the last column overflow) is the cell's text, read whole
    off = {id(line) for line in pl.htext if not _within(*_centre(line.bbox), page)}
    index = _by_char(hidden)
    if not off and not any(out_of_sight(ch, index) for ch in pl.chars):
        return pl, []
    lines: list[Any] = []
    dropped: list[TextLine] = []
    hides = {id(line): _hidden_in_line(line, id(line) in off, index, LTChar) for line in pl.htext}
    for line in pl.htext:
        kept: list[Any] = []
        gone: list[Any] = []
        spoken: list[str] = []  # the text taken out, with the spaces the analysis put between its words
        last_gone = False
        hide = hides[id(line)]
        for obj in line:
            if isinstance(obj, LTChar) and id(obj) in hide:
                gone.append(obj)
                spoken.append(obj.get_text())
                last_gone = True
            elif isinstance(obj, LTChar) or (kept and isinstance(obj, LTAnno)):
                if isinstance(obj, LTAnno) and last_gone:
                    spoken.append(obj.get_text())
                else:
                    last_gone = False
                kept.append(obj)
            elif isinstance(obj, LTAnno) and last_gone:
                spoken.append(obj.get_text())
        text = " ".join("".join(spoken).split())
        if text:
            box = (min(g.bbox[0] for g in gone), min(g.bbox[1] for g in gone),
                   max(g.bbox[2] for g in gone), max(g.bbox[3] for g in gone))
            dropped.append(TextLine(text, box, box[3] - box[1]))
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
    shown = {id(obj) for line in pl.htext for obj in line} - {k for hide in hides.values() for k in hide}
    chars = [ch for ch in pl.chars if id(ch) not in off_chars and (id(ch) in shown or not out_of_sight(ch, index))]
    return PageLayout(pl.shapes, pl.dims, pl.images, chars, lines, pl.vtext, pl.rotation, pl.kwargs), dropped
