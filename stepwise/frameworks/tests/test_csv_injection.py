"""A framework's CSV export never hands a spreadsheet a formula: statements may start with -,
which spreadsheets run as one, so the export escapes it and the import takes the escape off."""

import csv
import io

from stepwise.core.spreadsheet_cells import FORMULA_STARTS
from stepwise.frameworks.exchange.files import Format, export_version, import_file
from stepwise.frameworks.tests.factories import FrameworkFactory, draft_version

ATTACK = "-2+3+cmd|' /C calc'!A0"
SPEC = [
    (
        "-1",
        "-Respiratory",
        [
            ("1.1", ATTACK, {"guidance": "-1 is fine in the middle", "evidence_hints": "-note"}),
            ("1.2", "'-already quoted", {}),
        ],
    )
]


def _cells(data: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row]


def test_no_exported_cell_starts_with_a_formula_character(framework_author):
    version = draft_version(spec=SPEC, by=framework_author)

    cells = _cells(export_version(version, Format.CSV))

    assert f"'{ATTACK}" in cells
    assert "'-Respiratory" in cells
    assert "''-already quoted" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


def test_an_escaped_export_imports_unchanged(framework_author):
    version = draft_version(spec=SPEC, by=framework_author)
    exported = export_version(version, Format.CSV)

    reimported = import_file(
        framework=FrameworkFactory(created_by=framework_author),
        data=exported,
        filename="export.csv",
        by=framework_author,
    )

    statements = sorted(reimported.proficiencies.values_list("statement", flat=True))
    assert statements == sorted([ATTACK, "'-already quoted"])
    assert reimported.sections.get().title == "-Respiratory"
    assert export_version(reimported, Format.CSV) == exported
