"""One shape for every append-only history: who did what to a thing, when, from which state
to which, and why.

Each app's event model extends `Event` with its own `kind` (a CharField with choices) and its
own links to what the event is about. Rows are written only through `write()` (one row) or
`write_all()` (many rows in one INSERT, where a service must keep its query count fixed), so
every event is checked to be one of its model's kinds before it is saved.
"""

from collections.abc import Iterable
from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @classmethod
    def write(cls, *, kind: str, actor, from_state="", to_state="", note="", **links) -> Self:
        """Write one event. `links` are the subclass's own fields (what it is about, and `at`
        when the change has a time of its own)."""
        event = cls.build(
            kind=kind, actor=actor, from_state=from_state, to_state=to_state, note=note, **links
        )
        event.save(force_insert=True)
        return event

    @classmethod
    def build(cls, *, kind: str, actor, from_state="", to_state="", note="", **links) -> Self:
        """An event not yet saved, for `write_all()`."""
        cls._check_kind(kind)
        return cls(
            kind=kind, actor=actor, from_state=from_state, to_state=to_state, note=note, **links
        )

    @classmethod
    def write_all(cls, events: Iterable[Self]) -> list[Self]:
        """Write several events built with `build()` in one INSERT."""
        events = list(events)
        for event in events:
            if type(event) is not cls:
                raise TypeError(f"{cls.__name__}.write_all() was given a {type(event).__name__}.")
            cls._check_kind(event.kind)
        return cls.objects.bulk_create(events)

    @classmethod
    def _check_kind(cls, kind: str) -> None:
        kinds = {value for value, _label in cls._meta.get_field("kind").choices}
        if kind not in kinds:
            raise ValueError(f"{kind!r} is not a kind of {cls.__name__}.")
