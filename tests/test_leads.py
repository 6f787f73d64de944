"""Lead titles -> canonical titles from the user's list, or grouped among themselves."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_LEADS, SAMPLE_PDF

from actionplan.normalisers.leads import LeadList, clean_lead, group_leads, match_lead
from actionplan.schemas.errors import ConfigError


@pytest.fixture(scope="module")
def leads() -> LeadList:
    return LeadList.load(SAMPLE_LEADS)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Head of Fieldwork (KP)", ["Head of Fieldwork"]),
        ("Head of LAC", ["Head of Looked After Children"]),
        ("Head of Looked Children", ["Head of Looked After Children"]),
        ("Assistant Director: Safeguarding & Family Support", ["Assistant Director Safeguarding and Family Support"]),
        ("Assistant Director, Safeguarding and Family Support", ["Assistant Director Safeguarding and Family Support"]),
        ("Chair of Steering Group", ["Chair of HSCB Steering Group"]),
        ("Chair of the QA Sub Group", ["Chair of QA Sub Group"]),
        ("Chair of children at specific additional risk", ["Chair of Children at Specific Additional Risk"]),
    ],
)
def test_spellings_typos_and_dropped_words_match_one_title(leads, text, canonical):
    assert match_lead(text, leads, 85).canonical == canonical


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Head of LAC (JK) and Head of Fieldwork (KP)", ["Head of Looked After Children", "Head of Fieldwork"]),
        ("Frameworki Transformation Manager in conjunction with Service Manager – ICT Strategy and Commissioning",
         ["Frameworki Transformation Manager", "Service Manager ICT Strategy and Commissioning"]),
        ("Head of Safeguarding and Review/Head of Adults Safeguarding",
         ["Head of Safeguarding and Review", "Head of Adults Safeguarding"]),
        ("Independent Chair of the HSCB & Chair of HSAB", ["Independent Chair of HSCB", "Chair of HSAB"]),
    ],
)
def test_a_cell_naming_several_leads_gives_one_title_each(leads, text, canonical):
    assert match_lead(text, leads, 85).canonical == canonical


@pytest.mark.parametrize(
    "text",
    ["Head of Children with Disabilities and Practice Development", "Head of Safeguarding and Quality",
     "Assistant Director: Education & Commissioning"],
)
def test_titles_containing_and_are_not_split(leads, text):
    assert len(match_lead(text, leads, 85).canonical) == 1


def test_low_confidence_keeps_the_cleaned_title_and_names_the_candidates(leads):
    got = match_lead("Director of Public Health (AB)", leads, 85)
    assert got.canonical == ["Director of Public Health"]
    assert got.review and "best:" in got.review and "(" in got.review


def test_threshold_is_a_setting(leads):
    assert match_lead("Chair of Steering Group", leads, 99).review is not None


def test_initials_in_brackets_are_dropped():
    assert clean_lead("Head of Fieldwork (KP)") == "Head of Fieldwork"
    assert clean_lead("Head of LAC (J.K.)") == "Head of LAC"


def test_without_a_list_leads_group_under_their_most_frequent_spelling():
    values = ["Head of Fieldwork"] * 3 + ["Head of Fieldwork (KP)", "Head of Feildwork", "Virtual Head Teacher"]
    grouped = group_leads(values, 85)
    assert match_lead("Head of Feildwork", grouped, 85).canonical == ["Head of Fieldwork"]
    assert match_lead("Virtual Head Teacher", grouped, 85).canonical == ["Virtual Head Teacher"]


def test_lead_list_without_titles_is_a_clear_error(tmp_path):
    empty = tmp_path / "leads.csv"
    empty.write_text("canonical,aliases\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no titles"):
        LeadList.load(empty)


def test_abbreviations_the_document_defines_are_found():
    from actionplan.normalisers.leads import find_abbreviations

    found = find_abbreviations([
        "visits to looked after children (LAC) are timely",
        "the Director of Children's Services (DCS) chairs it",
        "a note (see below) and (OK)",
    ])
    assert found["lac"] == "looked after children"
    assert found["dcs"] == "director of childrens services"
    assert "ok" not in found


def test_alias_in_the_list_defines_its_abbreviation_for_other_spellings():
    leads = LeadList.load(SAMPLE_LEADS)
    assert leads.expansions["lac"] == "looked after children"
    assert match_lead("Head of LAC Services", leads, 85).canonical == ["Head of Looked After Children"]


def test_without_a_list_an_abbreviation_groups_with_its_spelling_out():
    expansions = {"lac": "looked after children"}
    grouped = group_leads(["Head of LAC"] * 3 + ["Head of Looked After Children"], 85, expansions)
    assert match_lead("Head of Looked After Children", grouped, 85).canonical == ["Head of LAC"]


def test_without_a_list_a_combination_of_leads_is_not_a_group_of_its_own():
    values = ["Head of Fieldwork"] * 2 + ["Head of Safeguarding and Review"] * 2 + [
        "Head of Safeguarding and Review/Head of Adults Safeguarding", "Head of Fieldwork and Head of Safeguarding and Review"]
    grouped = group_leads(values, 85)
    assert match_lead(values[-2], grouped, 85).canonical == ["Head of Safeguarding and Review", "Head of Adults Safeguarding"]
    assert match_lead(values[-1], grouped, 85).canonical == ["Head of Fieldwork", "Head of Safeguarding and Review"]


def test_sample_leads_group_right_without_a_list(expected):
    from conftest import SAMPLE_PDF
    from scoring import score

    from actionplan import convert

    s = score(expected["tables"], convert(SAMPLE_PDF).to_dict()["tables"])
    assert s.rate("lead") >= 0.98


def test_a_lead_list_saved_by_excel_in_windows_1252_is_read(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes("canonical,aliases\nHead of Children’s Services,HCS\n".encode("cp1252"))
    assert LeadList.load(path).titles[0] == ("Head of Children’s Services", "Head of Children’s Services")


def test_a_bad_lead_list_is_one_usage_error_before_any_pdf_is_read(tmp_path, capsys):
    from actionplan.pipeline.cli import main

    bad = tmp_path / "leads.csv"
    bad.write_text("canonical,aliases\n", encoding="utf-8")
    pdfs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]  # never opened
    for p in pdfs:
        p.write_bytes(b"%PDF-1.4 not really\n%%EOF")
    assert main(["convert", *map(str, pdfs), "-o", str(tmp_path / "out"), "--leads", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no titles" in err[0]
    assert not (tmp_path / "out").exists()


def _titles_of(path):
    from actionplan.normalisers.leads import LeadList

    return LeadList.load(path).titles


def test_a_lead_list_saved_as_excel_unicode_text_reads_as_its_csv(tmp_path):
    rows = [("canonical", "aliases"), ("Head of Looked After Children", "Head of LAC|HoLAC"),
            ("Directeur des Écoles", "")]
    csv_path = tmp_path / "leads.csv"
    csv_path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    want = _titles_of(csv_path)
    unicode_text = tmp_path / "leads.txt"  # Excel's "Unicode Text": UTF-16 with a BOM, tab-separated
    unicode_text.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16"))
    assert _titles_of(unicode_text) == want
    no_bom = tmp_path / "leads-le.csv"
    no_bom.write_bytes(("\n".join(",".join(r) for r in rows)).encode("utf-16-le"))
    assert _titles_of(no_bom) == want


def test_a_lead_list_that_is_not_text_is_refused_in_one_line(tmp_path, capsys):
    import zipfile

    from actionplan.pipeline.cli import main

    book = tmp_path / "leads.csv"  # a workbook renamed .csv
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook>" + "x" * 2000 + "</workbook>")
    with pytest.raises(ConfigError, match=r"not a text file|not text"):
        _titles_of(book)
    assert main(["convert", str(SAMPLE_PDF), "--leads", str(book), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "leads.csv" in err[0] and "CSV UTF-8" in err[0]


def test_a_lead_list_that_matches_none_of_a_plans_leads_says_so_once(tmp_path):
    from actionplan import convert

    other = tmp_path / "other-council.csv"
    other.write_text("canonical,aliases\nHarbour Master,\nChief Lighthouse Keeper,\nFleet Admiral,\n", encoding="utf-8")
    result = convert(SAMPLE_PDF, leads=other)
    assert not [w for w in result.warnings if w.code == "lead-low-confidence"]
    once = [w for w in result.warnings if w.code == "lead-list-unmatched"]
    assert len(once) == len(result.tables) and "wrong file?" in once[0].message
    # the right list: no such warning
    assert not [w for w in convert(SAMPLE_PDF, leads=SAMPLE_LEADS).warnings if w.code == "lead-list-unmatched"]


def test_two_titles_run_together_with_nothing_between_are_noticed_but_a_list_of_two_is_not():
    """Two rows' lead cells read as one: "Strategic Business Intelligence Manager
    Independent Chair of the Board" (sweep seed 11400023: two records merged, in silence).
    A lead cell listing two leads puts a slash, a comma or "and" between them."""
    from actionplan.normalisers.leads import LeadList, titles_run_together

    leads = LeadList.from_titles(["Strategic Business Intelligence Manager", "Independent Chair of the Board",
                                  "Head of Safeguarding and Review", "Head of Adults Safeguarding"])
    run = "Strategic Business Intelligence Manager Independent Chair of the Board"
    assert titles_run_together(run, leads) == ("Strategic Business Intelligence Manager",
                                               "Independent Chair of the Board")
    for listed in ("Head of Safeguarding and Review/Head of Adults Safeguarding",
                   "Strategic Business Intelligence Manager, Independent Chair of the Board",
                   "Strategic Business Intelligence Manager and Independent Chair of the Board",
                   "Head of Safeguarding and Review", "Independent Chair of the Board"):
        assert titles_run_together(listed, leads) is None, listed
