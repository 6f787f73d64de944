"""R/A/G cells -> "R", "A", "G", "B" (blue: complete) or None, from text or the cell's fill."""

from __future__ import annotations

import colorsys
import re
from collections import Counter
from dataclasses import dataclass

from actionplan.normalisers.text import fix_lookalikes
from actionplan.schemas.layout import DEFAULT_LAYOUT

_WORDS = {
    "r": "R", "red": "R",
    "a": "A", "amber": "A", "orange": "A", "yellow": "A",
    "g": "G", "green": "G",
    "b": "B", "blue": "B", "complete": "B", "completed": "B", "closed": "B", "done": "B",
}
_FIRST = re.compile(r"^[^\w]*([A-Za-z]+(?:\s*/\s*[A-Za-z]+)*)")
# how plans say a rating in words (a status column, a tracker's own scale): the phrase that
# opens the cell gives the rating
_PHRASES = (
    ("on track", "G"), ("on target", "G"), ("at risk", "A"), ("some slippage", "A"), ("slippage", "A"),
    ("slipping", "A"), ("off track", "R"), ("not on track", "R"), ("delayed", "R"), ("achieved", "B"),
)
# a fill this saturated is a colour; a pale one (a spreadsheet's "light red" FFC7CE, a web
# sheet's "light green 2" B6D7A8, v 0.84) counts when it is also bright, as pastel rating
# fills are and greys and blue-grey bands (ACB9CA, v 0.79) are not
SATURATED, PASTEL, PASTEL_BRIGHT = 0.35, 0.12, 0.8


@dataclass(frozen=True)
class Rag:
    value: str | None
    problem: str | None = None  # why the value could not be settled
    unknown: bool = False  # words that are no rating the reader knows (not two ratings at once)


def reads_as_rating(text: str, most_words: int) -> bool:
    """A short text that is a rating ("A", "Amber – slipping"); running text that starts
    "A ..." is not one, however it opens."""
    return len(text.split()) <= most_words and rag_from_text(text).value is not None


def rag_from_text(text: str | None) -> Rag:
    """The rating a cell's text gives; notes after it ("R – due to time frame") are ignored."""
    if not text or not text.strip():
        return Rag(None)
    clean = fix_lookalikes(text).strip()
    m = _FIRST.match(clean)
    if not m:
        return Rag(None, f"unrecognised rating {text!r}", unknown=True)
    low_text = " ".join(re.findall(r"[a-z]+", clean.lower()))
    for phrase, value in _PHRASES:
        if low_text == phrase or low_text.startswith(phrase + " "):
            return Rag(value)
    # a phrase a narrow column wrapped, read without its space ("Some" / "slippage")
    squeezed = low_text.replace(" ", "")
    for phrase, value in _PHRASES:
        if squeezed == phrase.replace(" ", ""):
            return Rag(value)
    word = m.group(1)
    if "/" in word:
        return Rag(None, f"ambiguous rating {text!r}")
    low = word.lower()
    if low in _WORDS:
        return Rag(_WORDS[low])
    if word.isupper() and 1 < len(word) <= 3 and set(word) <= set("RAGB"):
        return Rag(None, f"ambiguous rating {text!r}")
    # a rating word a narrow column broke ("Amb" / "er"): its pieces make the word
    pieces = clean.split()
    for k in range(2, min(4, len(pieces)) + 1):
        joined = "".join(pieces[:k]).lower().strip(".,;:")
        if joined in _WORDS:
            return Rag(_WORDS[joined])
    return Rag(None, f"unrecognised rating {text!r}", unknown=True)


def rag_from_fill(rgb: tuple[float, float, float] | None) -> str | None:
    """The rating a cell's shading shows; greys, whites and blacks show none."""
    if rgb is None:
        return None
    h, s, v = colorsys.rgb_to_hsv(*rgb)
    if v < 0.3 or s < PASTEL or (s < SATURATED and v < PASTEL_BRIGHT):
        return None
    deg = h * 360
    if deg < 18 or deg >= 335:
        return "R"
    if deg < 70:
        return "A"
    if deg < 170:
        return "G"
    if deg < 260:
        return "B"
    return None


def resolve_rag(text: str | None, fill: tuple[float, float, float] | None) -> Rag:
    """Text wins; the fill speaks when the text is empty or no rating the reader knows (and
    then says so); a disagreement is reported."""
    said = rag_from_text(text)
    shown = rag_from_fill(fill)
    if said.problem:
        # words the reader does not know on a rating's colour: the colour is the rating
        return Rag(shown, f"{said.problem}; read the cell's colour, {shown}") if said.unknown and shown else said
    if said.value is None:
        return Rag(shown)
    if shown is not None and shown != said.value:
        return Rag(said.value, f"text says {said.value} but the cell is shaded {shown}")
    return said


# a shade is another's where their grey levels (0-1) are this close (a scan's red and green
# print as greys a tenth apart; one cell's own levels vary by a few hundredths)
SHADE_TOLERANCE = 0.04
# and only where at least this many cells of that shade had their letter read ...
SHADE_EXAMPLES = 2
# ... and they outnumber the cells near that shade read as another rating this many times
# (a letter from the row above read into a cell is one such)
SHADE_MAJORITY = 4


def _grey(rgb: tuple[float, float, float]) -> float:
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


def rag_from_shade(known: list[tuple[tuple[float, float, float], str]],
                   fill: tuple[float, float, float] | None) -> str | None:
    """The rating a shaded cell whose letter could not be read shares with the cells of the
    same shade whose letter was read (in the same document): a grey scan prints red and
    green as two dark greys, and a person tells them apart by the letters beside them. A
    letter misread here and there does not stop it; shades that two ratings share do."""
    if fill is None or rag_from_fill(fill) is not None:
        return None
    g = _grey(fill)
    if min(fill) >= DEFAULT_LAYOUT.paper_white:  # the paper
        return None
    near = Counter(rag for rgb, rag in known if abs(_grey(rgb) - g) <= SHADE_TOLERANCE)
    if not near:
        return None
    rating, count = near.most_common(1)[0]
    others = sum(1 for rgb, rag in known if abs(_grey(rgb) - g) <= 2 * SHADE_TOLERANCE and rag != rating)
    return rating if count >= SHADE_EXAMPLES and count >= SHADE_MAJORITY * others else None


# a cell this dark on every channel is shaded, not banded or tinted (zebra rows, header tints
# are 0.85 and lighter)
SHADED = 0.75


def shaded_grey(rgb: tuple[float, float, float]) -> bool:
    """A mid or dark shade, darker than zebra banding or a header tint."""
    return max(rgb) < SHADED
