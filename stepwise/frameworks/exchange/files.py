"""Files in and out: which reader or writer a file needs, and the checks every upload gets."""

from django.db import models

from stepwise.frameworks.exchange import case, case_reading, spreadsheet
from stepwise.frameworks.exchange.content import FrameworkContent, content_of
from stepwise.frameworks.exchange.problems import ImportInvalid, Problem
from stepwise.frameworks.models import Framework, FrameworkVersion
from stepwise.frameworks.services import version_import

MAX_BYTES = 20 * 1024 * 1024


class Format(models.TextChoices):
    CASE = "case", "CASE 1.1 JSON"
    XLSX = "xlsx", "Excel spreadsheet (XLSX)"
    CSV = "csv", "CSV"


CONTENT_TYPES = {
    Format.CASE: "application/json",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.CSV: "text/csv; charset=utf-8",
}
EXTENSIONS = {Format.CASE: "json", Format.XLSX: "xlsx", Format.CSV: "csv"}


def read_file(data: bytes, filename: str) -> FrameworkContent:
    """Check and read a CASE, XLSX or CSV file. ImportInvalid lists every problem found."""
    if len(data) > MAX_BYTES:
        raise ImportInvalid([Problem(f"The file must be smaller than {MAX_BYTES // 2**20} MB")])
    if not data.strip():
        raise ImportInvalid([Problem("The file is empty")])
    name = (filename or "").lower()
    looks_like_json = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")
    if name.endswith(".json") or (looks_like_json and not name.endswith((".csv", ".xlsx"))):
        return case_reading.read_case(data)
    return spreadsheet.read_spreadsheet(data, filename)


def import_file(
    *, framework: Framework, data: bytes, filename: str, by, label: str = ""
) -> FrameworkVersion:
    """A new draft version of the framework from a file, or ImportInvalid and nothing saved."""
    content = read_file(data, filename)
    return version_import(framework=framework, content=content, by=by, label=label, source=filename)


def export_version(version: FrameworkVersion, fmt: str) -> bytes:
    fmt = Format(fmt)
    if fmt == Format.CASE:
        return case.export_case_json(version)
    content = content_of(version)
    if fmt == Format.XLSX:
        return spreadsheet.write_xlsx(content)
    return spreadsheet.write_csv(content)


def template(fmt: str) -> bytes:
    """The blank spreadsheet people fill in: the columns, and in XLSX a sheet explaining them."""
    if Format(fmt) == Format.XLSX:
        return spreadsheet.write_xlsx(FrameworkContent())
    return spreadsheet.write_csv(FrameworkContent())


def export_filename(version: FrameworkVersion, fmt: str) -> str:
    return f"{version.framework.slug}-{version.label}.{EXTENSIONS[Format(fmt)]}"
