"""Framework authors and platform administrators write packages: draft, pages, review,
publish, and a new version drafted from the published one. Anyone else gets 403."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.frameworks.rules import may_author
from stepwise.training import markdown, presenters, queries
from stepwise.training.forms import (
    PackageCreateForm,
    PageForm,
    ReturnForm,
    VersionSettingsForm,
    add_service_errors,
)
from stepwise.training.models import Package, PackageVersion, TrainingEvent, TrainingPage
from stepwise.training.services import authoring as services


def author_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not may_author(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _posted(request, *, files=False):
    if request.method != "POST":
        return None, None
    return request.POST, (request.FILES if files else None)


def _version(slug: str, version_id: int) -> PackageVersion:
    return get_object_or_404(
        PackageVersion.objects.select_related("package__framework"),
        package__slug=slug,
        pk=version_id,
    )


def _back(version):
    return redirect("training:version", version.package.slug, version.pk)


@author_required
def authoring(request):
    packages = queries.with_latest_versions(
        Package.objects.select_related("framework").order_by("title")
    )
    open_versions = {
        v.package_id: v for v in PackageVersion.objects.filter(state__in=PackageVersion.OPEN_STATES)
    }
    rows = [
        {
            "package": package,
            "published": package.version,
            "open": open_versions.get(package.pk),
        }
        for package in packages
    ]
    return render(request, "training/authoring/list.jinja", {"rows": rows})


@author_required
def package_create(request):
    data, _files = _posted(request)
    form = PackageCreateForm(data)
    if data is not None and form.is_valid():
        try:
            created = services.package_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{created.title} has been created, with a draft 1.0")
            version = created.versions.get()
            return _back(version)
    return render(request, "training/authoring/create.jinja", {"form": form})


@author_required
def package_detail(request, slug: str):
    found = get_object_or_404(Package.objects.select_related("framework"), slug=slug)
    versions = list(found.versions.order_by("-created_at", "-pk"))
    return render(
        request,
        "training/authoring/package.jinja",
        {
            "package": found,
            "versions": [(v, presenters.state_tag(v)) for v in versions],
            "may_draft": not any(v.state in PackageVersion.OPEN_STATES for v in versions),
        },
    )


@author_required
def version_draft(request, slug: str):
    found = get_object_or_404(Package, slug=slug)
    if request.method != "POST":
        return redirect("training:authoring_package", slug)
    try:
        version = services.version_draft(package=found, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
        return redirect("training:authoring_package", slug)
    messages.success(request, f"Version {version.label} has been drafted from the published one")
    return _back(version)


@author_required
def version_detail(request, slug: str, version_id: int):
    version = _version(slug, version_id)
    pages = queries.pages_of(version)
    events = (
        TrainingEvent.objects.filter(version=version)
        .select_related("actor")
        .order_by("-at", "-pk")[:20]
    )
    return render(
        request,
        "training/authoring/version.jinja",
        {
            "version": version,
            "package": version.package,
            "state": presenters.state_tag(version),
            "pages": [(p, presenters.reading_time(p)) for p in pages],
            "validity": presenters.validity(version),
            "events": events,
            "rule": markdown.READING_RULE,
        },
    )


@author_required
def version_settings(request, slug: str, version_id: int):
    version = _version(slug, version_id)
    data, _files = _posted(request)
    form = VersionSettingsForm(
        data,
        initial={
            "declaration": version.declaration,
            "validity_months": version.validity_months,
            "feedback_form": version.feedback_form_id or "",
        },
    )
    if data is not None and form.is_valid():
        try:
            services.version_update(version=version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            messages.error(request, str(error))
            return _back(version)
        else:
            messages.success(request, "The settings have been saved")
            return _back(version)
    return render(request, "training/authoring/settings.jinja", {"form": form, "version": version})


def _page_form(request, version, page: TrainingPage | None):
    data, files = _posted(request, files=True)
    initial = {"required": True}
    if page is not None:
        initial = {
            name: getattr(page, name)
            for name in ("title", "body", "required", "video_url", "video_text")
        }
    form = PageForm(data, files, initial=initial)
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        try:
            saved = services.page_save(
                version=version,
                by=request.user,
                page=page,
                title=cleaned["title"],
                body=cleaned["body"],
                required=cleaned["required"],
                video_url=cleaned["video_url"],
                video_text=cleaned["video_text"],
                upload=cleaned["attachment"] or None,
                remove_attachment=cleaned["remove_attachment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            messages.error(request, str(error))
            return _back(version)
        else:
            messages.success(request, f"The page {saved.title} has been saved")
            return _back(version)
    preview = markdown.render(page.body) if page is not None else ""
    return render(
        request,
        "training/authoring/page_form.jinja",
        {"form": form, "version": version, "page": page, "preview": preview},
    )


@author_required
def page_add(request, slug: str, version_id: int):
    return _page_form(request, _version(slug, version_id), None)


@author_required
def page_edit(request, slug: str, version_id: int, page_id: int):
    version = _version(slug, version_id)
    return _page_form(request, version, get_object_or_404(version.pages, pk=page_id))


@author_required
def page_remove(request, slug: str, version_id: int, page_id: int):
    version = _version(slug, version_id)
    found = get_object_or_404(version.pages, pk=page_id)
    if request.method == "POST":
        try:
            services.page_remove(version=version, by=request.user, page=found)
        except ConflictError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The page {found.title} has been removed")
        return _back(version)
    return render(
        request, "training/authoring/page_remove.jinja", {"version": version, "page": found}
    )


@author_required
def page_move(request, slug: str, version_id: int, page_id: int):
    version = _version(slug, version_id)
    found = get_object_or_404(version.pages, pk=page_id)
    if request.method == "POST":
        try:
            services.page_move(
                version=version, by=request.user, page=found, up=request.POST.get("to") == "up"
            )
        except ConflictError as error:
            messages.error(request, str(error))
    return redirect(reverse("training:version", args=[slug, version.pk]) + "#pages")


def _step(request, slug, version_id, *, template, action, done):
    version = _version(slug, version_id)
    if request.method == "POST":
        try:
            action(version)
        except (ConflictError, ValidationError) as error:
            text = str(error) if isinstance(error, ConflictError) else " ".join(error.messages)
            messages.error(request, text)
        else:
            messages.success(request, done(version))
        return _back(version)
    return render(request, template, {"version": version})


@author_required
def version_submit(request, slug: str, version_id: int):
    return _step(
        request,
        slug,
        version_id,
        template="training/authoring/submit.jinja",
        action=lambda v: services.version_submit(version=v, by=request.user),
        done=lambda v: f"Version {v.label} has been sent for review",
    )


@author_required
def version_publish(request, slug: str, version_id: int):
    return _step(
        request,
        slug,
        version_id,
        template="training/authoring/publish.jinja",
        action=lambda v: services.version_publish(version=v, by=request.user),
        done=lambda v: f"Version {v.label} has been published",
    )


@author_required
def version_return(request, slug: str, version_id: int):
    version = _version(slug, version_id)
    data, _files = _posted(request)
    form = ReturnForm(data)
    if data is not None and form.is_valid():
        try:
            services.version_return(
                version=version, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            messages.error(request, str(error))
            return _back(version)
        else:
            messages.success(request, f"Version {version.label} has been returned to draft")
            return _back(version)
    return render(request, "training/authoring/return.jinja", {"form": form, "version": version})
