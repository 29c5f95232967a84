import csv
import datetime
import io
import itertools
import time
import uuid
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from stepwise.core.tests.workbook_files import with_dimension, with_sheet_data
from stepwise.frameworks.exchange import spreadsheet
from stepwise.frameworks.exchange.files import (
    Format,
    export_version,
    import_file,
    read_file,
    template,
)
from stepwise.frameworks.exchange.problems import ImportInvalid
from stepwise.frameworks.exchange.spreadsheet import COLUMNS
from stepwise.frameworks.models import FrameworkVersion
from stepwise.frameworks.services import proficiency_edit, section_add, version_draft
from stepwise.frameworks.tests.factories import FrameworkFactory

HEADER = list(COLUMNS)
UUID = "3f2b6c1e-8a4d-4f3b-9c2e-1d5a7b8c9e0f"
GOOD_ROWS = [
    ["1", "Respiratory", "1.1", "Describe the airway", "", "no", "yes", "", UUID],
    ["1", "", "1.2", "Perform suctioning", "Closed circuit.", "", "", "A supervised episode", ""],
    ["2", "Cardiovascular", "2.1", "Record a 12-lead ECG", "", "yes", "no", "", ""],
]


def csv_bytes(rows, header=HEADER, encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, build=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if build:
        build(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def problems(data, filename="proficiencies.csv") -> list[str]:
    with pytest.raises(ImportInvalid) as error:
        read_file(data, filename)
    return [str(problem) for problem in error.value.problems]


def summary(content):
    return [
        (
            s.code,
            s.title,
            [(p.code, p.statement, p.optional, p.supernumerary) for p in s.proficiencies],
        )
        for s in content.sections
    ]


EXPECTED = [
    (
        "1",
        "Respiratory",
        [("1.1", "Describe the airway", False, True), ("1.2", "Perform suctioning", False, False)],
    ),
    ("2", "Cardiovascular", [("2.1", "Record a 12-lead ECG", True, False)]),
]


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (csv_bytes(GOOD_ROWS), "f.csv"),
        (b"\xef\xbb\xbf" + csv_bytes(GOOD_ROWS), "f.csv"),
        (csv_bytes(GOOD_ROWS, encoding="cp1252"), "f.csv"),
        (xlsx_bytes(GOOD_ROWS), "f.xlsx"),
        (xlsx_bytes(GOOD_ROWS), "named-wrongly.csv"),  # the content says what it is
    ],
    ids=["csv", "csv-bom", "csv-windows-1252", "xlsx", "xlsx-misnamed"],
)
def test_it_reads_a_good_file(data, filename):
    content = read_file(data, filename)

    assert summary(content) == EXPECTED
    first, second = content.sections[0].proficiencies
    assert first.uuid == uuid.UUID(UUID)
    assert second.uuid is None
    assert second.guidance == "Closed circuit."
    assert second.evidence_hints == "A supervised episode"


def test_it_reads_windows_1252_characters():
    rows = [["1", "Café – care", "1.1", "Patient’s airway", "", "", "", "", ""]]

    content = read_file(csv_bytes(rows, encoding="cp1252"), "f.csv")

    assert content.sections[0].title == "Café – care"
    assert content.sections[0].proficiencies[0].statement == "Patient’s airway"


def test_it_skips_blank_rows_anywhere():
    rows = [GOOD_ROWS[0], [""] * 9, ["", " "], GOOD_ROWS[1], GOOD_ROWS[2], [], [""] * 9]

    assert summary(read_file(csv_bytes(rows), "f.csv")) == EXPECTED


def test_a_row_naming_only_a_section_makes_an_empty_section():
    rows = [*GOOD_ROWS, ["3", "Neurology", "", "", "", "", "", "", ""]]

    content = read_file(csv_bytes(rows), "f.csv")

    assert [(s.code, len(s.proficiencies)) for s in content.sections] == [
        ("1", 2),
        ("2", 1),
        ("3", 0),
    ]


def test_it_lists_every_problem_by_row_and_column():
    rows = [
        ["1", "Respiratory", "1.1", "Describe the airway", "", "no", "yes", "", ""],
        ["1", "", "1.1", "", "", "maybe", "", "", "not-a-uuid"],
        ["9", "", "9.1", "In an unknown section", "", "", "", "", ""],
        ["1", "Breathing", "1.3", "x" * 2001, "", "", "", "", ""],
        ["2", "Cardiovascular", "2.1", "=SUM(A1:A2)", "", "", "", "", ""],
        ["2", "", "2 2", "Measure CVP", "", "", "", "", "", "extra"],
    ]

    assert problems(csv_bytes(rows)) == [
        "Row 3, statement: Enter the statement",
        "Row 3, optional: The optional column must be yes or no, not 'maybe'",
        "Row 3, proficiency_uuid: The proficiency_uuid 'not-a-uuid' is not a lower-case "
        "RFC 4122 UUID (leave it blank for a new proficiency)",
        "Row 4, section_title: Section 9 is not known: give its title on its first row",
        "Row 5, section_title: Section 1 is called \u201cRespiratory\u201d on row 2: "
        "give each section one title",
        "Row 5, statement: The statement must be 2,000 characters or fewer",
        "Row 6, statement: The statement starts with =, which spreadsheets read as a formula: "
        "start it with a letter or number instead",
        "Row 7: This row has values beyond the 9 template columns",
        "Row 7, proficiency_code: The proficiency code must not contain spaces, for example 1.3.2",
    ]


def test_it_reports_duplicate_codes_and_uuids_on_each_row():
    rows = [
        ["1", "Respiratory", "1.1", "Describe the airway", "", "", "", "", UUID],
        ["1", "", "1.1", "Again", "", "", "", "", UUID],
    ]

    assert problems(csv_bytes(rows)) == [
        "Row 2, proficiency_code: Proficiency code 1.1 is used more than once",
        f"Row 2, proficiency_uuid: The UUID {UUID} is used more than once",
        "Row 3, proficiency_code: Proficiency code 1.1 is used more than once",
        f"Row 3, proficiency_uuid: The UUID {UUID} is used more than once",
    ]


def test_a_uuid_without_the_rfc_4122_variant_is_refused():
    not_rfc = "3f2b6c1e-8a4d-4f3b-7c2e-1d5a7b8c9e0f"
    rows = [["1", "Respiratory", "1.1", "Describe the airway", "", "", "", "", not_rfc]]

    assert "is not a lower-case RFC 4122 UUID" in problems(csv_bytes(rows))[0]


def test_an_upper_case_uuid_is_read_in_lower_case():
    rows = [["1", "Respiratory", "1.1", "Describe the airway", "", "", "", "", UUID.upper()]]

    content = read_file(csv_bytes(rows), "f.csv")

    assert str(content.proficiencies[0].uuid) == UUID


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            HEADER[:-1],
            "Row 1: The first row must be the column names, in this order: "
            + ", ".join(COLUMNS)
            + ". Missing: proficiency_uuid",
        ),
        (
            [*HEADER[:-1], "uuid"],
            "Row 1: The first row must be the column names, in this order: "
            + ", ".join(COLUMNS)
            + ". Missing: proficiency_uuid. Not expected: uuid",
        ),
        (
            [HEADER[1], HEADER[0], *HEADER[2:]],
            "Row 1: The first row must be the column names, in this order: "
            + ", ".join(COLUMNS)
            + ". The columns are in a different order",
        ),
    ],
)
def test_it_refuses_the_wrong_headers(header, expected):
    assert problems(csv_bytes(GOOD_ROWS, header=header)) == [expected]


def test_it_accepts_headers_in_any_case():
    header = [name.upper() for name in HEADER]

    assert summary(read_file(csv_bytes(GOOD_ROWS, header=header), "f.csv")) == EXPECTED


def test_it_explains_a_semicolon_separated_file():
    data = (";".join(HEADER) + "\r\n" + ";".join(GOOD_ROWS[0]) + "\r\n").encode()

    assert problems(data)[0].endswith(
        "The columns are separated by semicolons: save it as CSV (comma delimited)"
    )


def test_it_reports_merged_cells_formulas_and_dates_in_a_workbook():
    def build(sheet):
        sheet["D2"] = "=CONCAT(A1, B1)"
        sheet.merge_cells("E3:G3")
        sheet["E4"] = datetime.date(2026, 3, 5)

    rows = [
        ["1", "Respiratory", "1.1", "placeholder", "", "", "", "", ""],
        ["1", "", "1.2", "Perform suctioning", "", "", "", "", ""],
        ["2", "Cardiovascular", "2.1", "Record a 12-lead ECG", "", "", "", "", ""],
    ]

    assert problems(xlsx_bytes(rows, build=build), "f.xlsx") == [
        "Row 2, statement: The statement starts with =, which spreadsheets read as a formula: "
        "start it with a letter or number instead",
        "Row 3, guidance: Cells E3:G3 are merged: unmerge them and put a value in each cell",
        "Row 4, guidance: This is a date or time: format the column as text",
    ]


def test_it_reads_numbers_typed_into_a_workbook_as_codes():
    rows = [[1, "Respiratory", 1.1, "Describe the airway", "", False, True, "", ""]]

    content = read_file(xlsx_bytes(rows), "f.xlsx")

    section = content.sections[0]
    assert (section.code, section.proficiencies[0].code) == ("1", "1.1")
    assert section.proficiencies[0].supernumerary is True


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "not a CSV or XLSX spreadsheet"),
        (b"PK\x03\x04 not really a zip", "f.xlsx", "not a CSV or XLSX spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "f.xls", "old Excel file (.xls)"),
        (b"", "f.csv", "The file is empty"),
        (b"\x81\x8d\x8f\x90\x9d", "f.csv", "characters cannot be read"),
    ],
    ids=["image", "broken-zip", "xls", "empty", "undecodable"],
)
def test_it_refuses_what_is_not_a_spreadsheet(data, filename, message):
    found = problems(data, filename)

    assert len(found) == 1
    assert message in found[0]


def test_it_refuses_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")

    assert "not a CSV or XLSX spreadsheet" in problems(out.getvalue(), "f.xlsx")[0]


def test_it_reads_every_row_of_a_workbook_whatever_its_recorded_size():
    data = with_dimension(xlsx_bytes(GOOD_ROWS), "A1:D2")

    assert summary(read_file(data, "f.xlsx")) == EXPECTED


def test_no_row_is_left_out_after_many_blank_ones(monkeypatch):
    # Reading used to stop at row MAX_ROWS + 2, blank rows counted, so with blank rows above
    # them the last proficiencies were silently left out.
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    data = xlsx_bytes([[""] * len(HEADER)] * 3 + GOOD_ROWS)

    assert summary(read_file(data, "f.xlsx")) == EXPECTED


def test_it_refuses_a_workbook_of_millions_of_cells_before_reading_it():
    # 10 million cells in a 0.3 MB file took minutes of CPU to read.
    row = b"<row>" + b"<c><v>1</v></c>" * 1_000 + b"</row>"
    data = with_sheet_data(xlsx_bytes([]), itertools.repeat(row, 10_000))
    started = time.process_time()

    [message] = problems(data, "f.xlsx")

    assert time.process_time() - started < 2
    assert message.startswith("The file is too big once unpacked.")


def test_it_refuses_a_workbook_with_more_cells_than_the_limit():
    number = itertools.count(1_000_000)
    rows = (
        b"<row>" + b"".join(b"<c><v>%d</v></c>" % next(number) for _ in range(19)) + b"</row>"
        for _ in range(20_000)
    )

    [message] = problems(with_sheet_data(xlsx_bytes([]), rows), "f.xlsx")

    assert message.startswith("The file has more than 360,000 cells")


def test_it_refuses_a_file_over_20_mb():
    data = csv_bytes(GOOD_ROWS) + b" " * (20 * 1024 * 1024)

    assert problems(data) == ["The file must be smaller than 20 MB"]


def test_it_refuses_a_file_with_no_proficiencies():
    assert problems(csv_bytes([])) == ["The file has no proficiencies to import"]


def test_nothing_is_imported_when_any_row_is_wrong(framework, framework_author):
    rows = [*GOOD_ROWS, ["2", "", "2.2", "", "", "", "", "", ""]]

    with pytest.raises(ImportInvalid):
        import_file(
            framework=framework, data=csv_bytes(rows), filename="f.csv", by=framework_author
        )

    assert not FrameworkVersion.objects.exists()


def test_it_imports_a_file_into_a_new_draft(framework, framework_author):
    version = import_file(
        framework=framework, data=xlsx_bytes(GOOD_ROWS), filename="f.xlsx", by=framework_author
    )

    assert version.state == FrameworkVersion.State.DRAFT
    assert version.proficiencies.count() == 3
    assert str(version.proficiencies.get(code="1.1").uuid) == UUID
    assert version.events.get().note == "3 proficiencies in 2 sections from f.xlsx"


def test_the_templates_hold_the_columns_only():
    rows = list(csv.reader(io.StringIO(template(Format.CSV).decode("utf-8-sig"))))
    assert rows == [HEADER]

    workbook = load_workbook(io.BytesIO(template(Format.XLSX)), read_only=True)
    assert [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)] == [HEADER]
    assert workbook.sheetnames == ["Proficiencies", "How to fill this in"]


def _xlsx_rows(data):
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", [Format.CSV, Format.XLSX])
def test_export_import_export_gives_the_same_file(published, framework_author, fmt):
    # Awkward content on purpose: line breaks, quotes, commas, accents, an empty section.
    draft = version_draft(framework=published.framework, by=framework_author)
    section_add(version=draft, by=framework_author, code="3", title="Neurology, \u201cbrain\u201d")
    first = draft.proficiencies.get(code="1.2")
    proficiency_edit(
        proficiency=first,
        by=framework_author,
        code="1.2",
        statement='Perform "closed" suctioning, safely',
        guidance="Line one\nLine two – café",
        optional=True,
        evidence_hints="Observation, then reflection",
    )
    exported = export_version(draft, fmt)
    filename = f"export.{fmt}"

    reimported = import_file(
        framework=FrameworkFactory(created_by=framework_author),
        data=exported,
        filename=filename,
        by=framework_author,
    )

    again = export_version(reimported, fmt)
    if fmt == Format.CSV:
        assert again == exported
    else:
        assert _xlsx_rows(again) == _xlsx_rows(exported)
        assert len(_xlsx_rows(again)) == 1 + 5 + 1
