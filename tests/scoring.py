"""Compare converted records with hand-checked or generated ones, field by field."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

TEXT = ("area_for_improvement", "lead", "action", "by_when", "progress", "monitoring", "evidence_of_impact")


def norm(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(map(str, value))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value))).strip()


def item_key(value: Any) -> str:
    return norm(value).rstrip(".")


@dataclass
class Score:
    records: int = 0
    found: int = 0
    spurious: int = 0
    text_total: int = 0
    text_ok: int = 0
    para_ok: int = 0
    due_ok: int = 0
    rag_total: int = 0
    rag_ok: int = 0
    lead_total: int = 0
    lead_ok: int = 0
    misses: list[str] = field(default_factory=list)

    def rate(self, what: str) -> float:
        totals = {"text": self.text_total, "para": self.found, "due": self.found, "rag": self.rag_total,
                  "lead": self.lead_total, "found": self.records}
        hits = {"text": self.text_ok, "para": self.para_ok, "due": self.due_ok, "rag": self.rag_ok,
                "lead": self.lead_ok, "found": self.found}
        return hits[what] / totals[what] if totals[what] else 1.0


def _pick(gold: list[dict[str, Any]], tables: list[dict[str, Any]]) -> dict[str, Any]:
    want = {item_key(r["item"]) for r in gold}
    bp = any(r.get("business_plan_ref") for r in gold)

    def fit(t: dict[str, Any]) -> float:
        items = {item_key(r.get("item")) for r in t["records"]}
        bonus = 0.5 if bp == any(r.get("business_plan_ref") for r in t["records"]) else 0
        return len(want & items) - 0.001 * len(items - want) + bonus

    return max(tables, key=fit) if tables else {"records": []}


def score(gold_tables: list[dict[str, Any]], out_tables: list[dict[str, Any]]) -> Score:
    s = Score()
    pairs: list[tuple[list[str], list[str]]] = []
    for gt in gold_tables:
        gold = gt["records"]
        table = _pick(gold, out_tables)
        by_item: dict[str, list[dict[str, Any]]] = {}
        for r in table["records"]:
            by_item.setdefault(item_key(r.get("item")), []).append(r)
        want = {item_key(r["item"]) for r in gold}
        s.spurious += sum(len(v) for k, v in by_item.items() if k not in want)
        for g in gold:
            s.records += 1
            got = by_item.get(item_key(g["item"]), [])
            if len(got) != 1:
                s.misses.append(f"{g['item']}: found {len(got)} times")
                continue
            s.found += 1
            o = got[0]
            for f in TEXT:
                if f in g:
                    s.text_total += 1
                    if norm(o.get(f)) == norm(g[f]):
                        s.text_ok += 1
                    else:
                        s.misses.append(f"{g['item']}.{f}: {norm(o.get(f))!r} != {norm(g[f])!r}")
            refs = sorted(x.rstrip("?") for x in o.get("inspection_para_refs") or [])
            if norm(o.get("inspection_para")) == norm(g.get("inspection_para")) and refs == sorted(
                g.get("inspection_para_refs") or []
            ):
                s.para_ok += 1
            else:
                s.misses.append(f"{g['item']}.para: {o.get('inspection_para')} {refs}")
            if list(o.get("due_dates") or []) == list(g.get("due_dates") or []):
                s.due_ok += 1
            else:
                s.misses.append(f"{g['item']}.due_dates: {o.get('due_dates')} != {g.get('due_dates')}")
            if g.get("rag_raw") != "GA":
                s.rag_total += 1
                if (o.get("rag") or None) == g.get("rag"):
                    s.rag_ok += 1
                else:
                    s.misses.append(f"{g['item']}.rag: {o.get('rag')} != {g.get('rag')}")
            if g.get("lead_canonical"):
                pairs.append((g["lead_canonical"], list(o.get("lead_canonical") or [])))
    # leads: output names map one-to-one onto gold names; a record counts when its set maps exactly
    co = Counter((a, b) for g, o in pairs for a in set(o) for b in set(g))
    amap: dict[str, str] = {}
    used: set[str] = set()
    for (a, b), _ in co.most_common():
        if a not in amap and b not in used:
            amap[a] = b
            used.add(b)
    s.lead_total = len(pairs)
    s.lead_ok = sum(1 for g, o in pairs if sorted({amap.get(a, "?" + a) for a in o}) == sorted(set(g)))
    return s
