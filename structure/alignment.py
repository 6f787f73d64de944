"""Which rows a merged cell covers, from where its text sits among them.

A spreadsheet prints a cell merged down over several rows once, placed as the cell is
aligned: at its top, at its foot, or in its middle; no rule inside a borderless or banded
table shows where one such cell ends and the next begins, and a page break cuts a cell
without a trace. Read as "blank means same as above", a centred cell's rows above its
text go to the cell before: the records at the head of every group, and at the top of a
page, take the wrong area. Here the plan's rows are laid end to end as the sheet was
(each page's rows go on from the page before's), each merged cell's text is placed in
that one coordinate, and the rows between two texts are parted where the alignment that
best explains every text's place puts the edge. Where no alignment explains them clearly
(a plan of one-row cells says nothing), the rows are left to the passes after
(`rows.spread_merged_cells`, then "same as above").
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from actionplan.normalisers.model import Row
from actionplan.schemas.decisions import Decision
from actionplan.schemas.issues import Issue
from actionplan.structure.evidence import (
    HIDDEN_MATCH,
    bracket_goes_on,
    reference_goes_on,
    sentence_goes_on,
    squashed,
)

# the alignments a merged cell's text can have: the point of the cell it lines up with
_MODELS = ("top", "middle", "foot")
# an alignment is taken only where it places the plan's texts at least this many times
# better than the next best does (and, set lower than the top, than cells of their own rows) ...
_BETTER = 2.0
# ... and by at least this many of the plan's line heights in all (a plan whose texts all
# sit in one-row cells says nothing)
_LINES_BETTER = 2.0
# how a text set across a row edge shows it is one: mid-sentence, inside a bracket, a
# paragraph's number above its references
_GOES_ON = (sentence_goes_on, bracket_goes_on, reference_goes_on)
# a cell whose text sits this many line heights off where that alignment puts it is doubted
# (a true cell's text sits within a line or two: padding, a band edge read a little off)
_DOUBT_LINES = 4.0


@dataclass(frozen=True)
class _Text:
    first: int  # the rows it is printed in
    last: int
    top: float  # its printed lines, sheet points (down from the plan's first row)
    foot: float
    value: str


@dataclass(frozen=True)
class _Sheet:
    tops: list[float]  # each row's band, sheet points
    foots: list[float]
    offsets: list[float]  # per row: its page's heights y are sheet points offset - y
    line: float  # a printed line's height
    body: str  # how the plan sets a cell of one row (its item numbers show it)
    # what each row's own cells print, top and foot, sheet points: a text set at its cell's
    # top sits where they start, whatever padding the row keeps round them
    printed: list[tuple[float, float]]
    rests: set[int]  # rows that are the rest of the row above, cut by a page break
    drawn: list[bool]  # per row: the table draws its band (a rule or fill edge at its top and foot)


def place_merged_cells(rows: Sequence[Row], fields: Sequence[str], trace: list[Decision] | None = None
                       ) -> tuple[list[Row], set[str], list[Issue]]:
    """Blank cells of the grouping `fields` given the merged cell whose alignment places
    them, where one alignment (top, middle, foot) explains the texts' places clearly.
    Returns the rows, the fields settled so (later passes leave those alone) and a warning
    for each cell the alignment places its text far from (its rows may be misread)."""
    out = list(rows)
    sheet = _sheet(out, fields)
    if sheet is None:
        return out, set(), []
    settled: set[str] = set()
    doubts: list[Issue] = []
    # a spreadsheet prints a merged cell across a page break as one cell, drawing its text
    # again out of sight on the other pages; a browser or a word processor lays each page's
    # part out on its own, so there a page break ends every cell's geometry
    sheet_like = any(r.hidden for r in out)
    for f in fields:
        if not out or not out[0].has(f) or any(f in r.carried or r.section is not None for r in out):
            continue
        texts = _texts(out, f, sheet)
        if texts is None or len(texts) < 2:
            continue
        # (a cut row's rest is one row with the row it goes on from: no cell ends between them)
        edges = [False if k in sheet.rests else _edge(out[k - 1], out[k], f, sheet_like) if k > 0 else True
                 for k in range(len(out))]
        fits = {m: _solve(texts, len(out), edges, sheet, m) for m in _MODELS}
        model, runner_up = sorted(_MODELS, key=lambda m: fits[m][0])[:2]
        cost, cells = fits[model]
        # against the next best alignment; and a cell reaching past its text's rows must
        # explain the texts better than cells of their own rows, "same as above" below them
        # (a plan with no merged cell, its one-row cells set at their foot, fits "foot" too)
        rivals = [fits[runner_up][0]] + ([] if model == "top" else [_own_rows(texts, sheet)])
        if not all(cost * _BETTER <= r and r - cost >= _LINES_BETTER * sheet.line for r in rivals):
            continue  # no alignment explains the texts' places clearly: the other passes decide
        followed = _follow_copies(out, f, texts, cells)
        if followed is None:
            continue  # a copy says a text's own row is another cell's: the passes after decide
        cells, moved = followed
        settled.add(f)
        if trace is not None:
            for k in moved:
                piece = out[k].pieces[0]
                trace.append(Decision("continuation", piece.page, f"{f}: the cell drawn over this row out of sight",
                                      f"set at their {model}, the cells would give this row the text of the cell "
                                      "beside the one whose copy is drawn over it: the copy says which cell "
                                      "covers it", box=piece.box))
        if trace is not None:
            first_piece = out[0].pieces[0]
            trace.append(Decision("continuation", first_piece.page, f"{f}: merged cells set at their {model}",
                                  f"that alignment places the column's {len(texts)} texts {cost:.0f} pt off in all, "
                                  f"the next best ({runner_up}) {fits[runner_up][0]:.0f} pt", box=first_piece.box))
        for text, (first, last) in zip(texts, cells):
            _give(out, f, text, first, last)
            off = _misfits(sheet, first, last, text)[model]
            if last > first and off > _DOUBT_LINES * sheet.line:
                row = out[text.first]
                doubts.append(Issue(
                    "merged-cell-misfit", f"the {f} merged over {last - first + 1} rows here sits {off:.0f} pt from "
                    f"where the plan's other merged cells (set at their {model}) put it: which rows it covers may be "
                    "misread; check the records above and below it", item=row.get("item").strip() or None, field=f,
                    page=row.pieces[0].page))
            if trace is not None and first < text.first:
                first_piece = out[first].pieces[0]
                trace.append(Decision(
                    "continuation", first_piece.page, f"{f} merged over {last - first + 1} rows",
                    f"the plan's merged cells are set at their {model}: this text's cell starts {text.first - first} "
                    "row(s) above the row it is printed in (the rows laid end to end across pages)",
                    box=first_piece.box))
    return out, settled, doubts


def _follow_copies(out: Sequence[Row], f: str, texts: Sequence[_Text], cells: Sequence[tuple[int, int]]
                   ) -> tuple[list[tuple[int, int]], list[int]] | None:
    """The cells moved to agree with the copies drawn out of sight: a spreadsheet draws a
    cell a page break cuts on both pages, so a blank row drawn over with a neighbouring
    cell's text is that cell's, whatever the alignment said (its edge was a row off). Also
    the rows moved; None where a copy would take a text's own rows from it."""
    def score(seen: str, text: str) -> float:
        # a copy is its cell's text or a part of it, never more: a shorter text is no match
        # for a longer copy, however much of the copy's start it is
        text = squashed(text)
        return fuzz.partial_ratio(seen, text) if len(text) >= len(seen) else fuzz.ratio(seen, text)

    got = list(cells)
    moved: list[int] = []
    for k, row in enumerate(out):
        if row.get(f).strip():
            continue
        for g, drawn in row.hidden:
            seen = squashed(drawn)
            if g != f or len(seen) < 2:
                continue
            # the cell this row is in, or (below its foot, in a cell of no text) takes by "same as above"
            i = max((j for j, (first, _) in enumerate(got) if first <= k), default=None)
            if i is None:
                continue
            own = score(seen, texts[i].value)
            # (a neighbour's only: a copy runs on out of sight past its own cell's foot)
            j = max((j for j in (i - 1, i + 1) if 0 <= j < len(texts)),
                    key=lambda j: score(seen, texts[j].value))
            other = score(seen, texts[j].value)
            if other < HIDDEN_MATCH or other <= own:
                continue
            if j > i:  # the next cell starts at this row: this one ends above it
                if k <= texts[i].last:
                    return None
                got[i], got[j] = (got[i][0], min(got[i][1], k - 1)), (k, got[j][1])
            else:  # the cell above reaches down to this row
                if k >= texts[i].first:
                    return None
                got[j], got[i] = (got[j][0], max(got[j][1], k)), (k + 1, got[i][1])
            moved.append(k)
    return got, moved


def _give(out: list[Row], f: str, text: _Text, first: int, last: int) -> None:
    """Every row of the cell (first..last) takes its whole text; its words count once, in
    the row that printed its first part (a text set across a row edge prints in two). A
    part in a row of no number, with no edge evidence joining it, is a cut row's rest:
    joining the rows joins the parts, so those rows keep their own."""
    parts_join = any(out[k].get(f).strip() and f not in out[k].merged and not out[k].get("item").strip()
                     for k in range(text.first + 1, text.last + 1))
    if not parts_join and len({out[k].pieces[0].page for k in range(text.first, text.last + 1)}) > 1:
        # a text in two parts either side of a page break: each side's blank rows take
        # that side's part, for the parts to be joined whole (`rows.rejoin_split_merged_cells`)
        for k in range(first, last + 1):
            if not out[k].get(f).strip():
                part = out[text.first if k < text.first else text.last].get(f)
                out[k] = replace(out[k], cells={**out[k].cells, f: part},
                                 carried=tuple(dict.fromkeys((*out[k].carried, f))))
        return
    for k in range(first, last + 1):
        got = out[k].get(f)
        if parts_join and ((got.strip() and not _same(got, text.value)) or k > text.last):
            continue  # (the rows below take the joined text from the record above, as "same as above")
        counted = k == text.first or (got.strip() and _same(got, text.value))
        out[k] = replace(out[k], cells={**out[k].cells, f: text.value},
                         carried=out[k].carried if counted else tuple(dict.fromkeys((*out[k].carried, f))))


def _own_rows(texts: Sequence[_Text], sheet: _Sheet) -> float:
    """How far off the texts are as cells of their own rows, set as the plan's one-row cells are."""
    return sum(_misfits(sheet, t.first, t.last, t)[sheet.body] for t in texts)


def _misfits(sheet: _Sheet, first: int, last: int, text: _Text) -> dict[str, float]:
    """How far (points) the text is from where each alignment sets it in rows first..last."""
    top, foot = sheet.tops[first], sheet.foots[last]
    # a text printed first thing in the rest of its cut first row sits at that row's top
    start = text.first if text.first == first + 1 and text.first in sheet.rests else first
    at_top, at_foot = abs(text.top - sheet.printed[start][0]), abs(sheet.printed[last][1] - text.foot)
    # or at the drawn edge itself, where the row's own cells are set at the other end
    if sheet.drawn[start]:
        at_top = min(at_top, abs(text.top - sheet.tops[start]))
    if sheet.drawn[last]:
        at_foot = min(at_foot, abs(sheet.foots[last] - text.foot))
    return {"top": at_top, "foot": at_foot,
            "middle": abs((top + foot) / 2 - (text.top + text.foot) / 2)}


def _cut_rests(rows: Sequence[Row]) -> set[int]:
    """In a numbered plan, the rows of no number atop a page: each the rest of the row the
    page break cut, one row with it."""
    if 2 * sum(1 for r in rows if r.get("item").strip()) <= len(rows):
        return set()
    return {k for k in range(1, len(rows)) if rows[k].pieces[0].index == 0 and not rows[k].get("item").strip()
            and rows[k - 1].pieces[0].page < rows[k].pieces[0].page}


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _edge(above: Row, row: Row, f: str, sheet_like: bool) -> bool | None:
    """Whether a cell edge parts the two rows in this column: True where a rule or fill edge
    crosses it (or a section row starts, or a page break where the pages are laid out each
    on its own), False where a rule stops short of it (one merged cell), None where nothing
    says (a spreadsheet's page break, no rules, a band's colour going on)."""
    piece = row.pieces[0]
    if row.opens_section:
        return True
    if piece.page != above.pieces[-1].page:
        return None if sheet_like else True
    if not piece.edge:
        return None
    if f not in row.merged:
        return True
    return False if piece.edge == "rule" else None


def _sheet(rows: Sequence[Row], fields: Sequence[str]) -> _Sheet | None:
    """Each row's band in one coordinate down the plan: on a page, a row's band is what its
    own (unmerged) cells print, to halfway to the next row's; the next page goes on from
    the foot of this one's last row."""
    skip = set(fields)
    content: list[tuple[int, float, float]] = []
    heights: list[float] = []
    for row in rows:
        piece = row.pieces[0]
        own = [(t, b) for name, b, t in piece.extents if name not in skip and row.get(name).strip()] or [
            (t, b) for _, b, t in piece.extents]
        if len(row.pieces) != 1 or not own:
            return None
        content.append((piece.page, max(t for t, _ in own), min(b for _, b in own)))
        heights += [t - b for name, b, t in piece.extents if name == "item"]
    tops: list[float] = [0.0] * len(rows)
    foots: list[float] = [0.0] * len(rows)
    offsets: list[float] = [0.0] * len(rows)
    base = 0.0
    k = 0
    while k < len(rows):
        end = k
        while end < len(rows) and content[end][0] == content[k][0]:
            end += 1
        page = content[k:end]
        gaps = [max(0.0, a[2] - b[1]) for a, b in itertools.pairwise(page)]
        pad = statistics.median(gaps) / 2 if gaps else 0.0
        edges = [page[0][1] + pad, *((a[2] + b[1]) / 2 for a, b in itertools.pairwise(page)), page[-1][2] - pad]
        drawn = [rows[j].pieces[0].band for j in range(k, end)]
        for j, band in enumerate(drawn):  # where the table draws a row's edges, they are its edges
            if band is not None:
                edges[j], edges[j + 1] = band
        for j in range(k, end):
            offsets[j] = base + edges[0]
            tops[j] = offsets[j] - edges[j - k]
            foots[j] = offsets[j] - edges[j - k + 1]
        base = foots[end - 1]
        k = end
    line = statistics.median(heights) if heights else 10.0
    printed = [(offsets[k] - content[k][1], offsets[k] - content[k][2]) for k in range(len(rows))]
    return _Sheet(tops, foots, offsets, line, _body_alignment(rows, tops, foots, offsets), printed,
                  _cut_rests(rows), [r.pieces[0].band is not None for r in rows])


def _body_alignment(rows: Sequence[Row], tops: list[float], foots: list[float], offsets: list[float]) -> str:
    """Where the plan sets a one-row cell's text: the alignment that places its item
    numbers in their rows best."""
    misfit = dict.fromkeys(_MODELS, 0.0)
    for k, row in enumerate(rows):
        for name, b, t in row.pieces[0].extents:
            if name == "item":
                top, foot = offsets[k] - t, offsets[k] - b
                misfit["top"] += abs(top - tops[k])
                misfit["foot"] += abs(foots[k] - foot)
                misfit["middle"] += abs((tops[k] + foots[k]) / 2 - (top + foot) / 2)
    return min(_MODELS, key=lambda m: misfit[m])


def _texts(rows: Sequence[Row], f: str, sheet: _Sheet) -> list[_Text] | None:
    """The column's printed texts in order: a text copied into each row it covers (a grid's
    reader does), or set across a row edge, is one text."""
    out: list[_Text] = []
    for k, row in enumerate(rows):
        value = row.get(f).strip()
        if not value:
            continue
        spans = [(t, b) for name, b, t in row.pieces[0].extents if name == f]
        if not spans:
            return None  # a text that came from elsewhere: its place is not known here
        top, foot = sheet.offsets[k] - max(t for t, _ in spans), sheet.offsets[k] - min(b for _, b in spans)
        prev = out[-1] if out else None
        if prev is not None and prev.last == k - 1 and (
                _same(value, prev.value) or f in row.merged or k in sheet.rests  # (a cut row's rest goes on)
                or (top - prev.foot <= sheet.line and any(goes_on(prev.value, value) for goes_on in _GOES_ON))):
            joined = prev.value if _same(value, prev.value) else f"{prev.value}\n{value}"
            out[-1] = _Text(prev.first, k, min(prev.top, top), max(prev.foot, foot), joined)
        else:
            out.append(_Text(k, k, top, foot, value))
    return out


def _solve(texts: Sequence[_Text], n: int, edges: Sequence[bool | None], sheet: _Sheet, model: str
           ) -> tuple[float, list[tuple[int, int]]]:
    """The cells (first, last row) for the texts that place them best under `model`, and
    their summed misfit (points). A cell never crosses an edge, nor ends where a rule
    stops short of its column; elsewhere between two texts the edge is free."""

    def misfit(first: int, last: int, text: _Text) -> float:
        # a cell of its text's row only is no merged cell: it is set as the plan's other
        # cells are (its numbers show how), which says nothing of how its merged cells are
        fits = _misfits(sheet, first, last, text)
        return fits[sheet.body] if first == last == text.first == text.last else fits[model]

    def rules(a: int, b: int) -> list[int]:
        return [p for p in range(a + 1, b + 1) if edges[p]]

    def free(p: int) -> bool:  # a cell may end above row p (no rule stops short there)
        return edges[p] is not False

    # the rows above the first text are its cell's (nothing above them is printed)
    first_rules = rules(0, texts[0].first) if texts[0].first > 0 else []
    starts = [max(first_rules) if first_rules else 0]
    # best[start] = (cost, cells so far) for the current text's cell starting at `start`
    best: dict[int, tuple[float, list[tuple[int, int]]]] = {s: (0.0, []) for s in starts}
    for i, text in enumerate(texts):
        nxt = texts[i + 1] if i + 1 < len(texts) else None
        ends: list[tuple[int, int | None]]  # (this cell's last row, the next cell's first)
        if nxt is None:
            # and the rows below the last are its cell's, down to a rule
            between = rules(text.last, n - 1) if text.last < n - 1 else []
            ends = [(min(between) - 1 if between else n - 1, None)]
        else:
            # with rules between, the cells either side end and start on their own sides of
            # them (the rows between are cells of their own); without, one edge parts both
            between = rules(text.last, nxt.first)
            if between:
                # (the longest first: where the alignment cannot tell, the cell reaches its edge)
                last_end = min(between) - 1
                ends = [(e, s) for e in range(last_end, text.last - 1, -1) if e == last_end or free(e + 1)
                        for s in range(max(between), nxt.first + 1) if s == max(between) or free(s)]
            else:
                ends = [(e, e + 1) for e in range(text.last, nxt.first) if free(e + 1)]
            if not ends:
                return float("inf"), []  # rules say one cell holds two texts: no alignment explains it
        new: dict[int, tuple[float, list[tuple[int, int]]]] = {}
        final: tuple[float, list[tuple[int, int]]] | None = None
        for start, (cost, cells) in best.items():
            for end, next_start in ends:
                got = (cost + misfit(start, end, text), [*cells, (start, end)])
                if next_start is None:
                    if final is None or got[0] < final[0]:
                        final = got
                elif next_start not in new or got[0] < new[next_start][0]:
                    new[next_start] = got
        if nxt is None:
            assert final is not None
            return final
        best = new
    raise AssertionError("unreachable")
