"""Self-registration must never change an account that exists, and an invited account gets
its password only through its invitation link (issue 14, point 2)."""

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db.models import QuerySet
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.models import AccessLink, SelfRegistration, User
from stepwise.accounts.services import PersonDetails, self_registration_confirm
from stepwise.accounts.tests.factories import PersonFactory
from stepwise.organisations.joining import person_register
from stepwise.organisations.models import Membership, Role

VICTIM = "dana.reyes@example.org"
ATTACKER_PASSWORD = "attacker-chose-this-99"
INVITED_PASSWORD = "dana-sets-her-own-42"


def links_in_mail(marker: str) -> list[str]:
    return [
        path
        for message in mail.outbox
        for path in re.findall(rf"https?://[^/\s]+({marker}\S+)", message.body)
    ]


def attacker_registers(
    client, trust, email, full_name="Mallory Attacker", password=ATTACKER_PASSWORD
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("organisations:register", args=[trust.registration_code]),
            {
                "full_name": full_name,
                "email": email,
                "job_title": "",
                "unit": trust.units[0].pk,
                "registration_body": "NMC",
                "registration_number": "99Z9999Z",
                "new_password": password,
                "confirm_password": password,
            },
        )


def sign_in(client, email, password):
    client.logout()
    client.post(reverse("accounts:sign_in"), {"email": email, "password": password})
    return client.session.get("_auth_user_id")


def test_self_registration_cannot_take_over_an_invited_account(client, trust, trust_admin):
    # A Trust administrator registers Dana as educator and assessor: no password yet.
    with TestCase.captureOnCommitCallbacks(execute=True):
        person_register(
            details=PersonDetails(
                full_name="Dana Reyes",
                email=VICTIM,
                registration_body="NMC",
                registration_number="12A3456B",
            ),
            trust=trust,
            unit=None,
            roles=[Role.EDUCATOR, Role.ASSESSOR],
            by=trust_admin,
        )
    [invitation] = links_in_mail("/invitation/")
    before = User.objects.get(email=VICTIM)

    # An attacker registers through the Trust's link with Dana's address.
    response = attacker_registers(client, trust, VICTIM.upper())
    assert response.status_code == 302

    # Every confirmation link in Dana's mail is opened (a mail scanner) and even confirmed.
    for path in links_in_mail("/confirm-email/"):
        client.get(path)
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(path, {"password": ATTACKER_PASSWORD})

    # The attacker cannot sign in, and Dana's account is as the administrator made it.
    assert sign_in(client, VICTIM, ATTACKER_PASSWORD) is None
    after = User.objects.get(email=VICTIM)
    assert (after.full_name, after.registration, after.password, after.email_verified_at) == (
        before.full_name,
        before.registration,
        before.password,
        None,
    )
    assert not after.has_usable_password()
    assert User.objects.count() == 2  # Dana and the administrator: no second account

    # Dana still sets her password through her invitation, and signs in with it.
    client.post(
        invitation, {"new_password": INVITED_PASSWORD, "confirm_password": INVITED_PASSWORD}
    )
    assert sign_in(client, VICTIM, INVITED_PASSWORD) == str(after.pk)
    assert sign_in(client, VICTIM, ATTACKER_PASSWORD) is None


def invite(trust, by, email=VICTIM):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return person_register(
            details=PersonDetails(full_name="Dana Reyes", email=email),
            trust=trust,
            unit=None,
            roles=[Role.LEARNER],
            by=by,
        ).person


def account(email) -> dict:
    return User.objects.filter(email=email).values().get()


def check_your_email(client, response, email) -> str:
    assert response.status_code == 302
    page = client.get(response.url).content.decode().replace(email, "EMAIL")
    return page[page.index("<main") : page.index("</main>")]


@pytest.mark.parametrize("kind", ["signs in", "invited", "invitation expired"])
def test_a_known_address_changes_nothing_and_is_answered_like_a_new_one(
    client, trust, other_learner, trust_admin, kind
):
    if kind == "signs in":
        email = other_learner.email
    else:
        email = invite(trust, trust_admin).email
        if kind == "invitation expired":
            AccessLink.objects.update(expires_at=timezone.now())
    before = account(email)
    mail.outbox.clear()

    known = check_your_email(client, attacker_registers(client, trust, email), email)
    stranger = Client()
    new_address = attacker_registers(stranger, trust, "new@example.org")
    new = check_your_email(stranger, new_address, "new@example.org")

    assert known == new
    assert account(email) == before
    assert [r.email for r in SelfRegistration.objects.all()] == ["new@example.org"]
    # The owner hears that someone tried, and gets no link that could change the account.
    [notice] = [m for m in mail.outbox if m.to == [email]]
    assert notice.subject == "Someone tried to register on Stepwise with your email address"
    assert f"register with {trust.name}" in notice.body
    assert "/confirm-email/" not in notice.body and "/invitation/" not in notice.body
    signs_in = "/sign-in/" in notice.body and "/password-reset/" in notice.body
    assert signs_in == (kind == "signs in")
    assert ("use the link in your invitation email" in notice.body) == (kind == "invited")
    assert ("send you a new invitation" in notice.body) == (kind == "invitation expired")


def test_an_address_that_gets_an_account_before_confirming_is_left_alone(
    client, trust, trust_admin
):
    # Someone registers a new address, then staff register that person before it is confirmed.
    attacker_registers(client, trust, VICTIM)
    [path] = links_in_mail("/confirm-email/")
    invite(trust, trust_admin)
    before = account(VICTIM)

    with TestCase.captureOnCommitCallbacks(execute=True):
        page = client.post(path, {"password": ATTACKER_PASSWORD}).content.decode()

    assert "You already have an account" in page
    assert account(VICTIM) == before
    registration = SelfRegistration.objects.get()
    assert registration.state == SelfRegistration.State.ACCOUNT_EXISTED
    assert (registration.person, registration.password) == (None, "")
    assert Membership.objects.filter(person__email=VICTIM).count() == 1  # staff's only


def test_of_two_registrations_of_one_address_only_the_newest_can_be_confirmed(client, trust):
    attacker_registers(client, trust, VICTIM)
    attacker_registers(client, trust, VICTIM, full_name="Dana Reyes", password=INVITED_PASSWORD)
    first, second = links_in_mail("/confirm-email/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        page = client.post(first, {"password": ATTACKER_PASSWORD}).content.decode()
    assert "This link has expired" in page
    assert not User.objects.filter(email=VICTIM).exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(second, {"password": INVITED_PASSWORD})
    assert account(VICTIM)["full_name"] == "Dana Reyes"
    assert sign_in(client, VICTIM, INVITED_PASSWORD) is not None
    assert sign_in(client, VICTIM, ATTACKER_PASSWORD) is None


def test_the_owner_of_the_address_cannot_be_made_to_confirm_someone_elses_password(client, trust):
    # Someone registers with Dana's address and their own password; Dana follows the link
    # in her mail and confirms with hers: no account is made with the attacker's password.
    attacker_registers(client, trust, VICTIM)
    [path] = links_in_mail("/confirm-email/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        page = client.post(path, {"password": INVITED_PASSWORD}).content.decode()
    assert "The password is not the one you chose when you registered" in page
    assert not User.objects.filter(email=VICTIM).exists()


def test_an_account_made_a_moment_before_confirming_is_not_overwritten(trust, monkeypatch):
    # The address is taken between the service's check and its insert: the database refuses
    # the copy, and the registration records that the address had an account.
    registration, token = SelfRegistration.build(
        details=PersonDetails(full_name="Mallory Attacker", email=VICTIM),
        password_hash=make_password(ATTACKER_PASSWORD),
        trust=trust,
        unit=None,
    )
    registration.save()
    owner = PersonFactory(email=VICTIM)
    with monkeypatch.context() as patch:
        patch.setattr(QuerySet, "exists", lambda _queryset: False)  # the check comes too soon
        confirmed = self_registration_confirm(token=token, password=ATTACKER_PASSWORD)
    assert confirmed.person is None
    assert confirmed.state == SelfRegistration.State.ACCOUNT_EXISTED
    assert SelfRegistration.objects.get().state == SelfRegistration.State.ACCOUNT_EXISTED
    assert User.objects.get(email=VICTIM).password == owner.password
