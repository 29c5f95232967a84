"""The dashboard's tables as downloads: a CSV of one table, or a workbook with a sheet for
each. Both write the rows the page shows (presenters.Table), every text cell neutralised so
a spreadsheet never runs it as a formula."""

import io

import xlsxwriter

from stepwise.core.spreadsheet_cells import csv_bytes, escape_cell

SHEET_NAME_MAX = 31


def csv_file(table) -> bytes:
    return csv_bytes(table.values())


def _cell(value):
    return value if isinstance(value, int) else escape_cell(value)


def xlsx_file(tables) -> bytes:
    out = io.BytesIO()
    # constant_memory writes each row out as it goes: a workbook's size does not grow memory.
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "in_memory": False, "strings_to_formulas": False}
    )
    bold = book.add_format({"bold": True})
    for table in tables:
        sheet = book.add_worksheet(table.title[:SHEET_NAME_MAX])
        for number, row in enumerate(table.values()):
            for column, value in enumerate(row):
                value = _cell(value)
                if isinstance(value, int):
                    sheet.write_number(number, column, value)
                else:
                    sheet.write_string(number, column, value, bold if number == 0 else None)
    book.close()
    return out.getvalue()
