"""actionplan: turn PDF inspection action plans into clean, validated records.

    >>> from actionplan import convert
    >>> result = convert("plan.pdf", leads="leads.csv")
    >>> result.tables[0].records[0]["due"]

Heavy libraries (Camelot, pandas) load on first use, so `import actionplan` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actionplan.pipeline.settings import Settings
from actionplan.schemas.errors import ActionPlanError, ConfigError, ExtractionError, InputError, ValidationFailed

if TYPE_CHECKING:
    from actionplan.pipeline.core import PlanTable, Result

__all__ = [
    "ActionPlanError",
    "ConfigError",
    "ExtractionError",
    "InputError",
    "PlanTable",
    "Result",
    "Settings",
    "ValidationFailed",
    "convert",
    "diff",
    "write_outputs",
]


def __getattr__(name: str) -> Any:
    if name in ("convert", "Result", "PlanTable"):
        from actionplan.pipeline import core

        return getattr(core, name)
    if name == "diff":
        from actionplan.pipeline.compare.diff import diff

        return diff
    if name == "write_outputs":
        from actionplan.pipeline.outputs.writers import write_outputs

        return write_outputs
    raise AttributeError(name)
