"""Page furniture: running heads, footers and page numbers, known by repeating across pages."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from actionplan.extractors.model import PageContent, TextLine
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings

_PAGE_NUMBER = re.compile(r"^(page\s*)?#+(\s*(of|/)\s*#+)?$|^[-–—]\s*#+\s*[-–—]$", re.I)


def furniture_key(text: str) -> str:
    """A line with its numbers blanked: "Page 3 of 24" and "Page 4 of 24" are one key."""
    text = re.sub(r"[*_]+", "", text)
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.strip().lower()))


# The resolution of a line's furniture key, across and up the page (points). Fixed: the
# finder and every `is_furniture` check (the structure stage, coverage, inspect) must read
# one key alike. A bare number's key says which 24-pt band across the page it sits in (a
# page number in the footer's middle is not an item number in a table's first column;
# fad6924, sweep 1300173); a running head's count is kept per 4-pt band of height (it
# sits where it sat on the last page, to a point or two; 8a2989d).
KEY_STEP_ACROSS = 24
KEY_STEP_UP = 4
# a line is repeated when it is on two pages at least, and a bare number counts with the
# pages when two pages agree on its offset (fixed: the least a repeat can be)
_FEWEST_REPEATS = 2
# a document of fewer pages has no running heads by repetition: the two pages of a two-page
# plan repeat its header and its columns' words (fixed, with the rule above); only their
# outermost rows are compared (`_outermost_rows`)
_FEWEST_PAGES = 3


def _height_key(line: TextLine, page: PageContent) -> int:
    """Where a margin line sits, in `KEY_STEP_UP` bands: a head measured down from the
    page's top, a footer up from its foot. A document's landscape pages (a plan's) print
    their running head as far below the top as its portrait pages (the introduction's) do,
    which is lower up the page."""
    if line.bbox[3] > page.height / 2:
        return -1 - round((page.height - line.bbox[3]) / KEY_STEP_UP)
    return round(line.bbox[3] / KEY_STEP_UP)


def _margin_lines(page: PageContent, settings: LayoutSettings) -> list[TextLine]:
    """Lines in the page's top or bottom margin band (`furniture_margin`), on a row of at
    most `furniture_row_lines` lines (a table's header row, even at the top of a page,
    has more cells than that), and set apart from the text above and below by
    `furniture_clearance` of their height (a running head or footer keeps its distance; a
    word of a table's cell or a header's second line does not)."""
    margin, tol, clear = settings.furniture_margin, settings.level_tolerance, settings.furniture_clearance
    band = [ln for ln in page.lines
            if ln.bbox[1] >= (1 - margin) * page.height or ln.bbox[3] <= margin * page.height]
    out = []
    for ln in band:
        same_row = [o for o in band if abs(o.bbox[3] - ln.bbox[3]) <= tol]
        height = ln.bbox[3] - ln.bbox[1]
        crowded = any(o is not ln and abs(o.bbox[3] - ln.bbox[3]) > tol and
                      min(abs(o.bbox[1] - ln.bbox[3]), abs(ln.bbox[1] - o.bbox[3])) < clear * height
                      for o in page.lines)
        if len(same_row) <= settings.furniture_row_lines and not crowded:
            out.append(ln)
    return out


_NUMBER_ONLY = re.compile(r"^[-–—(\s]*(\d+(?:\.\d+)*)[.)\s]*[-–—\s]*$")


def furniture_key_of(line: TextLine) -> str:
    """The key a line is known by. A line that is only a number ("7", "12.", "- 7 -") is
    a page number or an item number cut off at a page's foot by a split row; its key also
    says where across the page it sits, so a page number found in the footer's middle
    does not strike out an item number in a table's first column."""
    key = furniture_key(line.text)
    if _NUMBER_ONLY.match(line.text.strip()):
        return f"{key}@{round((line.bbox[0] + line.bbox[2]) / 2 / KEY_STEP_ACROSS)}"
    return key


def _could_be_page_number(line: TextLine, value: str, page: PageContent) -> bool:
    """A bare number ("7", "- 7 -") clear of the page's tables: "12." and "(3)" are how
    items are numbered, and a number level with a table's rows is its item column."""
    text = line.text.strip()
    if not value.isdigit() or text.endswith((".", ")")) or text.startswith("("):
        return False
    y0, y1 = line.bbox[1], line.bbox[3]
    return not any(y0 < t.bbox[3] and y1 > t.bbox[1] for t in page.tables)


def find_furniture(pages: Sequence[PageContent], share: float | None = None,
                   settings: LayoutSettings = DEFAULT_LAYOUT) -> set[str]:
    """Keys of margin lines that repeat on `share` of the pages or more (None:
    `furniture_share`), of lines that say they are page numbers ("Page 3 of 24"), and of
    bare numbers in the margins that count with the pages (the number less the page's is
    the same on two pages or more)."""
    share = settings.furniture_share if share is None else share
    seen: Counter[tuple[str, int]] = Counter()
    # a page's outermost line alone on its row, crowded or not: a running head set close
    # over a table's header (narrow margins) is one where it stands clear on some page
    outermost: Counter[tuple[str, int]] = Counter()
    numbers: set[str] = set()
    counted: dict[str, Counter[int]] = {}
    for page in pages:
        for line in _outermost_lines(page, settings):
            if not _NUMBER_ONLY.match(line.text.strip()):
                outermost[(furniture_key(line.text), _height_key(line, page))] += 1
        margin = _margin_lines(page, settings)
        for line in margin:
            found = _NUMBER_ONLY.match(line.text.strip())
            if found:  # a number's repeating is not enough: items repeat "#." at the foot too
                if _could_be_page_number(line, found.group(1), page):
                    counted.setdefault(furniture_key_of(line), Counter())[int(found.group(1)) - page.number] += 1
                continue
            # the same words at the same height: a running head sits where it sat on the last page
            # (a lone mark, a header's "#" over its item column, is no running head)
            if any(ch.isalnum() for ch in line.text):
                seen[(furniture_key(line.text), _height_key(line, page))] += 1
        numbers.update(k for line in page.lines if not _NUMBER_ONLY.match(line.text.strip())
                       and _PAGE_NUMBER.match(k := furniture_key(line.text))
                       # a bare number's key ("2024*" read as "#") says no page: it would strike
                       # out a header's "#" (bare numbers count with the pages, above)
                       and k.strip("#"))
    n = len(pages)
    repeat = max(_FEWEST_REPEATS, round(share * n)) if n >= _FEWEST_PAGES else n + 1
    tracking = {k for k, offsets in counted.items()
                if offsets.most_common(1)[0][1] >= _FEWEST_REPEATS or (n == 1 and offsets.get(0))}
    running = {k for (k, y), c in outermost.items() if c >= repeat and seen[(k, y)]}
    if n == 2:  # too few pages to trust repetition in the margins; the outermost rows, on both
        edges = [{(furniture_key(ln.text), _height_key(ln, p)) for ln in _outermost_rows(p, settings)
                  if not _NUMBER_ONLY.match(ln.text.strip())} for p in pages]
        running |= {k for k, _ in edges[0] & edges[1]}
    return {k for (k, _), c in seen.items() if c >= repeat} | running | numbers | tracking


def outermost_marks(pages: Sequence[PageContent], share: float | None = None,
                    settings: LayoutSettings = DEFAULT_LAYOUT) -> set[str]:
    """Keys of the lines that are a page's outermost, alone on their row, at the same height
    on `share` of the pages or more, set close to the text beside them or not: a protective
    marking ("OFFICIAL") right over a table, never clear of it. Not furniture by itself (a
    sheet's print title is such a line, and is the plan's title); a table row that is only
    such a line is, though."""
    share = settings.furniture_share if share is None else share
    n = len(pages)
    if n < _FEWEST_PAGES:
        return set()
    seen = Counter((furniture_key(ln.text), _height_key(ln, page))
                   for page in pages for ln in _outermost_lines(page, settings)
                   if not _NUMBER_ONLY.match(ln.text.strip()) and any(ch.isalnum() for ch in ln.text))
    repeat = max(_FEWEST_REPEATS, round(share * n))
    return {k for (k, _), c in seen.items() if c >= repeat}


def _outermost_rows(page: PageContent, settings: LayoutSettings) -> list[TextLine]:
    """The lines of the page's top and bottom rows, in the margin band, where the row holds
    no more than `furniture_row_lines` lines set clear of the text next to it (a protective
    marking over the table; "Action plan" beside "Page 2 of 2"): the same words at the same
    height on both pages of a two-page plan are its running head and footer, where its
    header, repeated, is never a page's outermost row on both."""
    margin, tol = settings.furniture_margin, settings.level_tolerance
    out: list[TextLine] = []
    for edge in (max(page.lines, key=lambda ln: ln.bbox[3], default=None),
                 min(page.lines, key=lambda ln: ln.bbox[1], default=None)):
        if edge is None or not (edge.bbox[1] >= (1 - margin) * page.height or edge.bbox[3] <= margin * page.height):
            continue
        row = [o for o in page.lines if abs(o.bbox[3] - edge.bbox[3]) <= tol]
        clear = not any(o not in row and min(abs(o.bbox[1] - ln.bbox[3]), abs(ln.bbox[1] - o.bbox[3]))
                        < settings.furniture_clearance * (ln.bbox[3] - ln.bbox[1]) for ln in row for o in page.lines)
        if len(row) <= settings.furniture_row_lines and clear:
            out += [ln for ln in row if ln not in out]
    return out


def _outermost_lines(page: PageContent, settings: LayoutSettings) -> list[TextLine]:
    """The page's top and bottom lines, where each is alone on its row, in the margin band."""
    margin, tol = settings.furniture_margin, settings.level_tolerance
    out = []
    for line in (max(page.lines, key=lambda ln: ln.bbox[3], default=None),
                 min(page.lines, key=lambda ln: ln.bbox[1], default=None)):
        if line is None or line in out or not (
                line.bbox[1] >= (1 - margin) * page.height or line.bbox[3] <= margin * page.height):
            continue
        if sum(1 for o in page.lines if abs(o.bbox[3] - line.bbox[3]) <= tol) == 1:
            out.append(line)
    return out


def is_furniture(line: TextLine, furniture: set[str]) -> bool:
    return furniture_key_of(line) in furniture
