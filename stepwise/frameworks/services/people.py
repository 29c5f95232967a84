"""Who works on a framework, what reviewers say, and which Trusts offer it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date
from stepwise.frameworks import rules
from stepwise.frameworks.models import (
    FrameworkCollaborator,
    FrameworkVersion,
    ReviewComment,
    TrustFramework,
)
from stepwise.organisations.models import Organisation


def collaborator_add(*, framework, person, role: str, by) -> FrameworkCollaborator:
    role = FrameworkCollaborator.Role(role)
    try:
        with transaction.atomic():
            return FrameworkCollaborator.objects.create(
                framework=framework, person=person, role=role, added_by=by
            )
    except IntegrityError:
        current = FrameworkCollaborator.objects.get(framework=framework, person=person)
        raise ConflictError(
            f"{person} is already a {current.get_role_display().lower()} on {framework}."
        ) from None


def collaborator_remove(*, collaborator: FrameworkCollaborator, by) -> None:
    # What collaborators did stays in the version events and review comments, by person.
    FrameworkCollaborator.objects.filter(pk=collaborator.pk).delete()


def review_comment_add(*, version: FrameworkVersion, by, body: str) -> ReviewComment:
    body = rules.clean_text(body, what="comment", max_length=5000, required=True)
    with transaction.atomic():
        # Lock the version while it is still being made, so a comment cannot land on a
        # version someone has just published.
        locked = FrameworkVersion.objects.filter(
            pk=version.pk, state__in=FrameworkVersion.OPEN_STATES
        ).update(changed_at=F("changed_at"))
        if not locked:
            raise ConflictError(f"{version} is no longer open for comments.")
        return ReviewComment.objects.create(version=version, author=by, body=body)


def trust_framework_offer(
    *, trust: Organisation, framework, by, learners_may_enrol_themselves: bool = False
) -> TrustFramework:
    if trust.kind != Organisation.Kind.TRUST:
        raise ValidationError("Only a Trust can offer a framework")
    if not framework.versions.filter(state=FrameworkVersion.State.PUBLISHED).exists():
        raise ValidationError(f"{framework} has no published version to offer yet")
    try:
        with transaction.atomic():
            return TrustFramework.objects.create(
                trust=trust,
                framework=framework,
                offered_by=by,
                learners_may_enrol_themselves=learners_may_enrol_themselves,
            )
    except IntegrityError:
        offer = TrustFramework.objects.get(trust=trust, framework=framework)
        raise ConflictError(
            f"{trust} has offered {framework} since {date(offer.offered_since)}."
        ) from None
