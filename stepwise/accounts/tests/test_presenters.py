from stepwise.accounts.models import SelfRegistration
from stepwise.accounts.presenters import self_registration_rows
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
