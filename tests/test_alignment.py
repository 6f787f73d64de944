"""Which rows a merged cell covers, from where its text sits (structure/alignment.py)."""

from __future__ import annotations

from dataclasses import replace

from actionplan.normalisers.model import Piece, Row
from actionplan.schemas.issues import STRUCTURAL
from actionplan.structure.alignment import place_merged_cells

AREA = "area_for_improvement"
ROW = 60.0  # each row's height, points
TOP = 540.0  # the table's first row's top on every page


def _rows(areas: list[tuple[int, str, float | None]], *, ruled: bool = False, height: float = ROW,
          sheet: bool = True) -> list[Row]:
    """Rows of one height, one page's rows under the next; each (page, area text, the
    text's middle in page points, or None where the cell prints nothing). `sheet`: printed
    from a spreadsheet, which draws a merged cell's text again out of sight on a page its
    cell goes on to (here over each later page's first row)."""
    out, place = [], {}
    for n, (page, text, middle) in enumerate(areas):
        k = place.get(page, 0)
        place[page] = k + 1
        top = TOP - k * height
        extents = [("item", top - 12, top - 2), ("action", top - height + 4, top - 2)]
        if text:
            assert middle is not None
            extents.append((AREA, middle - 4, middle + 4))  # one printed line
        out.append(Row({"item": str(n + 1), AREA: text, "action": f"Action {n + 1}"},
                       (Piece(page, k, (0, top - height, 500, top), extents=tuple(extents), edge="rule" if ruled and k > 0 else ""),),
                       hidden=((AREA, "copy"),) if sheet and page > 1 and k == 0 else ()))
    return out


def _areas(rows: list[Row]) -> list[str]:
    return [r.get(AREA) for r in rows]


def test_a_centred_merged_cells_rows_above_its_text_are_its_own():
    # three cells of three rows, each text printed in the middle of its middle row
    mid = [TOP - (k + 0.5) * ROW for k in range(9)]
    rows = _rows([(1, "A" if k == 1 else "B" if k == 4 else "C" if k == 7 else "", mid[k]) for k in range(9)])
    out, settled, _ = place_merged_cells(rows, (AREA,))
    assert settled == {AREA}
    assert _areas(out) == ["A"] * 3 + ["B"] * 3 + ["C"] * 3
    assert [AREA in r.carried for r in out] == [k % 3 != 1 for k in range(9)]


def test_a_centred_cell_cut_by_a_page_break_goes_on_from_the_rows_laid_end_to_end():
    # page 1: A over its three rows, then B's first row at the foot; page 2: B's other
    # five rows, its text in the middle of the six (two rows down the page); C last, one row
    rows = _rows([(1, "", None), (1, "A", TOP - 1.5 * ROW), (1, "", None), (1, "", None),
                  (2, "", None), (2, "B", TOP - 2 * ROW), (2, "", None), (2, "", None), (2, "", None),
                  (2, "C", TOP - 5 * ROW - 12)])
    out, _, _ = place_merged_cells(rows, (AREA,))
    assert _areas(out) == ["A"] * 3 + ["B"] * 6 + ["C"]


def test_a_browsers_page_break_ends_a_cells_geometry():
    # the same rows as a browser prints them: it lays each page's part of a cell out on its
    # own, so the page break parts the cells, and the row at page 1's foot stays A's
    rows = _rows([(1, "", None), (1, "A", TOP - 1.5 * ROW), (1, "", None), (1, "", None),
                  (2, "", None), (2, "B", TOP - 2 * ROW), (2, "", None), (2, "", None), (2, "", None),
                  (2, "C", TOP - 5 * ROW - 12)], sheet=False)
    out, _, _ = place_merged_cells(rows, (AREA,))
    assert _areas(out)[3] != "B"


def test_top_aligned_cells_keep_same_as_above():
    # each text at its first row's top: the blank rows below are the cell above's, as a
    # plain "same as above" reads them; nothing is settled here
    rows = _rows([(1, "A" if k == 0 else "B" if k == 3 else "", TOP - k * ROW - 12) for k in range(6)])
    out, settled, _ = place_merged_cells(rows, (AREA,))
    assert settled == set() and _areas(out) == _areas(rows)


def test_a_rule_between_two_rows_parts_the_cells_there():
    # six groups of three rows, each text in the middle of its group; but on the first page
    # rules run across the area column above the third and the seventh rows, and stop short
    # of it elsewhere: the cells end there, whatever the texts' places say
    names = "ABCDEF"
    mid = [TOP - (k % 9 + 0.5) * ROW for k in range(18)]
    rows = _rows([(1 + k // 9, names[k // 3] if k % 3 == 1 else "", mid[k]) for k in range(18)], ruled=True)
    rows = [Row(r.cells, r.pieces, merged=() if k in (2, 6, 12, 15) else (AREA,)) for k, r in enumerate(rows)]
    out, settled, _ = place_merged_cells(rows, (AREA,))
    assert settled == {AREA}
    assert _areas(out)[:9] == ["A"] * 2 + ["B"] * 4 + ["C"] * 3
    unruled = _rows([(1 + k // 9, names[k // 3] if k % 3 == 1 else "", mid[k]) for k in range(18)])
    assert _areas(place_merged_cells(unruled, (AREA,))[0])[:9] == ["A"] * 3 + ["B"] * 3 + ["C"] * 3


def test_rows_a_band_colour_joins_to_a_top_set_text_below_are_the_cell_above():
    # a word processor's banded table: each text at its cell's top; the cells of one
    # colour show no edge between them, which does not make the blank rows above a text
    # part of its cell
    texts = {0: "A", 3: "B", 6: "C", 9: "D"}
    rows = _rows([(1 + k // 6, texts.get(k, ""), TOP - (k % 6) * ROW - 6) for k in range(12)], ruled=True)
    rows = [Row(r.cells, r.pieces, merged=(AREA,)) for r in rows]
    rows = [Row(r.cells, (replace(r.pieces[0], edge="fill" if r.pieces[0].index else ""),), merged=r.merged)
            for r in rows]
    out, settled, _ = place_merged_cells(rows, (AREA,))
    assert settled == {AREA}
    assert _areas(out) == ["A"] * 3 + ["B"] * 3 + ["C"] * 3 + ["D"] * 3


def test_a_cell_its_text_sits_far_off_in_is_warned():
    # the plan centres its merged cells, but rules give the first cell a row less above its
    # text and the second a row more (as in the test above, in taller rows): both doubted
    names, tall = "ABCDEF", 100.0
    mid = [TOP - (k % 9 + 0.5) * tall for k in range(18)]
    rows = _rows([(1 + k // 9, names[k // 3] if k % 3 == 1 else "", mid[k]) for k in range(18)], ruled=True,
                 height=tall)
    rows = [Row(r.cells, r.pieces, merged=() if k in (2, 6, 12, 15) else (AREA,)) for k, r in enumerate(rows)]
    out, settled, doubts = place_merged_cells(rows, (AREA,))
    assert settled == {AREA} and _areas(out)[2:6] == ["B"] * 4
    assert [(d.code, d.item, d.field) for d in doubts] == [("merged-cell-misfit", n, AREA) for n in ("2", "5")]
    assert "merged-cell-misfit" in STRUCTURAL


def test_the_rest_of_a_cut_row_goes_on_from_the_text_above():
    # top-set cells; the page break cuts the sixth row: its area's rest opens page 2 in a
    # row of no number. The rest is no cell of its own: the row under it is left to take
    # the joined text from the record above ("same as above"), not the rest alone
    texts = {0: "Alpha", 3: "Beta", 5: "Gamma goes", 6: "on here.", 9: "Delta"}
    rows = _rows([(1 if k < 6 else 2, texts.get(k, ""), TOP - (k % 6) * ROW - 6) for k in range(12)])
    rows[6] = rows[6].with_cells(item="")
    out, settled, _ = place_merged_cells(rows, (AREA,))
    assert settled == {AREA}
    assert _areas(out) == ["Alpha"] * 3 + ["Beta"] * 2 + ["Gamma goes", "on here.", "", ""] + ["Delta"] * 3


def test_a_paragraphs_number_above_its_references_is_one_text():
    from actionplan.structure.evidence import reference_goes_on

    assert reference_goes_on("35.", "(120, 140, 142)") and not reference_goes_on("35. (120,", "140)")
    # centred cells; one reference set across the edge between its two rows: both records
    # take it whole, as "35. (120, 140, 142)"
    mid = [TOP - (k + 0.5) * ROW for k in range(9)]
    rows = _rows([(1, {1: "A", 7: "C"}.get(k, ""), mid[k]) for k in range(9)])
    for k, text, middle in ((3, "35.", TOP - 4 * ROW + 4), (4, "(120, 140, 142)", TOP - 4 * ROW - 4)):
        piece = rows[k].pieces[0]
        extents = (*piece.extents, (AREA, middle - 4, middle + 4))
        rows[k] = Row({**rows[k].cells, AREA: text}, (replace(piece, extents=extents),))
    out, settled, _ = place_merged_cells(rows, (AREA,))
    assert settled == {AREA}
    assert _areas(out)[3:6] == ["35.\n(120, 140, 142)"] * 3


def test_a_cut_rows_text_printed_in_its_rest_is_not_the_text_above():
    # the page break cut the sixth row before its area printed: the area is in the rest,
    # atop page 2, in a row of no number; the cut row is the rest's, not the text above's
    texts = {0: "Alpha", 3: "Beta", 6: "Gamma", 9: "Delta"}
    rows = _rows([(1 if k < 6 else 2, texts.get(k, ""), TOP - (k % 6) * ROW - 6) for k in range(12)])
    rows[6] = rows[6].with_cells(item="")
    out, settled, _ = place_merged_cells(rows, (AREA,))
    assert settled == {AREA}
    assert _areas(out)[:6] == ["Alpha"] * 3 + ["Beta"] * 2 + ["Gamma"]


def test_top_set_texts_in_widely_padded_rows_keep_same_as_above():
    # each row prints only in its top half (a grid's wide padding, the row taller than its
    # text); blank areas mean "same as above", each text at its row's top: measured from
    # the halfway edge between rows the texts would look 15 pt low, and a middle alignment
    # would give each blank row the text below
    texts = {0: "A", 2: "B", 3: "C", 6: "D", 8: "E"}
    rows = []
    for k in range(10):
        top = TOP - k * ROW
        extents = [("item", top - 12, top - 2), ("action", top - 30, top - 2)]
        if k in texts:
            extents.append((AREA, top - 20, top - 2))
        rows.append(Row({"item": str(k + 1), AREA: texts.get(k, ""), "action": "Act"},
                        (Piece(1, k, (0, top - ROW, 500, top), extents=tuple(extents)),)))
    out, _, _ = place_merged_cells(rows, (AREA,))
    assert [r.get(AREA) for r in out] == ["A", "A", "B", "C", "C", "C", "D", "D", "E", "E"]


def test_a_blank_row_a_neighbouring_cells_copy_is_drawn_over_is_that_cells():
    """A spreadsheet draws a cell a page break cuts again, out of sight, on the other page:
    the copy over a blank row names its cell, whatever the alignment puts there (sweep seed
    12000009: the alignment ended a paragraph's cell a row early; the rows went to the
    cell above, in silence)."""
    a, b, c = "Ensure that audits happen", "Ensure plans are shared", "Ensure leavers are seen"
    mid = [TOP - (k + 0.5) * ROW for k in range(9)]
    rows = _rows([(1, a if k == 1 else b if k == 4 else c if k == 7 else "", mid[k]) for k in range(9)])
    rows[5] = replace(rows[5], hidden=((AREA, "Ensureleaversare"),))  # B's last row, by the texts' places
    out, settled, _ = place_merged_cells(rows, (AREA,))
    assert settled == {AREA}
    assert _areas(out) == [a] * 3 + [b] * 2 + [c] * 4
    # a copy of the cell's own text, or of no cell's, changes nothing
    for copy in ("Ensureplansare", "Someotherwords"):
        rows[5] = replace(rows[5], hidden=((AREA, copy),))
        assert _areas(place_merged_cells(rows, (AREA,))[0]) == [a] * 3 + [b] * 3 + [c] * 3
    # a copy that would take a text's own row from its cell: the alignment is not taken
    rows[5] = replace(rows[5], hidden=())
    rows[0] = replace(rows[0], hidden=((AREA, "Ensureplansare"),))
    assert place_merged_cells(rows, (AREA,))[1] == set()


def test_texts_set_at_a_drawn_rows_top_are_top_set_though_the_rows_own_cells_sit_at_their_foot():
    """A banded spreadsheet sets its one-row cells at their foot and its merged cells at
    their top: the merged text sits at the drawn top of its first row, well above what that
    row's own cells print (sweep seed 12000039: measured only against those, no alignment
    fitted clearly, and a blank row above a text took the text below as its own)."""
    texts = {0: "A", 3: "B", 6: "C", 9: "D"}
    rows = []
    for k in range(12):
        top = TOP - (k % 6) * ROW
        extents = [("item", top - ROW + 2, top - ROW + 12), ("action", top - ROW + 2, top - ROW + 30)]
        if k in texts:
            extents.append((AREA, top - 12, top - 2))
        rows.append(Row({"item": str(k + 1), AREA: texts.get(k, ""), "action": f"Action {k + 1}"},
                        (Piece(1 + k // 6, k % 6, (0, top - ROW, 500, top), extents=tuple(extents),
                               band=(top, top - ROW)),), merged=(AREA,) if k not in texts else ()))
    out, settled, _ = place_merged_cells(rows, (AREA,))
    assert settled == {AREA}
    assert _areas(out) == ["A"] * 3 + ["B"] * 3 + ["C"] * 3 + ["D"] * 3
