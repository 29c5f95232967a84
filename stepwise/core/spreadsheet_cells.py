"""CSV files people download, with every cell safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets run a cell starting with =, +, - or @ as a formula, and a
leading tab or carriage return can hide one, so such a cell gets a leading apostrophe and is
shown as text (OWASP's advice on CSV injection). Every CSV export goes through `csv_bytes`.
`unescape_cell` takes the apostrophe off again, so an exported file imports unchanged.
"""

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _needs_apostrophe(text: str) -> bool:
    # A cell that already starts with apostrophes before a formula character gets one more, so
    # that taking one off on import always gives back exactly what was exported.
    return text.lstrip("'").startswith(FORMULA_STARTS)


def escape_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if _needs_apostrophe(text) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and _needs_apostrophe(text) else text


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """The rows as CSV, every cell escaped, with the byte order mark that tells Excel the file
    is UTF-8 (so accented names survive)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")
