"""Enrolling learners, changing the terms of an enrolment, moving it to a new version."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from stepwise.core.errors import ConflictError
from stepwise.frameworks.diff import version_diff
from stepwise.frameworks.models import FrameworkVersion, Proficiency, TrustFramework
from stepwise.organisations.models import Membership
from stepwise.progress import summaries
from stepwise.progress.models import (
    Enrolment,
    EnrolmentEvent,
    ProficiencyRecord,
    RecordEvent,
)
from stepwise.progress.services.common import (
    lock_enrolment,
    now,
    open_enrolment,
    require_educator,
)
from stepwise.progress.services.sign_off import close_waiting_requests
from stepwise.progress.states import (
    ENROLMENT_MOVES,
    MOVES,
    OPEN_ENROLMENT_STATES,
    EnrolmentEventKind,
    EnrolmentState,
    RecordEventKind,
    RecordState,
)


def _check_offer(*, trust, version) -> None:
    if version.state != FrameworkVersion.State.PUBLISHED:
        raise ConflictError(f"{version} is not published, so nobody can be enrolled on it.")
    if not TrustFramework.objects.filter(trust=trust, framework_id=version.framework_id).exists():
        raise ConflictError(f"{trust} does not offer {version.framework.title}.")


def check_staff(*, trust, educator, assessors) -> None:
    """The educator and assessors chosen for an enrolment hold those roles at the Trust."""
    staff = Membership.objects.current().filter(trust=trust)
    if not staff.filter(person=educator, is_educator=True).exists():
        raise ConflictError(f"{educator} is not an educator at {trust}.")
    assessor_ids = {a.pk for a in assessors}
    allowed = set(
        staff.filter(person__in=assessor_ids)
        .filter(is_assessor=True)
        .values_list("person_id", flat=True)
    ) | set(
        staff.filter(person__in=assessor_ids, is_educator=True).values_list("person_id", flat=True)
    )
    if assessor_ids - allowed:
        raise ConflictError("Every default assessor must be an assessor or educator at the Trust.")


def enrolments_create(
    *, learners, version, trust, educator, assessors=(), due_on=None, by
) -> list[Enrolment]:
    """Enrol several learners at once, each with one record per proficiency. All or nothing:
    if any learner already has an open enrolment on this framework, nobody is enrolled and
    the message names them."""
    learners = list(learners)
    assessors = list(assessors)
    with transaction.atomic(), summaries.kept() as kept:
        _check_offer(trust=trust, version=version)
        check_staff(trust=trust, educator=educator, assessors=assessors)
        memberships = {
            m.person_id: m
            for m in Membership.objects.current().filter(
                trust=trust, person__in=learners, is_learner=True
            )
        }
        outsiders = [learner for learner in learners if learner.pk not in memberships]
        if outsiders:
            raise ConflictError(
                "Not learners at this Trust: " + ", ".join(str(p) for p in outsiders) + "."
            )
        already = list(
            Enrolment.objects.filter(
                learner__in=learners,
                framework_id=version.framework_id,
                state__in=OPEN_ENROLMENT_STATES,
            ).select_related("learner")
        )
        if already:
            names = ", ".join(e.learner.full_name for e in already)
            raise ConflictError(
                f"Already enrolled on {version.framework.title}: {names}. Nobody was enrolled."
            )
        at = now()
        try:
            with transaction.atomic():
                enrolments = Enrolment.objects.bulk_create(
                    [
                        Enrolment(
                            learner=learner,
                            framework_id=version.framework_id,
                            version=version,
                            trust=trust,
                            unit=memberships[learner.pk].unit,
                            educator=educator,
                            due_on=due_on,
                            enrolled_by=by,
                            enrolled_at=at,
                        )
                        for learner in learners
                    ]
                )
        except IntegrityError as error:
            # Someone else enrolled one of them a moment ago.
            raise ConflictError(
                f"One of these learners was enrolled on {version.framework.title} a moment ago "
                "by someone else. Nobody was enrolled: check the list and try again."
            ) from error
        if any(e.pk is None for e in enrolments):
            # Backends that do not return ids from bulk inserts.
            enrolments = list(
                Enrolment.objects.filter(
                    learner__in=learners, framework_id=version.framework_id, enrolled_at=at
                )
            )
        through = Enrolment.assessors.through
        through.objects.bulk_create(
            [through(enrolment=e, user=a) for e in enrolments for a in assessors]
        )
        proficiency_ids = list(
            Proficiency.objects.filter(version=version).values_list("pk", flat=True)
        )
        ProficiencyRecord.objects.bulk_create(
            [
                ProficiencyRecord(enrolment=e, proficiency_id=pid, changed_at=at)
                for e in enrolments
                for pid in proficiency_ids
            ],
            batch_size=2000,
        )
        EnrolmentEvent.write_all(
            [
                EnrolmentEvent.build(
                    enrolment=e,
                    kind=EnrolmentEventKind.ENROLLED,
                    actor=by,
                    to_state=EnrolmentState.ACTIVE,
                    trust=trust,
                    at=at,
                    note=f"On {version}; signed off by {educator.full_name}",
                )
                for e in enrolments
            ]
        )
        kept.added(e.pk for e in enrolments)
    return enrolments


def enrolment_create(*, learner, **kwargs) -> Enrolment:
    return enrolments_create(learners=[learner], **kwargs)[0]


def enrolment_change_details(*, enrolment, by, due_on, educator, assessors) -> Enrolment:
    assessors = list(assessors)
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = open_enrolment(enrolment, allow_sign_off_requested=True)
        kept.watch(enrolment.pk)
        require_educator(enrolment, by)
        check_staff(trust=enrolment.trust, educator=educator, assessors=assessors)
        updated = Enrolment.objects.filter(
            pk=enrolment.pk, state__in=ENROLMENT_MOVES[EnrolmentEventKind.DETAILS_CHANGED]
        ).update(due_on=due_on, educator=educator)
        if not updated:
            raise ConflictError("This enrolment changed a moment ago. Nothing was saved.")
        enrolment.assessors.set(assessors)
        EnrolmentEvent.write(
            enrolment=enrolment,
            kind=EnrolmentEventKind.DETAILS_CHANGED,
            actor=by,
            trust=enrolment.trust,
            note=(f"Due {due_on:%d %B %Y}" if due_on else "No due date")
            + f"; educator {educator.full_name}; assessors: "
            + (", ".join(a.full_name for a in assessors) or "none"),
        )
    enrolment.refresh_from_db()
    return enrolment


def enrolment_withdraw(*, enrolment, by, note="") -> Enrolment:
    """Withdraw: the enrolment and all its history are kept, marked withdrawn."""
    with transaction.atomic(), summaries.kept() as kept:
        current = lock_enrolment(enrolment)
        kept.watch(current.pk)
        require_educator(current, by)
        at = now()
        updated = Enrolment.objects.filter(
            pk=enrolment.pk, state__in=ENROLMENT_MOVES[EnrolmentEventKind.WITHDRAWN]
        ).update(state=EnrolmentState.WITHDRAWN, withdrawn_at=at)
        if not updated:
            raise ConflictError(f"This enrolment is already {current.get_state_display().lower()}.")
        EnrolmentEvent.write(
            enrolment=enrolment,
            kind=EnrolmentEventKind.WITHDRAWN,
            actor=by,
            from_state=current.state,
            to_state=EnrolmentState.WITHDRAWN,
            note=note,
            trust=current.trust,
            at=at,
        )
        close_waiting_requests(enrolment=current, by=by, at=at)
    enrolment.refresh_from_db()
    return enrolment


def _move_record(record, kind, **changes) -> None:
    """One record to the new version, if it is still where the move may start from."""
    if not ProficiencyRecord.objects.filter(pk=record.pk, state__in=MOVES[kind]).update(**changes):
        raise ConflictError("A proficiency changed while moving version. Nothing was saved.")


def enrolment_move_version(*, enrolment, version, by) -> dict:
    """Move to a newer published version. Results carry over for unchanged proficiencies;
    changed and new ones start again; the history says which. Returns the counts."""
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = open_enrolment(enrolment)
        kept.watch(enrolment.pk)
        require_educator(enrolment, by)
        old = enrolment.version
        if (
            version.framework_id != old.framework_id
            or version.state != FrameworkVersion.State.PUBLISHED
        ):
            raise ConflictError("Choose a published version of the same framework.")
        if version.published_at and old.published_at and version.published_at <= old.published_at:
            raise ConflictError(f"{version} is not newer than {old}.")
        # A record is carried over or starts again, as its statement says: it must be free to
        # do either.
        if ProficiencyRecord.objects.filter(
            ~Q(state__in=MOVES[RecordEventKind.CARRIED_OVER])
            | ~Q(state__in=MOVES[RecordEventKind.NEEDS_REASSESSMENT]),
            enrolment=enrolment,
        ).exists():
            raise ConflictError(
                "Some proficiencies are waiting for confirmation. Ask the learner to withdraw "
                "the request, or wait for the decision, before moving version."
            )
        diff = version_diff(old, version)
        at = now()
        updated = Enrolment.objects.filter(
            pk=enrolment.pk,
            version=old,
            state__in=ENROLMENT_MOVES[EnrolmentEventKind.VERSION_CHANGED],
        ).update(version=version)
        if not updated:
            raise ConflictError("Someone else moved this enrolment a moment ago.")
        old_records = {
            r.proficiency.uuid: r
            for r in ProficiencyRecord.objects.filter(enrolment=enrolment).select_related(
                "proficiency"
            )
        }
        new_proficiencies = list(Proficiency.objects.filter(version=version))
        # Results carry over wherever the statement itself is unchanged (a reworded hint or a
        # renumbered code does not change what was assessed).
        keeps = {new.uuid for _old, new in diff.unchanged} | {
            change.new.uuid for change in diff.changed if not change.statement_changed
        }
        events = []
        for proficiency in new_proficiencies:
            previous = old_records.pop(proficiency.uuid, None)
            if previous is not None and proficiency.uuid in keeps:
                _move_record(previous, RecordEventKind.CARRIED_OVER, proficiency=proficiency)
                events.append(
                    RecordEvent.unchanged(
                        previous,
                        enrolment,
                        kind=RecordEventKind.CARRIED_OVER,
                        actor=by,
                        note=f"{old.label} → {version.label}: statement unchanged, result kept",
                        at=at,
                    )
                )
            elif previous is not None:
                _move_record(
                    previous,
                    RecordEventKind.NEEDS_REASSESSMENT,
                    proficiency=proficiency,
                    state=RecordState.NOT_STARTED,
                    decision=None,
                    changed_at=at,
                )
                events.append(
                    RecordEvent.build(
                        record=previous,
                        enrolment=enrolment,
                        kind=RecordEventKind.NEEDS_REASSESSMENT,
                        actor=by,
                        from_state=previous.state,
                        to_state=RecordState.NOT_STARTED,
                        note=f"{old.label} → {version.label}: the statement changed",
                        trust=enrolment.trust,
                        at=at,
                    )
                )
            else:
                record = ProficiencyRecord.objects.create(
                    enrolment=enrolment, proficiency=proficiency, changed_at=at
                )
                events.append(
                    RecordEvent.build(
                        record=record,
                        enrolment=enrolment,
                        kind=RecordEventKind.NEEDS_REASSESSMENT,
                        actor=by,
                        to_state=RecordState.NOT_STARTED,
                        note=f"New in {version.label}",
                        trust=enrolment.trust,
                        at=at,
                    )
                )
        # Records of removed proficiencies stay (nothing is deleted) but leave the
        # enrolment's current version: they keep pointing at the old proficiency.
        RecordEvent.write_all(events)
        counts = {
            "unchanged": len(keeps),
            "changed": len(diff.changed) - (len(keeps) - len(diff.unchanged)),
            "added": len(diff.added),
            "removed": len(diff.removed),
        }
        EnrolmentEvent.write(
            enrolment=enrolment,
            kind=EnrolmentEventKind.VERSION_CHANGED,
            actor=by,
            trust=enrolment.trust,
            at=at,
            note=(
                f"{old.label} → {version.label}: {counts['unchanged']} carried over, "
                f"{counts['changed']} changed, {counts['added']} new, {counts['removed']} removed"
            ),
        )
    return counts
