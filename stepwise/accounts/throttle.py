"""Limits on signing in and on password reset emails (docs/adr/0006-throttling.md).

Every sign-in attempt takes its place before the password is checked (stepwise.core.throttle),
so parallel guesses get no more checks than the limit.

- From a device this account has signed in on before (a signed cookie remembers it), only that
  device's own count for the account applies: guesses made anywhere else never lock a nurse
  out of her usual ward tablet.
- From any other device, two counts apply: the account's (failures from all its new devices)
  and the client address's, a higher limit over 5 minutes that slows someone trying many
  accounts without holding up the people who share a hospital's address for long.

The account's counts are keyed on its current password as well as its email, so setting a
new password (a password reset) starts them afresh everywhere. A right password gives its
place back; only failures count. Password reset emails are limited per email address and per
client address, whether or not the email has an account, so the limit tells nobody which do.
Registrations through a Trust's link are limited the same way, each limit counted apart: past
the email's, the page answers as if it had sent the email (and sends none).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac

from stepwise.accounts.models import User
from stepwise.core import throttle
from stepwise.core.security_log import REFUSED, log_event
from stepwise.core.throttle import Attempt, Limit, client_address

__all__ = [
    "Attempt",
    "client_address",
    "password_reset_attempt",
    "password_reset_refused",
    "registration_address_attempt",
    "registration_email_attempt",
    "registration_refused",
    "remember_device",
    "security_code_attempt",
    "security_code_refused",
    "sign_in_attempt",
    "sign_in_refused",
]

ADDRESS_WINDOW = timedelta(minutes=5)
RESET_WINDOW = timedelta(hours=1)
DEVICE_COOKIE_SALT = "stepwise.accounts.device"
DEVICE_COOKIE_AGE = timedelta(days=365)
# A shared ward tablet remembers this many people, the most recent first.
DEVICE_ACCOUNTS = 30


def sign_in_attempt(request, email: str) -> Attempt:
    """Count a sign-in attempt for this (normalised) email, or refuse it."""
    account = _account_key(email)
    seconds = int(settings.STEPWISE_SIGN_IN_COOL_OFF.total_seconds())
    device_id, accounts = _device(request)
    if _tag(email) in accounts:
        per_device = Limit("sign-in-device", settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT, seconds)
        return _logged(
            request, "sign_in", throttle.attempt((per_device, f"{device_id}\n{account}"))
        )
    attempt = throttle.attempt(
        (Limit("sign-in-account", settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT, seconds), account),
        (
            Limit(
                "sign-in-address",
                settings.STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS,
                int(ADDRESS_WINDOW.total_seconds()),
            ),
            client_address(request),
        ),
    )
    return _logged(request, "sign_in", attempt)


def _logged(request, what: str, attempt: Attempt) -> Attempt:
    """A refused attempt goes in the security event log (neither email nor account: a
    refusal says nothing about whether there is one)."""
    if attempt.refused:
        log_event(
            "throttled",
            outcome=REFUSED,
            request=request,
            attempt=what,
            retry_after=attempt.retry_after,
        )
    return attempt


def sign_in_refused(attempt: Attempt) -> str:
    return f"Too many attempts to sign in. Try again in {_wait(attempt)}, or reset your password"


def security_code_attempt(request, email: str) -> Attempt:
    """Count an attempt at the second step of signing in (a security code or recovery code),
    or refuse it. As for passwords: from a device that has completed this account's sign-in
    before, only that device's own count; from any other, the account's. Whoever gets this far
    knows the password, so a new device is never remembered before this step succeeds: it
    cannot buy itself a fresh count by signing in again."""
    account = _account_key(email)
    seconds = int(settings.STEPWISE_SIGN_IN_COOL_OFF.total_seconds())
    limit = settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT
    device_id, accounts = _device(request)
    if _tag(email) in accounts:
        return throttle.attempt((Limit("code-device", limit, seconds), f"{device_id}\n{account}"))
    return throttle.attempt((Limit("code-account", limit, seconds), account))


def security_code_refused(attempt: Attempt) -> str:
    return f"Too many wrong security codes. Try again in {_wait(attempt)}"


def remember_device(request, response, email: str) -> None:
    """After a successful sign-in: this device now knows this account."""
    device_id, accounts = _device(request)
    tag = _tag(email)
    accounts = [tag, *(known for known in accounts if known != tag)][:DEVICE_ACCOUNTS]
    secure = settings.SESSION_COOKIE_SECURE
    response.set_signed_cookie(
        _cookie_name(),
        f"{device_id or secrets.token_urlsafe(16)}:{','.join(accounts)}",
        salt=DEVICE_COOKIE_SALT,
        max_age=int(DEVICE_COOKIE_AGE.total_seconds()),
        secure=secure,
        httponly=True,
        samesite="Lax",
    )


def password_reset_attempt(request, email: str) -> Attempt:
    """Count a request for a password reset email, or refuse it."""
    seconds = int(RESET_WINDOW.total_seconds())
    attempt = throttle.attempt(
        (
            Limit("reset-account", settings.STEPWISE_PASSWORD_RESET_LIMIT_PER_ACCOUNT, seconds),
            email,
        ),
        (
            Limit("reset-address", settings.STEPWISE_PASSWORD_RESET_LIMIT_PER_ADDRESS, seconds),
            client_address(request),
        ),
    )
    return _logged(request, "password_reset", attempt)


def password_reset_refused(attempt: Attempt) -> str:
    return (
        "Too many requests for a password reset link. If this email address has an account, "
        "we have already sent it a link: check your inbox and junk folder, or try again in "
        f"{_wait(attempt)}"
    )


REGISTRATION_WINDOW = timedelta(hours=1)


def registration_address_attempt(request) -> Attempt:
    """Count a registration from this client address, or refuse it."""
    limit = settings.STEPWISE_REGISTRATION_LIMIT_PER_ADDRESS
    seconds = int(REGISTRATION_WINDOW.total_seconds())
    address = client_address(request)
    return _logged(
        request,
        "registration",
        throttle.attempt((Limit("register-address", limit, seconds), address)),
    )


def registration_email_attempt(request, email: str) -> Attempt:
    """Count a registration of this (normalised) email address, or refuse it."""
    limit = settings.STEPWISE_REGISTRATION_LIMIT_PER_EMAIL
    seconds = int(REGISTRATION_WINDOW.total_seconds())
    attempt = throttle.attempt((Limit("register-email", limit, seconds), email))
    return _logged(request, "registration", attempt)


def registration_refused(attempt: Attempt) -> str:
    return (
        "Too many registrations have come from your network. Wait "
        f"{_wait(attempt)} and try again, or ask your Trust administrator to register you"
    )


def _wait(attempt: Attempt) -> str:
    minutes = max(1, -(-attempt.retry_after // 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _account_key(email: str) -> str:
    # The password's hash is part of the key: a new password starts the account's counts again.
    password = User.objects.filter(email=email).values_list("password", flat=True).first()
    return f"{email}\n{password or ''}"


def _tag(email: str) -> str:
    # The cookie names accounts by a keyed hash, so it does not show whose they are.
    return salted_hmac(DEVICE_COOKIE_SALT, email, algorithm="sha256").hexdigest()[:32]


def _cookie_name() -> str:
    # Where cookies are secure (production), __Host- binds it to this host, as the session's.
    return "__Host-stepwise_device" if settings.SESSION_COOKIE_SECURE else "stepwise_device"


def _device(request) -> tuple[str, list[str]]:
    """This device's id and the accounts it has signed in to, from its signed cookie."""
    value = request.get_signed_cookie(
        _cookie_name(),
        default="",
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_AGE,
    )
    device_id, _, accounts = value.partition(":")
    if not device_id:
        return "", []
    return device_id, [tag for tag in accounts.split(",") if tag]
