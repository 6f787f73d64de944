"""Open a workbook in LibreOffice Calc, let it grow the rows as it does when text is typed
into wrapped cells (optimal row height), stretch the last row of a merged block whose text
would not fit (as people drag it taller), and print every sheet to PDF.

Rows of more than one line are given some slack over Calc's own optimal height (see SLACK).

Run by the Python that carries LibreOffice's UNO bridge (Debian: /usr/bin/python3 with
python3-uno), not the project's own:

    python3 calc_uno.py BOOK.xlsx OUT.pdf PROFILE_URL JOB.json

JOB.json: {"sheets": [{"fit": bool}, ...], "merges": [[sheet, first_row, first_col, last_row,
last_col], ...]} (0-based). A sheet not fit to one page wide has its print scale lowered
until its columns fit (people do that rather than print the last columns on pages of
their own). Writes OUT.pdf and prints one JSON line: per sheet, its rows' heights (pt),
the page's printable height (pt), the print scale, and the rows too tall for a page.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

MM100_PER_PT = 2540 / 72
# Calc sizes rows with its screen metrics and prints with the font's own, so a wrapped cell
# can print a line longer than the row it grew (Arial Narrow, Verdana: a line in a dozen);
# rows of more than one line get this much more, the slack hand-sized rows have anyway
SLACK = 1.12


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(pipe, proc, timeout=30.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    end = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if proc.poll() is not None or time.monotonic() > end:
                raise
            time.sleep(0.1)


def _used(sheet):
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    return cursor.RangeAddress.EndRow, cursor.RangeAddress.EndColumn


def _needed_height(doc, sheet, r1, c1, r2, c2):
    """Height (1/100 mm) the merged cell's text needs: its top-left cell copied to a scratch
    sheet whose first column is as wide as the merge, and grown to its optimal height."""
    sheets = doc.Sheets
    name = "__scratch__"
    sheets.insertNewByName(name, sheets.Count)
    scratch = sheets.getByName(name)
    try:
        width = sum(sheet.Columns.getByIndex(c).Width for c in range(c1, c2 + 1))
        scratch.Columns.getByIndex(0).Width = width
        src = sheet.getCellRangeByPosition(c1, r1, c1, r1).RangeAddress
        dest = scratch.getCellByPosition(0, 0).CellAddress
        scratch.copyRange(dest, src)
        scratch.getCellRangeByPosition(0, 0, c2 - c1, r2 - r1).merge(False)  # the copy keeps the merge
        row = scratch.Rows.getByIndex(0)
        row.OptimalHeight = True
        return row.Height
    finally:
        sheets.removeByName(name)


@contextlib.contextmanager
def opened_in_calc(xlsx, profile, name="calc"):
    """The workbook open in a headless Calc of its own (its own profile and pipe); the office
    quits and is waited for afterwards, killed if it hangs."""
    pipe = f"actionplan_{name}_{os.getpid()}"
    proc = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nologo", "--norestore",
         "--nodefault", "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = _connect(pipe, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(xlsx)), "_blank", 0,
                                           (_prop("Hidden", True),))
        try:
            yield doc
        finally:
            doc.close(True)
            with contextlib.suppress(Exception):  # the bridge goes as the office quits
                desktop.terminate()
    finally:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(xlsx, pdf, profile, job_path):
    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    with opened_in_calc(xlsx, profile) as doc:
        styles = doc.StyleFamilies.getByName("PageStyles")
        for s in range(len(job.get("sheets", []))):
            sheet = doc.Sheets.getByIndex(s)
            last_row, _ = _used(sheet)
            sheet.getCellRangeByPosition(0, 0, 0, last_row).Rows.OptimalHeight = True
            one_line = min(sheet.Rows.getByIndex(r).Height for r in range(last_row + 1))
            for r in range(last_row + 1):
                row = sheet.Rows.getByIndex(r)
                if row.Height > 1.6 * one_line:
                    row.Height = int(row.Height * SLACK)
        for s, r1, c1, r2, c2 in job.get("merges", []):
            sheet = doc.Sheets.getByIndex(s)
            need = _needed_height(doc, sheet, r1, c1, r2, c2) * SLACK
            rows = [sheet.Rows.getByIndex(r) for r in range(r1, r2 + 1)]
            have = sum(r.Height for r in rows)
            if need > have:
                rows[-1].Height = rows[-1].Height + (need - have)
        report = []
        for s, sheet_job in enumerate(job.get("sheets", [])):
            sheet = doc.Sheets.getByIndex(s)
            last_row, last_col = _used(sheet)
            style = styles.getByName(sheet.PageStyle)
            usable = style.Height - style.TopMargin - style.BottomMargin
            if style.HeaderIsOn:
                usable -= style.HeaderHeight
            if style.FooterIsOn:
                usable -= style.FooterHeight
            print_width = style.Width - style.LeftMargin - style.RightMargin
            total = sum(sheet.Columns.getByIndex(c).Width for c in range(last_col + 1))
            if sheet_job.get("fit"):
                scale = min(1.0, print_width / total)
            else:  # printed at a scale: lowered until the columns fit one page wide, as people do
                pct = style.PageScale
                if total * pct / 100 > print_width:
                    pct = int(print_width / total * 100)
                    style.PageScale = pct
                scale = pct / 100
            heights = [sheet.Rows.getByIndex(r).Height for r in range(last_row + 1)]
            titles = 0
            if sheet.PrintTitleRows:
                t = sheet.TitleRows
                titles = sum(heights[t.StartRow:t.EndRow + 1])
            too_tall = [r for r, h in enumerate(heights) if (h + titles) * scale > usable * 0.98]
            report.append({"rows": [h / MM100_PER_PT for h in heights], "usable": usable / MM100_PER_PT,
                           "scale": scale, "print_width": print_width / MM100_PER_PT,
                           "too_tall": too_tall})
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(pdf)), (_prop("FilterName", "calc_pdf_Export"),))
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:5])
