"""The report summaries stay equal to the records and their events, whatever journeys
happen: random journeys (hypothesis) through the services, then every summary is compared
with a count made here, separately, from the records and events, and with a rebuild."""

from collections import Counter
from datetime import timedelta

import hypothesis
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stepwise.core.errors import ConflictError
from stepwise.frameworks.models import FrameworkVersion, Proficiency, TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress import summaries
from stepwise.progress.models import (
    Action,
    ConfirmationRequest,
    Decision,
    Enrolment,
    EnrolmentEvent,
    ProficiencyRecord,
    RecordEvent,
)
from stepwise.progress.services import (
    action_plans_answer,
    confirmation_withdraw,
    decision_correct,
    enrolment_change_details,
    enrolment_sign_off,
    enrolment_withdraw,
    record_reopen,
    records_self_assess,
    request_decide,
    sign_off_request,
    sign_off_return,
    sign_off_withdraw,
)
from stepwise.progress.services.confirmation import ActionInput, ItemDecision
from stepwise.progress.states import EnrolmentEventKind, EnrolmentState, RecordEventKind
from stepwise.progress.summary_models import (
    DueSummary,
    DurationSummary,
    MonthSummary,
    RejectionSummary,
    StageSummary,
    SupernumerarySummary,
    WaitingSummary,
)
from stepwise.progress.tests.conftest import build_version
from stepwise.progress.tests.moving_support import move
from stepwise.progress.tests.staff_helpers import PIN, ask, enrol, in_days, records

LEARNERS = 2
STEPS = (
    "enrol",
    "answer",
    "ask",
    "ask_pool",
    "confirm",
    "reject",
    "withdraw_request",
    "answer_plans",
    "reopen",
    "correct",
    "ready",
    "ask_sign_off",
    "sign_off",
    "return",
    "withdraw_sign_off",
    "withdraw",
    "move",
    "due",
)


class World:
    """Two Trusts offering one framework, learners who belong to both, staff at each."""

    def __init__(self, trust, other_trust, educator, assessor, version):
        TrustFramework.objects.create(trust=other_trust, framework=version.framework)
        # A week's supernumerary period, for its first two proficiencies.
        FrameworkVersion.objects.filter(pk=version.pk).update(supernumerary_weeks=1)
        Proficiency.objects.filter(
            pk__in=Proficiency.objects.filter(version=version)
            .order_by("section__position", "position")
            .values("pk")[:2]
        ).update(supernumerary=True)
        self.trust, self.other_trust, self.version = trust, other_trust, version
        self.educator, self.assessor = educator, assessor
        self.other_educator = MembershipFactory(
            trust=other_trust, is_educator=True, is_assessor=True
        ).person
        self.learners = []
        for number in range(LEARNERS):
            unit = trust.units[number % len(trust.units)]
            learner = MembershipFactory(trust=trust, unit=unit, is_learner=True).person
            MembershipFactory(
                person=learner, trust=other_trust, unit=other_trust.units[0], is_learner=True
            )
            self.learners.append(learner)

    def enrolment(self, who: int) -> Enrolment | None:
        return (
            Enrolment.objects.filter(learner=self.learners[who])
            .select_related("version", "learner", "trust", "unit")
            .order_by("-pk")
            .first()
        )

    def staff(self, enrolment) -> tuple:
        if enrolment.trust_id == self.trust.pk:
            return self.educator, self.assessor
        return self.other_educator, self.other_educator

    def run(self, step: str, who: int, pick: int) -> None:
        enrolment = self.enrolment(who)
        if step == "enrol":
            enrol(self.learners[who], self.version, self.trust, self.educator, due_on=in_days(pick))
            return
        if enrolment is None:
            return
        educator, assessor = self.staff(enrolment)
        mine = records(enrolment)
        chosen = mine[pick % len(mine)]
        learner = enrolment.learner
        waiting = enrolment.requests.filter(state=ConfirmationRequest.State.WAITING).first()
        if step == "answer":
            state = "achieved" if pick % 2 else "ongoing"
            records_self_assess(enrolment=enrolment, by=learner, answers=[(chosen.pk, state, "")])
        elif step in ("ask", "ask_pool"):
            pool = step == "ask_pool" and enrolment.unit is not None
            ask(enrolment, [chosen], assessor=None if pool else assessor, unit=None)
        elif step in ("confirm", "reject") and waiting is not None:
            outcome = Decision.Outcome.CONFIRMED if step == "confirm" else Decision.Outcome.REJECTED
            actions = [ActionInput("Practise on shift", in_days(7))]
            request_decide(
                request=waiting,
                by=assessor,
                items=[
                    ItemDecision(r.pk, outcome, actions=actions)
                    for r in waiting.waiting_records.all()
                ],
                **PIN,
            )
        elif step == "withdraw_request" and waiting is not None:
            confirmation_withdraw(request=waiting, by=learner)
        elif step == "answer_plans":
            rejected = [r for r in mine if r.state == "rejected"]
            action_plans_answer(
                enrolment=enrolment,
                by=learner,
                done=list(
                    Action.objects.filter(plan__record__in=rejected, done_at=None).values_list(
                        "pk", flat=True
                    )
                ),
                answers=[(r.pk, "achieved" if pick % 2 else "ongoing", "") for r in rejected],
            )
        elif step == "reopen":
            record_reopen(record=chosen, by=learner)
        elif step == "correct" and chosen.decision_id:
            decision = Decision.objects.get(pk=chosen.decision_id)
            confirming = decision.outcome == Decision.Outcome.REJECTED
            decision_correct(
                decision=decision,
                by=assessor,
                outcome=Decision.Outcome.CONFIRMED if confirming else Decision.Outcome.REJECTED,
                note="Wrong learner",
                actions=[] if confirming else [ActionInput("Practise", in_days(3))],
                **PIN,
            )
        elif step == "ready":
            self._confirm_everything(enrolment, mine, assessor)
        elif step == "ask_sign_off":
            sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
        elif step == "sign_off":
            enrolment_sign_off(enrolment=enrolment, by=educator, declaration_agreed=True, **PIN)
        elif step == "return":
            sign_off_return(enrolment=enrolment, by=educator, comments="Add evidence")
        elif step == "withdraw_sign_off":
            sign_off_withdraw(enrolment=enrolment, by=learner)
        elif step == "withdraw":
            enrolment_withdraw(enrolment=enrolment, by=educator)
        elif step == "move":
            there = self.other_trust if enrolment.trust_id == self.trust.pk else self.trust
            move(enrolment, there, self.staff_at(there))
        elif step == "due":
            enrolment_change_details(
                enrolment=enrolment,
                by=educator,
                due_on=in_days(pick - 20),
                educator=educator,
                assessors=[],
            )

    def staff_at(self, trust):
        return self.educator if trust.pk == self.trust.pk else self.other_educator

    def _confirm_everything(self, enrolment, mine, assessor):
        ready = [r for r in mine if r.state in ("not_started", "ongoing", "achieved", "rejected")]
        if not ready:
            return
        request = ask(enrolment, ready, assessor=assessor)
        request_decide(
            request=request,
            by=assessor,
            items=[ItemDecision(r.pk, Decision.Outcome.CONFIRMED) for r in ready],
            **PIN,
        )


def counted_from_records_and_events() -> dict:
    """The summaries' figures, counted here one enrolment at a time: stages from the
    records, sign-offs from the enrolments' SIGNED_OFF events, confirmations and decisions
    from the records' CONFIRMED and REJECTED events, the supernumerary period from the
    records' standing decisions."""
    stages, shares, months, due, waiting, durations, periods, rejections = (
        Counter() for _ in range(8)
    )
    for e in Enrolment.objects.select_related("version"):
        place = (e.trust_id, e.unit_id or 0, e.framework_id, e.version_id)
        current = list(
            ProficiencyRecord.objects.filter(
                enrolment=e, proficiency__version=e.version_id
            ).select_related("proficiency", "decision")
        )
        if e.state == EnrolmentState.WITHDRAWN:
            stage = "withdrawn"
        elif e.state == EnrolmentState.SIGNED_OFF:
            stage = "signed_off"
        elif e.state == EnrolmentState.SIGN_OFF_REQUESTED:
            stage = "awaiting_sign_off"
        elif any(r.state == "awaiting_confirmation" for r in current):
            stage = "awaiting_confirmation"
        elif any(r.state != "not_started" for r in current):
            stage = "in_progress"
        else:
            stage = "not_started"
        stages[place + (stage,)] += 1
        if e.state != EnrolmentState.WITHDRAWN:
            required = [r for r in current if not r.proficiency.optional]
            optional = [r for r in current if r.proficiency.optional]
            done = sum(r.state == "confirmed" for r in required) + min(
                sum(r.state == "confirmed" for r in optional), e.version.minimum_optional
            )
            shares[place + (stage, "done")] += done
            shares[place + (stage, "needed")] += len(required) + e.version.minimum_optional
        signed = EnrolmentEvent.objects.filter(enrolment=e, kind=EnrolmentEventKind.SIGNED_OFF)
        for event in signed:
            months[place + (summaries._month(event.at), "sign_offs")] += 1
            days = (event.at - e.enrolled_at) // timedelta(days=1)
            durations[place + ("to_sign_off", days)] += 1
            if event.at <= e.enrolled_at + timedelta(days=365):
                shares[place + (stage, "in_time")] += 1
        for event in RecordEvent.objects.filter(
            enrolment=e,
            kind__in=[
                RecordEventKind.CONFIRMED,
                RecordEventKind.REJECTED,
                RecordEventKind.PRIOR_ATTAINMENT,
            ],
        ).select_related("decision__request", "decision__record"):
            month = summaries._month(event.at)
            months[place + (month, "decisions")] += 1
            proficiency = (event.decision.record.proficiency_id,)
            rejections[place + proficiency + ("decisions",)] += 1
            if event.kind == RecordEventKind.REJECTED:
                rejections[place + proficiency + ("rejected",)] += 1
            if event.kind != RecordEventKind.REJECTED:
                months[place + (month, "confirmations")] += 1
            if event.decision.request is not None:
                days = (event.at - event.decision.request.requested_at) // timedelta(days=1)
                durations[place + ("to_decision", days)] += 1
        if e.state in (EnrolmentState.ACTIVE, EnrolmentState.SIGN_OFF_REQUESTED) and e.due_on:
            due[place + (e.due_on,)] += 1
        for request in e.requests.filter(state=ConfirmationRequest.State.WAITING):
            who = (request.assessor_id or 0, 0 if request.assessor_id else request.unit_id)
            waiting[place + who + (summaries.timezone.localtime(request.requested_at).date(),)] += 1
        marked = [r for r in current if r.proficiency.supernumerary]
        if e.state != EnrolmentState.WITHDRAWN and e.version.supernumerary_weeks and marked:
            ends = e.enrolled_at + timedelta(weeks=e.version.supernumerary_weeks)
            in_time = sum(
                r.state == "confirmed" and r.decision is not None and r.decision.at <= ends
                for r in marked
            )
            key = place + (summaries.timezone.localtime(ends).date(),)
            periods[key + ("enrolments",)] += 1
            periods[key + ("met",)] += int(in_time == len(marked))
            periods[key + ("in_time",)] += in_time
            periods[key + ("needed",)] += len(marked)
    return {
        "stages": +stages,
        "shares": +shares,
        "months": +months,
        "due": +due,
        "waiting": +waiting,
        "durations": +durations,
        "periods": +periods,
        "rejections": +rejections,
    }


def kept_in_summaries() -> dict:
    stages, shares, months, due, waiting, durations, periods, rejections = (
        Counter() for _ in range(8)
    )
    for row in StageSummary.objects.all():
        key = (row.trust_id, row.unit_id, row.framework_id, row.version_id, row.stage)
        stages[key] += row.enrolments
        for name in ("done", "needed", "in_time"):
            shares[key + (name,)] += getattr(row, name)
    for row in MonthSummary.objects.all():
        place = (row.trust_id, row.unit_id, row.framework_id, row.version_id, row.month)
        for name in ("sign_offs", "confirmations", "decisions"):
            months[place + (name,)] += getattr(row, name)
    for row in DueSummary.objects.all():
        due[(row.trust_id, row.unit_id, row.framework_id, row.version_id, row.due_on)] += (
            row.enrolments
        )
    for row in WaitingSummary.objects.all():
        place = (row.trust_id, row.unit_id, row.framework_id, row.version_id)
        waiting[place + (row.assessor_id, row.pool_id, row.requested_on)] += row.requests
    for row in DurationSummary.objects.all():
        place = (row.trust_id, row.unit_id, row.framework_id, row.version_id)
        durations[place + (row.measure, row.days)] += row.count
    for row in RejectionSummary.objects.all():
        key = (row.trust_id, row.unit_id, row.framework_id, row.version_id, row.proficiency_id)
        rejections[key + ("decisions",)] += row.decisions
        rejections[key + ("rejected",)] += row.rejected
    for row in SupernumerarySummary.objects.all():
        key = (row.trust_id, row.unit_id, row.framework_id, row.version_id, row.ends_on)
        for name in ("enrolments", "met", "in_time", "needed"):
            periods[key + (name,)] += getattr(row, name)
    return {
        "stages": +stages,
        "shares": +shares,
        "months": +months,
        "due": +due,
        "waiting": +waiting,
        "durations": +durations,
        "periods": +periods,
        "rejections": +rejections,
    }


step = st.tuples(st.sampled_from(STEPS), st.integers(0, LEARNERS - 1), st.integers(0, 40))


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(journey=st.lists(step, min_size=1, max_size=30))
# Whole journeys the random ones reach only now and then, always run as well.
@example(journey=[("ready", 0, 0), ("ask_sign_off", 0, 0), ("sign_off", 0, 0), ("enrol", 1, 3)])
@example(journey=[("ask", 0, 3), ("reject", 0, 0), ("answer_plans", 0, 1), ("ask", 0, 3)])
@example(
    journey=[
        ("ready", 0, 0),
        ("ask_sign_off", 0, 0),
        ("reopen", 0, 2),
        ("ask", 0, 2),
        ("reject", 0, 0),
        ("correct", 0, 2),
        ("ready", 0, 0),
        ("ask_sign_off", 0, 0),
        ("return", 0, 0),
        ("ask_sign_off", 0, 0),
        ("withdraw_sign_off", 0, 0),
        ("move", 0, 0),
    ]
)
@example(
    journey=[
        ("enrol", 1, 5),
        ("ask_pool", 1, 1),
        ("ask", 1, 2),
        ("withdraw_request", 1, 0),
        ("answer", 0, 3),
        ("ask", 0, 3),
        ("move", 0, 0),
        ("due", 1, 0),
        ("withdraw", 1, 0),
        ("enrol", 1, 9),
    ]
)
def test_random_journeys_keep_every_summary_equal_to_the_records_and_events(
    journey, trust, other_trust, educator, assessor, offered
):
    # Each example starts from the same data: its changes are rolled back at the end.
    with transaction.atomic():
        world = World(trust, other_trust, educator, assessor, offered)
        for name, who, pick in [("enrol", 0, 30), *journey]:
            written = RecordEvent.objects.count() + EnrolmentEvent.objects.count()
            try:
                with transaction.atomic():
                    world.run(name, who, pick)
            except ConflictError:
                pass  # a move the journey does not allow now: refused, nothing changed
            if RecordEvent.objects.count() + EnrolmentEvent.objects.count() > written:
                hypothesis.event(f"changed something: {name}")  # --hypothesis-show-statistics
        expected = counted_from_records_and_events()
        assert kept_in_summaries() == expected
        assert summaries.stored() == summaries.recounted()
        summaries.rebuild()
        assert kept_in_summaries() == expected
        transaction.set_rollback(True)


def test_rebuild_command_makes_the_summaries_again_from_the_records(enrolment, assessor, educator):
    chosen = records(enrolment)[:2]
    ask(enrolment, chosen, assessor=assessor)
    expected = kept_in_summaries()
    assert expected["stages"]
    # Lost (a restore from before they were kept), and wrong (data loaded around the
    # services): the command puts both right.
    StageSummary.objects.all().delete()
    WaitingSummary.objects.update(requests=7)
    call_command("rebuild_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert kept_in_summaries() == expected
    assert summaries.stored() == summaries.recounted()


@pytest.mark.parametrize("size", [12, 48])
def test_a_decisions_queries_do_not_grow_with_its_items(
    size, trust, learner, educator, assessor, django_assert_max_num_queries
):
    # Each proficiency decided changes its own rejection total: they are written in one
    # UPDATE, not one each (a 115-item decision made 115 before).
    big = build_version(slug=f"decide-{size}", sections=size // 12, per_section=12)
    TrustFramework.objects.create(trust=trust, framework=big.framework)
    enrolment = enrol(learner, big, trust, educator)
    chosen = records(enrolment)[:size]
    request = ask(enrolment, chosen, assessor=assessor)
    items = [ItemDecision(record_id=r.pk, outcome=Decision.Outcome.CONFIRMED) for r in chosen]
    items[0] = ItemDecision(
        record_id=chosen[0].pk,
        outcome=Decision.Outcome.REJECTED,
        note="Not yet",
        actions=[ActionInput("Practise with a mentor", in_days(14))],
    )
    with django_assert_max_num_queries(43):
        request_decide(
            request=request,
            by=assessor,
            items=items,
            **PIN,
        )
    assert RejectionSummary.objects.filter(decisions=1).count() == size
    assert summaries.stored() == summaries.recounted()


def test_a_self_assessment_does_not_count_what_it_cannot_change(enrolment, assessor):
    # What decisions and waiting requests add to the summaries is the same before and after
    # a self-assessment, so it is not counted at all (the learner's busiest page).
    chosen = records(enrolment)
    request = ask(enrolment, chosen[:2], assessor=assessor)
    request_decide(
        request=request,
        by=assessor,
        items=[
            ItemDecision(record_id=r.pk, outcome=Decision.Outcome.CONFIRMED) for r in chosen[:2]
        ],
        **PIN,
    )
    ask(enrolment, chosen[2:3], assessor=assessor)
    with CaptureQueriesContext(connection) as queries:
        records_self_assess(
            enrolment=enrolment, by=enrolment.learner, answers=[(chosen[5].pk, "achieved", "")]
        )
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"progress_decision"' not in read  # nor joined, as confirmed proficiencies are
    assert 'FROM "progress_confirmationrequest"' not in read
    assert summaries.stored() == summaries.recounted()
