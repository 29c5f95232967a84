"""A Trust administrator uploads a spreadsheet of people, fixes its errors, and registers
them all."""

import pytest
from playwright.sync_api import expect

from stepwise.organisations.models import Membership, PeopleUpload
from stepwise.organisations.tests.upload_files import csv_bytes, person_row, xlsx_bytes
from tests.browser.support import emails_to

pytestmark = pytest.mark.browser


def choose_file(web, path) -> None:
    # The NHS file upload script puts a drop zone over the input, so set the input itself.
    web.page.locator("input[type=file][name=file]").set_input_files(str(path))


def test_a_trust_admin_uploads_a_file_fixes_its_errors_and_registers_everyone(
    web_for, trust_admin, trust, tmp_path
):
    # Given a Trust administrator on the upload page
    web = web_for(trust_admin)
    web.visit("/people/upload/")
    assert web.heading() == "Upload people"
    expect(web.page.get_by_role("link", name="Download the Excel template (XLSX)")).to_be_visible()

    # When they upload a file in which twelve people have a unit the Trust does not have
    rows = [person_row(n, unit=trust.units[n % 2].name) for n in range(1, 16)]
    broken = [dict(row, unit="Ward 99") if n < 12 else row for n, row in enumerate(rows)]
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(broken))
    choose_file(web, path)
    web.submit("Upload and register people")

    # Then nobody is registered, the summary names the first errors with their rows,
    # and a table lists every one
    assert web.title().startswith("Error: Upload people")
    summary = web.error_summary()
    assert summary[0].startswith("Row 2, unit: “Ward 99” is not a unit in")
    assert "2 more errors in the file, listed in the table below" in summary
    expect(web.page.locator(".nhsuk-error-summary")).to_be_focused()
    expect(web.page.get_by_role("heading", name="12 errors in 12 rows")).to_be_visible()
    assert web.field_error("Upload a file").startswith("Fix the errors in the file")
    assert not Membership.objects.filter(person__email="person.1@nhs.net").exists()

    # When they upload the fixed file, as a workbook this time
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    choose_file(web, path)
    web.submit("Upload and register people")

    # Then the progress page says everyone is registered, and they are told so by email
    assert web.heading() == "People registered"
    expect(web.page.locator(".nhsuk-panel")).to_contain_text("15 new people registered with")
    assert web.error_summary() == []
    assert Membership.objects.filter(trust=trust, person__email__startswith="person.").count() == 15
    assert len(emails_to("person.7@nhs.net")) == 1


def test_an_upload_still_waiting_for_the_worker_says_so(web_for, trust_admin, trust):
    # Given an upload the task worker has not reached yet
    upload = PeopleUpload.objects.create(
        trust=trust, uploaded_by=trust_admin, file_name="ward.csv", people=40, rows=[]
    )

    # When its Trust administrator looks at its progress
    web = web_for(trust_admin)
    web.visit(f"/people/upload/{upload.pk}/")

    # Then the page says it is waiting, and offers to check again
    assert web.heading() == "Registering people"
    assert "We are registering the 40 people in ward.csv" in web.text()
    web.submit("Check progress")
    assert web.heading() == "Registering people"
