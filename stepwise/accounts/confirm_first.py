"""Asking for the password again before a change to how someone signs in (OWASP ASVS 5.0
V7.5.1): new recovery codes, another authenticator app, a passkey, unlinking single sign-on.
A password typed in the last ten minutes (at sign-in, or on the "Confirm it's you" page) is
enough, so someone who has just signed in is not asked twice; someone who finds a ward tablet
left signed in hours ago is."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.shortcuts import redirect
from django.urls import reverse

CONFIRMED_AT = "stepwise_password_confirmed_at"
RECENT_SECONDS = 10 * 60


def confirmed(request) -> None:
    request.session[CONFIRMED_AT] = int(time.time())


def is_recent(request) -> bool:
    at = request.session.get(CONFIRMED_AT)
    return at is not None and time.time() - at < RECENT_SECONDS


def _signed_in(sender, request, user, **kwargs):
    if request is not None:
        confirmed(request)


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="stepwise.accounts.confirmed_at_sign_in")


def confirm_url(next_url: str) -> str:
    return f"{reverse('accounts:confirm_password')}?{urlencode({'next': next_url})}"


def password_confirmed_first(back: str | None = None):
    """The view runs only after a recent password; otherwise the person confirms it first and
    comes back: to the page itself after a GET, to `back` (a URL name) after a POST, which
    cannot be replayed."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if is_recent(request):
                return view(request, *args, **kwargs)
            if request.method == "GET" or back is None:
                next_url = request.get_full_path()
            else:
                next_url = reverse(back)
            return redirect(confirm_url(next_url))

        return wrapped

    return decorator
