"""Enrolments on a framework version, one record per proficiency, and the append-only
history that says who did what, when and why.

The record's state is a convenience for fast pages; the events are the source of truth.
Nothing here is ever deleted.
"""

import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stepwise.core.events import Event
from stepwise.progress.states import (
    EnrolmentEventKind,
    EnrolmentState,
    RecordEventKind,
    RecordState,
)

PERSON = settings.AUTH_USER_MODEL


class Enrolment(models.Model):
    """A learner working through one version of a framework at one Trust."""

    learner = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="enrolments")
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="enrolments"
    )
    version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="enrolments"
    )
    trust = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="enrolments"
    )
    unit = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_enrolments",
    )
    educator = models.ForeignKey(
        PERSON, on_delete=models.PROTECT, related_name="enrolments_to_sign_off"
    )
    assessors = models.ManyToManyField(PERSON, blank=True, related_name="enrolments_to_assess")
    state = models.CharField(
        max_length=20, choices=EnrolmentState.choices, default=EnrolmentState.ACTIVE
    )
    due_on = models.DateField(null=True, blank=True)
    enrolled_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(default=timezone.now)
    sign_off_requested_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "framework"],
                condition=Q(state__in=["active", "sign_off_requested"]),
                name="one_open_enrolment_per_framework",
            )
        ]
        indexes = [
            models.Index(fields=["trust", "state"]),
            models.Index(fields=["learner", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.version}"

    @property
    def is_open(self) -> bool:
        return self.state in (EnrolmentState.ACTIVE, EnrolmentState.SIGN_OFF_REQUESTED)

    @property
    def is_locked(self) -> bool:
        return self.state in (EnrolmentState.SIGNED_OFF, EnrolmentState.WITHDRAWN)


class EnrolmentEvent(Event):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=EnrolmentEventKind.choices)
    actor = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    trust = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where this happened: records move Trust with the learner.",
    )


class ProficiencyRecord(models.Model):
    """Where a learner is with one proficiency of their enrolment."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="records")
    proficiency = models.ForeignKey(
        "frameworks.Proficiency", on_delete=models.PROTECT, related_name="records"
    )
    state = models.CharField(
        max_length=30, choices=RecordState.choices, default=RecordState.NOT_STARTED
    )
    reflection = models.TextField(blank=True)
    # The request it is waiting in, while awaiting confirmation.
    request = models.ForeignKey(
        "ConfirmationRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="waiting_records",
    )
    # The decision that confirmed or rejected it, while that decision stands.
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proficiency__section__position", "proficiency__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "proficiency"], name="one_record_per_proficiency"
            )
        ]
        indexes = [models.Index(fields=["enrolment", "state"])]

    def __str__(self) -> str:
        return f"{self.proficiency.code} for {self.enrolment.learner}"


class ConfirmationRequest(models.Model):
    """A learner asks a named assessor, or their unit's pool of assessors, to confirm some
    achieved proficiencies."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Withdrawn"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="requests")
    trust = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    assessor = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="requests_to_review"
    )
    # "Any assessor in my unit": a pool the unit's assessors share.
    unit = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    item_count = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assessor__isnull=False) | Q(unit__isnull=False),
                name="request_goes_to_someone",
            )
        ]
        indexes = [
            models.Index(fields=["trust", "state", "requested_at"]),
            models.Index(fields=["assessor", "state"]),
            models.Index(fields=["unit", "state"]),
        ]


class RequestItem(models.Model):
    """One proficiency in a request, in the order the learner sent them."""

    request = models.ForeignKey(ConfirmationRequest, on_delete=models.PROTECT, related_name="items")
    record = models.ForeignKey(ProficiencyRecord, on_delete=models.PROTECT, related_name="+")
    reflection = models.TextField(blank=True, help_text="The reflection as it was when asked.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "record"], name="request_item_unique")
        ]


class Decision(models.Model):
    """An assessor's confirmation or rejection. Never edited: a mistake is corrected by a new
    decision that names the one it corrects, and both stay."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    record = models.ForeignKey(
        ProficiencyRecord, on_delete=models.PROTECT, related_name="decisions"
    )
    request = models.ForeignKey(
        ConfirmationRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    assessor = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="decisions")
    # As the assessor stated it at the time: registrations change, the record must not.
    registration_number = models.CharField(max_length=30)
    trust = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    # Set when the confirmation comes from another Trust's or installation's record.
    prior_attainment_source = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


class ActionPlan(models.Model):
    """What a learner must do after a rejection, linking it to the re-assessment."""

    record = models.ForeignKey(
        ProficiencyRecord, on_delete=models.PROTECT, related_name="action_plans"
    )
    # The record's enrolment, written with the plan: the learner's overview finds its open
    # actions from here, where through the records PostgreSQL read every plan (issue 13).
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="action_plan")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]


class Action(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]


def evidence_path(instance, filename) -> str:
    # A random name: the original is kept in the database, never trusted as a path.
    return f"evidence/{instance.record.enrolment_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        PNG = "png", "PNG image"
        JPEG = "jpeg", "JPEG image"
        DOCX = "docx", "Word document"

    record = models.ForeignKey(ProficiencyRecord, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Removing hides it from the record; the file and this row stay for the history.
    removed_at = models.DateTimeField(null=True, blank=True)
    # Retention (manage.py expire_evidence, docs/data-protection.md): the file of a withdrawn
    # enrolment is deleted after STEPWISE_EVIDENCE_RETENTION_DAYS; this row keeps its name,
    # size and SHA-256, so the history still says what was there.
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    @property
    def file_expired(self) -> bool:
        return self.file_expired_at is not None


class EvidenceEvent(Event):
    """Append-only: what happened to an evidence file outside a person's hands (retention)."""

    class Kind(models.TextChoices):
        FILE_EXPIRED = "file_expired", "File deleted under the retention rule"

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)


class RecordEvent(Event):
    """Append-only: every move of every record, with who, when, from, to, note and request."""

    record = models.ForeignKey(ProficiencyRecord, on_delete=models.PROTECT, related_name="events")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="record_events")
    kind = models.CharField(max_length=30, choices=RecordEventKind.choices)
    actor = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(
        ConfirmationRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trust = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where this happened.",
    )

    class Meta(Event.Meta):
        indexes = [models.Index(fields=["enrolment", "at"])]

    @classmethod
    def unchanged(cls, record, enrolment, *, kind: str, actor, note: str, at) -> Self:
        """An unsaved line in the record's history that leaves its state as it is (evidence
        added or removed, an action done, a result carried over), at the enrolment's Trust."""
        return cls.build(
            record=record,
            enrolment=enrolment,
            trust=enrolment.trust,
            kind=kind,
            actor=actor,
            from_state=record.state,
            to_state=record.state,
            note=note,
            at=at,
        )


class SignOffRequest(models.Model):
    """The learner asks their educator for final sign-off, agreeing to the declaration."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        SIGNED_OFF = "signed_off", "Signed off"
        RETURNED = "returned", "Returned with comments"
        WITHDRAWN = "withdrawn", "Withdrawn"

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="sign_off_requests"
    )
    educator = models.ForeignKey(
        PERSON, on_delete=models.PROTECT, related_name="sign_offs_to_review"
    )
    learner_declaration = models.TextField(help_text="The declaration the learner agreed to.")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessor_declaration = models.TextField(blank=True)
    signer_registration_number = models.CharField(max_length=30, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(state="waiting"),
                name="one_waiting_sign_off_per_enrolment",
            )
        ]


# Defined beside the moving code; imported here so Django registers them with this app.
from stepwise.progress.moving_models import MoveProposal, MoveProposalEvent  # noqa: E402, F401
from stepwise.progress.summary_models import (  # noqa: E402, F401
    DueSummary,
    DurationSummary,
    MonthSummary,
    StageSummary,
    WaitingSummary,
)
