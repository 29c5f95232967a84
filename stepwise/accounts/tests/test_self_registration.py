import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from stepwise.accounts.models import AccessLink, User
from stepwise.organisations.models import Membership, MembershipEvent, Role

PASSWORD = "a-long-new-password-42"


def form_data(trust, **changes):
    data = {
        "full_name": "Iris Novak",
        "email": "Iris.Novak@Example.org",
        "job_title": "Staff Nurse",
        "unit": trust.units[0].pk,
        "registration_body": "NMC",
        "registration_number": "34c5678d",
        "new_password": PASSWORD,
        "confirm_password": PASSWORD,
    }
    data.update(changes)
    return data


def register(client, trust, **changes):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("organisations:register", args=[trust.registration_code]),
            form_data(trust, **changes),
        )


def confirmation_path(message) -> str:
    return message.body[message.body.index("/confirm-email/") :].split()[0]


def test_it_registers_through_the_trust_link_and_waits_for_approval(client, trust, trust_admin):
    response = register(client, trust)
    assert response.url == reverse(
        "organisations:register_check_email", args=[trust.registration_code]
    )
    person = User.objects.get(email="iris.novak@example.org")
    assert person.registration_number == "34C5678D"
    assert person.email_verified_at is None
    assert not Membership.objects.filter(person=person).exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        page = client.get(confirmation_path(mail.outbox[0])).content.decode()
    assert "Email address confirmed" in page
    membership = Membership.objects.get(person=person)
    assert membership.state == Membership.State.AWAITING_APPROVAL
    assert membership.roles == [Role.LEARNER]
    assert membership.unit == trust.units[0]
    assert membership.events.get().kind == MembershipEvent.Kind.REGISTERED
    # The Trust administrators hear about it.
    assert mail.outbox[-1].to == [trust_admin.email]


def test_a_trust_without_approval_lets_people_start_at_once(client, trust):
    trust.registration_requires_approval = False
    trust.save()
    register(client, trust)
    client.get(confirmation_path(mail.outbox[0]))
    assert Membership.objects.get().state == Membership.State.ACTIVE


def test_an_existing_account_is_not_revealed_and_joins_after_confirming(
    client, trust, other_learner
):
    response = register(
        client,
        trust,
        email=other_learner.email,
        new_password="x-other-pass-123",
        confirm_password="x-other-pass-123",
    )
    assert response.status_code == 302  # the same "check your email" as anyone else
    other_learner.refresh_from_db()
    assert not other_learner.check_password("x-other-pass-123")
    client.get(confirmation_path(mail.outbox[0]))
    assert other_learner.memberships.filter(trust=trust).exists()


def test_a_confirmation_link_works_once(client, trust):
    register(client, trust)
    path = confirmation_path(mail.outbox[0])
    client.get(path)
    html = client.get(path).content.decode()
    assert "already been used" in html
    assert Membership.objects.count() == 1


def test_a_wrong_registration_code_is_not_found(client, trust):
    response = client.get(reverse("organisations:register", args=["not-the-code"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_rotated_code_stops_working(client, trust, trust_admin):
    from stepwise.organisations.services import trust_rotate_registration_code

    old = trust.registration_code
    trust_rotate_registration_code(trust=trust, by=trust_admin)
    assert client.get(reverse("organisations:register", args=[old])).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"full_name": ""}, "Enter a full name"),
        ({"registration_number": "1234567"}, "Enter an NMC PIN in the correct format"),
        ({"registration_body": ""}, "Select the register your number is on"),
        ({"confirm_password": "different-password-1"}, "The passwords do not match"),
        ({"new_password": "password", "confirm_password": "password"}, "too common"),
        ({"unit": "999999"}, "Choose a unit from the list"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_created(client, trust, changes, message):
    response = register(client, trust, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert message in html
    assert "<title>Error:" in html
    assert not User.objects.exists()
    assert not AccessLink.objects.exists()
    assert mail.outbox == []


def test_another_trusts_unit_cannot_be_chosen(client, trust, other_trust):
    response = register(client, trust, unit=other_trust.units[0].pk)
    assert "Choose a unit from the list" in response.content.decode()
