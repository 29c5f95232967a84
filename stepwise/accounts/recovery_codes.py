"""Recovery codes: ten single-use codes for when the app or passkey is out of reach.

A code reads "abcd-efgh-jkmn-pqrs": the first group is its lookup, kept as written; the other
three are its secret (12 characters of 31, about 59 bits), kept only as a password hash with
its own random salt (ASVS V6.5.2: a secret under 112 bits is stored as a password is): Argon2id
at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane), whatever PASSWORD_HASHERS says, since
ten are made at once (Django's password settings take about 0.3 s each here) and the secret is
random, not chosen. The lookup finds the one row to check, so a try costs one hash, not one per
code left.
"""

import secrets

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice

from stepwise.accounts.models import RecoveryCode, User

HOW_MANY = 10
# No 0/o, 1/l/i: a code is read off paper and typed.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LOOKUP_LENGTH = 4
SECRET_LENGTH = 12
GROUP = 4


class _CodeHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1


HASHER = _CodeHasher()


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _cleaned(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _shown(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def _replace(person: User) -> list[str]:
    """Ten new codes in the caller's transaction; the person's codes before are gone."""
    StaticDevice.objects.filter(user=person).delete()
    device = StaticDevice.objects.create(user=person, name="Recovery codes", confirmed=True)
    lookups: set[str] = set()
    while len(lookups) < HOW_MANY:
        lookups.add(_random(LOOKUP_LENGTH))
    codes = [(lookup, _random(SECRET_LENGTH)) for lookup in sorted(lookups)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, lookup=lookup, secret_hash=HASHER.encode(secret, HASHER.salt()))
        for lookup, secret in codes
    )
    return [_shown(lookup + secret) for lookup, secret in codes]


def renew(*, person: User) -> list[str]:
    """Ten new recovery codes; the ones before stop working."""
    with transaction.atomic():
        return _replace(person)


def first(person: User) -> list[str]:
    """Ten recovery codes for someone who has none yet (their first passkey), inside the
    caller's transaction; none for someone who has them."""
    if StaticDevice.objects.filter(user=person).exists():
        return []
    return _replace(person)


def left(person: User) -> int:
    return RecoveryCode.objects.filter(device__user=person, device__confirmed=True).count()


def check(*, person: User, code: str) -> StaticDevice | None:
    """The recovery-code device, if `code` is one of the person's unused codes, which it uses
    up; else None. Each code works once, even when sent twice at the same moment: the code is
    claimed by deleting its row, and only the request that deletes it passes."""
    cleaned = _cleaned(code)
    if len(cleaned) != LOOKUP_LENGTH + SECRET_LENGTH:
        return None
    lookup, secret = cleaned[:LOOKUP_LENGTH], cleaned[LOOKUP_LENGTH:]
    row = (
        RecoveryCode.objects.filter(device__user=person, device__confirmed=True, lookup=lookup)
        .select_related("device")
        .first()
    )
    if row is None:
        # Hash anyway, so how long a wrong code takes does not tell whether its lookup exists.
        HASHER.encode(secret, HASHER.salt())
        return None
    if (
        HASHER.verify(secret, row.secret_hash)
        and RecoveryCode.objects.filter(pk=row.pk).delete()[0]
    ):
        return row.device
    return None
