"""Reading notifications, and finding what the daily reminders are due for."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from stepwise.notifications.models import Notification, Reminder
from stepwise.progress.models import ConfirmationRequest, Enrolment
from stepwise.progress.states import OPEN_ENROLMENT_STATES, RecordState

# A request waiting longer than this earns its assessors a reminder.
REQUEST_WAIT = timedelta(days=7)
# Reminders about the same thing are at least this many days apart.
REMIND_EVERY_DAYS = 7
# Enrolments due within this many days (or overdue) earn a reminder.
DUE_WITHIN_DAYS = 30


def notifications_of(person) -> QuerySet[Notification]:
    return Notification.objects.filter(person=person).order_by("-created_at", "-pk")


def unread_count(request) -> int:
    """The signed-in person's unread notices: one query per request, however often asked
    (the header and the list page both want it)."""
    if not hasattr(request, "_stepwise_unread"):
        request._stepwise_unread = Notification.objects.filter(
            person=request.user, read_at__isnull=True
        ).count()
    return request._stepwise_unread


def remind_again_after(at: datetime) -> datetime:
    """A reminder sent before this moment may be followed by another now. Counted in days,
    not to the second, so a daily run that starts a little earlier than last week's still
    sends on the seventh day."""
    day = timezone.localdate(at) - timedelta(days=REMIND_EVERY_DAYS - 1)
    return timezone.make_aware(datetime.combine(day, time.min))


def week_of(at: datetime):
    day = timezone.localdate(at)
    return day - timedelta(days=day.weekday())


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
