"""The longest a session lasts, however busy (OWASP ASVS 5.0 V7.3.2): STEPWISE_SESSION_MAX_HOURS
from signing in, a long shift. The inactivity timeout (SESSION_COOKIE_AGE) ends idle sessions
sooner; this one ends a session kept alive all day on a shared ward tablet, or a stolen one."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login

from stepwise.core.security_log import REFUSED, log_event

SIGNED_IN_AT = "stepwise_signed_in_at"
# The inactivity timeout is renewed by saving the session; once a minute is enough for a
# 30-minute timeout, and spares a database write on every other request.
TOUCHED_AT = "stepwise_touched_at"
TOUCH_EVERY_SECONDS = 60


def session_started(sender, request, user, **kwargs):
    request.session[SIGNED_IN_AT] = int(time.time())


def connect() -> None:
    user_logged_in.connect(session_started, dispatch_uid="stepwise.session_started")


def too_long_message(hours: int) -> str:
    return (
        f"You have been signed in for {hours} hours, the longest a session lasts. "
        "Sign in again to carry on"
    )


class SessionLifetimeMiddleware:
    """Signs out a session older than STEPWISE_SESSION_MAX_HOURS, and sends its person to sign
    in again, then back to the page they asked for; renews a session's inactivity timeout at
    most once a minute. Reads the session (which every response
    saves anyway), never the user, so it costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now, started = int(time.time()), session.get(SIGNED_IN_AT)
            hours = settings.STEPWISE_SESSION_MAX_HOURS
            if started is None:
                # Signed in before this existed: the clock starts now.
                session[SIGNED_IN_AT] = now
            elif now - started >= hours * 3600:
                log_event("session_expired", outcome=REFUSED, request=request, hours=hours)
                logout(request)
                messages.info(request, too_long_message(hours))
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        _renew_if_due(request)
        return response


def _renew_if_due(request) -> None:
    """Mark the session changed, so it is saved with a fresh expiry, once a minute at most
    (SESSION_SAVE_EVERY_REQUEST is off). A session already changed is saved anyway."""
    session = getattr(request, "session", None)
    if session is None or session.is_empty():
        return
    now = int(time.time())
    # A session already changed is saved (renewed) anyway: noting it spares the next request
    # a save of its own.
    if session.modified or now - session.get(TOUCHED_AT, 0) >= TOUCH_EVERY_SECONDS:
        session[TOUCHED_AT] = now
