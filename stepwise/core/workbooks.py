"""Opening an uploaded Excel workbook (.xlsx) so that a small file cannot cost minutes, and
every row in it is read.

openpyxl trusts what a workbook says about itself. In read-only mode a sheet's <dimension>
decides how many rows and columns are read, so a sheet that says A1:D2 but holds 100 rows
gives one row of four columns; and a sheet without one is parsed to its end just to open the
workbook. Its XML compresses so well that a 0.5 MB file can hold 10 million cells, which
openpyxl takes minutes to read. So before openpyxl sees a file, `open_workbook` checks:

- the zip: how much it unpacks to, and how tightly any part of it is packed (a zip bomb);
- the XML of every part, counted as it is unpacked and stopped at the first limit passed:
  elements in all, and in each sheet the highest row number and the cells openpyxl makes
  (each row as wide as its last cell, empty cells before it included);
- that every part that is XML is XML expat reads, in UTF-8 or UTF-16: openpyxl's lxml reads
  more (UTF-32, a declared encoding) and a part it alone could read would go uncounted.

Then it opens the workbook read-only with every sheet's recorded size forgotten, so rows are
read to the last one that is really there.
"""

import codecs
import io
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.workbook.workbook import Workbook

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROW = f"{SHEET_NS} row"
CELL = f"{SHEET_NS} c"
# Parts larger than this must not be packed more tightly than real spreadsheets are (about 15
# to 1 for openpyxl's and Excel's XML); runs of one character pack a thousand to one.
RATIO_CHECKED_FROM = 1024 * 1024
MAX_RATIO = 100
CHUNK = 64 * 1024
XML_ENCODINGS = {"UTF-8", "UTF-16"}
BYTE_ORDER_MARKS = (
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
)
# "<" or "<?" in UTF-32 and UTF-16 of either byte order, and "<?xm" in EBCDIC.
XML_STARTS = {
    b"<\0\0\0",
    b"\0\0\0<",
    b"\0\0<\0",
    b"\0<\0\0",
    b"\0<\0?",
    b"\x4c\x6f\xa7\x94",
}


class WorkbookProblem(Exception):
    """The file cannot be used as a workbook; the message says why."""


class NotAWorkbook(WorkbookProblem):
    """Not a zip, or a zip that is not an Excel workbook (a Word or OpenDocument file)."""


class WorkbookUnreadable(WorkbookProblem):
    """A workbook, but damaged or using something we refuse (XML entities)."""


class WorkbookTooBig(WorkbookProblem):
    """Too big to read in reasonable time; the message says what to cut."""


@dataclass(frozen=True)
class Limits:
    rows: int  # the highest row number a sheet may use, blank rows included
    cells: int  # cells in a sheet, counting the empty ones before the last in each row
    unpacked_bytes: int

    @property
    def elements(self) -> int:
        # A cell is two or three elements (c, v or is and t), a shared string two or more;
        # this leaves room for styles and rich text but not for a million of anything else.
        return 6 * self.cells + 50_000


def open_workbook(data: bytes, *, limits: Limits) -> Workbook:
    """The workbook in `data`, read-only, once it is known to be small enough to read.
    Raises a WorkbookProblem. The caller closes the workbook."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise NotAWorkbook("Not a zip file") from error
    with archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise NotAWorkbook("A zip file, but not an Excel workbook")
        _check_packing(archive, limits)
        _Scan(limits).parts(archive)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:
        # openpyxl raises many kinds of error for a damaged workbook; all mean the same here.
        raise WorkbookUnreadable(repr(error)) from error
    for sheet in workbook.worksheets:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
    return workbook


def _too_big_unpacked() -> WorkbookTooBig:
    return WorkbookTooBig(
        "The file is too big once unpacked. Delete what you do not need from it, or save it "
        "as CSV, and upload it again"
    )


def _check_packing(archive: zipfile.ZipFile, limits: Limits) -> None:
    parts = archive.infolist()
    if sum(part.file_size for part in parts) > limits.unpacked_bytes:
        raise _too_big_unpacked()
    for part in parts:
        if part.file_size > RATIO_CHECKED_FROM and part.file_size > MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise _too_big_unpacked()


class _Scan:
    """Counts what openpyxl would read, part by part, and stops at the first limit passed."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.elements = 0

    def parts(self, archive: zipfile.ZipFile) -> None:
        for part in archive.infolist():
            if not part.is_dir():
                self._part(archive, part)

    def _part(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
        # Every part, whatever its name: the workbook's relationships, not its file names,
        # say which part is a sheet.
        self.row = self.column = self.width = self.cells = 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self._start
        parser.EntityDeclHandler = self._refuse_entities
        parser.XmlDeclHandler = self._refuse_other_encodings
        try:
            with archive.open(part) as source:
                while chunk := source.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as error:
            # A picture is not XML, and is skipped. But openpyxl reads XML with lxml, which
            # also takes encodings expat refuses (UTF-32, say): a part expat cannot read that
            # is, or looks like, XML would reach openpyxl uncounted, so it is refused.
            if _is_xml(part.filename, archive):
                raise WorkbookUnreadable(f"{part.filename}: {error}") from error
            return
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError) as error:
            # A damaged or encrypted part.
            raise WorkbookUnreadable(repr(error)) from error
        except NotImplementedError as error:  # a compression method zipfile cannot unpack
            raise WorkbookUnreadable(repr(error)) from error

    def _refuse_entities(self, *_declaration) -> None:
        # No spreadsheet declares entities; they are how an "XML bomb" multiplies itself.
        raise WorkbookUnreadable("The workbook's XML declares entities")

    def _refuse_other_encodings(self, _version, encoding: str | None, _standalone) -> None:
        # Excel writes UTF-8; XML may be UTF-16. Anything else is refused, not read differently.
        if encoding and encoding.upper() not in XML_ENCODINGS:
            raise WorkbookUnreadable(f"The workbook's XML is in the {encoding} encoding")

    def _start(self, name: str, attributes: dict) -> None:
        self.elements += 1
        if self.elements > self.limits.elements:
            raise _too_big_unpacked()
        if name == ROW:
            self.cells += self.width
            self.width = self.column = 0
            self.row = _row_number(attributes.get("r")) or self.row + 1
            if self.row > self.limits.rows:
                raise WorkbookTooBig(
                    f"The file has more than {self.limits.rows:,} rows, counting blank ones. "
                    "Delete the rows you do not need and upload it again"
                )
        elif name == CELL:
            self.column = _column_number(attributes.get("r")) or self.column + 1
            self.width = max(self.width, self.column)
            if self.cells + self.width > self.limits.cells:
                raise WorkbookTooBig(
                    f"The file has more than {self.limits.cells:,} cells, counting empty cells "
                    "before the last one in each row. Delete the rows and columns you do not "
                    "need, or save it as CSV, and upload it again"
                )


def _is_xml(name: str, archive: zipfile.ZipFile) -> bool:
    """Whether a part is XML by its name, or by how it starts: a byte order mark, or "<" (or
    "<?xm") in any encoding lxml detects from the first four bytes."""
    if name.lower().endswith((".xml", ".rels")):
        return True
    with archive.open(name) as source:
        head = source.read(4)
    return head.startswith((b"<", *BYTE_ORDER_MARKS)) or head in XML_STARTS


def _row_number(text: str | None) -> int | None:
    """A row's r attribute as openpyxl reads it; None if there is none, or it is not a number
    (which openpyxl refuses)."""
    try:
        number = float(text) if text else None
    except ValueError:
        return None
    return int(number) if number is not None and number.is_integer() and number > 0 else None


def _column_number(reference: str | None) -> int | None:
    """The column of a cell reference such as AB12; None if it has none or it is not one."""
    letters = (reference or "").rstrip("0123456789")
    try:
        return column_index_from_string(letters) if letters else None
    except ValueError:
        return None
