"""Checks that notice when the table's structure was read wrongly.

Text coverage proves no word was lost, not that words landed in the right row. These
checks look at the shape of what came out (how rows were joined, how the numbering runs,
which pages a record spans) and say where it looks wrong, each with a warning code of its
own (schemas/issues.py STRUCTURAL). They never change a record.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from actionplan.normalisers.dates import split_by_when
from actionplan.normalisers.fields import ITEM_ID, split_inspection_para
from actionplan.normalisers.model import Row
from actionplan.normalisers.rag import reads_as_rating
from actionplan.schemas.contract import SHORT_FIELDS, TEXT_FIELDS
from actionplan.schemas.decisions import Decision
from actionplan.schemas.issues import Issue
from actionplan.schemas.layout import DEFAULT_LAYOUT, LayoutSettings
from actionplan.structure.evidence import HIDDEN_MATCH, squashed

_INT = re.compile(r"^\d{1,4}$")
# a number of one level, its letters kept: "12", "R12" (two plans' letters must be the same)
_LETTERED = re.compile(r"^([A-Za-z]{0,3})(\d{1,4})$")
# Fixed: the least evidence each check needs to have an opinion at all. Three plain numbers
# make a numbering to count records against; two rows starting "1. 41." show a merged
# number column (one may be a cell that starts with a number); a plan numbered on from the
# plan before by two at most, one item lost between them, carries it on (d0d1bde, af61bf7).
_FEWEST_NUMBERS = 3
_FEWEST_MERGED = 2
_RUN_ON_GAP = 2


def _label(row: Row, n: int) -> str:
    item = row.get("item").strip().rstrip(".")
    return item or f"row {n}"


def _numbered(rows: Sequence[Row]) -> bool:
    return bool(rows) and rows[0].has("item")


def rows_without_item(rows: Sequence[Row]) -> list[Issue]:
    """In a numbered plan, a row with no number is joined to the record above. At the top
    of a page that is a row the page break cut; anywhere else it may be a row of its own."""
    if not _numbered(rows):
        return []
    out = []
    for n, row in enumerate(rows, 1):
        for page, index in row.joins:
            if index:
                out.append(Issue("row-without-item",
                                 f"a row with no item number in the middle of page {page} was joined to "
                                 f"item {_label(row, n)}; check it belongs to it", item=_label(row, n), page=page))
    return out


def gap_at_page_break(rows: Sequence[Row]) -> list[Issue]:
    """The numbering skips right after a record that went on over a page break: the
    break may have cut off the next item's number (a browser splitting a row can leave
    "12." alone at a page's foot) and joined that item's row to the one before."""
    if not _numbered(rows):
        return []
    out = []
    for row, nxt in itertools.pairwise(rows):
        a, b = (r.get("item").strip().rstrip(".") for r in (row, nxt))
        tops = [page for page, index in row.joins if index == 0]
        if _INT.match(a) and _INT.match(b) and int(b) - int(a) >= 2 and tops:
            out.append(Issue("gap-at-page-break",
                             f"item {a} goes on over the break to page {tops[-1]} and the next item is {b}: "
                             f"the rows of the items between may have been joined to item {a}", item=a,
                             page=tops[-1]))
    return out


def items_not_numbers(items: Sequence[str | None], pages: Sequence[int | None]) -> list[Issue]:
    """An item cell that does not read as an item number ("6.No") holds text from another
    row: a header or a neighbour was merged into it."""
    return [Issue("item-not-a-number", f"item {item!r} does not read as an item number: text from another row "
                  "may have been merged into it", item=item, page=page)
            for item, page in zip(items, pages) if item and not ITEM_ID.match(item)]


def item_column_merged(rows: Sequence[Row]) -> list[Issue]:
    """A plan read without a number column whose first column starts with numbers ("1. 41.")
    has its number column merged into the next one."""
    if not rows or _numbered(rows) or not rows[0].cells:
        return []
    first = next(iter(rows[0].cells))
    values = [r.get(first).strip() for r in rows]
    # "1. 41." (a number, then the next column's number) is the tell; "41." alone is not
    lead = [v for v in values if len(v.split()) > 1 and ITEM_ID.match(v.split()[0]) and v.split()[1][:1].isdigit()]
    if len(lead) < _FEWEST_MERGED:
        return []
    return [Issue("item-column-merged", f"the first column starts with item numbers ({lead[0][:20]!r}...): the "
                  "number column was merged into the next one, so items and that column are wrong")]


def records_far_apart(rows: Sequence[Row]) -> list[Issue]:
    """A record's pieces come from pages that do not follow each other."""
    out = []
    for n, row in enumerate(rows, 1):
        pages = row.pages
        if any(b - a > 1 for a, b in itertools.pairwise(pages)):
            out.append(Issue("record-far-apart",
                             f"item {_label(row, n)} was put together from pages {', '.join(map(str, pages))}, "
                             "which do not follow each other", item=_label(row, n), page=pages[0]))
    return out


def records_vs_numbering(items: Sequence[str | None], page: int | None = None,
                         settings: LayoutSettings = DEFAULT_LAYOUT) -> list[Issue]:
    """Plain numbers 1..N (in `numbering_share` of the items) imply about N records; far
    more or far fewer (by `numbering_slack` of N and `numbering_slack_min` records) means
    rows were cut or joined in the wrong places."""
    numbers = [int(i) for i in items if i and _INT.match(i)]
    if len(numbers) < max(_FEWEST_NUMBERS, settings.numbering_share * len(items)):
        return []
    span = max(numbers) - min(numbers) + 1
    if abs(len(items) - span) <= max(settings.numbering_slack_min, settings.numbering_slack * span):
        return []
    return [Issue("records-vs-numbering",
                  f"{len(items)} records, but the item numbers run from {min(numbers)} to {max(numbers)}: "
                  "rows may have been cut or joined in the wrong places", page=page)]


def partial_rows(rows: Sequence[Row], settings: LayoutSettings = DEFAULT_LAYOUT) -> list[Issue]:
    """In a plan without numbers, a record that lacks every short field (lead, deadline,
    rating) most records (`partial_share`) have may be a piece of the record above."""
    if not rows or _numbered(rows):
        return []
    short = [c for c in SHORT_FIELDS if rows[0].has(c)]
    if not short:
        return []
    filled = [any(r.get(c).strip() for c in short) for r in rows]
    if sum(filled) / len(rows) < settings.partial_share:
        return []
    out = []
    for n, (row, has_short) in enumerate(zip(rows, filled), 1):
        if not has_short:
            pages: list[int | None] = [*row.pages] or [None]
            out.append(Issue("row-looks-partial",
                             f"row {n} has no {', '.join(short)} while most rows do: it may be part of the "
                             "row above", item=str(n), page=pages[0]))
    return out


def numbering_runs_on(plans: Sequence[tuple[str, Sequence[str | None]]]) -> list[Issue]:
    """A plan whose numbers carry on from the plan before (1-4, then 5-14) is probably the
    same plan, split where a header or a column was read differently."""
    out = []
    for (_, before), (name, after) in itertools.pairwise(plans):
        a = [m for i in before if (m := _LETTERED.match(i or ""))]
        b = [m for i in after if (m := _LETTERED.match(i or ""))]
        if (a and b and a[-1].group(1).upper() == b[0].group(1).upper() and int(b[0].group(2)) > 1
                and 0 < int(b[0].group(2)) - int(a[-1].group(2)) <= _RUN_ON_GAP):
            out.append(Issue("plan-split-numbering",
                             f"plan {name!r} numbers its items from {b[0].group(0)}, carrying on from the plan "
                             f"before (which ends at {a[-1].group(0)}): they may be one plan split in two", table=name))
    return out


def header_words(headers: Sequence[str]) -> list[set[str]]:
    return [set(re.findall(r"[a-z]+", h.lower())) for h in headers]


def header_holds_body_text(headers: Sequence[str], reference: Sequence[str] | None, page: int,
                           settings: LayoutSettings = DEFAULT_LAYOUT, decision: Decision | None = None) -> list[Issue]:
    """A header row that carries words the plan's header does not (more than
    `header_extra_words`: body text the reader merged into it), or is far too long to be a
    header (more than `header_max_words`)."""
    out = []
    ref = header_words(reference) if reference is not None and len(reference) == len(headers) else None
    for c, text in enumerate(headers):
        words = re.findall(r"[a-z]+", text.lower())
        extra = [w for w in words if ref is not None and w not in ref[c]]
        if len(extra) > settings.header_extra_words or len(words) > settings.header_max_words:
            out.append(Issue("header-holds-body-text",
                             f"the header cell {text[:60]!r} on page {page} holds text that is not the header's; "
                             "a row may have been merged into the header", page=page, decision=decision))
    return out


# A plan read without its action has misread its columns. A plan may have no area, impact, rating,
# lead or deadline column, so a field without one is a doubt only while a column the reader
# could not name holds text (it may be the one); a column that is there and empty is the plan's.
_CORE_ALWAYS = ("action",)
_CORE_IF_UNMAPPED = ("area_for_improvement", "evidence_of_impact", "lead", "by_when", "rag")


def core_fields_empty(rows: Sequence[Row]) -> list[Issue]:
    """A core field empty on every record is never silent: the plan has no column for it,
    or its column was read as something else. Names the columns left unmapped, which are
    where the field's heading most likely is."""
    if not rows:
        return []
    # a column with a heading counts even when no text was read in it: ratings shown by
    # colour alone leave their column blank to the reader
    unmapped = []
    for c in rows[0].cells:
        name = c.split(":", 1)[1] if c.startswith("extra:") else None
        if name is not None and (any(r.get(c).strip() for r in rows) or not name.startswith("column ")):
            unmapped.append(name)
    where = (f"; columns not mapped to any field: {', '.join(repr(u[:40]) for u in unmapped)}: if one is the "
             "{field}, add its heading to a synonyms file (--synonyms, `field,synonym`)") if unmapped else ""
    out = []
    for fld in (*_CORE_ALWAYS, *(_CORE_IF_UNMAPPED if unmapped else ())):
        if any(r.get(fld).strip() for r in rows) or (fld not in _CORE_ALWAYS and rows[0].has(fld)):
            continue
        why = "no column was read as it" if not rows[0].has(fld) else "its column is empty on every row"
        out.append(Issue("core-field-empty", f"{fld} is empty on every record ({why})" + where.format(field=fld),
                         field=fld))
    return out


# running text a record is read from; a record with none of it, where most have some, has
# likely had its text read into the record beside it (a cell set lower than its number)
_RECORD_TEXT = ("action", "progress", "monitoring", "evidence_of_impact")


def record_text_blank(rows: Sequence[Row], settings: LayoutSettings = DEFAULT_LAYOUT) -> list[Issue]:
    """A record whose every running-text cell is blank, where most records (`partial_share`)
    fill one: its row was cut in the wrong place and its text went to the record above or
    below (a spreadsheet's tall cells centred on their row start above its number)."""
    fields = [f for f in _RECORD_TEXT if rows and rows[0].has(f)]
    if len(rows) < _FEWEST_NUMBERS or not fields:
        return []
    blank = [not any(r.get(f).strip() for f in fields) for r in rows]
    if sum(1 for b in blank if not b) < settings.partial_share * len(rows):
        return []
    out = []
    for n, (row, empty) in enumerate(zip(rows, blank), 1):
        if empty:
            label = row.get("item").strip() or str(n)
            out.append(Issue("record-text-blank", f"record {label} has no {' or '.join(fields)}, where most records "
                             "have: its text may have been read into the record above or below; check it",
                             item=label, field=fields[0], page=row.pages[0] if row.pages else None))
    return out


# a word in a paragraph reference: two letters or more ("Ofste"; not "57a"), other than
# those references are written with ("17 and 18", "paras 4 to 6", "see 12")
_WORD = re.compile(r"(?<![\w])(?!(?:and|or|to|see|also|paras?|paragraphs?|pp?)\b)[A-Za-z]{2,}", re.IGNORECASE)


def para_holds_words(rows: Sequence[Row]) -> list[Issue]:
    """An inspection paragraph without a digit, where most records' have one: a heading's
    word set above the header ("Link" of "Link to report"), or a section's words, was read
    into the paragraph's column (and may be carried down the blank cells below)."""
    field = "inspection_para"
    values = [(r, " ".join(r.get(field).split())) for r in rows if r.has(field) and r.get(field).strip()]
    numbered = [v for _, v in values if any(ch.isdigit() for ch in v)]
    if len(numbered) < _FEWEST_NUMBERS or 2 * len(numbered) <= len(values):
        return []
    worded = [v for _, v in values if _WORD.search(v)]
    out = []
    for row, value in values:
        # no number at all, or a word beside the numbers ("17. (64, 129) Ofste": a heading's
        # piece from a repeated header) where most references hold none
        if not any(ch.isdigit() for ch in value) or (_WORD.search(value) and 2 * len(worded) <= len(values)):
            label = row.get("item").strip() or None
            out.append(Issue("para-holds-words", f"the inspection paragraph {value!r} holds words, where most "
                             "records' hold numbers only: text from a heading or another row may have been read into "
                             "its column", item=label, field=field, page=row.pages[0] if row.pages else None))
    return out


def copy_disagrees(rows: Sequence[Row]) -> list[Issue]:
    """A record that took a merged cell's text from elsewhere (above, or another page) where
    the producer drew a different cell's text over its row, out of sight: the copy is the
    cell that covers that row, so the record has the wrong one. A spreadsheet centres a
    merged cell's text over its rows with no rule to show where the cell starts. A copy
    runs on out of sight past its cell's foot: over rows below one that printed a cell of
    its own, the same copy says nothing."""
    out = []
    for k, row in enumerate(rows):
        for f, drawn in row.hidden:
            got = row.get(f)
            if f not in row.carried or not got.strip() or _copy_runs_on(rows, k, f, drawn):
                continue
            seen, took = squashed(drawn), squashed(got)
            label = row.get("item").strip() or None
            if (lost := _lost_inside(seen, took)) is not None:
                out.append(Issue("copy-disagrees", f"the copy of the {f} drawn over this record out of sight holds "
                                 f"{lost!r} inside the text the record took, which lacks it: a line a page break "
                                 "cut through may have been read on neither page; check the cell",
                                 item=label, field=f, page=row.pages[0] if row.pages else None))
            elif len(seen) >= 2 and fuzz.partial_ratio(seen, took) < HIDDEN_MATCH:
                out.append(Issue("copy-disagrees", f"the {f} this record took ({' '.join(got.split())[:40]!r}) is "
                                 f"not the cell drawn over its row out of sight ({' '.join(drawn.split())[:40]!r}): "
                                 "a merged cell's rows may have been misread; check the cell beside it",
                                 item=label, field=f, page=row.pages[0] if row.pages else None))
    return out


# characters (spaces taken out): a stretch this long of a copy missing inside the text
# read is lost text (a copy is cut where its page is, so only inside counts)
_LOST_INSIDE = 6


def _lost_inside(seen: str, took: str) -> str | None:
    """A stretch of the copy the text read lacks, between parts of it both have: text a
    page break cut through, read on neither page."""
    blocks = [b for b in difflib.SequenceMatcher(None, seen, took, autojunk=False).get_matching_blocks() if b.size]
    for a, b in itertools.pairwise(blocks):
        gap = seen[a.a + a.size:b.a]
        if len(gap) >= _LOST_INSIDE and b.b == a.b + a.size and a.size >= _LOST_INSIDE and b.size >= _LOST_INSIDE:
            return gap
    return None


def _copy_runs_on(rows: Sequence[Row], k: int, f: str, drawn: str) -> bool:
    """The same copy lies over another row on this page, with a row printing its own cell
    between: it is one cell's text running on out of sight, past its own rows."""
    for step in (-1, 1):
        printed = False
        j = k + step
        while 0 <= j < len(rows) and rows[j].page == rows[k].page:
            if printed and any(g == f and t == drawn for g, t in rows[j].hidden):
                return True
            printed = printed or (bool(rows[j].get(f).strip()) and f not in rows[j].carried)
            j += step
    return False


def area_missing_at_top(rows: Sequence[Row]) -> list[Issue]:
    """The records a plan opens with that have no area while later ones do: a blank area
    takes the one above ("same as above"), so these keep none. A cell merged over several
    rows, its text set in their middle, may not have reached the rows above its text."""
    field = "area_for_improvement"
    first = next((k for k, r in enumerate(rows) if r.get(field).strip()), None)
    if not first:  # none at all (core-field-empty says so), or the first record has one
        return []
    items = [r.get("item").strip() or str(k + 1) for k, r in enumerate(rows[:first])]
    return [Issue("area-missing", f"the plan's first {first} record(s) ({', '.join(items[:5])}) have no {field} while "
                  "the records after them do: a cell merged over several rows may not have reached them; check "
                  "the area beside them", item=items[0], field=field,
                  page=rows[0].pages[0] if rows[0].pages else None)]


def text_cut_at_page_foot(rows: Sequence[Row], settings: LayoutSettings = DEFAULT_LAYOUT) -> list[Issue]:
    """A record whose running text stops mid-sentence on a full line at the foot of a page
    it fills alone, and does not go on at the next page's top: a word processor may leave
    the rest of a row taller than a page off the page, printed nowhere. The text was never
    in the PDF; this says so."""
    boxes = [p.box for r in rows for p in r.pieces if p.box is not None]
    if not boxes:
        return []
    floor = min(b[1] for b in boxes)  # where the table stops on a full page
    out = []
    for row in rows:
        last = row.pieces[-1]
        # the page's only row (its first is its last): a row taller than the page
        if (not last.open_at_foot or last.index != 0 or last.box is None
                or last.box[1] - floor > _FULL_PAGE * settings.default_line_pitch):
            continue
        # the field's text as joined may go on still (a cell's last lines pushed alone onto a
        # page the table does not reach): only one that still stops mid-sentence is cut off
        open_fields = [f for f in last.open_at_foot if row.get(f).rstrip()[-1:].isalpha()]
        if not open_fields:
            continue
        fld = open_fields[0]
        tail = " ".join(row.get(fld).split()[-4:])
        out.append(Issue("text-cut-at-page-foot",
                         f"item {row.get('item').strip() or '?'}: {fld} stops mid-sentence at the foot of page "
                         f"{last.page} ('... {tail}') and does not go on at the top of the next: the rest of the "
                         "cell may be missing from the PDF (a row taller than a page); check the source document",
                         item=row.get("item").strip() or None, field=fld, page=last.page))
    return out


# line pitches: a table that stops this close to its lowest foot on any page fills its page
_FULL_PAGE = 1.5


# a record holding this many deadlines more than the plan's usual (and four at least) is
# doubted as several rows merged (fixed: the sample's "September 2015 January / February
# 2016" is three, for one record)
_EXTRA_DATES = 3
_FEWEST_MERGED_DATES = 4


def records_look_merged(items: Sequence[str | None], due: Sequence[Sequence[str]],
                        pages: Sequence[int | None]) -> list[Issue]:
    """Rows merged into one record leave their deadlines in one cell: more than the plan's
    records usually hold, or out of order ("July 2017 February 2017 April 2018")."""
    counts = sorted(len(d) for d in due)
    usual = counts[(len(counts) - 1) // 2] if counts else 0
    out = []
    for n, (item, dates, page) in enumerate(zip(items, due, pages), 1):
        backwards = any(b < a for a, b in itertools.pairwise(dates))
        many = len(dates) >= max(_FEWEST_MERGED_DATES, usual + _EXTRA_DATES)
        if backwards or many:
            why = "out of order" if backwards else f"where most records hold {usual}"
            out.append(Issue("record-looks-merged", f"item {item or n} holds {len(dates)} deadlines ({why}): rows may "
                             "have been merged into it", item=item or str(n), field="by_when", page=page))
    return out


# a record with this many text cells that start mid-sentence is doubted as cut in the
# wrong place (fixed: one such cell may be how the plan writes; two in one record, in a
# plan whose records start their cells otherwise, is a cut between rows gone astray)
_FEWEST_MID_TEXT = 2
_MID_TEXT = re.compile(r"^[a-z)\],;:.]")


def records_start_mid_text(rows: Sequence[Row]) -> list[Issue]:
    """A cut between two rows that falls in the wrong place leaves the lower record's cells
    starting mid-sentence ("members ensure.", "87)"): their first lines went to the record
    above. The plan's own habit is the measure: most of its records start none so."""
    if len(rows) < _FEWEST_NUMBERS:
        return []
    fields = [f for f in (*TEXT_FIELDS, "inspection_para") if rows[0].has(f)]
    starts = [[f for f in fields if f not in r.carried and _MID_TEXT.match(r.get(f).strip())] for r in rows]
    if sorted(len(s) for s in starts)[len(starts) // 2]:
        return []
    out = []
    for n, (row, mid) in enumerate(zip(rows, starts), 1):
        if len(mid) >= _FEWEST_MID_TEXT:
            label = _label(row, n)
            out.append(Issue("record-starts-mid-text",
                             f"item {label}: {', '.join(mid)} start mid-sentence: the cut between it and the row "
                             "above may be in the wrong place (lines of one record given to the other)",
                             item=label, field=mid[0], page=row.pages[0] if row.pages else None))
    return out


def _reads_as(field: str, text: str) -> bool:
    if field == "inspection_para":
        return split_inspection_para(text)[2]
    due = split_by_when(text)
    return bool(due.dates or due.status)


def columns_hold_other_text(rows: Sequence[Row]) -> list[Issue]:
    """A column read as the paragraph references or the deadlines whose cells mostly read as
    neither holds another field's text, and one read as running text whose cells mostly are
    ratings holds the ratings: its heading (or its cells' look on the first page) named the
    wrong field, and the field its text belongs to is empty or wrong."""
    def rated(text: str) -> bool:
        return reads_as_rating(text, _RATING_WORDS)

    # (field, a cell that reads wrongly for it, what such cells hold, the field to map)
    tests: list[tuple[str, Callable[[str], bool], str, str]] = [
        *((f, lambda t, f=f: not _reads_as(f, t), f"no {f}", "field") for f in ("inspection_para", "by_when")),
        # a running-text column whose cells are ratings ("A", "Green"): the plan's rating
        # column, its heading read as another field's ("Progress rating")
        *((f, rated, "ratings", "rag") for f in _RECORD_TEXT),
    ]
    out = []
    pages = [r.pages[0] for r in rows if r.pages]
    for fld, odd, holds, target in tests:
        if not rows or not rows[0].has(fld):
            continue
        texts = [t for r in rows if fld not in r.carried and (t := " ".join(r.get(fld).split()))]
        bad = [t for t in texts if odd(t)]
        if len(texts) >= _FEWEST_NUMBERS and 2 * len(bad) > len(texts):
            out.append(Issue("column-misread", f"the column read as {fld} holds {holds} in {len(bad)} of its "
                             f"{len(texts)} cells (e.g. {bad[0][:40]!r}): it may be another field's column; map its "
                             f"heading in a synonyms file (--synonyms, `{target},synonym`)", field=fld,
                             page=pages[0] if pages else None))
    return out


# words a rating is written in at most ("Amber – slipping")
_RATING_WORDS = 3


# words: a lead this long that ends a sentence is running text, not a title or a team
_SENTENCE_LEAD = 10


def leads_hold_sentences(rows: Sequence[Row]) -> list[Issue]:
    """Records whose lead is a sentence ("Ensure that ... by the board."): a section row, or
    another column's text, was read into the lead column, and the record is likely not one."""
    hit = [(n, r) for n, r in enumerate(rows, 1) if "lead" not in r.carried
           and len(words := r.get("lead").split()) >= _SENTENCE_LEAD and words[-1].endswith(".")]
    if not hit:
        return []
    n, first = hit[0]
    label = first.get("item").strip() or str(n)
    return [Issue("lead-holds-sentences", f"the lead of {len(hit)} record(s) is a sentence (first: record {label}, "
                  f"{' '.join(first.get('lead').split())[:50]!r}): a section row or another column's text was read "
                  "into the lead column; check those records", item=label, field="lead",
                  page=first.pages[0] if first.pages else None)]


def cells_side_by_side(rows: Sequence[Row]) -> list[Issue]:
    """A cell that printed two texts side by side on one line, apart, holds part of the next
    (or the last) column's cell: the column edge between them is misplaced, so one field
    holds the other's text and that other is short of it."""
    hit = [(r, f) for r in rows for f in r.side_by_side]
    if not hit:
        return []
    row, fld = hit[0]
    where = row.pages[0] if row.pages else None
    more = f" (and {len(hit) - 1} more)" if len(hit) > 1 else ""
    return [Issue("cells-side-by-side", f"a cell read as {fld} on page {where} holds two texts side by side on one "
                  f"line{more}: a column edge may be misplaced, one column's text given to its neighbour",
                  field=fld, page=where)]


def check_plan(rows: Sequence[Row], items: Sequence[str | None], first_pages: Sequence[int | None],
               settings: LayoutSettings = DEFAULT_LAYOUT, due: Sequence[Sequence[str]] = ()) -> list[Issue]:
    """Every check on one plan: its rows (how they were joined, which pages each spans)
    and its item numbers as read (`first_pages`: each record's first page)."""
    issues = (rows_without_item(rows) + gap_at_page_break(rows) + records_far_apart(rows)
              + partial_rows(rows, settings) + item_column_merged(rows) + core_fields_empty(rows)
              + area_missing_at_top(rows) + text_cut_at_page_foot(rows, settings) + record_text_blank(rows, settings)
              + para_holds_words(rows) + copy_disagrees(rows)
              + records_look_merged(items, due, first_pages) + records_start_mid_text(rows)
              + columns_hold_other_text(rows) + cells_side_by_side(rows) + leads_hold_sentences(rows))
    if _numbered(rows) and items:
        issues += records_vs_numbering(items, page=first_pages[0], settings=settings)
        issues += items_not_numbers(items, first_pages)
    return issues
