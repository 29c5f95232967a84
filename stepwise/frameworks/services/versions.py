"""Creating frameworks and versions, and a version's way from draft to retired.

draft ──submit──▶ in review ──approve──▶ (approved) ──publish──▶ published ──retire──▶ retired
  ▲                   │
  └──────return───────┘
"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date
from stepwise.frameworks import rules
from stepwise.frameworks.exchange.content import VERSION_SETTINGS, FrameworkContent, check_content
from stepwise.frameworks.exchange.problems import ImportInvalid
from stepwise.frameworks.models import (
    Framework,
    FrameworkEvent,
    FrameworkVersion,
    FrameworkVersionEvent,
    Proficiency,
    Section,
)
from stepwise.frameworks.queries import latest_published_version
from stepwise.frameworks.services._common import (
    record,
    state_conflict,
    state_phrase,
    touch_draft,
)

Event = FrameworkVersionEvent
State = FrameworkVersion.State


def framework_create(*, slug: str, title: str, by, description: str = "") -> Framework:
    try:
        slug = rules.clean_slug(slug)
    except ValidationError as error:
        raise ValidationError({"slug": error.messages}) from None
    title = rules.clean_text(title, what="title", max_length=200, required=True)
    description = rules.clean_text(description, what="description", max_length=5000)
    try:
        with transaction.atomic():
            framework = Framework.objects.create(
                slug=slug, title=title, description=description, created_by=by
            )
            FrameworkEvent.write(framework=framework, kind=FrameworkEvent.Kind.CREATED, actor=by)
            return framework
    except IntegrityError:
        raise ConflictError(f"A framework with the address {slug} already exists.") from None


def next_label(framework: Framework) -> str:
    """One more than the highest major number so far: 1.0, 2.0, 3.0 ..."""
    labels = set(framework.versions.values_list("label", flat=True))
    majors = [int(m.group(1)) for label in labels if (m := re.match(r"^(\d+)(\.\d+)*$", label))]
    major = max(majors, default=0) + 1
    while f"{major}.0" in labels:
        major += 1
    return f"{major}.0"


def _open_version(*, framework, by, label, based_on, settings) -> FrameworkVersion:
    """A new draft. Only one version of a framework may be in the making at a time."""
    label = rules.clean_label(label) if label else next_label(framework)
    current = framework.versions.filter(state__in=FrameworkVersion.OPEN_STATES).first()
    if current is not None:
        raise ConflictError(
            f"{current} is already {state_phrase(current)}: "
            "publish it or return it to draft and carry on with it."
        )
    if framework.versions.filter(label=label).exists():
        raise ValidationError({"label": f"{framework} already has a version {label}"})
    try:
        with transaction.atomic():
            return FrameworkVersion.objects.create(
                framework=framework,
                label=label,
                based_on=based_on,
                created_by=by,
                **settings,
            )
    except IntegrityError:
        raise ConflictError(
            f"Someone else started a new version of {framework} at the same time. "
            "Open the framework again to see it."
        ) from None


def _settings_from(version: FrameworkVersion | None) -> dict:
    if version is None:
        return {}
    return {name: getattr(version, name) for name in VERSION_SETTINGS}


def version_draft(*, framework: Framework, by, label: str = "", empty: bool = False):
    """Start the next version: a copy of the latest published one (same UUIDs), or empty."""
    with transaction.atomic():
        latest = latest_published_version(framework)
        version = _open_version(
            framework=framework,
            by=by,
            label=label,
            based_on=latest,
            settings=_settings_from(latest),
        )
        copy = latest is not None and not empty
        if copy:
            _copy_content(source=latest, target=version)
        record(
            version=version,
            kind=Event.Kind.DRAFTED,
            by=by,
            to_state=State.DRAFT,
            note=f"Copied from version {latest.label}" if copy else "Started empty",
        )
    return version


def _copy_content(*, source: FrameworkVersion, target: FrameworkVersion) -> None:
    old_sections = list(source.sections.order_by("position", "pk"))
    new_sections = Section.objects.bulk_create(
        Section(version=target, position=s.position, code=s.code, title=s.title, uuid=s.uuid)
        for s in old_sections
    )
    section_for = {old.pk: new for old, new in zip(old_sections, new_sections, strict=True)}
    Proficiency.objects.bulk_create(
        (
            Proficiency(
                version=target,
                section=section_for[p.section_id],
                position=p.position,
                uuid=p.uuid,
                code=p.code,
                statement=p.statement,
                guidance=p.guidance,
                optional=p.optional,
                supernumerary=p.supernumerary,
                evidence_hints=p.evidence_hints,
            )
            for p in source.proficiencies.order_by("pk").iterator(chunk_size=2000)
        ),
        batch_size=1000,
    )


def version_import(
    *, framework: Framework, content: FrameworkContent, by, label: str = "", source: str = ""
) -> FrameworkVersion:
    """A new draft holding exactly what a checked file said. Bulk inserts: a few queries in all."""
    problems = check_content(content)
    if problems:
        raise ImportInvalid(problems)
    with transaction.atomic():
        latest = latest_published_version(framework)
        if not label and content.label:
            taken = framework.versions.filter(label=content.label).exists()
            label = "" if taken else content.label
        settings = {**_settings_from(latest), **content.settings}
        version = _open_version(
            framework=framework, by=by, label=label, based_on=latest, settings=settings
        )
        given = {s.uuid for s in content.sections if s.uuid}
        # A section keeps its identity across versions when its code stays the same.
        previous = {
            code: section_uuid
            for code, section_uuid in (
                latest.sections.values_list("code", "uuid") if latest else []
            )
            if section_uuid not in given
        }
        sections = Section.objects.bulk_create(
            Section(
                version=version,
                position=position,
                code=s.code,
                title=s.title,
                uuid=s.uuid or previous.get(s.code) or uuid.uuid4(),
            )
            for position, s in enumerate(content.sections, start=1)
        )
        Proficiency.objects.bulk_create(
            (
                Proficiency(
                    version=version,
                    section=section,
                    position=position,
                    uuid=p.uuid or uuid.uuid4(),
                    code=p.code,
                    statement=p.statement,
                    guidance=p.guidance,
                    optional=p.optional,
                    supernumerary=p.supernumerary,
                    evidence_hints=p.evidence_hints,
                )
                for section, data in zip(sections, content.sections, strict=True)
                for position, p in enumerate(data.proficiencies, start=1)
            ),
            batch_size=1000,
        )
        count = len(content.proficiencies)
        record(
            version=version,
            kind=Event.Kind.IMPORTED,
            by=by,
            to_state=State.DRAFT,
            note=(
                f"{count} proficienc{'y' if count == 1 else 'ies'} in {len(sections)} "
                f"section{'' if len(sections) == 1 else 's'}"
                + (f" from {source}" if source else "")
            ),
        )
    return version


def version_update(*, version: FrameworkVersion, by, **changes) -> FrameworkVersion:
    """Change a draft's label, response scale, optional minimum or declarations."""
    unknown = set(changes) - set(rules.SETTING_RULES)
    if unknown:
        raise TypeError(f"version_update() cannot change {', '.join(sorted(unknown))}")
    cleaned, errors = {}, {}
    for name, value in changes.items():
        try:
            cleaned[name] = rules.SETTING_RULES[name](value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        touch_draft(version)
        label = cleaned.get("label")
        if label and version.framework.versions.filter(label=label).exclude(pk=version.pk).exists():
            raise ValidationError({"label": f"{version.framework} already has a version {label}"})
        FrameworkVersion.objects.filter(pk=version.pk).update(**cleaned)
        record(
            version=version,
            kind=Event.Kind.SETTINGS_CHANGED,
            by=by,
            note="Changed " + ", ".join(name.replace("_", " ") for name in cleaned),
        )
    version.refresh_from_db()
    return version


def _transition(*, version, by, kind, from_state, to_state, note="", require=None, **changes):
    with transaction.atomic():
        changed = FrameworkVersion.objects.filter(
            pk=version.pk, state=from_state, **(require or {})
        ).update(state=to_state, **changes)
        if not changed:
            raise ConflictError(state_conflict(version))
        record(
            version=version,
            kind=kind,
            by=by,
            from_state=from_state,
            to_state=to_state,
            note=note,
        )
    version.refresh_from_db()
    return version


def _check_ready_for_review(version: FrameworkVersion) -> None:
    proficiencies = Proficiency.objects.filter(version_id=version.pk)
    if not proficiencies.exists():
        raise ValidationError("Add at least one proficiency before sending the version for review")
    optional = proficiencies.filter(optional=True).count()
    minimum = FrameworkVersion.objects.get(pk=version.pk).minimum_optional
    if minimum > optional:
        raise ValidationError(
            f"The version asks for {minimum} optional proficiencies but has only {optional}"
        )


def version_submit_for_review(*, version: FrameworkVersion, by, note: str = ""):
    with transaction.atomic():
        changed = FrameworkVersion.objects.filter(pk=version.pk, state=State.DRAFT).update(
            state=State.IN_REVIEW
        )
        if not changed:
            raise ConflictError(state_conflict(version))
        # Checked once the version is locked, so no edit can slip in between; a failed check
        # rolls the change back.
        _check_ready_for_review(version)
        record(
            version=version,
            kind=Event.Kind.SUBMITTED,
            by=by,
            from_state=State.DRAFT,
            to_state=State.IN_REVIEW,
            note=note,
        )
    version.refresh_from_db()
    return version


def version_return(*, version: FrameworkVersion, by, comment: str):
    """Back to draft with the reviewer's reasons; any approval given so far no longer counts."""
    comment = rules.clean_text(comment, what="comment", max_length=5000, required=True)
    with transaction.atomic():
        _transition(
            version=version,
            by=by,
            kind=Event.Kind.RETURNED,
            from_state=State.IN_REVIEW,
            to_state=State.DRAFT,
            note=comment,
            approved_by=None,
            approved_at=None,
        )
        version.review_comments.create(author=by, body=comment)
    return version


def version_approve(*, version: FrameworkVersion, by, note: str = ""):
    with transaction.atomic():
        changed = FrameworkVersion.objects.filter(
            pk=version.pk, state=State.IN_REVIEW, approved_at__isnull=True
        ).update(approved_by=by, approved_at=timezone.now())
        if not changed:
            current = FrameworkVersion.objects.select_related("approved_by").get(pk=version.pk)
            if current.state == State.IN_REVIEW and current.approved_by:
                raise ConflictError(
                    f"{version} was already approved by {current.approved_by} on "
                    f"{date(current.approved_at)}."
                )
            raise ConflictError(state_conflict(version))
        record(
            version=version,
            kind=Event.Kind.APPROVED,
            by=by,
            from_state=State.IN_REVIEW,
            to_state=State.IN_REVIEW,
            note=note,
        )
    version.refresh_from_db()
    return version


def version_publish(*, version: FrameworkVersion, by):
    current = FrameworkVersion.objects.get(pk=version.pk)
    if current.state == State.IN_REVIEW and not current.is_approved:
        raise ConflictError(f"{version} must be approved before it is published.")
    return _transition(
        version=version,
        by=by,
        kind=Event.Kind.PUBLISHED,
        from_state=State.IN_REVIEW,
        to_state=State.PUBLISHED,
        require={"approved_at__isnull": False},
        published_by=by,
        published_at=timezone.now(),
    )


def version_retire(*, version: FrameworkVersion, by, note: str = ""):
    return _transition(
        version=version,
        by=by,
        kind=Event.Kind.RETIRED,
        from_state=State.PUBLISHED,
        to_state=State.RETIRED,
        note=note,
        retired_at=timezone.now(),
    )
