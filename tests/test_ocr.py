"""Scanned plans: read with Tesseract, the grid taken from the page image."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import SAMPLE_PDF
from rapidfuzz import fuzz
from synth import PlanSpec, make_plan_pdf, make_printed_scan_pdf, make_scan_pdf, random_records

from actionplan import InputError, convert
from actionplan.schemas.contract import data_file

TEXT = ("area_for_improvement", "lead", "action", "by_when", "progress", "monitoring")


def _need_tesseract() -> None:
    if shutil.which("tesseract") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Tesseract (tesseract-ocr, see .ci/run)")
        pytest.skip("Tesseract is not installed")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory, synth_leads):
    """A generated plan printed, scanned at 200 dpi in grey, skewed under a degree, dusty."""
    _need_tesseract()
    folder = tmp_path_factory.mktemp("scan")
    records = random_records(77, 6)  # three pages
    born = make_plan_pdf(folder / "born.pdf", [PlanSpec("Improvement plan", records)], rules="grid", font_size=9)
    scan = make_scan_pdf(born, folder / "scan.pdf", dpi=200, angle=0.6, speckle=0.002, seed=77)
    return records, convert(scan, leads=synth_leads)


def test_a_skewed_dusty_scan_gives_back_every_record(scanned):
    records, result = scanned
    got = {r["item"]: r for r in result.records}
    assert set(got) == {r["item"] for r in records}
    close = [fuzz.ratio(r.get(f) or "", got[r["item"]].get(f) or "") >= 95 for r in records for f in TEXT]
    assert sum(close) / len(close) >= 0.9
    for r in records:
        assert got[r["item"]]["due_dates"] == r["due_dates"], r["item"]
        assert got[r["item"]]["rag"] == r["rag"], r["item"]


def test_a_plan_read_by_ocr_says_so_and_names_its_doubtful_words(scanned):
    import jsonschema

    _, result = scanned
    doc = result.to_dict()
    assert all(t["ocr"] for t in doc["tables"])
    codes = {w["code"] for w in doc["warnings"]}
    assert "ocr-used" in codes
    assert all(w["page"] for w in doc["warnings"] if w["code"] == "ocr-low-confidence")
    assert result.text_coverage["words"] > 0  # counted against the words OCR read
    jsonschema.validate(doc, json.loads(data_file("actionplan.schema.json").read_text(encoding="utf-8")))


def test_born_digital_pages_are_never_read_by_ocr(sample_result):
    assert sample_result.document.ocr_pages == []
    assert not [t for t in sample_result.tables if t.ocr]
    assert not {w.code for w in sample_result.warnings} & {"ocr-used", "ocr-low-confidence"}


def test_a_scan_without_tesseract_says_how_to_install_it(tmp_path, monkeypatch):
    import actionplan.extractors.ocr as ocr

    born = make_plan_pdf(tmp_path / "born.pdf", [PlanSpec("Plan", random_records(3, 3))])
    scan = make_scan_pdf(born, tmp_path / "scan.pdf", speckle=0)
    monkeypatch.setattr(ocr, "tesseract", lambda: None)
    with pytest.raises(InputError, match="apt-get install tesseract-ocr"):
        convert(scan)
    with pytest.raises(InputError, match="no text layer"):
        convert(scan, ocr="never")


def test_ocr_always_is_an_accepted_setting_and_a_bad_one_is_refused():
    from actionplan import ConfigError, Settings

    assert Settings(ocr="always").ocr == "always"
    with pytest.raises(ConfigError, match="auto, always or never"):
        Settings(ocr="sometimes")
    assert SAMPLE_PDF.exists()


@pytest.mark.parametrize(("read", "meant"), [("4,", "4."), ("6°", "6."), ('"2', "2"), ("+5.", "5."), ("12.", "12."),
                                             ("2015/16", "2015/16"), ("(108,", "(108,"), ("Lo", "Lo")])
def test_an_item_number_blurred_or_dusted_by_the_scan_is_read_as_the_number(read, meant):
    from actionplan.extractors.ocr import _number_read

    assert _number_read(read) == meant


def test_a_word_goes_to_the_cell_it_lies_in_most_not_where_its_centre_falls():
    from actionplan.extractors.ocr import _cell_of

    xs, ys = [149, 287, 509], [320, 435, 1181]
    # "2." with a speck read into its box on the left: its centre is left of the first rule
    assert _cell_of((129, 440, 192, 470), xs, ys) == (1, 0)
    assert _cell_of((300, 330, 400, 360), xs, ys) == (0, 1)
    assert _cell_of((20, 330, 100, 360), xs, ys) is None  # wholly outside the table


def test_item_numbers_read_with_doubt_still_start_their_records(tmp_path, synth_leads):
    """Benchmark seed 1002: "2." read at 32 % confidence with a speck in its box, "+5." with
    dust before it. Dropped as dust or left outside the table, they joined their rows to
    the item above; kept, they start their records and are reported as doubtful."""
    _need_tesseract()
    # (six records, three pages: the pages holding items 2 and 5 are scanned as with ten)
    records = random_records(1002, 6)
    born = make_plan_pdf(tmp_path / "born.pdf", [PlanSpec("Improvement plan", records)], font_size=9)
    scan = make_scan_pdf(born, tmp_path / "scan.pdf", dpi=200, seed=1002)
    result = convert(scan, leads=synth_leads)
    assert [r["item"] for r in result.records] == [r["item"] for r in records]
    assert {w.code for w in result.warnings} & {"ocr-low-confidence"}


def test_ocr_tolerances_are_checked_settings():
    from actionplan import ConfigError, Settings
    from actionplan.schemas.ocr import OcrSettings

    assert Settings(ocr_settings={"min_conf": 70}).ocr_settings == OcrSettings(min_conf=70.0)
    assert Settings().ocr_settings == OcrSettings()
    for bad, says in (({"dpi": -1}, "dpi must be 0 or more"), ({"min_dpi": 500}, "min_dpi .500. must be at most"), ({"ink_block": 30}, "ink_block must be odd"),
                      ({"min_conf": 120}, "min_conf is a Tesseract confidence"),
                      ({"deskew_kernel": 2.5}, "deskew_kernel must be a whole number"),
                      ({"hrule_share": 3}, "hrule_share is a share"), ({"dust_small": 5}, "dust_small .5. must be"),
                      ({"psm": "6"}, "psm must be a number"), ({"nonsense": 1}, "nonsense")):
        with pytest.raises(ConfigError, match=f"OCR settings: .*{says}"):
            Settings(ocr_settings=bad)
    with pytest.raises(ValueError, match="dust_connectivity is 4 or 8"):
        OcrSettings(dust_connectivity=6)


def test_every_ocr_tolerance_is_in_the_readme_with_its_default():
    from dataclasses import fields

    from conftest import ROOT

    from actionplan.schemas.ocr import OcrSettings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for f in fields(OcrSettings):
        assert f"| `{f.name}` | {f.default} |" in readme, f.name


def test_ocr_settings_reach_the_page_reader(tmp_path, monkeypatch):
    """From `convert` down to each step of the page reader, without running Tesseract: its
    step is replaced by one that reads nothing and notes what it was handed."""
    import actionplan.extractors.ocr as ocr
    from actionplan import ActionPlanError
    from actionplan.schemas.ocr import OcrSettings

    born = make_plan_pdf(tmp_path / "born.pdf", [PlanSpec("Plan", random_records(3, 3))])
    scan = make_scan_pdf(born, tmp_path / "scan.pdf", speckle=0)
    handed = []
    monkeypatch.setattr(ocr, "tesseract", lambda: "tesseract")
    monkeypatch.setattr(ocr, "_ocr", lambda image, exe, opts: handed.append((image.shape, opts)) or [])
    for dpi in (300, 150):
        with pytest.raises(ActionPlanError):  # nothing read, so no plan
            convert(scan, ocr_settings={"dpi": dpi, "min_conf": 70}, workers=1)  # heard in this process
    pages = len(handed) // 2
    at_150 = OcrSettings(dpi=150, min_conf=70).at(150)
    assert pages and [opts for _, opts in handed[pages:]] == [at_150] * pages
    assert at_150.rule_min_px == 20 and at_150.dust_small == 10  # sizes in px scale with the resolution
    (full, _), (half, _) = handed[0], handed[pages]
    assert abs(half[0] - full[0] / 2) <= 1 and abs(half[1] - full[1] / 2) <= 1  # rendered at the dpi set


def test_a_scans_resolution_is_its_own_not_a_page_colour_or_coarse_background_under_it(tmp_path):
    """A producer may draw the page's colour as a 1-px picture over the whole page, or a
    layered scan its coarse background: the scan's resolution is the sharpest of the
    pictures covering the page (a 1-px background took the resolution to 0 dpi, and the
    render failed)."""
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from actionplan.extractors.render import own_resolution

    scan = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    for name, under in (("colour", (1, 1)), ("layered", (310, 438))):  # 1 px; 37.5 dpi
        path = tmp_path / f"{name}.pdf"
        c = canvas.Canvas(str(path), pagesize=(595.28, 841.89))
        c.drawImage(ImageReader(Image.new("RGB", under, (250, 250, 245))), 0, 0, 595.28, 841.89)
        c.drawImage(ImageReader(scan), 0, 0, 595.28, 841.89)
        c.showPage()
        c.save()
        pdf = pdfium.PdfDocument(str(path))
        try:
            assert abs(own_resolution(pdf[0]) - 150) < 1, name
        finally:
            pdf.close()


def test_a_scan_is_read_at_its_own_resolution_within_the_limits(tmp_path, monkeypatch):
    """A scan is read at its own resolution, but no coarser than `min_dpi` (a 200-dpi scan
    thresholded as it is reads "8." as "&.") and no finer than `max_dpi` (a 600-dpi scan's
    detail adds time, not letters); a 350-dpi one as it is; a 100-dpi one no more than
    twice its own (`max_upscale`: enlarging adds pixels, not detail)."""
    import actionplan.extractors.ocr as ocr
    from actionplan import ActionPlanError

    born = make_plan_pdf(tmp_path / "born.pdf", [PlanSpec("Plan", random_records(3, 2))])  # one page
    read_at = []
    monkeypatch.setattr(ocr, "tesseract", lambda: "tesseract")
    monkeypatch.setattr(ocr, "_ocr", lambda image, exe, opts: read_at.append(opts.dpi) or [])
    for made in (100, 200, 350, 600):
        scan = make_scan_pdf(born, tmp_path / f"scan{made}.pdf", dpi=made, speckle=0)
        with pytest.raises(ActionPlanError):  # nothing read, so no plan
            convert(scan, workers=1)  # heard in this process
    # a 100-dpi picture is enlarged twice over (max_upscale), not to min_dpi's 300
    assert sorted(set(read_at)) == [200, 300, 350, 400], read_at


def test_the_dust_sizes_are_the_settings():
    import numpy as np

    from actionplan.extractors.ocr import _dust
    from actionplan.schemas.ocr import OcrSettings

    ink = np.zeros((80, 80), np.uint8)
    ink[10:16, 10:16] = 255  # 36 px, a full stop's size, clear of every letter
    ink[40:60, 40:60] = 255  # a letter
    ink[50:55, 62:67] = 255  # 25 px, 2 px from the letter
    assert _dust(ink)[12, 12] and not _dust(ink)[52, 64] and not _dust(ink)[50, 50]
    assert not _dust(ink, OcrSettings(dust_small=30))[12, 12]  # under dust_small no more
    assert _dust(ink, OcrSettings(dust_reach=1))[52, 64]  # too far from the letter now


def test_a_faint_letter_on_a_dark_shaded_cell_is_ink_against_the_cells_own_background():
    """A grey print of a red or green rating cell: the letter 15 levels under a background of
    50, halftone noise over both. The page threshold (15 under its local mean) misses it;
    against the cell's own background the letter is ink and the noise is not."""
    import cv2
    import numpy as np

    from actionplan.extractors.ocr import _ink, _shaded_ink

    rng = np.random.default_rng(3)
    cell = np.full((120, 160), 50, np.uint8)
    letter = np.zeros_like(cell)
    cv2.putText(letter, "G", (50, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 255, 4)
    cell[letter > 0] = 35
    cell = np.clip(cell + rng.normal(0, 3, cell.shape), 0, 255).astype(np.uint8)
    found = _shaded_ink(cell) > 0
    on, off = letter > 0, cv2.dilate(letter, np.ones((9, 9), np.uint8)) == 0
    assert found[on].mean() > 0.8 and found[off].mean() < 0.01
    assert (_ink(cell)[on] > 0).mean() < 0.2  # why: the page's threshold leaves the letter out


@pytest.fixture(scope="module")
def printed(tmp_path_factory, synth_leads):
    """A generated plan printed in grey (halftone, dot gain) and scanned: its red and green
    rating cells print as dark greys under their letters."""
    _need_tesseract()
    folder = tmp_path_factory.mktemp("printed")
    records = random_records(36, 9)
    born = make_plan_pdf(folder / "born.pdf", [PlanSpec("Improvement plan", records)], rules="grid", font_size=9)
    scan = make_printed_scan_pdf(born, folder / "scan.pdf", dpi=200, seed=36)
    return records, convert(scan, leads=synth_leads)


def test_ratings_on_dark_cells_of_a_printed_grey_scan_are_read(printed):
    records, result = printed
    assert {r["rag"] for r in records} >= {"R", "G"}
    got = {r["item"]: r for r in result.records}
    warned = {w.item for w in result.warnings if w.code in ("rag-unread", "rag-from-shade")}
    wrong = [r["item"] for r in records if got[r["item"]]["rag"] != r["rag"]]
    assert len(wrong) <= 1 and set(wrong) <= warned, wrong


def test_a_grey_scans_shaded_rating_cell_carries_its_shade(tmp_path):
    """The cell's level is what the shade match works from (rag-from-shade)."""
    _need_tesseract()
    from actionplan.extractors.ocr import read_scanned_page

    records = [dict(r, rag=rag, action="An action.", progress="On track.", monitoring="The board.")
               for r, rag in zip(random_records(32, 3), "RAG")]
    born = make_plan_pdf(tmp_path / "born.pdf", [PlanSpec("Improvement plan", records)], font_size=9)
    scan = make_printed_scan_pdf(born, tmp_path / "scan.pdf", dpi=200, seed=32, speckle=0)
    table = read_scanned_page(scan, 0, shutil.which("tesseract")).content.tables[0]
    shades = [row[-2].fill for row in table.rows[1:4]]
    assert all(f is not None and f[0] == f[1] == f[2] for f in shades), shades
    red, amber, green = (f[0] for f in shades)
    assert red < green < amber < 0.9


def test_the_skew_is_read_from_the_rules_even_beside_shaded_cells():
    """Each long rule's fitted line gives the angle; a dark shaded column, which joins the
    rules it meets into one blob, is taken out first (it turned one page by 2.6°, not 0.6°)."""
    import cv2
    import numpy as np

    from actionplan.extractors.ocr import _deskew

    page = np.full((1200, 1700), 235, np.uint8)
    for y in range(100, 1100, 120):
        page[y:y + 3, 80:1620] = 20
    for x in (80, 400, 1300, 1620):
        page[100:1083, x:x + 3] = 20
    page[103:1080, 1303:1617] = 60  # a column of dark rating cells
    for angle in (1.3, -0.6):
        m = cv2.getRotationMatrix2D((850, 600), -angle, 1.0)
        turned = cv2.warpAffine(page, m, (1700, 1200), borderValue=235)
        _, found = _deskew(turned)
        assert abs(found - angle) < 0.05, (angle, found)


def test_scanned_pages_read_side_by_side_land_in_their_places(tmp_path, monkeypatch):
    import actionplan.extractors.ocr as ocr
    from actionplan.extractors.model import PageContent
    from actionplan.extractors.pdf import _ocr_scans

    def read(path, index, exe, password=None, settings=None):
        return ocr.ScannedPage(PageContent(index + 1, 1.0, 1.0, n_chars=100 + index), [f"w{index}"])

    monkeypatch.setattr(ocr, "tesseract", lambda: "tesseract")
    monkeypatch.setattr(ocr, "read_scanned_page", read)
    for workers in (1, 2):
        pages = [PageContent(k + 1, 1.0, 1.0, n_images=1) for k in range(5)]
        heard: list[tuple[str, int, int]] = []
        done, doubts = _ocr_scans(tmp_path / "x.pdf", pages, "auto", None, ocr.DEFAULT, workers,
                                  lambda what, n, of, heard=heard: heard.append((what, n, of)))
        assert done == [1, 2, 3, 4, 5] and [p.n_chars for p in pages] == [100, 101, 102, 103, 104]
        assert doubts == {k + 1: [f"w{k}"] for k in range(5)}
        assert heard == [("ocr", n, 5) for n in range(6)]


def test_words_either_side_of_a_column_rule_are_read_apart():
    """'47' in the item cell and '34.' in the next, a space or two apart once the rule is
    painted out: read as one word '4734' they lost record 47 (the sample printed and scanned)."""
    import numpy as np

    from actionplan.extractors.ocr import _spread

    page = np.full((40, 300), 255, np.uint8)
    page[10:30, 90:100] = 0  # the end of one cell's word
    page[10:30, 104:120] = 0  # the start of the next cell's, past the rule at 102
    wide, back = _spread(page, [50, 102, 250], gap=60)
    assert wide.shape == (40, 300 + 3 * 60)
    cols = np.flatnonzero((wide == 0).any(axis=0))
    assert cols[0] == 90 + 60 and cols[-1] == 119 + 120  # 60 px of paper between them now
    assert back((150.0, 10.0, 160.0, 30.0)) == (90.0, 10.0, 100.0, 30.0)
    assert back((224.0, 10.0, 240.0, 30.0)) == (104.0, 10.0, 120.0, 30.0)
    # a footer under the table is left as printed: spread, "Page 3 of 21" came apart
    page[34:38, 90:120] = 0
    wide, back = _spread(page, [50, 102, 250], gap=60, band=(0, 32))
    assert (wide[34:38, 90:120] == 0).all() and back((90.0, 34.0, 120.0, 38.0)) == (90.0, 34.0, 120.0, 38.0)


def test_a_poster_sized_scan_is_rendered_within_the_pixel_budget(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from actionplan.extractors.render import render_scan

    pdf = tmp_path / "poster.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(2000, 1500))  # 70 x 53 cm
    c.drawImage(ImageReader(Image.new("L", (400, 300), 255)), 0, 0, 2000, 1500)
    c.save()
    page, dpi = render_scan(pdf, 1, lambda own: 300.0, max_pixels=4e6)
    w, h = page.image.size
    assert w * h <= 4e6 * 1.01 and dpi < 300  # coarser, not gigabytes
    page, dpi = render_scan(pdf, 1, lambda own: 50.0, max_pixels=4e6)
    assert dpi == 50.0  # within the budget: as chosen
