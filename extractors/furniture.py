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


def find_furniture(pages: Sequence[PageContent], share: float = 0.3) -> set[str]:
    """Keys of margin lines that repeat on `share` of the pages or more, and of anything
    that is a page number."""
    seen: Counter[tuple[str, int]] = Counter()
    numbers: set[str] = set()
    for page in pages:
        margin = _margin_lines(page)
        # the same words at the same height: a running head sits where it sat on the last page
        seen.update({(furniture_key(line.text), round(line.bbox[3] / 4)) for line in margin})
        numbers.update(k for k in (furniture_key(line.text) for line in page.lines) if _PAGE_NUMBER.match(k))
    n = len(pages)
    repeat = max(2, round(share * n)) if n > 2 else n + 1
    return {k for (k, _), c in seen.items() if c >= repeat} | numbers


def is_furniture(line: TextLine, furniture: set[str]) -> bool:
    return furniture_key(line.text) in furniture
