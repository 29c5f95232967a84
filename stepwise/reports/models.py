"""Who leads a critical care network's reports (a network lead sees every Trust of their
network, down to its units, without learners' names), and long downloads made in the
background."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stepwise.core.events import Event


class NetworkLeadQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class NetworkLead(models.Model):
    """Set up by the service team (Django admin). Ending it keeps the row: nothing is
    deleted."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="network_leads"
    )
    network = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="leads",
        limit_choices_to={"kind": "network"},
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = NetworkLeadQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network"],
                condition=Q(ended_on__isnull=True),
                name="one_current_lead_per_person_and_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} leads {self.network}"


class ReportExport(models.Model):
    """A download too long to make while the person waits (a named list of more than
    exports.BACKGROUND_OVER learners): the worker makes it, and only the person who asked may
    see its progress or download it. The file is removed after STEPWISE_REPORT_EXPORT_DAYS
    (`manage.py expire_report_exports`); the row stays and says who took learners' names
    away, and when."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Not made"
        REMOVED = "removed", "Removed"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel workbook (XLSX)"

    # A UUID so the progress page's address cannot be guessed from another export's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The membership it was asked under: the worker reads what that membership sees.
    membership = models.ForeignKey(
        "organisations.Membership", on_delete=models.PROTECT, related_name="+"
    )
    show = models.CharField(max_length=40, help_text="Which named list.")
    title = models.CharField(max_length=200)
    # The report's filters, as the address carried them.
    params = models.TextField(blank=True)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows = models.PositiveIntegerField(default=0, help_text="Learners in the list when asked.")
    file = models.FileField(upload_to="report-exports/", blank=True, max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.file_format}) for {self.requested_by}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.REMOVED)


class ReportExportEvent(Event):
    """Append-only: an export asked for, made, given up, downloaded."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", "Asked for"
        STARTED = "started", "Started"
        MADE = "made", "Made"
        FAILED = "failed", "Not made"
        DOWNLOADED = "downloaded", "Downloaded"
        REMOVED = "removed", "File removed"

    export = models.ForeignKey(ReportExport, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
