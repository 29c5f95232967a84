"""Helpers the framework services share: the draft guard, event rows and conflict messages."""

from django.utils import timezone

from stepwise.core.formatting import date
from stepwise.frameworks.models import FrameworkVersion, FrameworkVersionEvent, FrozenVersionError


def record(*, version, kind, by, note="", from_state="", to_state="") -> FrameworkVersionEvent:
    return FrameworkVersionEvent.write(
        version_id=version.pk,
        kind=kind,
        actor=by,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def last_change(version) -> str:
    """ " (published by Grace Mensah on 3 March 2026)", or "" when nobody is on record."""
    event = (
        FrameworkVersionEvent.objects.filter(version_id=version.pk)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    if event is None or event.actor is None:
        return ""
    return f" ({event.get_kind_display().lower()} by {event.actor} on {date(event.at)})"


def state_phrase(version) -> str:
    """ "a draft", "in review", "published" or "retired": what the version is now."""
    if version.state == FrameworkVersion.State.DRAFT:
        return "a draft"
    return version.get_state_display().lower()


def state_conflict(version) -> str:
    current = FrameworkVersion.objects.select_related("framework").get(pk=version.pk)
    return f"{current} is {state_phrase(current)}{last_change(current)}."


def touch_draft(version) -> None:
    """Lock the version row while it is still a draft, or refuse.

    The conditional update is the race guard: once someone sends the version for review no
    later edit can slip in, and two edits to one draft are applied one after the other.
    """
    changed = FrameworkVersion.objects.filter(
        pk=version.pk, state=FrameworkVersion.State.DRAFT
    ).update(changed_at=timezone.now())
    if not changed:
        current = FrameworkVersion.objects.select_related("framework").get(pk=version.pk)
        advice = (
            "return it to draft to change it"
            if current.state == FrameworkVersion.State.IN_REVIEW
            else "draft a new version to change it"
        )
        raise FrozenVersionError(
            f"{current} is {state_phrase(current)}{last_change(current)}: {advice}."
        )
