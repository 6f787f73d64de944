"""What changed between two versions of a plan: `diff(old, new) -> Changes`.

Councils republish the same plan with progress written in, ratings moved and deadlines
revised; they also insert actions and renumber the rest, drop finished ones and reword.
So records are matched by what they say (action, area, paragraph, lead), the item number
only breaking ties, and a pair the text does not make certain is flagged `uncertain-match`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from actionplan.pipeline.settings import Settings, as_settings
from actionplan.schemas.contract import Record
from actionplan.schemas.errors import ConfigError, InputError
from actionplan.schemas.records import due_date, is_done, overdue

CHANGES_SCHEMA_VERSION = 1

# Record fields compared, in the order a reader wants them; `due` is compared beside `by_when`.
COMPARED: tuple[str, ...] = (
    "inspection_para", "business_plan_ref", "area_for_improvement", "lead", "action",
    "by_when", "due", "progress", "rag", "monitoring", "evidence_of_impact",
)
KINDS = ("added", "removed", "changed", "renumbered")
# how a kind is counted where flags are counted beside it: kind "renumbered" is a record whose
# number alone changed, flag "renumbered" every record whose number changed
KIND_LABELS = {"renumbered": "renumbered only"}
FLAGS = ("rag-worse", "rag-better", "slipped", "brought-forward", "overdue-not-updated", "new", "closed",
         "renumbered", "uncertain-match")
# best to worst: B (complete) < G < A < R
RAG_ORDER = {"B": 0, "G": 1, "A": 2, "R": 3}


@dataclass(frozen=True)
class MatchSettings:
    """How records of two versions are paired.

    threshold: similarity (0-1) a pair must reach to be the same record.
    sure: below this a pair is flagged `uncertain-match`.
    min_action: the actions' own similarity a pair needs when both have one: a new action
        written under the same area and lead is an addition, not an edit.
    weights: how much each field counts; fields a plan lacks are left out of the sum.
    tie: pairs whose similarity differs by less than this are told apart by the item number
        (then by position): numbers help, they never outweigh the words.
    action_sure: an action less alike than this also makes a pair uncertain, however alike
        the rest of the record is.
    plan_threshold: similarity of title and columns two plans need to be the same plan.
    """

    threshold: float = 0.6
    sure: float = 0.85
    min_action: float = 0.5
    weights: tuple[tuple[str, float], ...] = (
        ("action", 0.5), ("area_for_improvement", 0.25), ("inspection_para", 0.15), ("lead", 0.1))
    tie: float = 0.005
    action_sure: float = 0.7
    plan_threshold: float = 0.5

    def __post_init__(self) -> None:
        for name in ("threshold", "sure", "min_action", "plan_threshold", "tie", "action_sure"):
            if not 0 <= getattr(self, name) <= 1:
                raise ConfigError(f"match setting {name} must be between 0 and 1, not {getattr(self, name)}")


@dataclass
class Version:
    """One side of a comparison: the plans of a conversion, from a PDF or its JSON."""

    file: str
    sha256: str | None
    tables: list[dict[str, Any]]
    path: Path

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256}


@dataclass
class Change:
    """One record that differs between versions (or, kind `unchanged`, one that is flagged anyway)."""

    plan: str | None
    plan_id: str
    kind: str
    old_item: str | None
    new_item: str | None
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    match: float | None = None
    lead: list[str] = field(default_factory=list)
    action: str | None = None
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"plan": self.plan, "plan_id": self.plan_id, "old_item": self.old_item, "new_item": self.new_item,
                "kind": self.kind, "fields": self.fields, "flags": self.flags,
                "match": None if self.match is None else round(self.match, 3), "lead": self.lead,
                "action": self.action}


@dataclass
class Changes:
    """Everything `diff` found; `to_dict()` is the changes contract (schemas/changes.schema.json)."""

    old: Version
    new: Version
    as_of: date
    changes: list[Change]
    unchanged: list[Change]
    plans: list[dict[str, Any]]

    @property
    def flagged(self) -> list[Change]:
        """Changes, then unchanged records that carry a flag: what an analyst looks at."""
        return self.changes + [c for c in self.unchanged if c.flags]

    def to_dict(self) -> dict[str, Any]:
        from actionplan.schemas.contract import TOOL_VERSION

        return {
            "schema_version": CHANGES_SCHEMA_VERSION,
            "tool": {"name": "actionplan", "version": TOOL_VERSION},
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "as_of": self.as_of.isoformat(),
            "plans": self.plans,
            "changes": [c.to_dict() for c in self.changes],
            "unchanged": [{"plan": c.plan, "plan_id": c.plan_id, "old_item": c.old_item, "new_item": c.new_item,
                           "flags": c.flags} for c in self.unchanged],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


# ---------------------------------------------------------------- reading a version

def load_version(path: str | Path, settings: Settings | None = None, *,
                 progress: Callable[[str, int, int], None] | None = None) -> Version:
    """A plan PDF (converted now; `progress` as `convert` takes it) or a JSON file this tool wrote."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=path, hint="check the path")
    if path.suffix.lower() == ".json":
        return _version_from_json(path)
    from actionplan.pipeline.core import convert

    result = convert(path, settings, progress=progress)
    return Version(path.name, result.sha256, result.to_dict()["tables"], path)


def _version_from_json(path: Path) -> Version:
    from actionplan.schemas.contract import SCHEMA_VERSION

    hint = "pass a plan PDF or the <stem>.json that `actionplan convert` wrote"
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read the JSON ({exc.__class__.__name__.lower()})", file=path, hint=hint) from exc
    if not (isinstance(doc, dict) and isinstance(doc.get("tables"), list)
            and all(isinstance(t, dict) and isinstance(t.get("records"), list) for t in doc["tables"])):
        raise InputError("not a conversion written by actionplan (no tables of records)", file=path, hint=hint)
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise InputError(f"written with record schema version {doc.get('schema_version')!r}, this tool reads "
                         f"{SCHEMA_VERSION}", file=path, hint="convert the PDF again with this version")
    source = doc.get("source") or {}
    return Version(str(source.get("file") or path.name), source.get("sha256"), doc["tables"], path)


# ---------------------------------------------------------------- matching

def _norm(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_norm(v) for v in value)
    return re.sub(r"\s+", " ", str(value)).strip()


# a line broken at a hyphen or a slash reads "re - audit", "re -audit" or "re-audit"
_BROKEN_AT = re.compile(r"\s*([-\u00ad\u2010-\u2015\u2212/])\s*")
_DASH_FORMS = re.compile(r"[\u2010-\u2015\u2212]")


def same_words(a: Any, b: Any) -> bool:
    """The same words where only the line breaks differ: a PDF's line break is a space, and
    a line broken at a hyphen or slash leaves spaces on either side of it or not ("re - audit",
    "re -audit", "re-audit" are one word). Other spaces count: "a part" is not "apart" and
    "1 2" is not "12"."""
    def key(value: Any) -> str:
        text = _BROKEN_AT.sub(lambda m: "/" if m.group(1) == "/" else "-", _norm(value))
        return _DASH_FORMS.sub("-", text.replace("-\u00ad", "-").replace("\u00ad", ""))

    return key(a) == key(b)


def _similar(a: Any, b: Any) -> float:
    from rapidfuzz import fuzz
    from rapidfuzz.utils import default_process

    x, y = _norm(a), _norm(b)
    if not x and not y:
        return 1.0
    return fuzz.ratio(x, y, processor=default_process) / 100


def _lead_key(record: dict[str, Any]) -> str:
    return _norm(record.get("lead_canonical") or record.get("lead")).lower()


def record_similarity(old: dict[str, Any], new: dict[str, Any], opts: MatchSettings) -> float:
    """How alike two records' own words are (0-1), over the fields either has."""
    total = weight = 0.0
    for name, w in opts.weights:
        a, b = old.get(name), new.get(name)
        if not _norm(a) and not _norm(b):
            continue
        if name == "lead":
            s = 1.0 if _lead_key(old) == _lead_key(new) else _similar(a, b)
        elif name == "inspection_para":
            s = 1.0 if _norm(a) == _norm(b) else 0.0
        else:
            s = _similar(a, b)
        total += w * s
        weight += w
    a, b = old.get("action"), new.get("action")
    if _norm(a) and _norm(b) and _similar(a, b) < opts.min_action:
        return 0.0
    return total / weight if weight else 0.0


def pair_records(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]],
                 opts: MatchSettings) -> list[tuple[int, int, float]]:
    """Greedy best-first pairing: the most alike pair first; same item and nearby position break ties."""
    candidates = []
    for i, o in enumerate(old):
        for j, n in enumerate(new):
            s = record_similarity(o, n, opts)
            if s < opts.threshold:
                continue
            level = math.floor(s / opts.tie) if opts.tie else s
            same = _norm(o.get("item")) == _norm(n.get("item"))
            rank = abs(i / max(len(old), 1) - j / max(len(new), 1))
            candidates.append((level, same, -rank, i, j, s))
    candidates.sort(reverse=True)
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for *_, i, j, s in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, s))
    return sorted(pairs, key=lambda p: p[1])


def _plan_similarity(old: dict[str, Any], new: dict[str, Any]) -> float:
    cols_a = {c.get("field") for c in old.get("columns") or [] if c.get("field")}
    cols_b = {c.get("field") for c in new.get("columns") or [] if c.get("field")}
    cols = len(cols_a & cols_b) / len(cols_a | cols_b) if cols_a | cols_b else 1.0
    return 0.5 * _similar(old.get("title"), new.get("title")) + 0.5 * cols


def pair_plans(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]],
               opts: MatchSettings) -> list[tuple[int | None, int | None]]:
    """Plans paired by title and columns; one plan on each side is always the same plan."""
    if len(old) == 1 and len(new) == 1:
        return [(0, 0)]
    scored = sorted(((_plan_similarity(o, n), -abs(i - j), i, j) for i, o in enumerate(old)
                     for j, n in enumerate(new)), reverse=True)
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[tuple[int | None, int | None]] = []
    for s, _, i, j in scored:
        if s >= opts.plan_threshold and i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
    pairs += [(None, j) for j in range(len(new)) if j not in used_new]
    pairs.sort(key=lambda p: p[1] if p[1] is not None else len(new))
    return pairs + [(i, None) for i in range(len(old)) if i not in used_old]


# ---------------------------------------------------------------- comparing

def _due(record: dict[str, Any]) -> date | None:
    try:
        return due_date(cast(Record, record), end_of_month=True)
    except (TypeError, ValueError):
        return None


def compare_records(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields whose meaning changed: leads by canonical title where known, ratings by letter."""
    fields: dict[str, dict[str, Any]] = {}
    for name in COMPARED:
        a, b = old.get(name), new.get(name)
        if name == "lead" and (old.get("lead_canonical") or new.get("lead_canonical")):
            same = _lead_key(old) == _lead_key(new)
        else:
            same = same_words(a, b)
        if not same:
            fields[name] = {"old": a, "new": b}
    return fields


def change_flags(old: dict[str, Any] | None, new: dict[str, Any] | None, as_of: date) -> list[str]:
    if old is None:
        return ["new"]
    if new is None:
        return ["closed"]
    was, now = cast(Record, old), cast(Record, new)  # as read back from the JSON contract
    flags = []
    a, b = RAG_ORDER.get(old.get("rag") or ""), RAG_ORDER.get(new.get("rag") or "")
    if a is not None and b is not None and a != b:
        flags.append("rag-worse" if b > a else "rag-better")
    d_old, d_new = _due(old), _due(new)
    if d_old and d_new and d_old != d_new:
        flags.append("slipped" if d_new > d_old else "brought-forward")
    # overdue, and nothing written or rated since: a moved rating is an update
    if (overdue(now, as_of) and same_words(old.get("progress"), new.get("progress"))
            and (old.get("rag") or None) == (new.get("rag") or None)):
        flags.append("overdue-not-updated")
    if is_done(now) and not is_done(was):
        flags.append("closed")
    return flags


def _compare_plan(old_t: dict[str, Any] | None, new_t: dict[str, Any] | None, as_of: date,
                  opts: MatchSettings) -> tuple[list[Change], list[Change], dict[str, Any]]:
    t = new_t or old_t or {}
    title, plan_id = t.get("title"), str(t.get("id") or "")
    olds = (old_t or {}).get("records") or []
    news = (new_t or {}).get("records") or []
    pairs = pair_records(olds, news, opts) if olds and news else []

    def make(kind: str, o: dict[str, Any] | None, n: dict[str, Any] | None, **kw: Any) -> Change:
        r = n or o or {}
        return Change(title, plan_id, kind, _item(o) if o else None, _item(n) if n else None, old=o, new=n,
                      lead=list(r.get("lead_canonical") or ([r["lead"]] if r.get("lead") else [])),
                      action=r.get("action"), **kw)

    changes: list[Change] = []
    unchanged: list[Change] = []
    matched_old = {i for i, _, _ in pairs}
    matched_new = {j: (i, s) for i, j, s in pairs}
    for j, n in enumerate(news):
        if j in matched_new:
            i, s = matched_new[j]
            o = olds[i]
            fields = compare_records(o, n)
            flags = change_flags(o, n, as_of)
            renumbered = _item(o) != _item(n)
            if renumbered:
                flags.append("renumbered")
            if s < opts.sure or _similar(o.get("action"), n.get("action")) < opts.action_sure:
                flags.append("uncertain-match")
            kind = "changed" if fields else "renumbered" if renumbered else "unchanged"
            (unchanged if kind == "unchanged" else changes).append(make(kind, o, n, fields=fields, flags=flags,
                                                                         match=s))
        else:
            changes.append(make("added", None, n, flags=["new"]))
    # a dropped record is reported where it stood: after the record that preceded it
    for i, o in enumerate(olds):
        if i not in matched_old:
            changes.append(make("removed", o, None, flags=["closed"]))
    summary = {"title": title, "id": plan_id, "old_id": (old_t or {}).get("id"), "new_id": (new_t or {}).get("id"),
               "old_records": len(olds), "new_records": len(news)}
    return changes, unchanged, summary


def _item(record: dict[str, Any]) -> str | None:
    item = record.get("item")
    return None if item in (None, "") else str(item)


def diff(old: str | Path | Version, new: str | Path | Version, settings: Settings | None = None, *,
         as_of: date | None = None, match: MatchSettings | None = None, **overrides: Any) -> Changes:
    """Compare two versions of a plan (PDFs or JSON this tool wrote). Raises ActionPlanError."""
    opts = as_settings(settings, **overrides)
    match = match or MatchSettings()
    as_of = as_of or opts.as_of
    a = old if isinstance(old, Version) else load_version(old, opts)
    b = new if isinstance(new, Version) else load_version(new, opts)
    changes: list[Change] = []
    unchanged: list[Change] = []
    plans = []
    for i, j in pair_plans(a.tables, b.tables, match):
        c, u, summary = _compare_plan(a.tables[i] if i is not None else None,
                                      b.tables[j] if j is not None else None, as_of, match)
        changes += c
        unchanged += u
        plans.append(summary)
    return Changes(a, b, as_of, changes, unchanged, plans)


def changes_names(stem: str) -> list[str]:
    return [f"{stem}.changes.json", f"{stem}.changes.csv", f"{stem}.changes.xlsx"]


def write_changes(changes: Changes, outdir: str | Path, stem: str | None = None) -> list[Path]:
    """`<NEW stem>.changes.json`, `.csv` and `.xlsx`, all or nothing."""
    from actionplan.pipeline.compare.changes_book import build_changes_workbook, write_changes_csv
    from actionplan.pipeline.outputs.writers import atomic_files

    outdir = Path(outdir)
    names = changes_names(stem or changes.new.path.stem)
    book = build_changes_workbook(changes)
    with atomic_files(outdir) as open_:
        with open_(names[0]) as fh:
            fh.write(changes.to_json())
            fh.write("\n")
        with open_(names[1]) as fh:
            write_changes_csv(fh, changes)
        with open_(names[2], "wb") as fh:
            book.save(fh)
    return [outdir / n for n in names]
