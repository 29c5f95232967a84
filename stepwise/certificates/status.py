"""Revocation for digital credentials: the W3C Bitstring Status List.

Each certificate owns one bit (`status_list`, `status_index`); each Trust publishes, per list
number, a `BitstringStatusListCredential` in which the bits of its revoked certificates are
set. A verifier fetches the list the credential names and reads its bit, so revoking a
certificate changes nothing in the credential the learner holds.

Index numbers are unique across the service and chosen at random: a Trust's list then says
nothing about the order or the number of certificates it issued.
"""

import base64
import gzip
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from stepwise.certificates.models import Certificate

# The W3C minimum (16 kB of bits), which is also what gives the random indices cover.
LIST_SIZE = 131_072
# A new list is started when this many indices of the current one are taken, so that a free
# random index is found in a try or two.
LIST_FILL_LIMIT = LIST_SIZE // 2
PURPOSE = "revocation"
ENTRY_TYPE = "BitstringStatusListEntry"
ALLOCATION_TRIES = 40


def status_list_url(trust_id: int, list_number: int) -> str:
    path = reverse("certificates:status_list", args=[trust_id, list_number])
    return f"{settings.SITE_URL}{path}"


def status_entry(certificate: Certificate) -> dict:
    """What the credential says under `credentialStatus`."""
    url = status_list_url(certificate.issuer_id, certificate.status_list)
    return {
        "id": f"{url}#{certificate.status_index}",
        "type": ENTRY_TYPE,
        "statusPurpose": PURPOSE,
        "statusListIndex": str(certificate.status_index),
        "statusListCredential": url,
    }


def _current_list() -> int:
    newest = Certificate.objects.aggregate(newest=Max("status_list"))["newest"] or 1
    taken = Certificate.objects.filter(status_list=newest).count()
    return newest + 1 if taken >= LIST_FILL_LIMIT else newest


def entry_assign(*, certificate: Certificate) -> Certificate:
    """Save a new certificate with a free random index of the current list. Inside the issuing
    transaction; an index already taken (by an earlier certificate, or one issued at the same
    moment) fails the insert in a savepoint, and another is drawn."""
    list_number = _current_list()
    for _ in range(ALLOCATION_TRIES):
        certificate.status_list = list_number
        certificate.status_index = secrets.randbelow(LIST_SIZE)
        try:
            with transaction.atomic():
                certificate.save()
            return certificate
        except IntegrityError:
            taken = Certificate.objects.filter(
                status_list=list_number, status_index=certificate.status_index
            ).exists()
            if not taken:
                raise  # some other constraint: not ours to retry
            # Taken a moment ago by another certificate: try another.
    raise RuntimeError(f"No free index found in status list {list_number}.")


def encode_list(indices) -> str:
    """The bitstring with these bits set, as the spec encodes it: bit 0 is the most significant
    bit of the first byte; GZIP; base64url without padding; multibase prefix "u"."""
    bits = bytearray(LIST_SIZE // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_list(encoded: str) -> bytes:
    """The bitstring from `encodedList`. Raises ValueError if it is not one."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("encodedList must be base64url multibase (starting with 'u').")
    body = encoded[1:]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        bits = gzip.decompress(packed)
    except (ValueError, OSError, EOFError) as error:
        raise ValueError("encodedList cannot be decoded.") from error
    if len(bits) * 8 < LIST_SIZE:
        raise ValueError("encodedList is shorter than 16 kB.")
    return bits


def bit_is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise ValueError("statusListIndex is outside the list.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def revoked_indices(trust_id: int, list_number: int) -> list[int]:
    return list(
        Certificate.objects.filter(
            issuer_id=trust_id, status_list=list_number, revoked_at__isnull=False
        ).values_list("status_index", flat=True)
    )


def list_in_use(trust_id: int, list_number: int) -> bool:
    return Certificate.objects.filter(issuer_id=trust_id, status_list=list_number).exists()


def status_list_credential(trust_id: int, list_number: int) -> dict:
    """The Trust's list as a BitstringStatusListCredential (unsigned). Two queries' worth of
    work whatever the number of certificates: one for the revoked indices."""
    from stepwise.certificates.credentials import VC_CONTEXT, issuer_id

    url = status_list_url(trust_id, list_number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(trust_id),
        "validFrom": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode_list(revoked_indices(trust_id, list_number)),
        },
    }


def parse_status_list_url(url: str) -> tuple[int, int] | None:
    """(Trust id, list number) when `url` is one of our status lists; else None."""
    if not isinstance(url, str) or not url.startswith(f"{settings.SITE_URL}/"):
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name != "certificates:status_list":
        return None
    return match.kwargs["trust_id"], match.kwargs["list_number"]
