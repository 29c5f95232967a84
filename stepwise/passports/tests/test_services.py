import pytest

from stepwise.core.errors import ConflictError
from stepwise.passports.models import ImportedPassport, PriorAttainment
from stepwise.passports.services import passport_import, prior_attainment_accept
from stepwise.passports.verify import check_passport
from stepwise.progress.models import Decision, RecordEvent
from stepwise.progress.services import records_self_assess
from stepwise.progress.states import RecordEventKind, RecordState


def _import(token, learner, trust):
    verified = check_passport(token, email=learner.email)
    return passport_import(verified=verified, learner=learner, trust=trust, by=learner)


def test_it_stores_the_passport_and_each_confirmed_proficiency(own_token, learner, other_trust):
    passport = _import(own_token, learner, other_trust)
    assert passport.token == own_token and passport.issuer_name
    assert PriorAttainment.objects.filter(passport=passport).count() == len(
        check_passport(own_token, email=learner.email).attainments
    )


def test_importing_the_same_passport_twice_adds_nothing(own_token, learner, other_trust):
    _import(own_token, learner, other_trust)
    with pytest.raises(ConflictError, match="already imported"):
        _import(own_token, learner, other_trust)
    assert ImportedPassport.objects.count() == 1


def test_accepting_confirms_records_with_a_decision_and_an_event_naming_the_source(
    own_token, learner, other_trust, new_enrolment
):
    _import(own_token, learner, other_trust)
    attainments = list(PriorAttainment.objects.all())
    educator = new_enrolment.educator
    result = prior_attainment_accept(enrolment=new_enrolment, attainments=attainments, by=educator)
    assert len(result.confirmed) == len(attainments) and not result.skipped
    record = result.confirmed[0]
    record.refresh_from_db()
    assert record.state == RecordState.CONFIRMED
    decision = record.decision
    assert decision.assessor == educator and decision.trust == other_trust
    assert decision.registration_number == "NMC 09B1234D"
    assert "confirmed by" in decision.prior_attainment_source
    assert "NMC 09B1234D" in decision.prior_attainment_source
    event = RecordEvent.objects.get(record=record, kind=RecordEventKind.PRIOR_ATTAINMENT)
    assert event.decision == decision and decision.prior_attainment_source in event.note
    assert event.from_state == RecordState.NOT_STARTED and event.trust == other_trust


def test_accepting_skips_records_already_confirmed_or_waiting(
    own_token, learner, other_trust, new_enrolment
):
    _import(own_token, learner, other_trust)
    attainments = list(PriorAttainment.objects.all())
    educator = new_enrolment.educator
    prior_attainment_accept(enrolment=new_enrolment, attainments=attainments[:1], by=educator)
    again = prior_attainment_accept(enrolment=new_enrolment, attainments=attainments, by=educator)
    assert [r.proficiency.uuid for r in again.skipped] == [attainments[0].proficiency_uuid]
    assert Decision.objects.filter(record__enrolment=new_enrolment).count() == len(attainments)


def test_accepting_a_changed_statement_saves_nothing(
    own_token, learner, other_trust, new_enrolment
):
    _import(own_token, learner, other_trust)
    changed = PriorAttainment.objects.first()
    PriorAttainment.objects.filter(pk=changed.pk).update(statement="Something else")
    changed.refresh_from_db()
    with pytest.raises(ConflictError, match="does not match"):
        prior_attainment_accept(
            enrolment=new_enrolment, attainments=[changed], by=new_enrolment.educator
        )
    assert not Decision.objects.filter(record__enrolment=new_enrolment).exists()


def test_only_an_educator_of_the_trust_may_accept(
    own_token, learner, other_trust, new_enrolment, educator
):
    _import(own_token, learner, other_trust)
    with pytest.raises(ConflictError, match="Only an educator"):
        prior_attainment_accept(
            enrolment=new_enrolment, attainments=PriorAttainment.objects.all(), by=educator
        )


def test_a_signed_off_enrolment_cannot_accept(own_token, learner, other_trust, signed_off):
    _import(own_token, learner, other_trust)
    with pytest.raises(ConflictError, match="cannot be changed"):
        prior_attainment_accept(
            enrolment=signed_off.enrolment,
            attainments=PriorAttainment.objects.all(),
            by=signed_off.enrolment.educator,
        )


def test_accepting_nothing_is_a_clear_message(new_enrolment):
    with pytest.raises(ConflictError, match="Choose at least one"):
        prior_attainment_accept(enrolment=new_enrolment, attainments=[], by=new_enrolment.educator)


def test_a_rejected_or_self_assessed_record_can_be_accepted(
    own_token, learner, other_trust, new_enrolment
):
    _import(own_token, learner, other_trust)
    attainment = PriorAttainment.objects.first()
    record = new_enrolment.records.get(proficiency__uuid=attainment.proficiency_uuid)
    records_self_assess(
        enrolment=new_enrolment, by=learner, answers=[(record.pk, RecordState.ACHIEVED, "")]
    )
    result = prior_attainment_accept(
        enrolment=new_enrolment, attainments=[attainment], by=new_enrolment.educator
    )
    assert result.confirmed == [record]
