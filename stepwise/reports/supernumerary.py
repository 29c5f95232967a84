"""Figure 3: proficiencies marked for the supernumerary period, confirmed within it.

A framework version sets its supernumerary period in weeks from enrolment
(`FrameworkVersion.supernumerary_weeks`) and marks the proficiencies to achieve in it
(`Proficiency.supernumerary`). A proficiency counts as confirmed within the period when the
decision that confirmed it, and still stands, is dated on or before the period's end.

The period's end is the enrolment's start plus its version's weeks; a learner is in their
period all through the day it ends (UK time), as the summaries keep it (by the day it ends,
progress.summary_models.SupernumerarySummary). Databases cannot all
multiply a duration by a column, so it is a CASE over the few lengths versions use (one small
query finds them): the query count stays the same however many learners there are.
"""

from datetime import datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from stepwise.frameworks.models import FrameworkVersion, Proficiency
from stepwise.progress.models import Enrolment, ProficiencyRecord
from stepwise.progress.states import EnrolmentState, RecordState

# The named lists behind the figure's counts.
LISTS = {
    "supernumerary_now": "In their supernumerary period",
    "supernumerary_met": "Supernumerary proficiencies all confirmed in the period",
    "supernumerary_missed": "Supernumerary proficiencies not all confirmed in the period",
}


def period_lengths() -> list[int]:
    """The supernumerary periods versions use, in weeks. One query over versions."""
    return sorted(
        set(
            FrameworkVersion.objects.filter(supernumerary_weeks__gt=0).values_list(
                "supernumerary_weeks", flat=True
            )
        )
    )


def _period_end(weeks: list[int]) -> Case:
    return Case(
        *(
            When(version__supernumerary_weeks=w, then=F("enrolled_at") + Value(timedelta(weeks=w)))
            for w in weeks
        ),
        default=None,
        output_field=DateTimeField(),
    )


def _count(queryset, group: str) -> Coalesce:
    counted = queryset.values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _today_began(now=None) -> datetime:
    today = timezone.localtime(now or timezone.now()).date()
    return timezone.make_aware(datetime.combine(today, time.min))


def with_period(found: QuerySet[Enrolment], weeks: list[int], now=None) -> QuerySet[Enrolment]:
    """Enrolments not withdrawn with a supernumerary period, each with its end (`period_end`),
    its supernumerary proficiencies (`needed`), those confirmed by the end (`in_time`) and
    where it stands (`standing`: now, met or missed)."""
    today_began = _today_began(now)
    needed = _count(
        Proficiency.objects.filter(version_id=OuterRef("version_id"), supernumerary=True),
        "version_id",
    )
    in_time = _count(
        ProficiencyRecord.objects.filter(
            enrolment=OuterRef("pk"),
            proficiency__version_id=OuterRef("version_id"),
            proficiency__supernumerary=True,
            state=RecordState.CONFIRMED,
            decision__at__lte=OuterRef("period_end"),
        ),
        "enrolment",
    )
    return (
        found.exclude(state=EnrolmentState.WITHDRAWN)
        .filter(version__supernumerary_weeks__in=weeks)
        .annotate(period_end=_period_end(weeks), needed=needed)
        .filter(needed__gt=0)
        .annotate(
            in_time=in_time,
            standing=Case(
                When(period_end__gte=today_began, then=Value("supernumerary_now")),
                When(in_time__gte=F("needed"), then=Value("supernumerary_met")),
                default=Value("supernumerary_missed"),
            ),
        )
    )


def counts(
    found: QuerySet[Enrolment], weeks: list[int], now=None, by: str = "framework"
) -> list[dict]:
    """Per framework (or per Trust, `by="trust"`): learners in each standing, and over those
    whose period is over, the supernumerary proficiencies confirmed in it against those
    needed. One query."""
    over = ~Q(standing="supernumerary_now")
    name = {"framework": "framework__title", "trust": "trust__name"}[by]
    return list(
        with_period(found, weeks, now)
        .values(f"{by}_id", name)
        .annotate(
            learners=Count("pk"),
            **{show: Count("pk", filter=Q(standing=show)) for show in LISTS},
            confirmed_in_time=Coalesce(Sum("in_time", filter=over), 0),
            needed_total=Coalesce(Sum("needed", filter=over), 0),
        )
        .order_by(name, f"{by}_id")
    )


def named(found: QuerySet[Enrolment], show: str, now=None) -> QuerySet[Enrolment]:
    """The enrolments behind one of the figure's counts. Filtered on what `standing` is made
    of rather than on `standing` itself: the database then counts the confirmed
    proficiencies only where the period is over (and not at all for those in it)."""
    periods = with_period(found, period_lengths(), now)
    began = _today_began(now)
    if show == "supernumerary_now":
        return periods.filter(period_end__gte=began)
    over = periods.filter(period_end__lt=began)
    if show == "supernumerary_met":
        return over.filter(in_time__gte=F("needed"))
    return over.filter(in_time__lt=F("needed"))
