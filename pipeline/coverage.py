"""Did every word printed inside a plan's table reach the records?

The words the PDF has inside each table's box are compared, as a multiset, with the
words of the records (before dates and ratings are normalised) and of the header rows
that were recognised. Words a narrow column broke ("Octob" + "er") count as placed when
the record holds them joined. Whatever is left is missing: reported per page.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from actionplan.extractors.furniture import is_furniture
from actionplan.extractors.model import PageContent
from actionplan.normalisers.text import fix_lookalikes, tidy_chars
from actionplan.schemas.issues import Issue
from actionplan.structure.headers import key_row
from actionplan.structure.plans import Plan

_WORD = re.compile(r"[^\W_]+")
_TEXT_KEYS = ("item", "inspection_para", "business_plan_ref", "area_for_improvement", "lead", "action", "by_when",
              "progress", "rag_raw", "monitoring", "evidence_of_impact")


def words(text: str) -> list[str]:
    """A text's words as the records spell them: a font's ligatures ("oﬃcers") are letters."""
    if not text.isascii():  # (the common case needs neither)
        text = fix_lookalikes(tidy_chars(text))
    return _WORD.findall(text.lower())


def record_words(records: Iterable[Mapping[str, Any]], carried: Sequence[Iterable[str]] = ()) -> Counter[str]:
    """Words the records hold; `carried[n]`: fields of record n filled from the record above
    ("same as above"), whose words are the printed ones above and are counted there."""
    out: Counter[str] = Counter()
    for n, r in enumerate(records):
        skip = set(carried[n]) if n < len(carried) else set()
        for key in _TEXT_KEYS:
            if r.get(key) and key not in skip:
                out.update(words(str(r[key])))
        for ref in r.get("inspection_para_refs") or []:
            out.update(words(ref))
        for value in (r.get("extra") or {}).values():
            out.update(words(str(value)))
    return out


# a word a column one or two letters wide broke this many times ("Se" / "pte" / "mb" / "er")
_MOST_PIECES = 6


# readings of a word counted when ordering the first reading (more count as many)
_READINGS_COUNTED = 20


# the most cuts tried when the first reading leaves fragments over
_SEARCH_BUDGET = 20000


def _explain_joins(missing: Counter[str], surplus: Counter[str]) -> None:
    """Take out of `missing` the fragments that a surplus record word is made of. Which
    word takes which fragment is a guess ("a" + "mber" or "a" + "mb" + "er"): a first
    reading takes each word's fewest pieces, word by word in two orders (longest first; and
    fewest readings first, as a word with one reading needs its pieces, which another word
    could take in another reading), the better kept; where fragments are left over, a
    bounded search looks for the reading that explains the most of them."""
    readings = {w: sum(1 for _ in itertools.islice(_splits(w, missing, _MOST_PIECES), _READINGS_COUNTED))
                for w in surplus}
    longest = sorted(surplus.elements(), key=len, reverse=True)
    orders = (longest, sorted(longest, key=lambda w: readings[w]))  # (sorted is stable: longest first among equals)
    words, left = min(((order, _first_reading(order, missing)) for order in orders),
                      key=lambda got: sum(got[1].values()))
    if left:
        found = _search_joins(missing, words, sum(missing.values()) - sum(left.values()))
        left = left if found is None else found
    missing.clear()
    missing.update(left)


def _first_reading(words: Sequence[str], missing: Counter[str]) -> Counter[str]:
    """The fragments left when each word in turn takes its fewest pieces."""
    left = Counter(missing)
    for word in words:
        pieces = next((p for k in range(2, _MOST_PIECES + 1) if (p := _split_into(word, left, k))), None)
        if pieces:
            left.subtract(pieces)
    return +left


def _search_joins(missing: Counter[str], words: Sequence[str], floor: int) -> Counter[str] | None:
    """The fragments left by the reading of `words` that explains more than `floor` of
    them, the most it can find within `_SEARCH_BUDGET` cuts; None if it finds none."""
    pool = Counter(missing)
    words = [w for w in words if any(pool[w[:cut]] > 0 for cut in range(1, len(w)))]
    # the most pieces the words from i on can explain: a piece a letter, `_MOST_PIECES` a word
    most = list(itertools.accumulate(reversed([min(len(w), _MOST_PIECES) for w in words]), initial=0))[::-1]
    best: tuple[int, Counter[str] | None] = (floor, None)
    budget = _SEARCH_BUDGET

    def search(i: int, used: int) -> None:
        nonlocal best, budget
        if used + most[i] <= best[0] or budget <= 0:
            return
        if i == len(words):
            best = (used, +pool)
            return
        for pieces in _splits(words[i], pool, _MOST_PIECES):
            budget -= 1
            pool.subtract(pieces)
            search(i + 1, used + len(pieces))
            pool.update(pieces)
        search(i + 1, used)  # this word explains none of them

    search(0, 0)
    return best[1]


def _splits(word: str, pool: Counter[str], parts: int, taken: Counter[str] | None = None) -> Iterator[list[str]]:
    """Every cut of `word` into two to `parts` pieces found in `pool`."""
    taken = taken if taken is not None else Counter()
    for cut in range(1, len(word)):
        head, rest = word[:cut], word[cut:]
        if pool.get(head, 0) - taken[head] <= 0:
            continue
        taken[head] += 1
        if pool.get(rest, 0) - taken[rest] > 0:
            yield [head, rest]
        if parts > 2:
            for more in _splits(rest, pool, parts - 1, taken):
                yield [head, *more]
        taken[head] -= 1


def _split_into(word: str, pool: Counter[str], parts: int) -> list[str] | None:
    """`word` as exactly `parts` pieces found in `pool`, the first cut that makes them
    (fewest pieces are tried first, so "developm" + "ent" is not read as "developm" + "e" + "nt")."""
    return next((p for p in _splits(word, pool, parts) if len(p) == parts), None)


def _printed_rows(page: PageContent, x0: float, x1: float, floor: float, furniture: set[str]) -> list[list[Any]]:
    """The page's lines outside every table, over x0..x1 and above `floor`, furniture aside,
    as printed rows from the top: lines whose tops are level."""
    lines = [ln for ln in page.lines if ln.bbox[1] >= floor and ln.bbox[0] < x1 and ln.bbox[2] > x0
             and not is_furniture(ln, furniture)]
    rows: list[list[Any]] = []
    for ln in sorted(lines, key=lambda ln: -ln.bbox[3]):
        if rows and abs(rows[-1][0].bbox[3] - ln.bbox[3]) <= 2.0:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def _rows_above(page: PageContent, table: Any, furniture: set[str]) -> list[str]:
    """Lines above the table that sit in its columns as a row does: three columns or more
    starting on one printed line (a title or a note is one line from the margin)."""
    x0, _, x1, top = table.bbox
    seps = table.separators()
    rows = _printed_rows(page, x0, x1, top - 1, furniture)
    # from the table up, as far as the rows run on: a line across the columns (a paragraph,
    # a title) or a gap of several lines ends them, so a site's menu bar far above is not a row
    out: list[list[str]] = []
    below = top
    for row in reversed(rows):
        height = max(ln.bbox[3] - ln.bbox[1] for ln in row)
        if min(ln.bbox[1] for ln in row) - below > _ROWS_APART * height or any(
                sum(1 for s in seps if ln.bbox[0] + 1 < s < ln.bbox[2] - 1) for ln in row):
            break
        columns = {sum(1 for s in seps if s <= ln.bbox[0] + 1) for ln in row}
        if len(columns) >= 3 and not key_row(row):  # a key of the ratings over the header is no row
            out.append([ln.text for ln in row])
        below = max(ln.bbox[3] for ln in row)
    return [t for row in reversed(out) for t in row]


# lines' heights of blank between two printed rows that part them: not one table's rows
_ROWS_APART = 3


def _lines_below(page: PageContent, table: Any, others: Sequence[Any], furniture: set[str],
                 goes_on: bool = True) -> list[str]:
    """Lines under a table that goes on over the page, within its width, down to the page's
    furniture or the next table: what a page break left there (a section row, a cut row's
    last line) is the plan's text, whatever the reader decided it was. Under a table that
    ends here (`goes_on` False), only the lines that run on right under its last row, each
    inside one of its columns: a cell's last lines the reader's table stopped short of."""
    x0, bottom, x1, _ = table.bbox
    floor = max((t.bbox[3] for t in others if t is not table and t.bbox[3] <= bottom), default=0.0)
    lines = sorted((ln for ln in page.lines if floor <= ln.bbox[1] and ln.bbox[3] <= bottom + 1
                    and x0 - 1 <= ln.bbox[0] < x1 and ln.bbox[2] <= x1 + 1 and not is_furniture(ln, furniture)),
                   key=lambda ln: -ln.bbox[3])
    if goes_on:
        return [ln.text for ln in lines]
    seps = table.separators()
    out: list[str] = []
    above = bottom
    for ln in lines:
        height = ln.bbox[3] - ln.bbox[1]
        if above - ln.bbox[3] > _RUNS_ON * height or any(ln.bbox[0] + 1 < s < ln.bbox[2] - 1 for s in seps):
            break
        out.append(ln.text)
        above = ln.bbox[1]
    return out


# lines' heights from the line above (or the table's foot) to a line that runs on under it
_RUNS_ON = 1.5


def _rows_over_page(page: PageContent, table: Any, furniture: set[str], cut: bool = False) -> list[str]:
    """Lines at the top of the page after a plan's last table, in no table, laid out in
    that table's columns as its rows are (three columns or more starting on one printed
    line): rows of the plan the reader did not go on to read. Where the table ran to its
    page's foot (`cut`), lines each inside one column are too: a cut row's rest."""
    x0, _, x1, _ = table.bbox
    seps = table.separators()
    floor = max((t.bbox[3] for t in page.tables), default=0.0)
    rows = _printed_rows(page, x0, x1, floor, furniture)
    out: list[str] = []
    above: float | None = None
    for row in rows:
        height = max(ln.bbox[3] - ln.bbox[1] for ln in row)
        across = any(ln.bbox[0] + 1 < s < ln.bbox[2] - 1 for ln in row for s in seps)
        if above is not None and (across or above - max(ln.bbox[3] for ln in row) > _ROWS_APART * height):
            break  # a paragraph or a title across the columns, or a wide gap: the rows end
        if across:
            cut = False  # a cut row's rest comes first on the page, not under a title or a paragraph
            continue  # a running head over the page's first rows
        if above is not None or cut or len({sum(1 for s in seps if s <= ln.bbox[0] + 1) for ln in row}) >= 3:
            out.extend(ln.text for ln in row)
            above = min(ln.bbox[1] for ln in row)
    return out


def text_coverage(
    pages: Sequence[PageContent], plans: Sequence[Plan], records: Sequence[Sequence[Mapping[str, Any]]],
    table_ids: Sequence[str], accounted: Sequence[Sequence[str]] = (), furniture: set[str] | None = None,
    carried: Sequence[Sequence[Iterable[str]]] = (),
) -> tuple[dict[str, Any], list[Issue]]:
    """The `source.text_coverage` summary and a warning for each page with missing words.
    `accounted`: per plan, printed text in no record by design (header cells read, OCR'd
    item numbers as first read).
    `carried`: per plan and record, the fields carried down from the record above.

    Text above a plan's table that is laid out across its columns (a printed row with
    lines starting in three columns or more, running heads aside) is counted as the plan's
    too: it is a row the reader left out of the table, not a title. So is the text under a
    table that the plan goes on from at the next page's top, and the rows in its columns at
    the top of the page after its last (above any table there: a new plan's title ends them).
    """

    by_page = {p.number: p for p in pages}
    total = 0
    missing_by_page: dict[int, list[str]] = {}
    issues: list[Issue] = []
    for k, (plan, recs, table_id) in enumerate(zip(plans, records, table_ids)):
        printed: dict[int, Counter[str]] = {}
        for number, index in plan.sources:
            page = by_page[number]
            page_words = page.table_words[index] if index < len(page.table_words) else []
            printed.setdefault(number, Counter()).update(w for text in page_words for w in words(text))
            if index < len(page.tables):
                above = _rows_above(page, page.tables[index], furniture or set())
                printed[number].update(w for text in above for w in words(text))
                below = _lines_below(page, page.tables[index], page.tables, furniture or set(),
                                     goes_on=(number + 1, 0) in plan.sources)  # at the next page's top
                printed[number].update(w for text in below for w in words(text))
        over_pages: set[int] = set()
        if plan.sources:
            number, index = max(plan.sources)
            after = by_page.get(number + 1)
            if after is not None and index < len(by_page[number].tables):
                last = by_page[number].tables[index]
                cut = not any(ln.bbox[3] < last.bbox[1] and ln.bbox[0] < last.bbox[2] and ln.bbox[2] > last.bbox[0]
                              and not is_furniture(ln, furniture or set()) for ln in by_page[number].lines)
                over = _rows_over_page(after, last, furniture or set(), cut)
                if over:
                    over_pages.add(number + 1)
                    printed.setdefault(number + 1, Counter()).update(w for text in over for w in words(text))
        pdf_words: Counter[str] = sum(printed.values(), Counter())
        total += sum(pdf_words.values())
        placed = record_words(recs, carried[k] if k < len(carried) else ())
        for text in accounted[k] if k < len(accounted) else ():
            placed.update(words(text))
        missing = pdf_words - placed
        _explain_joins(missing, placed - pdf_words)
        # rows on the page after the plan's last first: words common to every page are theirs
        for number in sorted(printed, key=lambda n: (n not in over_pages, n)):
            here = printed[number] & missing
            if here:
                missing -= here
                lost = sorted(here.elements())
                missing_by_page.setdefault(number, []).extend(lost)
                issues.append(Issue(
                    "text-not-placed",
                    f"{len(lost)} word(s) printed " + (f"on page {number} in the plan's columns, in no table,"
                                                       if number in over_pages else f"in the table on page {number}")
                    + " are in no record: "
                    + " ".join(lost[:20]) + (" ..." if len(lost) > 20 else ""),
                    table=table_id, page=number,
                ))
    lost_total = sum(len(v) for v in missing_by_page.values())
    summary = {
        "words": total,
        "missing": lost_total,
        "ratio": round(1 - lost_total / total, 6) if total else 1.0,
        "pages": [{"page": p, "missing": w} for p, w in sorted(missing_by_page.items())],
    }
    return summary, issues
