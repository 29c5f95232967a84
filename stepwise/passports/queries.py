"""What the passport pages read. Each is a fixed number of queries however many rows."""

from django.db.models import Count, QuerySet

from stepwise.passports.models import ImportedPassport, PriorAttainment
from stepwise.progress.models import ProficiencyRecord


def imported_passports(learner) -> QuerySet[ImportedPassport]:
    return (
        ImportedPassport.objects.filter(learner=learner)
        .annotate(attainment_count=Count("attainments"))
        .defer("token", "payload")
        .order_by("-imported_at", "-pk")
    )


def enrolment_records(enrolment) -> list[ProficiencyRecord]:
    return list(
        ProficiencyRecord.objects.filter(
            enrolment=enrolment, proficiency__version=enrolment.version_id
        )
        .select_related("proficiency__section")
        .order_by("proficiency__section__position", "proficiency__position", "pk")
    )


def matching_attainments(enrolment, records) -> list[PriorAttainment]:
    """The learner's prior attainment for the proficiencies of these records, newest first."""
    return list(
        PriorAttainment.objects.filter(
            learner_id=enrolment.learner_id,
            proficiency_uuid__in=[record.proficiency.uuid for record in records],
        ).order_by("-confirmed_at", "-pk")
    )
