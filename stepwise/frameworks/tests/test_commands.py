import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.frameworks.exchange.spreadsheet import COLUMNS
from stepwise.frameworks.models import Framework, FrameworkVersion
from stepwise.frameworks.services import version_draft
from stepwise.frameworks.tests.factories import published_version


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_it_exports_the_latest_published_version_as_case(published, framework_author, tmp_path):
    version_draft(framework=published.framework, by=framework_author)
    output = tmp_path / "step-1.json"

    message = run("export_framework", "step-1", "--format", "case", "--output", str(output))

    package = json.loads(output.read_text())
    assert package["CFDocument"]["identifier"] == str(published.document_uuid)
    assert "Wrote Step 1 version 1.0" in message


def test_it_exports_a_named_version_as_a_spreadsheet(published, framework_author, tmp_path):
    draft = version_draft(framework=published.framework, by=framework_author)
    xlsx, csv_file = tmp_path / "step-1.xlsx", tmp_path / "step-1.csv"

    run(
        "export_framework",
        "step-1",
        "--version",
        draft.label,
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
    )
    run("export_framework", "step-1", "--format", "csv", "--output", str(csv_file))

    rows = list(load_workbook(xlsx, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == 6
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfsection_code,section_title")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["step-9", "--format", "case"], "There is no framework called step-9."),
        (["step-1", "--version", "7.0", "--format", "case"], "Step 1 has no version 7.0."),
    ],
)
def test_it_explains_what_it_cannot_export(published, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run("export_framework", *args, "--output", str(tmp_path / "out"))


def test_it_needs_a_published_version_unless_one_is_named(draft, tmp_path):
    with pytest.raises(CommandError, match="no published version: name one with --version"):
        run("export_framework", "step-1", "--format", "csv", "--output", str(tmp_path / "o"))


def test_it_imports_a_file_as_a_new_framework(published, tmp_path):
    path = tmp_path / "step-1.json"
    run("export_framework", "step-1", "--format", "case", "--output", str(path))
    importer = PersonFactory(is_framework_author=True)

    message = run(
        "import_framework", str(path), "--framework", "step-1-copy", "--by", importer.email
    )

    framework = Framework.objects.get(slug="step-1-copy")
    assert framework.title == "Step 1"
    version = framework.versions.get()
    assert (version.state, version.label, version.created_by) == ("draft", "1.0", importer)
    assert message.strip() == "Imported 5 proficiencies as draft Step 1 version 1.0."


def test_it_imports_a_spreadsheet_into_an_existing_framework(published, platform_admin, tmp_path):
    path = tmp_path / "step-1.csv"
    run("export_framework", "step-1", "--format", "csv", "--output", str(path))

    run("import_framework", str(path), "--framework", "step-1", "--title", "Ignored")

    version = published.framework.versions.get(state=FrameworkVersion.State.DRAFT)
    assert version.label == "2.0"
    assert version.created_by == platform_admin
    assert Framework.objects.get(slug="step-1").title == "Step 1"


def test_it_lists_every_problem_and_imports_nothing(platform_admin, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n1,Respiratory,1.1,,,,,,\n1,,1.2,Suction,,maybe,,,\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as error:
        run("import_framework", str(path), "--framework", "new-one", "--title", "New")

    assert str(error.value) == (
        "bad.csv was not imported:\n"
        "  Row 2, statement: Enter the statement\n"
        "  Row 3, optional: The optional column must be yes or no, not 'maybe'"
    )
    assert not Framework.objects.exists()


def test_it_refuses_a_second_draft(draft, platform_admin, tmp_path):
    path = tmp_path / "step-1.json"
    published = published_version(by=platform_admin)
    run("export_framework", published.framework.slug, "--format", "case", "--output", str(path))

    with pytest.raises(CommandError, match="already a draft"):
        run("import_framework", str(path), "--framework", "step-1")


def test_it_needs_someone_to_record_as_the_importer(db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("x")

    with pytest.raises(CommandError, match="Create a platform administrator first"):
        run("import_framework", str(path), "--framework", "x")
    with pytest.raises(CommandError, match="Nobody has the email address a@b.c"):
        run("import_framework", str(path), "--framework", "x", "--by", "a@b.c")


def test_it_explains_a_missing_file(platform_admin, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.csv"):
        run("import_framework", str(tmp_path / "missing.csv"), "--framework", "x")
