"""What the daily reminders are due for: confirmation requests waiting more than a week, and
open enrolments due within 30 days or overdue, each not reminded about in the last week."""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from stepwise.notifications.models import Reminder
from stepwise.notifications.queries import remind_again_after
from stepwise.progress.models import ConfirmationRequest, Enrolment
from stepwise.progress.states import OPEN_ENROLMENT_STATES, RecordState

# A request waiting longer than this earns its assessors a reminder.
REQUEST_WAIT = timedelta(days=7)
# Enrolments due within this many days (or overdue) earn a reminder.
DUE_WITHIN_DAYS = 30


def requests_to_remind(at: datetime) -> QuerySet[ConfirmationRequest]:
    return (
        ConfirmationRequest.objects.filter(
            state=ConfirmationRequest.State.WAITING, requested_at__lt=at - REQUEST_WAIT
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=remind_again_after(at)))
        .select_related(
            "assessor",
            "unit",
            "enrolment__learner",
            "enrolment__educator",
            "enrolment__version__framework",
        )
        .order_by("requested_at", "pk")
    )


def enrolments_to_remind(at: datetime) -> QuerySet[Enrolment]:
    """Open enrolments due within 30 days or overdue, not reminded about in the last week,
    with how far they have got (one query for all of them)."""
    recent = Reminder.objects.filter(
        kind=Reminder.Kind.ENROLMENT_DUE,
        object_id=OuterRef("pk"),
        sent_at__gte=remind_again_after(at),
    )
    required = Q(records__proficiency__optional=False, records__proficiency__version=F("version"))
    return (
        Enrolment.objects.filter(
            state__in=OPEN_ENROLMENT_STATES,
            due_on__isnull=False,
            due_on__lte=timezone.localdate(at) + timedelta(days=DUE_WITHIN_DAYS),
        )
        .exclude(Exists(recent))
        .select_related("learner", "educator", "version__framework")
        .annotate(
            required=Count("records", filter=required),
            required_confirmed=Count(
                "records", filter=required & Q(records__state=RecordState.CONFIRMED)
            ),
        )
        .order_by("due_on", "pk")
    )
