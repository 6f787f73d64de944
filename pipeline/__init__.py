"""actionplan: turn PDF inspection action plans into clean, validated records.

    >>> from pipeline import convert
    >>> result = convert("plan.pdf", leads="leads.csv")
    >>> result.tables[0].records[0]["due"]

Heavy libraries (Camelot, pandas) load on first use, so `import pipeline` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline.errors import ActionPlanError, ConfigError, ExtractionError, InputError, ValidationFailed
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.core import PlanTable, Result

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
    "write_outputs",
]


def __getattr__(name: str) -> Any:
    if name in ("convert", "Result", "PlanTable"):
        from pipeline import core

        return getattr(core, name)
    if name == "write_outputs":
        from pipeline.writers import write_outputs

        return write_outputs
    raise AttributeError(name)
