import codecs
import io
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from stepwise.accounts.models import AccessLink, User
from stepwise.organisations.models import Membership, PeopleUpload
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.organisations.tests.upload_files import csv_bytes, person_row, xlsx_bytes
from stepwise.organisations.upload.columns import COLUMN_NAMES, COLUMNS

URL = reverse("organisations:bulk_upload")


def progress(upload) -> str:
    return reverse("organisations:bulk_upload_progress", kwargs={"upload_id": upload.pk})


@pytest.fixture
def admin_client(client_for, trust_admin):
    return client_for(trust_admin)


@pytest.fixture
def upload(admin_client, django_capture_on_commit_callbacks):
    """`upload(data, name)`: post a file as the Trust administrator, running on-commit work."""

    def post(data: bytes, name: str = "people.csv", follow: bool = False):
        # The import runs as a task queued on commit, which the capture runs on leaving;
        # so the progress page is read after that.
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(URL, {"file": SimpleUploadedFile(name, data)})
        if follow and response.status_code == 302:
            followed = admin_client.get(response.url)
            followed.redirected_from = response
            return followed
        return response

    return post


def counts():
    return (
        User.objects.count(),
        Membership.objects.count(),
        AccessLink.objects.count(),
        PeopleUpload.objects.count(),
    )


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def nothing_imported(db):
    """Asserts the test's upload changed nothing and sent nothing."""
    before = None

    def check():
        assert counts() == before
        assert mail.outbox == []

    before = counts()
    return check


def assert_rejected(response, *messages, nothing_imported):
    assert response.status_code == 200
    html = page(response)
    assert "<title>Error: Upload people" in html
    assert "nhsuk-error-summary" in html
    for message in messages:
        assert message in html, message
    nothing_imported()


# Who may use the page


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("persona", ["learner", "assessor", "educator"])
def test_other_roles_are_refused(client_for, persona, request):
    person = request.getfixturevalue(persona)
    assert client_for(person).get(URL).status_code == 403
    response = client_for(person).post(URL, {"file": SimpleUploadedFile("p.csv", b"x")})
    assert response.status_code == 403


def test_the_page_explains_the_columns_and_lists_the_units(admin_client, trust):
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = page(response)
    assert "<title>Upload people" in html
    for column in COLUMNS:
        assert column.name in html
        assert column.description in unescape(html)
    assert "?template=xlsx" in html and "?template=csv" in html
    for unit in trust.units:
        assert unit.name in html
    assert 'enctype="multipart/form-data"' in html


def test_the_csv_template_has_the_headings_only(admin_client):
    response = admin_client.get(URL, {"template": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="stepwise-people-template.csv"' in response["Content-Disposition"]
    assert response.content == codecs.BOM_UTF8 + ",".join(COLUMN_NAMES).encode() + b"\r\n"


def test_the_xlsx_template_has_the_headings_and_the_trusts_units(admin_client, trust):
    response = admin_client.get(URL, {"template": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    people, units = workbook.worksheets
    assert [cell.value for cell in people[1]] == list(COLUMN_NAMES)
    assert people.max_row == 1
    assert sorted(row[0] for row in units.iter_rows(min_row=2, values_only=True)) == sorted(
        unit.name for unit in trust.units
    )


def test_the_template_uploaded_unchanged_registers_nobody(admin_client, upload, nothing_imported):
    template = admin_client.get(URL, {"template": "xlsx"}).content
    assert_rejected(
        upload(template, "template.xlsx"),
        "The file has no people in it",
        nothing_imported=nothing_imported,
    )


def test_an_unknown_template_is_not_found(admin_client):
    assert admin_client.get(URL, {"template": "pdf"}).status_code == 404


# Uploads that work


def test_a_csv_registers_everyone_and_invites_them(upload, trust, trust_admin):
    rows = [
        person_row(1, unit=trust.units[0].name, roles="learner"),
        person_row(2, unit=trust.units[1].code.lower(), roles="assessor; educator"),
        person_row(3, unit="", roles="trust admin", registration_body="", registration_number=""),
    ]
    response = upload(csv_bytes(rows), follow=True)
    upload_record = PeopleUpload.objects.get()
    assert response.redirected_from.url == progress(upload_record)
    assert upload_record.state == PeopleUpload.State.DONE
    assert upload_record.rows == []  # the people hold their details now
    html = page(response)
    assert "<title>People registered" in html
    assert (
        "3 new people registered with Northshire Teaching Hospitals NHS Foundation Trust, and "
        "0 people who already use Stepwise were invited to join: they join when they accept. "
        "Invitations are on their way by email."
    ) in html

    memberships = Membership.objects.filter(trust=trust, person__email__startswith="person.")
    by_email = {m.person.email: m for m in memberships.select_related("person", "unit")}
    assert set(by_email) == {"person.1@nhs.net", "person.2@nhs.net", "person.3@nhs.net"}
    assert by_email["person.1@nhs.net"].unit == trust.units[0]
    assert by_email["person.2@nhs.net"].roles == ["assessor", "educator"]
    assert by_email["person.3@nhs.net"].is_trust_admin and by_email["person.3@nhs.net"].unit is None
    assert all(m.created_by == trust_admin for m in memberships)
    person = by_email["person.1@nhs.net"].person
    assert (person.registration_body, person.registration_number) == ("NMC", "01A0001B")
    assert not person.has_usable_password()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(by_email)
    assert all("Set your password to start" in message.body for message in mail.outbox)


def test_an_xlsx_registers_everyone(upload, trust):
    rows = [person_row(n, unit=trust.units[0].code) for n in range(1, 6)]
    response = upload(xlsx_bytes(rows), "people.xlsx")
    assert response.status_code == 302
    assert Membership.objects.filter(trust=trust, person__email__startswith="person.").count() == 5
    assert len(mail.outbox) == 5


def test_a_windows_1252_csv_works(upload, trust):
    rows = [person_row(1, full_name="Siân O’Brien-Müller", job_title="Charge Nurse – ICU")]
    response = upload(csv_bytes(rows, encoding="cp1252"))
    assert response.status_code == 302
    person = User.objects.get(email="person.1@nhs.net")
    assert person.full_name == "Siân O’Brien-Müller"
    assert person.job_title == "Charge Nurse – ICU"


def test_utf8_with_a_byte_order_mark_works(upload):
    data = codecs.BOM_UTF8 + csv_bytes([person_row(1, full_name="Zoë Ørsted")])
    assert upload(data).status_code == 302
    assert User.objects.get(email="person.1@nhs.net").full_name == "Zoë Ørsted"


def test_blank_rows_are_skipped(upload):
    data = (
        csv_bytes([person_row(1)])
        + b",,,,,,\r\n\r\n"
        + b"Person 2,person.2@nhs.net,,learner,,,\r\n"
    )
    assert upload(data).status_code == 302
    assert User.objects.filter(email__in=["person.1@nhs.net", "person.2@nhs.net"]).count() == 2


def test_someone_with_an_account_at_another_trust_is_invited_without_a_second_account(
    upload, trust, other_learner
):
    response = upload(
        csv_bytes([person_row(1), person_row(2, email=other_learner.email.upper())]), follow=True
    )
    assert (
        "1 new person registered with Northshire Teaching Hospitals NHS Foundation Trust, and "
        "1 person who already uses Stepwise was invited to join: they join when they accept."
    ) in page(response)
    assert User.objects.filter(email=other_learner.email).count() == 1
    # The file does not make them a member: only their own answer does.
    assert other_learner.memberships.current().count() == 1
    assert other_learner.memberships.get(trust=trust).state == Membership.State.INVITED
    [asked] = [message for message in mail.outbox if message.to == [other_learner.email]]
    assert "invites you to join" in asked.subject


# Bad input: nothing imported, a clear message, never a 500


def test_no_file_chosen(admin_client, nothing_imported):
    response = admin_client.post(URL, {})
    assert_rejected(response, "Select a CSV or XLSX file", nothing_imported=nothing_imported)
    assert 'href="#id_file"' in page(response)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("people.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01<< /Type /Catalog >>"),
        ("people.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
        ("people.docx", csv_bytes([person_row(1)])),
    ],
)
def test_a_file_that_is_not_csv_or_xlsx(upload, nothing_imported, name, data):
    assert_rejected(
        upload(data, name),
        "The selected file must be a CSV or XLSX",
        nothing_imported=nothing_imported,
    )


def test_an_empty_file(upload, nothing_imported):
    assert_rejected(upload(b""), "The selected file is empty", nothing_imported=nothing_imported)


def test_a_file_over_10_mb(upload, nothing_imported, settings):
    assert settings.STEPWISE_UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    data = csv_bytes([person_row(1)]) + b"," * (10 * 1024 * 1024)
    assert_rejected(
        upload(data),
        "The selected file must be smaller than 10.0\xa0MB",
        nothing_imported=nothing_imported,
    )


def test_the_size_limit_comes_from_settings(upload, nothing_imported, settings):
    settings.STEPWISE_UPLOAD_MAX_BYTES = 100
    assert_rejected(
        upload(csv_bytes([person_row(1), person_row(2)])),
        "The selected file must be smaller than 100\xa0bytes",
        nothing_imported=nothing_imported,
    )


def test_missing_headings(upload, nothing_imported):
    data = csv_bytes([person_row(1)], headings=("full_name", "email", "job_title"))
    assert_rejected(
        upload(data),
        "The file is missing the columns unit and roles.",
        nothing_imported=nothing_imported,
    )


def test_wrong_headings(upload, nothing_imported):
    data = b"name,e-mail,ward,roles\nAmy,amy@nhs.net,GICU,learner\n"
    assert_rejected(
        upload(data),
        "The heading “name” in column A is not one we recognise",
        "The heading “e-mail” in column B is not one we recognise",
        "The file is missing the columns full_name, email and unit.",
        nothing_imported=nothing_imported,
    )


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_csv_cell_starting_like_a_formula(upload, nothing_imported, start):
    data = csv_bytes([person_row(1), person_row(2, job_title=f'{start}HYPERLINK("http://x")')])
    assert_rejected(
        upload(data),
        "Row 3, job_title: A cell cannot start with =, +, - or @",
        nothing_imported=nothing_imported,
    )


def test_a_real_xlsx_formula(upload, nothing_imported):
    data = xlsx_bytes([person_row(1), person_row(2)], formulas={(3, "full_name"): "=A2"})
    assert_rejected(
        upload(data, "people.xlsx"),
        "Row 3, full_name: The cell has a formula. Replace it with the value it shows",
        nothing_imported=nothing_imported,
    )


def test_a_malformed_email(upload, nothing_imported):
    assert_rejected(
        upload(csv_bytes([person_row(1), person_row(2, email="amy.lee@")])),
        "Row 3, email: Enter an email address in the correct format, like name@nhs.net",
        nothing_imported=nothing_imported,
    )


def test_an_invalid_pin(upload, nothing_imported):
    assert_rejected(
        upload(csv_bytes([person_row(1, registration_number="1234567A")])),
        "Row 2, registration_number: Enter an NMC PIN in the correct format",
        nothing_imported=nothing_imported,
    )


def test_an_unknown_unit(upload, nothing_imported, other_trust):
    # A unit of another Trust is as unknown as a made-up one.
    rows = [person_row(1, unit="Ward 99"), person_row(2, unit=other_trust.units[0].name)]
    assert_rejected(
        upload(csv_bytes(rows)),
        "Row 2, unit: “Ward 99” is not a unit in Northshire",
        "Row 3, unit: “Adult Critical Care Unit” is not a unit in Northshire",
        nothing_imported=nothing_imported,
    )


def test_an_unknown_role(upload, nothing_imported):
    assert_rejected(
        upload(csv_bytes([person_row(1, roles="learner; matron")])),
        "Row 2, roles: “matron” is not a role",
        nothing_imported=nothing_imported,
    )


def test_the_same_email_twice(upload, nothing_imported):
    rows = [person_row(1), person_row(2), person_row(3, email="PERSON.1@nhs.net")]
    assert_rejected(
        upload(csv_bytes(rows)),
        "Row 4, email: person.1@nhs.net is also on row 2",
        nothing_imported=nothing_imported,
    )


def test_someone_already_in_the_trust(learner, upload, nothing_imported):
    assert_rejected(
        upload(csv_bytes([person_row(1, email=learner.email)])),
        f"Row 2, email: {learner.email} is already a member of Northshire",
        nothing_imported=nothing_imported,
    )


def test_someone_who_left_the_trust_can_come_back(upload, trust):
    former = MembershipFactory(trust=trust, state=Membership.State.ENDED, is_learner=True)
    assert upload(csv_bytes([person_row(1, email=former.person.email)])).status_code == 302
    # They come back when they accept the invitation.
    assert former.person.memberships.filter(trust=trust, state="invited").count() == 1


def test_too_many_rows(upload, nothing_imported):
    data = b"full_name,email,unit,roles\n" + b"".join(
        f"P {n},p{n}@nhs.net,,learner\n".encode() for n in range(10_001)
    )
    assert_rejected(
        upload(data),
        "The file has more than 10,000 people. Split it into files of 10,000 people or fewer",
        nothing_imported=nothing_imported,
    )


def test_many_errors_are_summarised_and_listed_in_a_table(upload, nothing_imported):
    rows = [person_row(n, unit="Ward 99") for n in range(1, 31)]
    response = upload(csv_bytes(rows))
    assert_rejected(
        response,
        "20 more errors in the file, listed in the table below",
        "30 errors in 30 rows",
        nothing_imported=nothing_imported,
    )
    html = page(response)
    assert html.count("is not a unit in") == 10 + 30  # the summary's ten, and the table
    assert "Row 31, unit" not in html.split("nhsuk-error-summary")[1].split("</div>")[0]


# The progress page


@pytest.fixture
def queued(trust, trust_admin):
    return PeopleUpload.objects.create(
        trust=trust,
        uploaded_by=trust_admin,
        file_name="ward staff.csv",
        people=2,
        rows=[{"number": 2, "values": person_row(1)}, {"number": 3, "values": person_row(2)}],
    )


def test_the_progress_page_is_for_the_trusts_admins_only(client, client_for, queued, learner):
    response = client.get(progress(queued))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))
    assert client_for(learner).get(progress(queued)).status_code == 403


def test_another_trusts_upload_is_not_found(client_for, queued, other_trust_admin):
    assert client_for(other_trust_admin).get(progress(queued)).status_code == 404


def test_a_waiting_upload_says_so_and_offers_to_check_again(admin_client, queued):
    html = page(admin_client.get(progress(queued)))
    assert "<title>Registering people" in html
    assert "We are registering the 2 people in ward staff.csv" in html
    assert "Status: Waiting to start." in html
    assert f'href="{progress(queued)}"' in html


def test_a_failed_upload_lists_its_problems(admin_client, queued):
    queued.state = PeopleUpload.State.FAILED
    queued.problems = [{"row": 3, "column": "email", "message": "x@nhs.net is already a member"}]
    queued.save()
    html = page(admin_client.get(progress(queued)))
    assert "<title>Nothing was imported" in html
    assert "Nobody in ward staff.csv has been registered." in html
    assert "x@nhs.net is already a member" in html
