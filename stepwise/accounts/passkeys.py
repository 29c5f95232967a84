"""Passkeys (WebAuthn, through django-otp-webauthn) as a second step of signing in, after the
password and never instead of it (docs/adr/0017-two-step-sign-in.md).

A passkey is made for the site's host name (WebAuthn's relying party id) and answers only to
pages from the site's own origin, both read from SITE_URL when asked, so a test may serve the
site elsewhere. The library keeps the passkeys (a django-otp device each); adding and removing
them are the services here, each with an event.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from stepwise.accounts import mfa
from stepwise.accounts.models import AccountEvent, User


def relying_party_id(request=None) -> str:
    """The site's host name without its port: what a passkey is made for."""
    return urlsplit(settings.SITE_URL).hostname or ""


def site_origin() -> str:
    """Scheme, host and port: the only page origin a passkey is accepted from."""
    site = urlsplit(settings.SITE_URL)
    return f"{site.scheme}://{site.netloc}"


class PasskeyHelper(WebAuthnHelper):
    """The library's WebAuthn helper, with the origin read from SITE_URL when asked."""

    def get_allowed_origins(self) -> list[str]:
        return [site_origin()]


def passkeys_of(person: User) -> list[WebAuthnCredential]:
    return list(
        WebAuthnCredential.objects.filter(user=person, confirmed=True).order_by("created_at", "pk")
    )


def has_passkey(person: User) -> bool:
    return WebAuthnCredential.objects.filter(user=person, confirmed=True).exists()


def passkey_add(
    *, person: User, register: Callable[[], WebAuthnCredential]
) -> tuple[WebAuthnCredential, list[str]]:
    """Keep the passkey that `register` checks and saves (the library's ceremony), with an
    event; someone without recovery codes (a first passkey) gets ten, returned to be shown
    once. Nothing is kept if the ceremony fails."""
    with transaction.atomic():
        passkey = register()
        AccountEvent.write(
            kind=AccountEvent.Kind.PASSKEY_ADDED,
            actor=person,
            person=person,
            note=f"passkey {passkey.pk} ({passkey.credential_id_sha256[:16]})",
        )
        codes = mfa.recovery_codes_first(person)
    return passkey, codes


def passkey_remove(*, person: User, passkey: WebAuthnCredential) -> bool:
    """Remove one of the person's own passkeys, with an event; it cannot be used again.
    Removing it twice (two clicks, two tabs) removes it once: returns whether this call did."""
    with transaction.atomic():
        _, removed = WebAuthnCredential.objects.filter(pk=passkey.pk, user=person).delete()
        if removed.get(WebAuthnCredential._meta.label):
            AccountEvent.write(
                kind=AccountEvent.Kind.PASSKEY_REMOVED,
                actor=person,
                person=person,
                note=f"passkey {passkey.pk} ({passkey.credential_id_sha256[:16]})",
            )
            return True
    return False
