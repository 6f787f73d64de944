"""The rules about a record (done, overdue, its deadline as a date) live with its contract."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from actionplan.schemas.records import as_date, due_date, is_done, overdue


def test_a_contract_date_reads_as_the_first_or_last_day_of_its_month():
    assert as_date("2015-11") == date(2015, 11, 1)
    assert as_date("2015-11", end_of_month=True) == date(2015, 11, 30)
    assert as_date("2016-02", end_of_month=True) == date(2016, 2, 29)
    assert as_date("2016-03-31") == as_date("2016-03-31", end_of_month=True) == date(2016, 3, 31)
    assert as_date(None) is None and as_date("") is None


def test_a_record_is_done_overdue_and_due_by_its_own_fields():
    rec = {"item": "1", "due": "2015-06", "rag": "A", "by_when": "June 2015"}
    assert due_date(rec) == date(2015, 6, 1) and due_date(rec, end_of_month=True) == date(2015, 6, 30)
    assert due_date({**rec, "due": None}) is None
    assert not is_done(rec) and is_done({**rec, "rag": "B"}) and is_done({**rec, "by_when": "Complete"})
    assert overdue(rec, date(2015, 7, 1)) and not overdue(rec, date(2015, 6, 30))
    assert not overdue({**rec, "due": None}, date(2030, 1, 1))


def test_the_rules_need_nothing_of_the_workbook():
    code = "import sys, actionplan.schemas.records\nprint('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
