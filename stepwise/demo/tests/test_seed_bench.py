"""The benchmark dataset, at a small size: consistent with what the services would have
written, and usable by them."""

import io
from collections import Counter, defaultdict
from datetime import timedelta
from hashlib import sha256

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.certificates.framework_sign_off import description_of
from stepwise.certificates.models import FRAMEWORK_SIGN_OFF, Certificate
from stepwise.demo.bench_content import STAGES, Stage
from stepwise.demo.bench_data import (
    FRAMEWORK_SLUG,
    PASSWORD,
    learner_email,
    seed_bench,
    staff_email,
)
from stepwise.demo.bench_rows import RowWriter, bulk_load
from stepwise.organisations.models import Membership, MembershipEvent
from stepwise.progress import summaries
from stepwise.progress.models import (
    Action,
    ActionPlan,
    ConfirmationRequest,
    Decision,
    Enrolment,
    EnrolmentEvent,
    ProficiencyRecord,
    RecordEvent,
    RequestItem,
    SignOffRequest,
)
from stepwise.progress.services import (
    confirmation_request,
    enrolment_sign_off,
    records_self_assess,
    request_decide,
)
from stepwise.progress.services.confirmation import ActionInput, ItemDecision
from stepwise.progress.services.sign_off import completion
from stepwise.progress.states import OPEN_ENROLMENT_STATES, EnrolmentState, RecordState
from stepwise.progress.summary_models import StageSummary

LEARNERS, PROFICIENCIES, TRUSTS = 30, 20, 2


def _seed(**options):
    return seed_bench(
        learners=options.get("learners", LEARNERS),
        proficiencies=options.get("proficiencies", PROFICIENCIES),
        trusts=options.get("trusts", TRUSTS),
        seed=options.get("seed", 1),
        report=lambda line: None,
    )


@pytest.fixture
def bench(db):
    return _seed()


def _staff_of(trust_id) -> dict[int, Membership]:
    return {m.person_id: m for m in Membership.objects.current().filter(trust_id=trust_id)}


def test_it_makes_learners_at_every_stage_in_the_configured_shares(bench):
    for stage, share in STAGES:
        assert abs(bench.stages[stage] - share * LEARNERS) <= 1, stage
    enrolments = Enrolment.objects.filter(framework__slug=FRAMEWORK_SLUG)
    states = Counter(enrolments.values_list("state", flat=True))
    assert states[EnrolmentState.SIGNED_OFF] == bench.stages[Stage.SIGNED_OFF]
    assert states[EnrolmentState.SIGN_OFF_REQUESTED] == bench.stages[Stage.WAITING_FOR_SIGN_OFF]
    waiting = enrolments.filter(records__state=RecordState.AWAITING_CONFIRMATION).distinct()
    assert waiting.count() == bench.stages[Stage.WAITING_FOR_CONFIRMATION]
    with_rejections = enrolments.filter(records__state=RecordState.REJECTED).distinct()
    assert with_rejections.count() == bench.stages[Stage.REJECTED]
    untouched = [
        e for e in enrolments.prefetch_related("records") if {r.state for r in e.records.all()}
        == {RecordState.NOT_STARTED}
    ]  # fmt: skip
    assert len(untouched) == bench.stages[Stage.NOT_STARTED]
    assert ProficiencyRecord.objects.count() == LEARNERS * PROFICIENCIES
    assert bench.rows["progress.ProficiencyRecord"] == LEARNERS * PROFICIENCIES


def test_each_learner_has_one_open_enrolment_at_their_trust(bench):
    learners = User.objects.filter(email__startswith="bench.learner")
    assert learners.count() == LEARNERS
    for learner in learners.prefetch_related("enrolments", "memberships"):
        enrolments = list(learner.enrolments.all())
        (membership,) = learner.memberships.all()
        assert membership.is_learner and membership.state == Membership.State.ACTIVE
        assert len(enrolments) == 1
        (enrolment,) = enrolments
        assert enrolment.trust_id == membership.trust_id
        assert enrolment.unit_id == membership.unit_id
        assert (enrolment.state in OPEN_ENROLMENT_STATES) != (
            enrolment.state == EnrolmentState.SIGNED_OFF
        )
        assert enrolment.events.filter(kind="enrolled").count() == 1
        assert enrolment.assessors.count() == 2


def test_every_awaiting_record_waits_in_a_waiting_request_of_its_enrolment(bench):
    awaiting = ProficiencyRecord.objects.filter(state=RecordState.AWAITING_CONFIRMATION)
    assert awaiting.exists()
    for record in awaiting.select_related("request"):
        assert record.request is not None
        assert record.request.state == ConfirmationRequest.State.WAITING
        assert record.request.enrolment_id == record.enrolment_id
        assert record.decision_id is None
        assert RequestItem.objects.filter(request=record.request, record=record).exists()
    assert (
        not ProficiencyRecord.objects.exclude(state=RecordState.AWAITING_CONFIRMATION)
        .filter(request__isnull=False)
        .exists()
    )


def test_every_request_holds_what_it_says(bench):
    requests = ConfirmationRequest.objects.prefetch_related("items", "waiting_records")
    for request in requests.select_related("enrolment"):
        items = list(request.items.all())
        assert request.item_count == len(items) > 0
        assert request.trust_id == request.enrolment.trust_id
        assert request.requested_by_id == request.enrolment.learner_id
        assert (request.assessor_id is None) != (request.unit_id is None)
        if request.unit_id:
            assert request.unit_id == request.enrolment.unit_id
        waiting = {r.pk for r in request.waiting_records.all()}
        if request.state == ConfirmationRequest.State.WAITING:
            assert waiting == {item.record_id for item in items}
            assert request.closed_at is None
        else:
            assert request.state == ConfirmationRequest.State.DECIDED
            assert not waiting and request.closed_at >= request.requested_at
            assert request.decisions.count() == len(items)


def test_every_decided_record_has_its_decision_by_an_assessor_of_the_learners_trust(bench):
    decided = ProficiencyRecord.objects.filter(
        state__in=[RecordState.CONFIRMED, RecordState.REJECTED]
    ).select_related("decision__request", "enrolment")
    assert decided.filter(state=RecordState.CONFIRMED).exists()
    staff = {}
    for record in decided:
        decision = record.decision
        assert decision is not None and decision.record_id == record.pk
        assert decision.outcome == record.state
        assert decision.request.enrolment_id == record.enrolment_id
        trust_id = record.enrolment.trust_id
        assert decision.trust_id == trust_id
        members = staff.setdefault(trust_id, _staff_of(trust_id))
        membership = members[decision.assessor_id]
        assert membership.is_assessor or membership.is_educator
        request = decision.request
        if request.assessor_id:
            assert decision.assessor_id == request.assessor_id
        elif not membership.is_educator:
            assert membership.unit_id == request.unit_id
        assert decision.registration_number.startswith("NMC ")
    assert (
        not ProficiencyRecord.objects.exclude(
            state__in=[RecordState.CONFIRMED, RecordState.REJECTED]
        )
        .filter(decision__isnull=False)
        .exists()
    )


def test_rejections_have_action_plans(bench):
    for decision in Decision.objects.filter(outcome=Decision.Outcome.REJECTED):
        plan = ActionPlan.objects.get(decision=decision)
        assert plan.record_id == decision.record_id
        actions = list(plan.actions.all())
        assert 1 <= len(actions) <= 3
        assert all(a.due_on > decision.at.date() for a in actions)
    done = Action.objects.filter(done_at__isnull=False)
    assert done.exists()
    for action in done.select_related("plan__record__enrolment"):
        assert action.done_by_id == action.plan.record.enrolment.learner_id


def test_each_records_history_leads_to_its_state(bench):
    history = defaultdict(list)
    for event in RecordEvent.objects.order_by("at", "pk"):
        history[event.record_id].append(event)
    records = ProficiencyRecord.objects.select_related("enrolment")
    for record in records:
        events = history.get(record.pk, [])
        if record.state == RecordState.NOT_STARTED:
            assert not events
            continue
        assert events[-1].to_state == record.state
        state = RecordState.NOT_STARTED
        for event in events:
            assert event.from_state == state, (record.pk, event.kind)
            assert event.enrolment_id == record.enrolment_id
            assert event.trust_id == record.enrolment.trust_id
            assert event.at >= record.enrolment.enrolled_at
            state = event.to_state
        assert record.changed_at <= timezone.now()
        if record.state == RecordState.AWAITING_CONFIRMATION:
            assert events[-1].request_id == record.request_id
        if record.state in (RecordState.CONFIRMED, RecordState.REJECTED):
            decided = [e for e in events if e.decision_id]
            assert decided[-1].decision_id == record.decision_id


def test_sign_off_stages_are_complete_and_signed_off_ones_have_a_certificate(bench):
    ready = Enrolment.objects.filter(
        state__in=[EnrolmentState.SIGN_OFF_REQUESTED, EnrolmentState.SIGNED_OFF]
    ).select_related("version", "learner", "signed_off_by")
    assert ready.exists()
    for enrolment in ready:
        assert completion(enrolment)["complete"]
        request = SignOffRequest.objects.get(enrolment=enrolment)
        kinds = list(enrolment.events.values_list("kind", flat=True))
        if enrolment.state == EnrolmentState.SIGNED_OFF:
            assert request.state == SignOffRequest.State.SIGNED_OFF
            assert request.decided_by_id == enrolment.signed_off_by_id == enrolment.educator_id
            assert kinds == ["enrolled", "sign_off_requested", "signed_off"]
            certificate = Certificate.objects.get(enrolment=enrolment)
            assert (certificate.kind, certificate.holder, certificate.issuer) == (
                FRAMEWORK_SIGN_OFF,
                enrolment.learner,
                enrolment.trust,
            )
            assert certificate.description == description_of(enrolment.version)
            assert certificate.learner_name == enrolment.learner.full_name
            assert certificate.signer_name == enrolment.signed_off_by.full_name
            assert certificate.signed_off_at == enrolment.signed_off_at <= timezone.now()
            assert certificate.events.filter(kind="issued").count() == 1
            salted = enrolment.learner.email + certificate.recipient_salt
            assert certificate.recipient_hash == f"sha256${sha256(salted.encode()).hexdigest()}"
        else:
            assert request.state == SignOffRequest.State.WAITING
            assert kinds == ["enrolled", "sign_off_requested"]
    assert not EnrolmentEvent.objects.filter(at__gt=timezone.now()).exists()
    assert not RecordEvent.objects.filter(at__gt=timezone.now()).exists()


def test_an_assessor_can_decide_a_generated_waiting_request(bench):
    request = (
        ConfirmationRequest.objects.filter(state=ConfirmationRequest.State.WAITING)
        .exclude(assessor=None)
        .select_related("assessor", "enrolment")
        .first()
    )
    assessor = request.assessor
    records = list(request.waiting_records.order_by("pk"))
    items = [ItemDecision(record_id=r.pk, outcome=Decision.Outcome.CONFIRMED) for r in records]
    items[0] = ItemDecision(
        record_id=records[0].pk,
        outcome=Decision.Outcome.REJECTED,
        actions=[ActionInput("Practise again", timezone.localdate() + timedelta(days=14))],
    )
    decisions = request_decide(
        request=request,
        by=assessor,
        registration_body=assessor.registration_body,
        registration_number=assessor.registration_number,
        items=items,
    )
    assert len(decisions) == len(records)
    request.refresh_from_db()
    assert request.state == ConfirmationRequest.State.DECIDED
    assert ProficiencyRecord.objects.get(pk=records[0].pk).state == RecordState.REJECTED
    assert all(
        r.state == RecordState.CONFIRMED
        for r in ProficiencyRecord.objects.filter(pk__in=[r.pk for r in records[1:]])
    )


def test_a_learner_can_carry_on_and_an_educator_can_sign_off(bench):
    enrolment = Enrolment.objects.filter(
        state=EnrolmentState.ACTIVE, records__state=RecordState.NOT_STARTED
    ).first()
    learner = enrolment.learner
    record = enrolment.records.filter(state=RecordState.NOT_STARTED).first()
    records_self_assess(
        enrolment=enrolment, by=learner, answers=[(record.pk, RecordState.ACHIEVED, "Did it.")]
    )
    request = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[record.pk], unit=enrolment.unit
    )
    assert request.state == ConfirmationRequest.State.WAITING

    waiting = Enrolment.objects.filter(state=EnrolmentState.SIGN_OFF_REQUESTED).first()
    educator = waiting.educator
    certificate = enrolment_sign_off(
        enrolment=waiting,
        by=educator,
        declaration_agreed=True,
        registration_body=educator.registration_body,
        registration_number=educator.registration_number,
    )
    assert certificate.enrolment_id == waiting.pk


def test_each_trusts_lead_assessor_is_named_by_the_most_waiting_requests(bench):
    waiting = ConfirmationRequest.objects.filter(state=ConfirmationRequest.State.WAITING)
    for number in range(1, TRUSTS + 1):
        lead = User.objects.get(email=staff_email(number, "assessor", 1))
        trust_id = lead.memberships.get().trust_id
        named = Counter(
            waiting.filter(trust_id=trust_id)
            .exclude(assessor=None)
            .values_list("assessor_id", flat=True)
        )
        assert max(named.values()) == named[lead.pk] > 0


def test_bench_people_sign_in_with_the_known_password(bench, client):
    assert client.login(username=learner_email(1), password=PASSWORD)
    assert client.login(username=staff_email(2, "educator", 2), password=PASSWORD)


def _fingerprint():
    return sorted(
        ProficiencyRecord.objects.values_list(
            "enrolment__learner__email", "proficiency__code", "state", "reflection"
        )
    ), RecordEvent.objects.count()


def test_the_same_seed_gives_the_same_data(db):
    with transaction.atomic():
        _seed(seed=7)
        first = _fingerprint()
        transaction.set_rollback(True)
    _seed(seed=7)
    assert _fingerprint() == first


def test_the_command_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_bench", "--learners", "5")
    assert not User.objects.exists()
    out = io.StringIO()
    call_command(
        "seed_bench", "--learners", "5", "--proficiencies", "8", "--trusts", "1", "--force",
        stdout=out,
    )  # fmt: skip
    assert "Bench data is ready" in out.getvalue()
    assert Enrolment.objects.count() == 5


def test_running_it_twice_says_so_and_adds_nothing(db, settings):
    settings.DEBUG = True
    options = ["--learners", "5", "--proficiencies", "8", "--trusts", "1"]
    call_command("seed_bench", *options, stdout=io.StringIO())
    before = (User.objects.count(), ProficiencyRecord.objects.count(), RecordEvent.objects.count())
    with pytest.raises(CommandError, match="already has the bench data"):
        call_command("seed_bench", *options, stdout=io.StringIO())
    after = (User.objects.count(), ProficiencyRecord.objects.count(), RecordEvent.objects.count())
    assert after == before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_checks_the_keys_at_the_end_and_ids_carry_on_after_it():
    _seed(learners=6, proficiencies=8, trusts=1)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    highest = RecordEvent.objects.aggregate(Max("pk"))["pk__max"]
    enrolment = Enrolment.objects.filter(records__state=RecordState.NOT_STARTED).first()
    record = enrolment.records.filter(state=RecordState.NOT_STARTED).first()
    records_self_assess(
        enrolment=enrolment,
        by=enrolment.learner,
        answers=[(record.pk, RecordState.ONGOING, "Started.")],
    )
    assert RecordEvent.objects.get(record=record, note="Started.").pk > highest
    person = User.objects.create_user(email="after.the.seed@example.org", full_name="After")
    assert person.pk > User.objects.exclude(pk=person.pk).aggregate(Max("pk"))["pk__max"]


@pytest.mark.django_db(transaction=True)
def test_rows_with_a_broken_foreign_key_are_refused():
    writer = RowWriter()
    events = writer.table(
        MembershipEvent,
        ("id", "membership_id", "kind", "actor_id", "from_state", "to_state", "note", "at"),
    )
    writer.start_ids()
    with pytest.raises(IntegrityError), bulk_load(writer), transaction.atomic():
        events.add((events.new_id(), 999_999, "created", None, "", "active", "", writer.at(0)))
        writer.flush()
    if connection.vendor == "postgresql":
        assert not MembershipEvent.objects.exists()


def test_the_command_says_what_is_wrong_with_a_bad_size(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="'0' is not a whole number of 1 or more"):
        call_command("seed_bench", "--learners", "0")
    with pytest.raises(CommandError, match="'many' is not a whole number"):
        call_command("seed_bench", "--trusts", "many")
    assert not User.objects.exists()


def test_it_carries_the_reports_summaries_and_the_services_keep_them(bench):
    assert bench.rows["progress.StageSummary"] > 0
    assert summaries.stored() == summaries.recounted()
    staged = StageSummary.objects.aggregate(n=Sum("enrolments"))["n"]
    assert staged == Enrolment.objects.count() == LEARNERS
    request = (
        ConfirmationRequest.objects.filter(state=ConfirmationRequest.State.WAITING)
        .exclude(assessor=None)
        .select_related("assessor")
        .first()
    )
    request_decide(
        request=request,
        by=request.assessor,
        registration_body=request.assessor.registration_body,
        registration_number=request.assessor.registration_number,
        items=[
            ItemDecision(record_id=r.pk, outcome=Decision.Outcome.CONFIRMED)
            for r in request.waiting_records.all()
        ],
    )
    assert summaries.stored() == summaries.recounted()
