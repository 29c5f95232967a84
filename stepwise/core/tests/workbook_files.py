"""Workbooks as some programs (and some attackers) write them: built by editing the XML inside
a workbook openpyxl saved."""

import io
import zipfile
from collections.abc import Callable, Iterable

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook_bytes(rows: Iterable[Iterable] = (("heading",),)) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def with_parts(data: bytes, changes: dict[str, bytes | Callable[[bytes], bytes]]) -> bytes:
    """The workbook with some parts replaced (or changed by a function, or added)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            change = changes.get(item.filename)
            if change is not None:
                content = change(content) if callable(change) else change
            target.writestr(item.filename, content)
        for name, content in changes.items():
            if name not in source.namelist() and not callable(content):
                target.writestr(name, content)
    return output.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    """The first sheet claiming to span `ref`, whatever it holds."""

    def change(xml: bytes) -> bytes:
        start = xml.index(b"<dimension ")
        end = xml.index(b"/>", start) + 2
        return xml[:start] + f'<dimension ref="{ref}"/>'.encode() + xml[end:]

    return with_parts(data, {SHEET: change})


def with_sheet_data(data: bytes, rows: Iterable[bytes]) -> bytes:
    """The first sheet holding exactly `rows` (each a <row> element), with no <dimension>,
    streamed into the zip so a sheet of millions of cells stays a small file."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename != SHEET:
                target.writestr(item.filename, source.read(item.filename))
                continue
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(SHEET_START + b"<sheetData>")
                for row in rows:
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
    return output.getvalue()
