"""Asking for confirmation, and assessors' decisions."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse

from stepwise.accounts.registration import validate_registration_number
from stepwise.core.errors import ConflictError
from stepwise.notifications.services import notify, notify_many
from stepwise.organisations.models import Membership
from stepwise.progress import guards, summaries
from stepwise.progress.models import (
    Action,
    ActionPlan,
    ConfirmationRequest,
    Decision,
    ProficiencyRecord,
    RecordEvent,
    RequestItem,
)
from stepwise.progress.services.common import lost_race, now, open_enrolment, remember_registration
from stepwise.progress.states import CORRECTABLE, MOVES, RecordEventKind, RecordState


def confirmation_request(
    *, enrolment, by, record_ids: list[int], assessor=None, unit=None
) -> ConfirmationRequest:
    """The learner sends achieved proficiencies to a named assessor or educator of their Trust,
    or to "any assessor in my unit". One request, one email and notice per person told."""
    if by.pk != enrolment.learner_id:
        raise ConflictError("Only the learner asks for their proficiencies to be confirmed.")
    if (assessor is None) == (unit is None):
        raise ValueError("Send a request to one assessor or to one unit's pool.")
    if not record_ids:
        raise ConflictError("Choose at least one achieved proficiency to send.")
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = open_enrolment(enrolment)
        kept.watch(enrolment.pk)
        staff = Membership.objects.current().filter(trust=enrolment.trust)
        if assessor is not None:
            allowed = staff.filter(person=assessor).filter(is_assessor=True) | staff.filter(
                person=assessor, is_educator=True
            )
            if not allowed.exists() or assessor.pk == enrolment.learner_id:
                raise ConflictError(f"{assessor} is not an assessor or educator at this Trust.")
        if unit is not None and unit.parent_id != enrolment.trust_id:
            raise ConflictError("That unit is not part of this Trust.")
        records = list(
            ProficiencyRecord.objects.filter(enrolment=enrolment, pk__in=record_ids).select_related(
                "proficiency"
            )
        )
        if len(records) != len(set(record_ids)):
            raise ConflictError("One of those proficiencies is not part of this enrolment.")
        at = now()
        request = ConfirmationRequest.objects.create(
            enrolment=enrolment,
            trust=enrolment.trust,
            assessor=assessor,
            unit=unit,
            requested_by=by,
            requested_at=at,
            item_count=len(records),
        )
        for record in records:
            updated = ProficiencyRecord.objects.filter(
                pk=record.pk, state__in=MOVES[RecordEventKind.CONFIRMATION_REQUESTED]
            ).update(state=RecordState.AWAITING_CONFIRMATION, request=request, changed_at=at)
            if not updated:
                raise lost_race(record.pk, "sent for confirmation")
        RequestItem.objects.bulk_create(
            [RequestItem(request=request, record=r, reflection=r.reflection) for r in records]
        )
        RecordEvent.write_all(
            [
                RecordEvent.build(
                    record=record,
                    enrolment=enrolment,
                    kind=RecordEventKind.CONFIRMATION_REQUESTED,
                    actor=by,
                    from_state=RecordState.ACHIEVED,
                    to_state=RecordState.AWAITING_CONFIRMATION,
                    request=request,
                    trust=enrolment.trust,
                    at=at,
                )
                for record in records
            ]
        )
        _tell_assessors(request=request, learner=by, enrolment=enrolment)
    return request


def _tell_assessors(*, request, learner, enrolment) -> None:
    url = reverse("progress:review", args=[request.pk])
    count = request.item_count
    text = (
        f"{learner.full_name} asked you to confirm {count} "
        f"proficienc{'y' if count == 1 else 'ies'} in {enrolment.version.framework.title}."
    )
    context = {"request": request, "learner": learner, "enrolment": enrolment}
    if request.assessor is not None:
        notify(
            person=request.assessor,
            text=text,
            url=url,
            email_template="progress/emails/confirmation_requested",
            context=context,
        )
    else:
        pool = [
            membership.person
            for membership in Membership.objects.current()
            .filter(trust=enrolment.trust, unit=request.unit, is_assessor=True)
            .exclude(person=learner)
            .select_related("person")
        ]
        notify_many(
            people=pool,
            text=text,
            url=url,
            email_template="progress/emails/confirmation_requested",
            context=context,
        )


def withdraw_waiting(*, enrolment, by, at, note: str = "", request=None) -> int:
    """Inside a caller's transaction: withdraw the enrolment's waiting requests (or just
    `request`); their proficiencies go back to achieved, each with an event. Returns how many
    proficiencies went back (a waiting request always holds at least one)."""
    requests = ConfirmationRequest.objects.filter(
        enrolment=enrolment, state=ConfirmationRequest.State.WAITING
    )
    records = ProficiencyRecord.objects.filter(
        enrolment=enrolment, state__in=MOVES[RecordEventKind.REQUEST_WITHDRAWN]
    )
    if request is not None:
        requests, records = requests.filter(pk=request.pk), records.filter(request=request)
    waiting = list(records)
    requests.update(state=ConfirmationRequest.State.WITHDRAWN, closed_at=at)
    moved = ProficiencyRecord.objects.filter(
        pk__in=[r.pk for r in waiting], state__in=MOVES[RecordEventKind.REQUEST_WITHDRAWN]
    ).update(state=RecordState.ACHIEVED, request=None, changed_at=at)
    if moved != len(waiting):
        raise ConflictError("Someone changed these proficiencies a moment ago. Nothing was saved.")
    RecordEvent.write_all(
        [
            RecordEvent.build(
                record=record,
                enrolment=enrolment,
                kind=RecordEventKind.REQUEST_WITHDRAWN,
                actor=by,
                from_state=RecordState.AWAITING_CONFIRMATION,
                to_state=RecordState.ACHIEVED,
                note=note,
                request_id=record.request_id,
                trust=enrolment.trust,
                at=at,
            )
            for record in waiting
        ]
    )
    return len(waiting)


def confirmation_withdraw(*, request, by) -> ConfirmationRequest:
    """The learner takes back a waiting request; its records go back to achieved."""
    if by.pk != request.enrolment.learner_id:
        raise ConflictError("Only the learner can withdraw their request.")
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = open_enrolment(request.enrolment)
        kept.watch(enrolment.pk)
        if not withdraw_waiting(enrolment=enrolment, by=by, at=now(), request=request):
            raise ConflictError("This request has already been decided or withdrawn.")
    request.refresh_from_db()
    return request


@dataclass
class ActionInput:
    description: str
    due_on: date


@dataclass
class ItemDecision:
    record_id: int
    outcome: str  # Decision.Outcome
    note: str = ""
    actions: list[ActionInput] = field(default_factory=list)


def assessor_may_decide(*, request, person) -> bool:
    """A named assessor, any assessor of the pool's unit, or any educator of the Trust."""
    if person.pk == request.enrolment.learner_id:
        return False
    staff = Membership.objects.current().filter(trust=request.trust, person=person)
    if request.assessor_id == person.pk:
        return staff.filter(is_assessor=True).exists() or staff.filter(is_educator=True).exists()
    if staff.filter(is_educator=True).exists():
        return True
    # A pool is shared by the assessors of its own unit, not every assessor of the Trust.
    return (
        request.unit_id is not None
        and staff.filter(is_assessor=True, unit_id=request.unit_id).exists()
    )


def request_decide(
    *, request, by, registration_body: str, registration_number: str, items: list[ItemDecision]
) -> list[Decision]:
    """Confirm or reject each item of a request in one go. Rejections need an action plan of
    one or more actions with due dates from today on. If another assessor decided any of
    these items first, nothing is saved and the message says who and when."""
    number = validate_registration_number(registration_body, registration_number)
    if not assessor_may_decide(request=request, person=by):
        raise ConflictError("You cannot decide this request.")
    today = now().date()
    for item in items:
        if item.outcome == Decision.Outcome.REJECTED:
            if not item.actions:
                raise ConflictError("A rejection needs an action plan with at least one action.")
            if any(action.due_on < today for action in item.actions):
                raise ConflictError("An action's due date cannot be in the past.")
            if any(not action.description.strip() for action in item.actions):
                raise ConflictError("Each action needs a description.")
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = open_enrolment(request.enrolment)
        kept.watch(enrolment.pk)
        guards.check(
            person=by,
            trust_id=enrolment.trust_id,
            framework_id=enrolment.version.framework_id,
            action=guards.StaffAction.DECIDE,
        )
        at = now()
        waiting = set(
            ProficiencyRecord.objects.filter(request=request).values_list("pk", flat=True)
        )
        for item in items:
            if item.record_id not in waiting:
                # Decided by someone else already, or never in this request.
                if RequestItem.objects.filter(request=request, record_id=item.record_id).exists():
                    raise lost_race(item.record_id, "decided")
                raise ConflictError("One of those proficiencies is not part of this request.")
        # A constant number of queries whatever the size of the request: every decision,
        # plan and action in one INSERT each (the database returns their ids), and the
        # records moved in one conditional UPDATE.
        decisions = Decision.objects.bulk_create(
            [
                Decision(
                    record_id=item.record_id,
                    request=request,
                    outcome=item.outcome,
                    assessor=by,
                    registration_number=f"{registration_body} {number}",
                    trust=enrolment.trust,
                    note=item.note.strip(),
                    at=at,
                )
                for item in items
            ]
        )
        _move_records(request=request, items=items, decisions=decisions, at=at)
        rejected = [
            (item, decision)
            for item, decision in zip(items, decisions, strict=True)
            if item.outcome == Decision.Outcome.REJECTED
        ]
        plans = ActionPlan.objects.bulk_create(
            [
                ActionPlan(
                    record_id=item.record_id,
                    enrolment_id=enrolment.pk,
                    decision=decision,
                    created_at=at,
                )
                for item, decision in rejected
            ]
        )
        Action.objects.bulk_create(
            [
                Action(plan=plan, description=a.description.strip(), due_on=a.due_on)
                for (item, _), plan in zip(rejected, plans, strict=True)
                for a in item.actions
            ]
        )
        RecordEvent.write_all(
            [
                RecordEvent.build(
                    record_id=decision.record_id,
                    enrolment=enrolment,
                    kind=RecordEventKind.CONFIRMED
                    if decision.outcome == Decision.Outcome.CONFIRMED
                    else RecordEventKind.REJECTED,
                    actor=by,
                    from_state=RecordState.AWAITING_CONFIRMATION,
                    to_state=decision.outcome,
                    note=decision.note,
                    request=request,
                    decision=decision,
                    trust=enrolment.trust,
                    at=at,
                )
                for decision in decisions
            ]
        )
        if not ProficiencyRecord.objects.filter(request=request).exists():
            ConfirmationRequest.objects.filter(
                pk=request.pk, state=ConfirmationRequest.State.WAITING
            ).update(state=ConfirmationRequest.State.DECIDED, closed_at=at)
        remember_registration(by, registration_body, number)
        _tell_learner(request=request, by=by, decisions=decisions, enrolment=enrolment)
    return decisions


def _move_records(*, request, items, decisions, at) -> None:
    """Each record to its decision's state in one UPDATE that only touches records still
    waiting in this request; if any was not, someone else decided it first."""
    decision_ids = {item.record_id: d.pk for item, d in zip(items, decisions, strict=True)}
    rejected_ids = [i.record_id for i in items if i.outcome == Decision.Outcome.REJECTED]
    confirmed_ids = [i.record_id for i in items if i.outcome == Decision.Outcome.CONFIRMED]
    updated = ProficiencyRecord.objects.filter(
        Q(pk__in=confirmed_ids, state__in=MOVES[RecordEventKind.CONFIRMED])
        | Q(pk__in=rejected_ids, state__in=MOVES[RecordEventKind.REJECTED]),
        request=request,
    ).update(
        state=Case(
            When(pk__in=rejected_ids, then=Value(RecordState.REJECTED)),
            default=Value(RecordState.CONFIRMED),
        ),
        decision_id=Case(
            *[When(pk=pk, then=Value(did)) for pk, did in decision_ids.items()],
            output_field=IntegerField(),
        ),
        request=None,
        changed_at=at,
    )
    if updated != len(items):
        landed = set(
            ProficiencyRecord.objects.filter(pk__in=decision_ids).values_list("pk", "decision_id")
        )
        late = next(
            (
                i.record_id
                for i, d in zip(items, decisions, strict=True)
                if (i.record_id, d.pk) not in landed
            ),
            items[0].record_id,
        )
        raise lost_race(late, "decided")


def _tell_learner(*, request, by, decisions, enrolment) -> None:
    confirmed = sum(1 for d in decisions if d.outcome == Decision.Outcome.CONFIRMED)
    rejected = len(decisions) - confirmed
    parts = []
    if confirmed:
        parts.append(f"confirmed {confirmed}")
    if rejected:
        parts.append(f"rejected {rejected} with an action plan")
    notify(
        person=enrolment.learner,
        text=f"{by.full_name} {' and '.join(parts)} of your proficiencies.",
        url=reverse("progress:enrolment", args=[enrolment.pk]),
        email_template="progress/emails/request_decided",
        context={
            "assessor": by,
            "confirmed": confirmed,
            "rejected": rejected,
            "enrolment": enrolment,
        },
    )


def decision_correct(
    *, decision, by, registration_body, registration_number, outcome, note, actions=()
) -> Decision:
    """Correct a mistaken decision with a new one; both stay in the history."""
    number = validate_registration_number(registration_body, registration_number)
    record = decision.record
    if outcome == Decision.Outcome.REJECTED and not actions:
        raise ConflictError("A rejection needs an action plan with at least one action.")
    if not note.strip():
        raise ConflictError("Say why the earlier decision was wrong.")
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = open_enrolment(record.enrolment)
        kept.watch(enrolment.pk)
        staff = Membership.objects.current().filter(trust=enrolment.trust, person=by)
        if not (staff.filter(is_assessor=True) | staff.filter(is_educator=True)).exists():
            raise ConflictError("You cannot correct decisions at this Trust.")
        guards.check(
            person=by,
            trust_id=enrolment.trust_id,
            framework_id=enrolment.version.framework_id,
            action=guards.StaffAction.DECIDE,
        )
        at = now()
        from_state = decision.outcome
        to_state = (
            RecordState.CONFIRMED if outcome == Decision.Outcome.CONFIRMED else RecordState.REJECTED
        )
        new = Decision.objects.create(
            record=record,
            request=decision.request,
            outcome=outcome,
            assessor=by,
            registration_number=f"{registration_body} {number}",
            trust=enrolment.trust,
            note=note.strip(),
            corrects=decision,
            at=at,
        )
        updated = ProficiencyRecord.objects.filter(
            pk=record.pk, decision=decision, state__in=CORRECTABLE
        ).update(state=to_state, decision=new, changed_at=at)
        if not updated:
            raise lost_race(record.pk, "corrected")
        if outcome == Decision.Outcome.REJECTED:
            plan = ActionPlan.objects.create(
                record=record, enrolment=enrolment, decision=new, created_at=at
            )
            Action.objects.bulk_create(
                [Action(plan=plan, description=a.description, due_on=a.due_on) for a in actions]
            )
        RecordEvent.write(
            record=record,
            enrolment=enrolment,
            kind=RecordEventKind.CONFIRMED
            if outcome == Decision.Outcome.CONFIRMED
            else RecordEventKind.REJECTED,
            actor=by,
            from_state=from_state,
            to_state=to_state,
            note=f"Corrects the decision of {decision.at:%d %B %Y}: {note.strip()}",
            decision=new,
            trust=enrolment.trust,
            at=at,
        )
    return new
