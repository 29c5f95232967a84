"""Opening uploaded workbooks: every row read whatever the sheet says its size is, and files
that would take minutes to read refused before openpyxl reads them."""

import io
import time
import zipfile

import pytest

from stepwise.core import workbooks
from stepwise.core.tests.workbook_files import (
    SHEET_START,
    with_dimension,
    with_parts,
    with_sheet_data,
    workbook_bytes,
)
from stepwise.core.workbooks import (
    Limits,
    NotAWorkbook,
    WorkbookTooBig,
    WorkbookUnreadable,
    open_workbook,
)

LIMITS = Limits(rows=1_000, cells=10_000, unpacked_bytes=50 * 1024 * 1024)


def values(data: bytes, limits: Limits = LIMITS) -> list[tuple]:
    workbook = open_workbook(data, limits=limits)
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


@pytest.fixture
def openpyxl_never_called(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a file it should never see")

    monkeypatch.setattr(workbooks, "load_workbook", refuse)


def test_every_row_and_column_is_read_whatever_the_sheet_says_its_size_is():
    data = with_dimension(workbook_bytes([("a", "b", "c", "d", "e")] * 5), "A1:B2")
    assert values(data) == [("a", "b", "c", "d", "e")] * 5


def test_rows_and_cells_without_references_are_counted_in_order():
    rows = [b"<row>" + b"<c><v>1</v></c>" * 3 + b"</row>"] * 4
    assert values(with_sheet_data(workbook_bytes(), rows)) == [(1, 1, 1)] * 4


def test_a_file_at_the_limits_is_read():
    rows = [b"<row>" + b"<c><v>1</v></c>" * 10 + b"</row>"] * 1_000
    assert len(values(with_sheet_data(workbook_bytes(), rows))) == 1_000


def test_millions_of_cells_in_a_small_file_are_refused_quickly(openpyxl_never_called):
    # 2 million cells: a 7 KB file, 30 MB of XML; openpyxl would take about half a minute.
    row = b"<row>" + b"<c><v>1</v></c>" * 2_000 + b"</row>"
    data = with_sheet_data(workbook_bytes(), [row] * 1_000)
    assert len(data) < 100_000
    started = time.process_time()
    with pytest.raises(WorkbookTooBig):
        open_workbook(data, limits=LIMITS)
    assert time.process_time() - started < 1


def test_more_cells_than_the_limit_are_refused(openpyxl_never_called):
    # Packed no more tightly than a real sheet, so it is the counting that stops it.
    number = iter(range(10_000_000, 20_000_000))
    rows = [
        b"<row>" + b"".join(b"<c><v>%d</v></c>" % next(number) for _ in range(501)) + b"</row>"
        for _ in range(20)
    ]
    with pytest.raises(WorkbookTooBig) as error:
        open_workbook(with_sheet_data(workbook_bytes(), rows), limits=LIMITS)
    assert str(error.value) == (
        "The file has more than 10,000 cells, counting empty cells before the last one in each "
        "row. Delete the rows and columns you do not need, or save it as CSV, and upload it "
        "again"
    )


def test_cells_far_to_the_right_count_the_empty_cells_before_them(openpyxl_never_called):
    # One cell a row, but openpyxl would make each row 16,384 cells wide.
    rows = [f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>'.encode() for n in range(1, 3)]
    with pytest.raises(WorkbookTooBig, match="more than 10,000 cells"):
        open_workbook(with_sheet_data(workbook_bytes(), rows), limits=LIMITS)


def test_a_row_number_past_the_limit_is_refused(openpyxl_never_called):
    rows = [b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<row r="1048576"/>']
    with pytest.raises(WorkbookTooBig) as error:
        open_workbook(with_sheet_data(workbook_bytes(), rows), limits=LIMITS)
    assert str(error.value) == (
        "The file has more than 1,000 rows, counting blank ones. Delete the rows you do not "
        "need and upload it again"
    )


def test_a_sheet_is_found_whatever_its_part_is_called(openpyxl_never_called):
    # The workbook's relationships name the sheet's part, so every part is counted.
    xml = SHEET_START + b"<sheetData><row>" + b"<c><v>1</v></c>" * 20_000 + b"</row></sheetData>"
    data = with_parts(workbook_bytes(), {"xl/anything.bin": xml + b"</worksheet>"})
    with pytest.raises(WorkbookTooBig):
        open_workbook(data, limits=LIMITS)


def test_a_part_packed_far_more_tightly_than_a_spreadsheet_is_refused(openpyxl_never_called):
    padded = with_parts(workbook_bytes(), {"docProps/custom.xml": b" " * (20 * 1024 * 1024)})
    with pytest.raises(WorkbookTooBig, match="too big once unpacked"):
        open_workbook(padded, limits=LIMITS)


def test_a_file_unpacking_to_more_than_the_limit_is_refused(openpyxl_never_called):
    limits = Limits(rows=1_000, cells=10_000, unpacked_bytes=1_000)
    with pytest.raises(WorkbookTooBig, match="too big once unpacked"):
        open_workbook(workbook_bytes(), limits=limits)


def test_xml_entities_are_refused(openpyxl_never_called):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><t>&b;</t>'
    )
    with pytest.raises(WorkbookUnreadable):
        open_workbook(with_parts(workbook_bytes(), {"xl/sharedStrings.xml": bomb}), limits=LIMITS)


STYLES = (
    '<?xml version="1.0" encoding="{encoding}"?><styleSheet xmlns="{ns}"><cellXfs count="2000">'
    + '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 2000
    + "</cellXfs></styleSheet>"
)


@pytest.mark.parametrize(
    ("name", "encoding", "codec"),
    [
        ("xl/styles.xml", "UTF-32", "utf-32"),  # with a byte order mark
        ("xl/styles.xml", "UTF-32", "utf-32-le"),  # without
        ("xl/sheet-by-another-name.bin", "UTF-32", "utf-32-be"),
        ("xl/styles.xml", "ISO-8859-1", "latin-1"),  # expat reads it, but it is not ours
        ("xl/styles.xml", "EBCDIC-CP-US", "cp037"),
    ],
)
def test_xml_in_an_encoding_expat_does_not_read_is_refused(monkeypatch, name, encoding, codec):
    # openpyxl reads styles with lxml, which reads UTF-32: uncounted, 50 MB of it took 9 s.
    # (open_workbook turns any error of openpyxl's into WorkbookUnreadable, so the calls are
    # counted rather than refused.)
    calls = []
    monkeypatch.setattr(workbooks, "load_workbook", lambda *args, **kwargs: calls.append(args))
    xml = STYLES.format(encoding=encoding, ns=workbooks.SHEET_NS).encode(codec)
    with pytest.raises(WorkbookUnreadable):
        open_workbook(with_parts(workbook_bytes(), {name: xml}), limits=LIMITS)
    assert calls == []


def test_utf_16_xml_and_parts_that_are_not_xml_are_read():
    styles = STYLES.format(encoding="UTF-16", ns=workbooks.SHEET_NS).encode("utf-16")
    picture = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    data = with_parts(
        workbook_bytes([("heading",), ("value",)]),
        {"xl/styles.xml": styles, "xl/media/image1.png": picture},
    )
    assert values(data) == [("heading",), ("value",)]


@pytest.mark.parametrize(
    "data", [b"PK\x03\x04 not really a zip", with_parts(workbook_bytes(), {})[:200]]
)
def test_what_is_not_a_zip_is_not_a_workbook(data):
    with pytest.raises(NotAWorkbook):
        open_workbook(data, limits=LIMITS)


def test_a_zip_that_is_not_a_workbook_is_not_one():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(NotAWorkbook):
        open_workbook(output.getvalue(), limits=LIMITS)
