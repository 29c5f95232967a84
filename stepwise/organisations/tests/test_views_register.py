"""Registering a person with the Trust."""

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from stepwise.accounts.models import User
from stepwise.notifications.models import Notification
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


def test_someone_with_an_account_elsewhere_is_invited_and_does_not_join(
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
    # Nothing starts until they accept, themselves.
    assert member.state == Membership.State.INVITED
    assert not Membership.objects.current().filter(person=other_learner, trust=trust).exists()
    assert [(e.kind, e.actor, e.to_state) for e in member.events.all()] == [
        (MembershipEvent.Kind.JOIN_INVITED, trust_admin, Membership.State.INVITED)
    ]
    [email] = mail.outbox
    assert email.subject == f"{trust.name} invites you to join it on Stepwise"
    assert "/invitations/" in email.body
    notice = Notification.objects.get(person=other_learner)
    assert notice.url == reverse("organisations:join_invitations")
    assert f"{trust.name} invites you to join as learner" in notice.text
    page = read(response.client.get(response.url))
    assert f"already has a Stepwise account, so we have invited them to join {trust.name}" in page
    assert "Invited, waiting for them to accept" in page


def test_until_they_accept_the_trust_sees_only_their_name_and_email(
    client_for, trust, trust_admin, other_learner
):
    other_learner.job_title = "Senior Staff Nurse"
    other_learner.registration_body, other_learner.registration_number = "NMC", "09B1234D"
    other_learner.save()
    client = client_for(trust_admin)
    client.post(URL, details(trust, email=other_learner.email))
    member = other_learner.memberships.get(trust=trust)
    page = read(client.get(reverse("organisations:person_detail", args=[member.pk])))
    assert other_learner.full_name in page and other_learner.email in page
    assert "09B1234D" not in page and "Senior Staff Nurse" not in page
    assert "Password set" not in page
    assert reverse("progress:prior_record", args=[member.pk]) not in page
    assert client.get(reverse("progress:prior_record", args=[member.pk])).status_code == 404
    # Their number does not find them on the people page either.
    people = read(client.get(reverse("organisations:people"), {"q": "09B1234D"}))
    assert other_learner.email not in people
    assert other_learner.email in read(client.get(reverse("organisations:people")))


def test_sending_the_same_form_twice_shows_the_first_result(
    client_for, trust, trust_admin, django_capture_on_commit_callbacks
):
    client = client_for(trust_admin)
    key = re.search(r'name="form_key" value="([^"]+)"', read(client.get(URL))).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, details(trust, form_key=key))
        second = client.post(URL, details(trust, form_key=key))
    member = Membership.objects.get(person__email="nia.roberts@example.org")
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("organisations:person_detail", args=[member.pk])
    assert "Nia Roberts has been registered" in read(client.get(second.url))
    assert len(mail.outbox) == 1
    assert User.objects.filter(email="nia.roberts@example.org").count() == 1


def test_the_same_form_sent_twice_for_someone_with_an_account_invites_them_once(
    client_for, trust, trust_admin, other_learner, django_capture_on_commit_callbacks
):
    client = client_for(trust_admin)
    data = details(trust, email=other_learner.email, form_key=str(uuid.uuid4()))
    with django_capture_on_commit_callbacks(execute=True):
        first, second = client.post(URL, data), client.post(URL, data)
    assert first.url == second.url
    assert other_learner.memberships.filter(trust=trust).count() == 1
    assert len(mail.outbox) == 1


def test_a_changed_form_sent_again_is_a_new_registration(client_for, trust, trust_admin):
    client = client_for(trust_admin)
    key = str(uuid.uuid4())
    first = client.post(URL, details(trust, form_key=key))
    second = client.post(
        URL, details(trust, form_key=key, email="other.nurse@example.org", full_name="Other")
    )
    assert first.url != second.url
    assert (
        Membership.objects.filter(trust=trust, person__email__endswith="@example.org")
        .filter(person__email__in=["nia.roberts@example.org", "other.nurse@example.org"])
        .count()
        == 2
    )


def test_without_the_forms_key_a_second_sending_is_a_clear_error(client_for, trust, trust_admin):
    client = client_for(trust_admin)
    client.post(URL, details(trust))
    html = read(client.post(URL, details(trust)))
    assert "nia.roberts@example.org is already a member of" in html
    assert Membership.objects.filter(person__email="nia.roberts@example.org").count() == 1


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


def test_someone_already_invited_is_a_clear_error(client_for, trust, trust_admin, other_learner):
    client = client_for(trust_admin)
    client.post(URL, details(trust, email=other_learner.email))
    html = read(client.post(URL, details(trust, email=other_learner.email)))
    assert (
        f"{other_learner.email} was invited to join {trust.name} by {trust_admin.full_name} on"
    ) in html
    assert "has not answered yet" in html
    assert other_learner.memberships.filter(trust=trust).count() == 1
