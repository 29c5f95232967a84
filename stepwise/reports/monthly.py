"""Sign-offs and confirmations per month, and the statistical process control (XmR) figures
NHS England's "Making Data Count" asks boards to use instead of red, amber and green: the
mean, and process limits at the mean plus and minus 2.66 times the mean moving range. A month
outside the limits is a special cause worth asking about; one inside is ordinary variation."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from stepwise.progress.models import Decision, Enrolment

MONTHS = 24
# The XmR constant: 3 / d2 for moving ranges of two points (d2 = 1.128).
LIMIT_FACTOR = 2.66


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first day of each of the last `months` months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _by_month(rows) -> dict[date, int]:
    return {
        (row["month"].date() if hasattr(row["month"], "date") else row["month"]): row["n"]
        for row in rows
    }


def monthly_counts(found: QuerySet[Enrolment], today: date | None = None) -> dict:
    """Sign-offs and confirmations in each of the last 24 months. Two queries."""
    months = month_starts(today or timezone.localdate())
    start = timezone.make_aware(timezone.datetime(months[0].year, months[0].month, 1))
    zone = timezone.get_current_timezone()
    sign_offs = _by_month(
        found.filter(signed_off_at__gte=start)
        .annotate(month=TruncMonth("signed_off_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .values("month", "n")
    )
    confirmations = _by_month(
        Decision.objects.filter(
            outcome=Decision.Outcome.CONFIRMED,
            at__gte=start,
            record__enrolment__in=found.values("pk"),
        )
        .annotate(month=TruncMonth("at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .values("month", "n")
    )
    return {
        "months": months,
        "sign_offs": [sign_offs.get(month, 0) for month in months],
        "confirmations": [confirmations.get(month, 0) for month in months],
    }


@dataclass(frozen=True)
class ProcessLimits:
    mean: float
    lower: float
    upper: float

    def outside(self, value: float) -> bool:
        return value < self.lower or value > self.upper


def process_limits(values: list[int]) -> ProcessLimits:
    if not values:
        return ProcessLimits(0, 0, 0)
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    spread = LIMIT_FACTOR * (sum(ranges) / len(ranges) if ranges else 0)
    # A count cannot fall below nought.
    return ProcessLimits(mean, max(0.0, mean - spread), mean + spread)
