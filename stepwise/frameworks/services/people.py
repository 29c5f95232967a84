"""Who works on a framework, and what reviewers say."""

from django.db import IntegrityError, transaction
from django.db.models import F

from stepwise.core.errors import ConflictError
from stepwise.frameworks import rules
from stepwise.frameworks.models import (
    FrameworkCollaborator,
    FrameworkEvent,
    FrameworkVersion,
    ReviewComment,
)


def collaborator_add(*, framework, person, role: str, by) -> FrameworkCollaborator:
    role = FrameworkCollaborator.Role(role)
    try:
        with transaction.atomic():
            collaborator = FrameworkCollaborator.objects.create(
                framework=framework, person=person, role=role, added_by=by
            )
            FrameworkEvent.write(
                framework=framework,
                kind=FrameworkEvent.Kind.COLLABORATOR_ADDED,
                actor=by,
                note=f"{person} ({person.email}) as {role.label.lower()}",
            )
            return collaborator
    except IntegrityError:
        current = FrameworkCollaborator.objects.get(framework=framework, person=person)
        raise ConflictError(
            f"{person} is already a {current.get_role_display().lower()} on {framework}."
        ) from None


def collaborator_remove(*, collaborator: FrameworkCollaborator, by) -> None:
    """Removing someone already removed is a no-op. What they did stays in the version events
    and review comments, by person, and this event says who took their role away."""
    with transaction.atomic():
        removed, _ = FrameworkCollaborator.objects.filter(pk=collaborator.pk).delete()
        if removed:
            FrameworkEvent.write(
                framework_id=collaborator.framework_id,
                kind=FrameworkEvent.Kind.COLLABORATOR_REMOVED,
                actor=by,
                note=(
                    f"{collaborator.person} ({collaborator.person.email}) "
                    f"as {collaborator.get_role_display().lower()}"
                ),
            )


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
