"""The learner downloads their passport and imports one; an educator accepts the prior
attainment it carries into an enrolment of their Trust."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from stepwise.certificates.keys import SigningKeyError
from stepwise.certificates.uploads import CredentialSizeLimit
from stepwise.core import access_log
from stepwise.core.errors import ConflictError
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role
from stepwise.passports import presenters, queries
from stepwise.passports.export import signed_passport
from stepwise.passports.forms import AcceptForm, PassportUploadForm, max_bytes
from stepwise.passports.models import PriorAttainment
from stepwise.passports.services import passport_import, prior_attainment_accept
from stepwise.passports.trusted import TrustedIssuerError
from stepwise.progress.queries import staff as progress_queries

logger = logging.getLogger(__name__)


def _unavailable(request, what: str):
    logger.exception("Passports cannot be %s: the keys or trusted issuers are misconfigured", what)
    return render(
        request,
        "core/error.jinja",
        {
            "page_title": f"Sorry, passports cannot be {what} right now",
            "message": "Try again later.",
        },
        status=503,
    )


@require_safe
@never_cache
@login_required
def download(request):
    try:
        token = signed_passport(request.user)
    except SigningKeyError:
        return _unavailable(request, "downloaded")
    response = HttpResponse(token, content_type="application/jwt")
    name = f"stepwise-passport-{timezone.localdate():%Y-%m-%d}.jwt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _posted(request) -> tuple[dict, dict, bool]:
    """The form's data and files, read no further than the passport size limit."""
    limit = CredentialSizeLimit(request, limit=max_bytes())
    request.upload_handlers.insert(0, limit)
    try:
        data, files = request.POST, request.FILES
    except RequestDataTooBig:
        return {}, {}, True
    return data, files, limit.exceeded


# Django's pattern for changing upload handlers: the size limit must be in place before anything
# reads the body, and the CSRF middleware reads it to find the token. So the page is exempt and
# the import below is csrf_protect-ed, once the body has been read within our limit.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@role_required(Role.LEARNER)
def import_passport(request, *, membership):
    if request.method != "POST":
        return _import_page(request, PassportUploadForm(email=request.user.email))
    data, files, too_large = _posted(request)
    # Too large: the token may be past where reading stopped, and such a form is never valid,
    # so nothing is imported and there is nothing to protect.
    answer = _import if too_large else _import_with_token_checked
    return answer(request, data, files, membership=membership, too_large=too_large)


def _import(request, data, files, *, membership, too_large: bool):
    form = PassportUploadForm(data, files, email=request.user.email, too_large=too_large)
    try:
        valid = form.is_valid()
    except (SigningKeyError, TrustedIssuerError):
        return _unavailable(request, "imported")
    if valid:
        try:
            passport = passport_import(
                verified=form.verified,
                learner=request.user,
                trust=membership.trust,
                by=request.user,
            )
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            count = len(form.verified.attainments)
            messages.success(
                request,
                f"Your passport from {passport.issuer_name} has been imported: {count} "
                "confirmed proficiencies. Your educator can now accept them as recognised "
                "prior attainment.",
            )
            return redirect("passports:import")
    return _import_page(request, form, status=413 if too_large else 200)


_import_with_token_checked = csrf_protect(_import)


def _import_page(request, form, *, status=200):
    passports = queries.imported_passports(request.user)
    return render(
        request,
        "passports/import.jinja",
        {
            "form": form,
            "rows": presenters.passport_rows(passports),
            "back_link": {"href": reverse("progress:mine"), "text": "Back to my proficiencies"},
        },
        status=status,
    )


@role_required(Role.EDUCATOR)
def prior_attainment(request, enrolment_id: int, *, membership):
    enrolment = get_object_or_404(
        progress_queries.trust_enrolment(membership.trust), pk=enrolment_id
    )
    records = queries.enrolment_records(enrolment)
    offers = presenters.offers(records, queries.matching_attainments(enrolment, records))
    form = AcceptForm(request.POST if request.method == "POST" else None, offers=offers)
    if request.method == "POST" and form.is_valid():
        chosen = PriorAttainment.objects.filter(
            learner_id=enrolment.learner_id, pk__in=form.cleaned_data["attainments"]
        )
        try:
            result = prior_attainment_accept(
                enrolment=enrolment, attainments=chosen, by=request.user
            )
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, presenters.accepted_message(result))
            return redirect("progress:enrolment_manage", enrolment.pk)
    if request.method == "GET":
        access_log.record_enrolment(
            request, enrolment, what=f"Viewed their prior attainment for {enrolment.version}"
        )
    return render(
        request,
        "passports/prior_attainment.jinja",
        {
            "form": form,
            "enrolment": enrolment,
            "offers": offers,
            "issuers": presenters.issuers(offers),
            "checkbox_params": presenters.checkboxes(form["attainments"], offers),
            "back_link": {
                "href": reverse("progress:enrolment_manage", args=[enrolment.pk]),
                "text": "Back to the enrolment",
            },
        },
    )
