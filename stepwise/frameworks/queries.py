"""Reads for framework pages, exports and the CASE endpoint."""

from stepwise.frameworks.models import Framework, FrameworkVersion


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
