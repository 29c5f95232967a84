"""Is this an Open Badges 3.0 OpenBadgeCredential? The shape the OB 3.0 JSON Schema asks for,
checked in plain code so the service needs neither the schema file nor a validator at run
time. The tests hold it to the official schema: whatever that refuses, this refuses.

Each problem is one sentence a person can read.
"""

from datetime import datetime

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
IDENTITY_TYPES = {
    "name",
    "sourcedId",
    "systemId",
    "productId",
    "userName",
    "accountId",
    "emailAddress",
    "nationalIdentityNumber",
    "isbn",
    "issn",
    "lisSourcedId",
    "oneRosterSourcedId",
    "sisSourcedId",
    "ltiContextId",
    "ltiDeploymentId",
    "ltiToolId",
    "ltiPlatformId",
    "ltiUserId",
    "identifier",
}
IDENTITY_FIELDS = {"type", "hashed", "identityHash", "identityType", "salt"}


def types_of(value) -> list:
    if isinstance(value, str):
        return [value]
    return value if isinstance(value, list) else []


def is_open_badge(credential) -> bool:
    """Does it claim to be an OpenBadgeCredential at all (whatever else is wrong with it)?"""
    if not isinstance(credential, dict):
        return False
    kinds = types_of(credential.get("type"))
    return "VerifiableCredential" in kinds and (
        "OpenBadgeCredential" in kinds or "AchievementCredential" in kinds
    )


def parse_datetime(value) -> datetime | None:
    """A date-time with its time zone, as OB 3.0's DateTimeZ; None if it is not one."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _typed_array(value, name: str, where: str, problems: list[str]) -> None:
    if (
        not isinstance(value, list)
        or name not in value
        or not all(isinstance(item, str) for item in value)
    ):
        problems.append(f"{where} must have a type list that includes {name}.")


def _string(container: dict, key: str, where: str, problems: list[str], *, required=False):
    if key not in container:
        if required:
            problems.append(f"{where} has no {key}.")
        return
    if not isinstance(container[key], str):
        problems.append(f"{where}'s {key} must be text.")


def _identity(entry, number: int, problems: list[str]) -> None:
    where = f"Identifier {number}"
    if not isinstance(entry, dict):
        problems.append(f"{where} must be an object.")
        return
    if entry.get("type") != "IdentityObject":
        problems.append(f"{where} must be an IdentityObject.")
    if not isinstance(entry.get("hashed"), bool):
        problems.append(f"{where} must say whether it is hashed (true or false).")
    _string(entry, "identityHash", where, problems, required=True)
    _string(entry, "salt", where, problems)
    kind = entry.get("identityType")
    if not isinstance(kind, str) or not (kind in IDENTITY_TYPES or kind.startswith("ext:")):
        problems.append(f"{where} has an identityType that Open Badges does not define.")
    extra = sorted(set(entry) - IDENTITY_FIELDS)
    if extra:
        problems.append(f"{where} has properties an IdentityObject cannot have: {extra}.")


def _achievement(achievement, problems: list[str]) -> None:
    where = "The achievement"
    if not isinstance(achievement, dict):
        problems.append("The credential subject has no achievement.")
        return
    _string(achievement, "id", where, problems, required=True)
    _typed_array(achievement.get("type"), "Achievement", where, problems)
    for key in ("name", "description"):
        _string(achievement, key, where, problems, required=True)
    if not isinstance(achievement.get("criteria"), dict):
        problems.append("The achievement has no criteria.")
    alignments = achievement.get("alignment", [])
    if not isinstance(alignments, list):
        problems.append("The achievement's alignments must be a list.")
        return
    for number, alignment in enumerate(alignments, start=1):
        here = f"Alignment {number}"
        if not isinstance(alignment, dict):
            problems.append(f"{here} must be an object.")
            continue
        _typed_array(alignment.get("type"), "Alignment", here, problems)
        for key in ("targetName", "targetUrl"):
            _string(alignment, key, here, problems, required=True)


def _issuer(issuer, problems: list[str]) -> None:
    if isinstance(issuer, str):
        return
    if not isinstance(issuer, dict):
        problems.append("The credential has no issuer.")
        return
    _string(issuer, "id", "The issuer", problems, required=True)
    _typed_array(issuer.get("type"), "Profile", "The issuer", problems)


def _subject(subject, problems: list[str]) -> None:
    if not isinstance(subject, dict):
        problems.append("The credential has no credential subject.")
        return
    _typed_array(subject.get("type"), "AchievementSubject", "The credential subject", problems)
    _string(subject, "id", "The credential subject", problems)
    identifiers = subject.get("identifier", [])
    if not isinstance(identifiers, list):
        problems.append("The credential subject's identifiers must be a list.")
    else:
        for number, entry in enumerate(identifiers, start=1):
            _identity(entry, number, problems)
    _achievement(subject.get("achievement"), problems)


def problems_with(credential) -> list[str]:
    """Everything that keeps `credential` from being a valid OpenBadgeCredential."""
    if not isinstance(credential, dict):
        return ["The credential is not a JSON object."]
    problems: list[str] = []
    contexts = credential.get("@context")
    if (
        not isinstance(contexts, list)
        or len(contexts) < 2
        or contexts[0] != VC_CONTEXT
        or not isinstance(contexts[1], str)
        or not contexts[1].startswith(OB_CONTEXT_PREFIX)
        or not all(isinstance(context, (str, dict)) for context in contexts)
    ):
        problems.append(
            "The credential must name the Verifiable Credentials 2.0 and Open Badges 3.0 "
            "contexts first."
        )
    _string(credential, "id", "The credential", problems, required=True)
    if not is_open_badge(credential) or not isinstance(credential.get("type"), list):
        problems.append(
            "The credential's type must be a list with VerifiableCredential and "
            "OpenBadgeCredential."
        )
    for key in ("name", "description"):
        _string(credential, key, "The credential", problems)
    _issuer(credential.get("issuer"), problems)
    if parse_datetime(credential.get("validFrom")) is None:
        problems.append("The credential's validFrom must be a date and time with a time zone.")
    for key in ("validUntil", "awardedDate"):
        if key in credential and parse_datetime(credential[key]) is None:
            problems.append(f"The credential's {key} must be a date and time with a time zone.")
    _subject(credential.get("credentialSubject"), problems)
    status = credential.get("credentialStatus")
    if status is not None and (
        not isinstance(status, dict)
        or not isinstance(status.get("id"), str)
        or not isinstance(status.get("type"), str)
    ):
        problems.append("The credential's status must have an id and a type.")
    return problems
