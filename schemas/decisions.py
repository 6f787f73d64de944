"""Every structural decision, kept with its reason.

The structure stage decides where a page's table and its columns are, which rows are
headers, where one row ends and the next begins, where a plan starts, which column holds
which field. Each decision is recorded here with the evidence that made it (a rule, a
fill edge, the item column, a header match score, a title line), so `inspect` can draw
it and a structural warning can point at the decision it doubts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BBox = tuple[float, float, float, float]

Kind = Literal[
    "columns",  # where a text table is and where its columns part
    "header",  # rows read as the plan's header
    "row-cut",  # a row ends and the next begins here
    "repeated-header",  # a header printed again, left out of the records
    "continuation",  # a row at a page's top joined to the record above
    "section-row",  # a row across the table heading the actions below it
    "plan-start",  # a new plan begins
    "plan-goes-on",  # a page's table continues the plan before
    "column-role",  # the field a column holds
    "left-out",  # a table that joined no plan
]


@dataclass(frozen=True)
class Decision:
    kind: Kind
    page: int
    label: str  # a few words, drawn beside the decision in `inspect`
    reason: str = ""  # the evidence, in a sentence
    box: BBox | None = None  # where on the page it applies (PDF points, origin bottom-left)
    y: float | None = None  # a row cut: the height it cuts at
    xs: tuple[float, ...] = ()  # columns: where they part
    table: str | None = None  # the plan it belongs to, once plans have ids

    def describe(self) -> str:
        return f"page {self.page}: {self.kind}: {self.label}" + (f" ({self.reason})" if self.reason else "")
