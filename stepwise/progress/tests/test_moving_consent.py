"""Moving Trust needs the learner's own confirmation: an educator's proposal moves nothing;
the learner sees what would move and confirms or declines it, themselves, and nobody else
can; each step is recorded."""

# The shared fixtures of moving_support are imported here, then named as test arguments.
# ruff: noqa: F811

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from stepwise.core import formatting
from stepwise.core.errors import ConflictError
from stepwise.frameworks.models import TrustFramework
from stepwise.notifications.models import Notification
from stepwise.organisations.invitations import membership_refuse, membership_withdraw_invitation
from stepwise.organisations.models import Membership, MembershipEvent, Role
from stepwise.organisations.services import membership_create, membership_end
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import EnrolmentEvent, MoveProposal, MoveProposalEvent
from stepwise.progress.queries import prior_record as prior
from stepwise.progress.services import enrolment_withdraw, evidence_add
from stepwise.progress.services.moving import (
    enrolment_move_confirm,
    enrolment_move_decline,
    enrolment_move_withdraw,
)
from stepwise.progress.states import EnrolmentEventKind

from .learner_support import upload
from .moving_support import (  # noqa: F401 - fixtures
    joined,
    move_url,
    new_assessor,
    new_educator,
    new_offer,
    proposal_url,
    propose,
    third_educator,
    third_trust,
)
from .staff_helpers import ask, read, records


def moved(enrolment) -> bool:
    return EnrolmentEvent.objects.filter(
        enrolment=enrolment, kind=EnrolmentEventKind.MOVED_TRUST
    ).exists()


@pytest.fixture
def proposal(enrolment, other_trust, joined, new_educator, new_assessor, new_offer):
    return propose(enrolment, other_trust, new_educator, assessors=[new_assessor])


class TestProposing:
    def test_a_proposal_moves_nothing_and_asks_the_learner(
        self,
        client_for,
        enrolment,
        learner,
        trust,
        educator,
        other_trust,
        joined,
        new_educator,
        new_offer,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            proposal = propose(enrolment, other_trust, new_educator)
        enrolment.refresh_from_db()
        assert enrolment.trust == trust and enrolment.educator == educator
        assert not moved(enrolment)
        # The Trust the learner is at still has the enrolment, as before.
        manage = reverse("progress:enrolment_manage", args=[enrolment.pk])
        assert client_for(educator).get(manage).status_code == 200
        notice = Notification.objects.filter(person=learner).latest("pk")
        assert notice.url == proposal_url(proposal)
        assert "It moves only if you confirm" in notice.text
        [email] = [m for m in mail.outbox if m.to == [learner.email]]
        assert proposal_url(proposal) in email.body
        event = proposal.events.get()
        assert (event.kind, event.actor) == (MoveProposalEvent.Kind.PROPOSED, new_educator)

    def test_the_old_trust_does_not_see_the_proposal(
        self, client_for, enrolment, educator, proposal
    ):
        manage = read(
            client_for(educator).get(reverse("progress:enrolment_manage", args=[enrolment.pk]))
        )
        assert "propos" not in manage.lower()


class TestTheLearnersPage:
    def test_it_shows_what_moves_where_and_what_is_withdrawn(
        self, client_for, enrolment, learner, assessor, proposal, other_trust, new_educator
    ):
        first, second = records(enrolment)[:2]
        evidence_add(record=first, by=learner, upload=upload("airway.pdf"))
        ask(enrolment, [second], assessor=assessor)
        html = read(client_for(learner).get(proposal_url(proposal)))
        assert f"{other_trust.name} proposes moving your {enrolment.version} enrolment" in html
        assert new_educator.full_name in html
        assert "Your enrolment, with its" in html and "Your evidence: 1 file" in html
        assert "1 request for confirmation waiting at" in html
        assert "keeps seeing what happened while you were there" in html
        assert f'action="{proposal_url(proposal, "confirm")}"' in html
        assert f'action="{proposal_url(proposal, "decline")}"' in html

    def test_home_links_to_it_until_it_is_answered(
        self, client_for, learner, proposal, other_trust, new_educator
    ):
        client = client_for(learner)
        html = read(client.get(reverse("core:home")))
        assert f"{other_trust.name} proposes moving your" in html
        assert f'href="{proposal_url(proposal)}"' in html
        assert proposal_url(proposal) not in read(
            client_for(new_educator).get(reverse("core:home"))
        )
        client_for(learner).post(proposal_url(proposal, "decline"))
        assert proposal_url(proposal) not in read(client.get(reverse("core:home")))

    def test_it_is_the_learners_alone(
        self, client, client_for, proposal, new_educator, educator, other_learner
    ):
        response = client.get(proposal_url(proposal))
        assert response.status_code == 302 and reverse("accounts:sign_in") in response.url
        for someone in (new_educator, educator, other_learner):
            client = client_for(someone)
            assert client.get(proposal_url(proposal)).status_code == 404
            assert client.post(proposal_url(proposal, "confirm")).status_code == 404
            assert client.post(proposal_url(proposal, "decline")).status_code == 404
        proposal.refresh_from_db()
        assert proposal.state == MoveProposal.State.WAITING
        assert not moved(proposal.enrolment)

    def test_confirm_and_decline_are_posts(self, client_for, learner, proposal):
        client = client_for(learner)
        assert client.get(proposal_url(proposal, "confirm")).status_code == 405
        assert client.get(proposal_url(proposal, "decline")).status_code == 405
        assert not moved(proposal.enrolment)

    def test_confirming_moves_it_and_says_so(
        self, client_for, enrolment, learner, proposal, other_trust, new_educator
    ):
        client = client_for(learner)
        response = client.post(proposal_url(proposal, "confirm"), follow=True)
        assert f"enrolment has moved to {other_trust.name}" in read(response)
        enrolment.refresh_from_db()
        assert enrolment.trust == other_trust
        proposal.refresh_from_db()
        assert (proposal.state, proposal.decided_by) == (MoveProposal.State.CONFIRMED, learner)
        assert proposal.events.filter(kind=MoveProposalEvent.Kind.CONFIRMED, actor=learner)
        assert Notification.objects.filter(person=new_educator, text__contains="confirmed")
        assert "You confirmed this move on" in read(client.get(proposal_url(proposal)))

    def test_confirming_twice_says_it_was_already_done(
        self, client_for, enrolment, learner, proposal
    ):
        client = client_for(learner)
        client.post(proposal_url(proposal, "confirm"))
        response = client.post(proposal_url(proposal, "confirm"), follow=True)
        assert f"already confirmed by {learner.full_name} on" in read(response)
        assert EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.MOVED_TRUST).count() == 1

    def test_declining_moves_nothing_and_tells_the_educator(
        self, client_for, enrolment, learner, trust, proposal, new_educator
    ):
        response = client_for(learner).post(proposal_url(proposal, "decline"), follow=True)
        assert "You have declined moving your" in read(response)
        enrolment.refresh_from_db()
        assert enrolment.trust == trust and not moved(enrolment)
        proposal.refresh_from_db()
        assert proposal.state == MoveProposal.State.DECLINED
        assert proposal.events.filter(kind=MoveProposalEvent.Kind.DECLINED, actor=learner)
        assert Notification.objects.filter(person=new_educator, text__contains="declined")
        # The Trust may ask again later.
        again = propose(enrolment, proposal.to_trust, new_educator)
        assert again.state == MoveProposal.State.WAITING


class TestNobodyElseConfirms:
    @pytest.mark.parametrize("who", ["proposer", "old educator", "new assessor"])
    def test_only_the_learner_confirms_or_declines(
        self, who, proposal, educator, new_educator, new_assessor
    ):
        by = {"proposer": new_educator, "old educator": educator, "new assessor": new_assessor}
        with pytest.raises(ConflictError, match="Only the learner can confirm"):
            enrolment_move_confirm(proposal=proposal, by=by[who])
        with pytest.raises(ConflictError, match="Only the learner can decline"):
            enrolment_move_decline(proposal=proposal, by=by[who])
        proposal.refresh_from_db()
        assert proposal.state == MoveProposal.State.WAITING
        assert not moved(proposal.enrolment)

    def test_a_withdrawn_proposal_cannot_be_confirmed(self, proposal, learner, new_educator):
        enrolment_move_withdraw(proposal=proposal, by=new_educator)
        with pytest.raises(ConflictError, match=f"already withdrawn by {new_educator.full_name}"):
            enrolment_move_confirm(proposal=proposal, by=learner)
        assert not moved(proposal.enrolment)

    def test_only_an_educator_of_the_proposing_trust_withdraws(self, proposal, educator):
        with pytest.raises(ConflictError, match="Only an educator of"):
            enrolment_move_withdraw(proposal=proposal, by=educator)
        proposal.refresh_from_db()
        assert proposal.state == MoveProposal.State.WAITING


class TestConfirmingChecksAgain:
    def test_a_learner_who_left_the_new_trust_meanwhile_is_not_moved(
        self, proposal, learner, joined, trust
    ):
        Membership.objects.filter(pk=joined.pk).update(state=Membership.State.ENDED)
        with pytest.raises(ConflictError, match="is not a learner at"):
            enrolment_move_confirm(proposal=proposal, by=learner)
        proposal.refresh_from_db()
        # Nothing happened: not the move, not the claim on the proposal.
        assert proposal.state == MoveProposal.State.WAITING
        proposal.enrolment.refresh_from_db()
        assert proposal.enrolment.trust == trust

    def test_other_trusts_proposals_lapse_when_one_is_confirmed(
        self, enrolment, learner, version, proposal, third_trust, third_educator
    ):
        MembershipFactory(person=learner, trust=third_trust, is_learner=True)
        TrustFramework.objects.create(trust=third_trust, framework=version.framework)
        other = propose(enrolment, third_trust, third_educator)
        enrolment_move_confirm(proposal=proposal, by=learner)
        other.refresh_from_db()
        assert other.state == MoveProposal.State.WITHDRAWN
        assert "moved the enrolment to" in other.events.get(kind="withdrawn").note


class TestTheNewTrustBeforeConsent:
    def test_an_unanswered_invitation_elsewhere_is_not_shown_on_the_prior_record(
        self, client_for, enrolment, learner, trust, educator, joined, new_educator
    ):
        # She left Northshire; Northshire invites her back; Riverside reads her record there.
        enrolment_withdraw(enrolment=enrolment, by=educator, note="Moving away")
        membership_end(membership=Membership.objects.get(person=learner, trust=trust), by=educator)
        MembershipFactory(
            person=learner, trust=trust, is_learner=True, state=Membership.State.INVITED
        )
        html = read(
            client_for(new_educator).get(reverse("progress:prior_record", args=[joined.pk]))
        )
        assert f"Left {trust.name} on" in html
        assert "Invited" not in html

    @pytest.mark.parametrize("answer", ["withdrawn", "declined", "ended unanswered"])
    def test_an_invitation_back_that_she_never_accepted_is_not_a_membership(
        self, client_for, enrolment, learner, trust, educator, joined, new_educator, answer
    ):
        # She left Northshire in January; Northshire invites her back, and she never joins.
        enrolment_withdraw(enrolment=enrolment, by=educator, note="Moving away")
        left = membership_end(
            membership=Membership.objects.get(person=learner, trust=trust), by=educator
        )
        Membership.objects.filter(pk=left.pk).update(ended_on=date(2026, 1, 15))
        invitation = membership_create(
            person=learner,
            trust=trust,
            roles=[Role.LEARNER],
            by=educator,
            state=Membership.State.INVITED,
            kind=MembershipEvent.Kind.JOIN_INVITED,
        )
        if answer == "withdrawn":
            membership_withdraw_invitation(membership=invitation, by=educator)
        elif answer == "declined":
            membership_refuse(membership=invitation, by=learner)
        else:
            membership_end(membership=invitation, by=educator)
        assert prior.learner_memberships(learner, [trust.pk]) == {trust.pk: left}
        html = read(
            client_for(new_educator).get(reverse("progress:prior_record", args=[joined.pk]))
        )
        assert f"Left {trust.name} on 15 January 2026" in html
        assert f"Left {trust.name} on {formatting.date(timezone.localdate())}" not in html

    def test_an_invited_learner_has_no_prior_record_to_propose_from(
        self, client_for, enrolment, learner, other_trust, new_educator, new_offer
    ):
        invited = MembershipFactory(
            person=learner,
            trust=other_trust,
            is_learner=True,
            state=Membership.State.INVITED,
        )
        client = client_for(new_educator)
        assert client.get(reverse("progress:prior_record", args=[invited.pk])).status_code == 404
        response = client.post(
            move_url(invited, enrolment), {"educator": new_educator.pk, "agree": "on"}
        )
        assert response.status_code == 404
        assert not MoveProposal.objects.exists() and not moved(enrolment)
