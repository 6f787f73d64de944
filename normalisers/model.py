"""The typed rows a plan's records are made from.

The structure stage cuts each page's table into printed rows (`Piece`s) and gives each a
`Row`; rows a page break cut are joined into one `Row` with several pieces. The
normalisers then repair a row's cells; the record keeps every piece's page and box, so
other systems (and the review page) can point back at the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from actionplan.extractors.model import RGB, BBox
from actionplan.schemas.decisions import Decision


@dataclass(frozen=True)
class Piece:
    """One printed row of a plan on one page, as the structure stage cut it."""

    page: int
    index: int  # its place among the rows its table gave on that page (0: the table's first)
    box: BBox | None = None
    fill: RGB | None = None  # the rating cell's fill (a colour-only rating)
    joined: Decision | None = None  # why it was joined to the row above ("no item number"), if it was
    # the fields whose text runs to the foot of the page's table mid-sentence, on a full line
    # (the last row on its page): the rest should follow on the next page
    open_at_foot: tuple[str, ...] = ()
    # (field, top, bottom) of each cell's printed lines, page points (y up): where a merged
    # cell's text sits among the rows it covers says which rows they are
    extents: tuple[tuple[str, float, float], ...] = ()
    # what runs between this row and the one above it on its page: "rule", "fill" (a band's
    # edge) or "" (nothing). A column it crosses holds two cells; a column a rule stops short
    # of (`Row.merged`) one cell over both, and one a fill edge stops short of one or two (two
    # cells side by side in one band colour show no edge)
    edge: str = ""
    # (top, bottom) of the row as its table draws it (the rules or fill edges round it),
    # where it does: a spreadsheet's row is often taller than what it prints
    band: tuple[float, float] | None = None


@dataclass(frozen=True)
class Row:
    """One record in the making: its cells by column name (a field, or `extra:<header>`)
    and the printed rows it was put together from, first first."""

    cells: dict[str, str]
    pieces: tuple[Piece, ...]
    # fields whose blank cell took the value above ("same as above"): their words were
    # printed once, above, and text coverage counts them there
    carried: tuple[str, ...] = field(default=())
    # a row across the table that heads the actions below it ("Priority 2: Improve ..."):
    # its text, given to those rows as their area; such a row is not a record
    section: str | None = None
    # fields whose cell is merged with the row above's (no rule between them in that
    # column): one cell over both rows, its text theirs alike
    merged: tuple[str, ...] = field(default=())
    # (field, text) of a blank cell at a page's top or foot over which the producer drew a
    # merged cell's text again out of sight (clipped away): which cell goes on there
    hidden: tuple[tuple[str, str], ...] = field(default=())
    # fields whose cell printed two texts side by side on one line, apart: a column edge
    # fell between two cells' texts, so one holds the other's
    side_by_side: tuple[str, ...] = field(default=())
    # the first row under a section row: it opens the section's group, so it does not go on
    # from the record above the section row (its number may be set lower than its first lines)
    opens_section: bool = False

    def hidden_in(self, name: str) -> str:
        return " ".join(t for f, t in self.hidden if f == name)

    def get(self, name: str) -> str:
        return self.cells.get(name) or ""

    def has(self, name: str) -> bool:
        return name in self.cells

    @property
    def page(self) -> int:
        return self.pieces[0].page

    @property
    def pages(self) -> list[int]:
        """The pages it spans, in order."""
        return sorted({p.page for p in self.pieces})

    @property
    def joins(self) -> list[tuple[int, int]]:
        """(page, place on the page) of every piece joined to the first."""
        return [(p.page, p.index) for p in self.pieces[1:]]

    @property
    def fill(self) -> RGB | None:
        """The rating cell's colour: the first piece that has one."""
        return next((p.fill for p in self.pieces if p.fill is not None), None)

    def with_cells(self, **changes: str) -> Row:
        return replace(self, cells={**self.cells, **changes})


def columns_of(rows: list[Row]) -> list[str]:
    """The column names the rows carry (every row of a plan carries the same)."""
    return list(rows[0].cells) if rows else []
