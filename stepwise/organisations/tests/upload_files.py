"""Building people files for the upload tests and the benchmark."""

import csv
import io

from openpyxl import Workbook

from stepwise.organisations.upload.columns import COLUMN_NAMES


def person_row(number: int, unit: str = "", roles: str = "learner", **values) -> dict:
    row = {
        "full_name": f"Person {number}",
        "email": f"person.{number}@nhs.net",
        "unit": unit,
        "roles": roles,
        "job_title": "Staff Nurse",
        "registration_body": "NMC",
        "registration_number": f"{number % 100:02d}A{number % 10000:04d}B",
    }
    row.update(values)
    return row


def _table(rows: list[dict], headings) -> list[list]:
    return [list(headings)] + [[row.get(name, "") for name in headings] for row in rows]


def csv_bytes(rows: list[dict], headings=COLUMN_NAMES, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(_table(rows, headings))
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], headings=COLUMN_NAMES, formulas: dict | None = None) -> bytes:
    """`formulas` maps (row number, column name) to a formula to put in that cell."""
    workbook = Workbook()
    sheet = workbook.active
    for values in _table(rows, headings):
        sheet.append(values)
    for (row, column), formula in (formulas or {}).items():
        sheet.cell(row=row, column=list(headings).index(column) + 1, value=formula)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
