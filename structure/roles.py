"""Which field each column holds: its heading is one piece of evidence, its cells the rest.

A council's template heads its columns in its own words ("What needs to improve?",
"How will we know it is working?", "Key priority"), so a heading the synonyms file does
not know must not leave a core field empty. Each column is scored for each field by its
heading (the synonyms file, fuzzily, and the words a heading uses for a field, from
`header_words.csv`) and by what its cells hold: dates are a deadline, R/A/G letters,
rating words or fills are a rating, the item pattern is the item, "17. (57, 138)" is the
inspection paragraph, names from the lead list or short title-like text are the lead,
long text written once with blank cells (or the same text, a merged cell given to each
row) below is the area. The two decide together, one
field per column; a field a column gets from its cells alone is reported
(`column-by-content`), naming the heading, so the user can add it to their synonyms.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from actionplan.extractors.geometry import inside
from actionplan.extractors.layout import running_on
from actionplan.extractors.model import RGB, BBox, Cell
from actionplan.normalisers.dates import split_by_when
from actionplan.normalisers.fields import ITEM_ID
from actionplan.normalisers.rag import rag_from_fill, reads_as_rating
from actionplan.normalisers.text import Vocabulary, clean_cell, header_key
from actionplan.schemas.contract import FIELDS
from actionplan.schemas.decisions import Decision
from actionplan.schemas.issues import Issue
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings
from actionplan.structure.headers import ColumnMap, HeadingWords, Synonyms, field_scores, score_header, word_hits

# a heading word that names a field (header_words.csv) scores this, a second one more
WORD_SCORE, WORD_BONUS, WORD_CAP = 80.0, 5.0, 90.0
# headings longer than this many words are sentences, not headings: their words name nothing
HEADING_WORDS = 9
# cells: the share that must show a pattern for it to be the column's evidence
PATTERN_SHARE = 0.7
# what cell evidence adds to (or takes from) a heading's score
STRONG, WEAK, AGAINST = 40.0, 15.0, -40.0
# words: a cell with more is running text (an action, an update), not a date or a rating
LONG_TEXT = 12
# share of a column's cells a line or less for the column to be read line by line (a text
# table's rows, its first page's lines stacked in one cell)
BY_LINE_SHARE = 0.8
# a column whose texts mostly hold no digit holds no paragraph references ("What Ofsted said")
NO_DIGITS = 0.3
# words: a rating cell holds at most this many ("Amber – some slippage, see note")
RATING_WORDS = 6
# the share of a column's numbers that must run on from the one before for it to be a numbering
ORDERED = 0.6
# the share of a column's cells left blank past which its numbers are no numbering: a plan
# numbers every record, and a number written once over a group of rows is the report's
# paragraph the group answers ("35", blank, blank, "36. (89, 100)")
ONCE_NUMBERED = 0.5
_PARA = re.compile(r"^[A-Za-z]{0,3}\s?\d{1,3}(?:\.\d+)*[a-z]?\.?\s*(?:\([^)]*\)?)?$")
_SHORT_FIELDS = ("item", "inspection_para", "business_plan_ref", "by_when", "rag")
_TEXT_FIELDS = ("area_for_improvement", "action", "progress", "monitoring", "evidence_of_impact")


def heading_scores(text: str, synonyms: Synonyms, words: HeadingWords) -> dict[str, float]:
    """How well a heading names each field (0-100): the synonyms file, as the header
    finder reads it, and failing that the words a heading uses for a field."""
    out = field_scores(text, synonyms)
    if not out:
        return out
    for field, hits in word_hits(text, words, HEADING_WORDS).items():
        out[field] = max(out.get(field, 0.0), min(WORD_CAP, WORD_SCORE + WORD_BONUS * (hits - 1)))
    return out


@dataclass(frozen=True)
class CellEvidence:
    """What a column's cells hold, as shares of its filled cells (or printed lines)."""

    lines: int  # printed lines seen
    items: float  # lines that read as an item number
    paras: float  # lines like "17. (57, 138)"
    dates: float  # cells with a date or a status word ("Ongoing")
    ratings: float  # cells with a rating letter or word, or a rating colour
    long: float  # cells of running text
    blank: float  # cells left blank (rows of the same area, "same as above")
    leads: float  # cells naming a title from the lead list
    titles: float  # short title-like cells (a job title)
    repeats: float = 0.0  # filled cells the same as the cell above (a merged cell given to each row it covers)
    ordered: float = 1.0  # number lines greater than the one before: an item numbering runs on, paragraph refs repeat
    digits: float = 1.0  # texts with a digit in them (a reference always has one)

    @property
    def numbering(self) -> bool:
        """Numbers that run on, one to most rows: the plan's own item numbering."""
        return self.items >= 0.8 and self.ordered >= ORDERED and self.blank < ONCE_NUMBERED

    @property
    def once(self) -> float:
        """Cells that do not say anything new: written once for the rows below."""
        return self.blank + (1 - self.blank) * self.repeats


def cell_evidence(cells: Sequence[Cell], vocab: Vocabulary, lead_names: Sequence[str] = ()) -> CellEvidence:
    """The evidence one column's body cells give (a ruled table's cells; a text table's
    stacked column is one cell whose printed lines are read one by one)."""
    lines = [ln.text.strip() for c in cells for ln in c.lines if ln.text.strip()]
    texts = [clean_cell(c.text, vocab) for c in cells]
    # references the column wraps ("35" / "(90," / "154)") are read whole, in any table
    refs = _bracketed(lines)
    stacked = len(cells) == 1 and bool(cells[0].lines)
    if stacked:  # a text table's stacked column: its lines are its cells
        texts = refs
    # a text table's column comes as its printed lines (stacked, or a row a line): a sentence
    # wrapped over them is one text, so a column of prose reads as running text
    by_line = stacked or sum(1 for c in cells if len(c.lines) <= 1) >= BY_LINE_SHARE * len(cells)
    filled = [t for t in texts if t]
    running = _paragraphs(refs) if by_line else filled
    n = max(1, len(filled))
    ratings = 0
    shown = [None] * len(texts) if stacked else [c.fill for c in cells]  # a stacked column's lines have no fill
    own = [()] * len(texts) if stacked else [[ln.text.strip() for ln in c.lines if ln.text.strip()] for c in cells]
    for fill, text, printed in zip(shown, texts, own):
        # a cell of a row the reader has not cut yet holds its records' ratings a line each
        if (text and (reads_as_rating(text, RATING_WORDS)
                      or (len(printed) >= 2 and all(reads_as_rating(t, RATING_WORDS) for t in printed)))) or (
                not text and rag_from_fill(fill) is not None):
            ratings += 1
    # (a blank cell's band, a zebra row's grey, is no rating and no cell to count)
    counted = len([t for f, t in zip(shown, texts) if t or (f is not None and rag_from_fill(f) is not None)])
    names = [header_key(x) for x in lead_names]
    # a column read a row a line: a title wrapped over lines ("Head of" / "Fieldwork" /
    # "(KP)") is the run of lines between blanks
    named = filled
    if by_line and not stacked:
        named = [" ".join(run) for blank, run in itertools.groupby(texts, key=lambda t: not t) if not blank]
    # a number wrapped over lines ("1.1" / "a") is one number, read whole, in one cell or
    # in the next row's (a row a line, not yet cut into records)
    numbers = _whole_numbers(lines)
    return CellEvidence(
        lines=len(lines),
        items=sum(1 for x in numbers if ITEM_ID.match(x)) / max(1, len(numbers)),
        paras=sum(1 for x in refs if _PARA.match(x)) / max(1, len(refs)),
        dates=sum(1 for x in filled if len(x.split()) <= LONG_TEXT and _dated(x)) / n,
        ratings=ratings / max(1, counted),
        long=sum(1 for x in running if len(x.split()) > LONG_TEXT) / max(1, len(running)),
        blank=(len(texts) - len(filled)) / max(1, len(texts)),
        leads=sum(1 for x in named if names and _names_a_lead(x, names)) / max(1, len(named)),
        titles=sum(1 for x in named if _title_like(x)) / max(1, len(named)),
        repeats=sum(1 for a, b in itertools.pairwise(filled) if a == b) / n,
        ordered=_ordered([x for x in numbers if ITEM_ID.match(x)]),
        digits=sum(1 for x in running if any(ch.isdigit() for ch in x)) / len(running) if running else 1.0,
    )


# an outline number's head up to a dot, and the rest a browser broke onto the next line
_NUMBER_HEAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){0,2}\.")
_NUMBER_REST = re.compile(r"\d{1,3}[a-z]?")


def _whole_numbers(texts: Sequence[str]) -> list[str]:
    """Numbers wrapped over lines, whole: "1.1" / "a" is 1.1a, "Action" / "4" is Action 4,
    "1." / "1" is 1.1 (a browser breaks an outline number after its dot)."""
    out: list[str] = []
    for t in texts:
        if out and ((not ITEM_ID.match(t) and ITEM_ID.match(out[-1]) and ITEM_ID.match(out[-1] + t))
                    or (_NUMBER_REST.fullmatch(t) and _NUMBER_HEAD.fullmatch(out[-1]))):
            out[-1] += t
        elif out and t[:1].isdigit() and out[-1].isalpha() and ITEM_ID.match(f"{out[-1]} {t}"):
            out[-1] = f"{out[-1]} {t}"
        else:
            out.append(t)
    return out


def _without_run_on(cells: Sequence[Cell], beside: Sequence[Cell], space: float) -> list[Cell]:
    """A column's cells without the lines that run on into the column beside them (a
    section row's first letters, "Pri" + "ority 2: ...", the column edge cut from the
    rest of its line): they are not the column's own text."""
    out: list[Cell] = []
    for cell, right in itertools.zip_longest(cells, beside):
        if cell is None:
            break
        on = running_on(cell.lines, right.lines if right is not None else (), space)
        kept = tuple(ln for ln, cut in zip(cell.lines, on) if not cut)
        out.append(cell if len(kept) == len(cell.lines) else
                   replace(cell, text="\n".join(ln.text for ln in kept), lines=kept))
    return out


def _bracketed(lines: Sequence[str]) -> list[str]:
    """A stacked column's lines, those inside an open bracket joined to the line that opened
    it: a narrow column wraps "35 (90, 154)" as "35" / "(90," / "154)"."""
    out: list[str] = []
    for line in lines:
        if out and (out[-1].count("(") > out[-1].count(")") or (line.startswith("(") and _PARA.match(out[-1]))):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _paragraphs(lines: Sequence[str]) -> list[str]:
    """Lines joined where a sentence runs on: the line before ends no sentence and the line
    starts in lower case."""
    out: list[str] = []
    for line in lines:
        if out and line[:1].islower() and not out[-1].rstrip().endswith((".", "!", "?", ":", ";")):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _ordered(numbers: Sequence[str]) -> float:
    """The share of numbers greater than the one before ("1.", "2.", "2.1", "3a")."""
    keys = [tuple(int(d) for d in re.findall(r"\d+", x)) + ((ord(x.rstrip(". ")[-1]),) if x.rstrip(". ")[-1:].isalpha()
            else ()) for x in numbers]
    pairs = list(itertools.pairwise(keys))
    return sum(1 for a, b in pairs if b > a) / len(pairs) if pairs else 1.0


def _dated(text: str) -> bool:
    due = split_by_when(text)
    return bool(due.dates or due.status)


def _names_a_lead(text: str, names: Sequence[str]) -> bool:
    key = header_key(text)
    return any(n and (n in key or fuzz.ratio(n, key) >= 85) for n in names)


def _title_like(text: str) -> bool:
    """A job title or a team: a few words, most capitalised, no sentence."""
    words = text.split()
    if not 1 <= len(words) <= 7 or text.endswith(".") or any(ch.isdigit() for ch in text):
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return caps >= max(1, len([w for w in words if len(w) > 3]) * 0.6)


def content_scores(ev: CellEvidence) -> dict[str, float]:
    """What the cells say about each field: a strong pattern adds, running text where a
    short field belongs takes away."""
    out: dict[str, float] = {}
    if not ev.lines:
        if ev.ratings >= PATTERN_SHARE:  # colour-only ratings: filled cells, no text
            out["rag"] = STRONG
            out.update((f, AGAINST) for f in _TEXT_FIELDS)
        return out
    short = ev.long < 0.2
    # numbers that repeat or go back are references to the report, not a plan's own numbering
    numbering = ev.numbering
    out["item"] = STRONG if numbering else AGAINST if ev.items < 0.3 or ev.ordered < ORDERED else 0.0
    out["inspection_para"] = (STRONG if ev.paras >= PATTERN_SHARE and short and not numbering
                              else WEAK if ev.paras >= PATTERN_SHARE and short
                              else AGAINST if ev.long >= 0.5 or ev.digits < NO_DIGITS else 0.0)
    out["by_when"] = STRONG if ev.dates >= PATTERN_SHARE and short else AGAINST if ev.long >= 0.5 else 0.0
    out["rag"] = STRONG if ev.ratings >= PATTERN_SHARE else AGAINST if ev.long >= 0.3 else 0.0
    if ev.leads >= 0.6:
        out["lead"] = STRONG
    elif ev.titles >= PATTERN_SHARE and short:
        out["lead"] = WEAK
    elif ev.long >= 0.5:
        out["lead"] = AGAINST
    for f in _TEXT_FIELDS:
        out[f] = AGAINST if (ev.dates >= PATTERN_SHARE or ev.ratings >= PATTERN_SHARE or ev.items >= 0.8) \
            and ev.long < 0.2 else 0.0
    if ev.once >= 0.3 and ev.long >= 0.5 and ev.dates < 0.3:
        out["area_for_improvement"] = WEAK  # written once, blank below: the area its rows serve
    return out


# content alone names a column (its heading names nothing) only for these, on this evidence
def _by_content_alone(ev: CellEvidence) -> str | None:
    if not ev.lines:
        return "rag" if ev.ratings >= PATTERN_SHARE else None  # colour-only ratings
    if ev.numbering:
        return "item"
    if ev.long >= 0.2:
        if ev.once >= 0.3 and ev.long >= 0.5:
            return "area_for_improvement"
        return None
    if ev.ratings >= PATTERN_SHARE:
        return "rag"
    if ev.dates >= PATTERN_SHARE:
        return "by_when"
    if ev.paras >= PATTERN_SHARE:
        return "inspection_para"
    if ev.leads >= 0.6:
        return "lead"
    return None


# a heading score this high is one of the synonyms file's own spellings: no guess
_SURE = 95.0


# a fill this many times a column's width or less may be its cell's (a text table's column
# box is its text's, narrower than the cell the producer filled); a wider one is a band
_CELL_FILL_WIDTH = 2.0


def colour_only(cells: Sequence[Cell], fills: Sequence[tuple[BBox, RGB]]) -> list[Cell]:
    """A column that prints no text, its cells' fills as cells: a text table's stacked column
    has no fill of its own, and ratings shown by colour alone are the column's only evidence.
    A fill much wider than the column (a band, a shaded section row) is not the column's."""
    if any(ln.text.strip() for c in cells for ln in c.lines) or any(c.text.strip() for c in cells):
        return list(cells)
    out = [Cell("", box, rgb) for c in cells for box, rgb in fills
           if inside(box, c.bbox, 0.0) and box[2] - box[0] <= _CELL_FILL_WIDTH * (c.bbox[2] - c.bbox[0])]
    return out or list(cells)


def _headings_run_together(headers: Sequence[str], fields: Sequence[str | None], synonyms: Synonyms,
                           page: int) -> list[Issue]:
    """A heading that is two headings run together ("BRAG Position at review"): its first or
    last words are exactly a spelling of a field no column holds (the rest not), where the
    heading is in sentence case and a capital opens its second part. The column edge
    between them was missed (a column printing no text, a rating shown by its colour
    alone, gives no gap to part them by)."""
    issues = []
    for c, read in enumerate(fields):
        found = _run_together(headers[c].split(), read, fields, synonyms) if read is not None else None
        if found is not None:
            part, other = found
            issues.append(Issue("column-ambiguous", f"the column headed {headers[c]!r} (page {page}) reads as two "
                                f"headings run together: {part!r} names {other}, which no column holds, and the "
                                f"column was read as {read}; an edge between two columns was not seen",
                                field=other, page=page))
    return issues


def _run_together(words: Sequence[str], read: str, fields: Sequence[str | None],
                  synonyms: Synonyms) -> tuple[str, str] | None:
    """The part of a heading that spells another field, and that field, if the heading is
    two run together; a sentence-case heading parts only where a capital opens a word
    ("Progress rating", "Progress and evidence" are one heading)."""
    for i in range(1, len(words)):
        inner = [w for j, w in enumerate(words) if j not in (0, i)]
        if not (words[i][:1].isupper() and inner and all(w[:1].islower() for w in inner)):
            continue
        for part, rest in ((words[:i], words[i:]), (words[i:], words[:i])):
            key = header_key(" ".join(part))
            other = next((g for g, keys in synonyms.keys.items() if key in keys), None)
            if (other is not None and other != read and other not in fields
                    and score_header(" ".join(rest), synonyms)[0] != other):
                return " ".join(part), other
    return None


def assign_roles(cmap: ColumnMap, body: Sequence[Sequence[Cell]], synonyms: Synonyms, words: HeadingWords,
                 vocab: Vocabulary, page: int, lead_names: Sequence[str] = (),
                 settings: LayoutSettings = DEFAULT_LAYOUT,
                 fills: Sequence[tuple[BBox, RGB]] = ()) -> tuple[ColumnMap, list[Issue], list[Decision]]:
    """The field of each column, from its heading and its cells together; a column named
    by its cells alone is reported. `cmap` is what the synonyms alone made of the headings:
    a column they mapped surely keeps its field. `fills` are the page's filled boxes, for
    a column that shows its values by colour alone."""
    ncols = len(cmap.headers)
    columns = [colour_only([row[c] for row in body if c < len(row)], fills) for c in range(ncols)]
    evidence = [cell_evidence(col, vocab, lead_names) for col in columns]
    threshold = synonyms.threshold
    totals: list[tuple[float, int, str, float]] = []
    for c, (text, ev) in enumerate(zip(cmap.headers, evidence)):
        heads = heading_scores(text, synonyms, words)
        cells = content_scores(ev)
        for f in FIELDS:
            h = heads.get(f, 0.0)
            total = h + cells.get(f, 0.0)
            if h >= threshold and total >= threshold:
                totals.append((total, c, f, h))
    fields: list[str | None] = [None] * ncols
    scores = list(cmap.scores)
    how: list[str] = [""] * ncols
    taken: set[str] = set()
    # the synonyms' sure mappings first, then the rest by their joint score
    sure = [(s, c, f) for c, (f, s) in enumerate(zip(cmap.fields, cmap.scores)) if f and s >= 95.0]
    for _, c, f in sorted(sure, reverse=True):
        if fields[c] is None and f not in taken:
            fields[c] = f
            taken.add(f)
            how[c] = "heading"

    # a first column without a heading over numbers that run on is the plan's numbering
    # (a blank "No." cell), whatever another heading's "ref" suggests: most of its lines
    # numbers (`PATTERN_SHARE`; a section row's first words cut at its edge are the rest)
    first = (cell_evidence(_without_run_on(columns[0], columns[1], settings.cut_word_space), vocab, lead_names)
             if ncols >= 2 else (evidence[0] if evidence else None))
    if ncols and not cmap.headers[0].strip() and fields[0] is None and "item" not in taken and first is not None \
            and first.items >= PATTERN_SHARE and first.ordered >= ORDERED and first.long < 0.2:
        fields[0], scores[0], how[0] = "item", 100.0, "cells"
        evidence[0] = first
        taken.add("item")

    def take(c: int, f: str, total: float, h: float) -> None:
        fields[c], scores[c] = f, min(100.0, total)
        how[c] = "heading" if f == cmap.fields[c] or h >= 95.0 else "heading and cells"
        taken.add(f)

    for total, c, f, h in sorted(totals, reverse=True):
        if fields[c] is None and f not in taken:
            take(c, f, total, h)
    # a heading that names two fields ("How progress will be checked": progress, monitoring)
    # gives up the one another column needs ("Position at review": progress): one step of an
    # augmenting path, so a column is not left out for want of the other's second choice
    best = {(c, f): (total, h) for total, c, f, h in totals}
    for c in range(ncols):
        if fields[c] is not None or how[c]:
            continue
        for total, _, f, h in sorted((t for t in totals if t[1] == c), reverse=True):
            d = next((k for k in range(ncols) if fields[k] == f), None)
            if d is None or how[d] == "cells" or (cmap.fields[d] == f and cmap.scores[d] >= 95.0):
                continue
            other = max(((best[(d, g)], g) for g in FIELDS if (d, g) in best and g not in taken), default=None)
            if other is None:
                continue
            (d_total, d_h), g = other
            take(d, g, d_total, d_h)
            take(c, f, total, h)
            break
    issues: list[Issue] = []
    for c, ev in enumerate(evidence):
        if fields[c] is not None:
            continue
        alone = _by_content_alone(ev)
        if alone is None or alone in taken:
            continue
        f = alone
        fields[c] = f
        taken.add(f)
        scores[c] = 0.0 if cmap.headers[c].strip() else 100.0
        how[c] = "cells"
        if cmap.headers[c].strip():  # a blank heading over item numbers needs no synonym
            issues.append(Issue("column-by-content", f"the column headed {cmap.headers[c]!r} (page {page}) "
                                f"holds {f} by what its cells show, not by its heading; add the heading to a "
                                "synonyms file (field,synonym) and pass it with --synonyms to make it sure",
                                field=f, page=page))
    # a heading whose words name two fields ("How progress will be checked": progress and
    # monitoring), read as one while no column holds the other: which it is, is a guess
    for c, read in enumerate(fields):
        if read is None or scores[c] >= _SURE:
            continue
        others = [g for g in word_hits(cmap.headers[c], words, HEADING_WORDS) if g != read and g not in fields
                  and g in _TEXT_FIELDS]
        if read in _TEXT_FIELDS and others:
            issues.append(Issue("column-ambiguous", f"the column headed {cmap.headers[c]!r} (page {page}) was read as "
                                f"{read}; its heading also names {others[0]}, which no column holds: if it is the "
                                f"{others[0]}, add the heading to a synonyms file (--synonyms, `field,synonym`)",
                                field=read, page=page))
    issues += _headings_run_together(cmap.headers, fields, synonyms, page)
    mapped = ColumnMap(cmap.headers, tuple(fields), tuple(scores))
    decisions = [Decision("column-role", page, f"{_short(cmap.headers[c])} -> {fields[c] or 'extra'}",
                          _why(how[c], fields[c], scores[c], evidence[c]))
                 for c in range(ncols) if how[c] in ("cells", "heading and cells")]
    return mapped, issues, decisions


def _short(text: str) -> str:
    return " ".join(text.split())[:40] or "(no heading)"


def _why(how: str, field: str | None, score: float, ev: CellEvidence) -> str:
    seen = (f"cells: {ev.items:.0%} item numbers, {ev.dates:.0%} dates, {ev.ratings:.0%} ratings, "
            f"{ev.long:.0%} running text, {ev.once:.0%} blank or repeated")
    if how == "cells":
        return f"its heading names no field; its cells do ({seen})"
    return f"its heading and its cells together ({score:.0f}; {seen})"
