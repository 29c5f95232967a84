"""Subject access exports (UK GDPR Art. 15): everything the service holds about a person, made
by the worker as one ZIP, for the person who asked alone (docs/data-protection.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from stepwise.core.events import Event


class SubjectAccessExport(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Not made"

    # A UUID so the progress page's address cannot be guessed from another export's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Whose data it holds.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="subject_access_exports"
    )
    # Who asked: the person, or an administrator of a Trust they belong to. Only they may see
    # its progress and download it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The Trust whose administrator asked; empty when the person asked for themselves.
    trust = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    file = models.FileField(upload_to="subject-access/", blank=True, max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Subject access export of {self.person} for {self.requested_by}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class SubjectAccessExportEvent(Event):
    """Append-only: an export asked for, started, made, given up, downloaded."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", "Asked for"
        STARTED = "started", "Started"
        MADE = "made", "Made"
        FAILED = "failed", "Not made"
        DOWNLOADED = "downloaded", "Downloaded"

    export = models.ForeignKey(SubjectAccessExport, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
