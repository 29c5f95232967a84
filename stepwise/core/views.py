import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.shortcuts import render

from stepwise.core.models import AccessRecord
from stepwise.core.navigation import home_notices
from stepwise.core.presenters import home_sections
from stepwise.core.security_log import ERROR, REFUSED, log_event


def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/start.jinja")
    return render(
        request,
        "core/home.jinja",
        {"notices": home_notices(request), "sections": home_sections(request)},
    )


@login_required
def who_viewed(request):
    """The access log of the person's own record: who, other than them, looked at it."""
    records = AccessRecord.objects.filter(subject=request.user).select_related("viewer", "trust")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/who_viewed.jinja",
        {"page": page, "days": settings.STEPWISE_ACCESS_LOG_DAYS},
    )


def accessibility(request):
    return render(request, "core/accessibility.jinja")


def privacy(request):
    return render(request, "core/privacy.jinja")


def cookies(request):
    return render(request, "core/cookies.jinja")


def _error(request, status: int, title: str, message: str):
    # A request refused before the authentication middleware ran (a Host header not in
    # ALLOWED_HOSTS is refused by CommonMiddleware) has no user; the header and footer
    # read one, so the refusal is shown to an anonymous visitor rather than failing.
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return render(
        request,
        "core/error.jinja",
        {"page_title": title, "message": message},
        status=status,
    )


def bad_request(request, exception=None):
    return _error(
        request, 400, "Sorry, there is a problem with the request", "Go back and try again."
    )


def forbidden(request, exception=None):
    return _error(
        request,
        403,
        "You do not have permission to see this page",
        "This page is for people with a different role. If you think you should see it, "
        "ask your Trust administrator.",
    )


def not_found(request, exception=None):
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted the web address, "
        "check you copied the entire address.",
    )


def server_error(request):
    # Django calls this while handling the exception, so sys.exc_info() is the cause.
    log_event(
        "server_error", outcome=ERROR, request=request, level=logging.ERROR, exc_info=sys.exc_info()
    )
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered on the last page was saved unless you saw a "
        "confirmation.",
    )


def csrf_failure(request, reason=""):
    log_event("csrf_failure", outcome=REFUSED, request=request, reason=reason)
    response = _error(
        request,
        403,
        "Your session has expired",
        "For your security, forms stop working after a while. Go back, reload the page and "
        "try again.",
    )
    response.security_logged = True  # not again as a plain 403
    return response
