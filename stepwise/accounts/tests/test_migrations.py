"""Registrations made before SelfRegistration existed move across when the migration runs."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase
from django.urls import reverse

from stepwise.accounts.models import AccessLink, SelfRegistration, User
from stepwise.accounts.tests.factories import TEST_PASSWORD, PersonFactory
from stepwise.organisations.models import Membership
from stepwise.organisations.tests.factories import MembershipFactory

BEFORE = [("accounts", "0002_initial")]
AFTER = [("accounts", "0004_move_unconfirmed_registrations")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_old_registrations_move_across_and_overwritten_invitations_lose_the_password(
    client, trust, learner
):
    migrate(BEFORE)
    # Registered through the Trust's link and not confirmed yet: an account with a password.
    waiting = PersonFactory(
        email="waiting@example.org", full_name="Wan Ting", email_verified_at=None
    )
    _link, token = AccessLink.issue(
        person=waiting,
        purpose=AccessLink.Purpose.EMAIL_VERIFICATION,
        trust=trust,
        unit=trust.units[1],
    )
    # Invited, then self-registration put a stranger's password on the account.
    invited = MembershipFactory(trust=trust, is_educator=True).person
    User.objects.filter(pk=invited.pk).update(email_verified_at=None)
    AccessLink.issue(person=invited, purpose=AccessLink.Purpose.INVITATION, trust=trust)
    learner_before = User.objects.filter(pk=learner.pk).values().get()

    migrate(AFTER)

    assert not User.objects.filter(email="waiting@example.org").exists()
    registration = SelfRegistration.objects.get()
    assert (registration.email, registration.full_name, registration.unit) == (
        "waiting@example.org",
        "Wan Ting",
        trust.units[1],
    )
    assert registration.state == SelfRegistration.State.WAITING
    assert not User.objects.get(pk=invited.pk).has_usable_password()
    assert User.objects.filter(pk=learner.pk).values().get() == learner_before

    # The link already in Wan Ting's mailbox still works, with the password she chose.
    path = reverse("organisations:confirm_email", args=[token])
    assert "Wan Ting" in client.get(path).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        confirmed = client.post(path, {"password": TEST_PASSWORD})
        assert "Email address confirmed" in confirmed.content.decode()
    person = User.objects.get(email="waiting@example.org")
    assert person.check_password(TEST_PASSWORD)
    assert Membership.objects.get(person=person).unit == trust.units[1]
