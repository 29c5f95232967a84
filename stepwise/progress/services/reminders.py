"""The daily reminders (`manage.py send_reminders`): confirmation requests waiting more than a
week, and open enrolments due within 30 days or overdue.

Each reminder is claimed before it is sent (a conditional update, or a row that may exist only
once a week), so two runs at once, or a run repeated the same day, remind nobody twice.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from stepwise.core.formatting import date
from stepwise.notifications.models import Reminder
from stepwise.notifications.queries import remind_again_after
from stepwise.notifications.services import notify, notify_many, reminder_record
from stepwise.organisations.models import Membership
from stepwise.progress.models import ConfirmationRequest, Enrolment
from stepwise.progress.presenters.reminders import due_phrase
from stepwise.progress.presenters.staff import proficiencies
from stepwise.progress.queries.reminders import (
    REQUEST_WAIT,
    enrolments_to_remind,
    requests_to_remind,
)
from stepwise.progress.services.sign_off import completion
from stepwise.progress.states import OPEN_ENROLMENT_STATES, EnrolmentState


@dataclass
class RemindersSent:
    requests: int = 0
    enrolments: int = 0


def reminders_send(*, at: datetime | None = None) -> RemindersSent:
    at = at or timezone.now()
    sent = RemindersSent()
    for request in requests_to_remind(at):
        sent.requests += confirmation_request_remind(request=request, at=at)
    for enrolment in enrolments_to_remind(at):
        sent.enrolments += enrolment_remind_due(enrolment=enrolment, at=at)
    return sent


def _reviewers(request) -> list:
    """Who can act on a waiting request: the named assessor, or the unit's assessors; the
    learner's educator when the pool has nobody in it."""
    if request.assessor_id is not None:
        return [request.assessor]
    pool = [
        membership.person
        for membership in Membership.objects.current()
        .filter(trust=request.trust_id, unit=request.unit_id, is_assessor=True)
        .exclude(person=request.enrolment.learner_id)
        .select_related("person")
    ]
    return pool or [request.enrolment.educator]


def confirmation_request_remind(*, request, at: datetime) -> bool:
    """Remind whoever can decide a request that has waited more than a week, at most once
    every seven days."""
    with transaction.atomic():
        claimed = (
            ConfirmationRequest.objects.filter(
                pk=request.pk,
                state=ConfirmationRequest.State.WAITING,
                requested_at__lt=at - REQUEST_WAIT,
            )
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=remind_again_after(at)))
            .update(reminded_at=at)
        )
        if not claimed:
            return False
        people = _reviewers(request)
        if not reminder_record(
            kind=Reminder.Kind.CONFIRMATION_REQUEST,
            object_id=request.pk,
            at=at,
            people=len(people),
        ):
            transaction.set_rollback(True)
            return False
        enrolment = request.enrolment
        days = (at - request.requested_at).days
        learner = enrolment.learner
        notify_many(
            people=people,
            text=(
                f"Reminder: {learner.full_name} has been waiting {days} days for "
                f"{proficiencies(request.item_count)} in {enrolment.version.framework.title} "
                "to be confirmed."
            ),
            url=reverse("progress:review", args=[request.pk]),
            email_template="progress/emails/confirmation_reminder",
            context={
                "request": request,
                "learner": learner,
                "enrolment": enrolment,
                "days": days,
                "proficiencies": proficiencies(request.item_count),
            },
        )
    return True


def _progress(enrolment) -> str:
    if hasattr(enrolment, "required"):  # counted for every enrolment in one query
        required, confirmed = enrolment.required, enrolment.required_confirmed
    else:
        done = completion(enrolment)
        required, confirmed = done["required"], done["required_confirmed"]
    return f"{confirmed} of {required} required proficiencies are confirmed."


def enrolment_remind_due(*, enrolment, at: datetime) -> bool:
    """Remind the learner and their educator of an open enrolment due within 30 days (or
    overdue), at most once every seven days."""
    today = timezone.localdate(at)
    with transaction.atomic():
        if not Enrolment.objects.filter(pk=enrolment.pk, state__in=OPEN_ENROLMENT_STATES).exists():
            return False
        if Reminder.objects.filter(
            kind=Reminder.Kind.ENROLMENT_DUE,
            object_id=enrolment.pk,
            sent_at__gte=remind_again_after(at),
        ).exists():
            return False
        if not reminder_record(
            kind=Reminder.Kind.ENROLMENT_DUE, object_id=enrolment.pk, at=at, people=2
        ):
            return False
        title = enrolment.version.framework.title
        when = due_phrase(enrolment.due_on, today)
        progress = _progress(enrolment)
        waiting = enrolment.state == EnrolmentState.SIGN_OFF_REQUESTED
        context = {
            "enrolment": enrolment,
            "title": title,
            "due_phrase": when,
            "due_on": date(enrolment.due_on),
            "progress": progress,
            "waiting_for_sign_off": waiting,
        }
        notify(
            person=enrolment.learner,
            text=f"Reminder: your {title} {when}, on {date(enrolment.due_on)}. {progress}",
            url=reverse("progress:enrolment", args=[enrolment.pk]),
            email_template="progress/emails/enrolment_due_learner",
            context=context,
        )
        learner = enrolment.learner.full_name
        notify(
            person=enrolment.educator,
            text=(
                f"Reminder: {learner}'s {title} {when}, on {date(enrolment.due_on)}. "
                + (f"{learner} is waiting for your sign-off." if waiting else progress)
            ),
            url=reverse("progress:enrolment_manage", args=[enrolment.pk]),
            email_template="progress/emails/enrolment_due_educator",
            context=context,
        )
    return True
