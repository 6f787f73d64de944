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
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_TOKEN_EDGE = re.compile(r"[^\W_]+$")
_TOKEN_HEAD = re.compile(r"^[^\W_]+")
_HYPHENS = "-\u2010\u2011"


def fix_lookalikes(text: str) -> str:
    """Replace Greek/Cyrillic look-alikes inside otherwise Latin tokens ("Α" -> "A")."""
    if not any(ch in _LOOKALIKE_CHARS for ch in text):
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
    """Word counts from the document's own text, read only where a word is certainly whole."""

    def __init__(self, counts: Counter[str] | None = None) -> None:
        self.exact: Counter[str] = counts or Counter()
        self.lower: Counter[str] = Counter()
        for word, n in self.exact.items():
            self.lower[word.lower()] += n

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        counts: Counter[str] = Counter()
        for text in texts:
            lines = tidy_chars(text).split("\n")
            for i, line in enumerate(lines):
                words = list(_WORD.finditer(line))
                for j, m in enumerate(words):
                    # a word touching a line edge with no space may be half of a broken word
                    at_end = m.end() == len(line) and i < len(lines) - 1
                    at_start = m.start() == 0 and i > 0 and not lines[i - 1][-1:].isspace()
                    if (j == len(words) - 1 and at_end) or (j == 0 and at_start):
                        continue
                    counts[m.group(0)] += 1
        return cls(counts)

    def __contains__(self, word: str) -> bool:
        """Is this exact spelling a whole word somewhere ("r" is not, though "R" is)."""
        return self.exact.get(word, 0) > 0

    def knows(self, word: str) -> bool:
        """Is this word, in any case, a whole word somewhere ("Octob"+"er" -> "October")."""
        return self.lower.get(word.lower(), 0) > 0


def _glue(head_line: str, tail_line: str, vocab: Vocabulary) -> str:
    """How two wrapped lines meet: '' (one word) or ' '."""
    if not head_line or not tail_line:
        return ""
    if head_line[-1].isspace() or tail_line[0].isspace():
        return " "
    if head_line[-1] in _HYPHENS and len(head_line) > 1 and head_line[-2].isalnum():
        return ""  # "multi-" + "agency": a compound broken at its hyphen stays whole
    head = _TOKEN_EDGE.search(head_line)
    tail = _TOKEN_HEAD.search(tail_line)
    if not head or not tail:
        return " "
    h, t = head.group(0), tail.group(0)
    if not t[0].islower() or t.isdigit() or h.isdigit():
        return " "
    if h in vocab and t in vocab:
        return " "
    if vocab.knows(h + t):
        return ""
    if h not in vocab and t not in vocab:
        return ""  # two fragments neither of which is a word: "Seotembe" + "r"
    return " "


def join_lines(text: str, vocab: Vocabulary | None = None) -> str:
    """Join a cell's wrapped lines with single spaces, rejoining words broken mid-word."""
    vocab = vocab or Vocabulary()
    lines = [line for line in tidy_chars(text).split("\n")]
    out = ""
    for line in lines:
        if not line.strip():
            continue
        if not out:
            out = line
            continue
        out = out + _glue(out, line, vocab) + line
    return fix_lookalikes(_SPACES.sub(" ", out).strip())


def clean_cell(text: str | None, vocab: Vocabulary | None = None) -> str:
    """The cleaned text of one cell: '' for an empty cell."""
    if text is None:
        return ""
    return join_lines(str(text), vocab)


def header_key(text: str) -> str:
    """A header reduced to lowercase letters, so wrapped and split headers compare equal."""
    text = unicodedata.normalize("NFKC", tidy_chars(text)).lower().replace("&", "and")
    return re.sub(r"[^a-z#]", "", text)
