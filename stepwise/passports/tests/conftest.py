"""A learner at the persona Trust with a signed-off enrolment; a second installation's key;
the Trust they move to, with a new enrolment on the same framework content."""

import json

import pytest
from joserfc.jwk import RSAKey

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.certificates import credentials
from stepwise.certificates.tests.conftest import (
    fresh_throttle,
    key_config,
    rsa_pem,
    sign_off,
    signing_keys,
)
from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.passports.export import passport_payload
from stepwise.progress.services import enrolment_create
from stepwise.progress.tests.conftest import build_version, enrolment, offered, version

__all__ = [
    "build_version",
    "enrolment",
    "fresh_throttle",
    "key_config",
    "offered",
    "signing_keys",
    "version",
]

OTHER_ISSUER = "https://stepwise.other-region.example"
OTHER_KID = f"{OTHER_ISSUER}/.well-known/jwks.json#other-2026"


def other_key() -> RSAKey:
    return RSAKey.import_key(rsa_pem("other-installation"))


def other_jwks() -> dict:
    public = other_key().as_dict(private=False)
    return {"keys": [{"kty": "RSA", "n": public["n"], "e": public["e"], "kid": OTHER_KID}]}


def trusted_other() -> str:
    return json.dumps(
        [{"issuer": OTHER_ISSUER, "name": "Other installation", "jwks": other_jwks()}]
    )


def sign_as_other(payload: dict) -> str:
    """The payload signed by the other installation, as its own export would sign it."""
    from joserfc import jws

    from stepwise.certificates import keys

    claims = {**payload, "iss": OTHER_ISSUER}
    header = {"alg": "RS256", "kid": OTHER_KID, "typ": "JWT"}
    body = json.dumps(claims, separators=(",", ":")).encode()
    return jws.serialize_compact(
        header, body, other_key(), algorithms=["RS256"], registry=keys.REGISTRY
    )


@pytest.fixture
def signed_off(enrolment, learner, assessor, educator):
    return sign_off(enrolment, learner, assessor, educator, make_pdf=False)


@pytest.fixture
def new_enrolment(signed_off, learner, other_trust, offered):
    """The learner, now also at the other Trust, enrolled there on the same framework."""
    MembershipFactory(person=learner, trust=other_trust, is_learner=True)
    educator = PersonFactory()
    MembershipFactory(person=educator, trust=other_trust, is_educator=True)
    TrustFramework.objects.create(trust=other_trust, framework=offered.framework)
    return enrolment_create(
        learner=learner,
        version=offered,
        trust=other_trust,
        educator=educator,
        assessors=[],
        by=educator,
    )


@pytest.fixture
def payload(signed_off, learner):
    return passport_payload(learner)


@pytest.fixture
def own_token(payload):
    return credentials.sign(payload)
