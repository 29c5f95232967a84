"""Two-step sign-in before any page (stepwise.accounts.mfa)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from stepwise.accounts import mfa

# What someone between the two steps may reach: the second step itself (a code, a passkey, or
# setting up either for someone who has none) and signing out.
BETWEEN_STEPS = {
    "accounts:mfa_verify",
    "accounts:mfa_set_up",
    "accounts:passkey_add",
    "accounts:passkey_add_begin",
    "accounts:passkey_add_complete",
    "accounts:passkey_sign_in_begin",
    "accounts:passkey_sign_in_complete",
    "accounts:sign_out",
}


class TwoStepSignInMiddleware:
    """A signed-in person who must use two-step sign-in and has not passed it in this session
    is sent to enter a security code (or first to set up an app) before any other page:
    every staff page and the platform admin, whichever way the session was signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not mfa.is_verified(request)
            and mfa.is_required(request)
            # Last: matching the address costs more than the checks above, which for most
            # requests (a learner, or staff past their second step) settle it.
            and not _between_steps(request.path_info)
        ):
            reading = request.method in ("GET", "HEAD")
            return redirect(next_step_url(request, request.get_full_path() if reading else ""))
        return self.get_response(request)


def next_step_url(request, next_url: str) -> str:
    """Where the person goes for their second step: a code or passkey, or setting one up."""
    name = "accounts:mfa_verify" if mfa.has_second_step(request) else "accounts:mfa_set_up"
    return f"{reverse(name)}?{urlencode({'next': next_url})}" if next_url else reverse(name)


def _between_steps(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in BETWEEN_STEPS
