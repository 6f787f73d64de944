"""Producers for the layout sweep beyond ReportLab and WeasyPrint (tests/synth.py): plans made
the way councils make them, in the programs they use.

Each module here is one producer and offers:

    random_layout(rng) -> dict      one point of its axes; "producer" names the module and
                                    "rules" the table style (the sweep groups by it)
    make(path, seed, layout, n=14) -> (pdf path, [PlanSpec, ...])
                                    the PDF, and the records a reader must get back from it
                                    (in the JSON contract's fields), one PlanSpec per plan
    available() -> str | None       None when the program it drives is installed, else why not

A producer makes plans as people make them there, awkward habits included: it never
sidesteps a case because the reader gets it wrong.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# the sweep's producers beyond tests/synth.py's two, by module name
NAMES = ("calc", "writer", "chromium")


def producer(name: str) -> ModuleType:
    return importlib.import_module(f"producers.{name}")


def installed() -> list[str]:
    """The producers whose program is on this machine."""
    out = []
    for name in NAMES:
        try:
            module = producer(name)
        except ImportError:
            continue
        if module.available() is None:
            out.append(name)
    return out
