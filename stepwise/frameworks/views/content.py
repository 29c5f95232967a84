"""Editing a draft's sections and proficiencies: add, change, remove (after confirming) and
move up or down (a POST form per item, so it works without JavaScript)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from stepwise.core.errors import ConflictError
from stepwise.frameworks import queries, services
from stepwise.frameworks.forms import ProficiencyForm, SectionForm, add_service_errors
from stepwise.frameworks.presenters.common import version_name
from stepwise.frameworks.rules import Action
from stepwise.frameworks.services import Move
from stepwise.frameworks.views._lookup import back_to_version, posted, refusal, version_for


def _draft(request, slug, version_id):
    """The draft and None, or the version and the response refusing to edit it."""
    version, access = version_for(request, slug, version_id)
    return version, refusal(request, version, access, Action.EDIT)


def _section(version, section_id):
    section = queries.version_section(version, section_id)
    if section is None:
        raise Http404
    return section


def _proficiency(version, proficiency_id):
    proficiency = queries.version_proficiency(version, proficiency_id)
    if proficiency is None:
        raise Http404
    return proficiency


def _conflict(request, version, error):
    messages.error(request, str(error))
    return back_to_version(version)


def _saved(request, version, form, save):
    """Save a posted, valid form through `save` (the service call, returning the success
    message and the item's anchor on the version page) and go back there. None when there is
    nothing to save or the service refused a value: the form shows again with its errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        message, anchor = save()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    except ConflictError as error:
        return _conflict(request, version, error)
    messages.success(request, message)
    return back_to_version(version, anchor)


def _moved(request, version, kind: str, item, move):
    """Move a section or proficiency (`kind`) up or down with its service, and go back to it."""
    direction = _direction(request)
    try:
        move(**{kind: item}, by=request.user, direction=direction)
    except ConflictError as error:
        return _conflict(request, version, error)
    messages.success(request, f"{kind.capitalize()} {item.code} moved {direction.value}")
    return back_to_version(version, f"{kind}-{item.pk}")


def _render(request, template, version, **context):
    return render(
        request,
        f"frameworks/{template}.jinja",
        {"version": version, "name": version_name(version), **context},
    )


def _direction(request) -> Move:
    try:
        return Move(request.POST.get("direction", ""))
    except ValueError:
        raise BadRequest("Move up or down") from None


@login_required
def section_add(request, slug: str, version_id: int):
    version, refused = _draft(request, slug, version_id)
    if refused:
        return refused
    form = SectionForm(posted(request))

    def save():
        section = services.section_add(version=version, by=request.user, **form.cleaned_data)
        return f"Section {section.code} {section.title} has been added", f"section-{section.pk}"

    return _saved(request, version, form, save) or _render(
        request, "section_form", version, form=form, section=None
    )


@login_required
def section_edit(request, slug: str, version_id: int, section_id: int):
    version, refused = _draft(request, slug, version_id)
    if refused:
        return refused
    section = _section(version, section_id)
    form = SectionForm(posted(request), initial={"code": section.code, "title": section.title})

    def save():
        services.section_edit(section=section, by=request.user, **form.cleaned_data)
        return f"Section {section.code} {section.title} has been saved", f"section-{section.pk}"

    return _saved(request, version, form, save) or _render(
        request, "section_form", version, form=form, section=section
    )


@login_required
def section_remove(request, slug: str, version_id: int, section_id: int):
    version, refused = _draft(request, slug, version_id)
    if refused:
        return refused
    section = _section(version, section_id)
    if request.method == "POST":
        try:
            services.section_remove(section=section, by=request.user)
        except (ValidationError, ConflictError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return back_to_version(version, f"section-{section.pk}")
        messages.success(request, f"Section {section.code} {section.title} has been removed")
        return back_to_version(version)
    holds = queries.section_size(section)
    return _render(request, "section_remove", version, section=section, holds=holds)


@login_required
@require_POST
def section_move(request, slug: str, version_id: int, section_id: int):
    version, refused = _draft(request, slug, version_id)
    if refused:
        return refused
    section = _section(version, section_id)
    return _moved(request, version, "section", section, services.section_move)


@login_required
def proficiency_add(request, slug: str, version_id: int, section_id: int):
    version, refused = _draft(request, slug, version_id)
    if refused:
        return refused
    section = _section(version, section_id)
    form = ProficiencyForm(posted(request))

    def save():
        added = services.proficiency_add(section=section, by=request.user, **form.service_fields())
        return f"Proficiency {added.code} has been added", f"proficiency-{added.pk}"

    return _saved(request, version, form, save) or _render(
        request, "proficiency_form", version, form=form, section=section, proficiency=None
    )


@login_required
def proficiency_edit(request, slug: str, version_id: int, proficiency_id: int):
    version, refused = _draft(request, slug, version_id)
    if refused:
        return refused
    proficiency = _proficiency(version, proficiency_id)
    fields = ("code", "statement", "guidance", "evidence_hints", "optional", "supernumerary")
    initial = {name: getattr(proficiency, name) for name in fields}
    initial["section"] = proficiency.section_id
    form = ProficiencyForm(
        posted(request),
        initial=initial,
        sections=queries.section_choices(version),
    )

    def save():
        services.proficiency_edit(proficiency=proficiency, by=request.user, **form.service_fields())
        return f"Proficiency {proficiency.code} has been saved", f"proficiency-{proficiency.pk}"

    return _saved(request, version, form, save) or _render(
        request,
        "proficiency_form",
        version,
        form=form,
        section=proficiency.section,
        proficiency=proficiency,
    )


@login_required
def proficiency_remove(request, slug: str, version_id: int, proficiency_id: int):
    version, refused = _draft(request, slug, version_id)
    if refused:
        return refused
    proficiency = _proficiency(version, proficiency_id)
    if request.method == "POST":
        try:
            services.proficiency_remove(proficiency=proficiency, by=request.user)
        except ConflictError as error:
            return _conflict(request, version, error)
        messages.success(request, f"Proficiency {proficiency.code} has been removed")
        return back_to_version(version, f"section-{proficiency.section_id}")
    return _render(request, "proficiency_remove", version, proficiency=proficiency)


@login_required
@require_POST
def proficiency_move(request, slug: str, version_id: int, proficiency_id: int):
    version, refused = _draft(request, slug, version_id)
    if refused:
        return refused
    proficiency = _proficiency(version, proficiency_id)
    return _moved(request, version, "proficiency", proficiency, services.proficiency_move)
