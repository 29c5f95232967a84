"""Rejection rates per section and per proficiency of a framework, across every Trust: a
signal for the framework's authors about content that may be unclear. Counts only, never
learners' or assessors' names."""

from django.db.models import Count, F, Q, QuerySet

from stepwise.frameworks.models import Framework
from stepwise.progress.models import Decision

REJECTED = Q(outcome=Decision.Outcome.REJECTED)


def _decisions(framework: Framework) -> QuerySet[Decision]:
    return Decision.objects.filter(record__enrolment__framework=framework)


def by_section(framework: Framework) -> list[dict]:
    """One query; sections of every version with the same code count together."""
    return list(
        _decisions(framework)
        .values(
            code=F("record__proficiency__section__code"),
            title=F("record__proficiency__section__title"),
        )
        .annotate(decisions=Count("pk"), rejected=Count("pk", filter=REJECTED))
        .order_by("code", "title")
    )


def by_proficiency(framework: Framework) -> list[dict]:
    """One query; a proficiency's code and statement name it across versions."""
    return list(
        _decisions(framework)
        .values(
            code=F("record__proficiency__code"),
            statement=F("record__proficiency__statement"),
        )
        .annotate(decisions=Count("pk"), rejected=Count("pk", filter=REJECTED))
        .order_by("-rejected", "code", "statement")
    )
