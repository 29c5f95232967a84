"""Shared by the Moving Trust tests: the persona learner joins the other persona Trust (the
"new" Trust, with its own educator and assessor, offering the same framework), and a third
Trust where the learner never was."""

import pytest
from django.urls import reverse

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory, TrustFactory, UnitFactory
from stepwise.progress.services.moving import enrolment_move_confirm, enrolment_move_propose


@pytest.fixture
def joined(learner, other_trust):
    """The learner's membership of the new Trust: they have joined it as a learner."""
    return MembershipFactory(
        person=learner, trust=other_trust, unit=other_trust.units[0], is_learner=True
    )


@pytest.fixture
def new_educator(other_trust):
    return MembershipFactory(trust=other_trust, is_educator=True, is_assessor=True).person


@pytest.fixture
def new_assessor(other_trust):
    return MembershipFactory(trust=other_trust, unit=other_trust.units[0], is_assessor=True).person


@pytest.fixture
def new_offer(other_trust, version):
    return TrustFramework.objects.create(trust=other_trust, framework=version.framework)


@pytest.fixture
def third_trust(db):
    trust = TrustFactory(name="Hillside Community Health NHS Trust")
    trust.units = [UnitFactory(parent=trust, name="High Dependency Unit")]
    return trust


@pytest.fixture
def third_educator(third_trust):
    return MembershipFactory(trust=third_trust, is_educator=True, is_trust_admin=True).person


def propose(enrolment, trust, educator, *, assessors=(), by=None):
    """An educator of `trust` (the new educator unless `by`) proposes the move."""
    return enrolment_move_propose(
        enrolment=enrolment,
        trust=trust,
        educator=educator,
        assessors=list(assessors),
        by=by or educator,
    )


def move(enrolment, trust, educator, *, assessors=(), by=None):
    """The whole move: proposed by an educator of `trust`, confirmed by the learner."""
    proposal = propose(enrolment, trust, educator, assessors=assessors, by=by)
    moved = enrolment_move_confirm(proposal=proposal, by=enrolment.learner)
    enrolment.refresh_from_db()
    return moved


def prior_url(membership) -> str:
    return reverse("progress:prior_record", args=[membership.pk])


def move_url(membership, enrolment) -> str:
    return reverse("progress:move_trust", args=[membership.pk, enrolment.pk])


def proposal_url(proposal, action: str = "") -> str:
    """The learner's page about a proposed move, or its `confirm` or `decline` action."""
    return reverse(f"progress:move_{action or 'proposal'}", args=[proposal.pk])


def away_url(enrolment) -> str:
    return reverse("progress:moved_away_enrolment", args=[enrolment.pk])


AWAY_LIST = "progress:moved_away"
