""""By When" text -> due dates ("YYYY-MM", or "YYYY-MM-DD" where the plan gives a day).

Plans write deadlines every way: "Octob er 2014", "Sept 2023 (revised Dec 2023)",
"September 2015 January / February 2016", "End of Q2 2023/24", "31/03/2016", "Ongoing".
Every date written is returned in the order written; the last is the one that counts now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process

from actionplan.normalisers.text import MONTHS, fix_lookalikes

_ABBREV = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12, "febr": 2, "augt": 8,
}
# Words that mean "no date" on purpose; the text stays in by_when, due_dates is empty.
STATUS_WORDS = (
    "ongoing", "on going", "on-going", "complete", "completed", "closed", "done", "tbc", "tba",
    "tbd", "to be confirmed", "to be agreed", "n/a", "continuous", "continual", "monthly",
    "quarterly", "annually", "annual", "weekly", "as required", "in place", "achieved",
)

_TOKEN = re.compile(
    r"(?P<dmy>\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2}))(?!\d)"
    r"|(?P<q>q[1-4])"
    r"|(?P<fy>\d{4}\s*[/\-]\s*\d{2,4}|\d{2}/\d{2})(?!\d)"
    r"|(?P<num>\d+)(?:st|nd|rd|th)?"
    r"|(?P<word>[a-z]+)"
)


def month_of(word: str) -> int | None:
    """Month number of a name, abbreviation or misspelling ("Setpember" -> 9)."""
    w = word.lower().rstrip(".")
    if w in _ABBREV:
        return _ABBREV[w]
    if w in MONTHS:
        return MONTHS.index(w) + 1
    if len(w) >= 5:
        hit = process.extractOne(w, MONTHS, scorer=fuzz.ratio, score_cutoff=78)
        if hit:
            return MONTHS.index(hit[0]) + 1
    return None


@dataclass
class DueDates:
    dates: list[str] = field(default_factory=list)
    status: str | None = None
    unparsed: str | None = None  # text that looked like a date but could not be read
    text: str | None = None  # the cell as read, a month a narrow column broke rejoined

    @property
    def due(self) -> str | None:
        return self.dates[-1] if self.dates else None


def _year(token: str) -> int | None:
    if len(token) == 4 and token[:2] in ("19", "20"):
        return int(token)
    if len(token) == 2:
        return 2000 + int(token)
    return None


def _fy_end_year(token: str) -> int | None:
    """Second year of a financial year written "2023/24", "2023-2024" or "23/24"."""
    parts = re.split(r"\s*[/\-]\s*", token)
    if len(parts) != 2:
        return None
    a, b = parts
    start = int(a) if len(a) == 4 else 2000 + int(a)
    end = int(b) if len(b) == 4 else (start // 100) * 100 + int(b)
    return end if end == start + 1 else None


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _ymd(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _exact_month(word: str) -> bool:
    return word in MONTHS or word in _ABBREV


def rejoin_month_fragments(text: str) -> str:
    """ "Decembe r 2017" -> "December 2017", "OCTOB ER" -> "OCTOBER", "De cem be r" ->
    "December": a month name a narrow column broke into pieces. The one place months are
    rejoined: `split_by_when` reads the text this gives, and the record keeps it. Pieces join
    only into a whole month name, and never when each piece is a month already ("May June")."""
    words = re.split(r"( )", text)  # words at even places, the single spaces between at odd
    out: list[str] = []
    i = 0
    while i < len(words):
        for k in range(min(_MAX_PIECES, (len(words) - i + 1) // 2), 1, -1):
            pieces = words[i : i + 2 * k : 2]
            if _month_pieces(pieces):
                out.append("".join(pieces))
                i += 2 * k - 1
                break
        else:
            out.append(words[i])
            i += 1
    return "".join(out)


_MAX_PIECES = 5


def _month_pieces(pieces: list[str]) -> bool:
    if not all(p.isascii() and p.isalpha() for p in pieces):
        return False
    rest = pieces[1:]
    if not (all(p.islower() for p in rest) or all(p.isupper() for p in pieces)):
        return False
    return _exact_month("".join(pieces).lower()) and not all(_exact_month(p.lower()) for p in pieces)


def _status_word(low: str) -> str | None:
    """"Ongoing", "Complete", "TBC": what the cell says instead of (or beside) a date."""
    for word in STATUS_WORDS:
        if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", low):
            return word
    return None


class _DateReader:
    """Walks a cell's tokens left to right, one reading rule per kind of token. A month
    without its year waits for the next year written: "January / February 2016"."""

    def __init__(self, tokens: list[tuple[str, str]], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.dates: list[str] = []
        self.pending: list[int] = []
        self.last_year: int | None = None
        self.unparsed: str | None = None

    def tok(self, k: int) -> tuple[str, str]:
        return self.tokens[k] if k < len(self.tokens) else ("", "")

    def emit(self, iso: str | None, year: int, month: int) -> None:
        # a waiting month later in the year than this one belongs to the year before
        for pm in self.pending:
            self.dates.append(_ym(year if pm <= month else year - 1, pm))
        self.pending.clear()
        if iso:
            self.dates.append(iso)
        self.last_year = year

    def day_month_year(self, i: int) -> int:
        """"25/04/2023", "1.9.15"."""
        d, m, y = (int(p) for p in re.split(r"[/.\-]", self.tokens[i][1]))
        y = y if y > 99 else 2000 + y
        iso = _ymd(y, m, d)
        if iso:
            self.emit(iso, y, m)
        else:
            self.unparsed = self.tokens[i][1]
        return 1

    def quarter(self, i: int) -> int:
        """"Q3 2015/16", "Q1 2016": UK financial quarters, taken at their last month."""
        quarter = int(self.tokens[i][1][1])
        nxt = self.tok(i + 1)
        fy_end, step = None, 1
        if nxt[0] == "fy":
            fy_end, step = _fy_end_year(nxt[1]), 2
        elif nxt[0] == "num" and _year(nxt[1]) and len(nxt[1]) == 4:
            fy_end, step = (_year(nxt[1]) or 0) + 1, 2
        if fy_end:
            # Q1 is April-June ... Q4 January-March
            month = 3 * quarter + 3 if quarter < 4 else 3
            year = fy_end - 1 if quarter < 4 else fy_end
            self.emit(_ym(year, month), year, month)
        else:
            self.unparsed = self.text.strip()
        return step

    def day_then_month(self, i: int) -> int:
        """"31st July 2023", or "15 March" waiting for its year."""
        m = month_of(self.tok(i + 1)[1]) or 0
        after = self.tok(i + 2)
        yr = _year(after[1]) if after[0] == "num" and len(after[1]) in (2, 4) else None
        if yr:
            self.emit(_ymd(yr, m, int(self.tokens[i][1])), yr, m)
            return 3
        self.pending.append(m)
        return 2

    def month(self, i: int) -> int:
        """"October 2015", "October 15 2015", "Mar-24", or a month waiting for its year."""
        m = month_of(self.tokens[i][1]) or 0
        nxt, after = self.tok(i + 1), self.tok(i + 2)
        if nxt[0] == "num" and len(nxt[1]) == 4 and _year(nxt[1]):
            y = _year(nxt[1]) or 0
            self.emit(_ym(y, m), y, m)
            return 2
        if nxt[0] == "num" and len(nxt[1]) <= 2 and after[0] == "num" and len(after[1]) == 4:
            y = int(after[1])
            self.emit(_ymd(y, m, int(nxt[1])), y, m)
            return 3
        if nxt[0] == "num" and len(nxt[1]) == 2:
            y = 2000 + int(nxt[1])  # a two-digit year
            self.emit(_ym(y, m), y, m)
            return 2
        self.pending.append(m)
        return 1

    def read(self) -> None:
        i = 0
        while i < len(self.tokens):
            kind, value = self.tokens[i]
            nxt = self.tok(i + 1)
            if kind == "dmy":
                i += self.day_month_year(i)
            elif kind == "q":
                i += self.quarter(i)
            elif kind == "num" and nxt[0] == "word" and month_of(nxt[1]) and int(value) <= 31:
                i += self.day_then_month(i)
            elif kind == "word" and month_of(value):
                i += self.month(i)
            else:
                i += 1
        if self.pending:  # months still waiting take the last year written
            if self.last_year is not None:
                self.dates.extend(_ym(self.last_year, pm) for pm in self.pending)
            else:
                self.unparsed = self.text.strip()


def split_by_when(text: str | None) -> DueDates:
    """Every date in a "By When" cell, in the order written."""
    result = DueDates()
    if not text or not text.strip():
        return result
    text = result.text = rejoin_month_fragments(text)
    low = fix_lookalikes(text).lower().replace("\u2013", " - ").replace("\u2014", " - ")
    low = re.sub(r"(?<=[a-z])[!|](?![a-z0-9])", "l", low)  # "Apri! 2019": a scan's "l" read as "!"
    result.status = _status_word(low)
    reader = _DateReader([(m.lastgroup or "", m.group(m.lastgroup or 0)) for m in _TOKEN.finditer(low)], text)
    reader.read()
    result.dates, result.unparsed = reader.dates, reader.unparsed
    if not result.dates and not result.status and result.unparsed is None and re.search(r"[a-z0-9]", low):
        result.unparsed = text.strip()
    return result
