"""What a page draws besides text: filled rectangles (cell shading, RAG colours) and rules,
from the shapes of its layout analysis."""

from __future__ import annotations

from typing import Any

from actionplan.extractors.model import RGB, BBox
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings

# How thin a rule is, how long, and what is white are LayoutSettings (rule_width,
# rule_min_length, paper_white).


def colour_of(obj: Any) -> RGB | None:
    colour = getattr(obj, "non_stroking_color", None)
    values = getattr(colour, "values", colour)
    if not isinstance(values, (tuple, list)) or not values:
        return None
    try:
        v = [float(x) for x in values]
    except (TypeError, ValueError):
        return None
    if any(x > 1.0 for x in v):  # some producers write 0-255 (a fact of the producer, not a tolerance)
        v = [x / 255.0 for x in v]
    if len(v) == 1:
        return (v[0], v[0], v[0])
    if len(v) == 3:
        return (v[0], v[1], v[2])
    if len(v) == 4:
        c, m, y, k = v
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def fills_of(shapes: list[Any], settings: LayoutSettings = DEFAULT_LAYOUT) -> list[tuple[BBox, RGB]]:
    """Filled shapes big enough to be cell shading (ones no thicker than `rule_width` are
    rules), and darker than `paper_white`."""
    out = []
    for obj in shapes:
        if getattr(obj, "fill", False):
            x0, y0, x1, y1 = obj.bbox
            if min(x1 - x0, y1 - y0) <= settings.rule_width:
                continue
            rgb = colour_of(obj)
            if rgb is not None and min(rgb) < settings.paper_white:  # white is the paper, not a colour
                out.append(((x0, y0, x1, y1), rgb))
    return out



# A browser draws a table's row line as each cell's own border: segments end to end at one
# height. Fixed: pieces this close in height (points) and this close end to end are one rule.
_RULE_SAME_Y = 0.5
_RULE_JOIN_GAP = 2.0


def hrules_of(shapes: list[Any], settings: LayoutSettings = DEFAULT_LAYOUT) -> list[tuple[float, float, float]]:
    """Horizontal rules: thin lines and rectangles (`rule_width`, `rule_min_length`), as (y, x0, x1);
    segments drawn end to end at one height (each cell's border) joined into the rule they draw."""
    pieces = []
    for obj in shapes:
        x0, y0, x1, y1 = obj.bbox
        if y1 - y0 <= settings.rule_width and x1 - x0 > settings.rule_min_length:
            pieces.append(((y0 + y1) / 2, x0, x1))
    out: list[tuple[float, float, float]] = []
    for y, x0, x1 in sorted(pieces, key=lambda r: (round(r[0] / _RULE_SAME_Y), r[1])):
        if out and abs(out[-1][0] - y) <= _RULE_SAME_Y and x0 <= out[-1][2] + _RULE_JOIN_GAP:
            py, px0, px1 = out[-1]
            out[-1] = (py, px0, max(px1, x1))
            continue
        out.append((y, x0, x1))
    return out


def vrules_of(shapes: list[Any], settings: LayoutSettings = DEFAULT_LAYOUT) -> list[tuple[float, float, float]]:
    """Vertical rules: thin lines and rectangles (`rule_width`, `rule_min_length`), as (x, y0, y1)."""
    out = []
    for obj in shapes:
        x0, y0, x1, y1 = obj.bbox
        if x1 - x0 <= settings.rule_width and y1 - y0 > settings.rule_min_length:
            out.append(((x0 + x1) / 2, y0, y1))
    return out
