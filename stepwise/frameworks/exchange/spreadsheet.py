"""Frameworks as spreadsheets (CSV and XLSX): one row per proficiency, in the template's columns.

A section's title is needed on its first row only. A row with only a section code and title names
a section with no proficiencies yet, so an empty section survives a round trip.
"""

import csv
import io
import zipfile
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.functions import iterparse  # defusedxml when installed, as openpyxl does

from stepwise.core.spreadsheet_cells import csv_bytes, unescape_cell
from stepwise.core.workbooks import Limits, WorkbookProblem, WorkbookTooBig, open_workbook
from stepwise.frameworks import rules
from stepwise.frameworks.exchange.content import (
    FrameworkContent,
    ProficiencyData,
    SectionData,
    check_content,
)
from stepwise.frameworks.exchange.problems import ImportInvalid, Problem

COLUMNS = (
    "section_code",
    "section_title",
    "proficiency_code",
    "statement",
    "guidance",
    "optional",
    "supernumerary",
    "evidence_hints",
    "proficiency_uuid",
)
PROFICIENCY_COLUMNS = COLUMNS[2:]
COLUMN_HELP = {
    "section_code": "The section's code, for example 1. Every row needs one.",
    "section_title": (
        "The section's title, for example Respiratory. Needed on the section's first row; "
        "later rows may repeat it or leave it blank."
    ),
    "proficiency_code": (
        "The proficiency's code, for example 1.3.2, used once in the version. Leave this and "
        "the columns after it blank on a row that only names a section."
    ),
    "statement": "What the learner must be able to do. Needed on every proficiency row.",
    "guidance": "Guidance for learners and assessors. Can be blank.",
    "optional": "yes if the proficiency is optional; no or blank if every learner needs it.",
    "supernumerary": "yes if it is to be achieved during the supernumerary period; else no.",
    "evidence_hints": "Suggestions for evidence the learner could give. Can be blank.",
    "proficiency_uuid": (
        "Leave blank for a new proficiency. Keep the value from an export: it is how results "
        "carry over from one version to the next."
    ),
}
MAX_ROWS = 20_000
# Checked before openpyxl reads a workbook (see stepwise/core/workbooks.py): blank rows and
# room beyond the template's columns, yet read in seconds.
XLSX_LIMITS = Limits(
    rows=5 * MAX_ROWS,
    cells=2 * len(COLUMNS) * MAX_ROWS,
    # A small XLSX can unpack into gigabytes.
    unpacked_bytes=250 * 1024 * 1024,
)
SHEET_TITLE = "Proficiencies"
NOT_A_SPREADSHEET = "The file is not a CSV or XLSX spreadsheet: download the template and use that"


def _invalid(message: str, **where) -> ImportInvalid:
    return ImportInvalid([Problem(message, **where)])


# Reading


def _csv_rows(data: bytes, problems: list[Problem]) -> list[tuple[int, list]]:
    if b"\x00" in data[:4096]:
        raise _invalid(NOT_A_SPREADSHEET)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel on Windows saves plain "CSV" in Windows-1252.
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _invalid(
                "The file's characters cannot be read: save it as CSV UTF-8 and try again"
            ) from None
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, cells))
    except csv.Error as error:
        problems.append(
            Problem(f"The file is not a readable CSV file ({error})", row=len(rows) + 1)
        )
    return rows


def _merged_ranges(archive: zipfile.ZipFile, worksheet) -> list[str]:
    # Read-only worksheets do not load merged cells, so find them in the sheet's XML.
    path = getattr(worksheet, "_worksheet_path", "")
    if path.lstrip("/") not in archive.namelist():
        return []
    ranges = []
    with archive.open(path.lstrip("/")) as source:
        for _event, element in iterparse(source):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                ranges.append(element.get("ref"))
            element.clear()
    return ranges


def _cell_text(value, row: int, column: str, problems: list[Problem]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date | time):
        problems.append(Problem("This is a date or time: format the column as text", row, column))
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes, problems: list[Problem]) -> list[tuple[int, list]]:
    try:
        workbook = open_workbook(data, limits=XLSX_LIMITS)
    except WorkbookTooBig as error:
        raise _invalid(str(error)) from None
    except WorkbookProblem:
        raise _invalid(NOT_A_SPREADSHEET) from None
    rows = []
    try:
        worksheet = workbook.worksheets[0]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            merged = _merged_ranges(archive, worksheet)
        for ref in merged:
            min_col, min_row, _max_col, _max_row = range_boundaries(ref)
            column = COLUMNS[min_col - 1] if min_col <= len(COLUMNS) else get_column_letter(min_col)
            problems.append(
                Problem(
                    f"Cells {ref} are merged: unmerge them and put a value in each cell",
                    min_row,
                    column,
                )
            )
        # Every row is read (open_workbook has capped how many there can be), so none is
        # left out however many blank ones come before it.
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            columns = [*COLUMNS, *(get_column_letter(i) for i in range(10, len(values) + 1))]
            cells = zip(values, columns, strict=False)
            rows.append((number, [_cell_text(v, number, c, problems) for v, c in cells]))
    except Exception:  # openpyxl raises many kinds of error on a damaged file
        raise _invalid(NOT_A_SPREADSHEET) from None
    finally:
        workbook.close()
    return rows


def _check_header(rows, problems) -> None:
    if not rows:
        raise _invalid("The file is empty: download the template and use that")
    number, cells = rows[0]
    header = [str(cell).strip().lower() for cell in cells]
    while header and not header[-1]:
        header.pop()
    if tuple(header) == COLUMNS:
        return
    message = "The first row must be the column names, in this order: " + ", ".join(COLUMNS)
    missing = [name for name in COLUMNS if name not in header]
    unexpected = [name for name in header if name and name not in COLUMNS]
    if missing:
        message += f". Missing: {', '.join(missing)}"
    if unexpected:
        message += f". Not expected: {', '.join(unexpected)}"
    if not missing and not unexpected:
        message += ". The columns are in a different order"
    if len(header) == 1 and ";" in header[0]:
        message += ". The columns are separated by semicolons: save it as CSV (comma delimited)"
    # Without the right columns no row can be read, so stop here.
    raise ImportInvalid([*problems, Problem(message, row=number)])


def _check(problems, row, column, check):
    try:
        return check()
    except ValidationError as error:
        problems.extend(Problem(message, row, column) for message in error.messages)
        return None


def _parse(rows, problems: list[Problem]) -> FrameworkContent:
    _check_header(rows, problems)
    sections: dict[str, SectionData] = {}
    count = 0
    for number, raw in rows[1:]:
        # An exported cell that spreadsheets would run as a formula was escaped: unescape it.
        cells = [unescape_cell(str(cell)) for cell in raw]
        if not any(cell.strip() for cell in cells):
            continue  # blank rows are skipped wherever they are
        count += 1
        if count > MAX_ROWS:
            problems.append(Problem(f"The file has more than {MAX_ROWS:,} rows: split it up"))
            break
        if any(cell.strip() for cell in cells[len(COLUMNS) :]):
            problems.append(
                Problem(f"This row has values beyond the {len(COLUMNS)} template columns", number)
            )
        values = dict(zip(COLUMNS, [*cells, *[""] * len(COLUMNS)], strict=False))
        section = _section_for(values, number, sections, problems)
        if not any(values[name].strip() for name in PROFICIENCY_COLUMNS):
            continue  # a row naming a section only
        proficiency = _proficiency_for(values, number, problems)
        if section is not None and proficiency is not None:
            section.proficiencies.append(proficiency)
    content = FrameworkContent(sections=list(sections.values()))
    problems.extend(check_content(content, require_proficiencies=not problems))
    return content


def _section_for(values, number, sections, problems) -> SectionData | None:
    code = _check(
        problems,
        number,
        "section_code",
        lambda: rules.clean_code(values["section_code"], what="section code"),
    )
    if code is None:
        return None
    title = values["section_title"].strip()
    section = sections.get(code)
    if section is None:
        if not title:
            problems.append(
                Problem(
                    f"Section {code} is not known: give its title on its first row",
                    number,
                    "section_title",
                )
            )
            return None
        title = _check(problems, number, "section_title", lambda: rules.clean_section_title(title))
        if title is None:
            return None
        section = sections[code] = SectionData(code=code, title=title, row=number)
    elif title and " ".join(title.split()) != " ".join(section.title.split()):
        problems.append(
            Problem(
                f"Section {code} is called \u201c{section.title}\u201d on row {section.row}: "
                "give each section one title",
                number,
                "section_title",
            )
        )
    return section


def _proficiency_for(values, number, problems) -> ProficiencyData | None:
    before = len(problems)
    fields = {
        "code": _check(
            problems,
            number,
            "proficiency_code",
            lambda: rules.clean_code(values["proficiency_code"], what="proficiency code"),
        ),
        "statement": _check(
            problems, number, "statement", lambda: rules.clean_statement(values["statement"])
        ),
        "guidance": _check(
            problems, number, "guidance", lambda: rules.clean_guidance(values["guidance"])
        ),
        "optional": _check(
            problems,
            number,
            "optional",
            lambda: rules.clean_flag(values["optional"], what="optional"),
        ),
        "supernumerary": _check(
            problems,
            number,
            "supernumerary",
            lambda: rules.clean_flag(values["supernumerary"], what="supernumerary"),
        ),
        "evidence_hints": _check(
            problems,
            number,
            "evidence_hints",
            lambda: rules.clean_evidence_hints(values["evidence_hints"]),
        ),
        "uuid": _check(
            problems,
            number,
            "proficiency_uuid",
            lambda: rules.clean_uuid(values["proficiency_uuid"], what="proficiency_uuid"),
        ),
    }
    if len(problems) > before:
        return None
    return ProficiencyData(**fields, row=number)


def read_spreadsheet(data: bytes, filename: str) -> FrameworkContent:
    """Read and check a whole CSV or XLSX file; ImportInvalid lists every problem found."""
    name = (filename or "").lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise _invalid("This is an old Excel file (.xls): save it as .xlsx or CSV and try again")
    problems: list[Problem] = []
    is_xlsx = data.startswith(b"PK\x03\x04") or name.endswith(".xlsx")
    rows = _xlsx_rows(data, problems) if is_xlsx else _csv_rows(data, problems)
    content = _parse(rows, problems)
    if problems:
        raise ImportInvalid(problems)
    return content


# Writing


def _rows(content: FrameworkContent):
    def flag(value):
        return "yes" if value else "no"

    for section in content.sections:
        if not section.proficiencies:
            yield [section.code, section.title, *[""] * len(PROFICIENCY_COLUMNS)]
        for p in section.proficiencies:
            yield [
                section.code,
                section.title,
                p.code,
                p.statement,
                p.guidance,
                flag(p.optional),
                flag(p.supernumerary),
                p.evidence_hints,
                str(p.uuid) if p.uuid else "",
            ]


def write_csv(content: FrameworkContent) -> bytes:
    return csv_bytes([COLUMNS, *_rows(content)])


def write_xlsx(content: FrameworkContent) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(COLUMNS)
    for row in _rows(content):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = {"statement": 60, "guidance": 50, "evidence_hints": 40, "proficiency_uuid": 38}
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(name, 16)
    flags = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    flags.error = "Enter yes or no"
    sheet.add_data_validation(flags)
    last = max(sheet.max_row, 2) + 1000
    flags.add(f"F2:G{last}")

    help_sheet = workbook.create_sheet("How to fill this in")
    help_sheet.append(["column", "what to put in it"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for name in COLUMNS:
        help_sheet.append([name, COLUMN_HELP[name]])
    help_sheet.column_dimensions["A"].width = 20
    help_sheet.column_dimensions["B"].width = 100
    for row in help_sheet.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
