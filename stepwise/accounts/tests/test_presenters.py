from datetime import UTC, datetime

from stepwise.accounts.models import SelfRegistration, SingleSignOnLink
from stepwise.accounts.presenters import self_registration_rows, sso_link_rows
from stepwise.organisations.models import Organisation


def rows(**fields) -> list[tuple[str, str]]:
    registration = SelfRegistration(
        full_name="Iris Novak",
        email="iris.novak@example.org",
        trust=Organisation(name="Northshire Teaching Hospitals NHS Foundation Trust"),
        **fields,
    )
    return [
        (row["key"]["text"], row["value"]["text"]) for row in self_registration_rows(registration)
    ]


def test_it_shows_what_someone_registered_with():
    assert rows(
        job_title="Staff Nurse",
        registration_body="NMC",
        registration_number="12A3456B",
        unit=Organisation(name="General Intensive Care Unit"),
    ) == [
        ("Full name", "Iris Novak"),
        ("Email address", "iris.novak@example.org"),
        ("Job title", "Staff Nurse"),
        ("Professional registration", "NMC 12A3456B"),
        ("Trust", "Northshire Teaching Hospitals NHS Foundation Trust"),
        ("Unit", "General Intensive Care Unit"),
    ]


def test_what_was_not_given_is_left_out():
    assert rows() == [
        ("Full name", "Iris Novak"),
        ("Email address", "iris.novak@example.org"),
        ("Trust", "Northshire Teaching Hospitals NHS Foundation Trust"),
    ]


def test_a_single_sign_on_link_shows_its_address_date_and_an_unlink_action():
    link = SingleSignOnLink(
        pk=7, email="iris.novak@nhs.example", linked_at=datetime(2026, 12, 4, 10, tzinfo=UTC)
    )
    [row] = sso_link_rows([link])
    assert row["key"]["text"] == "iris.novak@nhs.example"
    assert row["value"]["text"] == "Linked on 4 December 2026"
    [action] = row["actions"]["items"]
    assert action["href"] == "/account/single-sign-on/7/unlink/"
    assert action["visuallyHiddenText"] == "iris.novak@nhs.example"
