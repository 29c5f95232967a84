"""Sign-offs and confirmations per month, and the statistical process control (XmR) figures
NHS England's "Making Data Count" asks boards to use instead of red, amber and green: the
mean, and process limits at the mean plus and minus 2.66 times the mean moving range. A month
outside the limits is a special cause worth asking about; so is a run of 7 or more months on
one side of the mean (a shift), or 7 or more months each higher (or lower) than the one before
(a trend). Anything else is ordinary variation."""

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


# Making Data Count's rules for a shift and a trend.
RUN_LENGTH = 7
SHIFT_ABOVE, SHIFT_BELOW = "shift_above", "shift_below"
TREND_UP, TREND_DOWN = "trend_up", "trend_down"
SIGNALS = {
    SHIFT_ABOVE: "a run above the mean",
    SHIFT_BELOW: "a run below the mean",
    TREND_UP: "a rising trend",
    TREND_DOWN: "a falling trend",
}


@dataclass(frozen=True)
class Run:
    """Months `start` to `end` (indexes, inclusive) that together are a special cause."""

    kind: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def _runs(sides: list[int], kinds: dict[int, str], offset: int = 0) -> list[Run]:
    """Stretches of RUN_LENGTH or more equal non-zero signs; `offset` widens each run
    backwards (a trend of n rises spans n + 1 months)."""
    runs, start = [], 0
    for index in range(1, len(sides) + 1):
        if index == len(sides) or sides[index] != sides[start]:
            if sides[start] and index - start + offset >= RUN_LENGTH:
                runs.append(Run(kinds[sides[start]], start, index - 1 + offset))
            start = index
    return runs


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def special_runs(values: list[int], limits: ProcessLimits) -> list[Run]:
    """Shifts (7 or more months on one side of the mean; a month on the mean ends a run) and
    trends (7 or more months each higher, or each lower, than the month before; a month equal
    to the one before ends a trend), in order of their first month."""
    shifts = _runs([_sign(v - limits.mean) for v in values], {1: SHIFT_ABOVE, -1: SHIFT_BELOW})
    steps = [_sign(b - a) for a, b in zip(values, values[1:], strict=False)]
    trends = _runs(steps, {1: TREND_UP, -1: TREND_DOWN}, offset=1)
    return sorted(shifts + trends, key=lambda run: (run.start, run.kind))


def signals_by_month(count: int, runs: list[Run]) -> list[list[str]]:
    """For each month, the kinds of run it is part of."""
    found: list[list[str]] = [[] for _ in range(count)]
    for run in runs:
        for index in range(run.start, run.end + 1):
            found[index].append(run.kind)
    order = list(SIGNALS)
    return [sorted(kinds, key=order.index) for kinds in found]
