"""What the frameworks list, a framework's page and the Trust's offers page show."""

from dataclasses import dataclass

from django.urls import reverse

from stepwise.core import formatting
from stepwise.frameworks.exchange.spreadsheet import COLUMN_HELP, COLUMNS
from stepwise.frameworks.presenters.common import (
    published_text,
    state_tag,
    version_href,
    version_name,
)
from stepwise.frameworks.rules import Action, FrameworkAccess, version_actions

# The frameworks list


@dataclass(frozen=True)
class FrameworkRow:
    title: str
    href: str
    latest: str
    open_text: str
    open_href: str
    open_tag: dict | None


def framework_rows(overviews) -> list[FrameworkRow]:
    rows = []
    for overview in overviews:
        latest, open_version = overview.latest, overview.open
        rows.append(
            FrameworkRow(
                title=overview.framework.title,
                href=reverse("frameworks:framework", args=[overview.framework.slug]),
                latest=(
                    f"{latest.label}, published {formatting.date(latest.published_at)}"
                    if latest
                    else "None yet"
                ),
                open_text=version_name(open_version) if open_version else "None",
                open_href=version_href(open_version) if open_version else "",
                open_tag=state_tag(open_version) if open_version else None,
            )
        )
    return rows


# A framework's page


@dataclass(frozen=True)
class VersionRow:
    name: str
    href: str
    tag: dict
    published: str
    retire_href: str


def version_rows(versions, access: FrameworkAccess) -> list[VersionRow]:
    return [
        VersionRow(
            name=version_name(version),
            href=version_href(version),
            tag=state_tag(version),
            published=published_text(version),
            retire_href=(
                version_href(version, "frameworks:retire")
                if Action.RETIRE in version_actions(version, access)
                else ""
            ),
        )
        for version in versions
    ]


@dataclass(frozen=True)
class CollaboratorRow:
    name: str
    email: str
    role: str
    added: str
    remove_href: str


def collaborator_rows(collaborators, access: FrameworkAccess) -> list[CollaboratorRow]:
    return [
        CollaboratorRow(
            name=c.person.full_name,
            email=c.person.email,
            role=c.get_role_display(),
            added=formatting.date(c.added_at),
            remove_href=(
                reverse("frameworks:collaborator_remove", args=[c.framework.slug, c.pk])
                if access.own
                else ""
            ),
        )
        for c in collaborators
    ]


def framework_summary(framework) -> list[dict]:
    return [
        {"key": {"text": "Title"}, "value": {"text": framework.title}},
        {"key": {"text": "Short name"}, "value": {"text": framework.slug}},
        {"key": {"text": "Description"}, "value": {"text": framework.description or "None"}},
    ]


# Offers


@dataclass(frozen=True)
class OfferRow:
    title: str
    version: str
    offered: dict
    self_enrolment: str
    offer_href: str = ""
    stop_href: str = ""
    toggle_href: str = ""
    toggle_text: str = ""
    toggle_value: str = ""


def offer_rows(overviews) -> list[OfferRow]:
    rows = []
    for overview in overviews:
        framework, offer = overview.framework, overview.offer
        version = (
            f"{overview.latest.label}, published {formatting.date(overview.latest.published_at)}"
        )
        if offer is None:
            rows.append(
                OfferRow(
                    title=framework.title,
                    version=version,
                    offered={"text": "Not offered", "colour": "grey"},
                    self_enrolment="Not applicable",
                    offer_href=reverse("frameworks:offer", args=[framework.slug]),
                )
            )
            continue
        allowed = offer.learners_may_enrol_themselves
        rows.append(
            OfferRow(
                title=framework.title,
                version=version,
                offered={
                    "text": f"Offered since {formatting.date(offer.offered_since)}",
                    "colour": "green",
                },
                self_enrolment=(
                    "Learners can enrol themselves" if allowed else "Educators enrol learners"
                ),
                stop_href=reverse("frameworks:offer_stop", args=[framework.slug]),
                toggle_href=reverse("frameworks:offer_self_enrolment", args=[framework.slug]),
                toggle_text="Stop self-enrolment" if allowed else "Allow self-enrolment",
                toggle_value="no" if allowed else "yes",
            )
        )
    return rows


def column_rows() -> list[list[dict]]:
    """The spreadsheet template's columns and what goes in each."""
    return [[{"text": name}, {"text": COLUMN_HELP[name]}] for name in COLUMNS]
