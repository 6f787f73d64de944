"""What each page of a PDF holds: text lines, rules, fills and Camelot's cell grids.

The reader decides nothing about plans. Its first pass lays every page out once and gives
Camelot's lattice parser (the PDF's vector rules; rendered only where a page has pictures
and no vector rules) that layout; scanned pages go to OCR. Pages without a ruled table
keep their text lines, and the structure stage (actionplan.structure) says where their
tables and columns are; `read_text_tables` then cuts those pages' text into cells.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from actionplan.extractors.camelot_adapter import (
    Parsers,
    bbox_of,
    guess_tables,
    has_rules,
    page_layout,
    parse,
    stream_table,
    try_parse,
)
from actionplan.extractors.furniture import find_furniture, outermost_marks
from actionplan.extractors.geometry import fill_of, inside
from actionplan.extractors.layout import PageLayout, aligned_left, lines_text, split_at, text_lines, wrap_edge
from actionplan.extractors.model import RGB, BBox, Cell, Document, PageContent, RawTable, TextLine
from actionplan.extractors.open import cut_short, open_pdf, security_of
from actionplan.extractors.shapes import fills_of, hrules_of, vrules_of
from actionplan.extractors.visibility import Unseen, hidden_text, visible_layout
from actionplan.schemas.errors import InputError
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings
from actionplan.schemas.ocr import OcrSettings

log = logging.getLogger(__name__)
# told of a long step's progress: (what: "ocr", done, of)
Progress = Callable[[str, int, int], None]

# The reader's tolerances (which rules span a table, how far outside its box a rule or a
# line still belongs to it, the phrase split, furniture) are LayoutSettings.

# fewest pages each helper process gets when one file's pages are shared among the cores
# (below it, starting a process costs more than it saves). Fixed: it decides speed, never
# what is read (f8ad603)
MIN_PAGES_PER_WORKER = 4
# points: a printed line is a text cell's when its middle lies in the cell's row band or this
# close outside it. Fixed: Camelot's stream row bands touch each other, so this only takes in
# a middle that falls on a band's edge (02dc5fd)
BAND_SLACK = 0.5


@dataclass(frozen=True)
class TextTableRequest:
    """Where the structure stage says a page's text table is: its box and the x positions
    where its columns part; with neither, Camelot guesses from the text's alignment."""

    page: int
    area: BBox | None = None
    columns: tuple[float, ...] | None = None
    more: tuple[tuple[BBox, tuple[float, ...]], ...] = ()  # further tables below it: (box, columns)
    # the page's ruled tables (a key, a sign-off) stay: the text table is beside them
    keep_ruled: bool = False
    # the y under the header the columns were placed by: where the body starts, whatever
    # the gap (a word processor sets a header as close over the body as its lines)
    header_end: float | None = None


def _to_raw(table: Any, page: int, index: int, flavor: str, fills: list[tuple[BBox, RGB]],
            lines: list[TextLine], rules: list[tuple[float, float, float]], raw: list[Any] | None = None,
            layout: LayoutSettings = DEFAULT_LAYOUT) -> RawTable:
    tb = bbox_of(table)
    reach = layout.table_reach
    if flavor == "lattice" and raw is not None:
        # a printed line is cut where a column rule crosses it (two cells' texts the layout
        # ran together); not where its row has no rule (one cell merged across the columns)
        everywhere = sorted({round(c.x2, 2) for row in table.cells for c in row[:-1]})
        bands = [(min(c.y1 for c in row), max(c.y2 for c in row), sorted({round(c.x2, 2) for c in row[:-1] if c.right}))
                 for row in table.cells if row]

        def cuts_for(ln: TextLine) -> list[float]:
            y = (ln.bbox[1] + ln.bbox[3]) / 2
            return next((cuts for y0, y1, cuts in bands if y0 <= y <= y1), everywhere)

        lines = [piece for ln, obj in zip(lines, raw) for piece in
                 (split_at(obj, ln, cuts_for(ln)) if inside(ln.bbox, tb, reach) else [ln])]
    elif raw is not None and len(table.cols) > 1:
        # a text table's columns cut a line that runs across them (a section row) where its
        # characters are: each piece keeps its glyphs' own extent, so whether a cut falls
        # inside a word or at a space ("a" | "re" or "leavers" | "from") is known
        edges = [float(c[1]) for c in table.cols[:-1]]
        lines = [piece for ln, obj in zip(lines, raw) for piece in
                 (split_at(obj, ln, edges) if inside(ln.bbox, tb, reach) else [ln])]
    fills = [f for f in fills if f[0][0] < tb[2] and f[0][2] > tb[0] and f[0][1] < tb[3] and f[0][3] > tb[1]]
    width = (tb[2] - tb[0]) or 1.0
    across = sorted({round(y, 1) for y, x0, x1 in rules
                     if tb[1] - reach <= y <= tb[3] + reach
                     and min(x1, tb[2]) - max(x0, tb[0]) >= layout.rule_span * width}, reverse=True)
    held_lines = [ln for ln in lines if inside(ln.bbox, tb, reach)]
    # the lines by their middle height, for each row's band (a bisection, not a pass over all)
    by_mid = sorted(((ln.bbox[1] + ln.bbox[3]) / 2, k) for k, ln in enumerate(held_lines))
    rows = []
    df = table.df
    for r, cells in enumerate(table.cells):
        row = []
        # a cell holds a line only where the line's middle height is in it: the row's band first
        low, high = min((c.y1 for c in cells), default=0.0), max((c.y2 for c in cells), default=0.0)
        lo, hi = bisect_left(by_mid, (low, -1)), bisect_right(by_mid, (high, len(by_mid)))
        in_band = [held_lines[k] for k in sorted(k for _, k in by_mid[lo:hi])]  # in the lines' own order
        near = _NearX(in_band) if flavor == "lattice" else None
        for c, cell in enumerate(cells):
            bbox = (cell.x1, cell.y1, cell.x2, cell.y2)
            if flavor != "lattice":
                # the text flavours end the outer columns where their text ends: a column
                # with no text (ratings shown by colour alone) would have no width at all
                bbox = (min(bbox[0], tb[0]) if c == 0 else bbox[0], bbox[1],
                        max(bbox[2], tb[2]) if c == len(cells) - 1 else bbox[2], bbox[3])
            text = str((df.iat[r, c] if r < df.shape[0] and c < df.shape[1] else "") or "")
            spans = 1
            while flavor == "lattice" and c + spans < len(cells) and not cells[c + spans - 1].right:
                spans += 1
            if near is not None:
                held = tuple(in_band[k] for k in near.within(bbox[0], bbox[2]) if _holds(bbox, in_band[k], cells))
            else:  # text flavors cut lines at the column gaps: the cell's text is its line
                held = (_text_line(text.strip(), bbox, held_lines),) if text.strip() else ()
            row.append(Cell(text, bbox, fill_of(bbox, fills, layout.fill_cover), held, spans))
        rows.append(row)
    if flavor == "lattice":
        rows = _mark_short_lines(rows, layout)
    pieces = tuple((y, max(x0, tb[0]), min(x1, tb[2])) for y, x0, x1 in rules
                   if tb[1] - reach <= y <= tb[3] + reach and x0 < tb[2] and x1 > tb[0])
    return RawTable(page=page, bbox=tb, rows=rows, flavor=flavor, index=index, fills=tuple(fills),
                    rules=tuple(across), rule_pieces=pieces)


# points: a line's glyphs may reach this far past its cell's edge (a glyph box wider than its ink)
_PAST_EDGE = 1.0


def _mark_short_lines(rows: list[list[Cell]], layout: LayoutSettings = DEFAULT_LAYOUT) -> list[list[Cell]]:
    """Each cell's text with the lines that stop short of their column's right edge marked
    (`lines_text`), where the column is set flush left and the cell's text is its lines:
    such a line ended because the next word did not fit, so it cannot end in half a word.
    The word joiner (normalisers/text.py) reads the mark as a position, not a guess."""
    ncols = max((len(r) for r in rows), default=0)
    for c in range(ncols):
        column = [r[c] for r in rows if c < len(r)]
        if not aligned_left([cell.lines for cell in column], layout.flush_left_tolerance, layout.flush_left_share):
            continue
        # a line past its cell's right edge is a merged cell's (a title across the sheet):
        # it says nothing of where this column wraps
        inside_cell = [ln for cell in column for ln in cell.lines if ln.bbox[2] <= cell.bbox[2] + _PAST_EDGE]
        edge = wrap_edge(inside_cell or [ln for cell in column for ln in cell.lines],
                         [ln for r in rows if c + 1 < len(r) for ln in r[c + 1].lines], layout.cut_word_space)
        for r in rows:
            if c >= len(r) or not r[c].lines:
                continue
            cell = r[c]
            ordered = sorted(cell.lines, key=lambda ln: (-ln.bbox[3], ln.bbox[0]))
            if [ln.text.strip() for ln in ordered] == [t.strip() for t in cell.text.split("\n") if t.strip()]:
                r[c] = replace(cell, text=lines_text(cell.lines, edge, layout.short_line_chars))
    return rows


class _NearX:
    """A row's lines by where they could be held across: their middle or their start (see
    `_holds`). A cell asks for the lines in its width, not every line of the row (a
    300-column grid asked 90,000 a row)."""

    def __init__(self, lines: Sequence[TextLine]) -> None:
        self.mid = sorted(((ln.bbox[0] + ln.bbox[2]) / 2, k) for k, ln in enumerate(lines))
        self.start = sorted((ln.bbox[0] + 1.0, k) for k, ln in enumerate(lines))

    def within(self, x0: float, x1: float) -> list[int]:
        """Indices of the lines whose middle or start is in [x0, x1], in the row's order."""
        found: set[int] = set()
        for keyed in (self.mid, self.start):
            lo = bisect_left(keyed, (x0, -1))
            hi = bisect_right(keyed, (x1, len(keyed)))
            found.update(k for _, k in keyed[lo:hi])
        return sorted(found)


def _holds(bbox: BBox, line: TextLine, row: list[Any]) -> bool:
    """Does this cell hold the line: its middle in the cell, or, for a line that runs on
    across cells merged into one, its start (where the reader puts such a cell's text)."""
    if not inside(line.bbox, bbox, tol=0.0):
        start = (line.bbox[0] + 1.0, line.bbox[1], line.bbox[0] + 1.0, line.bbox[3])
        return line.bbox[2] > bbox[2] + 1.0 and inside(start, bbox, tol=0.0)
    start = (line.bbox[0] + 1.0, line.bbox[1], line.bbox[0] + 1.0, line.bbox[3])
    if start[0] >= bbox[0]:  # no cell left of this one can hold the start: the usual case, decided at once
        return True
    return not any(inside(start, (c.x1, c.y1, c.x2, c.y2), tol=0.0) and c.x2 < bbox[0] for c in row)


def _text_line(text: str, cell: BBox, lines: list[TextLine]) -> TextLine:
    """A text flavor's cell as a line: the cell's columns, the printed line's height
    (the reader's row bands touch each other; the printed lines leave the gaps)."""
    cy0, cy1 = cell[1], cell[3]
    near = [ln for ln in lines if cy0 - BAND_SLACK <= (ln.bbox[1] + ln.bbox[3]) / 2 <= cy1 + BAND_SLACK
            and cell[0] <= (ln.bbox[0] + ln.bbox[2]) / 2 <= cell[2]]
    if not near:
        return TextLine(text, cell, cy1 - cy0)
    # the pieces of the lines the columns cut (`_to_raw`) keep their glyphs' extent: where
    # two pieces meet says whether the cut fell inside a word
    y0, y1 = min(ln.bbox[1] for ln in near), max(ln.bbox[3] for ln in near)
    x0, x1 = min(ln.bbox[0] for ln in near), max(ln.bbox[2] for ln in near)
    return TextLine(text, (x0, y0, x1, y1), y1 - y0)


def read_pages(path: str | Path, **kwargs: Any) -> list[PageContent]:
    """Every page's ruled tables and text lines (see `read_document`)."""
    return read_document(path, **kwargs).pages


def read_document(
    path: str | Path,
    *,
    password: str | None = None,
    engine: str = "vector",
    workers: int = 1,
    max_page_bytes: int = 2 << 20,
    layout: LayoutSettings | None = None,
    ocr: str = "auto",
    ocr_settings: OcrSettings | None = None,
    progress: Progress | None = None,
) -> Document:
    """Every page's ruled tables (as cell grids with fills), its text lines outside them,
    its rules, and how the file was protected; scanned pages read by OCR (`ocr`: auto,
    always or never); page furniture candidates. `layout`: the reader's tolerances
    (rules, fills, the phrase split, furniture; None: the defaults).

    With workers > 1 the pages are shared among that many processes (layout analysis
    is pure Python and dominates the time); results come back in page order.
    """
    path = Path(path)
    layout = layout or DEFAULT_LAYOUT
    pdf = open_pdf(path, password)
    security = security_of(pdf)
    count = len(pdf.pages)
    if workers <= 1 or count < 2 * MIN_PAGES_PER_WORKER:
        try:
            pages = _read(path, pdf, range(count), engine, max_page_bytes, layout, password)
        finally:
            pdf.close()
    else:
        pdf.close()
        pages = _read_parallel(path, password, count, engine, workers, max_page_bytes, layout)
    ocr_pages, doubts = _ocr_scans(path, pages, ocr, password, ocr_settings or OcrSettings(), workers, progress)
    furniture = find_furniture(pages, settings=layout)
    return Document(pages, security, furniture, outermost_marks(pages, settings=layout), truncated=cut_short(path),
                    ocr_pages=ocr_pages, ocr_doubts=doubts)


def _ocr_scans(path: Path, pages: list[PageContent], ocr: str, password: str | None, settings: OcrSettings,
               workers: int = 1, progress: Progress | None = None) -> tuple[list[int], dict[int, list[str]]]:
    """Read by OCR the pages that need it (`auto`: a picture and no text; `always`: every
    page), in place; returns the pages read so and the words read with low confidence.
    With workers > 1 the pages are read side by side (each Tesseract run has one thread, so
    the cores are shared without spinning against each other); `progress` hears of each
    page as it is done ("ocr", pages done, pages to read)."""
    from actionplan.extractors.ocr import INSTALL, tesseract

    scans = [k for k, p in enumerate(pages)
             if not p.not_read and (ocr == "always" or (not p.n_chars and p.n_images))]
    if ocr == "never":
        if any(p.n_chars for p in pages):  # text pages read, the scans among them named
            for k in scans:
                pages[k].not_read = "it is a scan (no text layer) and --ocr never was given"
                pages[k].not_read_hint = "convert with --ocr auto to read it by OCR"
        return [], {}
    if not scans:
        return [], {}
    exe = tesseract()
    if exe is None:
        if ocr == "auto" and any(p.n_chars for p in pages):  # the text pages are read; each scan is named
            for k in scans:
                pages[k].not_read = f"it is a scan (no text layer) and {INSTALL}"
                pages[k].not_read_hint = "install Tesseract and convert again to read it"
            return [], {}
        raise InputError(f"page {pages[scans[0]].number} is a scan (no text layer) and {INSTALL}", file=path,
                         hint="install it and convert again")
    if progress is not None:
        progress("ocr", 0, len(scans))
    doubts: dict[int, list[str]] = {}
    wanted = [pages[k].number - 1 for k in scans]
    for done, (index, scanned) in enumerate(_scan_pages(path, wanted, exe, password, settings, workers), 1):
        pages[index] = scanned.content
        if scanned.low_confidence:
            doubts[scanned.content.number] = scanned.low_confidence
        if progress is not None:
            progress("ocr", done, len(scans))
    return [pages[k].number for k in scans], doubts


def _scan_pages(path: Path, indices: list[int], exe: str, password: str | None, settings: OcrSettings,
                workers: int) -> Iterator[tuple[int, Any]]:
    """(index, ScannedPage) for each page, as each is done: here one after another, or
    shared among `workers` processes."""
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    from actionplan.extractors.ocr import read_scanned_page

    workers = min(workers, len(indices))
    if workers <= 1:
        for index in indices:
            yield index, read_scanned_page(path, index, exe, password=password, settings=settings)
        return
    method = "fork" if "fork" in mp.get_all_start_methods() else None
    left = list(indices)
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context(method)) as pool:
            running = {pool.submit(_scan_page, path, i, exe, password, settings): i for i in indices}
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    index = running.pop(future)
                    yield index, future.result()
                    left.remove(index)
    except (OSError, BrokenProcessPool) as exc:  # no processes to be had: the rest here
        log.debug("OCR page workers unavailable (%s); reading the scans in this process", exc)
        for index in left:
            yield index, read_scanned_page(path, index, exe, password=password, settings=settings)


def _scan_page(path: Path, index: int, exe: str, password: str | None, settings: OcrSettings) -> Any:
    """One page's OCR in a page worker (the reader looked up there, as the worker has it)."""
    from actionplan.extractors import ocr

    return ocr.read_scanned_page(path, index, exe, password=password, settings=settings)


def _read_parallel(path: Path, password: str | None, count: int, engine: str, workers: int,
                   max_page_bytes: int, layout: LayoutSettings) -> list[PageContent]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = min(workers, count // MIN_PAGES_PER_WORKER)
    chunks = [list(range(k, count, workers)) for k in range(workers)]
    method = "fork" if "fork" in mp.get_all_start_methods() else None
    try:
        # this process reads one share itself while the helpers read theirs
        with ProcessPoolExecutor(workers - 1, mp_context=mp.get_context(method)) as pool:
            args = [(path, password, c, engine, max_page_bytes, layout) for c in chunks]
            futures = [pool.submit(_read_chunk, a) for a in args[1:]]
            parts = [_read_chunk(args[0])] + [f.result() for f in futures]
    except (OSError, BrokenProcessPool) as exc:  # no processes to be had: do it here
        log.debug("page workers unavailable (%s); reading pages in this process", exc)
        return _read_chunk((path, password, list(range(count)), engine, max_page_bytes, layout))
    return sorted((p for part in parts for p in part), key=lambda p: p.number)


def _read_chunk(args: tuple[Path, str | None, list[int], str, int, LayoutSettings]) -> list[PageContent]:
    path, password, indices, engine, max_page_bytes, layout = args
    pdf = open_pdf(path, password)
    try:
        return _read(path, pdf, indices, engine, max_page_bytes, layout, password)
    finally:
        pdf.close()


def _laid_out(path: Path, page: Any) -> PageLayout:
    try:
        return page_layout(page)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise _PageFailed(f"cannot lay out the page ({_said(exc)})") from exc


class _PageFailed(Exception):
    """One page could not be read; its message says why."""


def _read(path: Path, pdf: Any, indices: Any, engine: str, max_page_bytes: int = 2 << 20,
          layout: LayoutSettings = DEFAULT_LAYOUT, password: str | None = None) -> list[PageContent]:
    """First pass: ruled tables from the PDF's vector rules (rendered rules where it has none)."""
    from actionplan.extractors.guard import PageRefused, check_page

    parsers = Parsers(engine, layout.line_scale)
    pages: list[PageContent] = []
    refused: dict[int, str] = {}
    for index in indices:
        try:
            check_page(pdf.pages[index], max_page_bytes)
        except PageRefused as exc:
            refused[index] = str(exc)
    # pdfium is asked only about pages within the drawing budget: it inflates what it reads
    hidden = hidden_text(path, [k + 1 for k in indices if k not in refused], password)
    for index in indices:
        number = index + 1
        if index in refused:
            pages.append(PageContent(number, 0.0, 0.0, not_read=refused[index]))
            continue
        try:
            pages.append(_read_page(path, pdf.pages[index], number, parsers, hidden.get(number), layout))
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:  # a library failing on one odd page: the rest of the file is read
            log.debug("page %s of %s: %s", number, path, exc, exc_info=True)
            why = str(exc) if isinstance(exc, _PageFailed) else f"the PDF reader failed on it ({_said(exc)})"
            pages.append(PageContent(number, 0.0, 0.0, not_read=why, not_read_hint=DAMAGED_PAGE))
    return pages


DAMAGED_PAGE = "the page may be damaged: print the PDF to a new PDF (or re-export it) and convert that"


def _said(exc: BaseException) -> str:
    """An exception from a library, in a few words (its own text cut short)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}" + (f": {text[:80]}" if text else "")


def _read_page(path: Path, page: Any, number: int, parsers: Parsers, hidden: Any,
               layout: LayoutSettings) -> PageContent:
    """One page: its layout, what is out of sight, its ruled tables and text."""
    pl, out_of_sight = visible_layout(_laid_out(path, page), hidden)
    content = PageContent(number, float(pl.dims[0]), float(pl.dims[1]), n_chars=len(pl.chars),
                          n_images=len(pl.images), hidden_text=[ln.text for ln in out_of_sight],
                          hidden_lines=out_of_sight, unseen=hidden or Unseen())
    found: list[Any] = []
    if pl.chars:
        found = parse(parsers.lattice, path, pl, number)
        if not found and pl.images and parsers.raster is not None and not has_rules(pl.shapes):
            found = try_parse(parsers.raster, path, pl, number)  # rules drawn as pictures: render and look
    _fill_content(content, found, "lattice", pl, layout)
    return content


def _fill_content(content: PageContent, found: list[Any], flavor: str, pl: PageLayout,
                  layout: LayoutSettings, keep: Sequence[RawTable] = ()) -> None:
    """Tables as cell grids with fills; text lines outside them; the words inside each.
    `keep`: tables read before (a page's ruled key beside its text table), kept in order."""
    fills = fills_of(pl.shapes, layout) if found else []
    rules = hrules_of(pl.shapes, layout) if found else []
    content.vrules = tuple(vrules_of(pl.shapes, layout))
    found.sort(key=lambda t: -bbox_of(t)[3])
    lines, raw = text_lines(pl.htext, layout.column_gap)
    tables = [*keep, *(_to_raw(t, content.number, i, flavor, fills, lines, rules, raw, layout)
                       for i, t in enumerate(found))]
    tables.sort(key=lambda t: -t.bbox[3])
    content.tables = [replace(t, index=i) for i, t in enumerate(tables)]
    boxes = [t.bbox for t in content.tables]
    content.table_words = [[] for _ in boxes]
    content.lines = []
    for line in lines:
        within = [i for i, b in enumerate(boxes) if inside(line.bbox, b, layout.table_reach)]
        if within:
            content.table_words[within[0]].extend(line.text.split())
        else:
            content.lines.append(line)
    content.lines.sort(key=lambda ln: (-ln.bbox[3], ln.bbox[0]))


def read_text_tables(path: str | Path, document: Document, requests: Sequence[TextTableRequest],
                     password: str | None = None, layout: LayoutSettings | None = None) -> None:
    """Second pass, in place: each requested page's text cut into the table the structure
    stage located (Camelot's stream parser with those columns), or Camelot's own guess
    where it located none."""
    if not requests:
        return
    path = Path(path)
    layout = layout or DEFAULT_LAYOUT
    parsers = Parsers("vector", layout.line_scale)
    by_number = {p.number: k for k, p in enumerate(document.pages)}
    # what is out of sight was found in the first pass; pdfium is asked only of pages it did not read
    hidden = {r.page: unseen for r in requests if (unseen := document.pages[by_number[r.page]].unseen) is not None}
    hidden |= hidden_text(path, [r.page for r in requests if r.page not in hidden], password)
    pdf = open_pdf(path, password)
    try:
        for request in requests:
            content = document.pages[by_number[request.page]]
            pl, _ = visible_layout(_laid_out(path, pdf.pages[request.page - 1]), hidden.get(request.page))
            found: list[Any] = []
            flavor = "stream"
            keep = list(content.tables) if request.keep_ruled else []
            if request.area is not None and request.columns is not None:
                found = stream_table(path, pl, request.page, request.area, request.columns)
                for box, columns in request.more:
                    found += stream_table(path, pl, request.page, box, columns)
            if not found and keep:
                continue  # nothing beside the ruled tables after all: the page stays as read
            if not found:
                found, flavor = guess_tables(parsers, path, pl, request.page)
            _fill_content(content, found, flavor, pl, layout, keep)
            if request.header_end is not None:
                content.tables = [replace(t, header_end=request.header_end)
                                  if t not in keep and t.bbox[1] < request.header_end < t.bbox[3] else t
                                  for t in content.tables]
    finally:
        pdf.close()
