"""Our run-time shape check against the official OB 3.0 JSON Schema: every credential the
schema refuses, we refuse too (and say why in words)."""

import copy

import pytest

from stepwise.certificates import credentials, structure
from stepwise.certificates.tests.standards import schema_errors

SCHEMA = "ob3-achievementcredential.schema.json"


def _drop(path):
    def change(credential):
        *parents, last = path
        node = credential
        for key in parents:
            node = node[key]
        del node[last]

    return change


def _set(path, value):
    def change(credential):
        *parents, last = path
        node = credential
        for key in parents:
            node = node[key]
        node[last] = value

    return change


SUBJECT = ("credentialSubject",)
ACHIEVEMENT = (*SUBJECT, "achievement")
BROKEN = {
    "no context": _drop(("@context",)),
    "contexts swapped": _set(("@context",), [credentials.OB_CONTEXT, credentials.VC_CONTEXT]),
    "only one context": _set(("@context",), [credentials.VC_CONTEXT]),
    "no id": _drop(("id",)),
    "type a string": _set(("type",), "OpenBadgeCredential"),
    "type without OpenBadgeCredential": _set(("type",), ["VerifiableCredential"]),
    "no issuer": _drop(("issuer",)),
    "issuer without id": _drop(("issuer", "id")),
    "issuer not a Profile": _set(("issuer", "type"), ["Organisation"]),
    "no validFrom": _drop(("validFrom",)),
    "name a number": _set(("name",), 42),
    "no subject": _drop(SUBJECT),
    "subject type a string": _set((*SUBJECT, "type"), "AchievementSubject"),
    "identity without hashed": _drop((*SUBJECT, "identifier", 0, "hashed")),
    "identity with an extra property": _set((*SUBJECT, "identifier", 0, "email"), "a@b.c"),
    "identity of an unknown kind": _set((*SUBJECT, "identifier", 1, "identityType"), "nick"),
    "no achievement": _drop(ACHIEVEMENT),
    "achievement without criteria": _drop((*ACHIEVEMENT, "criteria")),
    "achievement without name": _drop((*ACHIEVEMENT, "name")),
    "achievement without description": _drop((*ACHIEVEMENT, "description")),
    "alignment without targetUrl": _drop((*ACHIEVEMENT, "alignment", 1, "targetUrl")),
    "alignment type a string": _set((*ACHIEVEMENT, "alignment", 0, "type"), "Alignment"),
    "status without type": _drop(("credentialStatus", "type")),
}


@pytest.fixture
def credential(signed_off) -> dict:
    return credentials.credential_for(signed_off)


def test_a_good_credential_passes_both(credential):
    assert structure.problems_with(credential) == []
    assert schema_errors(credential, SCHEMA) == []


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_what_the_schema_refuses_we_refuse(credential, broken):
    changed = copy.deepcopy(credential)
    BROKEN[broken](changed)
    assert schema_errors(changed, SCHEMA), f"the schema accepts: {broken}"
    problems = structure.problems_with(changed)
    assert problems, f"we accept: {broken}"
    assert all(problem.endswith(".") and problem[0].isupper() for problem in problems)


def test_a_bad_date_is_refused(credential):
    changed = {**credential, "validFrom": "yesterday"}
    assert structure.problems_with(changed) == [
        "The credential's validFrom must be a date and time with a time zone."
    ]


def test_a_date_without_a_time_zone_is_refused(credential):
    changed = {**credential, "validUntil": "2030-01-01T00:00:00"}
    assert "validUntil" in structure.problems_with(changed)[0]


def test_anything_but_an_object_is_refused():
    assert structure.problems_with(["a list"]) == ["The credential is not a JSON object."]
