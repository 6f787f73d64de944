"""Version pairs with known edits, as councils make them between two publications of a plan.

`edit_plan` returns the new records and the changes a correct diff reports, in the
scorer's terms: (old item, new item, kind, field) with `due` standing for the deadline
fields and renumbered pairs kept apart.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

from synth import WORDS, by_when, sentence

DUE_ALIASES = {"by_when": "due", "due": "due", "due_dates": "due", "rag_raw": "rag"}
EDITS = ("rag", "deadline", "progress", "reword", "drop", "add", "insert")


@dataclass
class Edited:
    records: list[dict[str, Any]]
    changes: set[tuple[str | None, str | None, str, str | None]] = field(default_factory=set)
    renumbered: set[tuple[str, str]] = field(default_factory=set)
    made: list[str] = field(default_factory=list)


def _reword(rng: random.Random, text: str) -> str:
    """One word swapped for another: the kind of edit that keeps an action the same action."""
    words = text.rstrip(".").split()
    k = rng.randrange(1, len(words)) if len(words) > 1 else 0
    words[k] = rng.choice([w for w in WORDS if w != words[k].lower()])
    return " ".join(words) + "."


def edit_plan(records: list[dict[str, Any]], seed: int, n_edits: int = 6,
              kinds: tuple[str, ...] = EDITS) -> Edited:
    """Apply `n_edits` random edits to a copy of `records` (numbered items)."""
    rng = random.Random(seed)
    new = copy.deepcopy(records)
    for r in new:
        r["_old"] = r["item"]
    touched: set[str] = set()  # old items already edited: one edit of a kind per record keeps it clear
    made: list[str] = []
    fields_changed: dict[str, set[str]] = {}
    added: list[dict[str, Any]] = []
    for _ in range(n_edits):
        kind = rng.choice(kinds)
        pool = [r for r in new if r.get("_old") and r["_old"] not in touched]
        if not pool:
            break
        r = rng.choice(pool)
        if kind == "rag":
            r["rag"] = rng.choice([x for x in "RAGB" if x != r.get("rag")])
            if "rag_raw" in r:  # a contract record: the rating as printed goes with it
                r["rag_raw"] = r["rag"]
            fields_changed.setdefault(r["_old"], set()).add("rag")
        elif kind == "deadline":
            text, dates = by_when(rng)
            if dates == r["due_dates"] or text == r["by_when"]:
                continue
            r["by_when"], r["due_dates"] = text, dates
            if "due" in r:
                r["due"] = max(dates) if dates else None
            fields_changed.setdefault(r["_old"], set()).add("due")
        elif kind == "progress":
            r["progress"] = f"{r['progress']} {sentence(rng, 6, 16)}".strip()
            fields_changed.setdefault(r["_old"], set()).add("progress")
        elif kind == "reword":
            r["action"] = _reword(rng, r["action"])
            fields_changed.setdefault(r["_old"], set()).add("action")
        elif kind == "drop":
            if len(new) < 4:
                continue
            new.remove(r)
            made.append(f"drop {r['_old']}")
        else:  # add at the end, or insert mid-plan and renumber what follows
            at = len(new) if kind == "add" else new.index(r)
            base = new[at - 1] if at else new[0]
            text, dates = by_when(rng)
            rec = dict(copy.deepcopy(base), _old=None, action=sentence(rng, 8, 30), by_when=text, due_dates=dates,
                       progress=sentence(rng, 5, 20), monitoring=sentence(rng, 3, 12))
            new.insert(at, rec)
            added.append(rec)
            made.append(f"{kind} at {at + 1}")
        touched.add(r["_old"])
        if kind not in ("drop", "add", "insert"):
            made.append(f"{kind} {r['_old']}")
    if any(m.startswith("insert") for m in made):  # the council renumbers what follows
        for k, r in enumerate(new, 1):
            r["item"] = str(k)
    else:  # gaps stay where records were dropped; additions take the next number
        last = max(int(r["item"]) for r in records)
        for r in new:
            if r["_old"] is None:
                last += 1
                r["item"] = str(last)
    out = Edited(new, made=made)
    kept = {r["_old"] for r in new if r.get("_old")}
    for r in records:
        if r["item"] not in kept:
            out.changes.add((r["item"], None, "removed", None))
    for r in new:
        old = r.pop("_old")
        if old is None:
            out.changes.add((None, r["item"], "added", None))
            continue
        if old != r["item"]:
            out.renumbered.add((old, r["item"]))
        for f in fields_changed.get(old, ()):
            out.changes.add((old, r["item"], "changed", f))
    return out


def tool_changes(doc: dict[str, Any]) -> tuple[set[tuple[Any, ...]], set[tuple[str, str]]]:
    """A changes document in the same terms as `Edited` (as the project's scorer reads it)."""
    out: set[tuple[Any, ...]] = set()
    ren: set[tuple[str, str]] = set()
    for c in doc["changes"]:
        o, n, kind = c["old_item"], c["new_item"], c["kind"]
        if o and n and o != n:
            ren.add((o, n))
        if kind == "changed":
            for f in {DUE_ALIASES.get(f, f) for f in c["fields"]}:
                out.add((o, n, kind, f))
        elif kind != "renumbered":
            out.add((o, n, kind, None))
    return out, ren
