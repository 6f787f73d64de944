"""Only what the page shows is read: text clipped away, invisible or off the page is not."""

from __future__ import annotations

from synth import PlanSpec, make_plan_pdf, random_records

from actionplan import convert


def _hide(pdf, out):
    """The plan with three lines nobody sees drawn over its first page: one clipped away
    (as a spreadsheet draws a merged cell's text again on the next page), one in render
    mode 3 (invisible), one off the page."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    layer = out.with_suffix(".layer.pdf")
    reader = PdfReader(pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    c = canvas.Canvas(str(layer), pagesize=(width, height))
    c.setFont("Helvetica-Bold", 16)
    c.saveState()
    path = c.beginPath()
    path.rect(0, 0, 10, 10)
    c.clipPath(path, stroke=0, fill=0)
    c.drawString(40, height - 20, "Zanzibar Clipped Heading")
    # words set apart by their positions, no space glyph between (as Calc prints a cell)
    c.drawString(40, height - 40, "Narwhal")
    c.drawString(40 + c.stringWidth("Narwhal", "Helvetica-Bold", 16) + 5, height - 40, "Positioned")
    c.restoreState()
    t = c.beginText(40, 12)
    t.setTextRenderMode(3)
    t.textLine("Quokka invisible words")
    c.drawText(t)
    c.drawString(width + 50, 100, "Flamingo off the page")
    c.save()
    writer = PdfWriter(clone_from=pdf)
    writer.pages[0].merge_page(PdfReader(layer).pages[0])
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def test_text_drawn_out_of_sight_is_not_read_and_is_reported(tmp_path, synth_leads):
    records = random_records(41, 6)
    pdf = make_plan_pdf(tmp_path / "plan.pdf", [PlanSpec("Improvement Plan", records)])
    want = convert(pdf, leads=synth_leads)
    got = convert(_hide(pdf, tmp_path / "hidden.pdf"), leads=synth_leads)
    assert [t.title for t in got.tables] == [t.title for t in want.tables] == ["Improvement Plan"]
    assert got.to_dict()["tables"] == want.to_dict()["tables"]
    read = " ".join(ln.text for p in got.document.pages for ln in p.lines)
    assert not {"Zanzibar", "Quokka", "Flamingo"} & set(read.split())
    (flag,) = [w for w in got.warnings if w.code == "text-out-of-sight"]
    assert flag.page == 1 and "Zanzibar" in flag.message and "Quokka" in flag.message
    assert "Narwhal Positioned" in flag.message  # the words it names keep their spaces
    assert not [w for w in want.warnings if w.code == "text-out-of-sight"]


def test_a_fill_a_clip_cuts_down_to_a_border_is_not_the_cells_colour(tmp_path):
    """A browser draws a cell's border as the cell filled in grey, clipped to one side,
    over the rating's own fill: read unclipped, the cell would be grey and its rating lost."""
    from reportlab.pdfgen import canvas

    from actionplan.extractors.open import open_pdf
    from actionplan.extractors.pdf import _laid_out
    from actionplan.extractors.shapes import fills_of, hrules_of
    from actionplan.extractors.visibility import hidden_text, visible_layout

    pdf = tmp_path / "border.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(300, 300))
    c.setFillColorRGB(0.96, 0.47, 0.22)  # amber
    c.rect(100, 100, 40, 60, stroke=0, fill=1)
    c.setFillColorRGB(0.88, 0.87, 0.86)  # the border's grey, over the whole cell, shown along its foot
    c.saveState()
    strip = c.beginPath()
    strip.rect(100, 100, 40, 1.5)
    c.clipPath(strip, stroke=0, fill=0)
    c.rect(100, 100, 40, 60, stroke=0, fill=1)
    c.restoreState()
    c.save()
    doc = open_pdf(pdf, None)
    try:
        pl, _ = visible_layout(_laid_out(pdf, doc.pages[0]), hidden_text(pdf, [1]).get(1))
    finally:
        doc.close()
    fills = fills_of(pl.shapes)
    assert [tuple(round(v, 2) for v in rgb) for _, rgb in fills] == [(0.96, 0.47, 0.22)]
    assert not any(abs(y - 100.75) < 0.5 for y, _, _ in hrules_of(pl.shapes))  # a border's strip: no rule either


def test_a_ligature_glyph_drawn_out_of_sight_is_found_by_its_first_letter():
    """A font's "fi" is one glyph: the layout reads it as "fi", pdfium as "f" and "i" at one
    origin (or as "\ufb01"). Looked up whole it was never found hidden, and each clipped
    copy of a merged cell left a stray "fi" at the end of the area (tuning seed 11800081)."""
    from types import SimpleNamespace

    from actionplan.extractors.visibility import Hidden, out_of_sight

    glyph = SimpleNamespace(bbox=(100.0, 500.0, 108.0, 510.0), size=10.0, render_mode=0,
                            get_text=lambda: "fi")
    for pdfium_read in ([Hidden("f", 100.0, 502.0, 10.0), Hidden("i", 100.0, 502.0, 10.0)],
                        [Hidden("\ufb01", 100.0, 502.0, 10.0)]):
        assert out_of_sight(glyph, pdfium_read)
    assert not out_of_sight(glyph, [Hidden("f", 140.0, 502.0, 10.0)])  # another "f", elsewhere


def test_a_words_letters_drawn_apart_and_reported_clipped_between_shown_ones_are_shown():
    """A sheet's merged cell cut by the page's top clip edge: pdfium reports only the "h"s of
    its first line out of sight (each drawn as a text object of its own), and the line read
    "Ensure t at pat way" (tuning seed 11600051). A glyph between two shown ones of its
    own word is shown; a line mostly out of sight (a clipped copy) stays out."""
    from actionplan.extractors.visibility import Hidden, _by_char, _hidden_in_line

    class Glyph:
        def __init__(self, text: str, x: float) -> None:
            self.text, self.bbox, self.size, self.render_mode = text, (x, 700.0, x + 5.0, 710.0), 10.0, 0

        def get_text(self) -> str:
            return self.text

    word = [Glyph(t, 100 + 5 * k) for k, t in enumerate("that")]
    hidden = _by_char([Hidden("h", word[1].bbox[0], 701.0, 10.0)])
    assert _hidden_in_line(word, False, hidden, Glyph) == set()
    # a glyph at the word's end has no shown neighbour past it: out of sight
    tail = _by_char([Hidden("t", word[3].bbox[0], 701.0, 10.0)])
    assert _hidden_in_line(word, False, tail, Glyph) == {id(word[3])}
    # a line mostly hidden is a clipped copy, whatever shows at its edges
    most = _by_char([Hidden(g.text, g.bbox[0], 701.0, 10.0) for g in word[1:]])
    assert _hidden_in_line(word, False, most, Glyph) == {id(g) for g in word[1:]}
