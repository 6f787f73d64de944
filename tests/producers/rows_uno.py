"""Calc's own measure of a workbook's rows: for every row of every sheet, the height the
workbook gives it and the height Calc grows it to for its wrapped text (optimal height).
A workbook whose rows are shorter than Calc's measure prints text over the row below.

Run by the Python that carries LibreOffice's UNO bridge (see calc_uno.py):

    python3 rows_uno.py BOOK.xlsx PROFILE_URL

Prints one JSON line: {sheet name: [[given pt, optimal pt], ...]}.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys

import uno  # type: ignore[import-not-found]
from calc_uno import MM100_PER_PT, _connect, _prop, _used  # type: ignore[import-not-found]


def main(xlsx, profile):
    pipe = f"actionplan_rows_{os.getpid()}"
    proc = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nologo", "--norestore",
         "--nodefault", "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = _connect(pipe, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(xlsx)), "_blank", 0,
                                           (_prop("Hidden", True),))
        report = {}
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
        doc.close(True)
        with contextlib.suppress(Exception):
            desktop.terminate()
        print(json.dumps(report))
    finally:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main(*sys.argv[1:3])
