"""Where someone is signed in (OWASP ASVS 5.0 V7.5.2): each sign-in writes a SignedInSession
row; the person sees those still signed in, with the device, address and when, and signs one
out (after their password, V7.5.1). A row keeps its session's key sealed (Fernet, with a key
derived from SECRET_KEY), because signing a session out means deleting it from the session
store, which only its key can do."""

import base64
import hashlib
import time
from datetime import timedelta
from importlib import import_module

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from stepwise.accounts.models import AccountEvent, SignedInSession, User
from stepwise.core.security_log import SUCCESS, log_event
from stepwise.core.throttle import client_address

# In the session: [row id, when last written down (epoch seconds), the key's digest's start].
ROW = "stepwise_signed_in_row"
# Last active is written down at most this often: not a write on every request.
SEEN_EVERY_SECONDS = 300


def _fernet() -> Fernet:
    key = salted_hmac(
        "stepwise.accounts.signed_in", "sealed session keys", algorithm="sha256"
    ).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def _unseal(row: SignedInSession) -> str | None:
    try:
        return _fernet().decrypt(row.sealed_key.encode()).decode()
    except InvalidToken:  # sealed under a SECRET_KEY since replaced
        return None


def _store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def device_name(user_agent: str) -> str:
    """ "Chrome on Android", from the browser's User-Agent; enough to tell devices apart."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("CriOS/", "Chrome"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if token in ua
        ),
        "",
    )
    system = next(
        (
            name
            for token, name in (
                ("iPad", "iPad"),
                ("iPhone", "iPhone"),
                ("Android", "Android"),
                ("CrOS", "ChromeOS"),
                ("Windows", "Windows"),
                ("Mac OS X", "Mac"),
                ("Linux", "Linux"),
            )
            if token in ua
        ),
        "",
    )
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "An unknown browser"


# --- Written down at sign-in, on every few minutes of use, and at sign-out ------------------


def _signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    session = request.session
    if session.session_key is None:
        session.save()
    key = session.session_key
    # Signing in again in the same session (the same person, so Django keeps its key) goes
    # on with the same row.
    row, _ = SignedInSession.objects.update_or_create(
        key_digest=_digest(key),
        defaults={
            "person": user,
            "sealed_key": _fernet().encrypt(key.encode()).decode(),
            "device": device_name(request.META.get("HTTP_USER_AGENT", ""))[:200],
            "address": client_address(request)[:60],
            "last_seen_at": timezone.now(),
            "ended_at": None,
        },
    )
    session[ROW] = [row.pk, int(time.time()), _digest(key)[:16]]


def _signed_out(sender, request, user, **kwargs):
    # Sent before logout() empties the session.
    kept = request.session.get(ROW) if request is not None else None
    if kept:
        SignedInSession.objects.filter(pk=kept[0], ended_at=None).update(ended_at=timezone.now())


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="stepwise.accounts.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="stepwise.accounts.signed_out")


class SignedInSessionMiddleware:
    """Keeps the row of this session up to date: last active, at most every five minutes, and
    the key, which Django changes when the password does. Costs no query otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        kept = session.get(ROW) if session is not None else None
        key = session.session_key if session is not None else None
        if kept and key:
            row_id, seen, digest = kept
            now = int(time.time())
            moved = digest != _digest(key)[:16]
            if moved or now - seen >= SEEN_EVERY_SECONDS:
                changes = {"last_seen_at": timezone.now()}
                if moved:
                    changes |= {
                        "key_digest": _digest(key),
                        "sealed_key": _fernet().encrypt(key.encode()).decode(),
                    }
                SignedInSession.objects.filter(pk=row_id, ended_at=None).update(**changes)
                session[ROW] = [row_id, now, _digest(key)[:16]]
        return response


# --- Read and changed by the person -----------------------------------------------------------


def current_row_id(request) -> int | None:
    kept = request.session.get(ROW)
    return kept[0] if kept else None


def _still_signed_in(person: User, rows: list[SignedInSession]) -> list[SignedInSession]:
    """The rows whose session would still let the person in, as Django itself decides: it
    exists, has not expired, is this person's, and carries their current session hash (a new
    password or "sign out of all other devices" changes that)."""
    expected = person.get_session_auth_hash()
    keys = {row.pk: _unseal(row) for row in rows}
    found = _sessions_data([key for key in keys.values() if key])
    return [
        row
        for row in rows
        if str(found.get(keys[row.pk], {}).get(SESSION_KEY)) == str(person.pk)
        and constant_time_compare(found[keys[row.pk]].get(HASH_SESSION_KEY, ""), expected)
    ]


def _sessions_data(keys: list[str]) -> dict[str, dict]:
    """What each live session holds, by key: with the database's sessions in one query (so
    the page costs the same however many devices), otherwise one read of the store each."""
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        decoder = _store()
        return {
            session.session_key: decoder.decode(session.session_data)
            for session in Session.objects.filter(
                session_key__in=keys, expire_date__gt=timezone.now()
            )
        }
    return {key: data for key in keys if (data := _store(key).load())}


def signed_in_where(person: User) -> list[SignedInSession]:
    """The person's sessions still signed in, most recently active first. Rows found dead
    are marked ended, so they are not looked at again."""
    now = timezone.now()
    recent = list(
        SignedInSession.objects.filter(
            person=person,
            ended_at=None,
            started_at__gte=now - timedelta(hours=settings.STEPWISE_SESSION_MAX_HOURS),
            last_seen_at__gte=now
            - timedelta(seconds=settings.SESSION_COOKIE_AGE + SEEN_EVERY_SECONDS),
        ).order_by("-last_seen_at")[:50]
    )
    alive = _still_signed_in(person, recent)
    dead = [row.pk for row in recent if row not in alive]
    if dead:
        SignedInSession.objects.filter(pk__in=dead, ended_at=None).update(ended_at=now)
    return alive


def forget_before(when) -> int:
    """Retention (manage.py expire_signed_in_sessions): remove the rows of sessions last seen
    before `when`, which no longer let anyone in (no session outlives
    STEPWISE_SESSION_MAX_HOURS), so a device and address are not kept for ever. Sign-ins stay
    in the security event log. Returns how many were removed."""
    return SignedInSession.objects.filter(last_seen_at__lt=when).delete()[0]


class NotSignedIn(Exception):
    """The session asked for is not one of the person's, or has already ended."""


def sign_out_one(*, person: User, row_id: int, by_request) -> SignedInSession:
    """Sign the person out of one of their other sessions: its row is ended (once, whoever
    asks twice) and its session deleted from the store, with an event."""
    if row_id == current_row_id(by_request):
        raise NotSignedIn
    with transaction.atomic():
        row = SignedInSession.objects.filter(person=person, pk=row_id).first()
        if row is None or not SignedInSession.objects.filter(pk=row.pk, ended_at=None).update(
            ended_at=timezone.now()
        ):
            raise NotSignedIn
        AccountEvent.write(
            kind=AccountEvent.Kind.SIGNED_OUT_ONE_DEVICE,
            actor=person,
            person=person,
            note=f"{row.device}, {row.address}",
        )
        key = _unseal(row)
        if key:
            # In the same transaction with the database's sessions; with Redis's, a rollback
            # after this leaves the device signed out anyway, as asked.
            _store(key).delete()
    transaction.on_commit(
        lambda: log_event(
            "signed_out_one_device", outcome=SUCCESS, request=by_request, device=row.device
        )
    )
    return row
