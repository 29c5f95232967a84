"""Two-step sign-in (docs/adr/0017-two-step-sign-in.md): after the password, a security code
from an authenticator app (TOTP, django-otp's device), a passkey (django-otp-webauthn's device,
stepwise.accounts.passkeys) or one of ten single-use recovery codes (django-otp's static device).

Who must use it: anyone holding a staff role anywhere, that is a platform administrator, a
framework author, or an assessor, educator or Trust administrator in a current membership.
Trust roles live in the organisations app, above this one, so it registers its check here
(`register_staff_check`). Anyone else (a learner) may turn it on, and then must use it too.

A session has passed the second step when it holds the id of the device that verified it
(django-otp's session key). Taking someone's devices away (a reset) ends all their sessions
as well, so that id never outlives its device, and trusting it reads nothing per request.

Whether a learner must use it is asked of every page they open. Trust roles are read from the
memberships the request loads anyway, so they count at once; the rest (an app, a passkey, a
network lead) takes a query, whose "not required" the session keeps together with the
person's `second_step_generation`. Saving any of those rows raises the generation (a signal,
so the platform admin and the passkey library's own saves count too), and the session asks
again at its next request. Only "not required" is kept: "required" is asked afresh each time.
"""

import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from collections.abc import Callable
from urllib.parse import quote, urlencode

import segno
from django.db import transaction
from django.db.models import Exists, F, Model, OuterRef
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from stepwise.accounts import recovery_codes, single_sign_on
from stepwise.accounts.models import User
from stepwise.accounts.services import sessions_end

ISSUER = "Stepwise"
# How far either side of now a code from the app is accepted, in 30-second steps: a phone's
# clock a little out, or a code typed just as it changed.
TOLERANCE = 1

_staff_checks: dict[str, Callable[[HttpRequest], bool]] = {}
_staff_conditions: dict[str, Callable[[], Exists]] = {}


def register_staff_check(name: str, check: Callable[[HttpRequest], bool]) -> None:
    """A check, called with the request, of whether the signed-in person holds a staff role
    that this app cannot see. It may read only what the request already holds or caches."""
    _staff_checks[name] = check


def register_staff_condition(
    name: str, condition: Callable[[], Exists], *, model: type[Model], person_field: str
) -> None:
    """A staff role kept in a table the request does not load, as an Exists() over the person
    (OuterRef("pk")): all of them are asked in one query, with whether they set up an app.
    `model` is that table, `person_field` its foreign key to the person: saving a row of it
    makes sessions ask again (see the module's docstring)."""
    _staff_conditions[name] = condition
    watch_second_step(model, person_field)


# The session's note that its person needs no second step: [their id, the generation it holds for].
NOT_REQUIRED_SESSION_KEY = "stepwise_second_step_not_required"
# Saving only these fields of a device is using it (its last code, sign count), which changes
# nothing about who must pass the second step.
_USE_ONLY = {
    "last_t",
    "last_used_at",
    "sign_count",
    "backup_state",
    "throttling_failure_count",
    "throttling_failure_timestamp",
}


def second_step_changed(person_id: int) -> None:
    """The person's apps, passkeys or staff roles kept outside the request changed: every
    session of theirs that found the second step not required asks again at its next request."""
    User.objects.filter(pk=person_id).update(second_step_generation=F("second_step_generation") + 1)


def watch_second_step(model: type[Model], person_field: str) -> None:
    """Raise the person's generation whenever a row of `model` is saved, whoever saves it.
    (A queryset's update() or bulk_create() sends no signal: write these rows one by one.)"""

    def saved(sender, instance, update_fields=None, **kwargs):
        if update_fields is not None and set(update_fields) <= _USE_ONLY:
            return
        second_step_changed(getattr(instance, f"{person_field}_id"))

    post_save.connect(
        saved, sender=model, weak=False, dispatch_uid=f"second-step:{model._meta.label}"
    )


def _holds_staff_role(request: HttpRequest) -> bool:
    user = request.user
    if user.is_staff or user.is_framework_author:
        return True
    return any(check(request) for check in _staff_checks.values())


def _any_of(request: HttpRequest, conditions: list[Exists]) -> bool:
    if not conditions:
        return False
    either = conditions[0]
    for condition in conditions[1:]:
        either = either | condition
    return User.objects.filter(either, pk=request.user.pk).exists()


def is_staff_person(request: HttpRequest) -> bool:
    return _holds_staff_role(request) or _any_of(
        request, [condition() for condition in _staff_conditions.values()]
    )


def has_app(person: User) -> bool:
    return TOTPDevice.objects.filter(user=person, confirmed=True).exists()


def app_of(person: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=person, confirmed=True).first()


def _second_steps() -> list[Exists]:
    """Whether the person (OuterRef("pk")) has set up an app or a passkey."""
    return [
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True)),
    ]


def has_second_step(request: HttpRequest) -> bool:
    """Whether the signed-in person has an app or a passkey to pass the second step with."""
    return _any_of(request, _second_steps())


def is_required(request: HttpRequest) -> bool:
    """Whether this signed-in person must pass the second step: staff, or anyone who set it up.
    No query beyond what the request loads anyway while the session's "not required" holds,
    else one."""
    if _holds_staff_role(request):
        return True
    user = request.user
    session = getattr(request, "session", None)
    # Read before the query: a device saved meanwhile raises the generation past this one.
    noted = [user.pk, user.second_step_generation]
    if session is not None and session.get(NOT_REQUIRED_SESSION_KEY) == noted:
        return False
    staff = [condition() for condition in _staff_conditions.values()]
    required = _any_of(request, [*_second_steps(), *staff])
    if not required and session is not None:
        session[NOT_REQUIRED_SESSION_KEY] = noted
    return required


def is_verified(request: HttpRequest) -> bool:
    # Signed in through single sign-on whose ID token shows more than one factor (ADR 19): the
    # provider's second factor stands for ours.
    return bool(
        request.session.get(DEVICE_ID_SESSION_KEY)
    ) or single_sign_on.session_is_multi_factor(request.session)


def mark_verified(request: HttpRequest, device) -> None:
    """This session has passed the second step. A new session key, as after the password:
    a session id seen before this moment (a fixation) is worth nothing after it."""
    request.session.cycle_key()
    otp_login(request, device)


# Setting up an authenticator app.


def new_secret() -> str:
    """A new app's secret, hex as django-otp keeps it (160 bits, RFC 4226's recommendation)."""
    return secrets.token_hex(20)


def secret_for_typing(key: str) -> str:
    """The secret as an app asks for it when typed: base32, in groups of four."""
    encoded = b32encode(unhexlify(key)).decode()
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def setup_url(person: User, key: str) -> str:
    """The otpauth:// address a QR code carries (Google's Key URI format, read by every app)."""
    label = quote(f"{ISSUER}:{person.email}")
    params = urlencode(
        {
            "secret": b32encode(unhexlify(key)).decode(),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": 6,
            "period": 30,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def qr_svg(url: str) -> str:
    """The QR code as inline SVG: attributes only, no style, so the page's CSP allows it."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        title="QR code for your authenticator app",
        svgclass="stepwise-qr-code",
    )


def code_now(key: str) -> str:
    """The code an app with this secret shows now (demo accounts, tests, the smoke check)."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    return f"{totp.token():06d}"


def _totp_step(key: str, code: str, *, after: int) -> int | None:
    """The time step this code belongs to, if it is one of the app's codes around now and
    later than step `after` (a code is used once)."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if totp.verify(int(code), tolerance=TOLERANCE, min_t=after + 1):
        return totp.t()
    return None


def _clean_app_code(code: str) -> str | None:
    digits = "".join(code.split())
    return digits if len(digits) == 6 and digits.isascii() and digits.isdigit() else None


def authenticator_add(*, person: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Set up the app holding `key`, proved by a code it shows now; it replaces any app set up
    before, and comes with ten new recovery codes (returned, and never shown again).
    ValueError if the code is not the app's."""
    digits = _clean_app_code(code)
    step = _totp_step(key, digits, after=-1) if digits else None
    if step is None:
        raise ValueError("wrong code")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=person).delete()
        device = TOTPDevice.objects.create(
            user=person,
            name="Authenticator app",
            key=key,
            tolerance=TOLERANCE,
            confirmed=True,
            last_t=step,
            last_used_at=timezone.now(),
        )
        codes = recovery_codes.renew(person=person)
    return device, codes


# Recovery codes (stepwise.accounts.recovery_codes).

recovery_codes_first = recovery_codes.first
recovery_codes_left = recovery_codes.left
recovery_codes_renew = recovery_codes.renew


# The second step at sign-in.


def code_check(*, person: User, code: str):
    """The device that accepts this code (the app's code of now, or an unused recovery code),
    or None. Each code works once, even when sent twice at the same moment: the app's step and
    the recovery code are each claimed with a conditional write."""
    digits = _clean_app_code(code)
    if digits:
        for device in TOTPDevice.objects.filter(user=person, confirmed=True):
            step = _totp_step(device.key, digits, after=device.last_t)
            if step is not None and TOTPDevice.objects.filter(pk=device.pk, last_t__lt=step).update(
                last_t=step, last_used_at=timezone.now()
            ):
                return device
        return None
    return recovery_codes.check(person=person, code=code)


def is_recovery_code(device) -> bool:
    return isinstance(device, StaticDevice)


def two_step_reset(*, person: User) -> int:
    """Take away the person's app, passkeys and recovery codes and end their sessions: at their
    next sign-in they set up an app or a passkey again. Returns how many devices were removed.
    The caller writes the event saying who did it (organisations, for a Trust administrator)."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=person).delete()[0]
        # Counted before: deleting a passkey deletes its attestation too.
        removed += WebAuthnCredential.objects.filter(user=person).count()
        WebAuthnCredential.objects.filter(user=person).delete()
        # Counted before: deleting a static device deletes its codes too.
        removed += StaticDevice.objects.filter(user=person).count()
        StaticDevice.objects.filter(user=person).delete()
        sessions_end(person=person)
    return removed
