"""Median days (whole days taken) from asking for confirmation to the assessor's decision,
and from enrolment to sign-off, over the enrolments a report covers.

A median without a database function for it (SQLite has none): count the rows, then read the
middle one (or the two middle ones) in order. Four small queries whatever the numbers, and
nothing held in memory.
"""

from datetime import timedelta

from django.db.models import DurationField, ExpressionWrapper, F, QuerySet

from stepwise.progress.models import Decision, Enrolment
from stepwise.progress.states import EnrolmentState

DAY = timedelta(days=1)


def _median(rows: QuerySet, duration) -> float | None:
    ordered = rows.annotate(
        taken=ExpressionWrapper(duration, output_field=DurationField())
    ).order_by("taken", "pk")
    count = ordered.count()
    if not count:
        return None
    middle = list(ordered.values_list("taken", flat=True)[(count - 1) // 2 : count // 2 + 1])
    # In whole days, as the summaries count them.
    return sum(taken // DAY for taken in middle) / len(middle)


def median_days(found: QuerySet[Enrolment]) -> dict[str, float | None]:
    decisions = Decision.objects.filter(
        record__enrolment__in=found.values("pk"), request__isnull=False
    )
    signed_off = found.filter(state=EnrolmentState.SIGNED_OFF, signed_off_at__isnull=False)
    return {
        "to_decision": _median(decisions, F("at") - F("request__requested_at")),
        "to_sign_off": _median(signed_off, F("signed_off_at") - F("enrolled_at")),
    }
