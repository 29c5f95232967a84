"""Shared by the Moving Trust tests: the persona learner joins the other persona Trust (the
"new" Trust, with its own educator and assessor, offering the same framework), and a third
Trust where the learner never was."""

import pytest
from django.urls import reverse

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory, TrustFactory, UnitFactory
from stepwise.progress.services.moving import enrolment_move_trust


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


def move(enrolment, trust, educator, *, assessors=(), by=None):
    return enrolment_move_trust(
        enrolment=enrolment,
        trust=trust,
        educator=educator,
        assessors=list(assessors),
        by=by or educator,
    )


def prior_url(membership) -> str:
    return reverse("progress:prior_record", args=[membership.pk])


def move_url(membership, enrolment) -> str:
    return reverse("progress:move_trust", args=[membership.pk, enrolment.pk])


def away_url(enrolment) -> str:
    return reverse("progress:moved_away_enrolment", args=[enrolment.pk])


AWAY_LIST = "progress:moved_away"
