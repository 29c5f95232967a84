"""What the dashboards read: grouped counts over the enrolments a person may see.

Every figure is one grouped query, so a dashboard costs the same number of queries however
many learners, units or assessors it covers. Every query starts from the `Scope` (the
person's Trust, or their unit), so another Trust's learners are never counted or listed.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
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
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from stepwise.frameworks.models import Proficiency
from stepwise.organisations.models import Organisation
from stepwise.progress.models import ConfirmationRequest, Enrolment, ProficiencyRecord
from stepwise.progress.states import OPEN_ENROLMENT_STATES, EnrolmentState, RecordState
from stepwise.reports.forms import Filters

# The CC3N expectation: Step 1 signed off within 12 months of starting.
EXPECTED_WITHIN = timedelta(days=365)
DUE_SOON = timedelta(days=30)
# Waiting requests by age, in days: under 7, 7 to 14, over 14.
AGE_BANDS = (7, 14)


@dataclass(frozen=True)
class Scope:
    """Whose learners a person sees: a Trust, or one unit of it."""

    trust: Organisation
    unit: Organisation | None = None

    @property
    def name(self) -> str:
        return f"{self.unit.name}, {self.trust.name}" if self.unit else self.trust.name


STAGES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "awaiting_confirmation": "Waiting for confirmation",
    "awaiting_sign_off": "Waiting for sign-off",
    "signed_off": "Signed off",
    "withdrawn": "Withdrawn",
}
# The named lists a dashboard count links to, beyond the stages.
DUE = {
    "signed_off_in_time": "Signed off within 12 months of starting",
    "overdue": "Overdue",
    "due_soon": "Due within 30 days",
}


def _apply(found: QuerySet[Enrolment], filters: Filters) -> QuerySet[Enrolment]:
    if filters.framework_id:
        found = found.filter(framework_id=filters.framework_id)
    if filters.version_id:
        found = found.filter(version_id=filters.version_id)
    if filters.unit_id:
        found = found.filter(unit_id=filters.unit_id)
    if filters.job_title:
        # The learner's job role as their account says it now.
        found = found.filter(learner__job_title=filters.job_title)
    if filters.cohort_id:
        found = found.filter(trust__cohorts=filters.cohort_id)
    if filters.started_from:
        found = found.filter(enrolled_at__date__gte=filters.started_from)
    if filters.started_to:
        found = found.filter(enrolled_at__date__lte=filters.started_to)
    return found


def enrolments(scope: Scope, filters: Filters) -> QuerySet[Enrolment]:
    found = Enrolment.objects.filter(trust_id=scope.trust.pk)
    if scope.unit is not None:
        found = found.filter(unit_id=scope.unit.pk)
    return _apply(found, filters)


def all_enrolments(filters: Filters, **within) -> QuerySet[Enrolment]:
    """Enrolments across Trusts (the network and national reports), e.g.
    `trust__parent=network`."""
    return _apply(Enrolment.objects.filter(**within), filters)


def job_titles(found: QuerySet[Enrolment]) -> list[str]:
    """The learners' job roles, where their accounts say one, for the filter. One query."""
    return list(
        found.exclude(learner__job_title="")
        .values_list("learner__job_title", flat=True)
        .distinct()
        .order_by("learner__job_title")
    )


def _current_records(**conditions) -> QuerySet[ProficiencyRecord]:
    # Records of the enrolment's current version: a move to a new version leaves the old
    # version's records in place.
    return ProficiencyRecord.objects.filter(
        enrolment=OuterRef("pk"), proficiency__version_id=OuterRef("version_id"), **conditions
    )


def with_stage(found: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    waiting = Exists(_current_records(state=RecordState.AWAITING_CONFIRMATION))
    started = Exists(_current_records().exclude(state=RecordState.NOT_STARTED))
    return found.annotate(
        stage=Case(
            When(state=EnrolmentState.WITHDRAWN, then=Value("withdrawn")),
            When(state=EnrolmentState.SIGNED_OFF, then=Value("signed_off")),
            When(state=EnrolmentState.SIGN_OFF_REQUESTED, then=Value("awaiting_sign_off")),
            When(waiting, then=Value("awaiting_confirmation")),
            When(started, then=Value("in_progress")),
            default=Value("not_started"),
        )
    )


def _due_conditions(today) -> dict[str, Q]:
    return {
        "signed_off_in_time": Q(
            state=EnrolmentState.SIGNED_OFF,
            signed_off_at__lte=F("enrolled_at") + EXPECTED_WITHIN,
        ),
        "overdue": Q(state__in=OPEN_ENROLMENT_STATES, due_on__lt=today),
        "due_soon": Q(
            state__in=OPEN_ENROLMENT_STATES, due_on__gte=today, due_on__lte=today + DUE_SOON
        ),
    }


def named_list(found: QuerySet[Enrolment], show: str, today=None) -> QuerySet[Enrolment]:
    """The enrolments behind one dashboard count, e.g. `overdue` or `awaiting_sign_off`."""
    today = today or timezone.localdate()
    if show in DUE:
        found = found.filter(_due_conditions(today)[show])
    elif show in STAGES:
        found = with_stage(found).filter(stage=show)
    return found.select_related("learner", "version__framework", "unit").order_by(
        "learner__full_name", "pk"
    )


def stage_counts(found: QuerySet[Enrolment]) -> list[dict]:
    """Figure 1: enrolments per framework and stage. One query."""
    return list(
        with_stage(found)
        .values("framework_id", "framework__title", "stage")
        .annotate(count=Count("pk"))
        .order_by("framework__title", "framework_id")
    )


def stage_counts_by(found: QuerySet[Enrolment], place: str) -> list[dict]:
    """Enrolments per place (`trust__parent` for networks, `trust`, `unit`) and stage, whatever
    the framework. One query."""
    return list(
        with_stage(found)
        .values(f"{place}_id", f"{place}__name", "stage")
        .annotate(count=Count("pk"))
        .order_by(f"{place}__name", f"{place}_id")
    )


def _count(records: QuerySet) -> Coalesce:
    counted = records.values("enrolment").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def confirmed_shares(found: QuerySet[Enrolment]) -> list[dict]:
    """Figure 1's last column: per framework, required proficiencies confirmed (and optional
    ones up to the version's minimum) against what sign-off needs, over enrolments not
    withdrawn. One query."""
    required = Proficiency.objects.filter(version_id=OuterRef("version_id"), optional=False)
    needed = Coalesce(
        Subquery(
            required.values("version_id").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    confirmed = RecordState.CONFIRMED
    return list(
        found.exclude(state=EnrolmentState.WITHDRAWN)
        .annotate(
            done=ExpressionWrapper(
                _count(_current_records(state=confirmed, proficiency__optional=False))
                + Least(
                    _count(_current_records(state=confirmed, proficiency__optional=True)),
                    F("version__minimum_optional"),
                ),
                output_field=IntegerField(),
            ),
            needed=ExpressionWrapper(
                needed + F("version__minimum_optional"), output_field=IntegerField()
            ),
        )
        .values("framework_id")
        .annotate(done_total=Sum("done"), needed_total=Sum("needed"))
        .order_by("framework_id")
    )


# What a figure's rows may be: per framework (a Trust's dashboard) or per Trust (a network's
# reports), and the field that names each row.
BY = {"framework": "framework__title", "trust": "trust__name"}


def due_counts(found: QuerySet[Enrolment], today=None, by: str = "framework") -> list[dict]:
    """Figure 2: per framework (or Trust), sign-offs and how many came within 12 months of
    starting, overdue enrolments and those due within 30 days. One query."""
    today = today or timezone.localdate()
    counts = {name: Count("pk", filter=q) for name, q in _due_conditions(today).items()}
    return list(
        found.values(f"{by}_id", BY[by])
        .annotate(
            started=Count("pk"),
            signed_off=Count("pk", filter=Q(state=EnrolmentState.SIGNED_OFF)),
            **counts,
        )
        .order_by(BY[by], f"{by}_id")
    )


def workload(found: QuerySet[Enrolment], now=None) -> list[dict]:
    """Figure 4: requests waiting, by age in whole days, for each named assessor and each
    unit's pool. One query."""
    # Ages in whole days, UK time, as the summaries keep them: asked 7 days ago or more is
    # "7 to 14 days" all day.
    today = timezone.localtime(now or timezone.now()).date()
    week, fortnight = (
        timezone.make_aware(datetime.combine(today - timedelta(days=days - 1), time.min))
        for days in AGE_BANDS
    )
    return list(
        ConfirmationRequest.objects.filter(
            state=ConfirmationRequest.State.WAITING, enrolment__in=found.values("pk")
        )
        .values("assessor_id", "assessor__full_name", "unit_id", "unit__name")
        .annotate(
            under_week=Count("pk", filter=Q(requested_at__gte=week)),
            week_to_fortnight=Count(
                "pk", filter=Q(requested_at__lt=week, requested_at__gte=fortnight)
            ),
            over_fortnight=Count("pk", filter=Q(requested_at__lt=fortnight)),
            waiting=Count("pk"),
        )
        # Named assessors first, then the units' pools, the same on every database.
        .order_by(
            F("assessor__full_name").asc(nulls_last=True),
            F("unit__name").asc(nulls_last=True),
            "assessor_id",
            "unit_id",
        )
    )


def waiting_by_trust(found: QuerySet[Enrolment], now=None) -> list[dict]:
    """Figure 4 for a network: requests waiting per Trust, by age in whole days. One query."""
    today = timezone.localtime(now or timezone.now()).date()
    week, fortnight = (
        timezone.make_aware(datetime.combine(today - timedelta(days=days - 1), time.min))
        for days in AGE_BANDS
    )
    # The enrolment's Trust now, as the summaries count it (a request keeps the Trust it
    # was made at).
    rows = (
        ConfirmationRequest.objects.filter(
            state=ConfirmationRequest.State.WAITING, enrolment__in=found.values("pk")
        )
        .values("enrolment__trust_id", "enrolment__trust__name")
        .annotate(
            under_week=Count("pk", filter=Q(requested_at__gte=week)),
            week_to_fortnight=Count(
                "pk", filter=Q(requested_at__lt=week, requested_at__gte=fortnight)
            ),
            over_fortnight=Count("pk", filter=Q(requested_at__lt=fortnight)),
            waiting=Count("pk"),
        )
        .order_by("enrolment__trust__name", "enrolment__trust_id")
    )
    return [
        {
            "trust_id": row.pop("enrolment__trust_id"),
            "trust__name": row.pop("enrolment__trust__name"),
            **row,
        }
        for row in rows
    ]
