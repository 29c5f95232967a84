from django.db import models


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
