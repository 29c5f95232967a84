"""The frameworks list, creating a framework, a framework's page, its collaborators, and
starting a version by hand or from a file."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.frameworks.exchange import files, spreadsheet
from stepwise.frameworks.exchange.case import export_case
from stepwise.frameworks.models import (
    Framework,
    FrameworkCollaborator,
    FrameworkEvent,
    FrameworkVersion,
)
from stepwise.frameworks.services import version_draft
from stepwise.frameworks.tests.conftest import read
from stepwise.frameworks.tests.factories import FrameworkFactory, content, published_version

# The frameworks list


def test_the_list_shows_each_framework_with_its_versions(
    client_for, framework_author, published, django_assert_max_num_queries
):
    version_draft(framework=published.framework, by=framework_author)
    FrameworkFactory(title="IV therapy passport", slug="iv-therapy")
    for _ in range(5):
        published_version(by=framework_author)
    client = client_for(framework_author)

    with django_assert_max_num_queries(12):
        page = read(client.get(reverse("frameworks:list")))

    assert "Create a framework" in page
    assert "1.0, published" in page
    assert "Version 2.0" in page and "Draft" in page
    assert "IV therapy passport" in page


# Creating a framework


def test_an_author_creates_a_framework(client_for, framework_author):
    response = client_for(framework_author).post(
        reverse("frameworks:create"),
        {"title": "Step 2", "slug": "step-2", "description": "For experienced nurses."},
    )

    framework = Framework.objects.get(slug="step-2")
    assert response.status_code == 302
    assert response.url == reverse("frameworks:framework", args=["step-2"])
    assert framework.created_by == framework_author
    assert framework.events.get().kind == FrameworkEvent.Kind.CREATED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "slug": "step-2"}, "Enter the title"),
        ({"title": "Step 2", "slug": ""}, "Enter a short name for web addresses"),
        ({"title": "Step 2", "slug": "Step 2"}, "lower-case letters, numbers and hyphens"),
        ({"title": "Step 2", "slug": "new"}, "Stepwise uses new in its own web addresses"),
        ({"title": "Step 2", "slug": "x" * 61}, "60 characters or fewer"),
        ({"title": "=HYPERLINK()", "slug": "step-2"}, "read as a formula"),
        ({"title": "Step 2", "slug": "step-1"}, "already exists"),
    ],
)
def test_creating_a_framework_explains_bad_input(
    client_for, framework_author, framework, data, message
):
    response = client_for(framework_author).post(reverse("frameworks:create"), data)

    page = read(response)
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert message in page
    assert "<title>Error: Create a framework" in page
    assert Framework.objects.count() == 1


# A framework's page


def test_the_framework_page_lists_versions_and_collaborators(
    client_for, framework_author, published, reviewer
):
    version_draft(framework=published.framework, by=framework_author)

    page = read(client_for(framework_author).get(reverse("frameworks:framework", args=["step-1"])))

    assert "Version 1.0" in page and "Published" in page
    assert f"by {framework_author.full_name}" in page
    assert "Version 2.0 is a draft" in page
    assert "Draft a new version" not in page  # one version in the making at a time
    assert reviewer.full_name in page and "Reviewer" in page
    assert 'Retire<span class="nhsuk-u-visually-hidden"> version 1.0' in page


def test_a_reviewer_sees_the_framework_without_its_management(client_for, published, reviewer):
    page = read(client_for(reviewer).get(reverse("frameworks:framework", args=["step-1"])))

    assert "Version 1.0" in page
    assert "Draft a new version" not in page
    assert "Add a collaborator" not in page
    assert "Retire" not in page


# Collaborators


def url_add(slug="step-1"):
    return reverse("frameworks:collaborator_add", args=[slug])


def test_an_author_adds_a_collaborator_by_email(client_for, framework_author, framework):
    person = PersonFactory(email="sam.lee@nhs.net")

    response = client_for(framework_author).post(
        url_add(), {"email": " Sam.Lee@NHS.net ", "role": "contributor"}
    )

    assert response.status_code == 302
    collaborator = framework.collaborators.get()
    assert (collaborator.person, collaborator.role) == (person, "contributor")
    event = framework.events.get(kind=FrameworkEvent.Kind.COLLABORATOR_ADDED)
    assert event.actor == framework_author
    assert "sam.lee@nhs.net" in event.note


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "role": "reviewer"}, "Enter their email address"),
        ({"email": "not-an-email", "role": "reviewer"}, "Enter an email address in the correct"),
        ({"email": "nobody@nhs.net", "role": "reviewer"}, "Nobody has a Stepwise account"),
        ({"email": "sam.lee@nhs.net", "role": ""}, "Choose a role"),
        ({"email": "sam.lee@nhs.net", "role": "owner"}, "Choose a role"),
    ],
)
def test_adding_a_collaborator_explains_bad_input(
    client_for, framework_author, framework, data, message
):
    PersonFactory(email="sam.lee@nhs.net")

    response = client_for(framework_author).post(url_add(), data)

    assert response.status_code == 200
    assert message in read(response)
    assert not framework.collaborators.exists()


def test_someone_already_collaborating_is_not_added_twice(client_for, framework_author, reviewer):
    response = client_for(framework_author).post(
        url_add(), {"email": reviewer.email, "role": "contributor"}
    )

    assert response.status_code == 200
    assert "is already a reviewer on Step 1" in read(response)
    assert FrameworkCollaborator.objects.get().role == "reviewer"


def test_an_author_removes_a_collaborator_after_confirming(
    client_for, framework_author, framework, reviewer
):
    collaborator = framework.collaborators.get()
    url = reverse("frameworks:collaborator_remove", args=["step-1", collaborator.pk])
    client = client_for(framework_author)

    assert "Remove collaborator" in read(client.get(url))
    assert framework.collaborators.exists()
    response = client.post(url)

    assert response.status_code == 302
    assert not framework.collaborators.exists()
    assert framework.events.filter(kind=FrameworkEvent.Kind.COLLABORATOR_REMOVED).count() == 1
    # Removing again finds nothing to remove
    assert client.post(url).status_code == 404


# Drafting a new version


def url_new(slug="step-1"):
    return reverse("frameworks:version_new", args=[slug])


def test_the_first_version_starts_empty(client_for, framework_author, framework):
    client = client_for(framework_author)

    assert "starts empty" in read(client.get(url_new()))
    response = client.post(url_new(), {"label": ""})

    version = framework.versions.get()
    assert response.url == reverse("frameworks:version", args=["step-1", version.pk])
    assert (version.label, version.state) == ("1.0", FrameworkVersion.State.DRAFT)
    assert not version.proficiencies.exists()


def test_a_new_version_copies_the_latest_published_one(client_for, framework_author, published):
    response = client_for(framework_author).post(url_new(), {"start": "copy", "label": "1.1"})

    version = published.framework.versions.get(label="1.1")
    assert response.status_code == 302
    assert version.based_on == published
    assert set(version.proficiencies.values_list("uuid", flat=True)) == set(
        published.proficiencies.values_list("uuid", flat=True)
    )


def test_a_new_version_can_start_empty_after_a_published_one(
    client_for, framework_author, published
):
    client_for(framework_author).post(url_new(), {"start": "empty"})

    version = published.framework.versions.get(label="2.0")
    assert not version.proficiencies.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": ""}, "Choose what the new version starts with"),
        ({"start": "copy", "label": "1.0"}, "Step 1 already has a version 1.0"),
        ({"start": "copy", "label": "two point oh"}, "must not contain spaces"),
    ],
)
def test_drafting_explains_bad_input(client_for, framework_author, published, data, message):
    response = client_for(framework_author).post(url_new(), data)

    assert response.status_code == 200
    assert message in read(response)
    assert published.framework.versions.count() == 1


def test_only_one_version_is_made_at_a_time(client_for, framework_author, draft):
    client = client_for(framework_author)

    for response in (client.get(url_new()), client.post(url_new(), {"start": "empty"})):
        assert response.url == reverse("frameworks:version", args=["step-1", draft.pk])
    follow = client.get(url_new(), follow=True)
    assert "already a draft: publish it before starting another version" in read(follow)
    assert draft.framework.versions.count() == 1


# Importing a version from a file


def url_import(slug="step-1"):
    return reverse("frameworks:import", args=[slug])


def upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "writer"),
    [("step-1.csv", spreadsheet.write_csv), ("step-1.xlsx", spreadsheet.write_xlsx)],
)
def test_an_author_imports_a_spreadsheet_as_a_new_draft(
    client_for, framework_author, framework, name, writer
):
    response = client_for(framework_author).post(
        url_import(), {"file": upload(name, writer(content())), "label": ""}
    )

    version = framework.versions.get()
    assert response.url == reverse("frameworks:version", args=["step-1", version.pk])
    assert version.proficiencies.count() == 5
    assert version.events.get().note.endswith(f"from {name}")


def test_an_author_imports_a_case_package_keeping_its_identities(
    client_for, framework_author, framework
):
    source = published_version(by=framework_author)
    package = json.dumps(export_case(source)).encode()

    response = client_for(framework_author).post(
        url_import(), {"file": upload("step.json", package), "label": "3.0"}
    )

    version = framework.versions.get()
    assert response.status_code == 302
    assert version.label == "3.0"
    assert set(version.proficiencies.values_list("uuid", flat=True)) == set(
        source.proficiencies.values_list("uuid", flat=True)
    )


def csv_with(*rows: str) -> bytes:
    return ("\n".join([",".join(spreadsheet.COLUMNS), *rows]) + "\n").encode()


@pytest.mark.parametrize(
    ("name", "data", "messages"),
    [
        ("empty.csv", b"", ["The selected file is empty"]),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", ["is not a CSV or XLSX spreadsheet"]),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", ["is not a CSV or XLSX spreadsheet"]),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ["old Excel file (.xls)"]),
        ("case.json", b'{"CFDocument": {', ["The file is not valid JSON"]),
        ("case.json", b"[1, 2, 3]", ["it has no CFDocument"]),
        ("deep.json", b"[" * 100_000, ["its JSON nests too deeply"]),
        (
            "wrong.csv",
            b"code,title,statement\n1,Respiratory,Breathe\n",
            ["The first row must be the column names", "Missing: section_code"],
        ),
        (
            "rows.csv",
            csv_with(
                "1,Respiratory,1.1,,,,,,",
                "1,,1.1,Perform suction,,maybe,,,",
                "1,,1.3,=SUM(A1),,,,,",
            ),
            [
                "Row 2, statement: Enter the statement",
                "Row 3, optional: The optional column must be yes or no, not 'maybe'",
                "Row 4, statement: The statement starts with =",
            ],
        ),
        (
            "duplicates.csv",
            csv_with("1,Respiratory,1.1,Suction,,,,,", "1,,1.1,Humidify,,,,,"),
            [
                "Row 2, proficiency_code: Proficiency code 1.1 is used more than once",
                "Row 3, proficiency_code: Proficiency code 1.1 is used more than once",
            ],
        ),
    ],
)
def test_a_bad_file_is_explained_and_nothing_is_imported(
    client_for, framework_author, framework, name, data, messages
):
    response = client_for(framework_author).post(url_import(), {"file": upload(name, data)})

    page = read(response)
    assert response.status_code == 200
    assert "<title>Error: Import a version from a file" in page
    summary = page[
        page.index("nhsuk-error-summary") : page.index("</ul>", page.index("nhsuk-error-summary"))
    ]
    for message in messages:
        assert message in summary
    assert not framework.versions.exists()


def test_a_file_over_20_mb_is_refused(client_for, framework_author, framework):
    data = csv_with("1,Respiratory,1.1,Suction,,,,,") + b" " * files.MAX_BYTES

    response = client_for(framework_author).post(url_import(), {"file": upload("big.csv", data)})

    assert response.status_code == 200
    assert "The selected file must be smaller than 20 MB" in read(response)
    assert not framework.versions.exists()


def test_no_file_is_explained(client_for, framework_author, framework):
    response = client_for(framework_author).post(url_import(), {"label": "1.0"})

    assert "Select a CSV, XLSX or CASE JSON file" in read(response)


def test_a_label_already_used_is_explained(client_for, framework_author, published):
    data = spreadsheet.write_csv(content())

    response = client_for(framework_author).post(
        url_import(), {"file": upload("next.csv", data), "label": "1.0"}
    )

    assert response.status_code == 200
    assert "Step 1 already has a version 1.0" in read(response)
    assert published.framework.versions.count() == 1


def test_a_very_wrong_file_lists_its_first_problems(client_for, framework_author, framework):
    rows = [f"1,Respiratory,1.{n},,,,,," for n in range(600)]

    page = read(
        client_for(framework_author).post(url_import(), {"file": upload("x.csv", csv_with(*rows))})
    )

    assert "Row 2, statement: Enter the statement" in page
    assert "100 more problems: fix these first" in page


# The spreadsheet template


def test_the_template_page_documents_every_column(client_for, framework_author):
    page = read(client_for(framework_author).get(reverse("frameworks:template")))

    for column in spreadsheet.COLUMNS:
        assert column in page
    assert spreadsheet.COLUMN_HELP["proficiency_uuid"] in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_blank_template_downloads(client_for, framework_author, fmt):
    response = client_for(framework_author).get(reverse("frameworks:template_download", args=[fmt]))

    assert response.status_code == 200
    assert response["Content-Type"] == files.CONTENT_TYPES[fmt]
    assert f'filename="framework-template.{fmt}"' in response["Content-Disposition"]
    if fmt == "csv":
        header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
    assert header == list(spreadsheet.COLUMNS)
