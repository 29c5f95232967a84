"""The templates people download to fill in: CSV and Excel, headings only.

No example row, so a template uploaded unchanged registers nobody. The Excel template also
lists the Trust's units on a second sheet and offers them, and the registers, as choices.
"""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from stepwise.core.spreadsheet_cells import csv_bytes
from stepwise.organisations.models import Organisation
from stepwise.organisations.upload.columns import COLUMN_NAMES, MAX_PEOPLE, REGISTRATION_BODIES

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILENAME = "stepwise-people-template"


def template_csv() -> bytes:
    return csv_bytes([COLUMN_NAMES])


def template_xlsx(units: list[Organisation]) -> bytes:
    workbook = Workbook()
    people = workbook.active
    people.title = "People"
    people.append(COLUMN_NAMES)
    for index, name in enumerate(COLUMN_NAMES, start=1):
        people.cell(row=1, column=index).font = Font(bold=True)
        people.column_dimensions[get_column_letter(index)].width = max(len(name) + 4, 22)
    people.freeze_panes = "A2"

    unit_sheet = workbook.create_sheet("Units")
    unit_sheet.append(["unit name", "unit code"])
    unit_sheet["A1"].font = unit_sheet["B1"].font = Font(bold=True)
    unit_sheet.column_dimensions["A"].width = 45
    unit_sheet.column_dimensions["B"].width = 15
    for unit in units:
        unit_sheet.append([unit.name, unit.code])

    last_row = MAX_PEOPLE + 1
    if units:
        _choices(
            people,
            "unit",
            f"=Units!$A$2:$A${len(units) + 1}",
            last_row,
            "Choose a unit from the Units sheet, or type its code. Leave blank for "
            "Trust-wide staff.",
            strict=False,
        )
    registers = ",".join(REGISTRATION_BODIES.values())
    _choices(people, "registration_body", f'"{registers}"', last_row, f"One of {registers}.")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _choices(sheet, column: str, formula: str, last_row: int, prompt: str, strict=True) -> None:
    letter = get_column_letter(COLUMN_NAMES.index(column) + 1)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=strict,
        showInputMessage=True,
        prompt=prompt,
    )
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{last_row}")


def template_response(kind: str, units: list[Organisation]) -> HttpResponse | None:
    """The template as a download, or None for a kind we do not offer."""
    if kind == "csv":
        response = HttpResponse(template_csv(), content_type=CSV_TYPE)
    elif kind == "xlsx":
        response = HttpResponse(template_xlsx(units), content_type=XLSX_TYPE)
    else:
        return None
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}.{kind}"'
    return response
