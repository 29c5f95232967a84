"""Reads for framework pages, exports and the CASE endpoint. Each page's reads are a fixed
number of queries, whatever the size of the framework."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from stepwise.accounts.models import User, normalise_email
from stepwise.frameworks import rules
from stepwise.frameworks.models import (
    Framework,
    FrameworkCollaborator,
    FrameworkVersion,
    FrameworkVersionEvent,
    Proficiency,
    ReviewComment,
    Section,
    TrustFramework,
)

State = FrameworkVersion.State


def latest_published_version(framework: Framework) -> FrameworkVersion | None:
    return (
        framework.versions.filter(state=FrameworkVersion.State.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


def version_by_label(framework: Framework, label: str) -> FrameworkVersion | None:
    return framework.versions.filter(label=label).first()


def public_version(document_uuid) -> FrameworkVersion | None:
    """A version anyone may read through CASE: published, or retired (still referenced)."""
    return (
        FrameworkVersion.objects.filter(
            document_uuid=document_uuid, state__in=FrameworkVersion.FROZEN_STATES
        )
        .select_related("framework")
        .first()
    )


# Authoring


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.all()


def collaborator_role(framework: Framework, person) -> str | None:
    if not person.is_authenticated:
        return None
    return (
        FrameworkCollaborator.objects.filter(framework=framework, person=person)
        .values_list("role", flat=True)
        .first()
    )


def collaborates(person) -> bool:
    """Whether the person helps with any framework."""
    return person.is_authenticated and person.framework_roles.exists()


@dataclass
class FrameworkOverview:
    framework: Framework
    latest: FrameworkVersion | None = None
    open: FrameworkVersion | None = None


def _overviews(found: list[Framework]) -> list[FrameworkOverview]:
    by_id = {framework.pk: FrameworkOverview(framework) for framework in found}
    versions = FrameworkVersion.objects.filter(
        framework_id__in=by_id, state__in=[State.PUBLISHED, *FrameworkVersion.OPEN_STATES]
    ).order_by("published_at", "pk")
    for version in versions:
        overview = by_id[version.framework_id]
        version.framework = overview.framework
        if version.state == State.PUBLISHED:
            overview.latest = version  # ordered by publication, so the last one wins
        else:
            overview.open = version
    return list(by_id.values())


def framework_overviews(person) -> list[FrameworkOverview]:
    """The frameworks a person works on (all of them for authors), each with its latest
    published version and any version in the making. Two queries."""
    found = Framework.objects.order_by("title", "pk")
    if not rules.may_author(person):
        found = found.filter(collaborators__person=person)
    return _overviews(list(found))


def framework_versions(framework: Framework) -> list[FrameworkVersion]:
    """Newest first, with who published them."""
    return list(framework.versions.select_related("published_by").order_by("-created_at", "-pk"))


def open_version(framework: Framework) -> FrameworkVersion | None:
    """The version in the making (draft or in review): there is at most one."""
    return framework.versions.filter(state__in=FrameworkVersion.OPEN_STATES).first()


def framework_collaborators(framework: Framework) -> list[FrameworkCollaborator]:
    return list(framework.collaborators.select_related("person").order_by("person__full_name"))


def person_by_email(email: str) -> User | None:
    return User.objects.filter(email=normalise_email(email), is_active=True).first()


def framework_version(framework: Framework, version_id: int) -> FrameworkVersion | None:
    return (
        framework.versions.select_related("based_on", "approved_by", "published_by")
        .filter(pk=version_id)
        .first()
    )


def version_section(version: FrameworkVersion, section_id: int) -> Section | None:
    section = Section.objects.filter(version_id=version.pk, pk=section_id).first()
    if section is not None:
        section.version = version
    return section


def version_proficiency(version: FrameworkVersion, proficiency_id: int) -> Proficiency | None:
    proficiency = (
        Proficiency.objects.filter(version_id=version.pk, pk=proficiency_id)
        .select_related("section")
        .first()
    )
    if proficiency is not None:
        proficiency.version = proficiency.section.version = version
    return proficiency


def version_sections(version: FrameworkVersion) -> list[Section]:
    """The sections in order, each with `.items`: its proficiencies in order. Two queries."""
    sections = list(Section.objects.filter(version_id=version.pk).order_by("position", "pk"))
    items = defaultdict(list)
    for proficiency in Proficiency.objects.filter(version_id=version.pk).order_by("position", "pk"):
        items[proficiency.section_id].append(proficiency)
    for section in sections:
        section.version = version
        section.items = items[section.pk]
    return sections


def section_choices(version: FrameworkVersion) -> list[Section]:
    return list(Section.objects.filter(version_id=version.pk).order_by("position", "pk"))


def section_size(section: Section) -> int:
    return Proficiency.objects.filter(section_id=section.pk).count()


def review_comments(version: FrameworkVersion) -> list[ReviewComment]:
    return list(version.review_comments.select_related("author").order_by("at", "pk"))


def review_comment_count(version: FrameworkVersion) -> int:
    return version.review_comments.count()


def version_events(version: FrameworkVersion) -> list[FrameworkVersionEvent]:
    return list(version.events.select_related("actor").order_by("at", "pk"))


def last_review_outcome(version: FrameworkVersion) -> FrameworkVersionEvent | None:
    """The latest return to draft or approval, if that is the last thing review did."""
    return (
        version.events.filter(
            kind__in=[
                FrameworkVersionEvent.Kind.RETURNED,
                FrameworkVersionEvent.Kind.APPROVED,
                FrameworkVersionEvent.Kind.SUBMITTED,
            ]
        )
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


# Trust offers


@dataclass
class OfferOverview:
    framework: Framework
    latest: FrameworkVersion
    offer: TrustFramework | None = None


def published_frameworks():
    published = FrameworkVersion.objects.filter(framework=OuterRef("pk"), state=State.PUBLISHED)
    return Framework.objects.filter(Exists(published))


def offer_overviews(trust) -> list[OfferOverview]:
    """Every framework with a published version, its latest one, and the Trust's offer of it.
    Three queries."""
    found = _overviews(list(published_frameworks().order_by("title", "pk")))
    offers = {
        offer.framework_id: offer
        for offer in TrustFramework.objects.filter(trust=trust).select_related("offered_by")
    }
    return [
        OfferOverview(o.framework, o.latest, offers.get(o.framework.pk))
        for o in found
        if o.latest is not None
    ]


def trust_offer(trust, framework: Framework) -> TrustFramework | None:
    return TrustFramework.objects.filter(trust=trust, framework=framework).first()
