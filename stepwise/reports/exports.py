"""The reports as downloads: CSV, a row at a time, and XLSX workbooks written with
XlsxWriter's constant_memory (each row goes to disk as it is written), so a download of any
size holds one row in memory, not the file. Both write the rows the page shows
(presenters.Table, or a named list's rows), every text cell neutralised so a spreadsheet never
runs it as a formula."""

import io
import re
from collections.abc import Iterable
from typing import BinaryIO

import xlsxwriter

from stepwise.core.spreadsheet_cells import csv_chunks, escape_cell

SHEET_NAME_MAX = 31
# Excel refuses these in a sheet's name.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A named list longer than this is made by the worker, with a page to wait on.
BACKGROUND_OVER = 10_000


def sheet_name(title: str) -> str:
    return SHEET_NAME_FORBIDDEN.sub(" ", title)[:SHEET_NAME_MAX].strip() or "Sheet"


def csv_file(table) -> bytes:
    return b"".join(csv_chunks(table.values()))


def _cell(value):
    return value if isinstance(value, int) else escape_cell(value)


def write_xlsx(out: BinaryIO, sheets: Iterable[tuple[str, Iterable[Iterable]]]) -> int:
    """Each (title, rows) as a sheet, its first row bold, into `out` (a file open for
    writing). Returns the number of rows written below the headers."""
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "in_memory": False, "strings_to_formulas": False}
    )
    bold = book.add_format({"bold": True})
    written = 0
    for title, rows in sheets:
        sheet = book.add_worksheet(sheet_name(title))
        for number, row in enumerate(rows):
            for column, value in enumerate(row):
                value = _cell(value)
                if isinstance(value, int):
                    sheet.write_number(number, column, value)
                else:
                    sheet.write_string(number, column, value, bold if number == 0 else None)
            written += 1 if number else 0
    book.close()
    return written


def table_sheets(tables) -> list[tuple[str, list[list]]]:
    return [(table.title, table.values()) for table in tables]


def xlsx_file(tables) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, table_sheets(tables))
    return out.getvalue()
