"""The dashboards' figures read from the summaries the progress services keep
(stepwise/progress/summary_models.py, ADR 10) instead of counting records: a few small
grouped queries whatever the number of learners. Each function returns exactly what its
namesake in queries.py, monthly.py, durations.py or paper.py returns for the same
enrolments, so the presenters, the page and the downloads are the same either way (the
tests compare them).

The summaries carry the place (Trust, unit, so also a cohort of Trusts), the framework and its
version, not the day an enrolment started nor the learner's job role: `answers(filters)` says
whether they can answer.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.frameworks.models import Framework
from stepwise.organisations.models import Organisation
from stepwise.progress.summary_models import (
    DueSummary,
    DurationSummary,
    MonthSummary,
    StageSummary,
    Summary,
    SupernumerarySummary,
    WaitingSummary,
)
from stepwise.reports import monthly, paper
from stepwise.reports.forms import Filters
from stepwise.reports.queries import AGE_BANDS, BY, DUE_SOON

# The filters the summaries carry; any other set means counting the records. A cohort is a
# set of Trusts, and the summaries are kept per Trust.
CARRIED = {"framework_id", "version_id", "unit_id", "cohort_id"}


def answers(filters: Filters) -> bool:
    return all(
        not getattr(filters, field.name) for field in fields(filters) if field.name not in CARRIED
    )


@dataclass(frozen=True)
class Where:
    """Which summary rows a report adds up: one Trust (and one of its units), the Trusts of
    a network, or every Trust."""

    trust_id: int | None = None
    network_id: int | None = None
    unit_id: int | None = None
    framework_id: int | None = None
    version_id: int | None = None
    cohort_id: int | None = None

    def rows(self, model: type[Summary]) -> QuerySet:
        found = model.objects.all()
        if self.trust_id is not None:
            found = found.filter(trust_id=self.trust_id)
        if self.network_id is not None:
            trusts = Organisation.objects.filter(parent_id=self.network_id).values("pk")
            found = found.filter(trust_id__in=trusts)
        if self.unit_id is not None:
            found = found.filter(unit_id=self.unit_id)
        if self.framework_id is not None:
            found = found.filter(framework_id=self.framework_id)
        if self.version_id is not None:
            found = found.filter(version_id=self.version_id)
        if self.cohort_id is not None:
            trusts = Organisation.objects.filter(cohorts=self.cohort_id).values("pk")
            found = found.filter(trust_id__in=trusts)
        return found


def where_for(filters: Filters, *, trust=None, unit=None, network=None) -> list[Where]:
    """The rows a scope and its filters select: a unit of the scope and a unit filter must
    both hold (two different units select nothing), as with the records."""
    if unit is not None and filters.unit_id and filters.unit_id != unit.pk:
        return []
    return [
        Where(
            trust_id=trust.pk if trust is not None else None,
            network_id=network.pk if network is not None else None,
            unit_id=unit.pk if unit is not None else filters.unit_id,
            framework_id=filters.framework_id,
            version_id=filters.version_id,
            cohort_id=filters.cohort_id,
        )
    ]


def _titles(framework_ids) -> dict[int, str]:
    return dict(Framework.objects.filter(pk__in=framework_ids).values_list("pk", "title"))


def _by_title(rows: list[dict], by: str = "framework") -> list[dict]:
    return sorted(rows, key=lambda row: (row[BY[by]], row[f"{by}_id"]))


def _names(by: str, ids) -> dict[int, str]:
    """What names each row: a framework's title, or a Trust's name. One query."""
    if by == "framework":
        return _titles(ids)
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


def stage_counts(where: list[Where]) -> list[dict]:
    """Figure 1, as queries.stage_counts. Two queries."""
    rows = []
    for w in where:
        rows += list(
            w.rows(StageSummary)
            .values("framework_id", "stage")
            .annotate(count=Sum("enrolments"))
            .filter(count__gt=0)
            .order_by()
        )
    titles = _titles({row["framework_id"] for row in rows})
    return _by_title([{**row, "framework__title": titles[row["framework_id"]]} for row in rows])


def confirmed_shares(where: list[Where]) -> list[dict]:
    """As queries.confirmed_shares: over enrolments not withdrawn. One query."""
    rows = []
    for w in where:
        rows += list(
            w.rows(StageSummary)
            .exclude(stage="withdrawn")
            .values("framework_id")
            .annotate(done_total=Sum("done"), needed_total=Sum("needed"), count=Sum("enrolments"))
            .filter(count__gt=0)
            .order_by("framework_id")
        )
    return [
        {key: row[key] for key in ("framework_id", "done_total", "needed_total")} for row in rows
    ]


PLACE_FIELDS = {"trust__parent": "trust_id", "trust": "trust_id", "unit": "unit_id"}


def stage_counts_by(where: list[Where], place: str) -> list[dict]:
    """As queries.stage_counts_by: per network (`trust__parent`), Trust or unit. Two
    queries."""
    column = PLACE_FIELDS[place]
    rows = []
    for w in where:
        rows += list(
            w.rows(StageSummary)
            .values(column, "stage")
            .annotate(count=Sum("enrolments"))
            .filter(count__gt=0)
            .order_by()
        )
    ids = {row[column] for row in rows}
    if place == "trust__parent":
        parents = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "parent_id"))
        names = dict(
            Organisation.objects.filter(pk__in=set(parents.values())).values_list("pk", "name")
        )
    else:
        parents = {pk: pk for pk in ids}
        names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    totals: dict[tuple, int] = {}
    for row in rows:
        pk = parents.get(row[column]) or None
        totals[(pk, row["stage"])] = totals.get((pk, row["stage"]), 0) + row["count"]
    found = [
        {f"{place}_id": pk, f"{place}__name": names.get(pk), "stage": stage, "count": count}
        for (pk, stage), count in totals.items()
    ]
    # Places without a name ("No unit") last.
    return sorted(
        found,
        key=lambda row: (
            row[f"{place}__name"] is None,
            row[f"{place}__name"] or "",
            row[f"{place}_id"] or 0,
        ),
    )


def due_counts(where: list[Where], today: date | None = None, by: str = "framework") -> list[dict]:
    """Figure 2, as queries.due_counts. Three queries."""
    today = today or timezone.localdate()
    column = f"{by}_id"
    per_framework: dict[int, dict] = {}
    for w in where:
        for row in (
            w.rows(StageSummary)
            .values(column)
            .annotate(
                started=Sum("enrolments"),
                signed_off=Sum("enrolments", filter=Q(stage="signed_off")),
                signed_off_in_time=Sum("in_time"),
            )
            .filter(started__gt=0)
            .order_by()
        ):
            entry = per_framework.setdefault(
                row[column],
                dict.fromkeys(
                    ("started", "signed_off", "signed_off_in_time", "overdue", "due_soon"), 0
                ),
            )
            for name in ("started", "signed_off", "signed_off_in_time"):
                entry[name] += row[name] or 0
        for row in (
            w.rows(DueSummary)
            .values(column)
            .annotate(
                overdue=Sum("enrolments", filter=Q(due_on__lt=today)),
                due_soon=Sum(
                    "enrolments", filter=Q(due_on__gte=today, due_on__lte=today + DUE_SOON)
                ),
            )
            .order_by()
        ):
            entry = per_framework.get(row[column])
            if entry is not None:
                entry["overdue"] += row["overdue"] or 0
                entry["due_soon"] += row["due_soon"] or 0
    names = _names(by, per_framework)
    return _by_title(
        [{column: pk, BY[by]: names[pk], **entry} for pk, entry in per_framework.items()], by
    )


def workload(where: list[Where], now: datetime | None = None) -> list[dict]:
    """Figure 4, as queries.workload: waiting requests by age in whole days. Three
    queries."""
    today = timezone.localtime(now or timezone.now()).date()
    week, fortnight = (today - timedelta(days=days) for days in AGE_BANDS)
    rows = []
    for w in where:
        rows += list(
            w.rows(WaitingSummary)
            .values("assessor_id", "pool_id")
            .annotate(
                under_week=Sum("requests", filter=Q(requested_on__gt=week)),
                week_to_fortnight=Sum(
                    "requests", filter=Q(requested_on__lte=week, requested_on__gt=fortnight)
                ),
                over_fortnight=Sum("requests", filter=Q(requested_on__lte=fortnight)),
                waiting=Sum("requests"),
            )
            .filter(waiting__gt=0)
            .order_by()
        )
    people = dict(
        User.objects.filter(pk__in={r["assessor_id"] for r in rows}).values_list("pk", "full_name")
    )
    units = dict(
        Organisation.objects.filter(pk__in={r["pool_id"] for r in rows}).values_list("pk", "name")
    )
    found = [
        {
            "assessor_id": row["assessor_id"] or None,
            "assessor__full_name": people.get(row["assessor_id"]),
            "unit_id": row["pool_id"] or None,
            "unit__name": units.get(row["pool_id"]),
            **{
                name: row[name] or 0
                for name in ("under_week", "week_to_fortnight", "over_fortnight", "waiting")
            },
        }
        for row in rows
    ]
    # Named assessors first, then the units' pools, as the records' query orders them.
    return sorted(
        found,
        key=lambda r: (
            r["assessor__full_name"] is None,
            r["assessor__full_name"] or "",
            r["unit__name"] is None,
            r["unit__name"] or "",
            r["assessor_id"] or 0,
            r["unit_id"] or 0,
        ),
    )


def _median(counts: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many), in order of value."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    wanted, middle, seen = {(total - 1) // 2, total // 2}, [], 0
    for value, n in counts:
        for position in sorted(wanted):
            if seen <= position < seen + n:
                middle.append(value)
        seen += n
    return sum(middle) / len(middle)


def median_days(where: list[Where]) -> dict[str, float | None]:
    """As durations.median_days, in whole days. One query."""
    counts: dict[str, dict[int, int]] = {m: {} for m in DurationSummary.Measure.values}
    for w in where:
        for row in (
            w.rows(DurationSummary)
            .values("measure", "days")
            .annotate(n=Sum("count"))
            .filter(n__gt=0)
            .order_by()
        ):
            days = counts[row["measure"]]
            days[row["days"]] = days.get(row["days"], 0) + row["n"]
    return {measure: _median(sorted(days.items())) for measure, days in counts.items()}


def monthly_counts(where: list[Where], today: date | None = None) -> dict:
    """As monthly.monthly_counts: sign-offs and confirmations in the last 24 months. One
    query."""
    months = monthly.month_starts(today or timezone.localdate())
    sign_offs: dict[date, int] = {}
    confirmations: dict[date, int] = {}
    for w in where:
        for row in (
            w.rows(MonthSummary)
            .filter(month__gte=months[0])
            .values("month")
            .annotate(s=Sum("sign_offs"), c=Sum("confirmations"))
            .order_by()
        ):
            sign_offs[row["month"]] = sign_offs.get(row["month"], 0) + row["s"]
            confirmations[row["month"]] = confirmations.get(row["month"], 0) + row["c"]
    return {
        "months": months,
        "sign_offs": [sign_offs.get(month, 0) for month in months],
        "confirmations": [confirmations.get(month, 0) for month in months],
    }


def paper_saved(where: list[Where]) -> dict:
    """As paper.paper_saved. Three queries."""
    by_version: dict[int, dict] = {}
    decisions = 0
    for w in where:
        for row in (
            w.rows(StageSummary)
            .values("version_id")
            .annotate(
                started=Sum("enrolments"),
                sign_offs=Sum("enrolments", filter=Q(stage="signed_off")),
            )
            .order_by()
        ):
            entry = by_version.setdefault(row["version_id"], {"enrolments": 0, "sign_offs": 0})
            entry["enrolments"] += row["started"]
            entry["sign_offs"] += row["sign_offs"] or 0
        decisions += w.rows(MonthSummary).aggregate(n=Sum("decisions"))["n"] or 0
    sections = paper.sections_per_version(by_version)
    enrolments = sum(entry["enrolments"] for entry in by_version.values())
    sign_offs = sum(entry["sign_offs"] for entry in by_version.values())
    return {
        "sheets": sum(
            entry["enrolments"] * (sections.get(pk, 0) + paper.DECLARATION_SHEETS)
            for pk, entry in by_version.items()
        ),
        "signatures": decisions + paper.SIGNATURES_PER_SIGN_OFF * sign_offs,
        "decisions": decisions,
        "enrolments": enrolments,
    }


def supernumerary_counts(
    where: list[Where], today: date | None = None, by: str = "framework"
) -> list[dict]:
    """Figure 3, as supernumerary.counts: a period ending today or later is still running.
    Two queries."""
    today = today or timezone.localdate()
    over = Q(ends_on__lt=today)
    column = f"{by}_id"
    rows = []
    for w in where:
        rows += list(
            w.rows(SupernumerarySummary)
            .values(column)
            .annotate(
                learners=Sum("enrolments"),
                supernumerary_now=Sum("enrolments", filter=~over),
                supernumerary_met=Sum("met", filter=over),
                over=Sum("enrolments", filter=over),
                confirmed_in_time=Sum("in_time", filter=over),
                needed_total=Sum("needed", filter=over),
            )
            .filter(learners__gt=0)
            .order_by()
        )
    totals: dict[int, dict] = {}
    for row in rows:
        entry = totals.setdefault(row[column], dict.fromkeys(_SUPERNUMERARY, 0))
        for name in _SUPERNUMERARY:
            entry[name] += row[name] or 0
    names = _names(by, totals)
    return _by_title(
        [
            {
                column: pk,
                BY[by]: names[pk],
                "learners": entry["learners"],
                "supernumerary_now": entry["supernumerary_now"],
                "supernumerary_met": entry["supernumerary_met"],
                "supernumerary_missed": entry["over"] - entry["supernumerary_met"],
                "confirmed_in_time": entry["confirmed_in_time"],
                "needed_total": entry["needed_total"],
            }
            for pk, entry in totals.items()
        ],
        by,
    )


_SUPERNUMERARY = (
    "learners",
    "supernumerary_now",
    "supernumerary_met",
    "over",
    "confirmed_in_time",
    "needed_total",
)


def waiting_by_trust(where: list[Where], now: datetime | None = None) -> list[dict]:
    """As queries.waiting_by_trust. Two queries."""
    today = timezone.localtime(now or timezone.now()).date()
    week, fortnight = (today - timedelta(days=days) for days in AGE_BANDS)
    bands = ("under_week", "week_to_fortnight", "over_fortnight", "waiting")
    totals: dict[int, dict] = {}
    for w in where:
        for row in (
            w.rows(WaitingSummary)
            .values("trust_id")
            .annotate(
                under_week=Sum("requests", filter=Q(requested_on__gt=week)),
                week_to_fortnight=Sum(
                    "requests", filter=Q(requested_on__lte=week, requested_on__gt=fortnight)
                ),
                over_fortnight=Sum("requests", filter=Q(requested_on__lte=fortnight)),
                waiting=Sum("requests"),
            )
            .filter(waiting__gt=0)
            .order_by()
        ):
            entry = totals.setdefault(row["trust_id"], dict.fromkeys(bands, 0))
            for name in bands:
                entry[name] += row[name] or 0
    names = _names("trust", totals)
    return _by_title(
        [{"trust_id": pk, "trust__name": names[pk], **entry} for pk, entry in totals.items()],
        "trust",
    )
