"""The certificate as a PDF: A4, plain and readable, real (selectable) text, a vector QR code
for the public verification address, and the body its kind gives (for a Step certificate,
every proficiency with who confirmed it).

fpdf2 ships no Unicode font, so the text uses the PDF core fonts (Helvetica) in the
Windows-1252 encoding, which covers the names of most people in the UK (Zoë, Ó Súilleabháin,
O’Brien). Letters outside it are written as their closest unaccented form (Łukasz → Lukasz)
rather than failing; the stored certificate keeps the exact spelling.
"""

import unicodedata

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from stepwise.certificates.models import Certificate
from stepwise.certificates.presenters import CertificateContent, certificate_content

ENCODING = "cp1252"
# Letters that do not decompose into a base letter plus accents.
_PLAIN = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ŀ": "L", "ŀ": "l"}
)

NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)
SECONDARY = (76, 98, 114)
RULE = (216, 221, 224)
WHITE = (255, 255, 255)

MARGIN = 18
CODE_WIDTH = 16
QR_SIZE = 38
LINE = 5.0
SMALL_LINE = 4.4
FONT = "Helvetica"


def printable(text: str) -> str:
    """Text the core fonts can show: unchanged when it fits Windows-1252, else each letter
    that does not fit becomes its base letter (or "?" when it has none)."""
    text = str(text)
    try:
        text.encode(ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text.translate(_PLAIN):
        try:
            char.encode(ENCODING)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        try:
            base.encode(ENCODING)
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def qr_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR code as (size, runs): each run is (row, first column, length) of dark modules
    side by side, so the code is drawn as a few hundred filled rectangles (vector, crisp at
    any zoom) rather than an image."""
    code = segno.make(url, error="m", micro=False)
    runs = []
    for y, row in enumerate(code.matrix):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(code.matrix), runs


class CertificatePDF(FPDF):
    def __init__(self, content: CertificateContent):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.content = content
        self.core_fonts_encoding = ENCODING
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_title(printable(f"Certificate: {content.title}"))
        self.set_subject(printable(content.summary))
        self.set_author("Stepwise")
        self.set_creator("Stepwise")
        self.set_lang("en-GB")

    # Every page ------------------------------------------------------------------------

    def header(self):
        if self.page_no() == 1:
            return
        self.set_fill_color(*NHS_BLUE)
        self.rect(0, 0, self.w, 4, style="F")
        self._font(size=8, colour=SECONDARY)
        self.set_xy(MARGIN, 8)
        self.cell(0, 4, printable(f"{self.content.title} — certificate {self.content.serial}"))
        self.set_y(16)

    def footer(self):
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.h - 16, self.w - MARGIN, self.h - 16)
        self.set_xy(MARGIN, self.h - 14)
        self._font(size=8, colour=SECONDARY)
        self.cell(
            self.epw - 30,
            4,
            printable(f"Check this certificate at {self.content.verify_url}"),
            link=self.content.verify_url,
        )
        self.cell(30, 4, f"Page {self.page_no()} of {{nb}}", align=Align.R)

    # Pieces ----------------------------------------------------------------------------

    def _font(self, *, size: float, bold: bool = False, colour=TEXT):
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)

    def _band(self):
        self.set_fill_color(*NHS_BLUE)
        self.rect(0, 0, self.w, 30, style="F")
        self.set_xy(MARGIN, 9)
        self._font(size=20, bold=True, colour=WHITE)
        self.cell(0, 8, "Stepwise", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._font(size=11, colour=WHITE)
        self.cell(0, 6, printable(self.content.heading))
        self.set_y(40)

    def _qr(self, x: float, y: float):
        size, runs = qr_runs(self.content.verify_url)
        module = QR_SIZE / size
        self.set_fill_color(*TEXT)
        for row, column, length in runs:
            self.rect(x + column * module, y + row * module, length * module, module, style="F")
        self.link(x, y, QR_SIZE, QR_SIZE, self.content.verify_url)

    def _details(self):
        content = self.content
        self._font(size=22, bold=True)
        self.multi_cell(
            0, 9, printable(content.title), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(2)
        self._font(size=11)
        self.multi_cell(
            0, 5.5, printable(content.summary), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(4)
        top = self.get_y()
        label_width, value_width = 46, self.epw - 46 - QR_SIZE - 8
        for label, value in content.details:
            self.set_x(MARGIN)
            self._font(size=10, bold=True)
            y = self.get_y()
            self.multi_cell(
                label_width, 5.5, printable(label), align=Align.L, new_x=XPos.RIGHT, new_y=YPos.TOP
            )
            self._font(size=10)
            self.multi_cell(
                value_width,
                5.5,
                printable(value),
                align=Align.L,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            self.set_y(max(self.get_y(), y + 5.5) + 1.2)
        bottom = self.get_y()
        qr_x = self.w - MARGIN - QR_SIZE
        self._qr(qr_x, top)
        self.set_xy(qr_x - 4, top + QR_SIZE + 1)
        self._font(size=8, colour=SECONDARY)
        self.multi_cell(QR_SIZE + 8, 3.6, "Scan to check this certificate", align=Align.C)
        self.set_y(max(bottom, self.get_y()) + 4)
        self._font(size=9, colour=SECONDARY)
        self.multi_cell(
            0,
            4.5,
            printable(f"Check that this certificate is valid at {content.verify_url}"),
            link=content.verify_url,
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.ln(6)

    def _section_heading(self, title: str):
        self._font(size=13, bold=True)
        self.set_x(MARGIN)
        self.multi_cell(0, 7, printable(title), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*NHS_BLUE)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(2)

    def _measurer(self):
        """Width in mm of text in the current core font, straight from its width table."""
        widths = self.current_font.cw
        scale = self.font_size_pt * 0.001 / self.k

        def measure(text: str) -> float:
            return sum(widths[c] for c in text.encode(ENCODING).decode("latin-1")) * scale

        return measure

    def _wrap(self, text: str, width: float) -> list[str]:
        """Word-wrap for the current font. fpdf2's own wrapping re-measures each line for
        every character added, which makes 150 proficiencies take seconds; measuring each
        word once keeps a whole certificate to a few hundred milliseconds."""
        measure = self._measurer()
        space = measure(" ")
        lines: list[str] = []
        for paragraph in printable(text).splitlines() or [""]:
            line, line_width = [], 0.0
            for word in paragraph.split():
                word_width = measure(word)
                while word_width > width:  # a long address or code: break it anywhere
                    if line:
                        lines.append(" ".join(line))
                        line, line_width = [], 0.0
                    cut = len(word)
                    while cut > 1 and measure(word[:cut]) > width:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                    word_width = measure(word)
                extra = word_width + (space if line else 0)
                if line and line_width + extra > width:
                    lines.append(" ".join(line))
                    line, line_width = [word], word_width
                else:
                    line.append(word)
                    line_width += extra
            lines.append(" ".join(line))
        return lines

    def _lines(self, lines: list[str], x: float, width: float, height: float):
        for text in lines:
            self.set_x(x)
            self.cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _row_height(self, line) -> tuple[float, list[str], list[str]]:
        text_width = self.epw - CODE_WIDTH
        self._font(size=10)
        statement = self._wrap(line.text, text_width)
        self._font(size=8.5)
        confirmed = self._wrap(line.note, text_width)
        height = len(statement) * LINE + len(confirmed) * SMALL_LINE + 4
        return height, statement, confirmed

    def _row(self, line, statement: list[str], confirmed: list[str]):
        y = self.get_y()
        self.set_x(MARGIN)
        self._font(size=10, bold=True)
        self.cell(CODE_WIDTH, LINE, printable(line.code))
        self.set_y(y)
        self._font(size=10)
        self._lines(statement, MARGIN + CODE_WIDTH, self.epw - CODE_WIDTH, LINE)
        self._font(size=8.5, colour=SECONDARY)
        self._lines(confirmed, MARGIN + CODE_WIDTH, self.epw - CODE_WIDTH, SMALL_LINE)
        self.ln(1.5)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(2.5)

    def _body(self):
        self._font(size=16, bold=True)
        self.cell(0, 8, printable(self.content.body_heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        for section in self.content.sections:
            first = True
            for line in section.lines:
                height, statement, confirmed = self._row_height(line)
                heading = 10 if first else 0
                # Keep a row whole, and a heading with its first row.
                if self.will_page_break(height + heading):
                    self.add_page()
                    if not first:
                        self._section_heading(f"{section.title} (continued)")
                if first:
                    self._section_heading(section.title)
                    first = False
                self._row(line, statement, confirmed)

    def build(self) -> bytes:
        self.add_page()
        self._band()
        self._details()
        self._body()
        return bytes(self.output())


def render(content: CertificateContent) -> bytes:
    return CertificatePDF(content).build()


def render_certificate(certificate_id: int) -> bytes:
    """The certificate's PDF: a query for the certificate, and whatever its kind reads for
    the body (a Step certificate: one query for its records)."""
    return render(certificate_content(Certificate.objects.get(pk=certificate_id)))
