"""Pages for anyone, without signing in: is this certificate valid (from its QR code), and is
this digital credential genuine. Both are limited per network address."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from stepwise.certificates import kinds, presenters, throttle
from stepwise.certificates.forms import CredentialCheckForm
from stepwise.certificates.keys import SigningKeyError
from stepwise.certificates.queries import certificate_by_serial
from stepwise.certificates.uploads import CredentialSizeLimit

logger = logging.getLogger(__name__)


def too_many_requests(request):
    response = render(request, "certificates/too_many.jinja", status=429)
    response["Retry-After"] = str(throttle.retry_after())
    return response


def _private(response):
    # Names of real people: not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@never_cache
def verify(request, serial):
    if not throttle.allow(request, "verify"):
        return too_many_requests(request)
    certificate = certificate_by_serial(serial)
    if certificate is None:
        return _private(render(request, "certificates/verify_not_found.jinja", status=404))
    return _private(
        render(
            request,
            "certificates/verify.jinja",
            {
                "certificate": certificate,
                "kind": kinds.of(certificate),
                "tag": presenters.status_tag(certificate),
                "rows": presenters.public_rows(certificate),
            },
        )
    )


def _posted(request) -> tuple[dict, dict, bool]:
    """The form's data and files, read no further than the credential size limit."""
    limit = CredentialSizeLimit(request, limit=settings.STEPWISE_CREDENTIAL_MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    try:
        data, files = request.POST, request.FILES
    except RequestDataTooBig:  # more pasted text than DATA_UPLOAD_MAX_MEMORY_SIZE
        return {}, {}, True
    return data, files, limit.exceeded


# Django's pattern for changing upload handlers: the size limit must be in place before anything
# reads the body, and the CSRF middleware reads it to find the token. So the page is exempt and
# the answer below is csrf_protect-ed, once the body has been read within our limits.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def check(request):
    if request.method != "POST":
        return render(request, "certificates/check.jinja", {"form": CredentialCheckForm()})
    if not throttle.allow(request, "check"):
        return too_many_requests(request)
    data, files, too_large = _posted(request)
    # Too large: the token may be past where reading stopped, and the answer only says the
    # credential is too large, so there is nothing to protect.
    answer = _answer if too_large else _answer_with_token_checked
    return answer(request, data, files, too_large=too_large)


def _answer(request, data, files, *, too_large: bool):
    form = CredentialCheckForm(data, files, too_large=too_large)
    try:
        checked = form.is_valid() and form.check is not None
    except SigningKeyError:
        logger.exception("Credentials cannot be checked: the signing keys are misconfigured")
        return render(
            request,
            "core/error.jinja",
            {
                "page_title": "Sorry, credentials cannot be checked right now",
                "message": "Try again later.",
            },
            status=503,
        )
    if not checked:
        status = 413 if too_large else 200
        return render(request, "certificates/check.jinja", {"form": form}, status=status)
    # A fresh form under the result, for the next credential.
    context = {"form": CredentialCheckForm(), "result": presenters.check_result(form.check)}
    return _private(render(request, "certificates/check.jinja", context))


_answer_with_token_checked = csrf_protect(_answer)
