"""Training packages: pre-reading for each role, versioned like frameworks, and who completed
which version (with the training certificate that completion issued).

A published version is frozen: a person's completion says exactly what they read. Change
happens by drafting a new version from the latest published one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stepwise.core.errors import ConflictError
from stepwise.core.events import Event

TITLE_MAX = 200
LABEL_MAX = 20
BODY_MAX = 50_000
DECLARATION_MAX = 2000
URL_MAX = 500
DEFAULT_DECLARATION = "I have read the pre-reading and understand my role."


class Audience(models.TextChoices):
    """Whom a package is for: a role at a Trust, or everyone (e.g. "Using Stepwise")."""

    LEARNER = "learner", "Learners"
    ASSESSOR = "assessor", "Assessors"
    EDUCATOR = "educator", "Educators and managers"
    EVERYONE = "everyone", "Everyone"


class FrozenVersionError(ConflictError):
    """Someone tried to change a version that is no longer a draft."""


class Package(models.Model):
    """A training package across its versions, e.g. "Step 1: training for assessors"."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    # The framework it prepares people for; none for a package that stands alone.
    framework = models.ForeignKey(
        "frameworks.Framework",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_packages",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class PackageVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    OPEN_STATES = (State.DRAFT, State.IN_REVIEW)

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(max_length=LABEL_MAX)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # What the person agrees to before completing.
    declaration = models.TextField(default=DEFAULT_DECLARATION)
    # How long a completion counts (e.g. 36 months); none: for good.
    validity_months = models.PositiveIntegerField(null=True, blank=True)
    # A feedback form the person answers before completing (the feedback app's); optional.
    feedback_form = models.ForeignKey(
        "feedback.Form",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_versions",
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["package__title", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "label"], name="training_version_label_unique"
            ),
            # One version in the making at a time, so two drafts cannot diverge.
            models.UniqueConstraint(
                fields=["package"],
                condition=Q(state__in=["draft", "in_review"]),
                name="training_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package.title} version {self.label}"

    def save(self, *args, **kwargs):
        # State changes go through the services' conditional updates; save() only creates.
        if self.pk is not None:
            stored = PackageVersion.objects.filter(pk=self.pk).values_list("state", flat=True)
            if stored and stored[0] != self.State.DRAFT:
                raise FrozenVersionError(f"{self} is not a draft: it cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


def _guard_draft(version_id) -> None:
    if not PackageVersion.objects.filter(pk=version_id, state=PackageVersion.State.DRAFT).exists():
        raise FrozenVersionError("This version is no longer a draft: its pages cannot change.")


class TrainingPage(models.Model):
    """One page of a version: Markdown text, an optional PDF, an optional video by link with
    its written version beside it."""

    version = models.ForeignKey(PackageVersion, on_delete=models.PROTECT, related_name="pages")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    video_url = models.URLField(max_length=URL_MAX, blank=True)
    # The video's written version (a transcript or summary), shown beside the link.
    video_text = models.TextField(blank=True)
    attachment = models.FileField(upload_to="training/", blank=True, max_length=200)
    attachment_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        _guard_draft(self.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _guard_draft(self.version_id)
        return super().delete(*args, **kwargs)


class PageOpening(models.Model):
    """Someone opened a page: when first and last, and how often."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_openings"
    )
    page = models.ForeignKey(TrainingPage, on_delete=models.PROTECT, related_name="openings")
    first_opened_at = models.DateTimeField(default=timezone.now)
    last_opened_at = models.DateTimeField(default=timezone.now)
    times = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "page"], name="one_opening_row_per_page")
        ]


class Completion(models.Model):
    """A person completed a version: every required page opened and the declaration agreed.
    Never deleted; a newer version completed later is another row, with its own certificate."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_completions"
    )
    version = models.ForeignKey(
        PackageVersion, on_delete=models.PROTECT, related_name="completions"
    )
    # The Trust the person completed it at: it issued the certificate.
    trust = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    certificate = models.OneToOneField(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        related_name="training_completion",
    )
    declaration = models.TextField()
    completed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Claimed by the reminder run before it sends, so each is sent once.
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_completion_per_version")
        ]
        indexes = [models.Index(fields=["expires_at", "expiry_reminded_at"])]


class TrustTrainingRule(models.Model):
    """A Trust's choice to require training of its staff before they decide."""

    trust = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="training_rule"
    )
    # Assessors (and educators confirming proficiencies) need a current certificate from a
    # package for assessors or educators; educators signing off, one for educators.
    assessors_must_train = models.BooleanField(default=False)
    educators_must_train = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)


class TrainingEvent(Event):
    """Append-only history: a version's way from draft to published, its pages, completions,
    reminders, and a Trust's training rules."""

    class Kind(models.TextChoices):
        PACKAGE_CREATED = "package_created", "Package created"
        DRAFTED = "drafted", "Draft started"
        SETTINGS_CHANGED = "settings_changed", "Settings changed"
        PAGE_ADDED = "page_added", "Page added"
        PAGE_CHANGED = "page_changed", "Page changed"
        PAGE_REMOVED = "page_removed", "Page removed"
        SUBMITTED = "submitted", "Sent for review"
        RETURNED = "returned", "Returned to draft"
        PUBLISHED = "published", "Published"
        COMPLETED = "completed", "Completed"
        EXPIRY_REMINDED = "expiry_reminded", "Reminded of expiry"
        RULE_CHANGED = "rule_changed", "Trust's training rule changed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    package = models.ForeignKey(
        Package, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    version = models.ForeignKey(
        PackageVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    completion = models.ForeignKey(
        Completion, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    trust = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
