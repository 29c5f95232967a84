"""A nurse moves Trust, by her own consent at each step. Riverside's administrator (also an
educator) registers Northshire's learner: she is only invited, and Riverside sees her name
and email and nothing of her record. She accepts, herself; then Riverside sees her record at
Northshire and proposes moving her open enrolment. It moves only when she confirms it on
her own page, and Northshire keeps seeing what happened while she was there. Every page is
checked with axe."""

import pytest

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.models import Membership
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Enrolment, MoveProposal
from stepwise.progress.tests.conftest import enrolment, offered, version

__all__ = ["enrolment", "offered", "version"]

pytestmark = pytest.mark.browser


@pytest.fixture
def erin(other_trust, version):
    """Riverside's Trust administrator, who is also an educator there; Riverside offers the
    framework the learner is enrolled on at Northshire."""
    TrustFramework.objects.create(trust=other_trust, framework=version.framework)
    return MembershipFactory(
        trust=other_trust, is_trust_admin=True, is_educator=True, is_assessor=True
    ).person


def test_joining_a_trust_and_moving_an_enrolment_each_need_her_own_consent(
    web_for, learner, educator, trust, other_trust, enrolment, erin
):
    # Given Riverside's administrator registers the learner's email address as a learner
    staff = web_for(erin)
    staff.visit("/people/register/")
    staff.fill("Full name", learner.full_name)
    staff.fill("Email address", learner.email)
    staff.choose("Learner")
    staff.submit("Register and send invitation")

    # Then she is only invited: Riverside sees her name and email, and no record of hers
    assert "so we have invited them to join" in staff.banner()
    assert "Invited, waiting for them to accept" in staff.text()
    invited = Membership.objects.get(person=learner, trust=other_trust)
    assert invited.state == Membership.State.INVITED
    assert "record at other Trusts" not in staff.text()
    staff.visit(f"/people/{invited.pk}/prior-record/", status=404)

    # When she signs in, her home page shows the invitation, and she accepts it herself
    nurse = web_for(learner)
    nurse.visit("/")
    assert f"{other_trust.name} invites you to join as learner." in nurse.text()
    nurse.follow("Accept or decline")
    assert nurse.heading() == "Invitations to join a Trust"
    nurse.submit(f"Accept and join {other_trust.name}")
    assert f"You have joined {other_trust.name} as learner" in nurse.banner()

    # Then Riverside sees her record at Northshire, and proposes moving her enrolment
    staff.visit(f"/people/{invited.pk}/")
    staff.follow(f"See {learner.full_name}'s record at other Trusts")
    assert f"{enrolment.version} at {trust.name}" in staff.text()
    staff.submit(f"Propose moving this enrolment to {other_trust.name}")
    staff.submit("Propose the move")
    assert f"We have asked {learner.full_name} to confirm moving" in staff.banner()
    assert f"waiting for {learner.full_name} to confirm" in staff.text()
    assert Enrolment.objects.get(pk=enrolment.pk).trust == trust

    # When she reads what would move, and confirms it herself
    nurse.visit("/")
    nurse.follow("See what would move, then confirm or decline")
    assert nurse.heading().startswith(f"{other_trust.name} proposes moving your")
    assert "Your evidence: 0 files" in nurse.text()
    nurse.submit("Confirm the move")

    # Then it has moved, and she is named as the one who moved it
    assert f"has moved to {other_trust.name}" in nurse.banner()
    moved = Enrolment.objects.get(pk=enrolment.pk)
    assert moved.trust == other_trust and moved.educator == erin
    assert MoveProposal.objects.get().state == MoveProposal.State.CONFIRMED

    # And Northshire's educator still sees what happened while she was there
    old = web_for(educator)
    old.visit("/learners/moved-away/")
    old.follow(learner.full_name)
    assert f"Moved to {other_trust.name}" in old.text()
    assert f"by {learner.full_name}" in old.text()
