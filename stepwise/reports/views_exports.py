"""A long download's progress page and the file when it is ready: only for the person who
asked (anyone else, another export's address included, gets a 404)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stepwise.reports import downloads, services
from stepwise.reports.models import ReportExport


def _own(request, export_id) -> ReportExport:
    return get_object_or_404(ReportExport, pk=export_id, requested_by=request.user)


@require_safe
@never_cache
@login_required
def export_progress(request, export_id):
    export = services.report_export_fail_if_stalled(export=_own(request, export_id))
    return render(
        request,
        "reports/export_progress.jinja",
        {
            "export": export,
            "problem": services.failure_message(export)
            if export.state == ReportExport.State.FAILED
            else "",
            "kept_days": settings.STEPWISE_REPORT_EXPORT_DAYS,
        },
    )


@require_safe
@never_cache
@login_required
def export_download(request, export_id):
    export = _own(request, export_id)
    if export.state != ReportExport.State.DONE:
        raise Http404("Not ready")
    handle = export.file.open("rb")
    services.report_export_downloaded(export=export, by=request.user)
    content_type = downloads.XLSX if export.file_format == "xlsx" else "text/csv; charset=utf-8"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=downloads.file_name(
            f"stepwise-{export.show.replace('_', '-')}", export.file_format
        ),
        content_type=content_type,
    )
