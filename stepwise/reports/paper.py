"""Paper the digital record replaced, by a stated rule (shown on the page):

- each enrolment would have been a printed Step document of one sheet per section of its
  framework version, plus one sheet of declarations;
- each assessor's decision (confirmed or rejected) would have been a handwritten line and a
  signature;
- each sign-off would have been two signatures (the learner's and the assessor's
  declarations).
"""

from django.db.models import Count, Q, QuerySet

from stepwise.frameworks.models import Section
from stepwise.progress.models import Decision, Enrolment
from stepwise.progress.states import EnrolmentState

DECLARATION_SHEETS = 1
SIGNATURES_PER_SIGN_OFF = 2

RULE = (
    "Counted by a rule: a printed Step document for each enrolment (a sheet per section and "
    "one of declarations), a line and a signature for each assessor's decision, and two "
    "signatures for each sign-off."
)


def sections_per_version(version_ids) -> dict[int, int]:
    """{version id: its sections}. One query."""
    return dict(
        Section.objects.filter(version_id__in=list(version_ids))
        .values("version_id")
        .annotate(n=Count("pk"))
        .values_list("version_id", "n")
        .order_by()
    )


def paper_saved(found: QuerySet[Enrolment]) -> dict:
    """Sheets and signatures the enrolments' digital records replaced. Three queries, one
    row per framework version at most."""
    by_version = list(
        found.values("version_id")
        .annotate(
            enrolments=Count("pk"),
            sign_offs=Count("pk", filter=Q(state=EnrolmentState.SIGNED_OFF)),
        )
        .order_by("version_id")
    )
    sections = sections_per_version(row["version_id"] for row in by_version)
    decisions = Decision.objects.filter(record__enrolment__in=found.values("pk")).count()
    enrolments = sum(row["enrolments"] for row in by_version)
    sign_offs = sum(row["sign_offs"] for row in by_version)
    return {
        "sheets": sum(
            row["enrolments"] * (sections.get(row["version_id"], 0) + DECLARATION_SHEETS)
            for row in by_version
        ),
        "signatures": decisions + SIGNATURES_PER_SIGN_OFF * sign_offs,
        "decisions": decisions,
        "enrolments": enrolments,
    }
