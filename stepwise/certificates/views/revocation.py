"""Revoking certificates: Trust administrators (their current Trust's certificates) and
platform administrators (any). Another Trust's certificate is a 404; other roles get a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from stepwise.certificates import presenters
from stepwise.certificates.forms import CertificateSearchForm, RevokeForm
from stepwise.certificates.queries import certificates_found, certificates_revocable_by
from stepwise.certificates.services import certificate_revoke
from stepwise.core import access_log
from stepwise.core.errors import ConflictError
from stepwise.core.pagination import pagination
from stepwise.organisations.access import current_membership

PAGE_SIZE = 25


def _revocable(request):
    membership = current_membership(request)
    certificates = certificates_revocable_by(request.user, membership)
    if certificates is None:
        raise PermissionDenied
    return certificates, membership


@require_safe
@login_required
def certificate_list(request):
    certificates, membership = _revocable(request)
    form = CertificateSearchForm(request.GET or None)
    found = certificates_found(certificates, form.search())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    all_trusts = request.user.is_platform_admin
    return render(
        request,
        "certificates/list.jinja",
        {
            "form": form,
            "rows": presenters.certificate_rows(page),
            "showing": presenters.showing(page),
            "pagination": pagination(page, query),
            "where": "Every Trust" if all_trusts else membership.trust.name,
            "all_trusts": all_trusts,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def revoke(request, serial):
    certificates, _membership = _revocable(request)
    certificate = get_object_or_404(certificates.select_related("revoked_by"), serial=serial)
    form = RevokeForm(request.POST or None)
    if not certificate.is_revoked and request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ConflictError as error:
            messages.warning(request, str(error))
            return redirect("certificates:revoke", certificate.serial)
        access_log.record(
            request,
            what=f"Revoked certificate {certificate.serial}",
            subject=certificate.holder_id,
            trust=certificate.issuer_id,
        )
        messages.success(
            request,
            f"{certificate.learner_name}'s certificate has been revoked ({certificate.serial})",
        )
        return redirect("certificates:list")
    return render(
        request,
        "certificates/revoke.jinja",
        {"certificate": certificate, "form": form, "rows": presenters.public_rows(certificate)},
    )
