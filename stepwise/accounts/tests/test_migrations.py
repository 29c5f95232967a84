"""Registrations made before SelfRegistration existed move across when the migration runs.
People are made with the historical User of the schema migrated to, since the current one may
have columns added later; the test ends at the latest schema."""

import pytest
from django.contrib.auth.hashers import is_password_usable, make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase
from django.urls import reverse

from stepwise.accounts.models import AccessLink, SelfRegistration, User
from stepwise.accounts.tests.factories import TEST_PASSWORD
from stepwise.organisations.models import Membership
from stepwise.organisations.tests.factories import MembershipFactory

BEFORE = [("accounts", "0002_initial")]
AFTER = [("accounts", "0004_move_unconfirmed_registrations")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def people_at(targets):
    """The User model as it was at `targets`."""
    state = MigrationExecutor(connection).loader.project_state(targets)
    return state.apps.get_model("accounts", "User")


def person_at(targets, **fields) -> User:
    """A person saved with the schema of `targets`, as a (current) User holding only the pk."""
    fields.setdefault("password", make_password(TEST_PASSWORD))
    old = people_at(targets).objects.create(**fields)
    return User(pk=old.pk)


@pytest.mark.django_db(transaction=True)
def test_old_registrations_move_across_and_overwritten_invitations_lose_the_password(
    client, trust, learner
):
    migrate(BEFORE)
    try:
        _registrations_move_across(client, trust, learner)
    finally:
        migrate(latest())


def _registrations_move_across(client, trust, learner):
    # Registered through the Trust's link and not confirmed yet: an account with a password.
    waiting = person_at(
        BEFORE, email="waiting@example.org", full_name="Wan Ting", email_verified_at=None
    )
    _link, token = AccessLink.issue(
        person=waiting,
        purpose=AccessLink.Purpose.EMAIL_VERIFICATION,
        trust=trust,
        unit=trust.units[1],
    )
    # Invited, then self-registration put a stranger's password on the account.
    invited = person_at(BEFORE, email="invited@example.org", full_name="Ifan Evans")
    MembershipFactory(person=invited, trust=trust, is_educator=True)
    people_at(BEFORE).objects.filter(pk=invited.pk).update(email_verified_at=None)
    AccessLink.issue(person=invited, purpose=AccessLink.Purpose.INVITATION, trust=trust)
    learner_before = people_at(BEFORE).objects.filter(pk=learner.pk).values().get()

    migrate(AFTER)

    assert not people_at(AFTER).objects.filter(email="waiting@example.org").exists()
    registration = SelfRegistration.objects.get()
    assert (registration.email, registration.full_name, registration.unit) == (
        "waiting@example.org",
        "Wan Ting",
        trust.units[1],
    )
    assert registration.state == SelfRegistration.State.WAITING
    assert not is_password_usable(people_at(AFTER).objects.get(pk=invited.pk).password)
    assert people_at(AFTER).objects.filter(pk=learner.pk).values().get() == learner_before

    # The link already in Wan Ting's mailbox still works, with the password she chose, once
    # every migration has run.
    migrate(latest())
    path = reverse("organisations:confirm_email", args=[token])
    assert "Wan Ting" in client.get(path).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        confirmed = client.post(path, {"password": TEST_PASSWORD})
        assert "Email address confirmed" in confirmed.content.decode()
    person = User.objects.get(email="waiting@example.org")
    assert person.check_password(TEST_PASSWORD)
    assert Membership.objects.get(person=person).unit == trust.units[1]
