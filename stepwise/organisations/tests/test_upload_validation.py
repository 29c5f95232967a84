import pytest

from stepwise.organisations.models import Membership, Organisation, Role
from stepwise.organisations.upload.reading import SheetRow
from stepwise.organisations.upload.validation import (
    KnownPerson,
    RowError,
    TrustDirectory,
    validate_rows,
)

GICU = Organisation(pk=11, kind="unit", name="General Intensive Care Unit", code="GICU")
CICU = Organisation(pk=12, kind="unit", name="Cardiac Intensive Care Unit", code="CICU")


def directory(**people) -> TrustDirectory:
    return TrustDirectory(
        trust=Organisation(pk=1, kind="trust", name="North Trust"),
        units=[GICU, CICU],
        people={person.email: person for person in people.values()},
    )


def row(number=2, formulas=(), unnamed=(), **values) -> SheetRow:
    cells = {
        "full_name": "Amy Lee",
        "email": "Amy.Lee@NHS.net",
        "unit": "GICU",
        "roles": "learner",
        "job_title": "",
        "registration_body": "",
        "registration_number": "",
    }
    cells.update(values)
    return SheetRow(number, cells, frozenset(formulas), tuple(unnamed))


def errors_for(*rows, known=None) -> list[RowError]:
    return validate_rows(list(rows), known or directory())[1]


def messages_for(*rows, known=None) -> list[tuple[str, str]]:
    return [(error.column, error.message) for error in errors_for(*rows, known=known)]


def test_a_good_row_becomes_a_person_with_tidied_values():
    people, errors = validate_rows(
        [
            row(
                unit=" general  intensive care UNIT ",
                roles="Learner;  assessor,Trust Admin",
                registration_body="nmc",
                registration_number="12 a3456b",
                job_title="Staff Nurse",
            )
        ],
        directory(),
    )
    assert errors == []
    [person] = people
    assert person.email == "amy.lee@nhs.net"
    assert person.unit is GICU
    assert person.roles == (Role.LEARNER, Role.ASSESSOR, Role.TRUST_ADMIN)
    assert (person.registration_body, person.registration_number) == ("NMC", "12A3456B")
    assert person.existing is None


def test_unit_may_be_a_code_or_blank():
    people, _ = validate_rows([row(unit="cicu"), row(3, email="b@nhs.net", unit="")], directory())
    assert [person.unit for person in people] == [CICU, None]


def test_the_role_labels_and_underscores_are_understood():
    people, _ = validate_rows([row(roles="educator/manager; trust_admin")], directory())
    assert people[0].roles == (Role.EDUCATOR, Role.TRUST_ADMIN)


def test_blank_required_cells_are_errors():
    assert messages_for(row(full_name="", email="", roles="")) == [
        ("full_name", "Enter a full name"),
        ("email", "Enter an email address"),
        ("roles", "Enter at least one role: learner, assessor, educator or trust admin"),
    ]


@pytest.mark.parametrize(
    "email", ["amy", "amy@", "amy lee@nhs.net", "a@b@nhs.net", "x" * 250 + "@nhs.net"]
)
def test_a_malformed_email_is_an_error(email):
    assert messages_for(row(email=email)) == [
        ("email", "Enter an email address in the correct format, like name@nhs.net")
    ]


def test_an_unknown_unit_is_an_error():
    assert messages_for(row(unit="Ward 99")) == [
        (
            "unit",
            "“Ward 99” is not a unit in North Trust. Use the name or code of one of your "
            "units, or leave it blank",
        )
    ]


def test_a_unit_matching_two_units_asks_for_the_code():
    twin = Organisation(pk=13, kind="unit", name="GICU", code="G2")
    known = directory()
    known = TrustDirectory(trust=known.trust, units=[GICU, twin])
    assert messages_for(row(unit="gicu"), known=known) == [
        ("unit", "“gicu” matches more than one unit. Use the unit's code")
    ]


def test_each_unknown_role_is_an_error():
    assert messages_for(row(roles="learner; nurse; matron")) == [
        (
            "roles",
            "“nurse” is not a role. Use learner, assessor, educator or trust admin, "
            "separated by semicolons",
        ),
        (
            "roles",
            "“matron” is not a role. Use learner, assessor, educator or trust admin, "
            "separated by semicolons",
        ),
    ]


def test_an_invalid_pin_is_an_error_in_the_words_of_the_register():
    assert messages_for(row(registration_body="NMC", registration_number="1234567")) == [
        (
            "registration_number",
            "Enter an NMC PIN in the correct format: two numbers, a letter, four numbers "
            "and a letter, like 12A3456B",
        )
    ]
    assert messages_for(row(registration_body="GMC", registration_number="12A3456B")) == [
        (
            "registration_number",
            "Enter a GMC registration number in the correct format, 7 digits, like 1234567",
        )
    ]


def test_registration_needs_both_body_and_number():
    assert messages_for(row(registration_body="HCPC")) == [
        (
            "registration_number",
            "Enter their HCPC registration number, or leave registration_body blank",
        )
    ]
    assert messages_for(row(registration_number="12A3456B")) == [
        ("registration_body", "Enter the register their number is on: NMC, HCPC, GMC, GPhC")
    ]
    assert messages_for(row(registration_body="RCN", registration_number="1")) == [
        ("registration_body", "“RCN” is not a professional register. Use NMC, HCPC, GMC, GPhC")
    ]


def test_long_names_and_titles_are_errors():
    assert messages_for(row(full_name="A" * 151, job_title="B" * 151)) == [
        ("full_name", "Full name must be 150 characters or fewer"),
        ("job_title", "Job title must be 150 characters or fewer"),
    ]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_cells_that_spreadsheets_would_run_as_formulas_are_errors(start):
    errors = messages_for(row(full_name=f'{start}HYPERLINK("http://x")', job_title=f"{start}1"))
    assert [column for column, _ in errors] == ["full_name", "job_title"]
    assert errors[0][1].startswith("A cell cannot start with =, +, - or @")


def test_real_formulas_are_errors():
    assert messages_for(row(formulas={"unit"}, unit="=A1")) == [
        (
            "unit",
            "The cell has a formula. Replace it with the value it shows (copy the cell, then "
            "paste as values only)",
        )
    ]


def test_the_same_email_twice_is_an_error_on_the_later_row():
    errors = errors_for(row(2), row(3, email="someone@nhs.net"), row(4, email=" AMY.LEE@nhs.net"))
    assert errors == [
        RowError(
            4, "email", "amy.lee@nhs.net is also on row 2. Each person can be in the file only once"
        )
    ]


def test_someone_already_in_the_trust_is_an_error():
    member = KnownPerson(1, "amy.lee@nhs.net", "Amy", True, Membership.State.ACTIVE)
    assert messages_for(row(), known=directory(amy=member)) == [
        ("email", "amy.lee@nhs.net is already a member of North Trust. Remove this row")
    ]
    waiting = KnownPerson(1, "amy.lee@nhs.net", "Amy", True, Membership.State.AWAITING_APPROVAL)
    [(column, message)] = messages_for(row(), known=directory(amy=waiting))
    assert "is waiting for approval" in message


def test_someone_with_an_account_elsewhere_joins():
    elsewhere = KnownPerson(7, "amy.lee@nhs.net", "Amy Lee", True)
    people, errors = validate_rows([row()], directory(amy=elsewhere))
    assert errors == []
    assert people[0].existing == elsewhere


def test_a_value_under_no_heading_is_an_error():
    assert messages_for(row(unnamed=("H",)))[0][0] == "column H"


def test_every_error_in_every_row_is_listed_in_row_order():
    errors = errors_for(
        row(2, email="bad"),
        row(3, email="ok@nhs.net"),
        row(4, email="x@nhs.net", unit="?", roles=""),
    )
    assert [(error.row, error.column) for error in errors] == [
        (2, "email"),
        (4, "unit"),
        (4, "roles"),
    ]
    assert str(errors[0]) == (
        "Row 2, email: Enter an email address in the correct format, like name@nhs.net"
    )
