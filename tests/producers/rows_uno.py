"""Calc's own measure of a workbook's rows: for every row of every sheet, the height the
workbook gives it and the height Calc grows it to for its wrapped text (optimal height).
A workbook whose rows are shorter than Calc's measure prints text over the row below.

Run by the Python that carries LibreOffice's UNO bridge (see calc_uno.py):

    python3 rows_uno.py BOOK.xlsx PROFILE_URL

Prints one JSON line: {sheet name: [[given pt, optimal pt], ...]}.
"""

from __future__ import annotations

import json
import sys

from calc_uno import MM100_PER_PT, _used, opened_in_calc  # type: ignore[import-not-found]


def main(xlsx, profile):
    report = {}
    with opened_in_calc(xlsx, profile, "rows") as doc:
        for s in range(doc.Sheets.Count):
            sheet = doc.Sheets.getByIndex(s)
            last_row, _ = _used(sheet)
            rows = []
            for r in range(last_row + 1):
                row = sheet.Rows.getByIndex(r)
                given = row.Height
                row.OptimalHeight = True
                rows.append([given / MM100_PER_PT, row.Height / MM100_PER_PT])
            report[sheet.Name] = rows
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:3])
