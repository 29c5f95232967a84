import codecs
import io
import itertools
import time
import zipfile

import pytest
from openpyxl import Workbook

from stepwise.core.tests.workbook_files import with_dimension, with_sheet_data
from stepwise.organisations.tests.upload_files import csv_bytes, person_row, xlsx_bytes
from stepwise.organisations.upload import reading
from stepwise.organisations.upload.columns import COLUMN_NAMES, REQUIRED_COLUMNS
from stepwise.organisations.upload.reading import FileProblem, read_people_file


def read(data: bytes, name: str = "people.csv"):
    return read_people_file(name=name, data=data)


def problems(data: bytes, name: str = "people.csv") -> list[str]:
    with pytest.raises(FileProblem) as raised:
        read(data, name)
    return raised.value.messages


def test_it_reads_a_csv_into_rows_keyed_by_column():
    sheet = read(csv_bytes([person_row(1, unit="GICU", roles="learner; assessor")]))
    assert sheet.kind == "csv"
    assert sheet.columns == COLUMN_NAMES
    [row] = sheet.rows
    assert row.number == 2
    assert row.values["email"] == "person.1@nhs.net"
    assert row.values["roles"] == "learner; assessor"


def test_it_reads_an_xlsx_by_its_content_whatever_the_case_of_its_name():
    sheet = read(xlsx_bytes([person_row(1), person_row(2)]), name="PEOPLE.XLSX")
    assert sheet.kind == "xlsx"
    assert [row.values["full_name"] for row in sheet.rows] == ["Person 1", "Person 2"]


def test_it_decodes_utf8_with_a_byte_order_mark():
    data = codecs.BOM_UTF8 + csv_bytes([person_row(1, full_name="Zoë Ørsted")])
    sheet = read(data)
    assert sheet.columns[0] == "full_name"
    assert sheet.rows[0].values["full_name"] == "Zoë Ørsted"


def test_it_decodes_windows_1252_when_the_file_is_not_utf8():
    data = csv_bytes([person_row(1, full_name="Siân O’Brien-Müller")], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read(data).rows[0].values["full_name"] == "Siân O’Brien-Müller"


def test_it_reads_semicolon_separated_files():
    data = b"full_name;email;unit;roles\nAmy Lee;amy@nhs.net;;learner\n"
    assert read(data).rows[0].values == {
        "full_name": "Amy Lee",
        "email": "amy@nhs.net",
        "unit": "",
        "roles": "learner",
    }


def test_headings_ignore_case_spaces_and_order():
    data = b"Roles,E-mail,Full Name,UNIT\nlearner,amy@nhs.net,Amy Lee,GICU\n"
    with pytest.raises(FileProblem):
        read(data)  # "E-mail" becomes e_mail, which is not a heading
    data = b"Roles,Email,Full Name,UNIT\nlearner,amy@nhs.net,Amy Lee,GICU\n"
    assert read(data).rows[0].values["full_name"] == "Amy Lee"


def test_it_skips_truly_empty_rows_but_keeps_the_spreadsheet_row_numbers():
    data = (
        csv_bytes([person_row(1)])
        + b",,,,,,\r\n  , ,\r\n\r\n"
        + csv_bytes([person_row(2)]).split(b"\r\n", 1)[1]
    )
    sheet = read(data)
    assert [row.number for row in sheet.rows] == [2, 6]


def test_it_marks_real_xlsx_formulas():
    data = xlsx_bytes([person_row(1)], formulas={(2, "job_title"): '=CONCAT("Staff ","Nurse")'})
    row = read(data, name="people.xlsx").rows[0]
    assert row.formulas == frozenset({"job_title"})


def test_it_reports_values_in_columns_without_a_heading():
    data = b"full_name,email,unit,roles,,\nAmy,amy@nhs.net,,learner,,surprise\n"
    assert read(data).rows[0].unnamed == ("F",)


def test_numbers_typed_into_excel_come_back_as_text():
    data = xlsx_bytes([person_row(1, registration_body="GMC", registration_number=1234567.0)])
    assert read(data, name="p.xlsx").rows[0].values["registration_number"] == "1234567"


def test_an_empty_file_is_a_problem():
    assert problems(b"") == ["The selected file is empty"]
    assert problems(b"\r\n\r\n") == [
        "The first row of the file must have the headings full_name, email, unit, roles, "
        "job_title, registration_body and registration_number. Use the template"
    ]


def test_headings_with_no_rows_below_is_a_problem():
    assert "has no people in it" in problems(csv_bytes([]))[0]
    assert "has no people in it" in problems(xlsx_bytes([]), name="p.xlsx")[0]


def test_an_empty_workbook_is_a_problem():
    output = io.BytesIO()
    Workbook().save(output)
    assert problems(output.getvalue(), name="p.xlsx") == ["The selected file is empty"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("people.pdf", b"full_name,email,unit,roles\n"),
        ("people.csv", b"%PDF-1.7\n\x00\x01\x02binary stream\xff\xfe"),
        ("people.csv", bytes(range(256)) * 4),
        ("people.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ],
)
def test_a_file_that_is_not_csv_or_xlsx_is_a_problem(name, data):
    assert problems(data, name) == ["The selected file must be a CSV or XLSX"]


def test_a_zip_that_is_not_a_workbook_is_a_problem():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert problems(output.getvalue(), "people.xlsx") == ["The selected file must be a CSV or XLSX"]


def test_a_damaged_workbook_is_a_problem():
    data = xlsx_bytes([person_row(1)])
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    assert "could not be read as an Excel workbook" in problems(output.getvalue(), "p.xlsx")[0]


def test_an_old_excel_file_is_a_problem():
    data = reading.OLE2_SIGNATURE + b"\x00" * 512
    assert ".xls" in problems(data, "people.xlsx")[0]


def test_missing_headings_are_named():
    data = csv_bytes([{"full_name": "Amy"}], headings=("full_name", "job_title"))
    [message] = problems(data)
    assert message.startswith("The file is missing the columns email, unit and roles.")


def test_unknown_and_repeated_headings_are_each_a_problem():
    data = b"full_name,email,unit,roles,e-mail address,email\n"
    assert problems(data) == [
        "The heading “e-mail address” in column E is not one we recognise. "
        "Use the headings from the template",
        "The heading “email” appears more than once",
    ]


def test_a_row_of_thousands_of_unknown_headings_is_summed_up():
    # Each was its own message, so a first row of 16,000 numbers filled the page with them.
    data = ",".join(["full_name", "email", "unit", "roles", *map(str, range(16_000))]).encode()
    found = problems(data + b"\n")
    assert len(found) == 11
    assert found[0] == (
        "The heading “0” in column E is not one we recognise. Use the headings from the template"
    )
    assert found[-1] == (
        "15,990 more problems with the headings. Use the headings from the template"
    )


def test_a_headerless_file_is_a_problem():
    data = b"Amy Lee,amy@nhs.net,GICU,learner\n"
    assert len(problems(data)) == 1 + len(REQUIRED_COLUMNS)


def test_more_people_than_the_limit_is_a_problem(monkeypatch):
    monkeypatch.setattr(reading, "MAX_PEOPLE", 3)
    read(csv_bytes([person_row(n) for n in range(3)]))
    [message] = problems(csv_bytes([person_row(n) for n in range(4)]))
    assert message == (
        "The file has more than 3 people. Split it into files of 3 people or fewer and "
        "upload each one"
    )


def test_the_real_limit_is_ten_thousand_people():
    rows = "".join(f"P {n},p{n}@nhs.net,,learner\n" for n in range(10_001))
    [message] = problems(("full_name,email,unit,roles\n" + rows).encode())
    assert message.startswith("The file has more than 10,000 people.")


def test_a_sea_of_blank_rows_is_turned_away(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS_READ", 10)
    data = csv_bytes([person_row(1)]) + b",,,\r\n" * 20
    assert "counting blank ones" in problems(data)[0]


def test_a_broken_csv_is_a_problem():
    data = b'full_name,email,unit,roles\n"Amy' + b"x" * 200_000 + b'",a@nhs.net,,learner\n'
    assert "could not be read as CSV" in problems(data)[0]


def test_every_row_and_column_of_an_xlsx_is_read_whatever_its_recorded_size():
    # The sheet says it is A1:D2, but holds three people in seven columns: read as two rows
    # of four columns, one person was registered and the rest silently left out.
    people = [person_row(n, job_title=f"Nurse {n}") for n in (1, 2, 3)]
    data = with_dimension(xlsx_bytes(people), "A1:D2")
    sheet = read(data, name="people.xlsx")
    assert [row.values["email"] for row in sheet.rows] == [p["email"] for p in people]
    assert [row.values["job_title"] for row in sheet.rows] == ["Nurse 1", "Nurse 2", "Nurse 3"]


def test_an_xlsx_of_millions_of_cells_is_refused_before_it_is_read():
    # 10 million cells in a 0.3 MB file took minutes of CPU to read.
    row = b"<row>" + b"<c><v>1</v></c>" * 1_000 + b"</row>"
    data = with_sheet_data(xlsx_bytes([]), itertools.repeat(row, 10_000))
    assert len(data) < 500_000
    started = time.process_time()
    [message] = problems(data, name="people.xlsx")
    assert time.process_time() - started < 2
    assert message.startswith("The file is too big once unpacked.")


def test_an_xlsx_with_more_cells_than_the_limit_says_so():
    # 16 columns across 10,000 rows: each cell different, so packed as loosely as real data.
    number = itertools.count(1_000_000)
    rows = (
        b"<row>" + b"".join(b"<c><v>%d</v></c>" % next(number) for _ in range(16)) + b"</row>"
        for _ in range(10_000)
    )
    [message] = problems(with_sheet_data(xlsx_bytes([]), rows), name="people.xlsx")
    assert message.startswith("The file has more than 150,000 cells")


def test_an_xlsx_using_a_row_far_below_the_limit_is_refused():
    rows = [b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<row r="1048576"/>']
    [message] = problems(with_sheet_data(xlsx_bytes([]), rows), name="people.xlsx")
    assert message.startswith("The file has more than 50,000 rows, counting blank ones.")
