"""Pieces every framework page shows: a version's name, address and status tag."""

from django.urls import reverse

from stepwise.core import formatting
from stepwise.frameworks.models import FrameworkVersion

State = FrameworkVersion.State

STATE_COLOURS = {
    State.DRAFT: "grey",
    State.IN_REVIEW: "blue",
    State.PUBLISHED: "green",
    State.RETIRED: "white",
}


def state_tag(version: FrameworkVersion) -> dict:
    if version.state == State.IN_REVIEW and version.is_approved:
        return {"text": "Approved", "colour": "aqua-green"}
    return {"text": version.get_state_display(), "colour": STATE_COLOURS[version.state]}


def version_name(version: FrameworkVersion) -> str:
    return f"Version {version.label}"


def version_href(version: FrameworkVersion, name: str = "frameworks:version", *extra) -> str:
    return reverse(name, args=[version.framework.slug, version.pk, *extra])


def published_text(version: FrameworkVersion) -> str:
    """ "3 March 2026 by Grace Mensah", or "Not published"."""
    if version.published_at is None:
        return "Not published"
    text = formatting.date(version.published_at)
    if version.published_by_id:
        text += f" by {version.published_by.full_name}"
    if version.retired_at:
        text += f". Retired {formatting.date(version.retired_at)}"
    return text


def count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def flag_tags(proficiency) -> list[dict]:
    tags = []
    if proficiency.optional:
        tags.append({"text": "Optional", "colour": "white"})
    if proficiency.supernumerary:
        tags.append({"text": "Supernumerary period", "colour": "white"})
    return tags


def content_summary(sections) -> str:
    proficiencies = sum(len(section.items) for section in sections)
    return (
        f"{count(proficiencies, 'proficiency', 'proficiencies')} in "
        f"{count(len(sections), 'section', 'sections')}"
    )
