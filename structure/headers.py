"""Every decision about a plan's header, in one module.

A header is found among a ruled table's rows of cells (`find_header`, and `repair_header`
where the reader merged it into the row below), among a page's printed lines where the
table has no vertical rules (`find_text_header`, whose cells also give the columns), and
again inside the body where a producer repeats it (`repeated_header_cuts`,
`header_fragment`). Header text is compared as bare letters, fuzzily, against a synonyms
file the user can extend, since headers arrive wrapped and split by narrow columns
("Busine ss Plan 2014-15 Refere nce", "R/ A/G").
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as _field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from actionplan.extractors.model import Cell, RawTable, TextLine
from actionplan.normalisers.fields import ITEM_ID, opens_with_item
from actionplan.normalisers.model import Row
from actionplan.normalisers.rag import reads_as_rating
from actionplan.normalisers.text import Vocabulary, clean_cell, header_key
from actionplan.schemas.contract import FIELDS, data_file
from actionplan.schemas.decisions import Decision
from actionplan.schemas.errors import ConfigError, read_user_text
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings
from actionplan.structure.evidence import (
    CUT_ABOVE,
    FLUSH,
    as_one_row,
    cell_fill_cuts,
    cell_fill_edges,
    cut_row,
    edge_cuts,
    level_of,
    levels_of,
    line_pitch,
    row_lines,
)

if TYPE_CHECKING:
    from actionplan.structure.plans import Plan

HeaderScore = Callable[[list[str]], "float | None"]


# --- naming columns: header text against the synonyms file


# A synonym found whole inside a longer header ("Current RAG") scores from _CONTAINED_FLOOR,
# when it is a sliver of the header, up to 100, when it is all of it: with header_match at 80
# it names the field where it is a third of the header or more. Fixed: the shape of the score
# header_match is set against. Shorter synonyms ("No", "By") would be found in any header.
_CONTAINED_MIN = 3
_CONTAINED_FLOOR = 70.0
# a synonym this short is an acronym ("RAG", "BRAG"): its letters undercount its share of a
# header's words (fixed: longer synonyms keep their letters' share, which ranks the longer
# of two synonyms a header holds above the shorter)
_ACRONYM_MAX = 4
# ranks a cut giving exactly the plan's own header above every other: a header's score is at
# most 100 a named field, and an exact header names three fields or more (fixed: an ordering)
_EXACT_BONUS = 1000.0
# a repeated header is known by two of its cells' first lines at least: one alone may be a
# word of the body (fixed: the least evidence there can be)
_FEWEST_REPEATED = 2
# a piece of a header repeated in the body has two words of two letters or more: a lone word
# ("Evaluation." ending a cell cut by the page) is text, and one letter may be a rating ("A")
_FRAGMENT_WORDS = 2
_WORD_LETTERS = 2
# points: a text table's grid reaches this past its header's outer cells (fixed: padding, so
# the header's own first and last letters are inside it; columns.py takes it off again)
GRID_PAD = 1.0


@dataclass(frozen=True)
class Synonyms:
    """Header spellings per canonical field, as bare-letter keys."""

    keys: dict[str, tuple[str, ...]]
    threshold: float = DEFAULT_LAYOUT.header_match  # the fuzzy score a header cell needs to name a field
    # score_header's answers by cell text: a plan's header is scored again on every page
    scored: dict[str, tuple[str | None, float]] = _field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, extra: Iterable[Path] = (), threshold: float = DEFAULT_LAYOUT.header_match) -> Synonyms:
        table: dict[str, list[str]] = {f: [] for f in FIELDS}
        for path in (data_file("header_synonyms.csv"), *extra):
            for field, synonym in _read_synonyms(Path(path)):
                key = header_key(synonym)
                if key and key not in table[field]:
                    table[field].append(key)
        return cls({f: tuple(v) for f, v in table.items()}, threshold)


@dataclass(frozen=True)
class HeadingWords:
    """Words a heading uses for a field when no synonym matches it ("When will it be
    done?" names the deadline by "when"), as bare lowercase words."""

    words: dict[str, tuple[str, ...]]

    @classmethod
    @cache
    def load(cls, extra: tuple[Path, ...] = ()) -> HeadingWords:
        table: dict[str, list[str]] = {f: [] for f in FIELDS}
        for path in (data_file("header_words.csv"), *extra):
            rows = list(csv.reader(io.StringIO(read_user_text(Path(path), "heading words file"), newline="")))
            for n, row in enumerate(rows, 1):
                if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
                    continue
                if n == 1 and row[0].strip().lower() == "field":
                    continue
                if len(row) < 2 or row[0].strip() not in FIELDS:
                    raise ConfigError(f"line {n} needs a field and a word", file=path,
                                      hint=f"use one of {', '.join(FIELDS)}")
                word = row[1].strip().lower()
                if word and word not in table[row[0].strip()]:
                    table[row[0].strip()].append(word)
        return cls({f: tuple(v) for f, v in table.items()})

    @cached_property
    def known(self) -> frozenset[str]:
        """Every word that names some field."""
        return frozenset(w for names in self.words.values() for w in names)


def _read_synonyms(path: Path) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(read_user_text(path, "synonyms file"), newline="")))
    out = []
    for n, row in enumerate(rows, 1):
        if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
            continue
        if n == 1 and row[0].strip().lower() == "field":
            continue
        if len(row) < 2:
            raise ConfigError(f"line {n} needs two columns: field,synonym", file=path)
        field = row[0].strip()
        if field not in FIELDS:
            raise ConfigError(
                f"line {n}: unknown field {field!r}", file=path, hint=f"use one of {', '.join(FIELDS)}"
            )
        out.append((field, row[1].strip()))
    return out


_SCORED_MAX = 50_000  # cell texts whose header score is kept


def score_header(text: str, synonyms: Synonyms) -> tuple[str | None, float]:
    """The best canonical field for one header cell and how sure we are (0-100)."""
    known = synonyms.scored.get(text)
    if known is None:
        if len(synonyms.scored) > _SCORED_MAX:  # a long batch: start again rather than grow
            synonyms.scored.clear()
        known = synonyms.scored[text] = _score_header(text, synonyms)
    return known


def _score_header(text: str, synonyms: Synonyms) -> tuple[str | None, float]:
    best: tuple[str | None, float] = (None, 0.0)
    for field, score in field_scores(text, synonyms).items():
        if score > best[1]:
            best = (field, score)
    return best


def field_scores(text: str, synonyms: Synonyms) -> dict[str, float]:
    """How well one header cell names each field (0-100), by the synonyms file: fuzzily,
    or holding a synonym as whole words."""
    words = [k for w in text.split() if (k := header_key(w))]
    key = "".join(words)
    out: dict[str, float] = {}
    if not key:
        return out
    bounds = {0}
    for w in words:
        bounds.add(max(bounds) + len(w))
    for field, keys in synonyms.keys.items():
        best = 0.0
        for syn in keys:
            score = fuzz.ratio(key, syn)
            share = _share(key, syn, bounds) if len(syn) >= _CONTAINED_MIN and syn != key else 0.0
            if share:
                score = max(score, _CONTAINED_FLOOR + (100.0 - _CONTAINED_FLOOR) * share)
            best = max(best, score)
        out[field] = best
    return out


def _share(key: str, syn: str, bounds: set[int]) -> float:
    """How much of the header the synonym is, where it is whole words of it ("Current RAG",
    "Evidence of impact seen"; 0 where it is only the start of a longer word, "Ref" in
    "refreshed"): its share of the letters, or for a short synonym, an acronym, the larger
    of that and its share of the words, so "Current RAG" counts as the half it is."""
    at = key.find(syn)
    while at >= 0:
        if at in bounds and at + len(syn) in bounds:
            if len(syn) > _ACRONYM_MAX:
                return len(syn) / len(key)
            words = sum(1 for b in bounds if at < b <= at + len(syn))
            return max(len(syn) / len(key), words / (len(bounds) - 1))
        at = key.find(syn, at + 1)
    return 0.0


@dataclass(frozen=True)
class ColumnMap:
    """Which canonical field each column holds (None: kept under `extra`)."""

    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    scores: tuple[float, ...]

    @property
    def mapped(self) -> set[str]:
        return {f for f in self.fields if f}

    def index(self, field: str) -> int | None:
        return self.fields.index(field) if field in self.fields else None


def map_columns(headers: Sequence[str], synonyms: Synonyms, threshold: float | None = None) -> ColumnMap:
    """Map header cells to fields; each field goes to the column that matches it best."""
    threshold = synonyms.threshold if threshold is None else threshold
    scored = [score_header(h, synonyms) for h in headers]
    owner: dict[str, int] = {}
    for i, (field, score) in enumerate(scored):
        if field and score >= threshold and (field not in owner or score > scored[owner[field]][1]):
            owner[field] = i
    fields: list[str | None] = [None] * len(headers)
    for field, i in owner.items():
        fields[i] = field
    return ColumnMap(tuple(headers), tuple(fields), tuple(s for _, s in scored))


# a heading no synonym names may still name a field by its words ("Planned activity",
# "When will it be done?") where it is this short and the row has a synonym of its own
_WORDS_NAME_UP_TO = 6


# letters of the heading word a run-together word starts with, and of the rest, at least
# (fixed: shorter pieces, "lead" in "leadership", are a word's own letters)
_RUN_TOGETHER_HEAD, _RUN_TOGETHER_TAIL = 5, 3


def word_hits(text: str, words: HeadingWords, most: int) -> dict[str, int]:
    """How many of a heading's words name each field (header_words.csv), fields in the
    order the heading names them; none for a heading of more than `most` words."""
    plain = re.findall(r"[a-z]+", text.lower())
    known = words.known
    # a word a narrow column broke across two lines ("Timefram" / "e") is one word
    joined: list[str] = []
    for w in plain:
        if joined and joined[-1] not in known and w not in known and joined[-1] + w in known:
            joined[-1] += w
        else:
            joined.append(w)
    # and two words a join ran together ("Accountable" / "manager": "accountablemanager")
    # are two, where the first is a heading word
    parted: list[str] = []
    for w in joined:
        cut = next((i for i in range(_RUN_TOGETHER_HEAD, len(w) - _RUN_TOGETHER_TAIL + 1)
                    if w not in known and w[:i] in known), None)
        parted += [w[:cut], w[cut:]] if cut is not None else [w]
    joined = parted
    hits: dict[str, int] = {}
    if len(joined) <= most:
        for w in joined:
            for f, names in words.words.items():
                if w in names or (w not in known and any(_same_stem(w, n) for n in names)):
                    hits[f] = hits.get(f, 0) + 1
    return hits


# letters two longer words must share from their start to be one word in another form
# ("different" / "difference"), and that share of the longer: "inspectors" is not
# "inspectorate", nor "report" "reported" (a heading's first line, "Report" / "ref")
_STEM_LETTERS, _STEM_SHARE = 6, 0.8


def _same_stem(a: str, b: str) -> bool:
    """One word in another form: a heading says "What will be different?" where the words
    file has "difference"."""
    if min(len(a), len(b)) < _STEM_LETTERS:
        return False
    common = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return common >= _STEM_LETTERS and common >= _STEM_SHARE * max(len(a), len(b))


def words_name(cell: str) -> str | None:
    """The field a short heading's words name first, if any."""
    if any(ch.isdigit() for ch in cell):
        return None
    return next(iter(word_hits(cell, HeadingWords.load(), _WORDS_NAME_UP_TO)), None)


# a cell that ends with a full stop after a lowercase word of four letters or more (not
# "No.", "Ref.", "Para No."): the end of a sentence
_SENTENCE_ENDS = re.compile(r"\b[a-z]{4,}\.\s*$")


def looks_like_header(cells: Sequence[str], synonyms: Synonyms,
                      settings: LayoutSettings = DEFAULT_LAYOUT) -> ColumnMap | None:
    """A header row names at least `header_min_fields` columns and `header_named_share` of
    its non-empty cells: by the synonyms file, and (once it names one) by the words short
    headings use for a field. A row where `header_most_sentences` cells or more end a
    sentence ("... evidence plans.") is body text, whatever words it holds: headings are
    names and questions, not statements."""
    if sum(1 for c in cells if _SENTENCE_ENDS.search(c)) >= settings.header_most_sentences:
        return None
    cmap = map_columns(cells, synonyms)
    filled = sum(1 for c in cells if c.strip())
    named = len(cmap.mapped)
    if named >= settings.header_min_fields and named >= settings.header_named_share * filled:
        return cmap
    if not named:
        return None
    # words alone are looser than a synonym: the row must name one more column than a
    # header needs, among them what a plan is for (its actions or its areas), so a key,
    # a milestones table or a sign-off ("Date", "Status") is not taken for a plan
    worded = {f for c, f0 in zip(cells, cmap.fields) if f0 is None and c.strip()
              and (f := words_name(c)) is not None and f not in cmap.mapped}
    named += len(worded)
    if (named > settings.header_min_fields and named >= settings.header_named_share * filled
            and {"action", "area_for_improvement"} & (cmap.mapped | worded)):
        return cmap
    return None


def names_only(cells: Sequence[str], synonyms: Synonyms, settings: LayoutSettings = DEFAULT_LAYOUT) -> bool:
    """Every filled cell is exactly a header name we know (`header_exact_match`; at least
    `header_min_fields` of them): text that ends here is a whole header, not the first
    lines of one."""
    filled = [c for c in cells if c.strip()]
    return len(filled) >= settings.header_min_fields and all(
        score_header(c, synonyms)[1] >= settings.header_exact_match for c in filled)


def header_score(cells: Sequence[str], synonyms: Synonyms, settings: LayoutSettings = DEFAULT_LAYOUT) -> float | None:
    """How well a row reads as a header (None: it does not)."""
    cmap = looks_like_header(cells, synonyms, settings)
    if cmap is None:
        return None
    return sum(s for s, f in zip(cmap.scores, cmap.fields) if f)


def infer_item_column(cmap: ColumnMap, data: Sequence[Sequence[str]],
                      settings: LayoutSettings = DEFAULT_LAYOUT) -> ColumnMap:
    """An unlabelled first column of "1.", "2." ... (`item_column_share` of its filled
    cells) is the item number."""
    if "item" in cmap.mapped or not cmap.fields or cmap.fields[0] is not None:
        return cmap
    values = [r[0].strip() for r in data if r and r[0].strip()]
    if values and sum(1 for v in values if ITEM_ID.match(v)) >= settings.item_column_share * len(values):
        fields = ("item", *cmap.fields[1:])
        scores = (100.0, *cmap.scores[1:])
        return ColumnMap(cmap.headers, fields, scores)
    return cmap


# --- a header among a table's rows of cells


def find_header(rows: Sequence[Sequence[str]], synonyms: Synonyms,
                settings: LayoutSettings = DEFAULT_LAYOUT) -> tuple[int, int, ColumnMap] | None:
    """(first row, number of header rows, column map) of the header in the first
    `header_scan_rows` rows of two cells or more, if any.

    A header may be wrapped over two table rows ("Ofsted" / "Para No"); the two rows are
    read as one when that maps the columns clearly better (`header_join_margin`) than the
    first row alone, or the second is a short line tucked under a complete first.
    """
    scanned = 0
    for i in range(len(rows)):
        # a row of one cell or none (a title or a blank row the grid prints above the
        # header, as a spreadsheet's cell gridlines do) cannot be a header and is not counted
        if sum(1 for c in rows[i] if c.strip()) < 2:
            continue
        scanned += 1
        if scanned > settings.header_scan_rows:
            break
        one = looks_like_header(rows[i], synonyms, settings)
        two = None
        # a row whose first cell opens with an item number is the body (its opening words:
        # the reader may not have cut the rows yet, "Action 1 Action 2 Action 3" in one cell)
        if i + 1 < len(rows) and rows[i + 1] and not opens_with_item(rows[i + 1][0]):
            joined = [f"{a} {b}".strip() for a, b in zip(rows[i], rows[i + 1])]
            two = looks_like_header(joined, synonyms, settings)
            below = looks_like_header(rows[i + 1], synonyms, settings)
            best_single = max((m for m in (one, below) if m is not None), key=lambda m: sum(m.scores), default=None)
            filled = [c for c in rows[i + 1] if c.strip()]
            # a short second line under a complete header ("Para No" under "Ofsted") that reads better joined
            tucked = (one is not None and below is None and two is not None
                      and 0 < len(filled) < sum(1 for c in rows[i] if c.strip())
                      and all(len(c.split()) <= settings.header_tucked_words for c in filled)
                      and sum(two.scores) >= sum(one.scores) and len(two.mapped) >= len(one.mapped))
            # a row under the header holding a sentence (a section row across the table, its text
            # in the first cell) is no more of the header, whatever its words score
            if two is not None and any(len(c.split()) > settings.header_max_words for c in filled):
                two = None
            if two is not None and (
                tucked or best_single is None
                or (sum(two.scores) > sum(best_single.scores) + settings.header_join_margin
                    and len(two.mapped) >= len(best_single.mapped))
            ):
                return i, 2, two
        if one is not None:
            return i, 1, one
    return None


def header_inside(rows: Sequence[Sequence[str]], first: int, synonyms: Synonyms,
                  settings: LayoutSettings = DEFAULT_LAYOUT) -> int | None:
    """The first row from `first` on (never the table's first) that reads as a header: a
    second plan's header inside the same ruled table, as a sheet holding two plans one
    below the other prints them in one grid. Header cells are names, so a row with a cell
    longer than `header_max_words` words is body and is not scored."""
    for i in range(max(first, 1), len(rows)):
        cells = rows[i]
        filled = [c for c in cells if c.strip()]
        if (len(filled) < settings.header_min_fields or opens_with_item(cells[0])
                or any(len(c.split()) > settings.header_max_words for c in filled)):
            continue
        if looks_like_header(cells, synonyms, settings) is not None:
            return i
    return None


def header_cut(row: Sequence[Cell], score: HeaderScore, settings: LayoutSettings, pitch: float | None = None,
               known: Sequence[str] | None = None,
               names_only: Callable[[list[str]], bool] | None = None) -> int | None:
    """Where a header printed at the top of a merged cell ends, if it ends inside the row.

    Each top line is tried as the header's last; the cut whose upper part reads best as a
    header wins (too few lines cut a wrapped header short, too many add body text). A cut
    must sit on evidence that a header ended there: a wider gap than the lines of a cell
    keep (the header's and the row's padding), the upper part being exactly the plan's
    known header, or (`names_only`) every cell above being a whole header name with any
    gap past the line pitch below it (a row split by the page has no top padding, so its
    gap under the header is narrow). The whole row is a candidate too: a clean header is
    not cut.
    """
    lines = row_lines(row)
    tol = settings.level_tolerance
    levels = levels_of(lines, tol)
    if len(levels) < 2:
        return None
    steps = [a - b for a, b in itertools.pairwise(levels)]
    pitch = pitch or statistics.median(steps)
    known_keys = [header_key(h) for h in known] if known and len(known) == len(row) else None
    best: tuple[float, int] | None = None

    def upper(k: int) -> list[str]:
        return [" ".join(ln.text for ln in sorted(c.lines, key=lambda ln: -ln.bbox[3])
                         if level_of(ln, levels, tol) < k) for c in row]

    # the line where the first column's numbering starts ("1."): no header holds a number,
    # so the header ends above it, whatever the gap (a word processor's header row may sit
    # as close over the body as its lines over each other)
    numbered = [level_of(ln, levels, tol) for ln in row[0].lines if ITEM_ID.match(ln.text.strip())] if row else []
    first_number = min(numbered, default=None)

    # a heading a narrow column stacks letter by letter ("R" / "A" / "G" / "ra" / "ti" / "n"
    # / "g") may run past `header_levels`: up to where the numbering starts, it is header
    most = max(settings.header_levels, first_number or 0)
    for k in range(1, min(most, len(levels)) + 1):
        above = upper(k)
        exact = known_keys is not None and [header_key(a) for a in above] == known_keys
        if not exact and names_only is not None and k < len(levels) and steps[k - 1] > pitch:
            # whole names over any gap past a line, unless the next line reads as more header
            # ("Lead" over "Officer")
            more, here = score(upper(k + 1)), score(above)
            exact = names_only(above) and (more is None or here is None or more < here)
        ends = k == len(levels) or steps[k - 1] >= settings.gap_ratio * pitch or exact or k == first_number
        got = score(above) if ends else None
        if got is not None and (best is None or got + (_EXACT_BONUS if exact else 0) > best[0]):
            best = (got + (_EXACT_BONUS if exact else 0), k)
    if best is None or best[1] == len(levels):
        return None
    return best[1]


def repeated_header_cuts(row: Sequence[Cell], header: Sequence[Sequence[str]], settings: LayoutSettings) -> set[int]:
    """Cuts around a header printed again inside the row (ReportLab repeats a table's
    header mid-page after a row it split): before its first line and after its last."""
    if len(header) != len(row):
        return set()
    first = [header_key(lines[0]) if lines else "" for lines in header]
    wanted = [k for k in first if k]
    depth = max((len(lines) for lines in header), default=1)
    if len(wanted) < _FEWEST_REPEATED:
        return set()
    lines = row_lines(row)
    tol = settings.level_tolerance
    levels = levels_of(lines, tol)
    hits = [0] * len(levels)  # per level, the cells with a line there reading as their heading
    for c, cell in enumerate(row):
        if first[c]:
            for k in {level_of(ln, levels, tol) for ln in cell.lines if header_key(ln.text) == first[c]}:
                hits[k] += 1
    cuts: set[int] = set()
    for k, n in enumerate(hits):
        if n >= max(_FEWEST_REPEATED, settings.repeat_header_lines * len(wanted)):
            cuts |= {k, k + depth}
    return {k for k in cuts if 0 < k < len(levels)}


# cells each with a fill of its own, side by side, for a row of them to be a web page's cards
_FEWEST_CARDS = 2


def repair_header(table: RawTable, synonyms: Synonyms, current: Plan | None, settings: LayoutSettings,
                  trace: list[Decision] | None = None) -> RawTable:
    """The header as a row of its own.

    Lattice: a header printed above a row the page split has no rule under it, so the
    reader merges the two; cut the first row where the header ends. Stream: one row per
    printed line; stack the lines into one row per column and cut the header off the top,
    so a header wrapped over any number of lines is one row.
    """
    if not table.rows:
        return table
    known = list(current.columns.headers) if current is not None else None
    lattice = table.flavor == "lattice"
    pitch = line_pitch(table, settings) if lattice else None
    first = table.rows[0] if lattice else as_one_row(table, settings)
    rest = table.rows[1:] if lattice else []
    # a rule or a shaded header's lower edge, where the part above reads as a header
    def above_reads(k: int | None) -> int | None:
        """The cut, if the part above it reads as a header."""
        if k is None or header_score(_joined(cut_row(first, [k], settings=settings)[0]), synonyms, settings) is None:
            return None
        return k

    edges = sorted(edge_cuts(first, table, settings, rules=not lattice))
    k = above_reads(edges[0] if edges else None)
    evidence = "a fill edge or a rule under the header"
    # a web page's cards stand apart, each a fill of its own: the feet of the header's cards
    # (fills from the header's top) and the tops of the body's, above the first band edge
    # (a section row's), end the header (the rest of a cut row's card under them is the
    # body's; a body cell's foot, a rating's colour below the rest of a cut row, is not)
    top = max((ln.bbox[3] for ln in row_lines(first)), default=0.0)
    tol = settings.level_tolerance
    cards = tuple(f for f in table.fills if f[0][3] >= top - tol > f[0][1])
    below = tuple(f for f in table.fills if f[0][3] < top - tol)
    # (a row of cards starts there: two or more of them, not one cell's colour, which may be
    # a later row's under the rest of a cut one)
    tops = {y for y, n in Counter(round(f[0][3], 1) for f in below).items() if n >= _FEWEST_CARDS}
    card_edges = [*(cell_fill_edges(replace(table, fills=cards), settings) if len(cards) >= _FEWEST_CARDS else []),
                  *((y, label) for y, label in cell_fill_edges(replace(table, fills=below), settings) if y in tops)]
    if (not lattice and card_edges
            and (cells := sorted(cell_fill_cuts(first, table, settings, edges=card_edges)))
            and (not edges or cells[0] < edges[0])):
        k = above_reads(cells[0]) or k
        evidence = "the foot of the header's cards or the top of the body's" if k == cells[0] else evidence
    if k is None and table.header_end is not None and not lattice:
        # the header the columns were placed by ends here
        levels = levels_of(row_lines(first), settings.level_tolerance)
        # (a body line set tight under it, its top within a level of the header's foot, is the body's)
        above = sum(1 for y in levels if y > table.header_end + settings.level_tolerance)
        if above == len(levels) and header_score(_joined(first), synonyms, settings) is not None:
            # the whole of it: a header alone at a page's foot, its rows on the next page (a
            # wrapped heading's last line is the header's, however the cut-off part scores)
            return table if lattice else replace(table, rows=[first])
        k = above_reads(above) if 0 < above < len(levels) else None
        evidence = "the header the columns were placed by"
    if k is None:
        k = header_cut(first, lambda cells: header_score(cells, synonyms, settings), settings, pitch, known,
                       lambda cells: names_only(cells, synonyms, settings))
        evidence = "where the text above reads best as the header (a gap, or the plan's own header words)"
    if k is None:
        return table if lattice else replace(table, rows=[first])
    parts = cut_row(first, [k], table.fills, settings)
    if trace is not None:
        y = levels_of(row_lines(first), settings.level_tolerance)[k] + CUT_ABOVE
        merged = "merged by the reader into the row below" if lattice else "its lines stacked with the table's"
        trace.append(Decision("row-cut", table.page, "header end", f"the header was {merged}; cut at {evidence}",
                              box=(table.bbox[0], y, table.bbox[2], y), y=y))
    return replace(table, rows=[*parts, *_uncopy(rest, first, parts[-1])])


def _uncopy(rows: list[list[Cell]], merged: list[Cell], body: list[Cell]) -> list[list[Cell]]:
    """A cell merged down over several rows gives its text to each (Camelot's copy_text);
    where the header was part of that merged cell, the copies lose the header too."""
    out = []
    for row in rows:
        out.append([replace(cell, text=body[c].text) if c < len(merged) and merged[c].text.strip()
                    and _same_lines(cell.text, merged[c].text) and not cell.lines else cell
                    for c, cell in enumerate(row)])
    return out


def _same_lines(a: str, b: str) -> bool:
    """The same printed lines (whatever marks where a line stopped short)."""
    return [ln.strip() for ln in a.split("\n")] == [ln.strip() for ln in b.split("\n")]


def _joined(row: list[Cell]) -> list[str]:
    return [" ".join(c.text.split()) for c in row]


def header_fragment(cells: list[str], cmap: ColumnMap, settings: LayoutSettings = DEFAULT_LAYOUT) -> bool:
    """A row that repeats the header, whole or in pieces ("Para No" under "Ofsted").

    Whole: `repeat_header_share` of its filled cells (`header_min_fields` at least) within
    `repeat_header_match` of their column's header. In pieces: every word of every filled
    cell must be a word of that column's header, so a continuation line such as "on."
    under "Action" is not mistaken for one.
    """
    filled = [(c, h) for c, h in zip(cells, cmap.headers) if c.strip()]
    if not filled:
        return False
    close = sum(1 for c, h in filled
                if header_key(h) and fuzz.ratio(header_key(c), header_key(h)) >= settings.repeat_header_match)
    least = settings.header_min_fields
    if len(filled) >= least and close >= max(least, settings.repeat_header_share * len(filled)):
        return True  # the whole header again, as OCR reads it ("Area forlmprovement", "RIA/JG")
    words_seen = 0
    for cell, header in filled:
        words = re.findall(r"[a-z]+", cell.lower())
        if words and not set(words) <= set(re.findall(r"[a-z]+", header.lower())):
            return False
        words_seen += sum(1 for w in words if len(w) >= _WORD_LETTERS)
    # a lone word ("Evaluation." ending a cell cut by the page) is text, not a header piece
    return words_seen >= _FRAGMENT_WORDS


def header_rows(rows: Sequence[Row], cmap: ColumnMap, vocab: Vocabulary,
                settings: LayoutSettings = DEFAULT_LAYOUT) -> list[bool]:
    """True for repeated header rows and stray pieces of them inside the body; and, first
    on its page (under the header printed again), a row of marks that end their columns'
    headings: a narrow column wrapped "Who is responsible?" before its "?"."""
    out = []
    for row in rows:
        cells = [clean_cell(v, vocab) for v in row.cells.values()]
        out.append(header_fragment(cells, cmap, settings)
                   or (bool(row.pieces) and row.pieces[0].index == 0 and _heading_ends(cells, cmap)))
    return out


def _heading_ends(cells: Sequence[str], cmap: ColumnMap) -> bool:
    filled = [(c.strip(), h) for c, h in zip(cells, cmap.headers) if c.strip()]
    return bool(filled) and all(not re.search(r"\w", c) and h.rstrip().endswith(c) for c, h in filled)


# --- a header among a page's printed lines (tables without vertical rules)


HeaderTest = Callable[[list[str]], bool]


@dataclass(frozen=True)
class PlanHeaderTest:
    """Does a row of cells read as a plan's header; and which field one heading names
    surely (to part two headings a producer printed as one line, "Target date Progress")."""

    synonyms: Synonyms
    settings: LayoutSettings = DEFAULT_LAYOUT

    def __call__(self, cells: list[str]) -> bool:
        return looks_like_header(cells, self.synonyms, self.settings) is not None

    def names(self, text: str) -> tuple[str | None, float]:
        field, score = score_header(text, self.synonyms)
        return (field, score) if score >= self.synonyms.threshold else (None, 0.0)


@dataclass(frozen=True)
class Grid:
    """Where a borderless table's columns are: separators between the header cells."""

    separators: tuple[float, ...]
    left: float
    right: float
    first_end: float | None = None  # where the first header cell's text ends (None: no heading)


def header_texts(rows: Sequence[Sequence[TextLine]], settings: LayoutSettings = DEFAULT_LAYOUT) -> list[str]:
    """The headings the rows make, read as a header's lines (`_cells`)."""
    return [t for _, _, t in _cells(rows, settings)]


def _cells(rows: Sequence[Sequence[TextLine]], settings: LayoutSettings) -> list[tuple[float, float, str]]:
    """Header cells from one or two rows: lines that overlap in x (by more than
    `overlap_margin`) are one cell ("Ofsted Para" / "No")."""
    cells: list[list[float | str]] = []
    margin = settings.overlap_margin
    for line in sorted((ln for r in rows for ln in r), key=lambda ln: ln.bbox[0]):
        x0, x1 = line.bbox[0], line.bbox[2]
        for cell in cells:
            if x0 < float(cell[1]) - margin and x1 > float(cell[0]) + margin:
                cell[0], cell[1] = min(float(cell[0]), x0), max(float(cell[1]), x1)
                cell[2] = f"{cell[2]} {line.text}"
                break
        else:
            cells.append([x0, x1, line.text])
    return sorted((float(a), float(b), str(t)) for a, b, t in cells)


def _grid(cells: list[tuple[float, float, str]], settings: LayoutSettings) -> Grid:
    """Columns start where their header text starts (plans are set left-aligned), so a
    separator sits `text_column_lead` left of each header cell but the first."""
    lead = settings.text_column_lead
    seps = tuple(max(cells[k][1], cells[k + 1][0] - lead) for k in range(len(cells) - 1))
    return Grid(seps, cells[0][0] - GRID_PAD, cells[-1][1] + GRID_PAD, cells[0][1])


# body lines that must start in the gap between two header cells before they move the
# column edge there (fixed: one line may be a stray, two starting there are a column's)
_FEWEST_GAP_STARTS = 2
# points: ends this far apart are ragged (FLUSH: lines that start this close are flush)
_RAGGED = 2.0


def align_to_body(grid: Grid, cells: Sequence[tuple[float, float, str]], body: Sequence[Sequence[TextLine]],
                  settings: LayoutSettings = DEFAULT_LAYOUT,
                  names: Callable[[str], tuple[str | None, float]] | None = None) -> Grid:
    """A browser centres a `<th>`'s text: the column starts left of its heading. Body lines
    that start flush in the gap after one heading and before the next are the next column's
    (the column before starts at or before its own heading), so its edge is moved to them;
    where the next heading's own column has lines flush under it too, the gap holds a
    column whose heading was not read (set lower, in a row of its own): it is added.
    Numbers set flush right, or after a heading that names the item (`names`) where none
    start under it, are that column's own (a spreadsheet sets numbers at a cell's right),
    not the next one's."""
    lead, m = settings.text_column_lead, settings.overlap_margin
    lines = [ln.bbox for r in body for ln in r]
    seps = list(grid.separators)
    added: list[float] = []
    for k in range(min(len(seps), len(cells) - 1)):
        # numbers the edge cuts through, one column's each (a section row's runs over more),
        # starting flush after the heading before: the column starts there, whatever their
        # width ("36." in every row, set left under a centred "Para ref"). (Only numbers: a
        # spreadsheet lets a cell's text run on over the empty cell beside it.)
        # So too any line the edge cuts within its first letter or two (under its font size
        # past its start: "J" / "une 2025"), starting after the heading before: no cell's text
        # running on over its neighbour starts there, right of its own heading's end
        # (as are lines the edge cuts that share one centre: a centred column's; the edge
        # goes left of them all, where it cuts no line)
        crossing = [ln for r in body for ln in r if ln.bbox[0] + m < seps[k] < ln.bbox[2] - m
                    and cells[k][1] + m < ln.bbox[0] and sum(ln.bbox[0] + m < x < ln.bbox[2] - m for x in seps) == 1]
        cut = [ln.bbox for ln in crossing if _ONE_NUMBER.match(ln.text.strip())]
        starts = sorted(b[0] for b in cut)
        if len(cut) >= _FEWEST_GAP_STARTS and starts[-1] - starts[0] <= FLUSH:
            seps[k] = max(cells[k][1], starts[0] - lead)
            continue
        letters = [ln.bbox[0] for ln in crossing if seps[k] - ln.bbox[0] <= _FIRST_LETTER * ln.size
                   and not _NUMBER_FIRST.match(ln.text.strip())]  # (a sheet's number run on into the next cell's)
        words = [ln for ln in crossing if not _NUMBER_FIRST.match(ln.text.strip())]
        centres = [(ln.bbox[0] + ln.bbox[2]) / 2 for ln in words]
        word_starts = [ln.bbox[0] for ln in words]
        if (len(centres) >= _FEWEST_GAP_STARTS and max(centres) - min(centres) <= FLUSH
                and max(word_starts) - min(word_starts) > FLUSH):  # (lines of one width say nothing of centring)
            letters += word_starts  # centred in the next column, each of them
        at = min(letters, default=0.0) - lead
        if letters and at > cells[k][1] and not any(b[0] + m < at < b[2] - m for b in lines):
            seps[k] = at
            continue
        gap = [ln for r in body for ln in r if cells[k][1] + m < ln.bbox[0] < seps[k] - m]
        if _flush_right_numbers(gap) or (names is not None and names(cells[k][2])[0] == "item" and not any(
                _NUMBER_FIRST.match(ln.text.strip()) for r in body for ln in r
                if ln.bbox[0] <= cells[k][1] + m)):  # the item column's numbers are none of them under its heading
            gap = [ln for ln in gap if not _NUMBER_FIRST.match(ln.text.strip())]
        inside = sorted((ln.bbox for ln in gap), key=lambda b: b[0])
        for first in inside:
            # a column's own text: lines flush at one left edge, ragged on the right (lines
            # centred under a heading, a number centred in its column, start anywhere)
            flush = [b for b in inside if abs(b[0] - first[0]) <= FLUSH]
            if len(flush) < _FEWEST_GAP_STARTS or max(b[2] for b in flush) - min(b[2] for b in flush) <= _RAGGED:
                continue
            edge = max(cells[k][1], first[0] - lead)
            own = [b for b in lines if abs(b[0] - cells[k + 1][0]) <= lead + m]
            if len(own) >= _FEWEST_GAP_STARTS:
                added.append(edge)  # the next heading's column has text of its own: a column whose heading was not read
            else:
                seps[k] = edge  # the next heading is centred over its column
            break
    return Grid(tuple(sorted([*seps, *added])), grid.left, grid.right, grid.first_end)


# of a line's font size: an edge this close past a line's start cuts its first letter (or two)
_FIRST_LETTER = 1.0
# one number, with its bracketed references if any ("36.", "43. (40)"; not "3 22 (77, 141)",
# a number run on into the next cell's)
_ONE_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?(?:\s*\([^)]*\)?)?$")
_NUMBER_FIRST = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?\.?(?:\s|$)")


def _flush_right_numbers(lines: Sequence[TextLine]) -> bool:
    """Numbers of more than one width ending flush ("9" over "10"): set at the right of
    the column before, not the start of a column of their own. A number the line ran on
    into the next cell's text ("11 36 (74)") is one of them too."""
    numbers = [ln.bbox for ln in lines if ITEM_ID.match(ln.text.strip()) and ln.text.strip()[:1].isdigit()]
    return (len(numbers) >= _FEWEST_GAP_STARTS and max(b[2] for b in numbers) - min(b[2] for b in numbers) <= _RAGGED
            and max(b[0] for b in numbers) - min(b[0] for b in numbers) > _RAGGED)


def _header_cells(block: Sequence[Sequence[TextLine]], is_header: HeaderTest,
                  settings: LayoutSettings) -> list[tuple[float, float, str]] | None:
    cells = _cells(block, settings)
    return cells if len(cells) >= settings.header_min_fields and is_header([t for _, _, t in cells]) else None


def _close(upper: Sequence[TextLine], lower: Sequence[TextLine], settings: LayoutSettings) -> bool:
    """The lower row follows the upper at a line's spacing (`text_header_spacing` of its
    size): the same block of text."""
    return bool(upper) and bool(lower) and (
        upper[0].bbox[1] - lower[0].bbox[3] <= settings.text_header_spacing * upper[0].size)


def _in_gaps(upper: Sequence[TextLine], lower: Sequence[TextLine], settings: LayoutSettings) -> bool:
    """No more lines than the row below, each over a gap between its lines: the first lines
    of headings set middle-aligned in a header row whose one-line headings sit lower."""
    margin = settings.overlap_margin
    return len(upper) <= len(lower) and all(
        not any(u.bbox[0] < w.bbox[2] - margin and u.bbox[2] > w.bbox[0] + margin for w in lower) for u in upper)


def _under(row: Sequence[TextLine], cells: Sequence[tuple[float, float, str]], settings: LayoutSettings) -> bool:
    """Every line of the row sits under one of the cells (a header line wrapped below)."""
    margin = settings.overlap_margin
    return all(any(ln.bbox[0] < b - margin and ln.bbox[2] > a + margin for a, b, _ in cells) for ln in row)


def _headings_go_on(header: Sequence[Sequence[TextLine]], row: Sequence[TextLine], settings: LayoutSettings) -> bool:
    """Each line of the row goes on a heading's lines from the row above, or starts one
    lower (a heading centred or set at its cell's foot): a heading's lines are one run, so
    a line under a heading that ended rows above is a body row's ("Action" under "ID", a
    narrow plan's first row at the header's own spacing, its lines a word or two each)."""
    m = settings.overlap_margin

    def over(ln: TextLine, lines: Sequence[TextLine]) -> bool:
        return any(up.bbox[0] < ln.bbox[2] - m and up.bbox[2] > ln.bbox[0] + m for up in lines)

    return all(over(ln, header[-1]) or not any(over(ln, r) for r in header[:-1]) for ln in row)


def _wrapped_under(lower: Sequence[TextLine], upper: Sequence[TextLine], settings: LayoutSettings) -> bool:
    """The lower row is the upper's headings wrapped: fewer lines, each short and starting
    flush with a heading above ("Action" / "number", "Named" / "lead", "By" / "Whe"), though
    read alone it names fields too."""
    return 0 < len(lower) < len(upper) and all(
        len(ln.text.split()) <= settings.text_header_wrap_words
        and any(abs(ln.bbox[0] - up.bbox[0]) <= FLUSH for up in upper) for ln in lower)


def _apart(line: TextLine, cells: Sequence[tuple[float, float, str]], settings: LayoutSettings) -> bool:
    """The line stands in a gap between the cells: a heading of its own ("Where are we
    now?"), however many words, not a wrapped part of one."""
    margin = settings.overlap_margin
    return not any(line.bbox[0] < b - margin and line.bbox[2] > a + margin for a, b, _ in cells)


def _spans_two(upper: Sequence[TextLine], lower: Sequence[tuple[float, float]], settings: LayoutSettings) -> bool:
    """A line of the upper row runs over two of the lower's (x0, x1) extents: a sentence
    over the header (a paragraph set right above it), not a heading's first line."""
    m = settings.overlap_margin
    return any(sum(1 for a, b in lower if u.bbox[0] < b - m and u.bbox[2] > a + m) > 1 for u in upper)


def _numbered(row: Sequence[TextLine], cells: Sequence[tuple[float, float, str]], settings: LayoutSettings) -> bool:
    """The row opens with an item number under the first heading: the body has begun."""
    first = min(row, key=lambda ln: ln.bbox[0], default=None)
    return first is not None and first.bbox[0] < cells[0][1] - settings.overlap_margin and bool(
        ITEM_ID.match(first.text.strip()))


def _staggered(rows: Sequence[Sequence[TextLine]], i: int, used: int, is_header: HeaderTest | PlanHeaderTest,
               settings: LayoutSettings) -> tuple[int, int]:
    """The header's rows grown by the rows set between its lines (`text_header_stagger`):
    headings centred in a header row over fewer lines than the tallest sit half a line
    off the others, in rows of their own above and below."""
    def between(a: Sequence[TextLine], b: Sequence[TextLine]) -> bool:
        size = max(ln.size for ln in (*a, *b))
        return abs(a[0].bbox[3] - b[0].bbox[3]) < settings.text_header_stagger * size

    def takes(k: int, first: int, last: int) -> bool:
        cells = _cells(rows[first:last], settings)
        return (not _spans_two(rows[k], [(a, b) for a, b, _ in cells], settings)
                and not _numbered(rows[k], cells, settings)
                and all(len(ln.text.split()) <= settings.text_header_wrap_words or _apart(ln, cells, settings)
                        for ln in rows[k])
                and bool(is_header([t for _, _, t in _cells(rows[min(k, first):max(k + 1, last)], settings)])))

    first, last = i, i + used
    while first > 0 and between(rows[first - 1], rows[first]) and takes(first - 1, first, last):
        first -= 1
    while last < len(rows) and between(rows[last - 1], rows[last]) and takes(last, first, last):
        last += 1
    return first, last - first


def _heading_lines_beyond(rows: Sequence[Sequence[TextLine]], i: int, used: int,
                          settings: LayoutSettings) -> tuple[int, int]:
    """The header's rows grown by rows above and below it that only hold more lines of its
    tallest headings: a heading wrapped a few letters a line in a narrow column ("O" / "n" /
    "tr" / "ac" / "k?"), centred in its row, runs past the rows of the others. Each line
    must go on a heading of two lines or more at that heading's own line pitch
    (`text_header_pitch_tolerance`); a title above, or the body's first row below, sits
    further off (the cells' padding)."""
    def goes_on(line: TextLine, header: Sequence[TextLine], up: bool) -> bool:
        column = sorted((ln for ln in header if ln.bbox[0] < line.bbox[2] and line.bbox[0] < ln.bbox[2]),
                        key=lambda ln: -ln.bbox[3])
        if len(column) < 2 or len(line.text.split()) > settings.text_header_wrap_words:
            return False
        pitch = min(a.bbox[3] - b.bbox[3] for a, b in itertools.pairwise(column))
        edge = column[0] if up else column[-1]
        step = line.bbox[3] - edge.bbox[3] if up else edge.bbox[3] - line.bbox[3]
        return pitch > 0 and abs(step - pitch) <= settings.text_header_pitch_tolerance

    first, last = i, i + used
    while first > 0 and all(goes_on(ln, [x for r in rows[first:last] for x in r], True) for ln in rows[first - 1]):
        first -= 1
    while last < len(rows) and all(goes_on(ln, [x for r in rows[first:last] for x in r], False) for ln in rows[last]):
        last += 1
    return first, last - first


# words a rating's name may hold in a key's cell ("Some slippage", "Complete")
_KEY_WORDS = 3


def key_row(row: Sequence[TextLine]) -> bool:
    """A key of the ratings over a header ("Key:" / "Off track" / "Some slippage" / "On
    track"), set right above it as a sheet does: not a row of the table."""
    texts = [ln.text.strip() for ln in row if ln.text.strip()]
    rated = sum(1 for t in texts if reads_as_rating(t, _KEY_WORDS))
    return bool(texts) and (texts[0].lower().startswith("key") or rated >= len(texts) - 1) and rated >= 2


def find_text_header(
    rows: Sequence[Sequence[TextLine]], is_header: HeaderTest | PlanHeaderTest,
    settings: LayoutSettings = DEFAULT_LAYOUT,
) -> tuple[int, int, Grid] | None:
    """(first row, rows used, grid) of the first header row in the page's first
    `text_header_scan_rows` rows, a title or a paragraph's line not counted.

    A header wraps its cells onto further lines ("Ofsted" / "Para" / "No"): rows that
    follow at the header's own line spacing, with fewer and short lines
    (`text_header_wrap_words`) each under a header cell, belong to it. A row of body text
    that happens to read like a header ("... governance quality", "evidence at") is not
    one when a full row of the same block sits right above it: headers open their table.
    """
    s = settings
    # a line of a paragraph (as wide as half the text) or a title (set larger than most of
    # the text) alone in its row is not counted: an introduction may fill the page above the
    # header; a table's cell running on alone (narrow, body-sized) is counted
    lines = [ln for r in rows for ln in r]
    width = max((ln.bbox[2] for ln in lines), default=0.0) - min((ln.bbox[0] for ln in lines), default=0.0)
    sizes = sorted(ln.size for ln in lines)
    body = sizes[len(sizes) // 2] if sizes else 0.0

    def prose(row: Sequence[TextLine]) -> bool:
        return len(row) == 1 and (row[0].bbox[2] - row[0].bbox[0] >= 0.5 * width
                                  or row[0].size > body + s.title_size_margin)

    scanned = 0
    for i in range(len(rows)):
        scanned += not prose(rows[i])
        if scanned > s.text_header_scan_rows:
            break
        if i and _close(rows[i - 1], rows[i], s) and len(rows[i - 1]) >= s.header_min_fields \
                and not key_row(rows[i - 1]):
            continue  # inside a body: a header is not printed under a row of its own table
        if rows[i] and opens_with_item(min(rows[i], key=lambda ln: ln.bbox[0]).text):
            continue  # a numbered row ("1.1" ... "progress evidence" ... "monitoring"): body, set mid-cell
        one = _header_cells(rows[i:i + 1], is_header, s)
        below = rows[i + 1] if i + 1 < len(rows) else []
        # a heading set larger right above the header ("4. The action plan") is not its first line
        close = _close(rows[i], below, s) and not (
            below and max(ln.size for ln in rows[i]) > max(ln.size for ln in below) + s.title_size_margin)
        if one is not None:
            # a line under the header that runs over two of its headings is a row of its own
            # (a section row right under the header), not a heading's wrapped line
            used = 2 if (close and len(below) < len(one) and _under(below, one, s)
                         and not _spans_two(below, [(a, b) for a, b, _ in one], s)) else 1
        elif close and (_header_cells([below], is_header, s) is None or _in_gaps(rows[i], below, s)
                        or _wrapped_under(below, rows[i], s)) \
                and not _spans_two(rows[i], [(ln.bbox[0], ln.bbox[2]) for ln in below], s) \
                and _header_cells(rows[i:i + 2], is_header, s):
            used = 2
        else:
            continue
        cells = _cells(rows[i:i + used], s)
        if used == 2:  # further wrapped lines, at the spacing of the first two
            pitch = rows[i][0].bbox[3] - rows[i + 1][0].bbox[3]
            k = i + 2
            while (k < len(rows)
                   and abs(rows[k - 1][0].bbox[3] - rows[k][0].bbox[3] - pitch) <= s.text_header_pitch_tolerance
                   and len(rows[k]) < len(cells)
                   and all(len(ln.text.split()) <= s.text_header_wrap_words for ln in rows[k])
                   and _under(rows[k], cells, s) and not _numbered(rows[k], cells, s)
                   and _headings_go_on(rows[i:k], rows[k], s)):
                grown = _cells(rows[i:k + 1], s)
                if not is_header([t for _, _, t in grown]):
                    break
                cells, k = grown, k + 1
            used = k - i
        i, used = _staggered(rows, i, used, is_header, s)
        i, used = _heading_lines_beyond(rows, i, used, s)
        cells = _cells(rows[i:i + used], s)
        # a plan's own test knows which field a heading names, and so where two part
        if isinstance(is_header, PlanHeaderTest):
            printed = {" ".join(ln.text.split()) for r in rows[i:i + used] for ln in r}
            cells = part_joined_headings(cells, rows[i + used:], is_header.names, s, printed)
        # the body its columns are fitted to ends at a title set larger than its text (a
        # second table below, other columns: its lines would add edges this one lacks)
        fitted = rows[i + used:]
        sizes = sorted(ln.size for r in fitted for ln in r)
        if sizes:
            body = sizes[len(sizes) // 2]
            fitted = fitted[:next((k for k, r in enumerate(fitted)
                                   if max(ln.size for ln in r) > body + s.title_size_margin), len(fitted))]
        return i, used, align_to_body(_grid(cells, s), cells, fitted, s, getattr(is_header, "names", None))
    return None


# share of a joined heading's width: a parting guessed from its characters this near a
# column of body text is that column's
_PART_NEAR = 0.15


def part_joined_headings(cells: Sequence[tuple[float, float, str]], body: Sequence[Sequence[TextLine]],
                         names: Callable[[str], tuple[str | None, float]], settings: LayoutSettings = DEFAULT_LAYOUT,
                         printed: set[str] | None = None) -> list[tuple[float, float, str]]:
    """A spreadsheet's heading that fills its narrow column runs on into the next as one
    printed line ("Target date Progress and evidence"): the cell is two where its words
    part into two headings naming two fields and the body's lines start flush inside it,
    the second column's edge. `printed`: the header's printed lines; only a cell that is
    one of them is parted (a heading wrapped onto lines of its own is one heading)."""
    m = settings.overlap_margin
    lines = [ln.bbox for r in body for ln in r]
    out: list[tuple[float, float, str]] = []
    for a, b, text in cells:
        words = text.split()
        one_line = printed is None or " ".join(words) in printed
        inside = [x0 for x0, _, _, _ in lines if one_line and a + settings.text_column_lead + m < x0 < b - m]
        flush = sorted({x for x in inside if sum(1 for y in inside if abs(y - x) <= FLUSH) >= _FEWEST_GAP_STARTS})
        # the parting that falls nearest a column of body text, then whose headings read best
        best: tuple[tuple[bool, float], str, str, float] | None = None
        for k in range(1, len(words)) if flush else ():
            left, right = " ".join(words[:k]), " ".join(words[k:])
            (f, sf), (g, sg) = names(left), names(right)
            guess = a + (b - a) * (len(left) + 1) / (len(text) + 1)  # about where the right part starts
            edge = min(flush, key=lambda x: abs(x - guess))
            rank = (abs(edge - guess) > _PART_NEAR * (b - a), -(sf + sg))
            if f and g and f != g and (best is None or rank < best[0]):
                best = (rank, left, right, edge)
        if best is None:
            numbers = _numbers_part(a, b, words, [ln for r in body for ln in r], names, settings)
            out += [(a, numbers - m, words[0]), (numbers, b, " ".join(words[1:]))] if numbers else [(a, b, text)]
            continue
        _, left, right, edge = best
        out += [(a, edge - m, left), (edge, b, right)]
    return out


def _numbers_part(a: float, b: float, words: Sequence[str], lines: Sequence[TextLine],
                  names: Callable[[str], tuple[str | None, float]], settings: LayoutSettings) -> float | None:
    """Where a heading's first word, naming the item number ("No.", "Ref"), ends its own
    column: the body under the cell's start holds item numbers only ("1.1" / "a"), all
    ending before where the next heading's words start (a narrow number column whose
    heading runs on into the next, the next column blank on the page)."""
    if len(words) < 2 or names(words[0])[0] != "item":
        return None
    rest = " ".join(words[1:])
    field, _ = names(rest)
    if field is None or field == "item":
        return None
    m = settings.overlap_margin
    guess = a + (b - a) * (len(words[0]) + 1) / (len(" ".join(words)) + 1)
    under = [ln for ln in lines if a - m <= ln.bbox[0] < guess]
    if len(under) < _FEWEST_GAP_STARTS or any(ln.bbox[2] > guess - m for ln in under):
        return None
    # the number and the tail a narrow column wraps it onto ("1.1" / "a")
    if sum(1 for ln in under if ITEM_ID.match(ln.text.strip())) < _FEWEST_GAP_STARTS or any(
            not ITEM_ID.match(ln.text.strip()) and len(ln.text.strip()) > _NUMBER_TAIL for ln in under):
        return None
    return (max(ln.bbox[2] for ln in under) + guess) / 2


# characters of an item number's tail wrapped onto a line of its own ("a", "(i)")
_NUMBER_TAIL = 3


def below_header(rows: list[list[TextLine]], start_rows: int,
                 settings: LayoutSettings = DEFAULT_LAYOUT) -> list[list[TextLine]]:
    """The rows under a header, past the further lines a header wraps onto (fewer lines
    than `text_header_wrap_share` of its first row, each starting within
    `text_header_wrap_align` of where a header line starts and holding no more than
    `text_header_wrap_words` words: the rest of a row cut at the page before's foot starts
    where the headings start too, but its running text is longer)."""
    starts = [ln.bbox[0] for r in rows[:start_rows] for ln in r]
    k = start_rows
    while k < len(rows) and len(rows[k]) < settings.text_header_wrap_share * len(rows[0]) and all(
            any(abs(ln.bbox[0] - s) <= settings.text_header_wrap_align for s in starts)
            and len(ln.text.split()) <= settings.text_header_wrap_words for ln in rows[k]):
        k += 1
    return rows[k:]


def plausible(header: tuple[int, int, Grid], grid: Grid, rows: list[list[TextLine]],
              settings: LayoutSettings = DEFAULT_LAYOUT) -> bool:
    """On a page a table goes on, a header is the plan's own repeated (`repeat_columns_share`
    of its columns within `column_tolerance` of the plan's) or a new plan's, under a title
    larger than its text (by `title_size_margin`)."""
    start, _, found = header
    tol = settings.column_tolerance
    near = sum(1 for s in found.separators if any(abs(s - g) <= tol for g in grid.separators))
    plans_own = near >= settings.repeat_columns_share * len(found.separators)
    if plans_own and len(found.separators) >= len(grid.separators) - 1:
        return True  # all the plan's columns, bar a blank-headed first one
    size = max(ln.size for ln in rows[start])
    return any(ln.size > size + settings.title_size_margin for r in rows[:start] for ln in r)
