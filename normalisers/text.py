"""Cell text: join wrapped lines, rejoin words a narrow column broke, undo look-alike characters.

Word wraps a long word inside a narrow column ("Octob" / "er 2014"); whether a line break
is a word boundary is decided from the document's own vocabulary, never from a word list.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

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
_DATE_PIECE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{1,3}$|^\d{1,2}[/.]\d{0,2}$")
_DATE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.](?:\d{2}|\d{4})[.,;]?$")


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

    def __contains__(self, word: str) -> bool:
        """Is this exact spelling certainly a whole word somewhere ("r" is not, though "R" is)."""
        return self.exact.get(word, 0) > 0

    def knows(self, word: str) -> bool:
        """Was this word, in any case, ever a token of its own ("Octob"+"er" -> "October")."""
        return self.seen.get(word.lower(), 0) > 0


def _alone(line: str) -> bool:
    """A line holding a single word and no trailing space: perhaps a word too wide to fit."""
    return len(_WORD.findall(line)) == 1 and not line[-1:].isspace()


def _glue(head_line: str, tail_line: str, vocab: Vocabulary, width: int, after: str | None = None) -> str:
    """How two wrapped lines meet: '' (one word broken mid-word) or ' '.

    `width` is the cell's longest line in characters: a word broken mid-word fills its
    line, so a short lone line ended because the next word did not fit. `after` is the
    line after the tail's.
    """
    if not head_line or not tail_line:
        return ""
    if head_line[-1].isspace() or tail_line[0].isspace():
        return " "
    if tail_line[0] in ".,;:!?)" and head_line[-1].isalnum():
        return ""  # "independent" + ".": wrapping breaks at spaces, so this word was cut
    if head_line[-1] in _HYPHENS and len(head_line) > 1 and head_line[-2].isalnum():
        return ""  # "multi-" + "agency": a compound broken at its hyphen stays whole
    if _DATE_PIECE.match(head_line) and _DATE.match(head_line + tail_line.split(" ", 1)[0]):
        return ""  # "11/01/20" + "23": a day-precision date too wide for its column
    if re.search(r"\b\d{4}/\d$", head_line) and re.match(r"\d\b", tail_line):
        return ""  # "2016/1" + "7": a year range too wide for its column
    head = _TOKEN_EDGE.search(head_line)
    tail = _TOKEN_HEAD.search(tail_line)
    if not head or not tail:
        return " "
    h, t = head.group(0), tail.group(0)
    if not t[0].islower() or t.isdigit() or h.isdigit():
        return " "
    known_h, known_t, known_whole = h in vocab, t in vocab, vocab.knows(h + t)
    if len(t) == 1 and t not in "aI" and known_whole and tail_line[1:2] in ("", " ", ".", ","):
        return ""  # "assessment" + "s": a lone letter that is no word, ending a word the plan uses
    if known_whole and not known_h and not known_t:
        return ""  # "Octob" + "er": two non-words that make a word
    if known_whole and not known_t and len(t) >= 2:
        return ""  # "develop" + "ment": a tail the plan never uses as a word, making one it does
    if known_whole and not known_h and vocab.written.get(t, 0) <= 3 and len(t) <= 3:
        # "Developme" + "nt": a head that is no word, and a short tail seen as a word only
        # where it was itself the top line of a page's piece of a split row
        return ""
    if known_h and known_t:
        return " "
    full = _alone(head_line) and len(head_line.rstrip()) >= 0.8 * width
    if not full:
        return " "
    if known_whole:
        return ""  # "Transformati" + "on"
    if after is not None and _alone(tail_line):
        following = _TOKEN_HEAD.search(after)
        if following and vocab.knows(t + following.group(0)):
            return " "  # "timescale" / "independe" / "nt": the tail begins the next broken word
    if not known_h and not known_t and (vocab.written.get(t, 0) <= 1 or (len(t) == 1 and t not in "aI")
                                        or vocab.breaks[(h.lower(), t.lower())] >= vocab.written.get(t, 0)):
        # "Seotembe" + "r": fragments of a word the document spells nowhere else, or
        # "Compl" + "ete" broken the same way in every cell that holds it; a tail the
        # document uses as a word elsewhere ("consultation" + "children") is a word
        return ""
    return " "


def join_lines(text: str, vocab: Vocabulary | None = None) -> str:
    """Join a cell's wrapped lines with single spaces, rejoining words broken mid-word."""
    vocab = vocab or Vocabulary()
    lines = [line for line in tidy_chars(text).split("\n") if line.strip()]
    width = max((len(line.rstrip()) for line in lines), default=0)
    out, prev = "", ""
    for k, line in enumerate(lines):
        after = lines[k + 1] if k + 1 < len(lines) else None
        out = out + _glue(prev, line, vocab, width, after) + line if out else line
        prev = line
    return fix_lookalikes(_SPACES.sub(" ", out).strip())


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


def header_key(text: str) -> str:
    """A header reduced to lowercase letters, so wrapped and split headers compare equal."""
    text = unicodedata.normalize("NFKC", tidy_chars(text)).lower().replace("&", "and")
    return re.sub(r"[^a-z#]", "", text)
