"""The one shape every stage reports a doubt in; it becomes `warnings` in the JSON."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field

from actionplan.schemas.decisions import Decision

# Warnings that say the table's structure may have been read wrongly (rows or plans cut or
# joined in the wrong place), as against a doubt about one cell. They come first on the
# Review sheet; `--strict` fails on them like on any warning.
STRUCTURAL: frozenset[str] = frozenset({
    "header-holds-body-text",
    "plan-split-same-columns",
    "plan-split-numbering",
    "plan-split-numbering-restarts",
    "records-vs-numbering",
    "row-without-item",
    "gap-at-page-break",
    "item-not-a-number",
    "item-misread-twice",
    "item-column-merged",
    "record-far-apart",
    "row-looks-partial",
    "record-looks-merged",
    "record-starts-mid-text",
    "column-misread",
    "cells-side-by-side",
    "column-ambiguous",
    "text-not-placed",
    "table-left-out",
    "page-not-read",
    "core-field-empty",
    "area-missing",
    "text-cut-at-page-foot",
    "record-text-blank",
    "lead-holds-sentences",
    "para-holds-words",
    "copy-disagrees",
    "merged-cell-misfit",
})


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    table: str | None = None
    item: str | None = None
    field: str | None = None
    page: int | None = None
    # the structural decision this warning doubts, for `inspect` to show; not in the JSON
    decision: Decision | None = _field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "message": self.message, "table": self.table,
                                  "item": self.item, "field": self.field}
        if self.page is not None:
            out["page"] = self.page
        return out
