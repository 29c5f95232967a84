"""Report pages read from the replica when `DATABASE_REPLICA_URL` sets one up.

Only what runs inside `reading_reports()` goes there, and only reads: signing in, sessions and
every other page keep to the primary, so a person never reads their own write from a replica
that is a moment behind. A dashboard may be that moment old, which the reports allow.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def reading_reports() -> Iterator[None]:
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reads_reports(view):
    """Run the view's reads on the replica (put it inside the access decorators, which read
    the person's memberships from the primary)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with reading_reports():
            return view(*args, **kwargs)

    return wrapped


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_reports.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may point at one
        # read from the other.
        if {obj1._state.db, obj2._state.db} <= {"default", REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's tables; nothing is migrated on it directly.
        return False if db == REPLICA else None
