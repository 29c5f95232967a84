"""The security event log (OWASP ASVS 5.0 V16): one JSON line per event on the
`stepwise.security` logger, which settings send to a handler of its own (stderr, or the file
STEPWISE_SECURITY_LOG_FILE names). Keeping and searching the lines is the operator's log
system's job.

Each line says when (UTC), what (`event`), how it ended (`outcome`), who (`user_id`), from where
(`client`, as the throttles see it) and on which page (`method`, `path`, `view`). It never holds
a password, a token, a session key or an email's body: callers pass only the details named
here, and a path's token (a password reset or invitation link) is hidden. json.dumps escapes
every control character (json_logging.JsonFormatter), so a name or path with CR/LF cannot
forge a line.
"""

import logging

from django.db import DatabaseError

from stepwise.core.throttle import client_address

logger = logging.getLogger("stepwise.security")

SUCCESS, FAILURE, REFUSED, ERROR = "success", "failure", "refused", "error"
# URL parameters whose values are secrets: hidden wherever a path is logged.
SECRET_PARAMETERS = ("token", "uidb64", "code", "secret", "key")
HIDDEN = "[hidden]"


def log_event(
    event: str,
    *,
    outcome: str,
    request=None,
    user=None,
    level: int = logging.INFO,
    exc_info=None,
    **details,
) -> None:
    """Write one security event. `user_id` is the person signed in, or `user` where that is
    not who acted (the account a sign-in was for); whom an action concerned goes in the
    details (`subject_id`)."""
    fields = {"event": event, "outcome": outcome, "user_id": _user_id(request, user)}
    if request is not None:
        fields.update(
            client=client_address(request),
            method=request.method,
            path=safe_path(request),
            view=getattr(request.resolver_match, "view_name", None),
        )
    fields.update(details)
    logger.log(level, event, extra={"security_event": fields}, exc_info=exc_info)


def safe_path(request) -> str:
    """The request's path (never its query string), with any secret parameter hidden."""
    path = request.path
    match = request.resolver_match
    for name, value in match.kwargs.items() if match else ():
        if any(secret in name for secret in SECRET_PARAMETERS) and str(value):
            path = path.replace(str(value), HIDDEN)
    return path


def _user_id(request, user):
    if user is not None:
        return getattr(user, "pk", user)
    try:
        person = getattr(request, "user", None)
        return person.pk if person is not None and person.is_authenticated else None
    except DatabaseError:  # logging a server error whose cause is the database
        return None
