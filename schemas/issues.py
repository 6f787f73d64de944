"""The one shape every stage reports a doubt in; it becomes `warnings` in the JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    table: str | None = None
    item: str | None = None
    field: str | None = None
    page: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None or k in ("table", "item", "field")}
