"""Page furniture: running heads, footers and page numbers, known by repeating across pages."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from actionplan.extractors.model import PageContent, TextLine

_PAGE_NUMBER = re.compile(r"^(page\s*)?#+(\s*(of|/)\s*#+)?$|^[-–—]\s*#+\s*[-–—]$", re.I)


def furniture_key(text: str) -> str:
    """A line with its numbers blanked: "Page 3 of 24" and "Page 4 of 24" are one key."""
    text = re.sub(r"[*_]+", "", text)
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.strip().lower()))


MARGIN = 0.12  # running heads and footers live in the top and bottom eighth of a page


def _margin_lines(page: PageContent) -> list[TextLine]:
    """Lines in the page's top or bottom margin band, on a row of at most three lines
    (a table's header row, even at the top of a page, has more cells than that), and set
    apart from the text above and below (a running head or footer keeps its distance; a
    word of a table's cell or a header's second line does not)."""
    band = [ln for ln in page.lines
            if ln.bbox[1] >= (1 - MARGIN) * page.height or ln.bbox[3] <= MARGIN * page.height]
    out = []
    for ln in band:
        same_row = [o for o in band if abs(o.bbox[3] - ln.bbox[3]) <= 2.0]
        height = ln.bbox[3] - ln.bbox[1]
        crowded = any(o is not ln and abs(o.bbox[3] - ln.bbox[3]) > 2.0 and
                      min(abs(o.bbox[1] - ln.bbox[3]), abs(ln.bbox[1] - o.bbox[3])) < 0.8 * height
                      for o in page.lines)
        if len(same_row) <= 3 and not crowded:
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
        return f"{key}@{round((line.bbox[0] + line.bbox[2]) / 2 / 24)}"
    return key


def _could_be_page_number(line: TextLine, value: str, page: PageContent) -> bool:
    """A bare number ("7", "- 7 -") clear of the page's tables: "12." and "(3)" are how
    items are numbered, and a number level with a table's rows is its item column."""
    text = line.text.strip()
    if not value.isdigit() or text.endswith((".", ")")) or text.startswith("("):
        return False
    y0, y1 = line.bbox[1], line.bbox[3]
    return not any(y0 < t.bbox[3] and y1 > t.bbox[1] for t in page.tables)


def find_furniture(pages: Sequence[PageContent], share: float = 0.3) -> set[str]:
    """Keys of margin lines that repeat on `share` of the pages or more, of lines that
    say they are page numbers ("Page 3 of 24"), and of bare numbers in the margins that
    count with the pages (the number less the page's is the same on two pages or more)."""
    seen: Counter[tuple[str, int]] = Counter()
    numbers: set[str] = set()
    counted: dict[str, Counter[int]] = {}
    for page in pages:
        margin = _margin_lines(page)
        for line in margin:
            found = _NUMBER_ONLY.match(line.text.strip())
            if found:  # a number's repeating is not enough: items repeat "#." at the foot too
                if _could_be_page_number(line, found.group(1), page):
                    counted.setdefault(furniture_key_of(line), Counter())[int(found.group(1)) - page.number] += 1
                continue
            # the same words at the same height: a running head sits where it sat on the last page
            seen[(furniture_key(line.text), round(line.bbox[3] / 4))] += 1
        numbers.update(k for line in page.lines if not _NUMBER_ONLY.match(line.text.strip())
                       and _PAGE_NUMBER.match(k := furniture_key(line.text)))
    n = len(pages)
    repeat = max(2, round(share * n)) if n > 2 else n + 1
    tracking = {k for k, offsets in counted.items()
                if offsets.most_common(1)[0][1] >= 2 or (n == 1 and offsets.get(0))}
    return {k for (k, _), c in seen.items() if c >= repeat} | numbers | tracking


def is_furniture(line: TextLine, furniture: set[str]) -> bool:
    return furniture_key_of(line) in furniture
