"""The person's side: their training, a package, its pages and files, and completing it.

A package is reached only through the person's current Trust and roles: another role's
package, or one for a framework their Trust does not offer, is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from stepwise.core.errors import ConflictError
from stepwise.organisations.access import current_membership
from stepwise.training import markdown, presenters, queries
from stepwise.training.forms import CompleteForm
from stepwise.training.services.learning import package_complete, page_open


def _membership(request):
    membership = current_membership(request)
    if membership is None:
        raise PermissionDenied
    return membership


def _package_for(request, slug: str):
    membership = _membership(request)
    found = queries.packages_for(membership.trust_id, queries.audiences_of(membership))
    package = get_object_or_404(found, slug=slug)
    package.version = queries.latest_published(package)
    package.version.package = package  # read once, not again through the version
    return membership, package


@login_required
def mine(request):
    membership = _membership(request)
    packages = queries.with_latest_versions(
        queries.packages_for(membership.trust_id, queries.audiences_of(membership))
    )
    completions = queries.completions_of(request.user, [p.pk for p in packages])
    rows = [
        {
            "package": package,
            "href": reverse("training:package", args=[package.slug]),
            "status": presenters.completion_status(package, completions.get(package.pk, [])),
        }
        for package in packages
    ]
    return render(request, "training/mine.jinja", {"rows": rows, "membership": membership})


@login_required
def package(request, slug: str):
    _membership_, found = _package_for(request, slug)
    version = found.version
    pages = queries.pages_of(version)
    opened = queries.opened_page_ids(request.user, version)
    completions = queries.completions_of(request.user, [found.pk]).get(found.pk, [])
    done = next((c for c in completions if c.version_id == version.pk), None)
    rows = presenters.page_rows(found, pages, opened)
    return render(
        request,
        "training/package.jinja",
        {
            "package": found,
            "version": version,
            "rows": rows,
            "total": presenters.total_reading_time(pages),
            "rule": markdown.READING_RULE,
            "to_open": sum(1 for row in rows if row.page.required and not row.opened),
            "done": done,
            "status": presenters.completion_status(found, completions),
            "certificates": presenters.certificate_rows(completions),
            "validity": presenters.validity(version),
            "feedback": presenters.feedback_step(version, request.user),
        },
    )


def _page_of(request, slug: str, page_id: int):
    membership, found = _package_for(request, slug)
    pages = queries.pages_of(found.version)
    index = next((i for i, p in enumerate(pages) if p.pk == page_id), None)
    if index is None:
        raise Http404
    return found, pages, index


@login_required
def page(request, slug: str, page_id: int):
    found, pages, index = _page_of(request, slug, page_id)
    current = pages[index]
    page_open(person=request.user, page=current)
    following = pages[index + 1] if index + 1 < len(pages) else None
    return render(
        request,
        "training/page.jinja",
        {
            "package": found,
            "page": current,
            "number": index + 1,
            "count": len(pages),
            "body": markdown.render(current.body),
            "video_text": markdown.render(current.video_text),
            "reading_time": presenters.reading_time(current),
            "rule": markdown.READING_RULE,
            "previous": pages[index - 1] if index > 0 else None,
            "next": following,
        },
    )


@login_required
def attachment(request, slug: str, page_id: int):
    found, pages, index = _page_of(request, slug, page_id)
    current = pages[index]
    if not current.attachment:
        raise Http404
    response = FileResponse(current.attachment.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, current.attachment_name or "training.pdf"
    )
    return response


@login_required
def complete(request, slug: str):
    membership, found = _package_for(request, slug)
    version = found.version
    form = CompleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        agreed = form.is_valid()
        try:
            package_complete(
                person=request.user,
                version=version,
                membership=membership,
                declaration_agreed=agreed,
            )
        except ConflictError as error:
            if agreed:
                form.add_error(None, str(error))
        else:
            messages.success(
                request, f"You have completed {found.title}. Your training certificate is ready."
            )
            return redirect("training:package", found.slug)
    missing = queries.unopened_required(request.user, version)
    return render(
        request,
        "training/complete.jinja",
        {
            "package": found,
            "version": version,
            "form": form,
            "missing": missing,
            "feedback": presenters.feedback_step(version, request.user),
        },
    )
