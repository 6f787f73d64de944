"""A page's layout objects as the reader's text lines: one walk of the layout tree, printed
lines cut where the text of two cells runs together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from actionplan.extractors.model import TextLine
from actionplan.schemas.layout import DEFAULT_LAYOUT


@dataclass
class PageLayout:
    """One page's layout analysis, as Camelot's parsers and our own reading both need it."""

    shapes: list[Any]  # lines, rectangles, curves
    dims: Any  # the page's (width, height)
    images: list[Any]
    chars: list[Any]
    htext: list[Any]  # horizontal text lines
    vtext: list[Any]  # vertical text lines
    rotation: str  # "", "clockwise" or "anticlockwise"
    kwargs: dict[str, Any]  # the layout analysis settings used


def objects(layout: Any, shapes: list[Any]) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """Images, chars, horizontal and vertical text lines in one walk of the layout tree;
    lines, rectangles and curves go into `shapes` on the way.

    Same lists as camelot.utils.get_image_char_and_text_objects, which walks the tree twice.
    """
    from playa.miner import LTChar, LTContainer, LTCurve, LTImage, LTTextLineHorizontal, LTTextLineVertical

    images: list[Any] = []
    chars: list[Any] = []
    htext: list[Any] = []
    vtext: list[Any] = []
    stack = [iter(layout)]
    while stack:
        for obj in stack[-1]:
            if isinstance(obj, LTChar):
                chars.append(obj)
                continue
            if isinstance(obj, LTCurve):
                shapes.append(obj)
            elif isinstance(obj, LTImage):
                images.append(obj)
            elif isinstance(obj, LTTextLineHorizontal):
                htext.append(obj)
            elif isinstance(obj, LTTextLineVertical):
                vtext.append(obj)
            if isinstance(obj, LTContainer):
                stack.append(iter(obj))
                break
        else:
            stack.pop()
    return images, chars, htext, vtext


def split_at(line: Any, text_line: TextLine, cuts: list[float]) -> list[TextLine]:
    """A printed line cut where column rules cross it, by its characters' positions."""
    x0, _, x1, _ = text_line.bbox
    inner = [c for c in cuts if x0 + 1.0 < c < x1 - 1.0]
    if not inner:
        return [text_line]
    groups: list[list[Any]] = [[] for _ in range(len(inner) + 1)]
    k = 0
    for obj in line:
        bbox = getattr(obj, "bbox", None)
        if bbox is not None:
            centre = (bbox[0] + bbox[2]) / 2
            k = sum(1 for c in inner if centre > c)
        groups[k].append(obj)
    out = [piece for group in groups if (piece := line_of(group)) is not None]
    return out or [text_line]


def line_of(objs: list[Any]) -> TextLine | None:
    """A run of characters as one line: their text and the box around them."""
    texts = [o.get_text() for o in objs]
    text = "".join(texts).strip()
    # the box of what is printed: a space at a cut's edge would hide the gap it leaves
    boxes = [b for o, t in zip(objs, texts) if (b := getattr(o, "bbox", None)) is not None and t.strip()]
    if not text or not boxes:
        return None
    x0s, y0s, x1s, y1s = zip(*boxes)
    bbox = (min(x0s), min(y0s), max(x1s), max(y1s))
    return TextLine(text, bbox, float(bbox[3] - bbox[1]))



def phrases(line: Any, column_gap: float = DEFAULT_LAYOUT.column_gap) -> list[list[Any]]:
    """A printed line cut at gaps wider than a word space: the layout analysis joins the
    text of two neighbouring cells into one line when little padding separates them
    (`column_gap`: of the line's height, LayoutSettings.column_gap)."""
    objs = list(line)
    height = line.bbox[3] - line.bbox[1]
    out: list[list[Any]] = [[]]
    last = None
    for obj in objs:
        bbox = getattr(obj, "bbox", None)
        if bbox is not None:
            if last is not None and bbox[0] - last > column_gap * height:
                out.append([])
            last = bbox[2]
        out[-1].append(obj)
    return [p for p in out if p]


def text_lines(htext: list[Any], column_gap: float) -> tuple[list[TextLine], list[list[Any]]]:
    """Every printed line as text lines cut at wide gaps, with the characters of each."""
    lines: list[TextLine] = []
    raw: list[list[Any]] = []
    for line in htext:
        for phrase in phrases(line, column_gap):
            piece = line_of(phrase)
            if piece is not None:
                lines.append(piece)
                raw.append(phrase)
    return lines, raw


def pieces_of_one_line(left: TextLine, right: TextLine, tol: float = 1.0,
                       space: float = DEFAULT_LAYOUT.cut_word_space) -> bool:
    """`right` goes on where `left` stops, on the same line, no further than a word space
    (`space` ems, `cut_word_space`; 0 for closer than most characters are wide): two pieces
    of one printed line that the column edges cut."""
    char = (left.bbox[2] - left.bbox[0]) / max(1, len(left.text.strip()))
    gap = right.bbox[0] - left.bbox[2]
    return abs(left.bbox[3] - right.bbox[3]) <= tol and -char <= gap <= max(0.6 * char, space * left.size)


def running_on(lines: Sequence[TextLine], beside: Sequence[TextLine],
               space: float = DEFAULT_LAYOUT.cut_word_space) -> list[bool]:
    """For each line, does it go on into a line beside it (`pieces_of_one_line`)? The lines
    beside are looked up by their top, so only a line's own level is compared."""
    at: dict[int, list[TextLine]] = {}
    for b in beside:
        at.setdefault(round(b.bbox[3]), []).append(b)
    return [any(pieces_of_one_line(ln, b, space=space) for k in range(round(ln.bbox[3]) - 2, round(ln.bbox[3]) + 3)
                for b in at.get(k, ())) for ln in lines]


def wrap_edge(lines: Sequence[TextLine], beside: Sequence[TextLine] = (),
              space: float = DEFAULT_LAYOUT.cut_word_space) -> float | None:
    """Where a column's lines wrap: the furthest one ends. A line going on into the column
    beside it (`beside`: a section row the column edges cut into pieces) is not the
    column's own, and says nothing of where the column wraps."""
    own = [ln.bbox[2] for ln, on in zip(lines, running_on(lines, beside, space)) if not on]
    return max(own, default=None) or max((ln.bbox[2] for ln in lines), default=None)


def lines_text(lines: Sequence[TextLine], edge: float | None = None,
               short: float = DEFAULT_LAYOUT.short_line_chars) -> str:
    """A cell's lines as text, top first. A line that stops well short (`short` of its
    characters' width) of where the column's lines wrap (`edge`) cannot end in half a word:
    it gets a trailing space, which tells the joiner (normalisers/text.py) to put a space
    there, not rejoin a broken word."""
    ordered = sorted(lines, key=lambda ln: (-ln.bbox[3], ln.bbox[0]))
    if edge is None and ordered:
        edge = max(ln.bbox[2] for ln in ordered)

    def char(ln: TextLine) -> float:
        return (ln.bbox[2] - ln.bbox[0]) / max(1, len(ln.text.strip()))

    out = []
    for k, ln in enumerate(ordered):
        text = ln.text.strip()
        # measured in the wider of its own characters and the next line's: a word broken
        # where its next letter did not fit ("te" / "mb" in a column three letters wide)
        # leaves a gap as wide as that letter, wider than its own narrow ones
        width = max(char(ln), char(ordered[k + 1]) if k + 1 < len(ordered) else 0.0)
        stops = edge is not None and edge - ln.bbox[2] > short * width
        out.append(text + (" " if stops else ""))
    return "\n".join(out)


def aligned_left(cells: Sequence[Sequence[TextLine]], tol: float = 2.0, share: float = 0.8) -> bool:
    """Do a column's cells set their lines flush left (as plans mostly do), so a line that
    stops short of the others ended before the column's edge? Centred or right-aligned
    text stops short on every line and says nothing."""
    several = [lines for lines in cells if len(lines) >= 2]
    if not several:
        return False
    flush = sum(1 for lines in several if max(ln.bbox[0] for ln in lines) - min(ln.bbox[0] for ln in lines) <= tol)
    return flush >= share * len(several)
