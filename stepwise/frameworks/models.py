"""Proficiency frameworks: versions, their ordered sections and proficiencies, review and offers.

A published (or retired) version is frozen: learners are assessed against exactly what it said.
Change happens by drafting a new version, which keeps each proficiency's UUID so results can
carry over.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stepwise.core.errors import ConflictError
from stepwise.core.events import Event
from stepwise.core.formatting import date

# Lengths checked by the services and by every importer, so a file and a form agree.
CODE_MAX = 20
TITLE_MAX = 200
STATEMENT_MAX = 2000
GUIDANCE_MAX = 10000
EVIDENCE_HINTS_MAX = 5000
LABEL_MAX = 20
DECLARATION_MAX = 5000
SCALE_LABEL_MAX = 60

DEFAULT_ACHIEVED_LABEL = "Achieved"
DEFAULT_ONGOING_LABEL = "On going assessment"
DEFAULT_LEARNER_DECLARATION = (
    "I confirm that I have achieved each proficiency in this framework, that the reflections "
    "and evidence in my record are my own work, and that I will keep my practice up to date."
)
DEFAULT_ASSESSOR_DECLARATION = (
    "I confirm that I have reviewed this learner's record, that each proficiency has been "
    "confirmed by a registered practitioner, and that the learner has met the requirements of "
    "this framework."
)


class FrozenVersionError(ConflictError):
    """Someone tried to change a version that is no longer a draft."""


class Framework(models.Model):
    """A national framework, e.g. "Step 1", across all its versions."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


def version_name(framework_title: str, label: str) -> str:
    """How a version is named on every page: "Step 1 version 1.0"."""
    return f"{framework_title} version {label}"


class FrameworkVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    OPEN_STATES = (State.DRAFT, State.IN_REVIEW)
    FROZEN_STATES = (State.PUBLISHED, State.RETIRED)

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(max_length=LABEL_MAX, help_text='For example "1.0".')
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # The CASE CFDocument identifier: one per version, lower-case RFC 4122 (uuid4).
    document_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    achieved_label = models.CharField(max_length=SCALE_LABEL_MAX, default=DEFAULT_ACHIEVED_LABEL)
    ongoing_label = models.CharField(max_length=SCALE_LABEL_MAX, default=DEFAULT_ONGOING_LABEL)
    minimum_optional = models.PositiveIntegerField(
        default=0, help_text="How many optional proficiencies a learner must achieve."
    )
    supernumerary_weeks = models.PositiveSmallIntegerField(
        default=0,
        help_text="Weeks from enrolment in which the learner is supernumerary (0 for none): "
        "the time to achieve the proficiencies marked for the supernumerary period.",
    )
    learner_declaration = models.TextField(default=DEFAULT_LEARNER_DECLARATION)
    assessor_declaration = models.TextField(default=DEFAULT_ASSESSOR_DECLARATION)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the content last changed: CASE's lastChangeDateTime.
    changed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework__title", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "label"], name="version_label_unique"),
            # One version in the making at a time, so two drafts cannot diverge.
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(state__in=["draft", "in_review"]),
                name="one_open_version_per_framework",
            ),
        ]

    def __str__(self) -> str:
        return version_name(self.framework.title, self.label)

    def save(self, *args, **kwargs):
        # State changes go through the services' conditional updates; save() is for creating
        # versions and editing drafts, never for touching what learners were assessed against.
        if self.pk is not None:
            stored = FrameworkVersion.objects.filter(pk=self.pk).values_list("state", flat=True)
            if stored and stored[0] in self.FROZEN_STATES:
                raise FrozenVersionError(f"{self} is {stored[0]}: it cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.state in self.FROZEN_STATES

    @property
    def kept_key(self) -> str | None:
        """Names what is made from this version in the cache (ADR 16): its id, state and last
        change. None while it can still be edited, so a draft's markup is never kept."""
        if not self.is_frozen:
            return None
        return f"version-{self.pk}-{self.state}-{self.changed_at.timestamp():.6f}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


def _guard_draft(version_id) -> None:
    if not FrameworkVersion.objects.filter(
        pk=version_id, state=FrameworkVersion.State.DRAFT
    ).exists():
        raise FrozenVersionError(
            "This version is no longer a draft: its sections and proficiencies cannot be changed."
        )


class DraftContentModel(models.Model):
    """Sections and proficiencies: saved or deleted only while their version is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        _guard_draft(self.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _guard_draft(self.version_id)
        return super().delete(*args, **kwargs)


class Section(DraftContentModel):
    """An ordered group of proficiencies, e.g. "Respiratory"."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="sections")
    position = models.PositiveIntegerField()
    code = models.CharField(max_length=CODE_MAX)
    title = models.CharField(max_length=TITLE_MAX)
    # Stable across versions, like a proficiency's.
    uuid = models.UUIDField(default=uuid.uuid4)

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="section_code_unique"),
            models.UniqueConstraint(fields=["version", "uuid"], name="section_uuid_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Proficiency(DraftContentModel):
    """One thing a learner must be able to do, e.g. "1.3.2 Describe the principles of ..."."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="proficiencies"
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="proficiencies")
    position = models.PositiveIntegerField(help_text="Order within the section.")
    # The identity across versions: results carry over between proficiencies with one UUID.
    uuid = models.UUIDField(default=uuid.uuid4)
    code = models.CharField(max_length=CODE_MAX)
    statement = models.TextField()
    guidance = models.TextField(blank=True)
    optional = models.BooleanField(default=False)
    supernumerary = models.BooleanField(
        default=False, help_text="To be achieved during the supernumerary period."
    )
    evidence_hints = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "proficiencies"
        ordering = ["version", "section__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="proficiency_code_unique"),
            models.UniqueConstraint(fields=["version", "uuid"], name="proficiency_uuid_unique"),
        ]
        indexes = [models.Index(fields=["section", "position"])]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:60]}"


class FrameworkVersionEvent(Event):
    """Append-only history of a version: drafting, edits, review, publication, retirement."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", "Draft started"
        IMPORTED = "imported", "Imported from a file"
        EDITED = "edited", "Content changed"
        SETTINGS_CHANGED = "settings_changed", "Settings changed"
        SUBMITTED = "submitted", "Sent for review"
        RETURNED = "returned", "Returned to draft"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({date(self.at)})"


class FrameworkCollaborator(models.Model):
    """Someone who helps write (contributor) or checks (reviewer) a framework."""

    class Role(models.TextChoices):
        CONTRIBUTOR = "contributor", "Contributor"
        REVIEWER = "reviewer", "Reviewer"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="collaborators")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="framework_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["framework", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "person"], name="one_collaborator_role_per_framework"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display().lower()}) on {self.framework}"


class ReviewComment(models.Model):
    """A reviewer's or author's comment on a version under review."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="review_comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.version}"


class TrustFramework(models.Model):
    """A Trust offers a framework: its learners can be enrolled on its published versions."""

    trust = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="framework_offers",
        limit_choices_to={"kind": "trust"},
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="offers")
    learners_may_enrol_themselves = models.BooleanField(default=False)
    offered_since = models.DateTimeField(default=timezone.now)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["trust__name", "framework__title"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "framework"], name="one_offer_per_framework")
        ]

    def __str__(self) -> str:
        return f"{self.framework} at {self.trust}"


class FrameworkEvent(Event):
    """Append-only history of a framework as a whole: who may work on it, which Trusts offer it.

    A Trust's offer and a collaborator's role are current-state rows that come and go; these
    events keep who changed them, when, and for which Trust.
    """

    class Kind(models.TextChoices):
        CREATED = "created", "Framework created"
        COLLABORATOR_ADDED = "collaborator_added", "Collaborator added"
        COLLABORATOR_REMOVED = "collaborator_removed", "Collaborator removed"
        OFFERED = "offered", "Offered by a Trust"
        OFFER_STOPPED = "offer_stopped", "No longer offered by a Trust"
        SELF_ENROLMENT_CHANGED = "self_enrolment_changed", "Self-enrolment changed"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    trust = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "trust"},
    )

    class Meta(Event.Meta):
        indexes = [models.Index(fields=["framework", "trust", "kind", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({date(self.at)})"
