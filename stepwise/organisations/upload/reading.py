"""Reading an uploaded people file, CSV or XLSX, into rows of text keyed by column.

The kind of file is decided by its content, never by its name alone. Anything about the
file as a whole (not CSV or XLSX, unreadable, wrong headings, too many rows) raises
`FileProblem`; problems in a cell are left to validation, which reports them by row.
"""

import codecs
import csv
import io
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from stepwise.core.workbooks import (
    Limits,
    NotAWorkbook,
    WorkbookTooBig,
    WorkbookUnreadable,
    open_workbook,
)
from stepwise.organisations.upload.columns import (
    COLUMN_NAMES,
    MAX_CELLS,
    MAX_PEOPLE,
    MAX_ROWS_READ,
    REQUIRED_COLUMNS,
    heading_key,
)

logger = logging.getLogger(__name__)

NOT_CSV_OR_XLSX = "The selected file must be a CSV or XLSX"
UNREADABLE_WORKBOOK = (
    "The selected file could not be read as an Excel workbook. Open it in Excel, "
    "save it as .xlsx or CSV, and upload it again"
)
EXTENSIONS = (".csv", ".xlsx")
# Older Excel files and password-protected workbooks are OLE2 compound documents.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
XLSX_LIMITS = Limits(
    rows=MAX_ROWS_READ,
    cells=MAX_CELLS,
    # A 10 MB workbook can unpack to far more; this is plenty for 10,000 people.
    unpacked_bytes=200 * 1024 * 1024,
)
# Unknown or repeated headings listed one by one; any more are counted in one message.
HEADING_PROBLEMS_SHOWN = 10
# Control characters never found in a text file, always found in binary ones.
BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class FileProblem(Exception):
    """The file as a whole cannot be used; each message says why and what to do."""

    def __init__(self, *messages: str):
        super().__init__(messages[0])
        self.messages = list(messages)


@dataclass(frozen=True)
class SheetRow:
    """One person's row, numbered as the spreadsheet shows it (the headings are row 1)."""

    number: int
    values: dict[str, str]
    # Columns whose cell is a real spreadsheet formula (XLSX only).
    formulas: frozenset[str] = frozenset()
    # Letters of columns that hold a value but have no heading.
    unnamed: tuple[str, ...] = ()


@dataclass
class Sheet:
    kind: str
    columns: tuple[str, ...]
    rows: list[SheetRow] = field(default_factory=list)


# A cell as read: its text, and whether it was a formula.
Cell = tuple[str, bool]


def read_people_file(*, name: str, data: bytes) -> Sheet:
    if not name.lower().endswith(EXTENSIONS):
        raise FileProblem(NOT_CSV_OR_XLSX)
    if not data:
        raise FileProblem("The selected file is empty")
    if data.startswith(ZIP_SIGNATURE):
        return _sheet("xlsx", _xlsx_rows(data))
    if data.startswith(OLE2_SIGNATURE):
        raise FileProblem(
            "The selected file is an older Excel file (.xls) or has a password. "
            "Save it as an Excel workbook (.xlsx) without a password, or as CSV, and upload it "
            "again"
        )
    return _sheet("csv", _csv_rows(decode_text(data)))


def decode_text(data: bytes) -> str:
    """UTF-8 with or without a byte order mark, else Windows-1252 (Excel's 'CSV' on Windows)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if BINARY_CHARACTERS.search(text):
            break
        return text
    raise FileProblem(NOT_CSV_OR_XLSX)


def _csv_rows(text: str) -> Iterator[list[Cell]]:
    first_line = text.split("\n", 1)[0]
    # Excel in some locales separates with semicolons, and "Unicode text" uses tabs.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield [(cell.strip(), False) for cell in row]
    except csv.Error as error:
        raise FileProblem(
            f"The file could not be read as CSV near line {reader.line_num}: {error}. "
            "Save it from your spreadsheet as CSV and upload it again"
        ) from error


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # A GMC number typed into Excel arrives as 1234567.0.
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return str(value).strip()


def _xlsx_cell(cell) -> Cell:
    value = cell.value
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return (getattr(value, "text", None) or "=", True)
    return (_cell_text(value), getattr(cell, "data_type", None) == "f")


def _xlsx_rows(data: bytes) -> Iterator[list[Cell]]:
    try:
        workbook = open_workbook(data, limits=XLSX_LIMITS)
    except NotAWorkbook as error:
        raise FileProblem(NOT_CSV_OR_XLSX) from error
    except WorkbookTooBig as error:
        raise FileProblem(str(error)) from error
    except WorkbookUnreadable as error:
        logger.info("Unreadable workbook uploaded: %s", error)
        raise FileProblem(UNREADABLE_WORKBOOK) from error
    try:
        if not workbook.worksheets:
            raise FileProblem("The selected file is empty")
        for row in workbook.worksheets[0].iter_rows():
            yield [_xlsx_cell(cell) for cell in row]
    except FileProblem:
        raise
    except Exception as error:
        # openpyxl raises many kinds of error for a damaged workbook; all mean the same here.
        logger.info("Unreadable workbook uploaded: %r", error)
        raise FileProblem(UNREADABLE_WORKBOOK) from error
    finally:
        workbook.close()


def _heading_columns(headings: list[Cell]) -> dict[int, str]:
    """Which column index holds which field; every heading problem at once."""
    columns: dict[int, str] = {}
    problems: list[str] = []
    for index, (text, _formula) in enumerate(headings):
        if not text:
            continue
        key = heading_key(text)
        if key not in COLUMN_NAMES:
            problems.append(
                f"The heading “{text}” in column {get_column_letter(index + 1)} is not one "
                "we recognise. Use the headings from the template"
            )
        elif key in columns.values():
            problems.append(f"The heading “{key}” appears more than once")
        else:
            columns[index] = key
    if len(problems) > HEADING_PROBLEMS_SHOWN:
        # A first row of data rather than headings can be thousands of columns wide.
        rest = len(problems) - HEADING_PROBLEMS_SHOWN
        problems[HEADING_PROBLEMS_SHOWN:] = [
            f"{rest:,} more problems with the headings. Use the headings from the template"
        ]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns.values()]
    if missing:
        problems.insert(
            0,
            f"The file is missing the {'column' if len(missing) == 1 else 'columns'} "
            f"{_and_list(missing)}. The first row must have the headings "
            f"{_and_list(COLUMN_NAMES)} (the last three are optional)",
        )
    if problems:
        raise FileProblem(*problems)
    return columns


def _and_list(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _sheet(kind: str, raw_rows: Iterator[list[Cell]]) -> Sheet:
    headings = next(raw_rows, None)
    if headings is None or not any(text for text, _ in headings):
        # Nothing at all, or a blank first row where the headings should be.
        if headings is None:
            raise FileProblem("The selected file is empty")
        raise FileProblem(
            "The first row of the file must have the headings "
            f"{_and_list(COLUMN_NAMES)}. Use the template"
        )
    columns = _heading_columns(headings)
    sheet = Sheet(kind=kind, columns=tuple(columns.values()))
    for number, cells in enumerate(raw_rows, start=2):
        if number > MAX_ROWS_READ:
            raise FileProblem(
                f"The file has more than {MAX_ROWS_READ:,} rows, counting blank ones. "
                f"Delete the empty rows and keep to {MAX_PEOPLE:,} people in a file"
            )
        if not any(text for text, _ in cells):
            continue  # A truly empty row: skipped, but the numbering still counts it.
        if len(sheet.rows) == MAX_PEOPLE:
            raise FileProblem(
                f"The file has more than {MAX_PEOPLE:,} people. Split it into files of "
                f"{MAX_PEOPLE:,} people or fewer and upload each one"
            )
        values = dict.fromkeys(sheet.columns, "")
        formulas: set[str] = set()
        unnamed: list[str] = []
        for index, (text, is_formula) in enumerate(cells):
            name = columns.get(index)
            if name is None:
                if text:
                    unnamed.append(get_column_letter(index + 1))
                continue
            values[name] = text
            if is_formula:
                formulas.add(name)
        sheet.rows.append(SheetRow(number, values, frozenset(formulas), tuple(unnamed)))
    if not sheet.rows:
        raise FileProblem(
            "The file has no people in it. Add a row for each person below the headings"
        )
    return sheet
