"""Two-step sign-in before any page (stepwise.accounts.mfa)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from stepwise.accounts import mfa

# What someone between the two steps may reach: the second step itself and signing out.
BETWEEN_STEPS = {
    "accounts:mfa_verify",
    "accounts:mfa_set_up",
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
            and not _between_steps(request.path_info)
            and mfa.is_required(request)
        ):
            reading = request.method in ("GET", "HEAD")
            return redirect(next_step_url(request, request.get_full_path() if reading else ""))
        return self.get_response(request)


def next_step_url(request, next_url: str) -> str:
    """Where the person goes for their second step: the code, or setting up an app."""
    name = "accounts:mfa_verify" if mfa.has_app(request.user) else "accounts:mfa_set_up"
    return f"{reverse(name)}?{urlencode({'next': next_url})}" if next_url else reverse(name)


def _between_steps(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in BETWEEN_STEPS
