"""Registering a person with the Trust."""

import pytest
from django.core import mail
from django.urls import reverse

from stepwise.accounts.models import User
from stepwise.organisations.models import Membership, MembershipEvent
from stepwise.organisations.tests.conftest import read

URL = reverse("organisations:person_register")


def details(trust, **changes) -> dict:
    data = {
        "full_name": "Nia Roberts",
        "email": "Nia.Roberts@Example.org",
        "job_title": "Staff Nurse",
        "registration_body": "NMC",
        "registration_number": "21a 4567c",
        "unit": trust.units[1].pk,
        "roles": ["learner"],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_offers_the_trusts_units_and_roles(client_for, trust, other_trust, trust_admin):
    html = read(client_for(trust_admin).get(URL))
    assert "<title>Register a person – Stepwise</title>" in html
    for unit in trust.units:
        assert unit.name in html
    assert other_trust.units[0].name not in html
    assert 'value="trust_admin"' in html
    assert "{{ csrf" not in html and 'name="csrfmiddlewaretoken"' in html


def test_registering_someone_new_invites_them(
    client_for, trust, educator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(educator).post(URL, details(trust, roles=["learner", "assessor"]))
    person = User.objects.get(email="nia.roberts@example.org")
    member = person.memberships.get()
    assert response.status_code == 302
    assert response.url == reverse("organisations:person_detail", args=[member.pk])
    assert (member.trust, member.unit, member.created_by) == (trust, trust.units[1], educator)
    assert member.roles == ["learner", "assessor"]
    assert person.registration_number == "21A4567C"
    assert not person.has_usable_password()
    [email] = mail.outbox
    assert email.to == ["nia.roberts@example.org"]
    assert "/invitation/" in email.body
    page = read(response.client.get(response.url))
    assert "Nia Roberts has been registered" in page
    assert "We have emailed an invitation to set a password to nia.roberts@example.org" in page


def test_someone_with_an_account_elsewhere_joins_with_it(
    client_for, trust, trust_admin, other_learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(trust_admin).post(
            URL, details(trust, email=other_learner.email.upper(), full_name="Typed Name")
        )
    assert response.status_code == 302
    member = other_learner.memberships.get(trust=trust)
    other_learner.refresh_from_db()
    # Their own account keeps the details they gave.
    assert other_learner.full_name != "Typed Name"
    assert "You have joined" in mail.outbox[0].subject
    page = read(response.client.get(response.url))
    assert "already had a Stepwise account and has joined" in page
    assert member.state == Membership.State.ACTIVE


def test_a_trust_admin_may_make_someone_a_trust_admin(client_for, trust, trust_admin):
    client_for(trust_admin).post(URL, details(trust, roles=["trust_admin"], unit=""))
    member = User.objects.get(email="nia.roberts@example.org").memberships.get()
    assert member.is_trust_admin and member.unit is None


def test_an_educator_may_not_make_someone_a_trust_admin(client_for, trust, educator):
    client = client_for(educator)
    assert 'value="trust_admin"' not in read(client.get(URL))
    html = read(client.post(URL, details(trust, roles=["learner", "trust_admin"])))
    assert "Only a Trust administrator can make someone a Trust administrator" in html
    assert not User.objects.filter(email="nia.roberts@example.org").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "nia.roberts"}, "email", "Enter an email address in the correct format"),
        ({"email": ""}, "email", "Enter an email address"),
        ({"full_name": ""}, "full_name", "Enter a full name"),
        (
            {"registration_number": "1234567"},
            "registration_number",
            "Enter an NMC PIN in the correct format",
        ),
        ({"registration_number": ""}, "registration_number", "Enter their registration number"),
        (
            {"registration_body": ""},
            "registration_body",
            "Select the register their number is on",
        ),
        ({"roles": None}, "roles", "Choose at least one role"),
        ({"roles": ["surgeon"]}, "roles", "Choose roles from the list"),
        ({"unit": "999999"}, "unit", "Choose a unit from the list"),
    ],
)
def test_each_bad_input_is_explained_and_nothing_typed_is_lost(
    client_for, trust, trust_admin, changes, field, message
):
    response = client_for(trust_admin).post(URL, details(trust, **changes))
    html = read(response)
    assert response.status_code == 200
    assert "<title>Error: Register a person" in html
    assert "There is a problem" in html
    assert message in html
    assert f'href="#id_{field}"' in html
    assert 'value="Staff Nurse"' in html
    assert not User.objects.filter(email="nia.roberts@example.org").exists()


def test_a_unit_of_another_trust_is_refused(client_for, trust, other_trust, trust_admin):
    html = read(client_for(trust_admin).post(URL, details(trust, unit=other_trust.units[0].pk)))
    assert "Choose a unit from the list" in html
    assert not User.objects.filter(email="nia.roberts@example.org").exists()


def test_someone_already_in_the_trust_is_a_clear_error(client_for, trust, trust_admin, learner):
    response = client_for(trust_admin).post(URL, details(trust, email=learner.email.upper()))
    html = read(response)
    assert response.status_code == 200
    assert f"{learner.email} is already a member of {trust.name}" in html
    assert 'href="#id_email"' in html
    assert learner.memberships.count() == 1
    assert not MembershipEvent.objects.filter(kind=MembershipEvent.Kind.INVITED).exists()
