"""A certificate as a 1EdTech Open Badges 3.0 `OpenBadgeCredential` (W3C VC 2.0 data model),
signed as a VC-JWT: the credential is the JWT payload, with `iss`, `jti`, `nbf` and `sub`
claims as OB 3.0 asks, signed RS256 with the key the JWKS publishes under `kid`.

What it says comes from what the certificate stored at issue (names as they were then) and
from what its kind reads (for a Step certificate, the frozen framework version), so
downloading it twice gives the same credential. Everything but the achievement and the
description is the same for every kind of certificate (kinds.py).

- issuer: the Trust, as an OB 3.0 Profile served at /issuers/<trust id>.
- credentialSubject: the learner, identified by their email address salted and hashed (an
  `IdentityObject` of type emailAddress) and by name (an `IdentityObject` of type name, not
  hashed: OB 3.0 has no `name` term for the subject, and added this identity type for it).
  Its `id` is a pseudonym for this credential alone, since VC-JWT needs a `sub`.
- achievement: what the certificate's kind certifies (for a Step certificate the framework
  version, aligned to its CASE items: framework_sign_off.py).
- credentialStatus: the certificate's bit in its Trust's Bitstring Status List.
"""

import json
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from joserfc import jws

from stepwise.certificates import keys, kinds, status
from stepwise.certificates.models import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = [VC_CONTEXT, OB_CONTEXT]
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
MEDIA_TYPE = "application/vc+jwt"
# From OB 3.0's AchievementType vocabulary: "designates requisite knowledge and skills of an
# occupation, profession, or academic program".
ACHIEVEMENT_TYPE = "Certificate"
ODS_CODE = "ext:ODSCode"
# Subject pseudonyms are derived from the serial in this namespace (UUID version 5).
SUBJECT_NAMESPACE = uuid.UUID("bba7bfa2-f15a-4502-99b3-d43e2a8f730f")


def when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_id(trust_id: int) -> str:
    return f"{settings.SITE_URL}{reverse('certificates:issuer', args=[trust_id])}"


def _profile(trust, name: str) -> dict:
    profile = {"id": issuer_id(trust.pk), "type": ["Profile"], "name": name}
    if trust.code:
        profile["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": trust.code, "identifierType": ODS_CODE}
        ]
    return profile


def issuer_profile(trust) -> dict:
    """The Trust as an OB 3.0 Profile document, as served at its issuer address."""
    return {"@context": CONTEXTS, **_profile(trust, trust.name)}


def credential_id(certificate: Certificate) -> str:
    return f"urn:uuid:{certificate.serial}"


def subject_id(certificate: Certificate) -> str:
    return f"urn:uuid:{uuid.uuid5(SUBJECT_NAMESPACE, str(certificate.serial))}"


def alignment(*, name: str, url: str, code: str, target: str, framework: str) -> dict:
    """An OB 3.0 Alignment, for kinds whose achievement is aligned to a framework's items."""
    return {
        "type": ["Alignment"],
        "targetName": name,
        "targetUrl": url,
        "targetCode": code,
        "targetType": target,
        "targetFramework": framework,
    }


def credential_of(certificate: Certificate, *, trust, achievement: dict, description: str) -> dict:
    """The unsigned credential. No queries: everything it needs is passed in."""
    return {
        "@context": CONTEXTS,
        "id": credential_id(certificate),
        "type": CREDENTIAL_TYPES,
        "name": f"Certificate: {certificate.achievement_name}",
        "description": description,
        "issuer": _profile(trust, certificate.trust_name),
        # Not awardedDate: the OB 3.0.3 context types it with an undefined "xsd:" prefix.
        "validFrom": when(certificate.signed_off_at),
        "credentialSubject": {
            "id": subject_id(certificate),
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": certificate.recipient_hash,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": certificate.recipient_salt,
                },
                {
                    "type": "IdentityObject",
                    "identityHash": certificate.learner_name,
                    "identityType": "name",
                    "hashed": False,
                },
            ],
            "achievement": achievement,
        },
        "credentialStatus": status.status_entry(certificate),
    }


def credential_for(certificate: Certificate) -> dict:
    """The certificate, its Trust and what its kind reads in one query; the kind's achievement
    may read more (a Step certificate: two queries for the version's content)."""
    kind = kinds.of(certificate)
    certificate = Certificate.objects.select_related("issuer", *kind.related).get(pk=certificate.pk)
    return credential_of(
        certificate,
        trust=certificate.issuer,
        achievement=kind.achievement(certificate),
        description=kind.credential_description(certificate),
    )


def _numeric_date(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def jwt_claims(credential: dict) -> dict:
    """The JWT payload: the credential itself, plus the claims OB 3.0's VC-JWT rules ask for."""
    issuer = credential["issuer"]
    claims = {
        **credential,
        "iss": issuer if isinstance(issuer, str) else issuer["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": _numeric_date(credential["validFrom"]),
    }
    if "validUntil" in credential:
        claims["exp"] = _numeric_date(credential["validUntil"])
    return claims


def sign(claims: dict, key: keys.SigningKey | None = None) -> str:
    """A compact JWS of these claims, by the current key unless told otherwise."""
    key = key or keys.current_key()
    header = {"alg": keys.ALGORITHM, "kid": key.kid, "typ": "JWT"}
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return jws.serialize_compact(
        header, payload, key.key, algorithms=[keys.ALGORITHM], registry=keys.REGISTRY
    )


def signed_credential(certificate: Certificate) -> str:
    """The certificate's credential as a VC-JWT. Raises keys.SigningKeyError."""
    return sign(jwt_claims(credential_for(certificate)))


def signed_status_list(trust_id: int, list_number: int) -> str:
    """The Trust's status list, signed like the credentials that point at it."""
    listed = status.status_list_credential(trust_id, list_number)
    claims = {**listed, "iss": listed["issuer"], "nbf": _numeric_date(listed["validFrom"])}
    return sign(claims)
