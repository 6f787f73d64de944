"""The tolerances that decide layouts: one documented object, shared by every stage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class LayoutSettings:
    """Tolerances that decide a table's rows, columns and header, and what is page
    furniture (`Settings.layout`; the CLI's `--layout NAME=VALUE`). The reader and the
    normalisers both take them, so they live with the shared ground."""

    level_tolerance: float = 2.0  # points: lines whose tops differ by less share a top line
    gap_ratio: float = 1.25  # a row break is a gap this much wider than the table's line pitch
    min_starts: int = 2  # cells that must start together on one top line to make a row break
    fill_span: float = 0.8  # a fill spanning this share of the table width marks row edges
    header_levels: int = 6  # most lines a header can wrap over
    column_tolerance: float = 6.0  # points: column edges this close (two pages, two headers) are one column
    column_gap: float = 0.5  # of a line's height: a wider gap between two characters splits two cells' text
    header_match: float = 80.0  # fuzzy score (0-100) a header cell needs to name a field
    furniture_share: float = 0.3  # a margin line repeated on this share of the pages is a running head or foot

    def __post_init__(self) -> None:
        for name in ("level_tolerance", "gap_ratio", "fill_span", "column_tolerance", "column_gap",
                     "furniture_share"):
            if not float(getattr(self, name)) > 0:
                raise ValueError(f"layout {name} must be above 0, not {getattr(self, name)}")
        for name in ("fill_span", "furniture_share"):
            if getattr(self, name) > 1:
                raise ValueError(f"layout {name} is a share (0-1), not {getattr(self, name)}")
        if not 0 < self.header_match <= 100:
            raise ValueError(f"layout header_match is a score (0-100], not {self.header_match}")
        for name in ("min_starts", "header_levels"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"layout {name} must be 1 or more, not {getattr(self, name)}")

    @classmethod
    def parse(cls, pairs: Sequence[str]) -> LayoutSettings:
        """From NAME=VALUE strings (the CLI's --layout)."""
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, float | int] = {}
        for pair in pairs:
            name, _, value = pair.partition("=")
            name = name.strip().replace("-", "_")
            if name not in known or not value.strip():
                raise ValueError(f"--layout takes NAME=VALUE with NAME one of {', '.join(known)}; got {pair!r}")
            try:
                values[name] = int(value) if name in ("min_starts", "header_levels") else float(value)
            except ValueError:
                raise ValueError(f"--layout {name} needs a number, not {value!r}") from None
        return cls(**values)  # type: ignore[arg-type]
