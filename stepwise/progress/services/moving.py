"""Moving Trust: a learner's open enrolment follows them to the Trust they have joined.

The enrolment keeps its records, decisions and history; only where it is from now on
changes. Everything that happened before keeps the Trust it happened at (`trust` on every
event and decision), which is how the old Trust keeps seeing its part and nothing after.
The MOVED_TRUST event is written at the Trust the enrolment leaves: it is the last thing
that Trust sees (queries/prior_record.py reads the destination from the next move, or from
where the enrolment is now).
"""

from django.db import transaction
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date_time
from stepwise.frameworks.models import TrustFramework
from stepwise.notifications.services import notify
from stepwise.organisations.models import Membership, Organisation
from stepwise.progress.models import (
    Enrolment,
    EnrolmentEvent,
)
from stepwise.progress.services.common import lock_enrolment, now
from stepwise.progress.services.confirmation import withdraw_waiting
from stepwise.progress.services.enrolment import _check_staff
from stepwise.progress.services.sign_off import withdraw_waiting_sign_off
from stepwise.progress.states import (
    OPEN_ENROLMENT_STATES,
    EnrolmentEventKind,
    EnrolmentState,
)


def _last_move(enrolment_id: int) -> str:
    """ "by Sam Patel on 5 March 2026, 2:30pm" for someone who lost a race."""
    event = (
        EnrolmentEvent.objects.filter(
            enrolment_id=enrolment_id, kind=EnrolmentEventKind.MOVED_TRUST
        )
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    return f" by {event.actor.full_name} on {date_time(event.at)}" if event else ""


def _check_move(*, current: Enrolment, expected_trust_id: int, trust, educator, assessors, by):
    """Everything that must hold before an enrolment may move; the first problem found is
    raised as the message the educator sees."""
    if trust.kind != Organisation.Kind.TRUST:
        raise ConflictError("Choose a Trust to move the enrolment to.")
    if current.trust_id == trust.pk:
        raise ConflictError(
            f"This enrolment is already at {trust.name}: it was moved{_last_move(current.pk)}. "
            "Nothing was changed."
        )
    if current.trust_id != expected_trust_id:
        raise ConflictError(
            f"This enrolment moved to {current.trust.name}{_last_move(current.pk)} while you "
            "were looking at it. Nothing was changed."
        )
    if current.state not in OPEN_ENROLMENT_STATES:
        raise ConflictError(
            f"This enrolment is {current.get_state_display().lower()}, so it cannot move. "
            "It stays in the learner's record at "
            f"{current.trust.name}."
        )
    staff = Membership.objects.current().filter(trust=trust)
    if by.pk == current.learner_id or not staff.filter(person=by, is_educator=True).exists():
        raise ConflictError(f"Only an educator of {trust.name} can move an enrolment there.")
    if not staff.filter(person_id=current.learner_id, is_learner=True).exists():
        raise ConflictError(
            f"{current.learner.full_name} is not a learner at {trust.name}. Give them the "
            "learner role on their person page first."
        )
    if not TrustFramework.objects.filter(trust=trust, framework_id=current.framework_id).exists():
        raise ConflictError(
            f"{trust.name} does not offer {current.version.framework.title}. A Trust "
            "administrator can add it to the frameworks the Trust offers."
        )
    if educator.pk == current.learner_id or any(a.pk == current.learner_id for a in assessors):
        raise ConflictError("Learners cannot sign off or assess their own enrolment.")
    _check_staff(trust=trust, educator=educator, assessors=assessors)


def _withdraw_waiting_requests(*, enrolment: Enrolment, to_trust, by, at) -> int:
    """Inside the move: requests waiting at the old Trust cannot be decided there any more.
    Their proficiencies go back to achieved, so the learner can ask again at the new Trust."""
    note = (
        f"Withdrawn because the enrolment moved from {enrolment.trust.name} to {to_trust.name}: "
        f"ask for confirmation again at {to_trust.name}"
    )
    return withdraw_waiting(enrolment=enrolment, by=by, at=at, note=note)


def enrolment_move_trust(*, enrolment, trust, educator, assessors, by) -> Enrolment:
    """An educator of the learner's new Trust moves their open enrolment there, with a new
    educator and default assessors. Requests waiting at the old Trust are withdrawn, with
    events saying why; nothing else changes and nothing is deleted. Two educators moving it
    at once: one wins, the other is told who moved it and when."""
    assessors = list(assessors)
    expected_trust_id = enrolment.trust_id
    with transaction.atomic():
        current = lock_enrolment(enrolment)
        _check_move(
            current=current,
            expected_trust_id=expected_trust_id,
            trust=trust,
            educator=educator,
            assessors=assessors,
            by=by,
        )
        old_trust = current.trust
        at = now()
        withdrawn = _withdraw_waiting_requests(enrolment=current, to_trust=trust, by=by, at=at)
        if current.state == EnrolmentState.SIGN_OFF_REQUESTED:
            withdraw_waiting_sign_off(
                enrolment=current,
                by=by,
                note=(
                    f"Withdrawn because the enrolment moved to {trust.name}: ask for sign-off "
                    f"again at {trust.name}"
                ),
            )
        unit = (
            Membership.objects.current()
            .get(trust=trust, person_id=current.learner_id, is_learner=True)
            .unit
        )
        moved = Enrolment.objects.filter(
            pk=current.pk, trust_id=old_trust.pk, state__in=OPEN_ENROLMENT_STATES
        ).update(trust=trust, unit=unit, educator=educator)
        if not moved:
            raise ConflictError(
                f"Someone else moved this enrolment a moment ago{_last_move(current.pk)}. "
                "Nothing was changed."
            )
        current.assessors.set(assessors)
        EnrolmentEvent.objects.create(
            enrolment=current,
            kind=EnrolmentEventKind.MOVED_TRUST,
            actor=by,
            from_state=EnrolmentState.ACTIVE,
            to_state=EnrolmentState.ACTIVE,
            # Written at the Trust it leaves: the last line of that Trust's part.
            trust=old_trust,
            at=at,
            note=(
                f"From {old_trust.name} to {trust.name}, on {current.version}; educator "
                f"{educator.full_name}; assessors: "
                + (", ".join(a.full_name for a in assessors) or "none")
                + (f"; {withdrawn} waiting for confirmation withdrawn" if withdrawn else "")
            ),
        )
        notify(
            person=current.learner,
            text=(
                f"Your {current.version} enrolment has moved from {old_trust.name} to "
                f"{trust.name}. {educator.full_name} will sign it off."
                + (
                    f" Requests waiting for confirmation were withdrawn: ask again at {trust.name}."
                    if withdrawn
                    else ""
                )
            ),
            url=reverse("progress:enrolment", args=[current.pk]),
        )
    enrolment.refresh_from_db()
    return enrolment
