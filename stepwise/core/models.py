from django.conf import settings
from django.db import models
from django.utils import timezone


class AttemptCount(models.Model):
    """How many attempts one key (an account, an address, a device) has made in one window of
    one limit. Used when there is no Redis: a conditional UPDATE counts atomically, which the
    database cache cannot (its incr() is a read then a write). See stepwise.core.throttle."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)  # an HMAC, never the email or address itself
    window = models.BigIntegerField()  # the window's number: its start time // its length
    count = models.PositiveIntegerField(default=0)
    ends_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window"], name="one_count_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]} window {self.window}: {self.count}"


class AppendOnlyError(Exception):
    """The access log is never changed or deleted, except by the retention command."""


class AccessQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only: records are never changed.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only: only retention removes records.")

    def expire(self, *, before) -> int:
        """Retention (manage.py expire_access_log): remove records older than `before`."""
        deleted, _ = models.QuerySet.delete(self.filter(at__lt=before))
        return deleted


class AccessRecord(models.Model):
    """Someone other than a learner looked at their record, downloaded their evidence or
    certificate, exported learners' data, or acted on a certificate: who, what, when, from
    where (the client's address as the throttles see it). Written by access_log.record()."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The learner whose record it was; empty for an export of many learners.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The Trust the record belongs to, for its administrators' search.
    trust = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    what = models.CharField(max_length=200)
    path = models.CharField(max_length=300)
    address = models.CharField(max_length=60)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "at"]),
            models.Index(fields=["trust", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.viewer_id} {self.what}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only: records are never changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only: only retention removes records.")
