"""Every CSV export escapes cells a spreadsheet would run as a formula, in one helper."""

import ast
import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from stepwise.core.spreadsheet_cells import (
    FORMULA_STARTS,
    csv_bytes,
    escape_cell,
    unescape_cell,
)

# Apostrophes and formula characters are drawn often: they are where escaping can go wrong.
cells = st.text(alphabet=st.sampled_from("'=+-@\t\r\n,\"a1 é")) | st.text()


@given(cells)
def test_an_escaped_cell_never_starts_a_formula_and_unescapes_to_itself(text):
    escaped = escape_cell(text)
    assert not escaped.startswith(FORMULA_STARTS)
    assert unescape_cell(escaped) == text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1234", "'+44 1234"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'-1", "''-1"),
        ("'quoted", "'quoted"),
        ("a-b", "a-b"),
        (-5, "'-5"),
        (None, ""),
    ],
)
def test_csv_bytes_escapes_each_cell(value, written):
    data = csv_bytes([["heading", value]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["heading", written]]


def test_no_other_module_writes_csv():
    # One helper, so no export can forget to escape: nothing else may build a csv writer.
    root = Path(settings.BASE_DIR) / "stepwise"
    writers = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "spreadsheet_cells.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"writer", "DictWriter"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                writers.append(f"{path.relative_to(root)}:{node.lineno}")
    assert writers == []
