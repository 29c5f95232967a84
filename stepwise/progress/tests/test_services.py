import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.certificates.models import Certificate
from stepwise.core.errors import ConflictError
from stepwise.notifications.models import Notification
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import (
    ConfirmationRequest,
    Decision,
    Enrolment,
    EnrolmentEvent,
    ProficiencyRecord,
    RecordEvent,
    SignOffRequest,
)
from stepwise.progress.services import (
    action_mark_done,
    confirmation_request,
    confirmation_withdraw,
    enrolment_create,
    enrolment_move_version,
    enrolment_sign_off,
    enrolment_withdraw,
    enrolments_create,
    record_reopen,
    records_self_assess,
    request_decide,
    sign_off_request,
    sign_off_return,
)
from stepwise.progress.services.confirmation import ItemDecision
from stepwise.progress.states import EnrolmentState, RecordEventKind, RecordState

from .conftest import build_version
from .factories import (
    CONFIRM,
    REJECT,
    achieve,
    confirm_everything_required,
    decide,
    plan,
    records,
)


class TestEnrolment:
    def test_it_creates_one_record_per_proficiency(self, enrolment, version):
        assert enrolment.records.count() == version.proficiencies.count() == 12
        assert set(enrolment.records.values_list("state", flat=True)) == {RecordState.NOT_STARTED}
        assert enrolment.events.get().kind == "enrolled"

    def test_a_second_open_enrolment_on_the_framework_is_refused(
        self, enrolment, learner, educator, trust, offered
    ):
        with pytest.raises(ConflictError, match="Already enrolled"):
            enrolment_create(
                learner=learner, version=offered, trust=trust, educator=educator, by=educator
            )

    def test_many_learners_at_once_all_or_nothing(self, trust, educator, offered, enrolment):
        others = [MembershipFactory(trust=trust, is_learner=True).person for _ in range(3)]
        with pytest.raises(ConflictError, match=enrolment.learner.full_name):
            enrolments_create(
                learners=[*others, enrolment.learner],
                version=offered,
                trust=trust,
                educator=educator,
                by=educator,
            )
        assert Enrolment.objects.count() == 1
        enrolments_create(
            learners=others, version=offered, trust=trust, educator=educator, by=educator
        )
        assert Enrolment.objects.count() == 4
        assert ProficiencyRecord.objects.count() == 4 * 12

    def test_a_framework_the_trust_does_not_offer_is_refused(
        self, trust, learner, educator, version
    ):
        with pytest.raises(ConflictError, match="does not offer"):
            enrolment_create(
                learner=learner, version=version, trust=trust, educator=educator, by=educator
            )

    def test_another_trusts_learner_cannot_be_enrolled(
        self, trust, other_learner, educator, offered
    ):
        with pytest.raises(ConflictError, match="Not learners at this Trust"):
            enrolment_create(
                learner=other_learner, version=offered, trust=trust, educator=educator, by=educator
            )

    def test_withdrawing_keeps_everything_and_closes_requests(
        self, enrolment, learner, assessor, educator
    ):
        first = records(enrolment)[0]
        achieve(enrolment, learner, [first])
        confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[first.pk], assessor=assessor
        )
        enrolment_withdraw(enrolment=enrolment, by=educator, note="Left the unit")
        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.WITHDRAWN
        assert ConfirmationRequest.objects.get().state == ConfirmationRequest.State.WITHDRAWN
        assert enrolment.records.count() == 12
        with pytest.raises(ConflictError, match="withdrawn"):
            achieve(enrolment, learner, [records(enrolment)[1]])


class TestSelfAssessment:
    def test_several_at_once_each_with_a_reflection_and_an_event(self, enrolment, learner):
        first, second, third = records(enrolment)[:3]
        changed = records_self_assess(
            enrolment=enrolment,
            by=learner,
            answers=[
                (first.pk, RecordState.ACHIEVED, "Managed the airway"),
                (second.pk, RecordState.ONGOING, ""),
                (third.pk, RecordState.ACHIEVED, "Done"),
            ],
        )
        assert changed == 3
        first.refresh_from_db()
        assert (first.state, first.reflection) == (RecordState.ACHIEVED, "Managed the airway")
        assert RecordEvent.objects.filter(kind=RecordEventKind.SELF_ASSESSED).count() == 3

    def test_sending_the_same_answers_again_changes_nothing(self, enrolment, learner):
        chosen = records(enrolment)[:2]
        achieve(enrolment, learner, chosen)
        assert achieve(enrolment, learner, chosen) == 0
        assert RecordEvent.objects.count() == 2

    def test_someone_elses_record_is_refused(self, enrolment, learner, trust, educator, offered):
        other = MembershipFactory(trust=trust, is_learner=True).person
        theirs = enrolment_create(
            learner=other, version=offered, trust=trust, educator=educator, by=educator
        )
        with pytest.raises(ConflictError, match="not part of this enrolment"):
            achieve(enrolment, learner, [records(theirs)[0]])
        with pytest.raises(ConflictError, match="Only the learner"):
            achieve(theirs, learner, [records(theirs)[0]])


class TestConfirmation:
    def test_the_whole_loop_reject_then_confirm(self, enrolment, learner, assessor):
        first, second, third = records(enrolment)[:3]
        achieve(enrolment, learner, [first, second, third])
        with TestCase.captureOnCommitCallbacks(execute=True):
            request = confirmation_request(
                enrolment=enrolment,
                by=learner,
                record_ids=[first.pk, second.pk, third.pk],
                assessor=assessor,
            )
        assert mail.outbox[-1].to == [assessor.email]
        assert Notification.objects.filter(person=assessor).count() == 1

        with TestCase.captureOnCommitCallbacks(execute=True):
            decide(request, assessor, [(first, CONFIRM), (second, REJECT), (third, CONFIRM)])
        states = {r.pk: r.state for r in records(enrolment)}
        assert states[first.pk] == RecordState.CONFIRMED
        assert states[second.pk] == RecordState.REJECTED
        request.refresh_from_db()
        assert request.state == ConfirmationRequest.State.DECIDED
        assert "rejected 1" in Notification.objects.get(person=learner).text
        decision = Decision.objects.get(record=second)
        assert decision.registration_number == "NMC 09B1234D"
        action = decision.action_plan.actions.get()

        action_mark_done(action=action, by=learner)
        achieve(enrolment, learner, [second], "Practised with my mentor")
        again = confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[second.pk], assessor=assessor
        )
        decide(again, assessor, [(second, CONFIRM)])
        kinds = list(second.events.values_list("kind", flat=True))
        assert kinds == [
            "self_assessed",
            "confirmation_requested",
            "rejected",
            "action_done",
            "self_assessed",
            "confirmation_requested",
            "confirmed",
        ]

    def test_only_achieved_proficiencies_can_be_sent(self, enrolment, learner, assessor):
        first = records(enrolment)[0]
        with pytest.raises(ConflictError, match="could not be sent"):
            confirmation_request(
                enrolment=enrolment, by=learner, record_ids=[first.pk], assessor=assessor
            )
        assert not ConfirmationRequest.objects.exists()

    def test_the_unit_pool_tells_every_assessor_in_the_unit(self, enrolment, learner, trust):
        second_assessor = MembershipFactory(
            trust=trust, unit=trust.units[0], is_assessor=True
        ).person
        first = records(enrolment)[0]
        achieve(enrolment, learner, [first])
        request = confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[first.pk], unit=trust.units[0]
        )
        assert Notification.objects.filter(person=second_assessor).exists()
        decide(request, second_assessor, [(first, CONFIRM)])
        first.refresh_from_db()
        assert first.state == RecordState.CONFIRMED

    def test_withdrawing_a_request_returns_the_records_to_achieved(
        self, enrolment, learner, assessor
    ):
        first = records(enrolment)[0]
        achieve(enrolment, learner, [first])
        request = confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[first.pk], assessor=assessor
        )
        confirmation_withdraw(request=request, by=learner)
        first.refresh_from_db()
        assert first.state == RecordState.ACHIEVED
        with pytest.raises(ConflictError, match="already been decided or withdrawn"):
            confirmation_withdraw(request=request, by=learner)

    def test_a_rejection_needs_an_action_plan_with_future_dates(self, enrolment, learner, assessor):
        first = records(enrolment)[0]
        achieve(enrolment, learner, [first])
        request = confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[first.pk], assessor=assessor
        )
        with pytest.raises(ConflictError, match="needs an action plan"):
            request_decide(
                request=request,
                by=assessor,
                registration_body="NMC",
                registration_number="09B1234D",
                items=[ItemDecision(first.pk, REJECT)],
            )
        with pytest.raises(ConflictError, match="in the past"):
            request_decide(
                request=request,
                by=assessor,
                registration_body="NMC",
                registration_number="09B1234D",
                items=[ItemDecision(first.pk, REJECT, actions=plan(days=-1))],
            )
        assert not Decision.objects.exists()

    def test_an_assessor_outside_the_trust_cannot_decide(
        self, enrolment, learner, assessor, other_trust
    ):
        outsider = MembershipFactory(trust=other_trust, is_assessor=True).person
        first = records(enrolment)[0]
        achieve(enrolment, learner, [first])
        request = confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[first.pk], unit=enrolment.unit
        )
        with pytest.raises(ConflictError, match="cannot decide"):
            decide(request, outsider, [(first, CONFIRM)])

    def test_the_second_decision_on_an_item_loses_and_is_told_who_won(
        self, enrolment, learner, assessor, educator
    ):
        first = records(enrolment)[0]
        achieve(enrolment, learner, [first])
        request = confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[first.pk], unit=enrolment.unit
        )
        decide(request, assessor, [(first, CONFIRM)])
        with pytest.raises(ConflictError, match=f"already confirmed by {assessor.full_name}"):
            decide(request, educator, [(first, REJECT)])
        assert Decision.objects.count() == 1

    def test_the_registration_number_is_remembered(self, enrolment, learner, trust):
        newcomer = MembershipFactory(
            trust=trust,
            is_assessor=True,
            person=PersonFactory(registration_body="", registration_number=""),
        ).person
        first = records(enrolment)[0]
        achieve(enrolment, learner, [first])
        request = confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[first.pk], assessor=newcomer
        )
        request_decide(
            request=request,
            by=newcomer,
            registration_body="NMC",
            registration_number="77a1234z",
            items=[ItemDecision(first.pk, CONFIRM)],
        )
        newcomer.refresh_from_db()
        assert newcomer.registration == "NMC 77A1234Z"


class TestSignOff:
    def test_it_needs_every_required_proficiency_and_the_optional_minimum(self, enrolment, learner):
        with pytest.raises(ConflictError, match="Not ready for sign-off"):
            sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)

    def test_sign_off_locks_the_enrolment_and_issues_a_certificate_once(
        self, enrolment, learner, assessor, educator
    ):
        confirm_everything_required(enrolment, learner, assessor)
        sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
        certificate = enrolment_sign_off(
            enrolment=enrolment,
            by=educator,
            declaration_agreed=True,
            registration_body="NMC",
            registration_number="05C7654E",
        )
        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.SIGNED_OFF
        assert certificate.learner_name == learner.full_name
        assert certificate.signer_registration == "NMC 05C7654E"
        with pytest.raises(ConflictError, match=f"already signed off by {educator.full_name}"):
            enrolment_sign_off(
                enrolment=enrolment,
                by=educator,
                declaration_agreed=True,
                registration_body="NMC",
                registration_number="05C7654E",
            )
        assert Certificate.objects.count() == 1
        with pytest.raises(ConflictError, match="signed off"):
            achieve(enrolment, learner, [records(enrolment)[0]])

    def test_returning_with_comments_reopens_the_enrolment(
        self, enrolment, learner, assessor, educator
    ):
        confirm_everything_required(enrolment, learner, assessor)
        sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
        sign_off_return(enrolment=enrolment, by=educator, comments="Add evidence for 1.1")
        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.ACTIVE
        assert SignOffRequest.objects.get().state == SignOffRequest.State.RETURNED

    def test_changing_a_confirmed_answer_withdraws_the_sign_off_request(
        self, enrolment, learner, assessor, educator
    ):
        confirm_everything_required(enrolment, learner, assessor)
        sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
        confirmed = records(enrolment)[0]
        record_reopen(record=confirmed, by=learner)
        confirmed.refresh_from_db()
        enrolment.refresh_from_db()
        assert confirmed.state == RecordState.ACHIEVED
        assert enrolment.state == EnrolmentState.ACTIVE
        assert SignOffRequest.objects.get().state == SignOffRequest.State.WITHDRAWN
        assert Decision.objects.filter(record=confirmed).exists()  # the confirmation stays
        assert Notification.objects.filter(person=educator, text__contains="withdrawn").exists()


class TestNewVersion:
    def test_results_carry_over_where_the_statement_is_unchanged(
        self, enrolment, learner, assessor, educator, offered
    ):
        first, second = records(enrolment)[:2]
        achieve(enrolment, learner, [first, second])
        from stepwise.frameworks.models import FrameworkVersion, Proficiency, Section

        new = FrameworkVersion.objects.create(
            framework=offered.framework, label="1.1", created_by=educator
        )
        for section in offered.sections.all():
            copy = Section.objects.create(
                version=new,
                position=section.position,
                code=section.code,
                title=section.title,
                uuid=section.uuid,
            )
            for p in section.proficiencies.all():
                Proficiency.objects.create(
                    version=new,
                    section=copy,
                    position=p.position,
                    code=p.code,
                    uuid=p.uuid,
                    statement=p.statement + (" (revised)" if p.pk == second.proficiency_id else ""),
                    optional=p.optional,
                )
        Proficiency.objects.create(
            version=new, section=copy, position=99, code="3.99", statement="New"
        )
        FrameworkVersion.objects.filter(pk=new.pk).update(
            state=FrameworkVersion.State.PUBLISHED, published_at=timezone.now()
        )
        new.refresh_from_db()
        counts = enrolment_move_version(enrolment=enrolment, version=new, by=educator)
        assert counts == {"unchanged": 11, "changed": 1, "added": 1, "removed": 0}
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.state == RecordState.ACHIEVED and first.proficiency.version == new
        assert second.state == RecordState.NOT_STARTED
        assert enrolment.records.count() == 13
        assert (
            "1 changed, 1 new" in EnrolmentEvent.objects.filter(kind="version_changed").get().note
        )


def test_a_bigger_framework_builds(db):
    version = build_version(slug="big", sections=10, per_section=50)
    assert version.proficiencies.count() == 500
