"""How dates and times read on every page (NHS style: 5 March 2026, 2:30pm)."""

from datetime import date as date_type
from datetime import datetime

from django.utils import timezone


def date(value: date_type | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def time(value: datetime) -> str:
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.minute:
        return f"{hour}:{local.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def date_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{date(value)}, {time(value)}"


def age(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in the largest whole unit: "3 days", "5 hours", "under an hour"."""
    # Not Django's timesince: it says "1 month, 2 weeks"; waiting times are counted in days.
    if value is None:
        return ""
    seconds = ((now or timezone.now()) - value).total_seconds()
    days = int(seconds // 86400)
    if days >= 1:
        return f"{days} day{'s' if days != 1 else ''}"
    hours = int(seconds // 3600)
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return "under an hour"
