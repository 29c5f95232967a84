"""What the security event log hears without being told: Django's sign-in signals, and the
responses that refuse someone (403, and 404 on a page that exists). Connected in CoreConfig."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from stepwise.core.security_log import FAILURE, REFUSED, SUCCESS, log_event


def signed_in(sender, request, user, **kwargs):
    log_event("sign_in", outcome=SUCCESS, request=request, user=user)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    # The account the address belongs to, if any; never what was typed, which may be a
    # password typed in the wrong box.
    model = get_user_model()
    typed = credentials.get(model.USERNAME_FIELD) or credentials.get("username") or ""
    account = None
    if typed:
        account = (
            model._default_manager.filter(**{f"{model.USERNAME_FIELD}__iexact": typed})
            .values_list("pk", flat=True)
            .first()
        )
    log_event(
        "sign_in",
        outcome=FAILURE,
        request=request,
        user=account,
        account_known=account is not None,
    )


def signed_out(sender, request, user, **kwargs):
    log_event("sign_out", outcome=SUCCESS, request=request, user=user)


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="stepwise.security.signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="stepwise.security.sign_in_failed")
    user_logged_out.connect(signed_out, dispatch_uid="stepwise.security.signed_out")


class RefusalsMiddleware:
    """Logs each 403 (unless its view logged why, as the CSRF failure page does), and each 404
    to someone signed in on a page that exists: an id they cannot reach, most often another
    Trust's (organisation scoping answers 404) or one that is gone; telling those apart would
    cost a query per 404. A 404 for an address no page has is not logged: scanners make many."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "security_logged", False):
            return response
        if response.status_code == 403:
            log_event("permission_denied", outcome=REFUSED, request=request)
        elif (
            response.status_code == 404
            and request.resolver_match is not None
            and request.user.is_authenticated
        ):
            log_event("not_found", outcome=REFUSED, request=request)
        return response
