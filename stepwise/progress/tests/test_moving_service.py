"""Moving an enrolment (proposed by an educator of the learner's new Trust, confirmed by the
learner): history is kept at the Trust it happened at; anything that cannot move says why
and changes nothing. The consent itself is tested in test_moving_consent.py."""

# The shared fixtures of moving_support are imported here, then named as test arguments.
# ruff: noqa: F811

import pytest

from stepwise.core.errors import ConflictError
from stepwise.notifications.models import Notification
from stepwise.organisations.models import Membership
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import (
    ConfirmationRequest,
    Decision,
    EnrolmentEvent,
    RecordEvent,
    SignOffRequest,
)
from stepwise.progress.services import (
    enrolment_sign_off,
    enrolment_withdraw,
    sign_off_request,
)
from stepwise.progress.states import (
    EnrolmentEventKind,
    EnrolmentState,
    RecordEventKind,
    RecordState,
)

from .moving_support import (  # noqa: F401 - fixtures
    joined,
    move,
    new_assessor,
    new_educator,
    new_offer,
    third_educator,
    third_trust,
)
from .staff_helpers import PIN, ask, confirm, ready_for_sign_off, records


def moves(enrolment):
    return EnrolmentEvent.objects.filter(enrolment=enrolment, kind=EnrolmentEventKind.MOVED_TRUST)


class TestMoving:
    def test_it_moves_the_enrolment_with_a_new_educator_and_assessors(
        self, enrolment, learner, other_trust, joined, new_educator, new_assessor, new_offer
    ):
        moved = move(enrolment, other_trust, new_educator, assessors=[new_assessor])
        assert moved.trust == other_trust
        assert moved.unit == joined.unit
        assert moved.educator == new_educator
        assert list(moved.assessors.all()) == [new_assessor]
        assert moved.state == EnrolmentState.ACTIVE
        assert moved.version == enrolment.version

    def test_it_records_the_move_at_the_trust_it_left_naming_the_learner(
        self, enrolment, learner, trust, other_trust, joined, new_educator, new_assessor, new_offer
    ):
        move(enrolment, other_trust, new_educator, assessors=[new_assessor])
        event = moves(enrolment).get()
        assert event.trust == trust
        # The learner moved it, by confirming; the educator only proposed.
        assert event.actor == learner
        assert f"From {trust.name} to {other_trust.name}" in event.note
        assert f"confirmed by {learner.full_name} (the learner)" in event.note
        assert f"proposed by {new_educator.full_name} on" in event.note
        assert new_assessor.full_name in event.note

    def test_history_keeps_the_trust_it_happened_at(
        self, enrolment, trust, other_trust, assessor, joined, new_educator, new_offer
    ):
        first, second = records(enrolment)[:2]
        confirm(ask(enrolment, [first], assessor=assessor), assessor, [first])
        before = set(RecordEvent.objects.filter(enrolment=enrolment).values_list("pk", "trust"))
        move(enrolment, other_trust, new_educator)
        after = set(RecordEvent.objects.filter(enrolment=enrolment).values_list("pk", "trust"))
        assert before <= after
        assert Decision.objects.get(record=first).trust == trust
        first.refresh_from_db()
        assert first.state == RecordState.CONFIRMED
        # Work goes on at the new Trust, recorded there.
        confirm(ask(enrolment, [second], assessor=new_educator), new_educator, [second])
        assert Decision.objects.get(record=second).trust == other_trust
        assert ConfirmationRequest.objects.filter(trust=other_trust).count() == 1

    def test_the_learner_is_told(
        self, enrolment, learner, other_trust, joined, new_educator, new_offer
    ):
        move(enrolment, other_trust, new_educator)
        notice = Notification.objects.filter(person=learner).latest("pk")
        assert other_trust.name in notice.text and new_educator.full_name in notice.text

    def test_waiting_confirmation_requests_are_withdrawn_saying_why(
        self, enrolment, trust, other_trust, assessor, joined, new_educator, new_offer
    ):
        waiting = records(enrolment)[:2]
        request = ask(enrolment, waiting, assessor=assessor)
        move(enrolment, other_trust, new_educator)
        request.refresh_from_db()
        assert request.state == ConfirmationRequest.State.WITHDRAWN
        for record in waiting:
            record.refresh_from_db()
            assert record.state == RecordState.ACHIEVED and record.request is None
        events = RecordEvent.objects.filter(kind=RecordEventKind.REQUEST_WITHDRAWN)
        assert events.count() == 2
        for event in events:
            assert event.trust == trust and event.request == request
            assert f"moved from {trust.name} to {other_trust.name}" in event.note
        assert "2 waiting for confirmation withdrawn" in moves(enrolment).get().note

    def test_a_waiting_sign_off_is_withdrawn_and_can_be_asked_again_there(
        self, enrolment, learner, trust, other_trust, assessor, joined, new_educator, new_offer
    ):
        waiting = ready_for_sign_off(enrolment, assessor)
        move(enrolment, other_trust, new_educator)
        waiting.refresh_from_db()
        assert waiting.state == SignOffRequest.State.WITHDRAWN
        assert other_trust.name in waiting.comments
        withdrawn = EnrolmentEvent.objects.get(
            enrolment=enrolment, kind=EnrolmentEventKind.SIGN_OFF_WITHDRAWN
        )
        assert withdrawn.trust == trust
        again = sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
        assert again.educator == new_educator
        certificate = enrolment_sign_off(
            enrolment=enrolment, by=new_educator, declaration_agreed=True, **PIN
        )
        assert certificate.trust_name == other_trust.name

    def test_it_can_move_on_again_and_each_trust_keeps_its_part(
        self,
        enrolment,
        learner,
        trust,
        other_trust,
        third_trust,
        third_educator,
        joined,
        new_educator,
        new_offer,
        version,
    ):
        from stepwise.frameworks.models import TrustFramework

        move(enrolment, other_trust, new_educator)
        MembershipFactory(person=learner, trust=third_trust, is_learner=True)
        TrustFramework.objects.create(trust=third_trust, framework=version.framework)
        move(enrolment, third_trust, third_educator)
        assert [e.trust for e in moves(enrolment).order_by("at", "pk")] == [trust, other_trust]
        enrolment.refresh_from_db()
        assert enrolment.trust == third_trust and enrolment.unit is None


class TestRefusals:
    def assert_unchanged(self, enrolment, trust, educator):
        enrolment.refresh_from_db()
        assert enrolment.trust == trust and enrolment.educator == educator
        assert not moves(enrolment).exists()

    def test_the_learner_must_be_a_learner_at_the_new_trust(
        self, enrolment, learner, trust, educator, other_trust, new_educator, new_offer
    ):
        with pytest.raises(ConflictError, match="is not a learner at"):
            move(enrolment, other_trust, new_educator)
        self.assert_unchanged(enrolment, trust, educator)

    def test_a_member_without_the_learner_role_is_not_enough(
        self, enrolment, learner, trust, educator, other_trust, new_educator, new_offer
    ):
        MembershipFactory(person=learner, trust=other_trust, is_assessor=True)
        with pytest.raises(ConflictError, match="Give them the learner role"):
            move(enrolment, other_trust, new_educator)
        self.assert_unchanged(enrolment, trust, educator)

    def test_an_ended_membership_is_not_enough(
        self, enrolment, trust, educator, other_trust, joined, new_educator, new_offer
    ):
        Membership.objects.filter(pk=joined.pk).update(state=Membership.State.ENDED)
        with pytest.raises(ConflictError, match="is not a learner at"):
            move(enrolment, other_trust, new_educator)
        self.assert_unchanged(enrolment, trust, educator)

    def test_the_new_trust_must_offer_the_framework(
        self, enrolment, trust, educator, other_trust, joined, new_educator
    ):
        with pytest.raises(ConflictError, match=f"{other_trust.name} does not offer"):
            move(enrolment, other_trust, new_educator)
        self.assert_unchanged(enrolment, trust, educator)

    @pytest.mark.parametrize("how", ["withdrawn", "signed off"])
    def test_the_enrolment_must_be_open(
        self,
        how,
        enrolment,
        trust,
        educator,
        assessor,
        other_trust,
        joined,
        new_educator,
        new_offer,
    ):
        if how == "withdrawn":
            enrolment_withdraw(enrolment=enrolment, by=educator, note="Left")
        else:
            ready_for_sign_off(enrolment, assessor)
            enrolment_sign_off(enrolment=enrolment, by=educator, declaration_agreed=True, **PIN)
        with pytest.raises(ConflictError, match=f"This enrolment is {how}, so it cannot move"):
            move(enrolment, other_trust, new_educator)
        self.assert_unchanged(enrolment, trust, educator)

    def test_moving_twice_says_who_moved_it(
        self, enrolment, learner, other_trust, joined, new_educator, new_offer
    ):
        move(enrolment, other_trust, new_educator)
        stale = type(enrolment).objects.get(pk=enrolment.pk)
        with pytest.raises(
            ConflictError, match=f"already at {other_trust.name}.*by {learner.full_name}"
        ):
            move(stale, other_trust, new_educator)
        assert moves(enrolment).count() == 1

    def test_a_stale_page_does_not_move_it_from_somewhere_else(
        self,
        enrolment,
        learner,
        other_trust,
        third_trust,
        third_educator,
        joined,
        new_educator,
        new_offer,
        version,
    ):
        from stepwise.frameworks.models import TrustFramework

        stale = type(enrolment).objects.get(pk=enrolment.pk)
        MembershipFactory(person=learner, trust=third_trust, is_learner=True)
        TrustFramework.objects.create(trust=third_trust, framework=version.framework)
        move(enrolment, third_trust, third_educator)
        with pytest.raises(ConflictError, match=f"moved to {third_trust.name}.*in the meantime"):
            move(stale, other_trust, new_educator)
        enrolment.refresh_from_db()
        assert enrolment.trust == third_trust

    @pytest.mark.parametrize("who", ["old educator", "new assessor", "learner"])
    def test_only_an_educator_of_the_new_trust_moves_it(
        self,
        who,
        enrolment,
        learner,
        trust,
        educator,
        other_trust,
        joined,
        new_educator,
        new_assessor,
        new_offer,
    ):
        by = {"old educator": educator, "new assessor": new_assessor, "learner": learner}[who]
        with pytest.raises(ConflictError, match=f"Only an educator of {other_trust.name}"):
            move(enrolment, other_trust, new_educator, by=by)
        self.assert_unchanged(enrolment, trust, educator)

    def test_the_educator_and_assessors_must_work_at_the_new_trust(
        self, enrolment, trust, educator, assessor, other_trust, joined, new_educator, new_offer
    ):
        with pytest.raises(ConflictError, match="is not an educator at"):
            move(enrolment, other_trust, educator, by=new_educator)
        with pytest.raises(ConflictError, match="Every default assessor"):
            move(enrolment, other_trust, new_educator, assessors=[assessor])
        self.assert_unchanged(enrolment, trust, educator)

    def test_learners_do_not_assess_themselves(
        self, enrolment, learner, trust, educator, other_trust, joined, new_educator, new_offer
    ):
        Membership.objects.filter(pk=joined.pk).update(is_assessor=True)
        with pytest.raises(ConflictError, match="cannot sign off or assess their own"):
            move(enrolment, other_trust, new_educator, assessors=[learner])
        self.assert_unchanged(enrolment, trust, educator)

    def test_only_to_a_trust(
        self, enrolment, trust, educator, other_trust, joined, new_educator, new_offer
    ):
        with pytest.raises(ConflictError, match="Choose a Trust"):
            move(enrolment, other_trust.units[0], new_educator)
        self.assert_unchanged(enrolment, trust, educator)
