"""Checking an uploaded passport before anything is stored: its form, its issuer (one we
trust), its signature (that issuer's key), its shape, and that it is the importing
learner's. Each failure is a PassportError whose message is shown to the person as it is."""

import base64
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError

from stepwise.certificates import keys
from stepwise.certificates.services import recipient_identity
from stepwise.core.json_input import NestedTooDeeply, load_json
from stepwise.passports.export import FORMAT
from stepwise.passports.trusted import Issuer, issuer_for

JWT_PATTERN = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
PARTIAL_PATTERN = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){0,2}$")


class PassportError(Exception):
    """The passport cannot be imported; the message says why, in the person's words."""


@dataclass(frozen=True)
class Attainment:
    framework_slug: str
    framework_title: str
    version_label: str
    proficiency_uuid: uuid.UUID
    code: str
    statement: str
    confirmed_by: str
    registration_number: str
    confirmed_at: datetime
    trust_name: str


@dataclass(frozen=True)
class Verified:
    issuer: Issuer
    payload: dict
    token: str
    attainments: list[Attainment]

    @property
    def learner_name(self) -> str:
        return self.payload["passport"]["learner"]["name"]


DAMAGED = (
    "The passport is damaged or incomplete. Download it again from Stepwise and upload the "
    "file without changing it"
)


def _part(part: str, what: str) -> dict:
    try:
        value = load_json(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except NestedTooDeeply as error:
        raise PassportError(
            f"The passport is damaged: there is too much nesting in its {what}. Download it "
            "again from Stepwise and upload the file without changing it"
        ) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise PassportError(DAMAGED) from error
    if not isinstance(value, dict):
        raise PassportError(DAMAGED)
    return value


def token_of(text: str) -> str:
    text = (text or "").strip().lstrip("\ufeff").strip()
    if not text:
        raise PassportError("The file is empty. Upload the passport downloaded from Stepwise")
    if text[0] in "{[":
        raise PassportError(
            "This is a JSON file, not a signed passport. Upload the .jwt file downloaded from "
            "Stepwise, which is signed so that it cannot be changed"
        )
    if JWT_PATTERN.match(text):
        return text
    if text.startswith("eyJ") and PARTIAL_PATTERN.match(text):
        raise PassportError(DAMAGED)
    raise PassportError(
        "This is not a Stepwise passport. Upload the .jwt file from "
        "\u201cDownload my passport\u201d on My proficiencies"
    )


def _signed_by(token: str, header: dict, claims: dict) -> Issuer:
    issuer_url = claims.get("iss")
    issuer = issuer_for(issuer_url) if isinstance(issuer_url, str) else None
    if issuer is None:
        raise PassportError(
            f"This passport was issued by {issuer_url or 'an unnamed service'}, which is not "
            "on this service's list of trusted issuers, so it cannot be imported"
        )
    kid = header.get("kid")
    key = issuer.key(kid) if isinstance(kid, str) and header.get("alg") == keys.ALGORITHM else None
    if key is None:
        raise PassportError(
            f"This passport was not signed with a key that {issuer.name} publishes, so it "
            "cannot be trusted"
        )
    try:
        jws.deserialize_compact(token, key, algorithms=[keys.ALGORITHM], registry=keys.REGISTRY)
    except BadSignatureError as error:
        raise PassportError(
            "This passport has been changed since it was issued: its signature does not match "
            "its contents"
        ) from error
    except (JoseError, ValueError) as error:
        raise PassportError(DAMAGED) from error
    return issuer


def _text(value, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValueError
    return value.strip()


def _moment(value) -> datetime:
    moment = datetime.fromisoformat(_text(value, 40).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError
    return moment


def _attainments(passport: dict) -> list[Attainment]:
    """The confirmed proficiencies, or ValueError/KeyError/TypeError if the shape is wrong."""
    found = []
    for enrolment in passport["enrolments"]:
        framework, version = enrolment["framework"], enrolment["version"]
        _text(enrolment["trust"], 200)
        for item in enrolment["proficiencies"]:
            if item["state"] != "confirmed":
                continue
            found.append(
                Attainment(
                    framework_slug=_text(framework["slug"], 100),
                    framework_title=_text(framework["title"], 200),
                    version_label=_text(version["label"], 20),
                    proficiency_uuid=uuid.UUID(_text(item["uuid"], 36)),
                    code=_text(item["code"], 20),
                    statement=_text(item["statement"], 5000),
                    confirmed_by=_text(item["confirmed_by"], 150),
                    registration_number=_text(item["registration_number"], 30),
                    confirmed_at=_moment(item["confirmed_at"]),
                    trust_name=_text(item["trust"], 200),
                )
            )
    if not isinstance(passport["certificates"], list):
        raise TypeError
    return found


def check_passport(text: str, *, email: str) -> Verified:
    """The verified passport of the person with this email address, or PassportError.
    Raises TrustedIssuerError or keys.SigningKeyError if this service is misconfigured."""
    token = token_of(text)
    header_part, payload_part, _signature = token.split(".")
    header, claims = _part(header_part, "header"), _part(payload_part, "contents")
    issuer = _signed_by(token, header, claims)
    try:
        if claims.get("format") != FORMAT:
            raise ValueError
        identity = claims["identity"]
        passport = claims["passport"]
        _text(passport["learner"]["name"], 150)
        attainments = _attainments(passport)
        salt, expected = _text(identity["salt"], 64), _text(identity["hash"], 80)
        _text(claims["jti"], 100)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise PassportError(
            "This passport is signed, but its contents are not in the form Stepwise expects, "
            "so nothing could be imported"
        ) from error
    if recipient_identity(email, salt)[1] != expected:
        raise PassportError(
            "This passport belongs to someone else: it was issued for a different email "
            "address. A learner can only import their own passport"
        )
    return Verified(issuer=issuer, payload=claims, token=token, attainments=attainments)
