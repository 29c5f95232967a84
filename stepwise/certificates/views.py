"""Downloading a certificate's PDF: the learner, and educators and Trust administrators of
the certificate's Trust; anyone else finds nothing (404)."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stepwise.certificates.queries import certificates_for
from stepwise.organisations.access import current_membership

logger = logging.getLogger(__name__)


@require_safe
@never_cache
@login_required
def download(request, serial):
    certificate = get_object_or_404(
        certificates_for(request.user, current_membership(request)).select_related("enrolment"),
        serial=serial,
    )
    if certificate.is_revoked:
        return render(request, "certificates/revoked.jinja", {"certificate": certificate})
    if not certificate.pdf:
        # The background worker has not made it yet: say so rather than fail.
        own = certificate.enrolment.learner_id == request.user.pk
        return render(
            request, "certificates/pending.jinja", {"certificate": certificate, "own": own}
        )
    try:
        handle = certificate.pdf.open("rb")
    except OSError:
        logger.exception("Certificate %s: its stored PDF cannot be read", certificate.serial)
        return render(
            request,
            "core/error.jinja",
            {
                "page_title": "Sorry, the certificate cannot be downloaded right now",
                "message": "Try again later. If it keeps happening, tell the Stepwise team the "
                f"certificate serial: {certificate.serial}.",
            },
            status=503,
        )
    name = slugify(f"{certificate.framework_title} {certificate.version_label}")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"certificate-{name}-{certificate.serial}.pdf",
        content_type="application/pdf",
    )
