"""Reading notifications, and the reminders' calendar (how often the same reminder may be
sent). What the reminders are about is the progress app's (`progress.queries.reminders`)."""

from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from stepwise.notifications.models import Notification

# Reminders about the same thing are at least this many days apart.
REMIND_EVERY_DAYS = 7


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
