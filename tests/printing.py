"""A workbook printed the way a user prints it (LibreOffice, every sheet to PDF) and
measured: how many pages each sheet takes, the smallest text on the paper, text printed
over text; and Calc's own measure of how tall each row must be for its wrapped text."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def office() -> str:
    """LibreOffice with a Calibri-metric font (Carlito): without it Calc prints in a wider
    fallback font and nothing measured here is what a user sees."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    missing = ("LibreOffice" if soffice is None else "") or ("" if re.search(r"Carlito|Calibri", fonts) else
                                                             "the Carlito font (fonts-crosextra-carlito)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {missing} (see .ci/run)")
        pytest.skip(f"{missing} is not installed")
    assert soffice is not None
    return soffice


@dataclass
class PrintedPage:
    sheet: str
    glyphs: list[tuple[str, float, tuple[float, float, float, float]]] = field(default_factory=list)
    size: tuple[float, float] = (0.0, 0.0)

    def off_page(self) -> list[str]:
        """Text drawn past the paper's edge (a chart or a row cut by the page)."""
        w, h = self.size
        return [t for t, _, (x0, y0, x1, y1) in self.glyphs if t.strip() and (x0 < -1 or y0 < -1 or x1 > w + 1
                                                                              or y1 > h + 1)]

    @property
    def smallest(self) -> float:
        return min((size for text, size, _ in self.glyphs if text.strip()), default=0.0)

    @property
    def text(self) -> str:
        return "".join(t for t, _, _ in self.glyphs)


def print_workbook(xlsx: Path, outdir: Path) -> list[PrintedPage]:
    """Every sheet printed by LibreOffice; each page with the sheet its footer names."""
    import playa

    proc = subprocess.run([office(), "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    pages = []
    with playa.open(outdir / (xlsx.stem + ".pdf")) as doc:
        for page in doc.pages:
            printed = PrintedPage("?", size=(float(page.width), float(page.height)))
            for obj in page.texts:
                for g in obj:
                    a, b, c, d = g.matrix[:4]
                    printed.glyphs.append((g.text or "", abs(a * d - b * c) ** 0.5, tuple(g.bbox)))
            m = re.search(r" - (.+?)Page \d+ of \d+", printed.text)  # the footer: "&F - &A" ... "Page &P of &N"
            printed.sheet = m.group(1) if m else "?"
            pages.append(printed)
    return pages


def pages_per_sheet(pages: list[PrintedPage]) -> dict[str, int]:
    return dict(Counter(p.sheet for p in pages))


def text_over_text(page: PrintedPage, shrink: float = 0.2, shrink_y: float = 0.3) -> list[tuple[str, str]]:
    """Pairs of glyphs that print over each other (each box shrunk by `shrink` of its width
    and `shrink_y` of its height on every side, so touching letters, kerning and the
    ascenders of a tightly set line below do not count)."""
    boxes = []
    for text, _, (x0, y0, x1, y1) in page.glyphs:
        if not text.strip():
            continue
        dx, dy = (x1 - x0) * shrink, (y1 - y0) * shrink_y
        boxes.append((text, x0 + dx, y0 + dy, x1 - dx, y1 - dy))
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (_, x0, y0, x1, y1) in enumerate(boxes):
        for gx in range(int(x0 // 20), int(x1 // 20) + 1):
            for gy in range(int(y0 // 20), int(y1 // 20) + 1):
                grid.setdefault((gx, gy), []).append(i)
    hits = set()
    for members in grid.values():
        for k, i in enumerate(members):
            for j in members[k + 1:]:
                a, b = boxes[i], boxes[j]
                if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                    hits.add((min(i, j), max(i, j)))
    return [(boxes[i][0], boxes[j][0]) for i, j in sorted(hits)]


def calc_rows(xlsx: Path) -> dict[str, list[tuple[float, float]]]:
    """Per sheet, each row's height as the workbook gives it and as Calc grows it to fit
    its wrapped text (tests/producers/rows_uno.py, through Calc's UNO bridge)."""
    from producers.calc import available, uno_python

    why = available()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {why}")
        pytest.skip(why)
    office()
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([str(uno_python()), str(HERE / "producers" / "rows_uno.py"), str(xlsx),
                               Path(profile).as_uri()], capture_output=True, text=True, timeout=300,
                              cwd=HERE / "producers")
    assert proc.returncode == 0, proc.stderr
    return {k: [tuple(r) for r in v] for k, v in json.loads(proc.stdout.strip().splitlines()[-1]).items()}
