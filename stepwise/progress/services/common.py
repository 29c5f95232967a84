"""Shared by the progress services: the guards every change passes through."""

from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date_time
from stepwise.organisations.models import Membership
from stepwise.progress.models import Enrolment, ProficiencyRecord, RecordEvent
from stepwise.progress.states import EnrolmentState, RecordEventKind


def lock_enrolment(enrolment: Enrolment) -> Enrolment:
    """Inside a transaction: take the enrolment's row lock, so changes to one enrolment happen
    one after another. On PostgreSQL a second, simultaneous change then reads what the first
    committed (and gets "already done by X" or finds nothing to do) instead of acting on a
    stale read; SQLite's IMMEDIATE transactions already serialise every write."""
    # Lock the row on its own first: a locking query with joins can miss a row whose joined
    # key (its version or Trust) another transaction changed while this one waited.
    locked = Enrolment.objects.select_for_update().filter(pk=enrolment.pk).values_list("pk")
    if not list(locked):
        raise Enrolment.DoesNotExist
    return Enrolment.objects.select_related("version", "trust").get(pk=enrolment.pk)


def open_enrolment(enrolment: Enrolment, *, allow_sign_off_requested=False) -> Enrolment:
    """The enrolment as stored now, locked, if it can still change; else a ConflictError."""
    current = lock_enrolment(enrolment)
    allowed = [EnrolmentState.ACTIVE]
    if allow_sign_off_requested:
        allowed.append(EnrolmentState.SIGN_OFF_REQUESTED)
    if current.state not in allowed:
        raise ConflictError(
            f"This enrolment is {current.get_state_display().lower()}, so it cannot be changed."
        )
    return current


def require_educator(enrolment: Enrolment, person) -> None:
    """Staff changes to an enrolment are for educators of the Trust it is at now."""
    if (
        not Membership.objects.current()
        .filter(trust_id=enrolment.trust_id, person=person, is_educator=True)
        .exists()
    ):
        raise ConflictError("Only an educator of the learner's current Trust can do this.")


def remember_registration(person, body: str, number: str) -> None:
    """Inside a caller's transaction: keep the registration a person just stated, so they are
    asked only once (decisions and sign-offs record it as stated at the time anyway)."""
    if (person.registration_body, person.registration_number) != (body, number):
        User.objects.filter(pk=person.pk).update(registration_body=body, registration_number=number)


def last_move(record: ProficiencyRecord) -> str:
    """ "already confirmed by Ben Thompson on 5 March 2026, 2:30pm" for a lost race."""
    event = (
        RecordEvent.objects.filter(record=record)
        .exclude(kind__in=[RecordEventKind.EVIDENCE_ADDED, RecordEventKind.EVIDENCE_REMOVED])
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        return ""
    return f"by {event.actor.full_name} on {date_time(event.at)}"


def lost_race(record_id: int, doing: str) -> ConflictError:
    record = ProficiencyRecord.objects.select_related("proficiency").get(pk=record_id)
    who = last_move(record)
    return ConflictError(
        f"{record.proficiency.code} could not be {doing}: it is already "
        f"{record.get_state_display().lower()}{' ' + who if who else ''}. Nothing was saved."
    )


def now():
    return timezone.now()
