"""Reading notifications, and the reminders' calendar (how often the same reminder may be
sent). What the reminders are about is the progress app's (`progress.queries.reminders`)."""

from datetime import datetime, time, timedelta

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from stepwise.notifications.models import Notification

# Reminders about the same thing are at least this many days apart.
REMIND_EVERY_DAYS = 7


def notifications_of(person) -> QuerySet[Notification]:
    return Notification.objects.filter(person=person).order_by("-created_at", "-pk")


# The signed-in person's row may come with their unread count under this name (accounts'
# backend loads it with `unread_annotation()`): the header then costs no query of its own.
UNREAD = "unread_notifications"


def unread_annotation():
    """A person's (the outer query's) unread notices, to count while their row is read."""
    unread = (
        Notification.objects.filter(person=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("person")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread), 0)


def unread_count(request) -> int:
    """The signed-in person's unread notices: counted with their row, else one query per
    request, however often asked (the header and the list page both want it)."""
    if not hasattr(request, "_stepwise_unread"):
        counted = getattr(request.user, UNREAD, None)
        request._stepwise_unread = (
            counted
            if counted is not None
            else Notification.objects.filter(person=request.user, read_at__isnull=True).count()
        )
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
