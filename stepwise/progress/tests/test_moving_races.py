"""Moving an enrolment with real threads, on whichever database the suite runs on: two
educators proposing at once make one proposal; the learner confirming twice at once (a double
click, two tabs), or confirming two Trusts' proposals at once, moves it once; the other is
told what happened, and everything is recorded once."""

# The shared fixtures of moving_support are imported here, then named as test arguments.
# ruff: noqa: F811

import pytest

from stepwise.core.errors import ConflictError
from stepwise.core.tests.concurrency import at_once
from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Enrolment, EnrolmentEvent, MoveProposal, MoveProposalEvent
from stepwise.progress.services.moving import enrolment_move_confirm
from stepwise.progress.states import EnrolmentEventKind

from .moving_support import (  # noqa: F401 - fixtures
    joined,
    new_educator,
    new_offer,
    propose,
    third_educator,
    third_trust,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_educators_proposing_it_at_once(
    enrolment, other_trust, joined, new_educator, new_offer
):
    colleague = MembershipFactory(trust=other_trust, is_educator=True).person

    def proposing(by):
        # Each educator's page loaded the enrolment before either pressed the button.
        loaded = Enrolment.objects.get(pk=enrolment.pk)
        return lambda: propose(loaded, other_trust, by)

    results, errors = at_once(proposing(new_educator), proposing(colleague))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    proposal = MoveProposal.objects.get()
    assert f"{proposal.proposed_by.full_name} proposed moving this enrolment" in str(errors[0])
    assert MoveProposalEvent.objects.count() == 1
    enrolment.refresh_from_db()
    assert enrolment.trust != other_trust


def test_the_learner_confirming_twice_at_once(
    enrolment, learner, other_trust, joined, new_educator, new_offer
):
    proposal = propose(enrolment, other_trust, new_educator)
    loaded = [MoveProposal.objects.get(pk=proposal.pk) for _ in range(2)]
    results, errors = at_once(
        lambda: enrolment_move_confirm(proposal=loaded[0], by=learner),
        lambda: enrolment_move_confirm(proposal=loaded[1], by=learner),
    )
    assert len(results) == 1 and len(errors) == 1
    assert f"already confirmed by {learner.full_name} on" in str(errors[0])
    event = EnrolmentEvent.objects.get(kind=EnrolmentEventKind.MOVED_TRUST)
    assert event.actor == learner
    enrolment.refresh_from_db()
    assert enrolment.trust == other_trust and enrolment.educator == new_educator


def test_confirming_two_trusts_proposals_at_once(
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
    to_other = propose(enrolment, other_trust, new_educator)
    to_third = propose(enrolment, third_trust, third_educator)
    results, errors = at_once(
        lambda: enrolment_move_confirm(proposal=to_other, by=learner),
        lambda: enrolment_move_confirm(proposal=to_third, by=learner),
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    EnrolmentEvent.objects.get(kind=EnrolmentEventKind.MOVED_TRUST)
    enrolment.refresh_from_db()
    assert enrolment.trust == results[0].trust
    # The proposal that lost lapsed with the move: it says so, and nothing else moved.
    states = set(MoveProposal.objects.values_list("state", flat=True))
    assert states == {MoveProposal.State.CONFIRMED, MoveProposal.State.WITHDRAWN}
    assert "already withdrawn" in str(errors[0])
