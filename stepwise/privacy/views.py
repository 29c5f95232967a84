"""Subject access exports: the person asks from "Your data"; a Trust administrator asks from a
person's page (written to the access log). Progress and download answer only whoever asked:
anyone else, another export's address included, gets a 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stepwise.core import access_log
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Membership, Role
from stepwise.privacy import services
from stepwise.privacy.contents import CATEGORIES
from stepwise.privacy.models import SubjectAccessExport


@never_cache
@login_required
def my_data(request):
    if request.method == "POST":
        export = services.subject_access_request(person=request.user, by=request.user)
        return redirect("privacy:export_progress", export.pk)
    earlier = SubjectAccessExport.objects.filter(
        person=request.user, requested_by=request.user
    ).first()
    return render(
        request,
        "privacy/my_data.jinja",
        {"categories": CATEGORIES, "earlier": earlier},
    )


@never_cache
@role_required(Role.TRUST_ADMIN)
def person_export(request, membership_id: int, *, membership):
    # Any membership of the administrator's own Trust, ended ones too: a leaver may ask.
    member = get_object_or_404(
        Membership.objects.filter(trust=membership.trust).select_related("person"),
        pk=membership_id,
    )
    if request.method == "POST":
        export = services.subject_access_request(
            person=member.person, by=request.user, trust=membership.trust
        )
        access_log.record(
            request,
            what="Asked for a subject access export",
            subject=member.person,
            trust=membership.trust,
        )
        return redirect("privacy:export_progress", export.pk)
    return render(
        request,
        "privacy/person_export.jinja",
        {"member": member, "categories": CATEGORIES},
    )


def _own(request, export_id) -> SubjectAccessExport:
    return get_object_or_404(
        SubjectAccessExport.objects.select_related("person"),
        pk=export_id,
        requested_by=request.user,
    )


@require_safe
@never_cache
@login_required
def export_progress(request, export_id):
    export = services.subject_access_fail_if_stalled(export=_own(request, export_id))
    problem = ""
    if export.state == SubjectAccessExport.State.FAILED:
        problem = services.failure_message(export)
    return render(request, "privacy/export_progress.jinja", {"export": export, "problem": problem})


@require_safe
@never_cache
@login_required
def export_download(request, export_id):
    export = _own(request, export_id)
    if export.state != SubjectAccessExport.State.DONE:
        raise Http404("Not ready")
    handle = export.file.open("rb")
    services.subject_access_downloaded(export=export, by=request.user)
    access_log.record(
        request,
        what="Downloaded a subject access export",
        subject=export.person,
        trust=export.trust,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"stepwise-data-{export.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
