"""Lead titles -> the organisation's canonical titles, so an analyst can filter by lead.

Titles come in many spellings ("Head of LAC", "Head of Looked Children", "Head of
Fieldwork (KP)") and a cell can name several leads. Matching is fuzzy after cleaning;
a cell is split into several leads only where the parts match better than the whole.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from pipeline.errors import ConfigError

_INITIALS = re.compile(r"\(\s*(?:[A-Z]\.?\s*){1,4}\)")
_SEPARATORS = re.compile(
    r"\s+in\s+conjunction\s+with\s+|\s+together\s+with\s+|\s+supported\s+by\s+|\s+with\s+"
    r"|\s+and\s+|\s*&\s*|\s*/\s*|\s*;\s*|\s*\+\s*|\s*,\s*",
    re.I,
)
_MAX_SPLITS = 6


def clean_lead(text: str | None) -> str:
    """A lead as written minus people's initials "(KP)" and stray punctuation."""
    if not text:
        return ""
    value = _INITIALS.sub(" ", text)
    value = re.sub(r"\s+", " ", value).strip(" ,;:-–/")
    return value


def match_key(text: str) -> str:
    """Lowercase words only: "&" and "and" agree, punctuation and dashes vanish."""
    value = text.lower().replace("&", " and ").replace("’", "'")
    value = re.sub(r"'s\b", "s", value)
    value = re.sub(r"[^a-z0-9]+", " ", value)
    return re.sub(r"\s+", " ", value).strip()


def similarity(a: str, b: str) -> float:
    """How alike two match keys are (0-100), tolerant of typos and a dropped word."""
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    score = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    ta, tb = set(a.split()), set(b.split())
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) >= 3 and short <= long_:
        # every word of one is in the other: a dropped or added qualifier
        score = max(score, 100.0 * (0.75 + 0.25 * len(short) / len(long_)))
    return score


@dataclass(frozen=True)
class LeadList:
    """Canonical titles and the other spellings that mean them."""

    names: dict[str, str]  # match key -> canonical title

    @classmethod
    def load(cls, path: str | Path) -> LeadList:
        path = Path(path)
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                rows = list(csv.reader(fh))
        except OSError as exc:
            raise ConfigError(f"cannot read the lead list ({exc.strerror})", file=path,
                              hint="pass a CSV with columns canonical,aliases") from exc
        names: dict[str, str] = {}
        for n, row in enumerate(rows, 1):
            if not row or not row[0].strip() or row[0].strip().startswith("#"):
                continue
            if n == 1 and row[0].strip().lower() == "canonical":
                continue
            canonical = row[0].strip()
            names[match_key(canonical)] = canonical
            for alias in (row[1].split("|") if len(row) > 1 else []):
                if alias.strip():
                    names[match_key(alias)] = canonical
        if not names:
            raise ConfigError("the lead list has no titles", file=path,
                              hint="one canonical title a line, aliases after a comma, separated by |")
        return cls(names)

    @classmethod
    def from_titles(cls, titles: Iterable[str]) -> LeadList:
        return cls({match_key(t): t for t in titles if match_key(t)})

    def best(self, text: str) -> list[tuple[str, float]]:
        """Canonical titles by score, best first, one entry per title."""
        key = match_key(text)
        scores: dict[str, float] = {}
        for name_key, canonical in self.names.items():
            s = similarity(key, name_key)
            if s > scores.get(canonical, -1):
                scores[canonical] = s
        return sorted(scores.items(), key=lambda kv: -kv[1])


@dataclass
class LeadMatch:
    canonical: list[str] = field(default_factory=list)
    review: str | None = None  # why a human should look


def _partitions(text: str) -> list[list[str]]:
    """Every way of cutting a lead cell at its separators, the whole cell first."""
    cuts = list(_SEPARATORS.finditer(text))[:_MAX_SPLITS]
    out = [[text]]
    for r in range(1, len(cuts) + 1):
        for chosen in itertools.combinations(cuts, r):
            parts, start = [], 0
            for m in chosen:
                parts.append(text[start:m.start()])
                start = m.end()
            parts.append(text[start:])
            parts = [p.strip() for p in parts]
            if all(len(match_key(p).split()) >= 1 for p in parts) and all(parts):
                out.append(parts)
    return out


def match_lead(text: str | None, leads: LeadList, threshold: float) -> LeadMatch:
    """Canonical titles for one lead cell, or the cleaned text marked for review."""
    cleaned = clean_lead(text)
    if not cleaned:
        return LeadMatch()
    best_parts: list[tuple[str, float]] | None = None
    best_score = -1.0
    for parts in _partitions(cleaned):
        found = []
        for part in parts:
            ranked = leads.best(part)
            found.append(ranked[0] if ranked else (part, 0.0))
        score = min(s for _, s in found)
        # a split must beat the whole cell clearly, and every part must be a known title
        if len(parts) > 1 and (score < threshold or score <= best_score + 2):
            continue
        if score > best_score:
            best_parts, best_score = found, score
    assert best_parts is not None
    if best_score >= threshold:
        return LeadMatch(list(dict.fromkeys(c for c, _ in best_parts)))
    ranked = leads.best(cleaned)[:3]
    options = ", ".join(f"{c} ({s:.0f})" for c, s in ranked) or "no lead list"
    return LeadMatch([cleaned], f"no confident match for {cleaned!r}; best: {options}")


def group_leads(values: Sequence[str], threshold: float) -> LeadList:
    """Without a lead list, leads are grouped among themselves; each group is named by
    its most frequent spelling."""
    counts: Counter[str] = Counter()
    for v in values:
        cleaned = clean_lead(v)
        if cleaned:
            counts[cleaned] += 1
    names: list[str] = []
    keys: list[str] = []
    for title, _ in counts.most_common():
        key = match_key(title)
        if any(similarity(key, k) >= threshold for k in keys):
            continue
        names.append(title)
        keys.append(key)
    # a spelling that is only a combination of others ("X and Y") is not a group of its own
    base = LeadList.from_titles(names)
    singles = [n for n in names if len(match_lead(n, LeadList.from_titles([m for m in names if m != n]),
                                                   threshold).canonical) < 2]
    return LeadList.from_titles(singles) if singles else base
