"""Editing a draft's sections and proficiencies. Each function refuses a version that is no longer
a draft (FrozenVersionError, a ConflictError), and writes an event row saying what changed."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max

from stepwise.core.errors import ConflictError
from stepwise.frameworks import rules
from stepwise.frameworks.models import FrameworkVersionEvent, Proficiency, Section
from stepwise.frameworks.services._common import record, touch_draft


class Move(models.TextChoices):
    UP = "up", "Move up"
    DOWN = "down", "Move down"


def _edited(version, by, note):
    record(version=version, kind=FrameworkVersionEvent.Kind.EDITED, by=by, note=note)


def _save(obj, what: str):
    # The unique constraints catch what the checks above them cannot: a simultaneous edit.
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ConflictError(
            f"Someone else changed this {what} at the same time. Open it again to see the change."
        ) from None
    return obj


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def _swap(obj, queryset, direction) -> bool:
    """Swap places with the neighbour above or below; False at the top or bottom already."""
    if Move(direction) == Move.UP:
        neighbour = queryset.filter(position__lt=obj.position).order_by("-position", "-pk").first()
    else:
        neighbour = queryset.filter(position__gt=obj.position).order_by("position", "pk").first()
    if neighbour is None:
        return False
    type(obj).objects.filter(pk=obj.pk).update(position=neighbour.position)
    type(obj).objects.filter(pk=neighbour.pk).update(position=obj.position)
    return True


# Sections


def _check_section_code(version, code, exclude_pk=None):
    clash = Section.objects.filter(version_id=version.pk, code=code).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"code": f"Section {code} already exists in this version"})


def section_add(*, version, by, code: str, title: str) -> Section:
    code, title = rules.clean_code(code, what="section code"), rules.clean_section_title(title)
    with transaction.atomic():
        touch_draft(version)
        _check_section_code(version, code)
        section = Section(
            version_id=version.pk,
            code=code,
            title=title,
            position=_next_position(Section.objects.filter(version_id=version.pk)),
        )
        _save(section, "section")
        _edited(version, by, f"Added section {code} {title}")
    return section


def section_edit(*, section: Section, by, code: str, title: str) -> Section:
    code, title = rules.clean_code(code, what="section code"), rules.clean_section_title(title)
    with transaction.atomic():
        touch_draft(section.version)
        _check_section_code(section.version, code, exclude_pk=section.pk)
        was = f"{section.code} {section.title}"
        section.code, section.title = code, title
        _save(section, "section")
        _edited(section.version, by, f"Changed section {was} to {code} {title}")
    return section


def section_move(*, section: Section, by, direction: str) -> Section:
    with transaction.atomic():
        touch_draft(section.version)
        section.refresh_from_db()
        if _swap(section, Section.objects.filter(version_id=section.version_id), direction):
            _edited(section.version, by, f"{Move(direction).label} section {section.code}")
    section.refresh_from_db()
    return section


def section_remove(*, section: Section, by) -> None:
    with transaction.atomic():
        touch_draft(section.version)
        if section.proficiencies.exists():
            raise ValidationError(
                f"Section {section.code} still has proficiencies: move or remove them first"
            )
        section.delete()
        Section.objects.filter(version_id=section.version_id, position__gt=section.position).update(
            position=F("position") - 1
        )
        _edited(section.version, by, f"Removed section {section.code} {section.title}")


# Proficiencies


def _clean_proficiency(
    *, code, statement, guidance, optional, supernumerary, evidence_hints
) -> dict:
    cleaned, errors = {}, {}
    checks = {
        "code": lambda: rules.clean_code(code, what="proficiency code"),
        "statement": lambda: rules.clean_statement(statement),
        "guidance": lambda: rules.clean_guidance(guidance),
        "evidence_hints": lambda: rules.clean_evidence_hints(evidence_hints),
        "optional": lambda: rules.clean_flag(optional, what="optional"),
        "supernumerary": lambda: rules.clean_flag(supernumerary, what="supernumerary"),
    }
    for name, check in checks.items():
        try:
            cleaned[name] = check()
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_proficiency_code(version_id, code, exclude_pk=None):
    clash = Proficiency.objects.filter(version_id=version_id, code=code).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"code": f"Proficiency {code} already exists in this version"})


def proficiency_add(
    *,
    section: Section,
    by,
    code: str,
    statement: str,
    guidance: str = "",
    optional: bool = False,
    supernumerary: bool = False,
    evidence_hints: str = "",
) -> Proficiency:
    fields = _clean_proficiency(
        code=code,
        statement=statement,
        guidance=guidance,
        optional=optional,
        supernumerary=supernumerary,
        evidence_hints=evidence_hints,
    )
    with transaction.atomic():
        touch_draft(section.version)
        _check_proficiency_code(section.version_id, fields["code"])
        proficiency = Proficiency(
            version_id=section.version_id,
            section=section,
            position=_next_position(section.proficiencies.all()),
            **fields,
        )
        _save(proficiency, "proficiency")
        _edited(section.version, by, f"Added proficiency {proficiency.code}")
    return proficiency


def proficiency_edit(
    *,
    proficiency: Proficiency,
    by,
    code: str,
    statement: str,
    guidance: str = "",
    optional: bool = False,
    supernumerary: bool = False,
    evidence_hints: str = "",
    section: Section | None = None,
) -> Proficiency:
    """Change a proficiency; given another section of the same version, it moves to its end."""
    fields = _clean_proficiency(
        code=code,
        statement=statement,
        guidance=guidance,
        optional=optional,
        supernumerary=supernumerary,
        evidence_hints=evidence_hints,
    )
    if section is not None and section.version_id != proficiency.version_id:
        raise ValidationError({"section": "Choose a section of the same version"})
    with transaction.atomic():
        touch_draft(proficiency.version)
        _check_proficiency_code(proficiency.version_id, fields["code"], exclude_pk=proficiency.pk)
        old_code, old_section_id = proficiency.code, proficiency.section_id
        old_position = proficiency.position
        changed = [name for name, value in fields.items() if getattr(proficiency, name) != value]
        for name, value in fields.items():
            setattr(proficiency, name, value)
        if section is not None and section.pk != old_section_id:
            proficiency.section = section
            proficiency.position = _next_position(section.proficiencies.all())
            changed.append("section")
        _save(proficiency, "proficiency")
        if proficiency.section_id != old_section_id:
            Proficiency.objects.filter(section_id=old_section_id, position__gt=old_position).update(
                position=F("position") - 1
            )
        if changed:
            names = ", ".join(name.replace("_", " ") for name in changed)
            _edited(proficiency.version, by, f"Changed proficiency {old_code}: {names}")
    return proficiency


def proficiency_move(*, proficiency: Proficiency, by, direction: str) -> Proficiency:
    with transaction.atomic():
        touch_draft(proficiency.version)
        proficiency.refresh_from_db()
        siblings = Proficiency.objects.filter(section_id=proficiency.section_id)
        if _swap(proficiency, siblings, direction):
            _edited(
                proficiency.version, by, f"{Move(direction).label} proficiency {proficiency.code}"
            )
    proficiency.refresh_from_db()
    return proficiency


def proficiency_remove(*, proficiency: Proficiency, by) -> None:
    """Drafts only: nobody has been assessed against a draft, so nothing is lost."""
    with transaction.atomic():
        touch_draft(proficiency.version)
        proficiency.delete()
        Proficiency.objects.filter(
            section_id=proficiency.section_id, position__gt=proficiency.position
        ).update(position=F("position") - 1)
        _edited(proficiency.version, by, f"Removed proficiency {proficiency.code}")
