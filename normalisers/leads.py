"""Lead titles -> the organisation's canonical titles, so an analyst can filter by lead.

Titles come in many spellings ("Head of SEN", "Head of Special Needs", "Head of
Safeguarding (JB)") and a cell can name several leads. Matching is fuzzy after cleaning;
a cell is split into several leads only where the parts match better than the whole.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rapidfuzz import fuzz

from actionplan.schemas.errors import ConfigError, read_user_text

_INITIALS = re.compile(r"\(\s*(?:[A-Z]\.?\s*){1,4}\)")
# These always join two leads: no job title contains them.
_STRONG = re.compile(r"\s+in\s+conjunction\s+with\s+|\s+together\s+with\s+|\s+supported\s+by\s+|\s*;\s*", re.I)
# These may join two leads or sit inside one title ("Head of X and Y Development").
_WEAK = re.compile(r"\s+with\s+|\s+and\s+|\s*&\s*|\s*/\s*|\s*\+\s*|\s*,\s*", re.I)
_MAX_SPLITS = 6
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "to", "in", "at", "with", "on", "a"})
_ABBREVIATION = re.compile(r"\(\s*([A-Z][A-Za-z]{1,6}?)s?\s*\)")
_WORDS_BEFORE = re.compile(r"[A-Za-z][\w'’-]*")


def clean_lead(text: str | None) -> str:
    """A lead as written minus people's initials "(KP)" and stray punctuation."""
    if not text:
        return ""
    value = _INITIALS.sub(" ", text)
    value = re.sub(r"\s+", " ", value).strip(" ,;:-–/")
    return value


def match_key(text: str, expansions: dict[str, str] | None = None) -> str:
    """Lowercase words only: "&" and "and" agree, punctuation and dashes vanish, known
    abbreviations are spelt out ("sen" -> "special educational needs")."""
    value = text.lower().replace("&", " and ").replace("’", "'")
    value = re.sub(r"'s\b", "s", value)
    value = re.sub(r"[^a-z0-9]+", " ", value)
    words = value.split()
    if expansions:
        words = [w for word in words for w in expansions.get(word, word).split()]
    return " ".join(words)


def _initials_match(words: list[str], abbr: str) -> bool:
    letters = [w[0] for w in words if w.lower() not in _SMALL_WORDS]
    return "".join(letters).lower() == abbr.lower()


def find_abbreviations(texts: Iterable[str]) -> dict[str, str]:
    """Abbreviations the document defines itself: "special educational needs (SEN)"."""
    seen: Counter[tuple[str, str]] = Counter()
    for text in texts:
        if "(" not in text:
            continue
        for m in _ABBREVIATION.finditer(text):
            abbr = m.group(1)
            words = _WORDS_BEFORE.findall(text[max(0, m.start() - 120):m.start()])[-10:]
            for n in range(len(abbr), min(len(words), len(abbr) + 3) + 1):
                tail = words[-n:]
                if tail[0].lower() not in _SMALL_WORDS and _initials_match(tail, abbr):
                    seen[(abbr.lower(), match_key(" ".join(tail)))] += 1
                    break
    best: dict[str, tuple[int, str]] = {}
    for (abbr, expansion), count in seen.items():
        if count > best.get(abbr, (0, ""))[0]:
            best[abbr] = (count, expansion)
    return {abbr: expansion for abbr, (_, expansion) in best.items()}


def _abbreviations_from_alias(alias: str, canonical: str) -> dict[str, str]:
    """"Head of SEN" beside "Head of Special Educational Needs" defines SEN."""
    a, c = match_key(alias).split(), match_key(canonical).split()
    i = 0
    while i < min(len(a), len(c)) and a[i] == c[i]:
        i += 1
    j = 0
    while j < min(len(a), len(c)) - i and a[-1 - j] == c[-1 - j]:
        j += 1
    short, long_ = a[i:len(a) - j], c[i:len(c) - j]
    if len(short) == 1 and len(long_) >= 2 and _initials_match(long_, short[0]):
        return {short[0]: " ".join(long_)}
    return {}


def similarity(a: str, b: str) -> float:
    """How alike two match keys are (0-100), tolerant of typos and a dropped word."""
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    score = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    ta, tb = set(a.split()) - _SMALL_WORDS, set(b.split()) - _SMALL_WORDS
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    coverage = len(short) / len(long_) if long_ else 0.0
    if len(short) >= 3 and short <= long_ and coverage >= 0.6:
        # every word of one is in the other: a dropped or added qualifier
        score = max(score, 100.0 * (0.6 + 0.4 * coverage))
    return score


@dataclass(frozen=True)
class LeadList:
    """Canonical titles and the other spellings that mean them."""

    titles: tuple[tuple[str, str], ...]  # (spelling, canonical title)
    expansions: dict[str, str] = field(default_factory=dict)
    memo: dict[tuple[str, float], LeadMatch] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def names(self) -> dict[str, str]:
        """Match key -> canonical title, each spelling as written and with abbreviations spelt out."""
        out = {match_key(spelling): canonical for spelling, canonical in self.titles}
        if self.expansions:
            out.update({match_key(spelling, self.expansions): canonical for spelling, canonical in self.titles})
        return out

    @classmethod
    def load(cls, path: str | Path) -> LeadList:
        path = Path(path)
        import io

        text = read_user_text(path, "lead list")
        first = text.lstrip("\ufeff").split("\n", 1)[0]
        # Excel's "Unicode Text" is tab-separated: a tab and no comma in the first line says so
        delimiter = "\t" if "\t" in first and "," not in first else ","
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))
        titles: list[tuple[str, str]] = []
        expansions: dict[str, str] = {}
        for n, row in enumerate(rows, 1):
            if not row or not row[0].strip() or row[0].strip().startswith("#"):
                continue
            if n == 1 and row[0].strip().lower() == "canonical":
                continue
            canonical = row[0].strip()
            titles.append((canonical, canonical))
            for alias in (row[1].split("|") if len(row) > 1 else []):
                if alias.strip():
                    titles.append((alias.strip(), canonical))
                    expansions.update(_abbreviations_from_alias(alias, canonical))
        if not titles:
            raise ConfigError("the lead list has no titles", file=path,
                              hint="one canonical title a line, aliases after a comma, separated by |")
        return cls(tuple(titles), expansions)

    @classmethod
    def from_titles(cls, titles: Iterable[str], expansions: dict[str, str] | None = None) -> LeadList:
        return cls(tuple((t, t) for t in titles if match_key(t)), dict(expansions or {}))

    def with_expansions(self, more: dict[str, str]) -> LeadList:
        """The list, also spelling out abbreviations the document defines (the list's own win)."""
        return LeadList(self.titles, {**more, **self.expansions})

    def best(self, text: str) -> list[tuple[str, float]]:
        """Canonical titles by score, best first, one entry per title."""
        keys = {match_key(text), match_key(text, self.expansions)}
        scores: dict[str, float] = {}
        for name_key, canonical in self.names.items():
            s = max(similarity(key, name_key) for key in keys)
            if s > scores.get(canonical, -1):
                scores[canonical] = s
        return sorted(scores.items(), key=lambda kv: -kv[1])


@dataclass
class LeadMatch:
    canonical: list[str] = field(default_factory=list)
    review: str | None = None  # why a human should look


def _partitions(text: str) -> list[list[str]]:
    """Every way of cutting a lead at its weak separators, the whole first."""
    cuts = list(_WEAK.finditer(text))[:_MAX_SPLITS]
    out = [[text]]
    for r in range(1, len(cuts) + 1):
        for chosen in itertools.combinations(cuts, r):
            parts, start = [], 0
            for m in chosen:
                parts.append(text[start:m.start()])
                start = m.end()
            parts.append(text[start:])
            parts = [p.strip() for p in parts]
            if all(match_key(p) for p in parts):
                out.append(parts)
    return out


def _match_one(cleaned: str, leads: LeadList, threshold: float) -> LeadMatch:
    best_parts: list[tuple[str, float]] = []
    best_score = -1.0
    for parts in _partitions(cleaned):
        found = []
        for part in parts:
            ranked = leads.best(part)
            found.append(ranked[0] if ranked else (part, 0.0))
        score = min(s for _, s in found)
        # a split must beat the whole clearly, and every part must be a known title
        if len(parts) > 1 and (score < threshold or score <= best_score + 2):
            continue
        if score > best_score:
            best_parts, best_score = found, score
    if best_score >= threshold:
        return LeadMatch(list(dict.fromkeys(c for c, _ in best_parts)))
    ranked = leads.best(cleaned)[:3]
    options = ", ".join(f"{c} ({s:.0f})" for c, s in ranked) or "no lead list"
    return LeadMatch([cleaned], f"no confident match for {cleaned!r}; best: {options}")


def split_strong(cleaned: str) -> list[str]:
    """Parts joined by words that always mean two leads ("X in conjunction with Y")."""
    return [p.strip(" ,;:-–/") for p in _STRONG.split(cleaned) if p.strip(" ,;:-–/")]


def match_lead(text: str | None, leads: LeadList, threshold: float) -> LeadMatch:
    """Canonical titles for one lead cell, or the cleaned text marked for review."""
    cleaned = clean_lead(text)
    if not cleaned:
        return LeadMatch()
    known = leads.memo.get((cleaned, threshold))  # a plan names the same few leads again and again
    if known is not None:
        return LeadMatch(list(known.canonical), known.review)
    canonical: list[str] = []
    reviews: list[str] = []
    for part in split_strong(cleaned):
        got = _match_one(part, leads, threshold)
        canonical.extend(got.canonical)
        if got.review:
            reviews.append(got.review)
    match = LeadMatch(list(dict.fromkeys(canonical)), "; ".join(reviews) or None)
    leads.memo[(cleaned, threshold)] = match
    return LeadMatch(list(match.canonical), match.review)


def titles_run_together(text: str | None, leads: LeadList) -> tuple[str, str] | None:
    """Two of the list's titles printed one straight after the other, no "and", comma or
    slash between ("Strategic Business Intelligence Manager Independent Chair of the
    Board"): one lead cell does not write two leads so; two rows' cells read as one do."""
    names = leads.names
    # (a slash, comma, semicolon or plus between them lists two leads; so does "and")
    for part in re.split(r"[/,;|+\n]", clean_lead(text)):
        key = match_key(part)
        for a, first in names.items():
            if len(a.split()) < 2 or not key.startswith(a + " "):
                continue
            rest = key[len(a) + 1:]
            for b, second in names.items():
                if len(b.split()) >= 2 and second != first and (rest == b or rest.startswith(b + " ")):
                    return first, second
    return None


def _title_like(part: str, role_words: set[str]) -> bool:
    """Two words or more, starting with a word other leads start with ("Head", "Chair")."""
    words = match_key(part).split()
    return len(words) >= 2 and part[:1].isupper() and words[0] in role_words


def group_leads(values: Sequence[str], threshold: float, expansions: dict[str, str] | None = None) -> LeadList:
    """Without a lead list, leads are grouped among themselves; each group is named by
    its most frequent spelling.

    A spelling that combines others ("X and Y", "X/Y") counts for its parts instead: every
    part matches another spelling or reads as a title of its own (two words or more,
    starting with a word other leads start with, like "Head" or "Chair").
    """
    expansions = dict(expansions or {})
    counts: Counter[str] = Counter()
    for v in values:
        counts.update(split_strong(clean_lead(v)))
    role_words = {match_key(s).split()[0] for s in counts if match_key(s)}
    for spelling in sorted(counts, key=lambda s: counts[s]):
        others = LeadList.from_titles([o for o in counts if o != spelling and counts[o]], expansions)
        choice: tuple[int, float, list[str]] | None = None
        for parts in _partitions(spelling)[1:]:
            best = [(others.best(p)[:1] or [(p, 0.0)])[0] for p in parts]
            matched = [score >= threshold for _, score in best]
            if any(matched) and all(m or _title_like(p, role_words) for m, p in zip(matched, parts)):
                rank = (sum(matched), min(score for (_, score), m in zip(best, matched) if m))
                if choice is None or rank > choice[:2]:
                    choice = (*rank, [name if m else p for (name, _), m, p in zip(best, matched, parts)])
        if choice is not None:
            n = counts.pop(spelling)
            for part in choice[2]:
                counts[part] += n
    names: list[str] = []
    kept = LeadList.from_titles([], expansions)
    for title, _ in counts.most_common():
        if not match_key(title):
            continue
        if names and kept.best(title)[0][1] >= threshold:
            continue
        names.append(title)
        kept = LeadList.from_titles(names, expansions)
    return kept
