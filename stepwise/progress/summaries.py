"""Keeping the report summaries (summary_models.py) in step with the records.

Every service that changes an enrolment, its records, requests or decisions does it inside
`with transaction.atomic(), summaries.kept() as kept:` and calls `kept.watch(pk)` once it
holds the enrolment's row lock (or `kept.added(pks)` for new enrolments). `watch` counts
what the enrolment adds to the summaries before the change; when the block ends without an
error, the same count is taken again and only the difference is written, as
`total = total + difference` (F expressions), so two transactions changing different
enrolments of the same unit both land. The enrolment's lock means nothing else changes it
between the two counts. Keys are written in sorted order, so two transactions never wait
for each other's rows the other way round.

`contributions()` is the one definition of what an enrolment counts for: the services'
differences and `rebuild()` both use it, and the tests check both against the reports'
own queries over the records.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Func, IntegerField, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from stepwise.frameworks.models import Proficiency
from stepwise.progress.models import ConfirmationRequest, Decision, Enrolment, ProficiencyRecord
from stepwise.progress.states import OPEN_ENROLMENT_STATES, EnrolmentState, RecordState
from stepwise.progress.summary_models import (
    SUMMARIES,
    DueSummary,
    DurationSummary,
    MonthSummary,
    RejectionSummary,
    StageSummary,
    Summary,
    SupernumerarySummary,
    WaitingSummary,
)

# The CC3N expectation: Step 1 signed off within 12 months of starting.
EXPECTED_WITHIN = timedelta(days=365)
DAY = timedelta(days=1)
# Enrolments counted per query when rebuilding.
CHUNK = 2000

Key = tuple
# {(summary model, key): [total, ...]} in the order of the model's TOTALS.
Totals = dict[tuple[type[Summary], Key], list[int]]


class WholeDays(Func):
    """Whole days from `start` to `end` (rounded down), the same on both databases."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        # Django's own SQLite function for the difference of two datetimes, in microseconds.
        return self.as_sql(
            compiler,
            connection,
            template="(django_timestamp_diff(%(expressions)s) / 86400000000)",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="",
            arg_joiner=" - ",
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)::integer",
            **extra,
        )


def _month(when: datetime) -> date:
    return timezone.localtime(when).date().replace(day=1)


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def stage_of(state: str, waiting: int, started: int) -> str:
    """The report's stage of an enrolment (reports.queries.STAGES)."""
    if state == EnrolmentState.WITHDRAWN:
        return "withdrawn"
    if state == EnrolmentState.SIGNED_OFF:
        return "signed_off"
    if state == EnrolmentState.SIGN_OFF_REQUESTED:
        return "awaiting_sign_off"
    if waiting:
        return "awaiting_confirmation"
    if started:
        return "in_progress"
    return "not_started"


def _add(totals: Totals, model: type[Summary], key: Key, **values: int) -> None:
    row = totals.setdefault((model, key), [0] * len(model.TOTALS))
    for index, name in enumerate(model.TOTALS):
        row[index] += values.get(name, 0)


def contributions(enrolment_ids: Iterable[int], *, answers_only: bool = False) -> Totals:
    """What these enrolments add to every summary as they are now. Eight queries, whatever
    the number of enrolments or records; three with `answers_only`, which leaves out what
    decisions, waiting requests and confirmed supernumerary proficiencies add (for a service
    that changes none of them)."""
    ids = list(enrolment_ids)
    totals: Totals = {}
    if not ids:
        return totals
    enrolments = list(
        Enrolment.objects.filter(pk__in=ids).values(
            "pk",
            "trust_id",
            "unit_id",
            "framework_id",
            "version_id",
            "state",
            "enrolled_at",
            "signed_off_at",
            "due_on",
            "version__minimum_optional",
            "version__supernumerary_weeks",
        )
    )
    confirmed = Q(state=RecordState.CONFIRMED)
    counts = {
        row["enrolment_id"]: row
        for row in ProficiencyRecord.objects.filter(
            enrolment_id__in=ids, proficiency__version_id=F("enrolment__version_id")
        )
        .values("enrolment_id")
        .annotate(
            waiting=Count("pk", filter=Q(state=RecordState.AWAITING_CONFIRMATION)),
            started=Count("pk", filter=~Q(state=RecordState.NOT_STARTED)),
            required=Count("pk", filter=confirmed & Q(proficiency__optional=False)),
            optional=Count("pk", filter=confirmed & Q(proficiency__optional=True)),
        )
        .order_by()
    }
    marked = {
        row["version_id"]: row
        for row in Proficiency.objects.filter(version_id__in={e["version_id"] for e in enrolments})
        .values("version_id")
        .annotate(
            required=Count("pk", filter=Q(optional=False)),
            supernumerary=Count("pk", filter=Q(supernumerary=True)),
        )
        .order_by()
    }
    required = {pk: row["required"] for pk, row in marked.items()}
    places = {}
    for e in enrolments:
        place = places[e["pk"]] = (
            e["trust_id"],
            e["unit_id"] or 0,
            e["framework_id"],
            e["version_id"],
        )
        _add_enrolment(totals, place, e, counts.get(e["pk"], {}), required)
    if answers_only:
        return totals
    _add_supernumerary(totals, places, enrolments, marked)
    _add_decisions(totals, places, ids)
    for request in ConfirmationRequest.objects.filter(
        enrolment_id__in=ids, state=ConfirmationRequest.State.WAITING
    ).values("enrolment_id", "assessor_id", "unit_id", "requested_at"):
        key = (
            request["assessor_id"] or 0,
            0 if request["assessor_id"] else request["unit_id"] or 0,
            timezone.localtime(request["requested_at"]).date(),
        )
        _add(totals, WaitingSummary, places[request["enrolment_id"]] + key, requests=1)
    return totals


def _add_enrolment(totals: Totals, place: Key, e: dict, counts: dict, required: dict) -> None:
    state = e["state"]
    stage = stage_of(state, counts.get("waiting", 0), counts.get("started", 0))
    done = needed = in_time = 0
    if state != EnrolmentState.WITHDRAWN:
        minimum = e["version__minimum_optional"]
        done = counts.get("required", 0) + min(counts.get("optional", 0), minimum)
        needed = required.get(e["version_id"], 0) + minimum
    signed_off = e["signed_off_at"]
    if state == EnrolmentState.SIGNED_OFF and signed_off is not None:
        in_time = int(signed_off <= e["enrolled_at"] + EXPECTED_WITHIN)
        days = (signed_off - e["enrolled_at"]) // DAY
        _add(totals, DurationSummary, place + (DurationSummary.Measure.TO_SIGN_OFF, days), count=1)
    if signed_off is not None:
        _add(totals, MonthSummary, place + (_month(signed_off),), sign_offs=1)
    _add(
        totals,
        StageSummary,
        place + (stage,),
        enrolments=1,
        done=done,
        needed=needed,
        in_time=in_time,
    )
    if state in OPEN_ENROLMENT_STATES and e["due_on"] is not None:
        _add(totals, DueSummary, place + (e["due_on"],), enrolments=1)


def _add_decisions(totals: Totals, places: dict, ids: list[int]) -> None:
    decisions = Decision.objects.filter(record__enrolment_id__in=ids)
    zone = timezone.get_current_timezone()
    for row in (
        decisions.values(enrolment_id=F("record__enrolment_id"))
        .annotate(
            month=TruncMonth("at", tzinfo=zone),
            confirmations=Count("pk", filter=Q(outcome=Decision.Outcome.CONFIRMED)),
            decisions=Count("pk"),
        )
        .order_by()
    ):
        _add(
            totals,
            MonthSummary,
            places[row["enrolment_id"]] + (_as_date(row["month"]),),
            confirmations=row["confirmations"],
            decisions=row["decisions"],
        )
    for row in (
        decisions.values(
            enrolment_id=F("record__enrolment_id"), proficiency_id=F("record__proficiency_id")
        )
        .annotate(
            decisions=Count("pk"),
            rejected=Count("pk", filter=Q(outcome=Decision.Outcome.REJECTED)),
        )
        .order_by()
    ):
        _add(
            totals,
            RejectionSummary,
            places[row["enrolment_id"]] + (row["proficiency_id"],),
            decisions=row["decisions"],
            rejected=row["rejected"],
        )
    for row in (
        decisions.filter(request__isnull=False)
        .values(enrolment_id=F("record__enrolment_id"))
        .annotate(days=WholeDays("at", "request__requested_at"), n=Count("pk"))
        .order_by()
    ):
        key = places[row["enrolment_id"]] + (DurationSummary.Measure.TO_DECISION, row["days"])
        _add(totals, DurationSummary, key, count=row["n"])


def period_end(enrolled_at: datetime, weeks: int) -> datetime:
    """When an enrolment's supernumerary period ends."""
    return enrolled_at + timedelta(weeks=weeks)


def _add_supernumerary(totals: Totals, places: dict, enrolments: list, marked: dict) -> None:
    """Figure 3's part: the enrolment's period, its marked proficiencies, and those whose
    standing confirmation was decided by the period's end. One query."""
    within = {
        e["pk"]: e
        for e in enrolments
        if e["state"] != EnrolmentState.WITHDRAWN
        and e["version__supernumerary_weeks"]
        and marked.get(e["version_id"], {}).get("supernumerary")
    }
    decided: dict[int, list[datetime]] = defaultdict(list)
    for enrolment_id, at in ProficiencyRecord.objects.filter(
        enrolment_id__in=list(within),
        proficiency__version_id=F("enrolment__version_id"),
        proficiency__supernumerary=True,
        state=RecordState.CONFIRMED,
        decision__isnull=False,
    ).values_list("enrolment_id", "decision__at"):
        decided[enrolment_id].append(at)
    for pk, e in within.items():
        ends = period_end(e["enrolled_at"], e["version__supernumerary_weeks"])
        in_time = sum(at <= ends for at in decided[pk])
        needed = marked[e["version_id"]]["supernumerary"]
        _add(
            totals,
            SupernumerarySummary,
            places[pk] + (timezone.localtime(ends).date(),),
            enrolments=1,
            met=int(in_time >= needed),
            in_time=in_time,
            needed=needed,
        )


def difference(after: Totals, before: Totals) -> Totals:
    changed: Totals = {}
    for key in after.keys() | before.keys():
        new, old = after.get(key), before.get(key)
        width = len(key[0].TOTALS)
        delta = [a - b for a, b in zip(new or [0] * width, old or [0] * width, strict=True)]
        if any(delta):
            changed[key] = delta
    return changed


def apply(changes: Totals) -> None:
    """Inside a transaction: add the differences to the stored totals. Per summary, one INSERT
    for keys not seen before, then one UPDATE of every changed row, so the queries do not grow
    with the rows a change touches (a decision on 115 proficiencies changes 115 rejection
    totals). The rows are locked in the order of their ids first, so two services changing
    the same rows wait for each other rather than deadlock."""
    by_model: dict[type[Summary], list] = defaultdict(list)
    for (model, key), delta in changes.items():
        by_model[model].append((key, delta))
    for model in sorted(by_model, key=lambda m: m.__name__):
        rows = {_plain(key): delta for key, delta in by_model[model]}
        fields = model.key_fields()
        model.objects.bulk_create(
            [model(**dict(zip(fields, key, strict=True))) for key in rows],
            ignore_conflicts=True,
        )
        if len(rows) == 1:
            [(key, delta)] = rows.items()
            model.objects.filter(**dict(zip(fields, key, strict=True))).update(
                **_plus(model, delta)
            )
            continue
        # Keys share their place and differ in their last part (a decision's proficiencies):
        # one condition per place, with the last parts in one IN, which the key's index serves.
        last_parts: dict[Key, list] = defaultdict(list)
        for key in rows:
            last_parts[key[:-1]].append(key[-1])
        wanted = Q()
        for place, lasts in last_parts.items():
            wanted |= Q(**dict(zip(fields, place, strict=False)), **{f"{fields[-1]}__in": lasts})
        found = model.objects.select_for_update().filter(wanted).order_by("pk")
        _add_by_id(
            model,
            {
                row["pk"]: rows[_plain(row[f] for f in fields)]
                for row in found.values("pk", *fields)
            },
        )


def _add_by_id(model: type[Summary], deltas: dict[int, list[int]]) -> None:
    """One UPDATE adding each row's changes: `total = total + CASE id WHEN ... END`. Written
    out because Django's bulk_update builds the same statement through an expression per row
    and total, which cost a 50-item decision about 7 ms more CPU than the UPDATEs it saved."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    sets, params = [], []
    for index, name in enumerate(model.TOTALS):
        changed = [(row_id, delta[index]) for row_id, delta in deltas.items() if delta[index]]
        if not changed:
            continue
        column = quote(model._meta.get_field(name).column)
        whens = " ".join("WHEN %s THEN %s" for _ in changed)
        sets.append(f"{column} = {column} + CASE {pk} {whens} ELSE 0 END")
        for row_id, change in changed:
            params += [row_id, change]
    if not sets:
        return
    ids = ", ".join("%s" for _ in deltas)
    with connection.cursor() as cursor:
        # Only quoted names from the model's own metadata are written in; every value is a
        # parameter.
        cursor.execute(
            f"UPDATE {table} SET {', '.join(sets)} WHERE {pk} IN ({ids})",  # noqa: S608
            [*params, *deltas],
        )


def _plain(key: Iterable) -> Key:
    # A key as the database gives it back: choices (str enums, hashed by name) as plain text.
    return tuple(str(part) if isinstance(part, str) else part for part in key)


def _plus(model: type[Summary], delta: list[int]) -> dict:
    """Each total plus its change, added by the database (so concurrent changes add up)."""
    return {name: F(name) + change for name, change in zip(model.TOTALS, delta, strict=True)}


class Kept:
    """The enrolments a service changes, and what they counted for before it did."""

    def __init__(self, answers_only: bool = False):
        self.ids: set[int] = set()
        self.before: Totals = {}
        self.answers_only = answers_only

    def contributions(self, enrolment_ids: Iterable[int]) -> Totals:
        return contributions(enrolment_ids, answers_only=self.answers_only)

    def watch(self, *enrolment_ids: int) -> None:
        """Call once the enrolment's row is locked, before changing anything."""
        new = set(enrolment_ids) - self.ids
        for key, values in self.contributions(new).items():
            _add(self.before, key[0], key[1], **dict(zip(key[0].TOTALS, values, strict=True)))
        self.ids |= new

    def added(self, enrolment_ids: Iterable[int]) -> None:
        """New enrolments: they counted for nothing before."""
        self.ids |= set(enrolment_ids)


@contextmanager
def kept(*, answers_only: bool = False) -> Iterator[Kept]:
    """Inside a service's transaction: write the summaries' differences when the block ends
    without an error (an error rolls everything back anyway). `answers_only` for a service
    that changes only the learner's own answers (records not started, on going, achieved or
    rejected; self-assessment): it confirms nothing and touches no decision or request, so
    what those add cannot differ and is counted neither before nor after (10 queries fewer)."""
    if not connection.in_atomic_block:
        raise RuntimeError("Summaries are kept inside the transaction that changes records.")
    changes = Kept(answers_only)
    yield changes
    if changes.ids:
        apply(difference(changes.contributions(changes.ids), changes.before))


def stored() -> Totals:
    """Every summary row with a total that is not nought, as `contributions` gives them."""
    totals: Totals = {}
    for model in SUMMARIES:
        for row in model.objects.values_list(*model.key_fields(), *model.TOTALS):
            size = len(model.key_fields())
            if any(row[size:]):
                totals[(model, tuple(row[:size]))] = list(row[size:])
    return totals


def recounted() -> Totals:
    """Every enrolment's contribution, counted afresh from the records."""
    totals: Totals = {}
    ids = list(Enrolment.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        for (model, key), values in contributions(ids[start : start + CHUNK]).items():
            _add(totals, model, key, **dict(zip(model.TOTALS, values, strict=True)))
    return {key: values for key, values in totals.items() if any(values)}


def _lock_summaries() -> None:
    """A service that changes records while this counts them must wait to write its
    differences until the new rows are in (else they land on rows about to be replaced).
    SQLite runs one writing transaction at a time already."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in SUMMARIES)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


def rebuild() -> dict[str, int]:
    """Make every summary again from the records (for data loaded before summaries were
    kept, after a restore, or bulk-loaded data). Summaries are derived counts, the one thing
    this deletes. Returns the rows written per summary."""
    with transaction.atomic():
        _lock_summaries()
        totals = recounted()
        written = {}
        for model in SUMMARIES:
            model.objects.all().delete()
            fields = model.key_fields()
            rows = [
                model(
                    **dict(zip(fields, key, strict=True)),
                    **dict(zip(model.TOTALS, values, strict=True)),
                )
                for (kind, key), values in totals.items()
                if kind is model
            ]
            model.objects.bulk_create(rows, batch_size=1000)
            written[model.__name__] = len(rows)
    return written
