"""Running totals the reports read instead of counting records on every page view
(docs/adr/0010-summaries-kept-by-the-progress-services.md).

Each row counts enrolments (or their requests, decisions and sign-offs) of one unit of one
Trust on one framework version, as they are now. The progress services keep them in step
inside the transaction that changes the records (`stepwise.progress.summaries`), and
`python manage.py rebuild_summaries` makes them again from the records.

Places are plain numbers, not foreign keys: 0 stands for "no unit" or "no named assessor",
so every key is NOT NULL and one unique constraint finds a key's row on every database
(NULLs are never equal to each other in a unique constraint). Nothing here is a record of
its own: the rows can always be rebuilt, so they are the one thing the rebuild deletes.
"""

from django.db import models


class Summary(models.Model):
    trust_id = models.IntegerField()
    unit_id = models.IntegerField(help_text="0: no unit")
    framework_id = models.IntegerField()
    version_id = models.IntegerField()

    PLACE = ("trust_id", "unit_id", "framework_id", "version_id")
    # Set by each summary: its key beyond the place, and the totals it keeps.
    KEY: tuple[str, ...] = ()
    TOTALS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def key_fields(cls) -> tuple[str, ...]:
        return cls.PLACE + cls.KEY


def _unique(name: str, *extra: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=[*Summary.PLACE, *extra], name=name)


class StageSummary(Summary):
    """Enrolments by stage (figure 1 and the national, network and Trust tables); for the
    share of proficiencies confirmed, `done` and `needed` summed over those not withdrawn;
    and sign-offs within 12 months of starting (figure 2)."""

    stage = models.CharField(max_length=30)
    enrolments = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    needed = models.IntegerField(default=0)
    in_time = models.IntegerField(default=0)

    KEY = ("stage",)
    TOTALS = ("enrolments", "done", "needed", "in_time")

    class Meta:
        constraints = [_unique("one_stage_summary_per_key", "stage")]


class MonthSummary(Summary):
    """Per month (its first day, UK time): sign-offs, confirmations and all decisions."""

    month = models.DateField()
    sign_offs = models.IntegerField(default=0)
    confirmations = models.IntegerField(default=0)
    decisions = models.IntegerField(default=0)

    KEY = ("month",)
    TOTALS = ("sign_offs", "confirmations", "decisions")

    class Meta:
        constraints = [_unique("one_month_summary_per_key", "month")]


class DueSummary(Summary):
    """Open enrolments per due date: overdue and due soon are sums over a range of dates."""

    due_on = models.DateField()
    enrolments = models.IntegerField(default=0)

    KEY = ("due_on",)
    TOTALS = ("enrolments",)

    class Meta:
        constraints = [_unique("one_due_summary_per_key", "due_on")]


class WaitingSummary(Summary):
    """Confirmation requests waiting, per named assessor (or unit pool) and day asked."""

    assessor_id = models.IntegerField(help_text="0: a unit's pool")
    pool_id = models.IntegerField(help_text="The pool's unit; 0: a named assessor")
    requested_on = models.DateField()
    requests = models.IntegerField(default=0)

    KEY = ("assessor_id", "pool_id", "requested_on")
    TOTALS = ("requests",)

    class Meta:
        constraints = [
            _unique("one_waiting_summary_per_key", "assessor_id", "pool_id", "requested_on")
        ]


class DurationSummary(Summary):
    """How many decisions (from asking) or sign-offs (from enrolment) took so many whole
    days: the medians are read from these counts in order."""

    class Measure(models.TextChoices):
        TO_DECISION = "to_decision", "From asking for confirmation to the decision"
        TO_SIGN_OFF = "to_sign_off", "From enrolment to sign-off"

    measure = models.CharField(max_length=20, choices=Measure.choices)
    days = models.IntegerField()
    count = models.IntegerField(default=0)

    KEY = ("measure", "days")
    TOTALS = ("count",)

    class Meta:
        constraints = [_unique("one_duration_summary_per_key", "measure", "days")]


class SupernumerarySummary(Summary):
    """Enrolments not withdrawn on a version with a supernumerary period (and proficiencies
    marked for it), per day the period ends (UK time): how many, how many had every one of
    those proficiencies confirmed by the end (`met`), and the proficiencies confirmed by the
    end (`in_time`) against those marked (`needed`). Figure 3 sums them over the periods
    ended, or not, by today."""

    ends_on = models.DateField()
    enrolments = models.IntegerField(default=0)
    met = models.IntegerField(default=0)
    in_time = models.IntegerField(default=0)
    needed = models.IntegerField(default=0)

    KEY = ("ends_on",)
    TOTALS = ("enrolments", "met", "in_time", "needed")

    class Meta:
        constraints = [_unique("one_supernumerary_summary_per_key", "ends_on")]


class RejectionSummary(Summary):
    """Assessors' decisions on each proficiency (of whichever version the record is on), and
    how many of them rejected it (figure 5, for the framework's authors)."""

    proficiency_id = models.IntegerField()
    decisions = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)

    KEY = ("proficiency_id",)
    TOTALS = ("decisions", "rejected")

    class Meta:
        constraints = [_unique("one_rejection_summary_per_key", "proficiency_id")]


SUMMARIES: tuple[type[Summary], ...] = (
    StageSummary,
    MonthSummary,
    DueSummary,
    WaitingSummary,
    DurationSummary,
    SupernumerarySummary,
    RejectionSummary,
)
