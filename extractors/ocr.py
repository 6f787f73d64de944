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
    """The image turned so its long rules are level; the angle turned (degrees). Each long
    rule's angle is its pixels' least-squares line (a Hough transform took a fifth of a
    page's time for the same angle); the page turns by their median."""
    import cv2
    import numpy as np

    small = cv2.resize(grey, None, fx=opts.deskew_scale, fy=opts.deskew_scale, interpolation=cv2.INTER_AREA)
    dark = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    # long rules only: open with a wide kernel first, so text does not vote
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (opts.deskew_kernel, 1)))
    # rules are thin: a shaded cell's dark block is taken out, else it joins every rule it meets
    dark[cv2.morphologyEx(dark, cv2.MORPH_OPEN,
                          cv2.getStructuringElement(cv2.MORPH_RECT, (1, opts.deskew_thick))) > 0] = 0
    # a rule broken by a short gap (faded print, dust) is one rule
    joined = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (opts.deskew_gap, 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    longest = small.shape[1] // opts.deskew_length_div
    angles = []
    for k in range(1, count):
        x, y, w, h = stats[k, :4]
        if w < longest or stats[k, cv2.CC_STAT_AREA] < opts.deskew_votes:
            continue
        ys, xs = np.nonzero((labels[y:y + h, x:x + w] == k) & (dark[y:y + h, x:x + w] > 0))
        if len(xs) < 2 or np.ptp(xs) == 0:
            continue
        a = float(np.degrees(np.arctan(np.polyfit(xs, ys, 1)[0])))
        if abs(a) < opts.max_skew:
            angles.append(a)
    if not angles:
        return grey, 0.0
    angle = float(np.median(angles))
    if abs(angle) < opts.min_skew:
        return grey, 0.0
    h, w = grey.shape
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


def _spread(image: Any, xs: list[int], gap: int, band: tuple[int, int] | None = None) -> tuple[Any, Any]:
    """The page with `gap` px of paper let in at each column rule, across the table's rows
    (`band`: top and bottom, px; the whole page by default), and the map of a word's box
    back. The rules painted out leave a cell's last word a space or two from the next cell's
    first, and Tesseract runs them into one ("47" and "34." read as "4734"); a line above or
    below the table (a title, "Page 3 of 21") is left as printed."""
    import numpy as np

    h, w = image.shape
    top, bottom = band or (0, h)
    cuts = [x for x in sorted(set(xs)) if 0 < x < w]
    starts = [0, *cuts]  # where each strip starts on the page ...
    placed = [x + k * gap for k, x in enumerate(starts)]  # ... and in the spread image
    rows = image[top:bottom]
    paper = np.full((bottom - top, gap), 255, image.dtype)
    parts: list[Any] = []
    for k, (a, b) in enumerate(zip(starts, [*cuts, w])):
        parts += [paper, rows[:, a:b]] if k else [rows[:, a:b]]
    wide = np.full((h, w + gap * len(cuts)), 255, image.dtype)
    wide[:, :w] = image
    wide[top:bottom] = np.hstack(parts)

    def x_back(x: float) -> float:
        k = max(0, int(np.searchsorted(placed, x, side="right")) - 1)
        return starts[k] + max(0.0, x - placed[k])

    def back(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        if not top <= (box[1] + box[3]) / 2 < bottom:
            return box
        return (x_back(box[0]), box[1], x_back(box[2]), box[3])

    return wide, back


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
        chosen = min(max(round(own or PX_DPI), settings.min_dpi), settings.max_dpi)
        # never under a pixel a point: a picture coarser than that is no page of text
        return float(max(min(chosen, round(own * settings.max_upscale)), 72) if own else chosen)

    page, dpi = render_scan(path, index + 1, resolution, password, settings.max_megapixels * 1e6)
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
    gridded = len(xs) >= settings.min_columns + 1 and len(ys) >= 2  # else no table: text lines only
    if gridded:
        wide, back = _spread(clean, xs, settings.cell_gap, (ys[0], ys[-1]))
        words = [Word(w.text, back(w.box), w.conf) for w in _ocr(wide, exe, settings)]
    else:
        words = _ocr(clean, exe, settings)

    def to_pt(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = box
        return (x0 / scale, height - y1 / scale, x1 / scale, height - y0 / scale)

    content = PageContent(index + 1, float(width), float(height), n_chars=sum(len(w.text) for w in words))
    out = ScannedPage(content, [w.text for w in words if 0 <= w.conf < settings.min_conf], angle)
    inside: set[int] = set()
    if gridded:
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
