"""An upload of people waiting for, or done by, the background import.

Imported by stepwise/organisations/models.py so that Django registers it with that app.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class PeopleUpload(models.Model):
    """A checked file of people, registered by a background task; the page polls this."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Registering people"
        DONE = "done", "Done"
        FAILED = "failed", "Nothing imported"

    # A UUID so the progress page's address cannot be guessed from another upload's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trust = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="people_uploads"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    people = models.PositiveIntegerField(help_text="Rows in the file to register.")
    # The file's rows as read, until the import has run; then emptied, since the people
    # themselves now hold the details.
    rows = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    registered = models.PositiveIntegerField(default=0)
    joined = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    # Why nothing was imported, if so: [{"row", "column", "message"}], or one message.
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.people} people) for {self.trust}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
