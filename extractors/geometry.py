"""Boxes on a page: (x0, y0, x1, y1) in PDF points, y upwards."""

from __future__ import annotations

from collections.abc import Sequence

from actionplan.extractors.model import RGB, BBox
from actionplan.schemas.layout import DEFAULT_LAYOUT


def area(b: BBox) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def overlap(a: BBox, b: BBox) -> float:
    return area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def fill_of(bbox: BBox, fills: Sequence[tuple[BBox, RGB]], cover: float = DEFAULT_LAYOUT.fill_cover) -> RGB | None:
    """The colour of the last fill covering `cover` of the box (LayoutSettings.fill_cover)."""
    size = area(bbox)
    if not size:
        return None
    best = None
    for fb, rgb in fills:  # later shapes paint over earlier ones
        touches = fb[0] < bbox[2] and fb[2] > bbox[0] and fb[1] < bbox[3] and fb[3] > bbox[1]
        if touches and overlap(bbox, fb) >= cover * size:
            best = rgb
    return best


def inside(b: BBox, outer: BBox, tol: float = DEFAULT_LAYOUT.table_reach) -> bool:
    """The box's middle is inside `outer`, or `tol` points outside it (LayoutSettings.table_reach)."""
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return outer[0] - tol <= cx <= outer[2] + tol and outer[1] - tol <= cy <= outer[3] + tol
