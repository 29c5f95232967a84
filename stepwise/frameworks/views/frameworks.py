"""The frameworks list, a framework's page, its collaborators, and starting a new version by
hand or from a file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from stepwise.core.errors import ConflictError
from stepwise.frameworks import queries, rules, services
from stepwise.frameworks.exchange import files
from stepwise.frameworks.exchange.problems import ImportInvalid
from stepwise.frameworks.forms import (
    CollaboratorForm,
    FrameworkCreateForm,
    ImportForm,
    VersionDraftForm,
    add_service_errors,
)
from stepwise.frameworks.presenters import frameworks as presenters
from stepwise.frameworks.presenters.common import version_href, version_name
from stepwise.frameworks.views._lookup import (
    framework_for,
    posted,
    require_author,
    require_authoring,
)


def _framework_page(framework):
    return redirect("frameworks:framework", framework.slug)


@login_required
def framework_list(request):
    overviews = queries.framework_overviews(request.user)
    if not overviews and not rules.may_author(request.user):
        raise PermissionDenied
    return render(
        request,
        "frameworks/list.jinja",
        {
            "rows": presenters.framework_rows(overviews),
            "may_create": rules.may_author(request.user),
        },
    )


@login_required
def framework_create(request):
    require_author(request)
    form = FrameworkCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error("slug", str(error))
        else:
            messages.success(
                request, f"{framework.title} has been created. Draft its first version"
            )
            return _framework_page(framework)
    return render(request, "frameworks/create.jinja", {"form": form})


@login_required
def framework_detail(request, slug: str):
    framework, access = framework_for(request, slug)
    versions = queries.framework_versions(framework)
    for version in versions:
        version.framework = framework
    open_version = next((v for v in versions if v.state in v.OPEN_STATES), None)
    collaborators = queries.framework_collaborators(framework)
    for collaborator in collaborators:
        collaborator.framework = framework
    return render(
        request,
        "frameworks/framework.jinja",
        {
            "framework": framework,
            "access": access,
            "summary": presenters.framework_summary(framework),
            "versions": presenters.version_rows(versions, access),
            "open_version": open_version,
            "open_href": version_href(open_version) if open_version else "",
            "open_name": version_name(open_version) if open_version else "",
            "collaborators": presenters.collaborator_rows(collaborators, access),
        },
    )


def _require_owner(access) -> None:
    if not access.own:
        raise PermissionDenied


@login_required
def collaborator_add(request, slug: str):
    framework, access = framework_for(request, slug)
    _require_owner(access)
    form = CollaboratorForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            collaborator = services.collaborator_add(
                framework=framework,
                person=form.person,
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ConflictError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                f"{collaborator.person.full_name} is now a "
                f"{collaborator.get_role_display().lower()} on {framework.title}",
            )
            return _framework_page(framework)
    return render(
        request, "frameworks/collaborator_add.jinja", {"form": form, "framework": framework}
    )


@login_required
def collaborator_remove(request, slug: str, collaborator_id: int):
    framework, access = framework_for(request, slug)
    _require_owner(access)
    collaborator = get_object_or_404(
        framework.collaborators.select_related("person"), pk=collaborator_id
    )
    if request.method == "POST":
        services.collaborator_remove(collaborator=collaborator, by=request.user)
        messages.success(
            request, f"{collaborator.person.full_name} no longer works on {framework.title}"
        )
        return _framework_page(framework)
    return render(
        request,
        "frameworks/collaborator_remove.jinja",
        {"framework": framework, "collaborator": collaborator},
    )


def _refuse_second_version(request, framework):
    """Only one version is made at a time: point at the one in the making, if there is one."""
    current = queries.open_version(framework)
    if current is None:
        return None
    current.framework = framework
    messages.error(
        request,
        f"{version_name(current)} is already "
        f"{'a draft' if current.is_draft else 'in review'}: "
        "publish it before starting another version",
    )
    return redirect(version_href(current))


@login_required
def version_new(request, slug: str):
    framework, access = framework_for(request, slug)
    _require_owner(access)
    if refused := _refuse_second_version(request, framework):
        return refused
    latest = queries.latest_published_version(framework)
    form = VersionDraftForm(posted(request), latest=latest)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_draft(
                framework=framework,
                by=request.user,
                label=form.cleaned_data["label"],
                empty=form.starts_empty,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            version.framework = framework
            messages.success(request, f"{version_name(version)} has been started as a draft")
            return redirect(version_href(version))
    return render(request, "frameworks/version_new.jinja", {"form": form, "framework": framework})


@login_required
def version_import(request, slug: str):
    framework, access = framework_for(request, slug)
    _require_owner(access)
    if refused := _refuse_second_version(request, framework):
        return refused
    form = ImportForm(posted(request), posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_import(
                framework=framework,
                content=form.content,
                by=request.user,
                label=form.cleaned_data["label"],
                source=form.cleaned_data["file"].name,
            )
        except ImportInvalid as invalid:
            form.reject(invalid)
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            version.framework = framework
            messages.success(
                request,
                f"{version_name(version)} has been imported from "
                f"{form.cleaned_data['file'].name} as a draft",
            )
            return redirect(version_href(version))
    return render(request, "frameworks/import.jinja", {"form": form, "framework": framework})


@login_required
def template_help(request):
    require_authoring(request)
    return render(
        request,
        "frameworks/template.jinja",
        {"columns": presenters.column_rows()},
    )


TEMPLATE_FORMATS = (files.Format.CSV, files.Format.XLSX)


@login_required
def template_download(request, fmt: str):
    require_authoring(request)
    if fmt not in TEMPLATE_FORMATS:
        raise Http404("No such template")
    response = HttpResponse(files.template(fmt), content_type=files.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, f"framework-template.{files.EXTENSIONS[fmt]}"
    )
    return response
