"""Moving an enrolment with real threads, on whichever database the suite runs on: exactly one
move wins, the other educator is told who moved it and when, and it is recorded once."""

# The shared fixtures of moving_support are imported here, then named as test arguments.
# ruff: noqa: F811

import pytest

from stepwise.core.errors import ConflictError
from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Enrolment, EnrolmentEvent
from stepwise.progress.states import EnrolmentEventKind

from .moving_support import (  # noqa: F401 - fixtures
    joined,
    move,
    new_educator,
    new_offer,
    third_educator,
    third_trust,
)
from .test_races import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_educators_moving_it_at_once(enrolment, other_trust, joined, new_educator, new_offer):
    colleague = MembershipFactory(trust=other_trust, is_educator=True).person

    def moving(by):
        # Each educator's page loaded the enrolment before either pressed the button.
        loaded = Enrolment.objects.get(pk=enrolment.pk)
        return lambda: move(loaded, other_trust, by)

    results, errors = at_once(moving(new_educator), moving(colleague))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    event = EnrolmentEvent.objects.get(kind=EnrolmentEventKind.MOVED_TRUST)
    assert f"already at {other_trust.name}" in str(errors[0])
    assert f"by {event.actor.full_name} on" in str(errors[0])
    enrolment.refresh_from_db()
    assert enrolment.trust == other_trust and enrolment.educator == event.actor


def test_two_trusts_moving_it_at_once(
    enrolment,
    learner,
    version,
    other_trust,
    third_trust,
    joined,
    new_educator,
    third_educator,
    new_offer,
):
    MembershipFactory(person=learner, trust=third_trust, is_learner=True)
    TrustFramework.objects.create(trust=third_trust, framework=version.framework)
    loaded = [Enrolment.objects.get(pk=enrolment.pk) for _ in range(2)]
    results, errors = at_once(
        lambda: move(loaded[0], other_trust, new_educator),
        lambda: move(loaded[1], third_trust, third_educator),
    )
    assert len(results) == 1 and len(errors) == 1
    event = EnrolmentEvent.objects.get(kind=EnrolmentEventKind.MOVED_TRUST)
    enrolment.refresh_from_db()
    assert enrolment.trust == results[0].trust
    assert f"moved to {enrolment.trust.name} by {event.actor.full_name}" in str(errors[0])
