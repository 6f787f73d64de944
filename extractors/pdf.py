"""Drive Camelot's parsers page by page over one layout analysis.

`camelot.read_pdf` would analyse each page's layout and then throw it away; we need the
same layout for cell fills (RAG colours), the text around tables (plan titles, page
furniture) and the coverage check, so we run the layout once and give it to Camelot's
parsers ourselves. Lattice on the PDF's vector rules first (no rendering; rendered only
where a page has pictures and no vector rules); pages still without a table get stream
with columns taken from the header row (extractors/textgrid.py), else hybrid/network.
"""

from __future__ import annotations

import errno
import logging
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from actionplan.extractors.furniture import find_furniture, is_furniture
from actionplan.extractors.geometry import area, fill_of, inside, overlap
from actionplan.extractors.model import RGB, BBox, Cell, Document, PageContent, RawTable, Security, TextLine
from actionplan.extractors.textgrid import Grid, find_header, fits_grid, table_area, visual_rows, widen_left
from actionplan.schemas.errors import InputError
from actionplan.schemas.layout import LayoutSettings
from actionplan.schemas.ocr import OcrSettings

log = logging.getLogger(__name__)

# Fast layout analysis: Camelot reads text lines, not the box hierarchy, so skip it.
_LAYOUT_FAST: dict[str, Any] = {"boxes_flow": None, "detect_vertical": False}
_LAYOUT_ROTATED: dict[str, Any] = {"boxes_flow": None, "detect_vertical": True}


def _open(path: Path, password: str | None) -> Any:
    import playa
    from playa.exceptions import PDFEncryptionError, PDFPasswordIncorrect

    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=path, hint="re-download or re-export the PDF")
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 4096))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise InputError(
            "not a PDF (no %PDF header)", file=path, hint="check the file type; export it to PDF first"
        )
    truncated = _cut_short(path, tail)
    try:
        # An empty password opens every file that has no open password, whatever its
        # permission flags: those are the author's wishes, which readers report, not enforce.
        pdf = playa.open(path, space="page", password=password or "")
        _ = len(pdf.pages)
    except PDFPasswordIncorrect as exc:
        if password:
            raise InputError("the password is wrong", file=path,
                             hint="check it with whoever sent the file and pass it with --password") from exc
        raise InputError("the PDF needs a password to open", file=path, hint="pass it with --password") from exc
    except PDFEncryptionError as exc:
        raise InputError(
            f"the PDF is encrypted with a method the reader does not support ({_handler_of(exc)})", file=path,
            hint="open it in a PDF viewer and save or print an unencrypted copy, then convert that",
        ) from exc
    except MemoryError:
        raise  # the batch reports it against --max-memory
    except OSError as exc:
        if exc.errno == errno.ENOMEM:
            raise MemoryError(str(exc)) from exc
        raise InputError(f"cannot read the file ({exc.strerror})", file=path, hint="check the file") from exc
    except Exception as exc:  # playa raises many kinds for broken files
        log.debug("%s: %s: %s", path, type(exc).__name__, exc)
        if truncated:
            raise InputError("the PDF is truncated (it has no end-of-file marker)", file=path,
                             hint="the download or copy was cut short; fetch the file again") from exc
        raise InputError(
            f"cannot read the PDF ({_plain(exc)})", file=path,
            hint="re-download it, or open it in a PDF viewer and save a copy; -v shows the details",
        ) from exc
    return pdf


def _cut_short(path: Path, tail: bytes | None = None) -> bool:
    """No end-of-file marker anywhere: the download or copy stopped part way."""
    if tail is None:
        with path.open("rb") as fh:
            fh.seek(max(0, path.stat().st_size - 4096))
            tail = fh.read()
    if b"%%EOF" in tail:
        return False
    import mmap

    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as whole:
        return whole.rfind(b"%%EOF") < 0  # a producer may append kilobytes after the marker


def _plain(exc: Exception) -> str:
    """What went wrong, in words rather than an exception's name."""
    text = str(exc).lower()
    if "filter" in text or "decode" in text or "decompress" in text:
        return "it uses a compression the reader does not support, or the compressed data is damaged"
    if "xref" in text or "object" in text or "trailer" in text:
        return "its table of contents (xref) or an object in it is damaged"
    return "the file is damaged"


def _handler_of(exc: Exception) -> str:
    text = str(exc)
    if "cryptography" in text:  # AES needs playa's crypto extra, a dependency of ours
        return "AES, and the cryptography package is missing: pip install 'playa-pdf[crypto]'"
    for known in ("Unknown filter", "Unsupported revision", "Unpublished algorithm", "Unknown algorithm"):
        if known in text:
            return known.lower()
    return "unknown handler"


def security_of(pdf: Any) -> Security:
    """The security handler and permission flags of an open document."""
    encryption = getattr(pdf, "encryption", None)
    if not encryption:
        return Security()
    param = encryption[1]
    try:
        v, r = int(param.get("V", 0)), int(param.get("R", 0))
        bits = int(param.get("Length", 40))
    except (TypeError, ValueError):
        v, r, bits = 0, 0, 0
    if v >= 5:
        handler = f"AES-256 R{r}"
    elif v == 4:
        handler = "AES-128" if _uses_aes(param) else "RC4-128"
    else:
        handler = f"RC4-{bits}"
    return Security(handler, bool(pdf.is_printable), bool(pdf.is_modifiable), bool(pdf.is_extractable))


def _uses_aes(param: Any) -> bool:
    try:
        filters = param.get("CF", {})
        return any("AESV2" in repr(f) for f in (filters.values() if hasattr(filters, "values") else []))
    except Exception:
        return False


def _colour(obj: Any) -> RGB | None:
    colour = getattr(obj, "non_stroking_color", None)
    values = getattr(colour, "values", colour)
    if not isinstance(values, (tuple, list)) or not values:
        return None
    try:
        v = [float(x) for x in values]
    except (TypeError, ValueError):
        return None
    if any(x > 1.0 for x in v):  # some producers write 0-255
        v = [x / 255.0 for x in v]
    if len(v) == 1:
        return (v[0], v[0], v[0])
    if len(v) == 3:
        return (v[0], v[1], v[2])
    if len(v) == 4:
        c, m, y, k = v
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _fills(shapes: list[Any]) -> list[tuple[BBox, RGB]]:
    """Filled shapes big enough to be cell shading (thin ones are rules)."""
    out = []
    for obj in shapes:
        if getattr(obj, "fill", False):
            x0, y0, x1, y1 = obj.bbox
            if min(x1 - x0, y1 - y0) <= 2.0:
                continue
            rgb = _colour(obj)
            if rgb is not None and min(rgb) < 0.97:  # white is the paper, not a colour
                out.append(((x0, y0, x1, y1), rgb))
    return out


def _split_at(line: Any, text_line: TextLine, cuts: list[float]) -> list[TextLine]:
    """A printed line cut where column rules cross it, by its characters' positions."""
    x0, _, x1, _ = text_line.bbox
    inner = [c for c in cuts if x0 + 1.0 < c < x1 - 1.0]
    if not inner:
        return [text_line]
    groups: list[list[Any]] = [[] for _ in range(len(inner) + 1)]
    k = 0
    for obj in line:
        bbox = getattr(obj, "bbox", None)
        if bbox is not None:
            centre = (bbox[0] + bbox[2]) / 2
            k = sum(1 for c in inner if centre > c)
        groups[k].append(obj)
    out = [piece for group in groups if (piece := _line_of(group)) is not None]
    return out or [text_line]


def _line_of(objs: list[Any]) -> TextLine | None:
    """A run of characters as one line: their text and the box around them."""
    text = "".join(o.get_text() for o in objs).strip()
    boxes = [o.bbox for o in objs if getattr(o, "bbox", None) is not None]
    if not text or not boxes:
        return None
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return TextLine(text, bbox, float(bbox[3] - bbox[1]))


def _to_raw(table: Any, page: int, index: int, flavor: str, fills: list[tuple[BBox, RGB]],
            lines: list[TextLine], rules: list[tuple[float, float, float]], raw: list[Any] | None = None) -> RawTable:
    tb = table._bbox
    if flavor == "lattice" and raw is not None:
        cuts = sorted({round(c.x2, 2) for row in table.cells for c in row[:-1]})
        lines = [piece for ln, obj in zip(lines, raw) for piece in
                 (_split_at(obj, ln, cuts) if inside(ln.bbox, tb) else [ln])]
    fills = [f for f in fills if f[0][0] < tb[2] and f[0][2] > tb[0] and f[0][1] < tb[3] and f[0][3] > tb[1]]
    width = (tb[2] - tb[0]) or 1.0
    across = sorted({round(y, 1) for y, x0, x1 in rules
                     if tb[1] - 2 <= y <= tb[3] + 2 and min(x1, tb[2]) - max(x0, tb[0]) >= 0.5 * width}, reverse=True)
    held_lines = [ln for ln in lines if inside(ln.bbox, tb)]
    rows = []
    df = table.df
    for r, cells in enumerate(table.cells):
        row = []
        for c, cell in enumerate(cells):
            bbox = (cell.x1, cell.y1, cell.x2, cell.y2)
            text = str((df.iat[r, c] if r < df.shape[0] and c < df.shape[1] else "") or "")
            if flavor == "lattice":
                held = tuple(ln for ln in held_lines if inside(ln.bbox, bbox, tol=0.0))
            else:  # text flavors cut lines at the column gaps: the cell's text is its line
                held = (_text_line(text.strip(), bbox, held_lines),) if text.strip() else ()
            row.append(Cell(text, bbox, fill_of(bbox, fills), held))
        rows.append(row)
    return RawTable(page=page, bbox=tuple(table._bbox), rows=rows, flavor=flavor, index=index,
                    fills=tuple(fills), rules=tuple(across))


def _text_line(text: str, cell: BBox, lines: list[TextLine]) -> TextLine:
    """A text flavor's cell as a line: the cell's columns, the printed line's height
    (the reader's row bands touch each other; the printed lines leave the gaps)."""
    cy0, cy1 = cell[1], cell[3]
    near = [ln for ln in lines if cy0 - 0.5 <= (ln.bbox[1] + ln.bbox[3]) / 2 <= cy1 + 0.5
            and ln.bbox[0] < cell[2] and ln.bbox[2] > cell[0]]
    if not near:
        return TextLine(text, cell, cy1 - cy0)
    y0, y1 = min(ln.bbox[1] for ln in near), max(ln.bbox[3] for ln in near)
    x0, x1 = max(cell[0], min(ln.bbox[0] for ln in near)), min(cell[2], max(ln.bbox[2] for ln in near))
    return TextLine(text, (x0, y0, x1, y1), y1 - y0)


def _phrases(line: Any, column_gap: float = 0.5) -> list[list[Any]]:
    """A printed line cut at gaps wider than a word space: the layout analysis joins the
    text of two neighbouring cells into one line when little padding separates them
    (`column_gap`: of the line's height, LayoutSettings.column_gap)."""
    objs = list(line)
    height = line.bbox[3] - line.bbox[1]
    out: list[list[Any]] = [[]]
    last = None
    for obj in objs:
        bbox = getattr(obj, "bbox", None)
        if bbox is not None:
            if last is not None and bbox[0] - last > column_gap * height:
                out.append([])
            last = bbox[2]
        out[-1].append(obj)
    return [p for p in out if p]


def _hrules(shapes: list[Any]) -> list[tuple[float, float, float]]:
    """Horizontal rules: thin lines and rectangles, as (y, x0, x1)."""
    out = []
    for obj in shapes:
        x0, y0, x1, y1 = obj.bbox
        if y1 - y0 <= 2.0 and x1 - x0 > 10:
            out.append(((y0 + y1) / 2, x0, x1))
    return out


class _Parsers:
    """Camelot parser objects, made once per conversion."""

    def __init__(self, engine: str) -> None:
        from camelot.parsers import Hybrid, Lattice, Network

        # a cell merged down over several rows (a lead or recommendation shared by several
        # actions) gives its text to every row it covers: Camelot's copy_text does that
        # a printed line that runs across a column rule (cells padded less than a
        # character's width apart) belongs to both cells: split_text cuts it there
        self.lattice = Lattice(engine=engine, line_scale=15, copy_text=["v"], split_text=True)
        self.raster = Lattice(engine="combined", copy_text=["v"], split_text=True) if engine == "vector" else None
        self.hybrid = Hybrid(engine="vector")
        self.network = Network()


def _parse(parser: Any, path: Path, layout: Any, dims: Any, page_no: int, objs: tuple, rotation: str,
           layout_kwargs: dict[str, Any]) -> list[Any]:
    images, _chars, htext, vtext = objs
    parser.prepare_page_parse(
        str(path), layout, dims, page_no, images, htext, vtext, rotation, layout_kwargs=layout_kwargs
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(parser.extract_tables())


def _objects(layout: Any, shapes: list[Any]) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """Images, chars, horizontal and vertical text lines in one walk of the layout tree;
    lines, rectangles and curves go into `shapes` on the way.

    Same lists as camelot.utils.get_image_char_and_text_objects, which walks the tree twice.
    """
    from playa.miner import LTChar, LTContainer, LTCurve, LTImage, LTTextLineHorizontal, LTTextLineVertical

    images: list[Any] = []
    chars: list[Any] = []
    htext: list[Any] = []
    vtext: list[Any] = []
    stack = [iter(layout)]
    while stack:
        for obj in stack[-1]:
            if isinstance(obj, LTChar):
                chars.append(obj)
                continue
            if isinstance(obj, LTCurve):
                shapes.append(obj)
            elif isinstance(obj, LTImage):
                images.append(obj)
            elif isinstance(obj, LTTextLineHorizontal):
                htext.append(obj)
            elif isinstance(obj, LTTextLineVertical):
                vtext.append(obj)
            if isinstance(obj, LTContainer):
                stack.append(iter(obj))
                break
        else:
            stack.pop()
    return images, chars, htext, vtext


def _layout(page: Any, kwargs: dict[str, Any]) -> tuple[list[Any], Any, tuple, str]:
    """(shapes, page size, (images, chars, text lines, vertical text lines), rotation).

    Camelot's parsers read ruled lines from the `layout` they are given by walking all of
    it, characters included; handing them just the page's shapes gives the same lines in
    a fraction of the walk.
    """
    from camelot.utils import get_page_layout, get_rotation

    def analyse(kw: dict[str, Any]) -> tuple[list[Any], Any, tuple]:
        layout, dims = get_page_layout(page, **kw)
        shapes: list[Any] = []
        return shapes, dims, _objects(layout, shapes)

    shapes, dims, objs = analyse(kwargs)
    chars = objs[1]
    if chars and sum(1 for ch in chars if not getattr(ch, "upright", True)) > len(chars) / 2:
        # rotated text: redo the analysis with vertical lines on, as camelot.read_pdf would
        shapes, dims, objs = analyse(_LAYOUT_ROTATED)
        rotation = get_rotation(objs[1], objs[2], objs[3])
        if rotation:
            page.set_initial_ctm(page.space, page.rotate + (-90 if rotation == "clockwise" else 90))
            shapes, dims, objs = analyse(_LAYOUT_ROTATED)
        return shapes, dims, objs, rotation
    return shapes, dims, objs, ""


def _has_rules(layout: Any) -> bool:
    from camelot.image_processing import find_lines_from_layout

    return bool(find_lines_from_layout(layout, "horizontal")) or bool(
        find_lines_from_layout(layout, "vertical")
    )


def read_pages(path: str | Path, **kwargs: Any) -> list[PageContent]:
    """Every page's tables and text lines (see `read_document`)."""
    return read_document(path, **kwargs).pages


def read_document(
    path: str | Path,
    *,
    password: str | None = None,
    engine: str = "vector",
    fallback: bool = True,
    workers: int = 1,
    is_header: Callable[[list[str]], bool] | None = None,
    max_page_bytes: int = 2 << 20,
    layout: LayoutSettings | None = None,
    ocr: str = "auto",
    ocr_settings: OcrSettings | None = None,
) -> Document:
    """Every page's tables (as cell grids with fills) and the text lines outside them,
    and how the file was protected.

    With workers > 1 the pages are shared among that many processes (layout analysis
    is pure Python and dominates the time); results come back in page order. Pages
    where no ruled table is found get a second, sequential pass: columns from the header
    row's text (`is_header` recognises one), else Camelot's text-based flavors.
    """
    path = Path(path)
    layout = layout or LayoutSettings()
    pdf = _open(path, password)
    security = security_of(pdf)
    count = len(pdf.pages)
    if workers <= 1 or count < 2 * _MIN_PAGES_PER_WORKER:
        try:
            pages = _read(path, pdf, range(count), engine, max_page_bytes, layout.column_gap)
        finally:
            pdf.close()
    else:
        pdf.close()
        pages = _read_parallel(path, password, count, engine, workers, max_page_bytes, layout.column_gap)
    ocr_pages, doubts = _ocr_scans(path, pages, ocr, password, ocr_settings or OcrSettings())
    furniture = find_furniture(pages, layout.furniture_share)
    if fallback:
        todo = [p for p in pages if p.n_chars and not p.tables and p.number not in ocr_pages]
        if todo:
            _read_text_tables(path, password, pages, todo, is_header, furniture, layout)
    return Document(pages, security, furniture, truncated=_cut_short(path), ocr_pages=ocr_pages, ocr_doubts=doubts)


def _ocr_scans(path: Path, pages: list[PageContent], ocr: str, password: str | None, settings: OcrSettings
               ) -> tuple[list[int], dict[int, list[str]]]:
    """Read by OCR the pages that need it (`auto`: a picture and no text; `always`: every
    page), in place; returns the pages read so and the words read with low confidence."""
    from actionplan.extractors.ocr import INSTALL, read_scanned_page, tesseract

    if ocr == "never":
        return [], {}
    scans = [k for k, p in enumerate(pages)
             if not p.not_read and (ocr == "always" or (not p.n_chars and p.n_images))]
    if not scans:
        return [], {}
    exe = tesseract()
    if exe is None:
        raise InputError(f"page {pages[scans[0]].number} is a scan (no text layer) and {INSTALL}", file=path,
                         hint="install it and convert again, or pass --ocr never to refuse scans")
    doubts: dict[int, list[str]] = {}
    for k in scans:
        scanned = read_scanned_page(path, pages[k].number - 1, exe, password=password, settings=settings)
        pages[k] = scanned.content
        if scanned.low_confidence:
            doubts[scanned.content.number] = scanned.low_confidence
    return [pages[k].number for k in scans], doubts


_MIN_PAGES_PER_WORKER = 4


def _read_parallel(path: Path, password: str | None, count: int, engine: str, workers: int,
                   max_page_bytes: int, column_gap: float) -> list[PageContent]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = min(workers, count // _MIN_PAGES_PER_WORKER)
    chunks = [list(range(k, count, workers)) for k in range(workers)]
    method = "fork" if "fork" in mp.get_all_start_methods() else None
    try:
        # this process reads one share itself while the helpers read theirs
        with ProcessPoolExecutor(workers - 1, mp_context=mp.get_context(method)) as pool:
            args = [(path, password, c, engine, max_page_bytes, column_gap) for c in chunks]
            futures = [pool.submit(_read_chunk, a) for a in args[1:]]
            parts = [_read_chunk(args[0])] + [f.result() for f in futures]
    except (OSError, BrokenProcessPool) as exc:  # no processes to be had: do it here
        log.debug("page workers unavailable (%s); reading pages in this process", exc)
        return _read_chunk((path, password, list(range(count)), engine, max_page_bytes, column_gap))
    return sorted((p for part in parts for p in part), key=lambda p: p.number)


def _read_chunk(args: tuple[Path, str | None, list[int], str, int, float]) -> list[PageContent]:
    path, password, indices, engine, max_page_bytes, column_gap = args
    pdf = _open(path, password)
    try:
        return _read(path, pdf, indices, engine, max_page_bytes, column_gap)
    finally:
        pdf.close()


def _page_layout(path: Path, page: Any) -> tuple[Any, Any, tuple, str]:
    try:
        return _layout(page, _LAYOUT_FAST)
    except Exception as exc:
        raise InputError(
            f"cannot lay out the page ({type(exc).__name__}: {exc})",
            file=path, page=page.page_idx + 1, hint="the page is damaged; re-export the PDF",
        ) from exc


def _read(path: Path, pdf: Any, indices: Any, engine: str, max_page_bytes: int = 2 << 20,
          column_gap: float = 0.5) -> list[PageContent]:
    """First pass: ruled tables from the PDF's vector rules (rendered rules where it has none)."""
    from actionplan.extractors.guard import PageRefused, check_page

    parsers = _Parsers(engine)
    pages: list[PageContent] = []
    for index in indices:
        page = pdf.pages[index]
        number = page.page_idx + 1
        try:
            check_page(page, max_page_bytes)
        except PageRefused as exc:
            pages.append(PageContent(number, 0.0, 0.0, not_read=str(exc)))
            continue
        layout, dims, objs, rotation = _page_layout(path, page)
        images, chars, _htext, _vtext = objs
        content = PageContent(number, float(dims[0]), float(dims[1]), n_chars=len(chars), n_images=len(images))
        found: list[Any] = []
        if chars:
            args = (path, layout, dims, number, objs, rotation, _LAYOUT_ROTATED if rotation else _LAYOUT_FAST)
            found = _parse(parsers.lattice, *args)
            if not found and images and parsers.raster is not None and not _has_rules(layout):
                found = _try(parsers.raster, args)  # rules drawn as pictures: render the page and look
        _fill_content(content, found, "lattice", layout, objs[2], column_gap)
        pages.append(content)
    return pages


def _try(parser: Any, args: tuple) -> list[Any]:
    try:
        return _parse(parser, *args)
    except Exception as exc:  # rendering backends and text flavors fail in odd ways on odd pages
        log.debug("%s failed on page %s: %s", type(parser).__name__, args[3], exc)
        return []


def _fill_content(content: PageContent, found: list[Any], flavor: str, shapes: list[Any], htext: list[Any],
                  column_gap: float = 0.5) -> None:
    """Tables as cell grids with fills; text lines outside them; the words inside each."""
    fills = _fills(shapes) if found else []
    rules = _hrules(shapes) if found else []
    found.sort(key=lambda t: -t._bbox[3])
    lines = []
    raw = []
    for line in htext:
        for phrase in _phrases(line, column_gap):
            piece = _line_of(phrase)
            if piece is not None:
                lines.append(piece)
                raw.append(phrase)
    content.tables = [_to_raw(t, content.number, i, flavor, fills, lines, rules, raw) for i, t in enumerate(found)]
    boxes = [t.bbox for t in content.tables]
    content.table_words = [[] for _ in boxes]
    content.lines = []
    for line in lines:
        within = [i for i, b in enumerate(boxes) if inside(line.bbox, b)]
        if within:
            content.table_words[within[0]].extend(line.text.split())
        else:
            content.lines.append(line)
    content.lines.sort(key=lambda ln: (-ln.bbox[3], ln.bbox[0]))


def _read_text_tables(path: Path, password: str | None, pages: list[PageContent], todo: list[PageContent],
                      is_header: Callable[[list[str]], bool] | None, furniture: set[str],
                      tolerances: LayoutSettings) -> None:
    """Second pass, in page order: tables ruled only across, or not at all."""
    from camelot.parsers import Stream

    parsers = _Parsers("vector")
    grid = None
    previous = 0
    # each page's header, looked for up front: a page whose table starts without one (the
    # producer kept a tall row whole and left the header off) takes the next page's columns
    text_rows = {c.number: visual_rows([ln for ln in c.lines if not is_furniture(ln, furniture)]) for c in todo}
    headers = {n: find_header(r, is_header) if is_header and r else None for n, r in text_rows.items()}
    pdf = _open(path, password)
    try:
        for content in todo:
            page = pdf.pages[content.number - 1]
            layout, dims, objs, rotation = _page_layout(path, page)
            if content.number != previous + 1:  # a page with a table came between
                grid = _grid_running_on(pages[content.number - 2], layout) if content.number > 1 else None
            previous = content.number
            args = (path, layout, dims, content.number, objs, rotation, _LAYOUT_ROTATED if rotation else _LAYOUT_FAST)
            rows = text_rows[content.number]
            header = headers[content.number]
            ahead = _header_ahead(content.number, headers)
            if header is None and grid is None and ahead is not None and fits_grid(rows, ahead[1][2]):
                number, (start, used, ahead_grid) = ahead
                # its own numbered lines ("1." left of the next header's first cell) count too
                grid = widen_left(ahead_grid, [*rows, *text_rows[number][start + used:]])
            tol = tolerances.column_tolerance
            if header is not None and grid is not None and not _plausible(header, grid, rows, tol):
                header = None  # body text that reads like a header, on a page the plan goes on
            if header is not None:
                start, used, found_grid = header
                # the page before found a blank-headed first column this page has no line in
                same_as_before = grid is not None and len(grid.separators) == len(found_grid.separators) + 1 and all(
                    abs(a - b) <= tol for a, b in zip(grid.separators[1:], found_grid.separators))
                # a header alone at a page's foot: the rows under it are on the next page
                body = _below_header(rows[start:], start_rows=used)
                if not body and headers.get(content.number + 1) is None:
                    body = text_rows.get(content.number + 1, [])
                if same_as_before and grid is not None:  # keep that column; the rest as this header has them
                    grid = Grid((grid.separators[0], *found_grid.separators), grid.left,
                                max(grid.right, found_grid.right))
                else:
                    grid = widen_left(found_grid, body)
                top = rows[start][0].bbox[3]
            elif grid is not None and rows and _starts_with_title(rows):
                grid = None  # a page that opens with a title starts something new: no columns carry over
            elif grid is not None and rows:
                top = rows[0][0].bbox[3]
            box = table_area(rows, grid, top) if grid is not None and rows else None
            found: list[Any] = []
            flavor = "stream"
            if box is not None and grid is not None:
                stream = Stream(table_areas=[",".join(f"{v:.2f}" for v in box)],
                                columns=[",".join(f"{v:.2f}" for v in grid.separators)], split_text=True)
                found = _try(stream, args)
            if not found:
                found, flavor = _fallback(parsers, args)
            _fill_content(content, found, flavor, layout, objs[2], tolerances.column_gap)
    finally:
        pdf.close()


def _header_ahead(number: int, headers: dict[int, Any]) -> tuple[int, Any] | None:
    """The next header over the following text-table pages: a row taller than a page can
    push the header several pages on."""
    k = number + 1
    while k in headers:  # pages in a row that wait for text tables
        if headers[k] is not None:
            return k, headers[k]
        k += 1
    return None


def _starts_with_title(rows: list[list[TextLine]], margin: float = 1.5) -> bool:
    """The page's first line is set larger than most of its text: a title."""
    others = sorted(ln.size for r in rows[1:] for ln in r)
    if not others:
        return False
    return max(ln.size for ln in rows[0]) > others[len(others) // 2] + margin


def _below_header(rows: list[list[TextLine]], start_rows: int) -> list[list[TextLine]]:
    """The rows under a header, past the further lines a header wraps onto (a few words,
    each starting where a header cell starts)."""
    starts = [ln.bbox[0] for r in rows[:start_rows] for ln in r]
    k = start_rows
    while k < len(rows) and len(rows[k]) < 0.5 * len(rows[0]) and all(
            any(abs(ln.bbox[0] - s) <= 2.0 for s in starts) for ln in rows[k]):
        k += 1
    return rows[k:]


def _plausible(header: tuple[int, int, Grid], grid: Grid, rows: list[list[TextLine]], tol: float = 6.0) -> bool:
    """On a page a table goes on, a header is the plan's own repeated (its columns where
    the plan's are) or a new plan's, under a title larger than its text."""
    start, _, found = header
    near = sum(1 for s in found.separators if any(abs(s - g) <= tol for g in grid.separators))
    if near >= 0.7 * len(found.separators) and len(found.separators) >= len(grid.separators) - 1:
        return True  # all the plan's columns, bar a blank-headed first one
    size = max(ln.size for ln in rows[start])
    return any(ln.size > size + 1.5 for r in rows[:start] for ln in r)


def _grid_running_on(page: PageContent, shapes: list[Any], margin: float = 0.15, tol: float = 3.0) -> Grid | None:
    """The columns of the table on the page before, for this page, where the same table
    may go on without the rules the reader needs (a box whose top was left off where the
    page broke it). Only where that table reached the foot of its page, or this page has
    vertical rules where its columns were."""
    if not page.tables:
        return None
    last = page.tables[-1]
    seps = last.separators()
    if last.ncols < 3:
        return None
    verticals = [(o.bbox[0] + o.bbox[2]) / 2 for o in shapes
                 if o.bbox[2] - o.bbox[0] <= 2.0 and o.bbox[3] - o.bbox[1] > 20]
    ruled = sum(1 for s in seps if any(abs(s - v) <= tol for v in verticals)) >= 0.5 * len(seps)
    if last.bbox[1] > margin * page.height and not ruled:
        return None
    return Grid(tuple(seps), last.bbox[0], last.bbox[2])


def _distinct(tables: list[Any]) -> list[Any]:
    """The text-based flavors can report one table several times over; keep the biggest."""
    kept: list[Any] = []
    for t in sorted(tables, key=lambda t: -area(tuple(t._bbox))):
        box = tuple(t._bbox)
        if all(overlap(box, tuple(k._bbox)) < 0.5 * min(area(box), area(tuple(k._bbox))) for k in kept):
            kept.append(t)
    return kept


def _fallback(parsers: _Parsers, args: tuple) -> tuple[list[Any], str]:
    """No ruled table and no header to take columns from: let Camelot guess from alignment."""
    for name in ("hybrid", "network"):
        found = _distinct([t for t in _try(getattr(parsers, name), args) if t.shape[0] >= 2 and t.shape[1] >= 3])
        if found:
            return found, name
    return [], ""
