"""What the training pages read: packages for a person's roles, their progress, and who at a
Trust holds a current certificate for their role."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from stepwise.core.compiled_reads import CompiledRead
from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.models import Role
from stepwise.training.models import (
    Audience,
    Completion,
    Package,
    PackageVersion,
    PageOpening,
    TrainingPage,
    TrustTrainingRule,
)

ROLE_AUDIENCE = {
    Role.LEARNER: Audience.LEARNER,
    Role.ASSESSOR: Audience.ASSESSOR,
    Role.EDUCATOR: Audience.EDUCATOR,
}
Published = PackageVersion.State.PUBLISHED


# Read by the guard on every review and sign-off page: compiled once (ADR 21).
_trust_rule = CompiledRead(
    lambda trust_id: TrustTrainingRule.objects.filter(trust_id=trust_id), ids=1
)


def trust_rule(trust_id: int) -> TrustTrainingRule | None:
    """The Trust's training rule, or None if it never set one."""
    return _trust_rule.first(trust_id)


def audiences_of(membership) -> list[str]:
    """Whom the person is, in the packages' words: their roles at this Trust, and everyone."""
    held = [ROLE_AUDIENCE[role] for role in ROLE_AUDIENCE if membership.has_role(role)]
    return [*held, Audience.EVERYONE]


def latest_published(package) -> PackageVersion | None:
    return package.versions.filter(state=Published).order_by("-published_at", "-pk").first()


def packages_for(trust_id: int, audiences: list[str]) -> QuerySet[Package]:
    """Published packages for these audiences: standalone ones, and those for a framework the
    Trust offers."""
    offered = TrustFramework.objects.filter(trust_id=trust_id, framework_id=OuterRef("framework"))
    return (
        Package.objects.filter(audience__in=audiences)
        .filter(Exists(PackageVersion.objects.filter(package=OuterRef("pk"), state=Published)))
        .filter(Q(framework__isnull=True) | Exists(offered))
        .select_related("framework")
        .order_by("audience", "title")
    )


def with_latest_versions(packages) -> list[Package]:
    """Each package with `.version`, its latest published version (one query for all)."""
    packages = list(packages)
    versions = PackageVersion.objects.filter(package__in=packages, state=Published).order_by(
        "package_id", "-published_at", "-pk"
    )
    latest = {}
    for version in versions:
        latest.setdefault(version.package_id, version)
    for package in packages:
        package.version = latest.get(package.pk)
        if package.version is not None:
            package.version.package = package
    return packages


def pages_of(version) -> list[TrainingPage]:
    return list(version.pages.order_by("position", "pk"))


def opened_page_ids(person, version) -> set[int]:
    return set(
        PageOpening.objects.filter(person=person, page__version=version).values_list(
            "page_id", flat=True
        )
    )


def unopened_required(person, version) -> list[TrainingPage]:
    opened = PageOpening.objects.filter(person=person, page=OuterRef("pk"))
    return list(
        version.pages.filter(required=True).exclude(Exists(opened)).order_by("position", "pk")
    )


def completions_of(person, package_ids) -> dict[int, list[Completion]]:
    """The person's completions of these packages, newest first, by package."""
    found: dict[int, list[Completion]] = {}
    for completion in (
        Completion.objects.filter(person=person, version__package_id__in=list(package_ids))
        .select_related("version", "certificate")
        .order_by("-completed_at", "-pk")
    ):
        found.setdefault(completion.version.package_id, []).append(completion)
    return found


def current(completions: QuerySet[Completion], at=None) -> QuerySet[Completion]:
    """Completions whose certificate still counts: not revoked, not expired."""
    at = at or timezone.now()
    return completions.filter(certificate__revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=at)
    )


def is_current(completion, at=None) -> bool:
    at = at or timezone.now()
    return completion.certificate.revoked_at is None and (
        completion.expires_at is None or completion.expires_at > at
    )


def holds_current(person_id, audiences, framework_id=None) -> bool:
    """Whether the person holds a current certificate from a package for one of these
    audiences (standalone, or for this framework)."""
    packages = Q(version__package__framework__isnull=True)
    if framework_id is not None:
        packages |= Q(version__package__framework_id=framework_id)
    return (
        current(Completion.objects.filter(person_id=person_id))
        .filter(version__package__audience__in=list(audiences))
        .filter(packages)
        .exists()
    )


def openings_for_certificate(completion) -> list[PageOpening]:
    return list(
        PageOpening.objects.filter(person_id=completion.person_id, page__version=completion.version)
        .select_related("page")
        .order_by("page__position", "page__pk")
    )
