"""Cell text: join wrapped lines, rejoin words a narrow column broke, undo look-alike characters.

Word wraps a long word inside a narrow column ("Octob" / "er 2014"); whether a line break
is a word boundary is decided from the document's own vocabulary (and the month names), never from a word list.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

# Greek and Cyrillic capitals/lowercase that render like Latin letters. A token is
# converted only when every non-Latin letter in it is a look-alike, so real Greek survives.
_LOOKALIKES = str.maketrans(
    {
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c",
        "х": "x", "у": "y", "і": "i", "ј": "j", "ѕ": "s",
    }
)
_LOOKALIKE_CHARS = frozenset(chr(k) for k in _LOOKALIKES)
_ANY_LOOKALIKE = re.compile("[" + "".join(sorted(_LOOKALIKE_CHARS)) + "]")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_TOKEN_EDGE = re.compile(r"[^\W_]+$")
_TOKEN_HEAD = re.compile(r"^[^\W_]+")
_HYPHENS = "-\u2010\u2011"
# an apostrophe's ending starting a line: "'s", "’ll"
_CLITIC = re.compile(r"['\u2019](?:s|t|d|m|ll|re|ve)\b", re.IGNORECASE)
_DATE_PIECE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{0,3}$|^\d{1,2}[/.]\d{0,2}$")
# the month names: dates are read from them (normalisers/dates.py), and a column narrower
# than one breaks it ("Sept" / "emb" / "er") where the plan may spell it nowhere whole
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
# words any plan's short cells use (a deadline's status, a rating's word): a narrow column
# breaks them ("Ongoi" / "ng", "Gr" / "ee" / "n") where the plan may write them nowhere whole
CELL_WORDS = (
    *MONTHS, "ongoing", "complete", "completed", "achieved", "continuous", "monthly", "quarterly", "annually",
    "red", "amber", "green", "blue", "purple", "overdue", "delayed", "tbc", "tba",
)
# a footnote mark may follow ("14/10/2023*": see the key under the table)
_DATE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.](?:\d{2}|\d{4})[.,;]?[*†‡]?$")


def fix_lookalikes(text: str) -> str:
    """Replace Greek/Cyrillic look-alikes inside otherwise Latin tokens ("Α" -> "A")."""
    if not _ANY_LOOKALIKE.search(text):
        return text

    def repl(match: re.Match[str]) -> str:
        token = match.group(0)
        foreign = [ch for ch in token if ch.isalpha() and not ch.isascii()]
        if foreign and all(ch in _LOOKALIKE_CHARS for ch in foreign):
            return token.translate(_LOOKALIKES)
        return token

    return re.sub(r"[^\W\d_]+", repl, text)


def tidy_chars(text: str) -> str:
    """Unicode form and invisible characters, without touching dashes or quotes."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # ligatures only: full NFKC would also rewrite superscripts and fractions
    for lig, rep in (("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬀ", "ff"), ("ﬃ", "ffi"), ("ﬄ", "ffl")):
        text = text.replace(lig, rep)
    return text


class Vocabulary:
    """Word counts from the document's own text.

    `exact` counts words read where they are certainly whole (not touching a line break);
    `seen` counts every token, lowercased: a string seen as a whole token anywhere is a word.
    """

    def __init__(self, exact: Counter[str] | None = None, seen: Counter[str] | None = None,
                 written: Counter[str] | None = None, breaks: Counter[tuple[str, str]] | None = None) -> None:
        self.exact: Counter[str] = exact or Counter()
        self.seen: Counter[str] = seen or Counter(w.lower() for w in self.exact.elements())
        self.written: Counter[str] = written or Counter(self.exact)  # every token, as written
        # (last word of a line, first word of the next) where the two touch with no space
        self.breaks: Counter[tuple[str, str]] = breaks or Counter()
        self.joined: dict[str, str] = {}  # cell text -> cleaned text, as every stage asks again

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        exact: Counter[str] = Counter()
        seen: Counter[str] = Counter()
        written: Counter[str] = Counter()
        breaks: Counter[tuple[str, str]] = Counter()
        for text in texts:
            lines = tidy_chars(text).split("\n")
            for i, line in enumerate(lines):
                words = _WORD.findall(line)
                if not words:
                    continue
                seen.update(w.lower() for w in words)
                written.update(words)
                # a word touching a line break with no space may be half of a broken word
                if i < len(lines) - 1 and not line[-1:].isspace() and lines[i + 1].strip():
                    below = _WORD.findall(lines[i + 1])
                    if below and not lines[i + 1][:1].isspace():
                        breaks[(words[-1].lower(), below[0].lower())] += 1
                    words = words[:-1]
                if i > 0 and lines[i - 1].strip() and not lines[i - 1][-1:].isspace():
                    words = words[1:]
                exact.update(words)
        return cls(exact, seen, written, breaks)

    def with_words(self, words: Iterable[str]) -> Vocabulary:
        """This vocabulary and these whole words (a header is read knowing the words
        headings use; a cell's text is not, so "time" / "frame" stays two words there)."""
        extra = Counter(words)
        return Vocabulary(self.exact + extra, self.seen + Counter(w.lower() for w in extra.elements()),
                          self.written + extra, self.breaks)

    def __contains__(self, word: str) -> bool:
        """Is this exact spelling certainly a whole word somewhere ("r" is not, though "R" is)."""
        return self.exact.get(word, 0) > 0

    def knows(self, word: str) -> bool:
        """Was this word, in any case, ever a token of its own ("Octob"+"er" -> "October"),
        or is it a word of every plan's short cells (a month, "Ongoing", "Amber")."""
        return self.seen.get(word.lower(), 0) > 0 or word.lower() in CELL_WORDS


def _alone(line: str) -> bool:
    """A line holding a single word and no trailing space: perhaps a word too wide to fit."""
    return len(_WORD.findall(line)) == 1 and not line[-1:].isspace()


@dataclass(frozen=True)
class Break:
    """Where one line of a cell ends and the next begins: the evidence a join rule reads.

    `head_line` ends with a trailing space where the reader saw the line stop well short
    of the column's right edge (structure/evidence.py `lines_text`: a position, not a
    guess): such a line cannot end in half a word. `width` is the cell's longest line in
    characters, the fallback measure of a full line where no positions are known.
    """

    head_line: str
    tail_line: str
    vocab: Vocabulary
    width: int
    after: str | None = None  # the line after the tail's
    before: str | None = None  # the line before the head's
    # the word the break before made of the head line's first word ("Accounta" + "ble"):
    # where the head line is that one piece, the head is the whole word
    joined: str | None = None
    # the reader marked, in this cell, the lines that stop short of the column's edge (a
    # trailing space): an unmarked line there ran to the edge, whatever its characters count
    positioned: bool = False

    @cached_property
    def head_is_joined(self) -> bool:
        """The head line is the one piece a join before made a word of."""
        return self.joined is not None and _alone(self.head_line)

    @cached_property
    def head(self) -> str:
        m = _TOKEN_EDGE.search(self.joined if self.joined is not None and self.head_is_joined else self.head_line)
        return m.group(0) if m else ""

    @cached_property
    def tail(self) -> str:
        m = _TOKEN_HEAD.search(self.tail_line)
        return m.group(0) if m else ""

    @cached_property
    def whole(self) -> bool:
        """The head and tail joined are a word the document uses."""
        return self.vocab.knows(self.head + self.tail)

    @property
    def head_known(self) -> bool:
        # a word a join made is known in any case ("Accountable" from "Accounta" + "ble")
        return self.head in self.vocab or (self.head_is_joined and self.vocab.knows(self.head))

    @property
    def tail_known(self) -> bool:
        return self.tail in self.vocab

    @property
    def full(self) -> bool:
        """The head line is a lone word that fills its line: the next word did not fit."""
        return _alone(self.head_line) and (self.positioned or self.width <= NARROW_LINE
                                           or len(self.head_line.rstrip()) >= FULL_LINE * self.width)


# a lone line this share of the cell's longest line (in characters) fills its line
FULL_LINE = 0.8
# a cell whose longest line is this many characters or fewer is too narrow to judge a line
# full by its characters ("Com" is as wide as "ilities"): a lone word there fills its line
NARROW_LINE = 8
# a tail seen as a word this few times or fewer, this short, may be a fragment that
# happened to top a page's piece of a split row ("nt")
RARE_TAIL_COUNT, RARE_TAIL_LEN = 3, 3
Rule = Callable[[Break], "str | None"]


def _positions(b: Break) -> str | None:
    """The reader saw the line stop short of the column's edge, or the next begin indented."""
    return " " if b.head_line[-1].isspace() or b.tail_line[0].isspace() else None


def _punctuation(b: Break) -> str | None:
    """"independent" + ".", "2018" + "*": wrapping breaks at spaces, so this word was cut."""
    return "" if b.tail_line[0] in ".,;:!?)*†‡" and b.head_line[-1].isalnum() else None


def _apostrophe(b: Break) -> str | None:
    """"Children" + "'s", "Children'" + "s", "don" + "'t": a line break at an apostrophe's
    ending (a spreadsheet breaks there when the word does not fit), never a word of its own."""
    head = b.head_line.rstrip()
    if head[-1:].isalpha() and _CLITIC.match(b.tail_line):
        return ""
    # "Children'" + "s": broken after the apostrophe
    return "" if head[-1:] in "'\u2019" and head[-2:-1].isalpha() and _CLITIC.match("'" + b.tail_line) else None


def _hyphen(b: Break) -> str | None:
    """"multi-" + "agency": a compound broken at its hyphen stays whole (the line may stop
    short of the column's edge: the hyphen was where it could break)."""
    h = b.head_line.rstrip()
    return "" if h and h[-1] in _HYPHENS and len(h) > 1 and h[-2].isalnum() and not b.tail_line[0].isspace() else None


_NUMBER_HEAD = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,3}\.$")
_NUMBER_TAIL = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?\.?$")


def _number_digits(b: Break) -> str | None:
    """"1." + "1", "10." + "4a": an outline item number too wide for a narrow column, the
    cell holding nothing else (a browser breaks after the dot, short of the edge)."""
    if b.before is None and b.after is None and _NUMBER_HEAD.match(b.head_line.strip()) \
            and _NUMBER_TAIL.match(b.tail_line.strip()):
        return ""
    return None


def _date_digits(b: Break) -> str | None:
    """"11/01/20" + "23", "07/09/" + "2020", "2016/1" + "7": a date or year range too wide
    for its column."""
    head, tail = b.head_line.rstrip(), b.tail_line
    first = tail.split(" ", 1)[0]
    if first and not (first[0].isdigit() or first[0] in "/.,;*†‡"):
        return None  # every case below goes on with a digit, a separator or a date's mark
    if _DATE_PIECE.match(head) and _DATE.match(head + first):
        return ""
    # "19/0" / "3/20" / "15": a column narrower than a date broke it twice
    if b.before is not None and _DATE_PIECE.match(b.before.strip() + head) and (
            _DATE.match(b.before.strip() + head + first) or _DATE_PIECE.match(b.before.strip() + head + first)):
        return ""
    if _DATE_PIECE.match(head) and _DATE_PIECE.match(head + first) and re.match(r"\d", first) \
            and b.after is not None and (_DATE.match(run := head + first + b.after.split(" ", 1)[0])
                                         or (_DATE_PIECE.match(run) and run.count("/") + run.count(".") == 2)):
        return ""  # "14/" + "07/" + "201" + "8": three breaks
    # a year range broken in a column narrower than its first year: "202" / "4/2" / "5"
    year = (b.before.strip() if b.before is not None and b.before.strip().isdigit() else "") + head
    if re.match(r"\d\b", tail) and (re.search(r"\b\d{4}/\d$", b.head_line) or re.fullmatch(r"\d{4}/\d", year)
                                    or (head.startswith("/") and re.fullmatch(r"\d{2}/\d", year))):
        return ""  # ("20" / "19" /) "/2" / "0": the year before it broken too
    if re.search(r"\b\d{4}/$", head) and re.match(r"\d{2}\b", tail):
        return ""  # "2023/" + "24": a year range broken after its slash
    # "Nov" / "20" / "19", "Nov 20" / "19": a year after a month, broken in two
    month = re.search(r"([A-Za-z]{3,})\.? (?:19|20)$", head)
    quarter = re.search(r"\bQ[1-4]$", b.before.rstrip() if b.before is not None and head in ("19", "20") else head[:-3])
    if re.match(r"\d{2}\b", tail) and (
            (head in ("19", "20") and b.before is not None and b.before.rstrip()[-1:].isalpha())
            or (quarter is not None and head[-2:] in ("19", "20"))
            or (month is not None and any(m.startswith(month.group(1).lower()) for m in MONTHS))):
        return ""
    if re.search(r"\b(?:19|20)\d{2}$", head) and re.match(r"/\d{2}\b", tail):
        return ""  # "2021" + "/22": and before it
    if b.head_is_joined and re.fullmatch(r"(?:19|20)\d{2}", b.head) and re.fullmatch(r"/\d{1,2}", tail.strip()):
        return ""  # "20" / "19" / "/2" (/ "0"): a year range broken three times
    if re.search(r"\b(?:19|20)\d$", head) and re.match(r"\d\b", tail):
        return ""  # "February 202" + "4": a year a narrow column broke
    return None


def _not_a_word_edge(b: Break) -> str | None:
    """No word at the edge, a capital or a number starting the next line: a word boundary."""
    if not b.head or not b.tail or not b.tail[0].islower() or b.tail.isdigit() or b.head.isdigit():
        return " "
    return None


def _capitals(b: Break) -> str | None:
    """"DC" + "S": capitals on both sides that make an abbreviation the plan uses
    (a lead list's "(DCS)"), neither piece one of its own."""
    ok = (b.head.isupper() and b.tail.isupper() and b.head.isalpha() and b.tail.isalpha() and b.whole
          and not b.head_known and not b.tail_known)
    return "" if ok else None


def _lone_letter(b: Break) -> str | None:
    """"assessment" + "s": a lone letter that is no word, ending a word the plan uses."""
    ok = len(b.tail) == 1 and b.tail not in "aI" and b.whole and b.tail_line[1:2] in ("", " ", ".", ",")
    return "" if ok else None


def _two_fragments(b: Break) -> str | None:
    """"Octob" + "er": two non-words that make a word."""
    return "" if b.whole and not b.head_known and not b.tail_known else None


def _tail_no_word(b: Break) -> str | None:
    """"develop" + "ment": a tail the plan never uses as a word, making one it does."""
    return "" if b.whole and not b.tail_known and len(b.tail) >= 2 else None


def _rare_short_tail(b: Break) -> str | None:
    """"Developme" + "nt": a head that is no word, and a short tail seen as a word only
    where it was itself the top line of a page's piece of a split row; or any tail written
    nowhere else ("pr" + "otocol", a line the columns cut)."""
    written = b.vocab.written.get(b.tail, 0)
    ok = b.whole and not b.head_known and (written <= 1 or (written <= RARE_TAIL_COUNT
                                                            and len(b.tail) <= RARE_TAIL_LEN))
    return "" if ok else None


def _three_pieces(b: Break) -> str | None:
    """"Co" / "mpl" / "ete", "Sept" / "emb" / "er": a column narrower than a word broke it
    twice; the middle piece, alone on its line, is no word, and the three make one."""
    # (any middle piece, where a join before made the head and it is no word: "Com" + "miss"
    # / "ionin" / "g", a column narrower than a word broke it three times)
    # (or a long middle piece after a head that is no word: "Commi" / "ssionin" / "g")
    open_head = (b.head_is_joined and not b.vocab.knows(b.head)) or (not b.head_known and not b.whole)
    if (b.after is not None and _alone(b.tail_line) and not b.tail_known
            and (len(b.tail) <= RARE_TAIL_LEN + 1 or open_head)):
        following = _TOKEN_HEAD.search(b.after)
        if following and b.vocab.knows(b.head + b.tail + following.group(0)):
            return ""
    if b.before is not None and _alone(b.head_line) and not b.head_known and len(b.head) <= RARE_TAIL_LEN + 1:
        preceding = _TOKEN_EDGE.search(b.before.rstrip())
        if preceding and not b.before[-1:].isspace() and b.vocab.knows(preceding.group(0) + b.head + b.tail):
            return ""
    return None


def _two_words(b: Break) -> str | None:
    """Both sides are words the document uses whole: two words."""
    return " " if b.head_known and b.tail_known else None


def _line_not_full(b: Break) -> str | None:
    """The head line does not fill its line: it ended because the next word did not fit."""
    return " " if not b.full else None


def _full_line_word(b: Break) -> str | None:
    """"Transformati" + "on": a full line and the two a word the document uses."""
    return "" if b.whole else None


def _tail_starts_next(b: Break) -> str | None:
    """"timescale" / "independe" / "nt": the tail begins the next broken word."""
    if b.after is not None and _alone(b.tail_line):
        following = _TOKEN_HEAD.search(b.after)
        if following and b.vocab.knows(b.tail + following.group(0)):
            return " "
    return None


def _fragments_seen_nowhere(b: Break) -> str | None:
    """"Seotembe" + "r": fragments of a word the document spells nowhere else, or "Compl"
    + "ete" broken the same way in every cell that holds it; a tail the document uses as
    a word elsewhere ("consultation" + "children") is a word."""
    if b.head_known or b.tail_known:
        return None
    written = b.vocab.written.get(b.tail, 0)
    if written <= 1 or (len(b.tail) == 1 and b.tail not in "aI") or (
            b.vocab.breaks[(b.head.lower(), b.tail.lower())] >= written):
        return ""
    return None


# How two wrapped lines meet, first rule that decides wins: "" (one word broken mid-word)
# or " " (two words). Each rule names its evidence; `JoinTrace` records which decided.
JOIN_RULES: tuple[tuple[str, Rule], ...] = (
    ("hyphen", _hyphen),
    ("apostrophe", _apostrophe),
    ("date digits", _date_digits),  # before positions: a browser breaks after "07/09/", short of the edge
    ("number digits", _number_digits),  # before positions, as dates
    ("position", _positions),
    ("punctuation", _punctuation),
    ("capitals", _capitals),
    ("word edge", _not_a_word_edge),
    ("lone letter", _lone_letter),
    ("two fragments", _two_fragments),
    ("tail not a word", _tail_no_word),
    ("rare short tail", _rare_short_tail),
    ("three pieces", _three_pieces),
    ("two words", _two_words),
    ("line not full", _line_not_full),
    ("full line, a word", _full_line_word),
    ("tail starts the next word", _tail_starts_next),
    ("fragments seen nowhere", _fragments_seen_nowhere),
)


def glue(b: Break) -> tuple[str, str]:
    """How the two lines meet and the rule that said so."""
    if not b.head_line or not b.tail_line:
        return "", "empty"
    for name, rule in JOIN_RULES:
        sep = rule(b)
        if sep is not None:
            return sep, name
    return " ", "default"


@dataclass(frozen=True)
class Join:
    """One line break in a cell and how it was read (for `inspect` and debugging)."""

    head: str
    tail: str
    joined: bool  # one word broken mid-word
    rule: str


def _join(text: str, vocab: Vocabulary | None, trace: list[Join] | None = None) -> str:
    vocab = vocab or Vocabulary()
    lines = [line for line in tidy_chars(text).split("\n") if line.strip()]
    width = max((len(line.rstrip()) for line in lines), default=0)
    positioned = any(line[-1:].isspace() for line in lines[:-1])
    out, prev = "", ""
    joined: str | None = None
    for k, line in enumerate(lines):
        after = lines[k + 1] if k + 1 < len(lines) else None
        if out:
            sep, rule = glue(Break(prev, line, vocab, width, after, lines[k - 2] if k >= 2 else None, joined,
                                   positioned))
            if trace is not None:
                trace.append(Join(prev.strip(), line.strip(), sep == "", rule))
            out = (out + sep if sep else out.rstrip()) + line  # a position mark is no space
            joined = _last_token(out.rstrip()) if not sep else None
        else:
            out = line
        prev = line
    return fix_lookalikes(_SPACES.sub(" ", out).strip())


def _last_token(text: str) -> str | None:
    """The letters and digits `text` ends with (`_TOKEN_EDGE`'s match), found from the end:
    searched for from the start, a long cell's every join rescanned all of it."""
    k = len(text)
    while k and text[k - 1].isalnum():
        k -= 1
    return text[k:] or None


def join_lines(text: str, vocab: Vocabulary | None = None) -> str:
    """Join a cell's wrapped lines with single spaces, rejoining words broken mid-word."""
    return _join(text, vocab)


def join_trace(text: str, vocab: Vocabulary | None = None) -> list[Join]:
    """Every line break in the cell and the rule that decided it."""
    trace: list[Join] = []
    _join(text, vocab, trace)
    return trace


def clean_cell(text: str | None, vocab: Vocabulary | None = None) -> str:
    """The cleaned text of one cell: '' for an empty cell."""
    if text is None:
        return ""
    text = str(text)
    if vocab is None:
        return join_lines(text)
    done = vocab.joined.get(text)
    if done is None:
        done = vocab.joined[text] = join_lines(text, vocab)
    return done


@functools.lru_cache(maxsize=1 << 14)  # a plan's few headings, asked of every row's lines
def header_key(text: str) -> str:
    """A header reduced to lowercase letters, so wrapped and split headers compare equal."""
    text = unicodedata.normalize("NFKC", tidy_chars(text)).lower().replace("&", "and")
    return re.sub(r"[^a-z#]", "", text)
