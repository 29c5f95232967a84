"""Checking a digital credential someone gives us: a VC-JWT as Stepwise issues it (or the same
inside a VC 2.0 `EnvelopedVerifiableCredential`).

In order: is it a signed credential at all; is it signed by a key we publish (the issuer we
trust is, for now, this service); is the signature good; is it a well-formed Open Badges 3.0
credential whose JWT claims match it; is it in date; has it been revoked (its bit in the
status list). Input that is not a credential raises NotACredential; anything else gives a
`Check` whose outcome is the most serious problem and whose problems list all of them.
"""

import base64
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import Resolver404, resolve
from django.utils import timezone
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError

from stepwise.certificates import keys, status, structure
from stepwise.certificates.models import Certificate
from stepwise.core.formatting import date
from stepwise.core.json_input import NestedTooDeeply, load_json

JWT_PATTERN = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
PARTIAL_PATTERN = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*)?$")
ENVELOPE_PREFIX = "data:application/vc+jwt,"


class Outcome(models.TextChoices):
    VALID = "valid", "This credential is valid"
    REVOKED = "revoked", "This credential has been revoked"
    EXPIRED = "expired", "This credential has expired"
    NOT_YET_VALID = "not_yet_valid", "This credential is not valid yet"
    TAMPERED = "tampered", "This credential has been changed or damaged"
    UNKNOWN_KEY = "unknown_key", "This credential was not signed by a key Stepwise knows"
    INVALID = "invalid", "This credential is not valid"


class NotACredential(Exception):
    """What was given is not a signed digital credential; the message says what it is."""


@dataclass(frozen=True)
class Summary:
    """What a verified credential says, for people to read."""

    learner: str
    achievement: str
    issuer: str
    valid_from: datetime | None
    serial: str | None
    certificate: Certificate | None


@dataclass
class Check:
    outcome: Outcome
    problems: list[str] = field(default_factory=list)
    summary: Summary | None = None
    revoked_at: datetime | None = None
    kid: str = ""

    @property
    def is_valid(self) -> bool:
        return self.outcome == Outcome.VALID


def extract_token(text: str) -> str:
    """The compact JWS in `text`, or NotACredential saying why there is none."""
    text = (text or "").strip().lstrip("\ufeff").strip()
    if not text:
        raise NotACredential("The credential is empty.")
    if text[0] in "{[":
        try:
            data = load_json(text)
        except NestedTooDeeply as error:
            raise NotACredential(
                "This is not a digital credential: it is JSON nested more deeply than any "
                "credential."
            ) from error
        except ValueError as error:
            raise NotACredential(
                "This is not a digital credential: it looks like JSON, but the JSON is not "
                "valid (it may be incomplete)."
            ) from error
        envelope = data.get("id") if isinstance(data, dict) else None
        kinds = structure.types_of(data.get("type")) if isinstance(data, dict) else []
        enveloped = "EnvelopedVerifiableCredential" in kinds and isinstance(envelope, str)
        if enveloped and envelope.startswith(ENVELOPE_PREFIX):
            return extract_token(envelope.removeprefix(ENVELOPE_PREFIX))
        if structure.is_open_badge(data):
            raise NotACredential(
                "This is an Open Badges credential without a signature, so nobody can tell "
                "whether it is genuine. Use the signed credential file (.jwt) from Stepwise."
            )
        raise NotACredential("This is JSON, but not an Open Badges credential.")
    if not JWT_PATTERN.match(text):
        if text.startswith("eyJ") and PARTIAL_PATTERN.match(text):
            # The start of a JWT (a JSON header) without all three parts: cut short.
            raise NotACredential(
                "The credential is damaged or incomplete: part of it is missing. It may have "
                "been cut short when it was copied."
            )
        raise NotACredential(
            "This is not a digital credential. A credential from Stepwise is a signed token: "
            "three long runs of letters and digits separated by full stops."
        )
    return text


def _decoded(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _json_part(part: str, what: str) -> dict:
    try:
        value = load_json(_decoded(part))
    except NestedTooDeeply as error:
        raise NotACredential(
            f"The credential is damaged: there is too much nesting in its {what}."
        ) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise NotACredential(
            f"The credential is damaged or incomplete: its {what} cannot be read. It may have "
            "been cut short when it was copied."
        ) from error
    if not isinstance(value, dict):
        raise NotACredential(f"The credential is damaged: its {what} is not a JSON object.")
    return value


def _numeric(value: datetime | None) -> int | None:
    return int(value.timestamp()) if value is not None else None


def _claim_problems(claims: dict, credential: dict) -> list[str]:
    """OB 3.0's VC-JWT rules: the registered claims must repeat the credential exactly."""
    issuer = credential.get("issuer")
    expected = {
        "iss": issuer.get("id") if isinstance(issuer, dict) else issuer,
        "jti": credential.get("id"),
        "nbf": _numeric(structure.parse_datetime(credential.get("validFrom"))),
    }
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and "id" in subject:
        expected["sub"] = subject["id"]
    if "validUntil" in credential or "exp" in claims:
        expected["exp"] = _numeric(structure.parse_datetime(credential.get("validUntil")))
    return [
        f"Its signed {name} claim does not match the credential."
        for name, value in expected.items()
        if claims.get(name) != value
    ]


def _issuer_problems(credential: dict) -> list[str]:
    issuer = credential["issuer"]
    issuer_id = issuer if isinstance(issuer, str) else issuer["id"]
    if issuer_id.startswith(f"{settings.SITE_URL}/"):
        try:
            if resolve(issuer_id.removeprefix(settings.SITE_URL)).view_name == (
                "certificates:issuer"
            ):
                return []
        except Resolver404:
            pass
    return [f"Its issuer ({issuer_id}) is not an issuer Stepwise trusts."]


def _certificate(credential: dict) -> Certificate | None:
    serial = str(credential.get("id", "")).removeprefix("urn:uuid:")
    try:
        return Certificate.objects.filter(serial=uuid.UUID(serial)).first()
    except ValueError:
        return None


def _revoked(credential: dict) -> tuple[bool, list[str]]:
    """(revoked?, problems) from the credential's bit in its status list."""
    entry = credential.get("credentialStatus")
    if entry is None:
        return False, ["It has no status, so Stepwise cannot tell whether it was revoked."]
    if entry.get("type") != status.ENTRY_TYPE or entry.get("statusPurpose") != status.PURPOSE:
        return False, ["Its status is not a revocation status list that Stepwise can read."]
    place = status.parse_status_list_url(entry.get("statusListCredential"))
    if place is None:
        return False, ["Its status list is not one Stepwise publishes, so it was not checked."]
    try:
        index = int(entry.get("statusListIndex"))
        listed = status.status_list_credential(*place)
        bits = status.decode_list(listed["credentialSubject"]["encodedList"])
        return status.bit_is_set(bits, index), []
    except (TypeError, ValueError):
        return False, ["Its place in the status list is not valid."]


def _summary(credential: dict, certificate: Certificate | None) -> Summary:
    subject = credential.get("credentialSubject", {})
    names = [
        entry.get("identityHash", "")
        for entry in subject.get("identifier", [])
        if isinstance(entry, dict) and entry.get("identityType") == "name"
    ]
    issuer = credential.get("issuer")
    serial = str(credential.get("id", ""))
    return Summary(
        learner=names[0] if names else "Not given",
        achievement=str(subject.get("achievement", {}).get("name", "")),
        issuer=str(issuer.get("name", issuer.get("id")) if isinstance(issuer, dict) else issuer),
        valid_from=structure.parse_datetime(credential.get("validFrom")),
        serial=serial.removeprefix("urn:uuid:") if serial.startswith("urn:uuid:") else None,
        certificate=certificate,
    )


def _verify_signature(token: str, header: dict) -> tuple[keys.SigningKey | None, Check | None]:
    kid = header.get("kid")
    if header.get("alg") != keys.ALGORITHM:
        return None, Check(
            Outcome.TAMPERED,
            [f"It is not signed the way Stepwise signs credentials ({keys.ALGORITHM})."],
        )
    key = keys.key_by_kid(kid) if isinstance(kid, str) else None
    if key is None:
        return None, Check(
            Outcome.UNKNOWN_KEY,
            [
                f"It was signed with a key Stepwise does not publish ({kid or 'no key named'}). "
                "It may come from another service, or its key details were altered."
            ],
            kid=str(kid or ""),
        )
    signature = _decoded(token.rsplit(".", 1)[1])
    if len(signature) != key.key.raw_value.key_size // 8:
        return key, Check(
            Outcome.TAMPERED,
            ["Its signature is incomplete: it may have been cut short when it was copied."],
            kid=kid,
        )
    try:
        jws.deserialize_compact(token, key.key, algorithms=[keys.ALGORITHM], registry=keys.REGISTRY)
    except BadSignatureError:
        return key, Check(
            Outcome.TAMPERED,
            ["Its signature does not match its contents: it was changed after it was issued."],
            kid=kid,
        )
    except JoseError:
        return key, Check(Outcome.TAMPERED, ["Its signature cannot be checked."], kid=kid)
    return key, None


def check_credential(text: str, *, now: datetime | None = None) -> Check:
    """Check a credential. Raises NotACredential, and keys.SigningKeyError if our own keys
    are wrongly configured."""
    token = extract_token(text)
    header_part, payload_part, _signature = token.split(".")
    header = _json_part(header_part, "header")
    claims = _json_part(payload_part, "contents")
    # VC 1.1 style tokens carry the credential in a `vc` claim; OB 3.0 puts it at the top.
    credential = claims["vc"] if isinstance(claims.get("vc"), dict) else claims
    if not structure.is_open_badge(credential):
        raise NotACredential("This is a signed token, but not an Open Badges credential.")

    key, failed = _verify_signature(token, header)
    if failed is not None:
        return failed
    problems = structure.problems_with(credential)
    if not problems:
        problems = _claim_problems(claims, credential) + _issuer_problems(credential)
    if problems:
        return Check(Outcome.INVALID, problems, kid=key.kid)

    certificate = _certificate(credential)
    summary = _summary(credential, certificate)
    now = now or timezone.now()
    found: list[tuple[Outcome, str]] = []
    revoked, status_problems = _revoked(credential)
    if status_problems:
        return Check(Outcome.INVALID, status_problems, summary=summary, kid=key.kid)
    revoked_at = certificate.revoked_at if certificate is not None else None
    if revoked:
        when = f" on {date(revoked_at)}" if revoked_at else ""
        found.append((Outcome.REVOKED, f"The issuer revoked it{when}."))
    valid_until = structure.parse_datetime(credential.get("validUntil"))
    if valid_until is not None and valid_until <= now:
        found.append((Outcome.EXPIRED, f"It expired on {date(valid_until)}."))
    valid_from = summary.valid_from
    if valid_from is not None and valid_from > now:
        found.append((Outcome.NOT_YET_VALID, f"It is not valid until {date(valid_from)}."))
    if not found:
        return Check(Outcome.VALID, summary=summary, kid=key.kid)
    return Check(
        found[0][0],
        [message for _outcome, message in found],
        summary=summary,
        revoked_at=revoked_at if revoked else None,
        kid=key.kid,
    )
