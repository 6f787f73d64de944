"""`inspect` and `--review`: what the reader saw, drawn over the page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_LEADS, SAMPLE_PDF, artifact
from synth import STYLES, PlanSpec, make_plan_pdf, random_records

from actionplan import convert
from actionplan.pipeline.cli import main
from actionplan.pipeline.outputs.inspect import inspect_page
from actionplan.pipeline.outputs.review import review_html


def test_inspect_draws_exactly_the_cells_the_reader_found(sample_result):
    page = next(p for p in sample_result.document.pages if p.number == 2)
    ins = inspect_page(sample_result, 2, scale=2.0)
    assert ins.cells == [c.bbox for t in page.tables for row in t.rows for c in row]
    assert ins.image.size == (round(page.width * 2), round(page.height * 2))
    on_page = {(t.id, r["item"]) for t in sample_result.tables for r in t.records
               if any(b["page"] == 2 for b in r["source_boxes"])}
    assert {(pid, item) for pid, item, _ in ins.records} == on_page and on_page


def test_inspect_labels_sit_in_the_margins_clear_of_the_page(sample_result):
    from actionplan.pipeline.outputs.inspect import LEFT, TOP

    for number in (1, 2, 10):
        ins = inspect_page(sample_result, number, scale=1.5)
        assert ins.decisions and ins.records
        w, h = ins.image.size
        page_on_sheet = ins.sheet.crop((LEFT, TOP, LEFT + w, TOP + h)).convert("RGB")
        assert page_on_sheet.tobytes() == ins.image.convert("RGB").tobytes()  # nothing written over the page
        labels = ins.sheet.crop((LEFT + w, TOP, LEFT + w + 60, TOP + h)).convert("L")
        assert labels.getextrema()[0] < 128  # the record labels are in the right margin


def test_inspect_writes_its_picture_in_the_working_folder_not_beside_the_input(tmp_path, monkeypatch, capsys):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    pdf = make_plan_pdf(inputs / "plan.pdf", [PlanSpec("Plan", random_records(61, 4))])
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["inspect", str(pdf), "--page", "1"]) == 0
    assert (work / "plan-p1.png").is_file() and sorted(p.name for p in inputs.iterdir()) == ["plan.pdf"]
    assert "plan-p1.png" in capsys.readouterr().out


def test_every_record_knows_where_it_was_read(sample_result):
    for r in sample_result.records:
        assert {b["page"] for b in r["source_boxes"]} == set(r["source_pages"])
        for b in r["source_boxes"]:
            x0, y0, x1, y1 = b["bbox"]
            assert x0 < x1 and y0 < y1


def test_the_review_page_is_self_contained_and_marks_every_record_and_warning(sample_result):
    text = review_html(sample_result)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)  # nothing fetched from anywhere
    assert text.count("<img ") == sample_result.page_count
    for t in sample_result.tables:
        for r in t.records:
            assert re.search(rf'id="r-{re.escape(t.id)}-{re.escape(r["item"])}"', text), r["item"]
    for i, w in enumerate(sample_result.warnings):
        if w.page:
            assert f'id="w-{i}"' in text
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) == len(set(ids))  # a record over two pages is one target, its links one place
    assert len(text.encode()) < 8 * 1024 * 1024  # 21 pages


@pytest.mark.parametrize("style", STYLES)
def test_inspect_and_review_work_on_every_table_style(style, tmp_path, synth_leads):
    pdf = make_plan_pdf(tmp_path / f"{style}.pdf", [PlanSpec("Improvement plan", random_records(60, 8))], rules=style)
    result = convert(pdf, leads=synth_leads)
    assert all(r["source_boxes"] for r in result.records)
    ins = inspect_page(result, 1)
    assert ins.records and ins.image.size[0] > 0
    assert review_html(result).count("<img ") == result.page_count


def test_the_commands_write_the_review_and_the_picture(tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(SAMPLE_PDF), "-o", str(out), "--leads", str(SAMPLE_LEADS), "--review", "-j", "1"]) == 0
    assert (out / f"{SAMPLE_PDF.stem}.review.html").stat().st_size > 100_000
    png = tmp_path / "page3.png"
    assert main(["inspect", str(SAMPLE_PDF), "--page", "3", "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["inspect", str(SAMPLE_PDF), "--page", "99", "-o", str(png)]) == 2


def _browser():
    """Headless Chromium through its driver; in CI it must be there."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium and chromium-driver (see .ci/run)")
        pytest.skip("Chromium and chromedriver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=options)


def _review_page(result, tmp_path) -> Path:
    """The review page written where a browser can open it."""
    page = tmp_path / "review.html"
    page.write_text(review_html(result), encoding="utf-8")
    return page


def test_the_review_page_in_a_real_browser_scrolls_to_what_is_clicked(sample_result, tmp_path):
    page = _review_page(sample_result, tmp_path)
    browser = _browser()
    try:
        from selenium.webdriver.common.by import By

        browser.get(page.as_uri())
        images = browser.find_elements(By.CSS_SELECTOR, "section.page img")
        assert len(images) == sample_result.page_count
        assert all(browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", im)
                   for im in images)
        labels = {el.get_attribute("textContent") for el in browser.find_elements(By.CSS_SELECTOR, "text.rec-label")}
        assert {f"#{r['item']}" for r in sample_result.records} <= labels
        # a warning far down the list: its mark must come into view, highlighted
        link = browser.find_elements(By.CSS_SELECTOR, 'aside a[data-target^="w-"]')[-1]
        target = link.get_attribute("data-target")
        browser.execute_script("arguments[0].scrollIntoView()", link)
        link.click()
        box = browser.find_element(By.ID, target)
        assert "hl" in box.get_attribute("class")
        visible = browser.execute_script(
            "var r = arguments[0].getBoundingClientRect(), m = document.querySelector('main').getBoundingClientRect();"
            "return r.bottom > m.top && r.top < m.bottom && r.right > m.left && r.left < m.right;", box)
        assert visible
        assert browser.save_screenshot(str(artifact("review-sample.png")))
    finally:
        browser.quit()


def test_the_review_page_in_a_real_browser_selects_a_record_by_click_and_keyboard(sample_result, tmp_path):
    from actionplan.pipeline.outputs.review import record_id

    page = _review_page(sample_result, tmp_path)
    browser = _browser()
    try:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        browser.get(page.as_uri())
        links = browser.find_elements(By.CSS_SELECTOR, "aside a")
        assert links and all(a.get_attribute("href") for a in links)  # every link reachable by Tab

        def panel() -> str:
            return browser.find_element(By.ID, "detail").text

        # a record that runs over a page break: its list link lights every part of it
        table = sample_result.tables[0]
        split = next(r for r in table.records if len({b["page"] for b in r["source_boxes"]}) > 1)
        rid = record_id(table.id, split["item"])
        link = browser.find_element(By.CSS_SELECTOR, f'a[data-select="{rid}"]')
        browser.execute_script("arguments[0].scrollIntoView()", link)
        link.click()
        lit = browser.find_elements(By.CSS_SELECTOR, f'svg .rec.hl[data-rec="{rid}"]')
        assert len(lit) == len(split["source_boxes"]) > 1
        assert len(browser.find_elements(By.CSS_SELECTOR, "svg .rec.hl")) == len(lit)  # only its parts
        shown = panel()
        for value in (split["item"], split["action"].split()[0], split["rag"], split["due"],
                      *split["lead_canonical"]):
            assert value and str(value) in shown, value

        # a click on a region of a page image selects its record
        other = next(r for r in table.records[len(table.records) // 2:] if len(r["source_boxes"]) == 1
                     and r["item"] != split["item"])
        oid = record_id(table.id, other["item"])
        region = browser.find_element(By.CSS_SELECTOR, f'svg .rec[data-rec="{oid}"]')
        browser.execute_script("arguments[0].scrollIntoView({block:'center', inline:'center'})", region)
        ActionChains(browser).move_to_element(region).click().perform()
        assert "hl" in region.get_attribute("class")
        assert "hl" in browser.find_element(By.CSS_SELECTOR, f'li[data-rec="{oid}"]').get_attribute("class")
        assert other["action"][:40] in panel().replace("\n", " ")
        assert browser.save_screenshot(str(artifact("review-clicked.png")))

        # the keyboard alone: Tab to the first record link, Enter selects it, j goes to the next
        first = next(r for r in table.records if r["source_boxes"])
        browser.get(page.as_uri())
        body = browser.find_element(By.TAG_NAME, "body")
        target = record_id(table.id, first["item"])
        for _ in range(len(links) + 5):
            ActionChains(browser).send_keys(Keys.TAB).perform()
            if browser.switch_to.active_element.get_attribute("data-select") == target:
                break
        assert browser.switch_to.active_element.get_attribute("data-select") == target
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        assert f"Item\n{first['item']}" in panel()
        body.send_keys("j")
        second = table.records[table.records.index(first) + 1]
        assert f"Item\n{second['item']}" in panel()
        # a region on the page takes the focus and Enter as well
        region = browser.find_element(By.CSS_SELECTOR, f'svg .rec[data-rec="{oid}"]')
        browser.execute_script("arguments[0].focus()", region)
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        assert f"Item\n{other['item']}" in panel()
    finally:
        browser.quit()


def test_inspect_on_a_page_that_does_not_exist_says_which_exist(sample_result):
    from actionplan import ConfigError

    with pytest.raises(ConfigError, match="between 1 and 21"):
        inspect_page(sample_result, 40)
    assert Path(SAMPLE_PDF).exists()


def test_asking_for_the_review_later_converts_again_what_was_done_without_it(tmp_path):
    out = tmp_path / "out"
    assert main(["convert", str(SAMPLE_PDF), "-o", str(out), "-j", "1"]) == 0
    assert not list(out.glob("*.review.html"))
    assert main(["convert", str(SAMPLE_PDF), "-o", str(out), "-j", "1", "--review"]) == 0
    assert len(list(out.glob("*.review.html"))) == 1


def test_the_review_page_marks_every_line_holding_a_word_no_record_took(tmp_path, monkeypatch):
    """Marked from the coverage summary, which lists every lost word (a warning's message
    shows twenty): 25 lost words in one cell all get their lines marked."""
    import actionplan.pipeline.normalise as normalise

    records = random_records(31, 8)
    lost = [f"quokka{chr(97 + k)}" for k in range(25)]
    records[3]["progress"] = " ".join(lost)
    pdf = make_plan_pdf(tmp_path / "plan.pdf", [PlanSpec("Plan", records)])
    real = normalise.build_records

    def lose_a_cell(df, leads, settings):
        recs, issues = real(df, leads, settings)
        for r in recs:
            if r["item"] == records[3]["item"]:
                r["progress"] = None
        return recs, issues

    monkeypatch.setattr(normalise, "build_records", lose_a_cell)
    result = convert(pdf)
    text = review_html(result)
    lines = [ln.text for p in result.document.pages for t in p.tables for row in t.rows for c in row
             for ln in c.lines if "quokka" in ln.text]
    assert lines and text.count('class="lost"') >= len(lines)


def test_the_review_page_escapes_what_the_pdf_says(tmp_path):
    """Titles, actions and items come from the PDF: markup in them is shown, never run."""
    records = random_records(6, 2)
    records[1]["action"] = "<script>alert('x')</script> & \"quoted\""
    pdf = make_plan_pdf(tmp_path / "plan.pdf", [PlanSpec("Plan <b>one</b> & two", records)])
    text = review_html(convert(pdf))
    assert "<script>alert" not in text and "<b>one" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in text
    assert "Plan &lt;b&gt;one&lt;/b&gt; &amp; two" in text
    assert text.count("<script>") == 1  # the page's own


def test_jinja2_is_loaded_only_when_a_review_page_is_made():
    code = ("import sys\nfrom actionplan.pipeline.cli import main\nimport actionplan.pipeline.outputs.review\n"
            "try: main(['--help'])\nexcept SystemExit: pass\nprint('jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False")


def test_inspect_draws_a_file_whose_conversion_fails_and_names_the_failure(tmp_path, capsys):
    records = random_records(8, 6)
    records[3]["item"] = records[1]["item"]  # printed twice: the PDF's fault, the file is refused
    pdf = make_plan_pdf(tmp_path / "dup.pdf", [PlanSpec("Plan", records)])
    png = tmp_path / "dup.png"
    assert main(["inspect", str(pdf), "--page", "1", "-o", str(png)]) == 1
    captured = capsys.readouterr()
    assert "printed more than once" in captured.err and "conversion failed" in captured.out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_failed_conversion_keeps_what_was_read_for_inspect(tmp_path):
    from actionplan import ValidationFailed

    records = random_records(8, 6)
    records[3]["item"] = records[1]["item"]
    pdf = make_plan_pdf(tmp_path / "dup.pdf", [PlanSpec("Plan", records)])
    with pytest.raises(ValidationFailed) as exc:
        convert(pdf)
    partial = exc.value.partial
    ins = inspect_page(partial, 1, failure=str(exc.value))
    assert ins.records and ins.decisions and ins.failure and "printed more than once" in ins.failure
