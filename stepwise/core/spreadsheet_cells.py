"""CSV files people download, with every cell safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets run a cell starting with =, +, - or @ as a formula, and a
leading tab or carriage return can hide one, so such a cell gets a leading apostrophe and is
shown as text (OWASP's advice on CSV injection). Every CSV export goes through `csv_chunks`
(streamed) or `csv_bytes` (the same, joined). `unescape_cell` takes the apostrophe off again,
so an exported file imports unchanged.
"""

import codecs
import csv
import io
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 500


def _needs_apostrophe(text: str) -> bool:
    # A cell that already starts with apostrophes before a formula character gets one more, so
    # that taking one off on import always gives back exactly what was exported.
    return text.lstrip("'").startswith(FORMULA_STARTS)


def escape_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if _needs_apostrophe(text) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and _needs_apostrophe(text) else text


def csv_chunks(rows: Iterable[Iterable]) -> Iterator[bytes]:
    """The rows as CSV in chunks of bytes, every cell escaped, after the byte order mark that
    tells Excel the file is UTF-8 (so accented names survive): for a StreamingHttpResponse or
    a file of any size, holding one chunk in memory."""
    yield codecs.BOM_UTF8
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for number, row in enumerate(rows, start=1):
        writer.writerow([escape_cell(cell) for cell in row])
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """The rows as one CSV file (`csv_chunks` joined)."""
    return b"".join(csv_chunks(rows))
