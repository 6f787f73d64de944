"""Scanned pages: the table grid from the page image, the words from Tesseract.

A scan has no vector rules and no text layer. The page is rendered, straightened by the
angle of its own ruling lines, and the rules are found in the image (long runs of dark
pixels across and down). The rules are then painted out, so Tesseract reads the text
without taking a rule for "|" or running a word from one cell into the next, and each
word it reads is placed in the cell its centre falls in. A word read with low confidence
is kept and reported, with its page.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actionplan.extractors.model import Cell, PageContent, RawTable, TextLine
from actionplan.schemas.errors import InputError

DPI = 300
INSTALL = ("Tesseract is not installed: on Debian or Ubuntu `apt-get install tesseract-ocr`, "
           "on macOS `brew install tesseract`, on Windows the UB Mannheim installer")


def tesseract() -> str | None:
    return shutil.which("tesseract")


@dataclass
class Word:
    text: str
    box: tuple[float, float, float, float]  # pixels: left, top, right, bottom
    conf: float


@dataclass
class ScannedPage:
    content: PageContent
    low_confidence: list[str] = field(default_factory=list)
    angle: float = 0.0


def _deskew(grey: Any) -> tuple[Any, float]:
    """The image turned so its long rules are level; the angle turned (degrees)."""
    import cv2
    import numpy as np

    small = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    dark = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    # long rules only: open with a wide kernel first, so text does not vote
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 1)))
    lines = cv2.HoughLinesP(dark, 1, np.pi / 1440, threshold=150, minLineLength=small.shape[1] // 5, maxLineGap=8)
    w = grey.shape[1]
    angles = []
    for x0, y0, x1, y1 in (lines.reshape(-1, 4) if lines is not None else []):
        a = float(np.degrees(np.arctan2(y1 - y0, x1 - x0)))
        if abs(a) < 5:
            angles.append(a)
    if not angles:
        return grey, 0.0
    angle = float(np.median(angles))
    if abs(angle) < 0.05:
        return grey, 0.0
    h = grey.shape[0]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), angle


def _runs(profile: Any) -> list[int]:
    """Centres of the runs of True in a 1-D mask, runs within 4 px of each other merged."""
    out: list[int] = []
    start = None
    for i, on in enumerate([*list(profile), False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            if out and start - out[-1] <= 4:
                out[-1] = (out[-1] + i - 1) // 2
            else:
                out.append((start + i - 1) // 2)
            start = None
    return out


def _ink(grey: Any) -> Any:
    """255 where the page is inked (text and rules, also on a shaded cell), 0 elsewhere:
    a threshold against the local background, so shading is background."""
    import cv2

    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def _rules(grey: Any) -> tuple[list[int], list[int], Any]:
    """y of the horizontal rules, x of the vertical ones, and the mask of every rule pixel."""
    import cv2

    dark = _ink(grey)
    h, w = dark.shape
    horiz = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, w // 25), 1)))
    vert = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(40, h // 40))))
    ys = _runs((horiz > 0).sum(axis=1) > w * 0.3)
    xs = _runs((vert > 0).sum(axis=0) > h * 0.05)
    # a row the page break cut has no rule under it: the column rules show where it ends
    down = (vert > 0).sum(axis=1) >= max(2, len(xs) // 2)
    if down.any():
        top, bottom = int(down.argmax()), int(len(down) - 1 - down[::-1].argmax())
        if ys and bottom - ys[-1] > 20:
            ys.append(bottom)
        if ys and ys[0] - top > 20:
            ys.insert(0, top)
    mask = cv2.dilate(cv2.bitwise_or(horiz, vert), cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    return ys, xs, mask


def _dust(ink: Any, speck: int = 12, small: int = 40, reach: int = 8) -> Any:
    """Dust: marks smaller than a full stop (`speck` pixels), and marks smaller than a
    letter (`small`) that stand clear of every letter. A full stop, a comma or an i's dot
    sits within `reach` pixels of its word; a speck beside a rating letter would make
    Tesseract read "A" as '"OA'."""
    import cv2
    import numpy as np

    _, labels, stats, _ = cv2.connectedComponentsWithStats((ink > 0).astype(np.uint8), connectivity=8)
    area = stats[:, cv2.CC_STAT_AREA]
    specks = np.isin(labels, np.flatnonzero(area < speck)) & (labels > 0)
    tiny = np.isin(labels, np.flatnonzero(area < small)) & (labels > 0)
    letters = ((labels > 0) & ~tiny).astype(np.uint8)
    near = cv2.dilate(letters, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, 2 * reach + 1))) > 0
    # a small mark is kept when any of its pixels is near a letter
    kept = np.unique(labels[tiny & near & ~specks])
    return specks | (tiny & ~np.isin(labels, kept))


def _ocr(image: Any, exe: str) -> list[Word]:
    """Tesseract's words with their boxes and confidence (TSV)."""
    import cv2

    ok, png = cv2.imencode(".png", image)
    if not ok:
        return []
    proc = subprocess.run([exe, "stdin", "stdout", "--psm", "6", "-l", "eng", "tsv"], input=png.tobytes(),
                          capture_output=True, timeout=300)
    if proc.returncode != 0:
        raise InputError(f"Tesseract failed ({proc.stderr.decode(errors='replace').strip()[:200]})")
    read = []
    for row in csv.DictReader(io.StringIO(proc.stdout.decode("utf-8", errors="replace")), delimiter="\t",
                              quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if not text or row.get("level") != "5":
            continue
        x, y, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        conf = float(row.get("conf") or -1)
        if not any(ch.isalnum() for ch in text) and (len(text) <= 2 or conf < 90):
            continue  # dust read as punctuation; a printed dash alone is read with confidence
        read.append(Word(_number_read(text), (x, y, x + w, y + h), conf))
    sure = sorted(w.box[3] - w.box[1] for w in read if w.conf >= 80 and len(w.text) >= 3)
    tall = sure[len(sure) // 2] if sure else 0
    words = []
    for word in read:
        if word.box[3] - word.box[1] < 0.45 * tall:
            continue  # a speck read as a letter or a digit: far shorter than the page's words
        if len(word.text) <= 2 and not _meaningful(word.text) and 0 <= word.conf < 50:
            continue  # dust read as a letter or two ("Lo"); an item number or a rating letter is kept
        words.append(word)
    return words


_NUMBER = re.compile(r"\d{1,3}\.?")
_BLURRED_NUMBER = re.compile(r"[\"'‘’“”+*~^_]{0,2}(\d{1,3})([.,°º·])?")


def _meaningful(text: str) -> bool:
    """Short, but what a plan's cell can hold alone: an item number, a rating letter."""
    return bool(_NUMBER.fullmatch(text) or re.fullmatch(r"[A-Z]", text))


def _number_read(text: str) -> str:
    """An item number as a scan blurs it: "4," and "6°" for "4." and "6.", dust read
    before it ('"2', "+5.")."""
    found = _BLURRED_NUMBER.fullmatch(text)
    if found is None:
        return text
    return found.group(1) + ("." if found.group(2) else "")


def _lines(words: list[Word], to_pt: Any) -> list[TextLine]:
    """Words grouped into printed lines (shared middle height), left to right."""
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.box[1] + w.box[3]) / 2, w.box[0])):
        mid = (w.box[1] + w.box[3]) / 2
        if out and abs(mid - (out[-1][0].box[1] + out[-1][0].box[3]) / 2) <= 0.5 * (w.box[3] - w.box[1]):
            out[-1].append(w)
        else:
            out.append([w])
    lines = []
    for group in out:
        group.sort(key=lambda w: w.box[0])
        box = (min(w.box[0] for w in group), min(w.box[1] for w in group),
               max(w.box[2] for w in group), max(w.box[3] for w in group))
        bbox = to_pt(box)
        lines.append(TextLine(" ".join(w.text for w in group), bbox, bbox[3] - bbox[1]))
    return sorted(lines, key=lambda ln: -ln.bbox[3])


def _fill(rgb: Any, box: tuple[int, int, int, int]) -> tuple[float, float, float] | None:
    """The colour a cell is shaded in (a RAG cell), if it is clearly coloured."""
    import numpy as np

    x0, y0, x1, y1 = box
    patch = rgb[y0 + 4:y1 - 4, x0 + 4:x1 - 4].reshape(-1, 3).astype(float)
    if len(patch) == 0:
        return None
    spread = patch.max(axis=1) - patch.min(axis=1)
    coloured = patch[spread > 60]
    if len(coloured) < 0.3 * len(patch):
        return None
    r, g, b = np.median(coloured, axis=0) / 255
    return (float(r), float(g), float(b))


def _band(a0: float, a1: float, edges: list[int]) -> int | None:
    """The band between edges that the span [a0, a1] overlaps most (None: none)."""
    best, most = None, 0.0
    for k, (lo, hi) in enumerate(itertools.pairwise(edges)):
        shared = min(a1, hi) - max(a0, lo)
        if shared > most:
            best, most = k, shared
    return best


def _cell_of(box: tuple[float, float, float, float], xs: list[int], ys: list[int]) -> tuple[int, int] | None:
    """The cell a word lies in most: a speck of dust read into a word's box ("2." with a
    speck to its left) can put its centre over a rule, not most of it."""
    c, r = _band(box[0], box[2], xs), _band(box[1], box[3], ys)
    return None if c is None or r is None else (r, c)


def read_scanned_page(path: Path, index: int, exe: str, min_conf: float = 60.0,
                      password: str | None = None) -> ScannedPage:
    """One scanned page as the reader's PageContent: a ruled table from the image, its
    cells holding Tesseract's words; words outside the table as text lines."""
    import cv2
    import numpy as np

    from actionplan.extractors.render import render_pages

    scale = DPI / 72
    page = next(render_pages(path, scale, [index + 1], password))
    width, height = page.size
    rgb = np.asarray(page.image)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    grey, angle = _deskew(grey)
    if angle:
        h, w = grey.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rgb = cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    ys, xs, mask = _rules(grey)
    # Tesseract gets ink on white: no rules, no shading, no dust (specks smaller than a full stop)
    ink = _ink(grey)
    ink[mask > 0] = 0
    ink[_dust(ink)] = 0
    clean = 255 - ink
    words = _ocr(clean, exe)

    def to_pt(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = box
        return (x0 / scale, height - y1 / scale, x1 / scale, height - y0 / scale)

    content = PageContent(index + 1, float(width), float(height), n_chars=sum(len(w.text) for w in words))
    out = ScannedPage(content, [w.text for w in words if 0 <= w.conf < min_conf], angle)
    inside: set[int] = set()
    if len(xs) >= 3 and len(ys) >= 2:
        rows: list[list[Cell]] = []
        by_cell: dict[tuple[int, int], list[int]] = {}
        for k, w in enumerate(words):
            at = _cell_of(w.box, xs, ys)
            if at is not None:
                by_cell.setdefault(at, []).append(k)
        for r, (top, bottom) in enumerate(itertools.pairwise(ys)):
            row = []
            for c, (left, right) in enumerate(itertools.pairwise(xs)):
                held = by_cell.get((r, c), [])
                inside.update(held)
                if held and sum(len(words[k].text) for k in held) <= 3 and all(
                        0 <= words[k].conf < 50 and not _meaningful(words[k].text) for k in held):
                    # dust in an empty cell ("Log"): a blank cell means "same as above", so
                    # a speck read as a word would stop the carrying down
                    out.low_confidence += [words[k].text for k in held]
                    held = []
                lines = tuple(_lines([words[k] for k in held], to_pt))
                row.append(Cell("\n".join(ln.text for ln in lines), to_pt((left, top, right, bottom)),
                                _fill(rgb, (left, top, right, bottom)), lines))
            rows.append(row)
        table = RawTable(index + 1, to_pt((xs[0], ys[0], xs[-1], ys[-1])), rows, "lattice",
                         rules=tuple(height - y / scale for y in ys))
        content.tables.append(table)
        content.table_words.append([w.text for k, w in enumerate(words) if k in inside])
    content.lines = _lines([w for k, w in enumerate(words) if k not in inside], to_pt)
    return out
