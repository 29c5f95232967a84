"""What the report filters offer: the versions of the frameworks shown, and the cohorts of
Trusts a network or national report may narrow to."""

from django.db.models import QuerySet

from stepwise.frameworks.models import FrameworkVersion
from stepwise.organisations.models import Cohort, Organisation


def versions_of(frameworks) -> list[FrameworkVersion]:
    """Versions learners may be enrolled on (published, or retired since). One query."""
    return list(
        FrameworkVersion.objects.filter(
            framework__in=[f.pk for f in frameworks], state__in=FrameworkVersion.FROZEN_STATES
        )
        .select_related("framework")
        .order_by("framework__title", "created_at", "pk")
    )


def cohorts(network: Organisation | None = None) -> QuerySet[Cohort]:
    """Every cohort, or those with a Trust in the network."""
    found = Cohort.objects.all()
    if network is not None:
        found = found.filter(trusts__parent=network).distinct()
    return found.order_by("starts_on", "name")
