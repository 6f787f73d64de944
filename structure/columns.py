"""Where a table without vertical rules is, and where its columns part.

Camelot's text-based flavors guess columns from text alignment, which on a long plan page
drifts from page to page. A plan's header row says exactly where its columns are: the
gaps between header cells become the columns, the header's top and the last body line
bound the table, and pages that do not repeat the header reuse the columns of the page
before (or, when a row taller than a page pushed the header on, of the header to come,
where the page's text fits them). The reader then cuts each page's text into those cells.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence

from actionplan.extractors.furniture import is_furniture
from actionplan.extractors.model import BBox, Document, PageContent, TextLine
from actionplan.extractors.pdf import TextTableRequest
from actionplan.normalisers.fields import opens_with_item
from actionplan.schemas.decisions import Decision
from actionplan.schemas.issues import Issue
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings
from actionplan.structure.evidence import FLUSH, visual_rows
from actionplan.structure.headers import (
    GRID_PAD,
    Grid,
    HeaderTest,
    below_header,
    find_text_header,
    header_texts,
    plausible,
)

# points: a table's box reaches AREA_PAD past its outermost lines, and takes in the header's
# own top line where its top is TOP_SLACK above the header's. Fixed: padding, so the stream
# reader's box holds the lines it was located from; which lines belong is decided above it
AREA_PAD = 1.0
TOP_SLACK = 0.5


def widen_left(grid: Grid, body: Sequence[Sequence[TextLine]], settings: LayoutSettings = DEFAULT_LAYOUT) -> Grid:
    """A first column with a blank header ("" over "1.", "2."): body lines that sit wholly
    left of the first header cell make a column of their own (two lines, or one of at most
    `blank_column_chars`: a page may hold a single numbered row)."""
    start = grid.left + GRID_PAD  # where the first header cell's text starts
    lines = [ln for r in body for ln in r]
    m = settings.overlap_margin
    # a line running across the columns (a section row, a note) is no column's text, nor is
    # its short last line, wrapped under it flush with its start ("strengthen.")
    across = [ln for ln in lines if sum(1 for sep in grid.separators if ln.bbox[0] + m < sep < ln.bbox[2] - m) >= 2]

    def wrapped(ln: TextLine) -> bool:
        return any(abs(a.bbox[0] - ln.bbox[0]) <= FLUSH and 0 <= a.bbox[1] - ln.bbox[3] <= ln.bbox[3] - ln.bbox[1]
                   for a in across)

    wide = [ln.bbox[0] for ln in lines if ln.bbox[2] >= start and ln not in across and not wrapped(ln)]

    def flush(x: float, among: Sequence[float]) -> int:
        return sum(1 for a in among if abs(a - x) <= FLUSH)

    # a short last line of the first labelled column (its heading centred, its text set
    # left of it) starts flush with that column's longer lines: it is not a column of its own
    short = [ln.bbox[0] for ln in lines if ln.bbox[2] < start]
    left = [ln for ln in lines if ln.bbox[2] < start and flush(ln.bbox[0], wide) < flush(ln.bbox[0], short)]
    if not left or (len(left) == 1 and len(left[0].text) > settings.blank_column_chars):
        return grid
    first_sep = grid.left - GRID_PAD + settings.text_column_lead  # where the labelled columns start
    edge = max(ln.bbox[2] for ln in left)
    # lines set left of a heading centred over them (a browser's <th> over a <td>) are that
    # column's own: they lie within the column the centred heading spans, and the column has
    # no text of its own right of them (text starting past the heading's end is the next
    # column's, set left of its own centred heading)
    end = grid.separators[0] if grid.separators else grid.right
    centre = (start + grid.first_end) / 2 if grid.first_end is not None else None
    own = end if grid.first_end is None else min(end, grid.first_end)
    if (centre is not None and min(ln.bbox[0] for ln in left) >= 2 * centre - end - settings.text_column_lead
            and not any(edge < x < own for x in wide)):
        return grid
    starts = [x for x in wide if edge < x < first_sep]  # the labelled column starts left of its heading
    if starts:
        first_sep = min(starts) - settings.text_column_lead
    sep = (edge + first_sep) / 2 if edge < first_sep else first_sep
    return Grid((sep, *grid.separators), min(ln.bbox[0] for ln in left) - GRID_PAD, grid.right)


def fits_grid(rows: Sequence[Sequence[TextLine]], grid: Grid, settings: LayoutSettings = DEFAULT_LAYOUT,
              columns: int | None = None) -> bool:
    """Could this page's text be the body of a table with these columns? Table text wraps
    inside its column, so few lines cross a column edge (`fit_crossing_share`), and lines
    start in several columns (`fit_columns`, or `columns`: a cut row's rest may fill only
    its longest cells); a letter's paragraphs run across them."""
    lines = [ln for r in rows for ln in r]
    if not lines:
        return False
    m = settings.overlap_margin
    crossing = sum(1 for ln in lines if any(ln.bbox[0] + m < s < ln.bbox[2] - m for s in grid.separators))
    starts = {sum(1 for s in grid.separators if s <= ln.bbox[0] + m) for ln in lines}
    return (crossing <= settings.fit_crossing_share * len(lines)
            and len(starts) >= min(settings.fit_columns if columns is None else columns, len(grid.separators) + 1))


def table_area(rows: Sequence[Sequence[TextLine]], grid: Grid, top: float,
               settings: LayoutSettings = DEFAULT_LAYOUT) -> tuple[float, float, float, float] | None:
    """The box from `top` down to the last line within the grid's width (and up to
    `text_table_left_reach` left of it) (x1, y1, x2, y2: left-top, right-bottom)."""
    # a line of the last column may run past where its header ends: what counts is where it starts
    body = [ln for r in rows for ln in r if ln.bbox[3] <= top + TOP_SLACK
            and ln.bbox[0] >= grid.left - settings.text_table_left_reach and ln.bbox[0] <= grid.right]
    if not body:
        return None
    # the first column's lines set left of its heading centred over them (a browser's <th>
    # over a <td>) reach into it from further left: the box takes their start, and so its
    # short last lines ("resources.") wholly left of the heading
    reach = [ln.bbox[0] for r in rows for ln in r if ln.bbox[3] <= top + TOP_SLACK
             and ln.bbox[0] < grid.left <= ln.bbox[2] and ln.bbox[2] <= (grid.separators or (grid.right,))[0]]
    body += [ln for r in rows for ln in r if reach and ln.bbox[3] <= top + TOP_SLACK
             and min(reach) - settings.overlap_margin <= ln.bbox[0] < grid.left - settings.text_table_left_reach]
    bottom = min(ln.bbox[1] for ln in body)
    return (min(grid.left, min(ln.bbox[0] for ln in body)) - AREA_PAD, top + AREA_PAD,
            max(grid.right, max(ln.bbox[2] for ln in body)) + AREA_PAD, bottom - AREA_PAD)


# rows numbered in the first column above a line across the columns that make the table a
# numbered plan's (fixed: one number may be a stray; two are a plan's numbering)
_NUMBERED_ROWS = 2
# a line that opens a note under a table: a footnote mark, "Note:", "Key:", "Source:", "NB"
# ("Key" and "Source" only as a label, "Key:" or "Key –": "Key actions" is a heading)
_NOTE = re.compile(r"^\s*(?:[*†‡§]|notes?\b|(?:key|source)\s*(?:[:–—-]|$)|nb\b|please note\b)", re.IGNORECASE)


def _numbered_row(row: Sequence[TextLine], grid: Grid, settings: LayoutSettings) -> bool:
    """The row has an item number in the table's first column."""
    return bool(grid.separators) and any(ln.bbox[0] < grid.separators[0] and opens_with_item(ln.text) for ln in row)


def table_end(rows: Sequence[Sequence[TextLine]], first: int, grid: Grid, is_header: HeaderTest,
              settings: LayoutSettings = DEFAULT_LAYOUT, numbered_before: bool = False) -> tuple[int, str]:
    """Where the table that starts at `first` ends: the index of the first printed row not
    in it, and why. It ends before another header (a second table on the page), before a
    line set larger than its text (a title), and after its last row whose lines keep to
    its columns: the notes, keys and page footers a table is followed by run across them.
    `numbered_before`: the table goes on from pages before, whose rows were numbered."""
    sizes = sorted(ln.size for r in rows[first:] for ln in r)
    body = sizes[len(sizes) // 2] if sizes else 0.0
    last = first - 1

    def numbered(row: Sequence[TextLine]) -> bool:
        return _numbered_row(row, grid, settings)

    for k in range(first, len(rows)):
        row = rows[k]
        if k > first and max(ln.size for ln in row) > body + settings.title_size_margin:
            return last + 1, "a title below it"
        if k > first and len(row) >= settings.header_min_fields:
            found = find_text_header(rows[k - 1:k + settings.header_levels], is_header, settings)
            # (read whole, over every line it takes: a narrow plan's first row right under the
            # header, a word or two a line, names fields on its first line only)
            if found is not None and found[0] == 1 and is_header(header_texts(rows[k:k + found[1]], settings)):
                return last + 1, "another header below it"
        across = [ln for ln in row if any(ln.bbox[0] + settings.overlap_margin < sep < ln.bbox[2]
                                          - settings.overlap_margin for sep in grid.separators)]
        crossing = bool(across)
        if k > first and crossing and _NOTE.match(min(row, key=lambda ln: ln.bbox[0]).text):
            return last + 1, "a note below it"
        # a row of the table's cells, one pair of them run together into one line (a date
        # beside a rating): most of its lines keep to the columns
        kept = len(row) - len(across)
        cells = not crossing or (kept >= settings.header_min_fields and kept > 2 * len(across))
        # a numbered plan's line across the columns from its first, no numbered row under it
        # on the page, is no section row: what follows is the page's own (a web page's "Was
        # this page helpful?" and its footer links, each link in a column of its own)
        leftmost = min(row, key=lambda ln: ln.bbox[0])
        if (k > first and not cells and leftmost in across and leftmost.bbox[0] < grid.separators[0]
                and not numbered(row)
                and (numbered_before or sum(map(numbered, rows[first:k])) >= _NUMBERED_ROWS)
                and not any(map(numbered, rows[k + 1:]))):
            return last + 1, "a line across it, no numbered row under it"
        if cells:
            last = k
    return last + 1, "its last row in its columns" if last + 1 < len(rows) else "the foot of the page"


# most printed rows a section row alone at a page's foot wraps over (a recommendation
# quoted whole); points: a footnote is set smaller than the table's text by more than this
_SECTION_LINES = 5
_SMALLER = 0.5


def _section_at_foot(tail: Sequence[Sequence[TextLine]], grid: Grid, after: Sequence[Sequence[TextLine]] | None,
                     header_after: tuple[int, int, Grid] | None, header_text: str, settings: LayoutSettings,
                     body: float = 0.0, left: float | None = None) -> bool:
    """The rows left under a table at a page's foot are a section row heading the rows on
    the next page ("2. Ensure that ..."), not a note: a few lines starting in the first
    column and running across the others, no smaller than the table's text (`body`, a
    footnote is smaller), on a page whose table goes on over the page (the next page
    repeats its header or has none of its own). `left`: where the table's rows start, left
    of its header's first heading where a centred heading placed the grid's edge."""
    if not tail or len(tail) > _SECTION_LINES or not after or not grid.separators:
        return False
    if min(ln.size for r in tail for ln in r) < body - _SMALLER:
        return False
    if body and max(ln.size for r in tail for ln in r) > body + settings.title_size_margin:
        return False  # set larger than the table's text: the next plan's title (its header under it)
    if header_after is not None and not same_header_text(_header_text(after, header_after), header_text):
        return False
    m = settings.overlap_margin
    first = min(tail[0], key=lambda ln: ln.bbox[0])
    # a section's cell may be padded less than the body's (a <th> across the table)
    start = (grid.left if left is None else min(grid.left, left)) - settings.text_table_left_reach
    if _NOTE.match(first.text) or not (start <= first.bbox[0] < grid.separators[0]):
        return False
    crossed = {sep for r in tail for ln in r for sep in grid.separators if ln.bbox[0] + m < sep < ln.bbox[2] - m}
    return 2 * len(crossed) >= len(grid.separators)


def _rest_above(rows: Sequence[Sequence[TextLine]], start: int, grid: Grid, settings: LayoutSettings,
                columns: int | None = None) -> tuple[BBox, tuple[float, ...]] | None:
    """The box and columns of the rows at the page's top, above its header's title (the
    first line that runs across the columns, or the header itself), where they keep to the
    columns the page before carries on: the cut row a new plan follows on the page (its
    lines in `columns` of them at least: fewer where the page before ran to its foot)."""
    m = settings.overlap_margin
    sizes = sorted(ln.size for r in rows[start:] for ln in r)
    body = sizes[len(sizes) // 2] if sizes else None
    # the title: a line across the columns, or one set larger than the table's text (a
    # short title fits inside one column)
    stop = next((k for k in range(start) if any(ln.bbox[0] + m < sep < ln.bbox[2] - m
                                                for ln in rows[k] for sep in grid.separators)
                 or (body is not None and max(ln.size for ln in rows[k]) > body + settings.title_size_margin)), start)
    lead = rows[:stop]
    if not lead or not fits_grid(lead, grid, settings, columns):
        return None
    box = table_area(lead, grid, max(ln.bbox[3] for ln in lead[0]), settings)
    return (box, tuple(grid.separators)) if box is not None else None


def _above_footer(box: BBox, rows: Sequence[Sequence[TextLine]], lines: Sequence[TextLine], furniture: set[str]
                  ) -> BBox:
    """The box kept above a running footer set as close under the table's last line as the
    lines' boxes overlap ("Page 4 of 20"): its middle out of the box, the body's in."""
    x0, top, x1, bottom = box
    body = [(ln.bbox[1] + ln.bbox[3]) / 2 for r in rows for ln in r]
    if not body:
        return box
    lowest = min(body)
    feet = [(ln.bbox[1] + ln.bbox[3]) / 2 for ln in lines if is_furniture(ln, furniture)
            and (ln.bbox[1] + ln.bbox[3]) / 2 < lowest and ln.bbox[3] > bottom]
    if feet:
        bottom = min(max(bottom, max(feet) + _READER_SLACK + AREA_PAD), lowest - _READER_SLACK)
    return (x0, top, x1, bottom)


# points: the reader (Camelot's stream parser) takes a line whose middle is this near
# outside its area
_READER_SLACK = 2.0


def _header_ahead(number: int, headers: dict[int, tuple[int, int, Grid] | None]
                  ) -> tuple[int, tuple[int, int, Grid]] | None:
    """The next header over the following text-table pages: a row taller than a page can
    push the header several pages on."""
    k = number + 1
    while k in headers:  # pages in a row that wait for text tables
        found = headers[k]
        if found is not None:
            return k, found
        k += 1
    return None


def _starts_with_title(rows: list[list[TextLine]], settings: LayoutSettings) -> bool:
    """The page's first line is set larger than most of its text (by `title_size_margin`): a title."""
    others = sorted(ln.size for r in rows[1:] for ln in r)
    if not others:
        return False
    return max(ln.size for ln in rows[0]) > others[len(others) // 2] + settings.title_size_margin


# rows of text beside a ruled table that may be the plan running on (fixed: fewer is a
# caption, a note or a signature under the key)
_FEWEST_ROWS_BESIDE = 3


def _snap_to_starts(grid: Grid, rows: Sequence[Sequence[TextLine]], settings: LayoutSettings) -> Grid | None:
    """The columns a header alone on the page before gave (the gaps between its headings),
    moved to where this page's lines start: headings centred over their columns part them
    right of where the cells' flush-left text begins, so the text crosses every edge. An
    edge moves to the start its crossing lines share, left of it, where no line crosses
    that; None where the page's text crosses no edge, or moving leaves as many crossings."""
    m = settings.overlap_margin
    # (a line running over two edges or more is a section row's, or a note's: it says
    # nothing of where a column starts)
    lines = [ln for r in rows for ln in r
             if sum(ln.bbox[0] + m < sep < ln.bbox[2] - m for sep in grid.separators) < 2]
    out = list(grid.separators)
    for k, sep in enumerate(grid.separators):
        crossing = [ln for ln in lines if ln.bbox[0] + m < sep < ln.bbox[2] - m]
        # (fewer where they start flush: a page holding one row kept whole, its cell's lines)
        flush = len(crossing) >= 2 and max(ln.bbox[0] for ln in crossing) - min(ln.bbox[0] for ln in crossing) <= FLUSH
        if len(crossing) < _FEWEST_CROSSING and not flush:
            continue
        low = out[k - 1] if k else grid.left
        start = statistics.median(ln.bbox[0] for ln in crossing)
        at = start - settings.text_column_lead
        if low < at < sep and not any(ln.bbox[0] + m < at < ln.bbox[2] - m for ln in lines):
            out[k] = at
    moved = Grid(tuple(out), grid.left, grid.right, grid.first_end)
    return moved if _crossings(moved, rows, settings) < _crossings(grid, rows, settings) // 2 else None


# lines: an edge this many of a page's lines cross was placed by centred headings
_FEWEST_CROSSING = 3


def _above_ruled(box: BBox, page: PageContent) -> BBox | None:
    """The text table's box kept off the page's ruled tables: it ends above the first one
    that starts below its top (what comes under that table is not the plan's), and starts
    below one that ends above its bottom (x1, y1, x2, y2: left-top, right-bottom)."""
    x0, top, x1, bottom = box
    for t in page.tables:
        t_top, t_bottom = t.bbox[3], t.bbox[1]
        if t.bbox[2] <= x0 or t.bbox[0] >= x1 or t_top < bottom or t_bottom > top:
            continue  # beside it, wholly below it or wholly above it
        if t_top < top:  # below the text table's top (with text under it too, a note or a sign-off)
            bottom = max(bottom, t_top + AREA_PAD)
        else:
            top = t_bottom - AREA_PAD
    return (x0, top, x1, bottom) if top > bottom else None


def _grid_running_on(before: PageContent, page: PageContent, settings: LayoutSettings) -> Grid | None:
    """The columns of the table on the page before, for this page, where the same table
    may go on without the rules the reader needs (a box whose top was left off where the
    page broke it). Only a table as wide as a header can be (`header_min_fields`), and
    only where it reached the foot of its page (`running_foot_share`), or this page has
    vertical rules (`running_rule_length`) within `running_rule_tolerance` of
    `running_rules_share` of its column edges."""
    if not before.tables:
        return None
    last = before.tables[-1]
    seps = last.separators()
    if last.ncols < settings.header_min_fields:
        return None
    tol = settings.running_rule_tolerance
    verticals = [x for x, y0, y1 in page.vrules if y1 - y0 > settings.running_rule_length]
    on_rules = sum(1 for s in seps if any(abs(s - v) <= tol for v in verticals))
    ruled = on_rules >= settings.running_rules_share * len(seps)
    if last.bbox[1] > settings.running_foot_share * before.height and not ruled:
        return None
    return Grid(tuple(seps), last.bbox[0], last.bbox[2])


def _tables_below(rows: Sequence[Sequence[TextLine]], end: int, is_header: HeaderTest, settings: LayoutSettings,
                  decisions: list[Decision], page: int
                  ) -> tuple[tuple[tuple[BBox, tuple[float, ...]], ...], tuple[Grid, str] | None]:
    """Further tables on the page under the first, each with a header of its own (two
    plans on one web page, a plan and its partner's); and the last one's columns and
    header text, which the next page's text carries on."""
    out = []
    last: tuple[Grid, str] | None = None
    while end < len(rows):
        found = find_text_header(rows[end:], is_header, settings)
        if found is None:
            break
        start, used, grid = found
        start += end
        grid = widen_left(grid, below_header([list(r) for r in rows[start:]], used, settings), settings)
        stop, ends = table_end(rows, start + used, grid, is_header, settings)
        box = table_area(rows[:stop], grid, rows[start][0].bbox[3], settings)
        if box is None:
            break
        out.append((box, tuple(grid.separators)))
        last = grid, _header_text(rows, (start, used, grid))
        x0, y1, x1, y0 = box
        decisions.append(Decision("columns", page, "columns from a second header", f"a header of its own below the "
                                  f"table above; it ends at {ends}", box=(x0, y0, x1, y1), xs=tuple(grid.separators)))
        end = max(stop, start + used)
    return tuple(out), last


def _crossings(grid: Grid, rows: Sequence[Sequence[TextLine]], settings: LayoutSettings) -> int:
    m = settings.overlap_margin
    return sum(1 for r in rows for ln in r if any(ln.bbox[0] + m < x < ln.bbox[2] - m for x in grid.separators))


def _fits_better(carried: Grid, own: Grid, body: Sequence[Sequence[TextLine]], settings: LayoutSettings,
                 placed: bool = True) -> bool:
    """Are the plan's columns so far a better fit for this page than its own header's? They
    are when this page's header gives fewer columns (one with no text here, a first column
    with no heading) or its columns cut more of this page's lines; and where the two cut
    as many, the plan's, if rows `placed` them (a browser sizes a table's columns once: a
    page's own lines may hold nothing that places an edge, a column of numbers all one
    width; a header alone on the page before placed its edges by its centred headings)."""
    if len(own.separators) < len(carried.separators):
        return True
    if len(own.separators) > len(carried.separators):
        # the same header read with a column more, that column empty on this page (an edge the
        # page's gaps placed inside a heading): the plan's columns, unless they cut more lines
        return (not _extra_columns_hold_text(carried, own, body, settings)
                and _crossings(carried, body, settings) <= _crossings(own, body, settings))
    if placed:
        return _crossings(carried, body, settings) <= _crossings(own, body, settings)
    return _crossings(carried, body, settings) < _crossings(own, body, settings)


def _extra_columns_hold_text(carried: Grid, own: Grid, body: Sequence[Sequence[TextLine]],
                             settings: LayoutSettings) -> bool:
    """Does a line of the page start in a column that one of `own`'s edges `carried` lacks
    opens (the part of a carried column right of the new edge)?"""
    tol = settings.column_tolerance
    edges = [*own.separators, max(own.right, carried.right)]
    extra = [(a, b) for a, b in itertools.pairwise(edges) if not any(abs(a - k) <= tol for k in carried.separators)]
    return any(a <= ln.bbox[0] < b for r in body for ln in r for a, b in extra)


# share of the shorter header's words two headers' texts must open with alike to be one
# header printed again: a header's last line may take a body line or two with it
_SAME_HEADER_SHARE = 2 / 3


def same_header_text(a: str, b: str) -> bool:
    """The plan's header printed again: the same words, or the same opening words for most
    of the shorter, where one reading took the first body words under it as well. (Loose:
    a second plan's header may open as the first's does; only where the table is known
    to go on, as under a section row at a page's foot.)"""
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    common = next((k for k, (x, y) in enumerate(zip(wa, wb)) if x != y), min(len(wa), len(wb)))
    return common >= DEFAULT_LAYOUT.header_min_fields and common >= _SAME_HEADER_SHARE * min(len(wa), len(wb))


def _header_text(rows: Sequence[Sequence[TextLine]], header: tuple[int, int, Grid]) -> str:
    start, used, _ = header
    return " ".join(ln.text for r in rows[start:start + used] for ln in r).casefold()


def headers_left_unread(document: Document, read: set[int], is_header: HeaderTest, settings: LayoutSettings
                        ) -> list[Issue]:
    """A page no plan was read from that prints a plan's header in its text (outside its
    ruled tables): a table the reader never cut, its records lost. The check that notices
    when the text tables were located wrongly."""
    issues = []
    for page in document.pages:
        if page.number in read or not page.n_chars or page.number in document.ocr_pages:
            continue
        lines = [ln for ln in page.lines if not is_furniture(ln, document.furniture)
                 and not any(t.bbox[0] <= (ln.bbox[0] + ln.bbox[2]) / 2 <= t.bbox[2]
                             and t.bbox[1] <= (ln.bbox[1] + ln.bbox[3]) / 2 <= t.bbox[3] for t in page.tables)]
        rows = visual_rows(lines, settings.level_tolerance)
        found = find_text_header(rows, is_header, settings) if rows else None
        if found is not None and below_header(rows[found[0]:], found[1], settings):
            heads = " | ".join(ln.text for ln in rows[found[0]])
            issues.append(Issue("table-left-out", f"page {page.number} prints a plan's header ({heads[:60]}) with "
                                "rows under it, and no plan was read from that page: its records are not in the "
                                "output", page=page.number))
    return issues


def locate_text_tables(document: Document, is_header: HeaderTest, settings: LayoutSettings
                       ) -> tuple[list[TextTableRequest], list[Decision]]:
    """For each page with text but no ruled table (scans aside), in page order: where its
    table is and where its columns part, and why; the reader then cuts the text there."""
    pages, furniture = document.pages, document.furniture
    todo = [p for p in pages if p.n_chars and p.number not in document.ocr_pages]
    requests: list[TextTableRequest] = []
    decisions: list[Decision] = []
    grid: Grid | None = None
    header_text = ""
    previous = 0
    # the page before held the header alone, at its foot: its rows are on this page
    alone = next_alone = False
    # the text table read last ran to its page's foot (a row there may be cut, its rest on the next page)
    at_foot, previous_read = False, 0
    # each page's header, looked for up front: a page whose table starts without one (the
    # producer kept a tall row whole and left the header off) takes the next page's columns
    text_rows = {c.number: visual_rows([ln for ln in c.lines if not is_furniture(ln, furniture)],
                                       settings.level_tolerance) for c in todo}
    headers = {n: find_text_header(r, is_header, settings) if r else None for n, r in text_rows.items()}
    tol = settings.column_tolerance
    # a page with a ruled table (a RAG key, a sign-off) may hold the plan beside it, without
    # rules: its text outside the ruled tables is read as a table where it has a header of
    # its own, or where the text table of the page before runs on into it
    # (the page before may hold a ruled table too, a key beside the plan's first rows)
    ruled = {p.number for p in todo if p.tables}
    numbered_run = 0  # rows numbered in the first column of the table the pages carry on
    titled_after = 0  # the last page whose table ended at a title below it
    for content in todo:
        number = content.number
        if number in ruled and headers[number] is None and not (
                grid is not None and number == previous + 1 and len(text_rows[number]) >= _FEWEST_ROWS_BESIDE):
            continue
        # pages with nothing printed on them between (a browser prints a tall merged cell's
        # empty rest page after page) do not part this page from the one before
        if previous and number > previous + 1 and not any(p.n_chars for p in pages[previous:number - 1]):
            previous = number - 1
        alone, next_alone = next_alone and number == previous + 1, False
        reason = f"the columns of page {number - 1}, carried on"
        if number != previous + 1:  # a page with a table came between
            grid = _grid_running_on(pages[number - 2], content, settings) if number > 1 else None
            reason = f"the columns of the ruled table on page {number - 1}, which runs on"
        previous = number
        rows = text_rows[number]
        header = headers[number]
        running = grid  # the columns the page before carries on, before this page's header is weighed
        ahead = _header_ahead(number, headers)
        top = 0.0
        header_end: float | None = None
        if header is None and grid is None and ahead is not None and fits_grid(rows, ahead[1][2], settings):
            later, (start, used, ahead_grid) = ahead
            # its own numbered lines ("1." left of the next header's first cell) count too
            grid = widen_left(ahead_grid, [*rows, *text_rows[later][start + used:]], settings)
            reason = f"the header on page {later}, whose columns this page's text fits"
        # the plan's header printed again, word for word: its columns are the plan's (a
        # browser sizes a table's columns once; a page may have no text to place them by)
        repeated = False
        if (header is not None and grid is not None and header[1] > 1 and _header_text(rows, header) != header_text
                and _header_text(rows, (header[0], header[1] - 1, header[2])) == header_text):
            # the plan's header again word for word, over the rest of a row the page cut (a
            # line under a heading, read as its wrapped line)
            header = (header[0], header[1] - 1, header[2])
        if header is not None and grid is not None and _header_text(rows, header) == header_text:
            body = below_header(rows[header[0]:], header[1], settings)
            body = body[:table_end(body, 0, grid, is_header, settings)[0]]  # not a table below it
            # (a tie goes to the plan's columns where rows placed them and no title stands over
            # the header, as over a repeated one: under a title, on the page or at the foot of
            # the page before, it may start a plan of its own)
            sizes = sorted(ln.size for r in rows for ln in r)
            titled = any(max(ln.size for ln in r) > sizes[len(sizes) // 2] + settings.title_size_margin
                         for r in rows[:header[0]])
            repeated = _fits_better(grid, widen_left(header[2], body, settings), body, settings,
                                    placed=not alone and not titled and titled_after != number - 1)
        elif (header is not None and grid is not None and titled_after != number - 1
              and not plausible(header, grid, rows, settings)):
            header = None  # body text that reads like a header, on a page the plan goes on
            # (not under a title the page before ended its table with: a new table's header)
        if header is not None:
            header_end = min(ln.bbox[1] for ln in rows[header[0] + header[1] - 1])
        if repeated and header is not None and grid is not None:
            top = rows[header[0]][0].bbox[3]
            reason = "the plan's header repeated: the columns of the page before"
        elif header is not None:
            start, used, found_grid = header
            # the page before found a blank-headed first column this page has no line in
            same_as_before = grid is not None and len(grid.separators) == len(found_grid.separators) + 1 and all(
                abs(a - b) <= tol for a, b in zip(grid.separators[1:], found_grid.separators))
            # a header alone at a page's foot: the rows under it are on the next page
            body = below_header(rows[start:], used, settings)
            # (or over section rows only, one line running across each: nothing shows where its
            # columns start either)
            next_alone = all(len(r) == 1 for r in body)
            if not body and headers.get(number + 1) is None:
                body = text_rows.get(number + 1, [])
            if same_as_before and grid is not None:  # keep that column; the rest as this header has them
                grid = Grid((grid.separators[0], *found_grid.separators), grid.left, max(grid.right, found_grid.right))
                reason = "this page's header, and the blank-headed first column of the page before"
            else:
                grid = widen_left(found_grid, body, settings)
                reason = "the gaps between this page's header cells"
            top = rows[start][0].bbox[3]
            header_text = _header_text(rows, header)
        elif grid is not None and rows and _starts_with_title(rows, settings):
            grid = None  # a page that opens with a title starts something new: no columns carry over
            reason = "the page opens with a title, so no columns carry over"
        elif grid is not None and rows:
            top = rows[0][0].bbox[3]
            moved = _snap_to_starts(grid, rows, settings) if alone else None
            if moved is not None:
                grid = moved
                reason += ", its edges moved to where this page's columns start (headings centred over them)"
        # a new plan's title and header lower on the page: the rows above them are the last
        # rows of the plan before, running on from the page before
        rest: tuple[BBox, tuple[float, ...]] | None = None
        cut_at_foot, at_foot = at_foot and number == previous_read + 1, False
        if header is not None and not repeated and running is not None and running is not grid:
            rest = _rest_above(rows, header[0], running, settings, 1 if cut_at_foot else None)
            if rest is not None:
                x0, y1, x1, y0 = rest[0]
                decisions.append(Decision("columns", number, "columns of the page before, above a new plan",
                                          "rows above this page's title and header that keep to the columns of "
                                          "the table the page before ends with: its last rows", box=(x0, y0, x1, y1),
                                          xs=rest[1]))
        first = next((k for k, r in enumerate(rows) if r[0].bbox[3] <= top + TOP_SLACK), len(rows))
        if grid is None or (header is not None and not repeated):
            numbered_run = 0  # a table of its own starts here
        end, ends = (table_end(rows, first, grid, is_header, settings, numbered_run >= _NUMBERED_ROWS)
                     if grid is not None else (len(rows), ""))
        if grid is not None:
            numbered_run += sum(_numbered_row(r, grid, settings) for r in rows[first:end])
            if ends == "a title below it":
                titled_after = number
        if grid is not None and end < len(rows) and _section_at_foot(
                rows[end:], grid, text_rows.get(number + 1), headers.get(number + 1), header_text, settings,
                statistics.median(ln.size for r in rows[first:end] for ln in r) if end > first else 0.0,
                min((ln.bbox[0] for r in rows[first:end] for ln in r), default=None)):
            end, ends = len(rows), "the foot of the page (its last line a section row running across it)"
        box = table_area(rows[:end], grid, top, settings) if grid is not None and rows else None
        if box is not None:
            box = _above_footer(box, rows[:end], content.lines, furniture)
        if box is not None and grid is not None and number in ruled:
            box = _above_ruled(box, content)
            # (the rest of a row cut at the page before's foot fills its longest cells only)
            if box is None or (header is None and not fits_grid(rows[first:end], grid, settings,
                                                                1 if cut_at_foot else None)):
                grid = None  # only the ruled table's page after all: no columns carry over it
                previous = 0
                if rest is not None:
                    requests.append(TextTableRequest(number, rest[0], rest[1], keep_ruled=True))
                continue
        if box is not None and grid is not None:
            x0, y1, x1, y0 = box
            decisions.append(Decision("columns", number, "columns from " + reason.removeprefix("the ").split(",")[0],
                                      f"{reason}; it ends at {ends}", box=(x0, y0, x1, y1),
                                      xs=tuple(grid.separators)))
            more: tuple[tuple[BBox, tuple[float, ...]], ...] = ()
            last: tuple[Grid, str] | None = None
            more, last = _tables_below(rows, end, is_header, settings, decisions, number)
            if number in ruled:  # (kept off the page's ruled tables: a key under the second plan)
                kept = tuple((off, xs) for b, xs in more if (off := _above_ruled(b, content)) is not None)
                last = last if len(kept) == len(more) else None
                more = kept
            requests.append(TextTableRequest(number, box, tuple(grid.separators), (*more, *([rest] if rest else [])),
                                             keep_ruled=number in ruled, header_end=header_end))
            at_foot, previous_read = end == len(rows) and not more, number
            if last is not None:  # the next page goes on with the last table
                grid, header_text = last
        elif number in ruled:
            previous = 0  # the ruled table's page: nothing beside it to read
            grid = None
            if rest is not None:
                requests.append(TextTableRequest(number, rest[0], rest[1], keep_ruled=True))
        elif rest is not None:
            requests.append(TextTableRequest(number, rest[0], rest[1]))
        else:
            requests.append(TextTableRequest(number))
            why = reason if reason.startswith("the page opens") else "no header, and no columns running on"
            decisions.append(Decision("columns", number, "columns guessed", f"{why}: Camelot guesses from the "
                                      "text's alignment"))
    return requests, decisions
