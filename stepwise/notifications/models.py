from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """An in-app notice; the same news also goes by email."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    text = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return self.text


class Reminder(models.Model):
    """One reminder sent by the daily `send_reminders` run: the history of what was sent,
    and the guard that sends each at most once a week even if two runs overlap."""

    class Kind(models.TextChoices):
        CONFIRMATION_REQUEST = "confirmation_request", "Confirmation request still waiting"
        ENROLMENT_DUE = "enrolment_due", "Enrolment due soon"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The ConfirmationRequest or Enrolment it was about.
    object_id = models.PositiveBigIntegerField()
    # The Monday of the week it was sent in.
    week = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    people = models.PositiveIntegerField(default=0, help_text="How many people were told.")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "week"], name="one_reminder_per_week"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id} on {self.sent_at:%Y-%m-%d}"
