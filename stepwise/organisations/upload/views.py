from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role
from stepwise.organisations.upload import presenters
from stepwise.organisations.upload.downloads import template_response
from stepwise.organisations.upload.forms import PeopleUploadForm
from stepwise.organisations.upload.queries import trust_units
from stepwise.organisations.upload.services import (
    UploadRejected,
    people_upload_fail_if_stalled,
    people_upload_start,
)


@role_required(Role.TRUST_ADMIN)
def bulk_upload(request, *, membership):
    """Explain the file, offer the templates, check an uploaded file and queue it."""
    trust = membership.trust
    if request.method == "GET" and "template" in request.GET:
        download = template_response(request.GET["template"], trust_units(trust))
        if download is None:
            raise Http404("No such template")
        return download
    form = PeopleUploadForm(request.POST, request.FILES) if request.method == "POST" else None
    errors = []
    if form is not None and form.is_valid():
        try:
            upload = people_upload_start(
                sheet=form.sheet, trust=trust, by=request.user, file_name=form.file_name
            )
        except UploadRejected as rejected:
            errors = rejected.errors
            form.reject_rows(errors)
        else:
            return redirect("organisations:bulk_upload_progress", upload_id=upload.pk)
    context = presenters.upload_page(
        form=form or PeopleUploadForm(), trust=trust, units=trust_units(trust), errors=errors
    )
    return render(request, "organisations/upload/upload.jinja", context)


@role_required(Role.TRUST_ADMIN)
def bulk_upload_progress(request, upload_id, *, membership):
    """Where an upload has got to; once done, how many people were registered."""
    upload = get_object_or_404(membership.trust.people_uploads, pk=upload_id)
    # Otherwise an upload whose worker died would say it is registering people for ever.
    upload = people_upload_fail_if_stalled(upload=upload)
    return render(request, "organisations/upload/progress.jinja", presenters.progress_page(upload))
