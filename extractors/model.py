"""What the extractors hand up: what each page holds (its tables as Camelot's cell grids,
its text lines, rules and fills), and nothing about plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BBox = tuple[float, float, float, float]
RGB = tuple[float, float, float]


BUDGET_HINT = "raise --max-page-mb to read it"  # a page refused for the drawing it asks for


@dataclass(frozen=True)
class TextLine:
    text: str
    bbox: BBox
    size: float


@dataclass(frozen=True)
class Cell:
    text: str
    bbox: BBox
    fill: RGB | None = None
    # the printed lines inside the cell, top first: where its text sits, so a row the
    # reader merged can be cut again between lines
    lines: tuple[TextLine, ...] = ()
    spans: int = 1  # columns it covers: a cell merged across the columns of its row has no rule between them


@dataclass
class RawTable:
    page: int
    bbox: BBox
    rows: list[list[Cell]]
    flavor: str
    index: int = 0  # order on the page, top first
    # evidence of where rows end, besides the reader's own grid: filled rectangles
    # (banded rows, shaded headers, RAG cells) and horizontal rules across the table
    fills: tuple[tuple[BBox, RGB], ...] = ()
    rules: tuple[float, ...] = ()
    # every horizontal rule drawn inside the table, (y, x0, x1): where a rule between two
    # rows stops short of a column, that column's cell is merged over both rows
    rule_pieces: tuple[tuple[float, float, float], ...] = ()
    # a text table's header end as the structure stage found it (TextTableRequest.header_end)
    header_end: float | None = None
    # the structure stage parted it from the table above at a header inside that table
    # (a second plan in the same grid): rows of one cell over its header are its title
    parted: bool = False

    @property
    def ncols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def separators(self) -> list[float]:
        """Where one column ends and the next begins: the table's fingerprint, the same on
        every page of a plan (its outer edges move with the text of a text-only table)."""
        if not self.rows:
            return []
        return [c.bbox[2] for c in self.rows[0][:-1]]


@dataclass(frozen=True)
class Security:
    """How the PDF was protected. Readers honour no permission flag when reading text, and
    neither do we; the restrictions are reported so nobody is surprised."""

    handler: str | None = None  # "RC4-40", "AES-256 R6", ... or None when not encrypted
    printable: bool = True
    modifiable: bool = True
    extractable: bool = True

    @property
    def restrictions(self) -> list[str]:
        return [what for ok, what in ((self.extractable, "copying text"), (self.modifiable, "editing"),
                                      (self.printable, "printing")) if not ok]


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    tables: list[RawTable] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)  # text outside every table
    table_words: list[list[str]] = field(default_factory=list)  # per table, words inside it
    n_chars: int = 0
    n_images: int = 0
    not_read: str | None = None  # why the page was refused unread (over the drawing budget, damaged)
    not_read_hint: str = BUDGET_HINT  # what would get it read
    vrules: tuple[tuple[float, float, float], ...] = ()  # vertical rules on the page, as (x, y0, y1)
    hidden_text: list[str] = field(default_factory=list)  # text drawn out of sight (clipped, invisible), not read
    hidden_lines: list[TextLine] = field(default_factory=list)  # that text, where it was drawn
    # what pdfium found drawn out of sight on the page (visibility.Unseen), kept for the
    # text pass so the file is not asked again; None where the page was not read
    unseen: Any = None


@dataclass
class Document:
    pages: list[PageContent]
    security: Security = field(default_factory=Security)
    furniture: set[str] = field(default_factory=set)  # keys of running heads, footers, page numbers
    # keys of lines repeated as the pages' outermost, crowded or not (furniture.outermost_marks)
    marks: set[str] = field(default_factory=set)
    truncated: bool = False  # no end-of-file marker: what could be read was read
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR
    ocr_doubts: dict[int, list[str]] = field(default_factory=dict)  # page -> words read with low confidence
