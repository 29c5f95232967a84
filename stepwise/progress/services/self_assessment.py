from django.db import transaction
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.notifications.services import notify
from stepwise.progress import summaries
from stepwise.progress.models import Action, ProficiencyRecord, RecordEvent, SignOffRequest
from stepwise.progress.services.common import lost_race, now, open_enrolment
from stepwise.progress.services.sign_off import withdraw_waiting_sign_off
from stepwise.progress.states import (
    MOVES,
    SELF_ASSESSED,
    EnrolmentState,
    RecordEventKind,
    RecordState,
)


def records_self_assess(*, enrolment, by, answers: list[tuple[int, str, str]]) -> int:
    """Set "Achieved" or "On going assessment", with a reflection, for several records in one
    go. `answers` is [(record id, state, reflection)]. Records already in that state with the
    same reflection are left alone (a re-submitted form changes nothing). Returns how many
    records changed."""
    if by.pk != enrolment.learner_id:
        raise ConflictError("Only the learner self-assesses their proficiencies.")
    # Self-assessment changes only the learner's own answers: it confirms nothing, and a
    # record waiting in a request cannot be self-assessed.
    with transaction.atomic(), summaries.kept(answers_only=True) as kept:
        enrolment = open_enrolment(enrolment)
        kept.watch(enrolment.pk)
        return _self_assess(enrolment, by, answers)


def action_plans_answer(
    *, enrolment, by, done: list[int], answers: list[tuple[int, str, str]]
) -> tuple[int, int]:
    """The learner's one Save on their action plans page: the ticked actions marked done and
    the rejected proficiencies answered again, all or nothing (a conflict on the last answer
    leaves the actions ticked before it undone). `done` is action ids, each one of this
    enrolment's; `answers` as for `records_self_assess`. Returns (actions marked done,
    records changed); an action already done (another tab) is left alone."""
    if by.pk != enrolment.learner_id:
        raise ConflictError("Only the learner answers their action plans.")
    # Answers as `records_self_assess`; an action done counts in no summary.
    with transaction.atomic(), summaries.kept(answers_only=True) as kept:
        enrolment = open_enrolment(enrolment)
        kept.watch(enrolment.pk)
        marked = _mark_done(enrolment, by, done)
        return marked, _self_assess(enrolment, by, answers)


def _mark_done(enrolment, by, action_ids: list[int]) -> int:
    """Inside the caller's transaction: each action done by a conditional update, with its
    event; the record's state is as it was when the action was done."""
    actions = list(
        Action.objects.filter(pk__in=action_ids, plan__record__enrolment=enrolment)
        .select_related("plan__record")
        .order_by("pk")
    )
    if len(actions) != len(set(action_ids)):
        raise ConflictError("One of those actions is not part of this enrolment.")
    at = now()
    events = []
    for action in actions:
        updated = Action.objects.filter(pk=action.pk, done_at__isnull=True).update(
            done_at=at, done_by=by
        )
        if not updated:
            continue  # done already, in another tab: nothing to do
        events.append(
            RecordEvent.unchanged(
                action.plan.record,
                enrolment,
                kind=RecordEventKind.ACTION_DONE,
                actor=by,
                note=action.description,
                at=at,
            )
        )
    RecordEvent.write_all(events)
    return len(events)


def _self_assess(enrolment, by, answers: list[tuple[int, str, str]]) -> int:
    """Inside the caller's transaction, the enrolment open and watched: see
    `records_self_assess`."""
    changed = 0
    records = {
        record.pk: record
        for record in ProficiencyRecord.objects.filter(
            enrolment=enrolment, pk__in=[record_id for record_id, _, _ in answers]
        )
    }
    events = []
    at = now()
    for record_id, state, reflection in answers:
        if state not in SELF_ASSESSED:
            raise ValueError(f"{state} is not a self-assessment answer.")
        record = records.get(record_id)
        if record is None:
            raise ConflictError("One of those proficiencies is not part of this enrolment.")
        reflection = (reflection or "").strip()
        if record.state == state and record.reflection == reflection:
            continue
        updated = ProficiencyRecord.objects.filter(
            pk=record.pk, state=record.state, state__in=MOVES[RecordEventKind.SELF_ASSESSED]
        ).update(state=state, reflection=reflection, changed_at=at, decision=None)
        if not updated:
            raise lost_race(record.pk, "self-assessed")
        events.append(
            RecordEvent.build(
                record=record,
                enrolment=enrolment,
                kind=RecordEventKind.SELF_ASSESSED,
                actor=by,
                from_state=record.state,
                to_state=state,
                note=reflection,
                trust=enrolment.trust,
                at=at,
            )
        )
        changed += 1
    RecordEvent.write_all(events)
    return changed


def record_reopen(*, record, by) -> ProficiencyRecord:
    """The learner changes a confirmed answer (after a warning). The record goes back to
    self-assessed; the confirmation stays in the history; a waiting sign-off request is
    withdrawn, with a notice to the educator."""
    if by.pk != record.enrolment.learner_id:
        raise ConflictError("Only the learner can change their answer.")
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = open_enrolment(record.enrolment, allow_sign_off_requested=True)
        kept.watch(enrolment.pk)
        at = now()
        updated = ProficiencyRecord.objects.filter(
            pk=record.pk, enrolment=enrolment, state__in=MOVES[RecordEventKind.REOPENED]
        ).update(state=RecordState.ACHIEVED, decision=None, changed_at=at)
        if not updated:
            raise lost_race(record.pk, "changed")
        RecordEvent.write(
            record=record,
            enrolment=enrolment,
            kind=RecordEventKind.REOPENED,
            actor=by,
            from_state=RecordState.CONFIRMED,
            to_state=RecordState.ACHIEVED,
            trust=enrolment.trust,
            at=at,
        )
        if enrolment.state == EnrolmentState.SIGN_OFF_REQUESTED:
            waiting = SignOffRequest.objects.get(
                enrolment=enrolment, state=SignOffRequest.State.WAITING
            )
            withdraw_waiting_sign_off(
                enrolment=enrolment,
                by=by,
                note=f"Withdrawn because {record.proficiency.code} was changed after confirmation.",
            )
            notify(
                person=waiting.educator,
                text=(
                    f"{by.full_name} changed a confirmed answer ({record.proficiency.code}), "
                    f"so their request for sign-off of {enrolment.version} was withdrawn."
                ),
                url=reverse("progress:enrolment", args=[enrolment.pk]),
                email_template="progress/emails/sign_off_withdrawn",
                context={"enrolment": enrolment, "learner": by, "record": record},
            )
    record.refresh_from_db()
    return record


def action_mark_done(*, action, by) -> Action:
    record = action.plan.record
    if by.pk != record.enrolment.learner_id:
        raise ConflictError("Only the learner marks their actions done.")
    with transaction.atomic():
        enrolment = open_enrolment(record.enrolment)
        at = now()
        updated = Action.objects.filter(pk=action.pk, done_at__isnull=True).update(
            done_at=at, done_by=by
        )
        if not updated:
            return Action.objects.get(pk=action.pk)  # already done: nothing to do
        RecordEvent.write_all(
            [
                RecordEvent.unchanged(
                    record,
                    enrolment,
                    kind=RecordEventKind.ACTION_DONE,
                    actor=by,
                    note=action.description,
                    at=at,
                )
            ]
        )
    action.refresh_from_db()
    return action
