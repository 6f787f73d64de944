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
    assert not [w for w in want.warnings if w.code == "text-out-of-sight"]
