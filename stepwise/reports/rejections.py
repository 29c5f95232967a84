"""Rejection rates per section and per proficiency of a framework, across every Trust: a
signal for the framework's authors about content that may be unclear. Counts only, never
learners' or assessors' names.

`by_section` and `by_proficiency` count the decisions; the page reads the same figures from
the summaries the progress services keep (`summarised`, RejectionSummary), which the tests
compare with these counts.
"""

from django.db.models import Count, F, Q, QuerySet, Sum

from stepwise.frameworks.models import Framework, Proficiency
from stepwise.progress.models import Decision
from stepwise.progress.summary_models import RejectionSummary

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


def summarised(framework: Framework) -> tuple[list[dict], list[dict]]:
    """`by_section` and `by_proficiency`, read from the summaries. Two queries."""
    totals = {
        row["proficiency_id"]: row
        for row in RejectionSummary.objects.filter(framework_id=framework.pk)
        .values("proficiency_id")
        .annotate(decisions=Sum("decisions"), rejected=Sum("rejected"))
        .filter(decisions__gt=0)
        .order_by()
    }
    sections: dict[tuple, list[int]] = {}
    proficiencies: dict[tuple, list[int]] = {}
    for p in Proficiency.objects.filter(pk__in=list(totals)).values(
        "pk", "code", "statement", "section__code", "section__title"
    ):
        row = totals[p["pk"]]
        for found, key in (
            (sections, (p["section__code"], p["section__title"])),
            (proficiencies, (p["code"], p["statement"])),
        ):
            entry = found.setdefault(key, [0, 0])
            entry[0] += row["decisions"]
            entry[1] += row["rejected"]
    return (
        [
            {"code": code, "title": title, "decisions": d, "rejected": r}
            for (code, title), (d, r) in sorted(sections.items())
        ],
        [
            {"code": code, "statement": statement, "decisions": d, "rejected": r}
            for (code, statement), (d, r) in sorted(
                proficiencies.items(), key=lambda item: (-item[1][1], item[0])
            )
        ],
    )
