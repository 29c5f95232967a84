"""Registering with real threads, on whichever database the suite runs on: the register form
sent twice at the same moment registers once and both sendings get the same membership; two
different forms for the same person at once give one registration and a clear message for
the other, never an IntegrityError."""

import pytest

from stepwise.accounts.models import User
from stepwise.core.errors import ConflictError
from stepwise.core.tests.concurrency import at_once
from stepwise.organisations.joining import person_register
from stepwise.organisations.models import Membership, MembershipEvent, Role
from stepwise.organisations.views.people import PersonDetails

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "6f1c1f0e-3a56-4a3f-9a53-0d3c1c1b2a11"


def registering(trust, by, *, email="nia.roberts@example.org", form_key=KEY):
    return lambda: person_register(
        details=PersonDetails(full_name="Nia Roberts", email=email),
        trust=trust,
        unit=None,
        roles=[Role.LEARNER],
        by=by,
        form_key=form_key,
    )


def test_the_same_form_twice_at_once_registers_a_new_person_once(trust, trust_admin):
    results, errors = at_once(registering(trust, trust_admin), registering(trust, trust_admin))
    assert errors == []
    assert len(results) == 2 and results[0].pk == results[1].pk
    assert User.objects.filter(email="nia.roberts@example.org").count() == 1
    membership = Membership.objects.get(person__email="nia.roberts@example.org")
    assert membership.events.filter(kind=MembershipEvent.Kind.CREATED).count() == 1


def test_the_same_form_twice_at_once_invites_someone_with_an_account_once(
    trust, trust_admin, other_learner
):
    results, errors = at_once(
        registering(trust, trust_admin, email=other_learner.email),
        registering(trust, trust_admin, email=other_learner.email),
    )
    assert errors == []
    assert results[0].pk == results[1].pk
    [membership] = Membership.objects.filter(person=other_learner, trust=trust)
    assert membership.state == Membership.State.INVITED
    assert membership.events.filter(kind=MembershipEvent.Kind.JOIN_INVITED).count() == 1


def test_two_staff_registering_the_same_new_person_at_once(trust, trust_admin, educator):
    results, errors = at_once(
        registering(trust, trust_admin, form_key=None),
        registering(trust, educator, form_key="0b8a3f5e-8c8e-4a7e-9a3c-5b1f0c2d3e4f"),
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    assert "nia.roberts@example.org is already a member of" in str(errors[0])
    assert User.objects.filter(email="nia.roberts@example.org").count() == 1
    assert Membership.objects.filter(person__email="nia.roberts@example.org").count() == 1
