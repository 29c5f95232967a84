"""Downloading a certificate, as a PDF or as a signed digital credential: the learner, and
educators and Trust administrators of the certificate's Trust; anyone else finds nothing
(404)."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stepwise.certificates.credentials import MEDIA_TYPE, signed_credential
from stepwise.certificates.keys import SigningKeyError
from stepwise.certificates.queries import certificates_for
from stepwise.core import access_log
from stepwise.organisations.access import current_membership

logger = logging.getLogger(__name__)


def _visible(request, serial):
    return get_object_or_404(
        certificates_for(request.user, current_membership(request)), serial=serial
    )


def _unavailable(request, certificate, what: str):
    return render(
        request,
        "core/error.jinja",
        {
            "page_title": f"Sorry, the {what} cannot be downloaded right now",
            "message": "Try again later. If it keeps happening, tell the Stepwise team the "
            f"certificate serial: {certificate.serial}.",
        },
        status=503,
    )


def _file_name(certificate, kind: str, extension: str) -> str:
    name = slugify(f"{certificate.title} {certificate.version_label}")
    return f"{kind}-{name}-{certificate.serial}.{extension}"


@require_safe
@never_cache
@login_required
def download(request, serial):
    certificate = _visible(request, serial)
    if certificate.is_revoked:
        return render(request, "certificates/revoked.jinja", {"certificate": certificate})
    if not certificate.pdf:
        # The background worker has not made it yet: say so rather than fail.
        own = certificate.holder_id == request.user.pk
        return render(
            request, "certificates/pending.jinja", {"certificate": certificate, "own": own}
        )
    try:
        handle = certificate.pdf.open("rb")
    except OSError:
        logger.exception("Certificate %s: its stored PDF cannot be read", certificate.serial)
        return _unavailable(request, certificate, "certificate")
    access_log.record(
        request,
        what=f"Downloaded certificate {certificate.serial}",
        subject=certificate.holder_id,
        trust=certificate.issuer_id,
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_file_name(certificate, "certificate", "pdf"),
        content_type="application/pdf",
    )


@require_safe
@never_cache
@login_required
def credential(request, serial):
    """The Open Badges 3.0 credential, signed (VC-JWT), to keep in a wallet or send on."""
    certificate = _visible(request, serial)
    if certificate.is_revoked:
        return render(request, "certificates/revoked.jinja", {"certificate": certificate})
    try:
        token = signed_credential(certificate)
    except SigningKeyError:
        logger.exception("Certificate %s: the credential cannot be signed", certificate.serial)
        return _unavailable(request, certificate, "digital credential")
    access_log.record(
        request,
        what=f"Downloaded the digital credential of certificate {certificate.serial}",
        subject=certificate.holder_id,
        trust=certificate.issuer_id,
    )
    response = HttpResponse(token, content_type=MEDIA_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, _file_name(certificate, "credential", "jwt")
    )
    return response
