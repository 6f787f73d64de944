"""Pages as pictures (pdfium): what OCR reads and what the review page and `inspect` draw on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actionplan.schemas.errors import InputError


@dataclass(frozen=True)
class Rendered:
    number: int  # 1-based
    image: Any  # PIL image, RGB
    size: tuple[float, float]  # the page's width and height in points


def render_pages(path: Path, scale: float, pages: list[int] | None = None,
                 password: str | None = None) -> Iterator[Rendered]:
    """Each page asked for (all by default), rendered at `scale` pixels a point."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        raise InputError(f"cannot render the PDF ({exc})", file=path, hint="check the file and --password") from exc
    try:
        for number in pages or range(1, len(pdf) + 1):
            page = pdf[number - 1]
            width, height = page.get_size()
            yield Rendered(number, page.render(scale=scale).to_pil().convert("RGB"), (float(width), float(height)))
            page.close()
    finally:
        pdf.close()
