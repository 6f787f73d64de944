"""Scanned pages: the table grid from the page image, the words from Tesseract.

A scan has no vector rules and no text layer. The page is rendered, straightened by the
angle of its own ruling lines, and the rules are found in the image (long runs of dark
pixels across and down). The rules are then painted out, so Tesseract reads the text
without taking a rule for "|" or running a word from one cell into the next, and each
word it reads is placed in the cell its centre falls in. A word read with low confidence
is kept and reported, with its page. Every tolerance is a field of `OcrSettings`
(schemas/ocr.py), which says what it means and where its default came from.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actionplan.extractors.model import Cell, PageContent, RawTable, TextLine
from actionplan.schemas.errors import InputError
from actionplan.schemas.ocr import PX_DPI, OcrSettings

DEFAULT = OcrSettings()
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


def _deskew(grey: Any, opts: OcrSettings = DEFAULT) -> tuple[Any, float]:
    """The image turned so its long rules are level; the angle turned (degrees)."""
    import cv2
    import numpy as np

    small = cv2.resize(grey, None, fx=opts.deskew_scale, fy=opts.deskew_scale, interpolation=cv2.INTER_AREA)
    dark = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    # long rules only: open with a wide kernel first, so text does not vote
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (opts.deskew_kernel, 1)))
    lines = cv2.HoughLinesP(dark, opts.deskew_rho, np.pi / opts.deskew_steps, threshold=opts.deskew_votes,
                            minLineLength=small.shape[1] // opts.deskew_length_div, maxLineGap=opts.deskew_gap)
    w = grey.shape[1]
    angles = []
    for x0, y0, x1, y1 in (lines.reshape(-1, 4) if lines is not None else []):
        a = float(np.degrees(np.arctan2(y1 - y0, x1 - x0)))
        if abs(a) < opts.max_skew:
            angles.append(a)
    if not angles:
        return grey, 0.0
    angle = float(np.median(angles))
    if abs(angle) < opts.min_skew:
        return grey, 0.0
    h = grey.shape[0]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), angle


def _runs(profile: Any, merge: int = DEFAULT.rule_merge) -> list[int]:
    """Centres of the runs of True in a 1-D mask, runs within `merge` px of each other merged."""
    out: list[int] = []
    start = None
    for i, on in enumerate([*list(profile), False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            if out and start - out[-1] <= merge:
                out[-1] = (out[-1] + i - 1) // 2
            else:
                out.append((start + i - 1) // 2)
            start = None
    return out


def _ink(grey: Any, opts: OcrSettings = DEFAULT) -> Any:
    """255 where the page is inked (text and rules, also on a shaded cell), 0 elsewhere:
    a threshold against the local background, so shading is background."""
    import cv2

    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV,
                                 opts.ink_block, opts.ink_offset)


def _rules(grey: Any, opts: OcrSettings = DEFAULT) -> tuple[list[int], list[int], Any]:
    """y of the horizontal rules, x of the vertical ones, and the mask of every rule pixel."""
    import cv2

    dark = _ink(grey, opts)
    h, w = dark.shape
    across = max(opts.rule_min_px, w // opts.hrule_div)
    down_px = max(opts.rule_min_px, h // opts.vrule_div)
    horiz = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (across, 1)))
    vert = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, down_px)))
    ys = _runs((horiz > 0).sum(axis=1) > w * opts.hrule_share, opts.rule_merge)
    xs = _runs((vert > 0).sum(axis=0) > h * opts.vrule_share, opts.rule_merge)
    # a row the page break cut has no rule under it: the column rules show where it ends
    down = (vert > 0).sum(axis=1) >= max(opts.cut_row_min_rules, len(xs) // opts.cut_row_rules_div)
    if down.any():
        top, bottom = int(down.argmax()), int(len(down) - 1 - down[::-1].argmax())
        if ys and bottom - ys[-1] > opts.cut_row_min:
            ys.append(bottom)
        if ys and ys[0] - top > opts.cut_row_min:
            ys.insert(0, top)
    pad = cv2.getStructuringElement(cv2.MORPH_RECT, (opts.rule_pad, opts.rule_pad))
    mask = cv2.dilate(cv2.bitwise_or(horiz, vert), pad)
    return ys, xs, mask


def _dust(ink: Any, opts: OcrSettings = DEFAULT) -> Any:
    """Dust: marks smaller than a full stop (`dust_speck` pixels), and marks smaller than a
    letter (`dust_small`) that stand clear of every letter. A full stop, a comma or an i's
    dot sits within `dust_reach` pixels of its word; a speck beside a rating letter would
    make Tesseract read "A" as '"OA'."""
    import cv2
    import numpy as np

    speck, small, reach = opts.dust_speck, opts.dust_small, opts.dust_reach
    _, labels, stats, _ = cv2.connectedComponentsWithStats((ink > 0).astype(np.uint8),
                                                           connectivity=opts.dust_connectivity)
    area = stats[:, cv2.CC_STAT_AREA]
    specks = np.isin(labels, np.flatnonzero(area < speck)) & (labels > 0)
    tiny = np.isin(labels, np.flatnonzero(area < small)) & (labels > 0)
    letters = ((labels > 0) & ~tiny).astype(np.uint8)
    near = cv2.dilate(letters, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, 2 * reach + 1))) > 0
    # a small mark is kept when any of its pixels is near a letter
    kept = np.unique(labels[tiny & near & ~specks])
    return specks | (tiny & ~np.isin(labels, kept))


def _ocr(image: Any, exe: str, opts: OcrSettings = DEFAULT) -> list[Word]:
    """Tesseract's words with their boxes and confidence (TSV)."""
    import cv2

    ok, png = cv2.imencode(".png", image)
    if not ok:
        return []
    env = {**os.environ, "OMP_THREAD_LIMIT": str(opts.tesseract_threads)}
    proc = subprocess.run([exe, "stdin", "stdout", "--psm", str(opts.psm), "-l", "eng", "tsv"], input=png.tobytes(),
                          capture_output=True, timeout=opts.tesseract_timeout, env=env)
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
        if not any(ch.isalnum() for ch in text) and (len(text) <= opts.punct_len or conf < opts.punct_conf):
            continue  # dust read as punctuation; a printed dash alone is read with confidence
        read.append(Word(_number_read(text, opts), (x, y, x + w, y + h), conf))
    sure = sorted(w.box[3] - w.box[1] for w in read if w.conf >= opts.height_conf and len(w.text) >= opts.height_len)
    tall = sure[len(sure) // 2] if sure else 0
    words = []
    for word in read:
        if word.box[3] - word.box[1] < opts.speck_height * tall:
            continue  # a speck read as a letter or a digit: far shorter than the page's words
        if (len(word.text) <= opts.dust_word_len and not _meaningful(word.text, opts)
                and 0 <= word.conf < opts.dust_word_conf):
            continue  # dust read as a letter or two ("Lo"); an item number or a rating letter is kept
        words.append(word)
    return words


@functools.lru_cache(maxsize=8)
def _number_patterns(digits: int, dust: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """An item number (up to `digits` digits), and one as a scan blurs it (up to `dust`
    marks read before it), compiled once per setting."""
    return (re.compile(rf"\d{{1,{digits}}}\.?"),
            re.compile(rf"[\"'‘’“”+*~^_]{{0,{dust}}}(\d{{1,{digits}}})([.,°º·])?"))


def _meaningful(text: str, opts: OcrSettings = DEFAULT) -> bool:
    """Short, but what a plan's cell can hold alone: an item number, a rating letter."""
    number = _number_patterns(opts.item_digits, opts.number_dust)[0]
    return bool(number.fullmatch(text) or re.fullmatch(r"[A-Z]", text))


def _number_read(text: str, opts: OcrSettings = DEFAULT) -> str:
    """An item number as a scan blurs it: "4," and "6°" for "4." and "6.", dust read
    before it ('"2', "+5.")."""
    found = _number_patterns(opts.item_digits, opts.number_dust)[1].fullmatch(text)
    if found is None:
        return text
    return found.group(1) + ("." if found.group(2) else "")


def _lines(words: list[Word], to_pt: Any, overlap: float = DEFAULT.line_overlap) -> list[TextLine]:
    """Words grouped into printed lines (shared middle height), left to right."""
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.box[1] + w.box[3]) / 2, w.box[0])):
        mid = (w.box[1] + w.box[3]) / 2
        if out and abs(mid - (out[-1][0].box[1] + out[-1][0].box[3]) / 2) <= overlap * (w.box[3] - w.box[1]):
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


def _fill(rgb: Any, box: tuple[int, int, int, int], opts: OcrSettings = DEFAULT) -> tuple[float, float, float] | None:
    """The colour a cell is shaded in (a RAG cell), if it is clearly coloured."""
    import numpy as np

    x0, y0, x1, y1 = box
    inset = opts.fill_inset
    patch = rgb[y0 + inset:y1 - inset, x0 + inset:x1 - inset].reshape(-1, 3).astype(float)
    if len(patch) == 0:
        return None
    spread = patch.max(axis=1) - patch.min(axis=1)
    coloured = patch[spread > opts.fill_spread]
    if len(coloured) < opts.fill_share * len(patch):
        return None
    r, g, b = np.median(coloured, axis=0) / 255
    return (float(r), float(g), float(b))


def _shade(grey: Any, box: tuple[int, int, int, int], paper: float, opts: OcrSettings = DEFAULT) -> float | None:
    """A cell's background as a share of the paper's (1.0: unshaded), where it is shaded:
    in a grey scan a rating's colour survives only as this level."""
    import numpy as np

    x0, y0, x1, y1 = box
    inset = opts.fill_inset
    patch = grey[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
    if patch.size == 0 or paper <= 0:
        return None
    level = float(np.median(patch)) / paper
    return min(level, 1.0) if level < opts.shade_ratio else None


def _shaded_ink(patch: Any, opts: OcrSettings = DEFAULT) -> Any:
    """Ink on a dark shaded cell, against the cell's own background: a grey scan prints red
    and green as greys a letter stands only 10-20 levels above, under the page threshold's
    offset. The background is the cell with its strokes closed over (no letter is wider than
    `shade_kernel`). Ink is found with hysteresis: a mark is kept only where part of it stands
    out as a letter's stroke does (`shade_high`), and then as far as it stands out at all
    (`shade_low`), so a faint letter is whole and a halftone's mottling is no ink."""
    import cv2
    import numpy as np

    smooth = cv2.GaussianBlur(patch, (0, 0), opts.shade_blur)
    back = cv2.morphologyEx(smooth, cv2.MORPH_CLOSE,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (opts.shade_kernel, opts.shade_kernel)))
    diff = back.astype(np.int16) - smooth.astype(np.int16)
    mid = float(np.median(diff))
    noise = 1.4826 * float(np.median(np.abs(diff - mid)))
    strongest = float(np.percentile(diff, 99.9))
    low = max(opts.shade_min_contrast, mid + opts.shade_noise * noise, opts.shade_low * strongest)
    high = max(2 * opts.shade_min_contrast, mid + 2 * opts.shade_noise * noise, opts.shade_high * strongest)
    weak = (diff > low).astype(np.uint8)
    _, labels = cv2.connectedComponents(weak, connectivity=8)
    kept = np.unique(labels[(diff > high) & (weak > 0)])
    return np.where(np.isin(labels, kept[kept > 0]), 255, 0).astype(np.uint8)


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


def read_scanned_page(path: Path, index: int, exe: str, password: str | None = None,
                      settings: OcrSettings = DEFAULT) -> ScannedPage:
    """One scanned page as the reader's PageContent: a ruled table from the image, its
    cells holding Tesseract's words; words outside the table as text lines. `settings`
    holds every tolerance (`OcrSettings`)."""
    import cv2
    import numpy as np

    from actionplan.extractors.render import render_scan

    def resolution(own: float | None) -> float:
        if settings.dpi:
            return settings.dpi
        return float(min(max(round(own or PX_DPI), settings.min_dpi), settings.max_dpi))

    page, dpi = render_scan(path, index + 1, resolution, password)
    settings = settings.at(round(dpi))
    scale = dpi / 72
    width, height = page.size
    rgb = np.asarray(page.image)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    grey, angle = _deskew(grey, settings)
    if angle:
        h, w = grey.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rgb = cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    ys, xs, mask = _rules(grey, settings)
    # Tesseract gets ink on white: no rules, no shading, no dust (specks smaller than a full stop)
    ink = _ink(grey, settings)
    paper = float(np.median(grey))
    shades: dict[tuple[int, int], float] = {}
    inset = settings.fill_inset
    for r, (top, bottom) in enumerate(itertools.pairwise(ys)):
        for c, (left, right) in enumerate(itertools.pairwise(xs)):
            level = _shade(grey, (left, top, right, bottom), paper, settings)
            if level is None:
                continue
            shades[(r, c)] = level
            if level < settings.shade_dark and bottom - top > 2 * inset and right - left > 2 * inset:
                ink[top + inset:bottom - inset, left + inset:right - inset] = _shaded_ink(
                    grey[top + inset:bottom - inset, left + inset:right - inset], settings)
    ink[mask > 0] = 0
    ink[_dust(ink, settings)] = 0
    clean = 255 - ink
    words = _ocr(clean, exe, settings)

    def to_pt(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = box
        return (x0 / scale, height - y1 / scale, x1 / scale, height - y0 / scale)

    content = PageContent(index + 1, float(width), float(height), n_chars=sum(len(w.text) for w in words))
    out = ScannedPage(content, [w.text for w in words if 0 <= w.conf < settings.min_conf], angle)
    inside: set[int] = set()
    if len(xs) >= settings.min_columns + 1 and len(ys) >= 2:
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
                if held and sum(len(words[k].text) for k in held) <= settings.cell_dust_chars and all(
                        0 <= words[k].conf < settings.cell_dust_conf and not _meaningful(words[k].text, settings)
                        for k in held):
                    # dust in an empty cell ("Log"): a blank cell means "same as above", so
                    # a speck read as a word would stop the carrying down
                    out.low_confidence += [words[k].text for k in held]
                    held = []
                lines = tuple(_lines([words[k] for k in held], to_pt, settings.line_overlap))
                fill = _fill(rgb, (left, top, right, bottom), settings)
                if fill is None and (r, c) in shades:  # a grey scan's shade: its level is all there is
                    fill = (shades[(r, c)],) * 3
                row.append(Cell("\n".join(ln.text for ln in lines), to_pt((left, top, right, bottom)), fill, lines))
            rows.append(row)
        table = RawTable(index + 1, to_pt((xs[0], ys[0], xs[-1], ys[-1])), rows, "lattice",
                         rules=tuple(height - y / scale for y in ys))
        content.tables.append(table)
        content.table_words.append([w.text for k, w in enumerate(words) if k in inside])
    content.lines = _lines([w for k, w in enumerate(words) if k not in inside], to_pt, settings.line_overlap)
    return out
