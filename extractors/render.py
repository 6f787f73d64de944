"""Pages as pictures (pdfium): what OCR reads and what the review page and `inspect` draw on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actionplan.schemas.errors import InputError


@dataclass(frozen=True)
class Rendered:
    number: int  # 1-based
    image: Any  # PIL image, RGB
    size: tuple[float, float]  # the page's width and height in points


@contextmanager
def _opened(path: Path, password: str | None) -> Iterator[Any]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        raise InputError(f"cannot render the PDF ({exc})", file=path, hint="check the file and --password") from exc
    try:
        yield pdf
    finally:
        pdf.close()


def _rendered(page: Any, number: int, scale: float) -> Rendered:
    width, height = page.get_size()
    shown = Rendered(number, page.render(scale=scale).to_pil().convert("RGB"), (float(width), float(height)))
    page.close()
    return shown


def render_pages(path: Path, scale: float, pages: list[int] | None = None,
                 password: str | None = None) -> Iterator[Rendered]:
    """Each page asked for (all by default), rendered at `scale` pixels a point."""
    with _opened(path, password) as pdf:
        for number in pages or range(1, len(pdf) + 1):
            yield _rendered(pdf[number - 1], number, scale)


# of the largest picture's area: pictures this large are all the page's (a scan, the page
# colour under it, a layered scan's coarse background); the sharpest of them is the scan
_FULL_SIZE = 0.9


def own_resolution(page: Any) -> float | None:
    """The resolution of the page's picture (its pixels over its size on the page), as a
    scanner wrote it: of the largest pictures, the sharpest (a page colour drawn as a 1-px
    picture, or a layered scan's coarse background, covers the page too); None where the
    page holds no picture."""
    import pypdfium2.raw as pdfium_c

    seen: list[tuple[float, float]] = []  # (area, resolution)
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        try:
            px_w = obj.get_px_size()[0]
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # a damaged picture: the other pictures, or the default
            continue
        if px_w and right - left > 0 and top - bottom > 0:
            seen.append(((right - left) * (top - bottom), px_w / ((right - left) / 72)))
    most = max((a for a, _ in seen), default=0.0)
    return max((dpi for a, dpi in seen if a >= _FULL_SIZE * most), default=None)


def render_scan(path: Path, number: int, choose: Callable[[float | None], float],
                password: str | None = None, max_pixels: float = 40e6) -> tuple[Rendered, float]:
    """Page `number` rendered at the resolution `choose` gives for its picture's own (None:
    no picture): a scan read at the resolution it was made at is read at the cost it needs.
    A page so large that it would take more than `max_pixels` is rendered coarser."""
    with _opened(path, password) as pdf:
        page = pdf[number - 1]
        dpi = choose(own_resolution(page))
        width, height = page.get_size()
        pixels = (width / 72 * dpi) * (height / 72 * dpi)
        if pixels > max_pixels > 0:
            dpi = dpi * (max_pixels / pixels) ** 0.5
        return _rendered(page, number, dpi / 72), dpi
