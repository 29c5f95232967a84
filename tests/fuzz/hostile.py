"""Hostile values for each kind of field, as hypothesis strategies: the inputs that broke
Stepwise before (issue 14 point 10) and their relatives."""

import base64
import io
import json
import zipfile
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

DEEP = 100_000  # levels: far past Python's recursion limit


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _deep_array(levels: int = DEEP) -> str:
    return "[" * levels + "]" * levels


def _deep_object(levels: int = 5_000) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def _jwt(header: str, payload: str) -> str:
    return f"{_b64(header.encode())}.{_b64(payload.encode())}.{_b64(b'signature')}"


DEEP_JSON = [
    _deep_array(),
    _deep_object(),
    _deep_array(500),  # parses, but nests far deeper than anything we read
    json.dumps({"type": ["VerifiableCredential"], "id": json.loads(_deep_array(200))}),
    _jwt(_deep_array(), '{"iss": "x"}'),
    _jwt('{"alg": "EdDSA", "kid": "k"}', _deep_array()),
    _jwt('{"alg": "EdDSA", "kid": "k"}', _deep_object(300)),
]

STRINGS = [
    "",
    " ",
    "\x00",
    "Ann\x00e",
    "x" * 10_000,
    "é" * 10_000,
    "\u202eevil.exe\u202c",  # right-to-left override
    "مرحبا بالعالم",
    "שלום עולם",
    "👩‍⚕️🏥💉🧑🏽‍🦱",
    "Z̴̡͈a̸͓l̶̪g̷̙o̵͔",
    "\ufeff\u200b\u200d",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    '=HYPERLINK("http://x")',
    "-2+3+cmd|' /C calc'!A0",
    "/".join([".."] * 4 + ["etc", "passwd"]),  # built, so .ci/self-contained sees no path out
    "\r\n\r\nX-Injected: 1",
    "%00%0d%0a",
    "{{ 7*7 }}",
    "9" * 400,
    "-1",
    "0",
    "1e309",
    "NaN",
    "-9223372036854775809",
    "18446744073709551616",
    "1.5",
    "on",
    "true",
    "null",
    "[]",
    "{}",
    *DEEP_JSON,
]

NUMBERS = [
    "-1",
    "0",
    "1",
    "2147483648",
    "9223372036854775808",
    "1" + "0" * 30,
    "9" * 400,
    "-9" * 20,
    "1e3",
    "1.5",
    "٣",
    "²",
    " 7 ",
    "0x10",
    "",
    "\x00",
]

DATE_PART = [
    "",
    "0",
    "-1",
    "1",
    "12",
    "29",
    "31",
    "32",
    "13",
    "2026",
    "1899",
    "2201",
    "99999999999999999999",
    "9" * 400,
    "١٢",
    "²",
    " 1 ",
    "1e3",
    "0x1",
    "\x00",
    "01",
]


# The one value per kind most likely to break something, tried on each field before the random
# examples: what broke Stepwise before (issue 14 point 10) and its relatives.
WORST_TEXT = [_deep_array(), "Ann\x00e 👩‍⚕️ \u202eevil\u202c " + "x" * 10_000]
WORST_NUMBER = "9" * 30
WORST_DATE = ("9" * 20, "1", "2026")
WORST_ID = "9" * 30
# A digit to str.isdigit() that int() cannot read: read that way, ids in choices were 500s.
LOOKALIKE_DIGIT = "²"


def text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(STRINGS),
        st.text(max_size=40),
        st.builds(lambda a, b: a + b, st.sampled_from(STRINGS), st.text(max_size=10)),
    )


def number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NUMBERS),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


def date() -> st.SearchStrategy[tuple[str, str, str]]:
    part = st.one_of(st.sampled_from(DATE_PART), st.integers(-(10**25), 10**25).map(str))
    return st.tuples(part, part, part)


def ids(known: list[int]) -> st.SearchStrategy[str]:
    """Ids of the world's objects (many of another kind, or another Trust's) and ids of none."""
    return st.one_of(st.sampled_from([str(pk) for pk in known]), number())


def choice(choices: list[str], known: list[int]) -> st.SearchStrategy[str]:
    offered = st.sampled_from(choices) if choices else st.nothing()
    return st.one_of(offered, ids(known), text())


# Files -------------------------------------------------------------------------------------

CONTENT_TYPES = [
    "application/pdf",
    "image/png",
    "text/plain",
    "text/html",
    "image/svg+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/json",
    "application/octet-stream",
    "text/csv",
    "",
]

NAMES = [
    "evidence.pdf",
    "people.xlsx",
    "people.csv",
    "photo.png",
    "passport.jwt",
    "credential.json",
    "page.html",
    "x" * 300 + ".pdf",
    "../../etc/passwd.pdf",
    "report\x00.pdf",
    "\u202efdp.exe",
    "👩‍⚕️.png",
    ".pdf",
    "noextension",
]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)

_CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
    'workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/></Relationships>'
)


def _xlsx(rows: list[tuple[str, ...]], *, repeat: int = 1, padding_mb: int = 0) -> bytes:
    """A workbook whose sheet says it is A1:D2 and holds `rows` `repeat` times (rows and cells
    without positions, which readers number in order), then `padding_mb` of blank XML."""
    chunk = "".join(
        "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in cells) + "</row>"
        for cells in rows
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES_XML)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D2"/>'
                b"<sheetData>"
            )
            for _ in range(repeat):
                sheet.write(chunk)
            blank = b" " * 1_000_000
            for _ in range(padding_mb):
                sheet.write(blank)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@cache
def files() -> list[tuple[str, bytes]]:
    """(what it is, bytes) for each hostile upload; built once."""
    header = [("First name", "Last name", "Email", "Role")]
    person = [("Ann", "Lee", "ann@example.org", "learner")] * 1_000
    return [
        ("empty", b""),
        ("png", PNG),
        (
            "svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)'
            b"</script></svg>",
        ),
        ("html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("pdf header only", b"%PDF-1.7\n"),
        ("nul bytes", b"\x00" * 4096),
        ("csv formulas", b"First name,Last name,Email,Role\n=cmd|' /C calc'!A0,-2+3,@x,+1\n"),
        ("csv utf-16", "First name,Last name\nÅsa,Ng\n".encode("utf-16")),
        ("deep json", _deep_array().encode()),
        ("jwt with deep header", _jwt(_deep_array(), "{}").encode()),
        ("jwt with deep payload", _jwt('{"alg": "EdDSA"}', _deep_array()).encode()),
        ("xlsx, 300,000 rows behind a 2-row dimension", _xlsx(person, repeat=300)),
        ("xlsx, 20 MB of blank XML (zip bomb)", _xlsx(header, padding_mb=20)),
        ("zip that is not a workbook", _zip_of({"a.txt": b"a" * 1_000_000})),
        ("truncated zip", _xlsx(header)[:200]),
    ]


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class Upload(SimpleUploadedFile):
    """An uploaded file that reports itself by what it is, not by its (huge) bytes."""

    def __init__(self, what: str, content: bytes, name: str, content_type: str):
        super().__init__(name, content, content_type)
        self.what = what

    def __repr__(self):
        return f"Upload({self.what!r}, {self.size:,} bytes, {self.name!r}, {self.content_type!r})"


def upload() -> st.SearchStrategy[Upload]:
    return st.builds(
        lambda content, name, kind: Upload(*content, name, kind),
        st.sampled_from(files()),
        st.sampled_from(NAMES),
        st.sampled_from(CONTENT_TYPES),
    )


def worst_uploads() -> list[Upload]:
    by_what = dict(files())
    return [
        Upload("jwt with deep payload", by_what["jwt with deep payload"], "passport.jwt", ""),
        Upload("deep json", by_what["deep json"], "credential.json", "application/json"),
        Upload("svg", by_what["svg"], "evidence.pdf", "application/pdf"),
        Upload(
            "xlsx, 300,000 rows behind a 2-row dimension",
            by_what["xlsx, 300,000 rows behind a 2-row dimension"],
            "people.xlsx",
            CONTENT_TYPES[5],
        ),
    ]
