"""Download responses: CSV streamed a chunk at a time, XLSX written to a temporary file with
constant memory and sent from it, so neither holds the whole file in memory."""

import itertools
import tempfile
from collections.abc import Iterable

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from stepwise.reports import exports
from stepwise.reports.routers import reading_reports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(name: str, file_format: str) -> str:
    return f"{name}-{timezone.localdate().isoformat()}.{file_format}"


def _reading_reports(chunks):
    # The body is made after the view returns: its reads go to the replica too.
    with reading_reports():
        yield from chunks


def csv_response(rows: Iterable[Iterable], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _reading_reports(exports.csv_chunks(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(name, "csv")}"'
    return response


def xlsx_response(sheets, name: str) -> FileResponse:
    # Not closed here: FileResponse closes it once sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    exports.write_xlsx(handle, sheets)
    handle.seek(0)
    # FileResponse closes the file when sent, and a TemporaryFile is gone once closed.
    return FileResponse(
        handle, as_attachment=True, filename=file_name(name, "xlsx"), content_type=XLSX
    )


def tables_response(table, tables, file_format: str, name: str):
    """The CSV of one table, or a workbook of them all, named for today."""
    if file_format == "xlsx":
        return xlsx_response(exports.table_sheets(tables), name)
    return csv_response(table.values(), name)


def rows_response(title: str, head: list, rows: Iterable, file_format: str, name: str):
    """Rows for download, one at a time: a named list however long."""
    everything = itertools.chain(head, rows)
    if file_format == "xlsx":
        return xlsx_response([(title, everything)], name)
    return csv_response(everything, name)
