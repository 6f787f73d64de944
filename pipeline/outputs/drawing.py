"""What the review page and the `inspect` picture share: plan colours, PDF points to
pixels, a page of the result and the record regions on it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from actionplan.pipeline.core import Result
from actionplan.schemas.errors import ConfigError, InputError

# one colour per plan, in order (the review shades records in their plan's colour)
PLAN_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")

BBox = tuple[float, float, float, float]


def to_px(box: BBox, height: float, scale: float) -> tuple[float, float, float, float]:
    # ordered corners: a reader's cell can come back with its edges swapped, and the
    # picture must still be drawn (it is how such a cell gets seen)
    x0, x1 = sorted((box[0], box[2]))
    y0, y1 = sorted((box[1], box[3]))
    return x0 * scale, (height - y1) * scale, x1 * scale, (height - y0) * scale


def page_of(result: Result, number: int) -> Any:
    if result.document is None:
        raise InputError("the result keeps no document to draw from", file=result.source,
                         hint="convert with actionplan.convert, then inspect")
    for page in result.document.pages:
        if page.number == number:
            return page
    raise ConfigError(f"there is no page {number}", file=result.source,
                      hint=f"pass --page between 1 and {result.page_count}")


def record_boxes(result: Result, number: int) -> Iterator[tuple[int, str, str, BBox]]:
    """(plan index, plan id, item, region) of every record row on the page."""
    for k, table in enumerate(result.tables):
        for record in table.records:
            for box in record.get("source_boxes") or []:
                if box["page"] == number:
                    yield k, table.id, str(record["item"]), tuple(box["bbox"])  # type: ignore[misc]
