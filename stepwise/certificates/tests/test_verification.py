"""Checking credentials: every way one can be wrong gets its own clear answer."""

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from joserfc.jwk import RSAKey

from stepwise.certificates import credentials, keys
from stepwise.certificates.services import certificate_revoke
from stepwise.certificates.tests.conftest import rsa_pem
from stepwise.certificates.verification import NotACredential, Outcome, check_credential
from stepwise.core.formatting import date


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def parts(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    pad = lambda part: part + "=" * (-len(part) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
        signature,
    )


def key_named(name: str, pem_name: str) -> keys.SigningKey:
    return keys.SigningKey(name=name, key=RSAKey.import_key(rsa_pem(pem_name)))


@pytest.fixture
def credential(signed_off) -> dict:
    return credentials.credential_for(signed_off)


@pytest.fixture
def token(signed_off) -> str:
    return credentials.signed_credential(signed_off)


class TestGood:
    def test_a_credential_we_issued_is_valid(self, token, signed_off, learner):
        check = check_credential(token)
        assert check.outcome == Outcome.VALID
        assert check.is_valid
        assert check.problems == []
        assert check.summary.learner == learner.full_name
        assert check.summary.achievement == "Sample step-1, version 1.0"
        assert check.summary.issuer == signed_off.trust_name
        assert check.summary.serial == str(signed_off.serial)
        assert check.summary.certificate == signed_off

    def test_surrounding_space_and_a_byte_order_mark_are_ignored(self, token):
        assert check_credential(f"\ufeff  {token}\n\n").outcome == Outcome.VALID

    def test_a_vc2_enveloped_credential_is_opened(self, token):
        envelope = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "EnvelopedVerifiableCredential",
            "id": f"data:application/vc+jwt,{token}",
        }
        assert check_credential(json.dumps(envelope)).outcome == Outcome.VALID

    def test_a_vc11_style_token_with_a_vc_claim_is_read(self, credential):
        claims = credentials.jwt_claims(credential)
        wrapped = {key: claims[key] for key in ("iss", "jti", "sub", "nbf")}
        wrapped["vc"] = credential
        assert check_credential(credentials.sign(wrapped)).outcome == Outcome.VALID


class TestRevokedAndDates:
    def test_a_revoked_credential_says_when(self, token, signed_off, trust_admin):
        certificate_revoke(certificate=signed_off, by=trust_admin, reason="Issued in error")
        signed_off.refresh_from_db()
        check = check_credential(token)
        assert check.outcome == Outcome.REVOKED
        assert check.problems == [f"The issuer revoked it on {date(signed_off.revoked_at)}."]
        assert check.revoked_at == signed_off.revoked_at

    def test_an_expired_credential_says_when(self, credential):
        past = timezone.now() - timedelta(days=2)
        expired = {**credential, "validUntil": credentials.when(past)}
        check = check_credential(credentials.sign(credentials.jwt_claims(expired)))
        assert check.outcome == Outcome.EXPIRED
        assert check.problems == [f"It expired on {date(past)}."]

    def test_revoked_and_expired_are_both_said_revoked_first(
        self, credential, signed_off, trust_admin
    ):
        expired = {**credential, "validUntil": credentials.when(timezone.now() - timedelta(1))}
        certificate_revoke(certificate=signed_off, by=trust_admin, reason="Issued in error")
        check = check_credential(credentials.sign(credentials.jwt_claims(expired)))
        assert check.outcome == Outcome.REVOKED
        assert len(check.problems) == 2

    def test_a_credential_not_valid_yet_says_from_when(self, credential):
        future = timezone.now() + timedelta(days=30)
        early = {**credential, "validFrom": credentials.when(future)}
        check = check_credential(credentials.sign(credentials.jwt_claims(early)))
        assert check.outcome == Outcome.NOT_YET_VALID
        assert check.problems == [f"It is not valid until {date(future)}."]


class TestNotGenuine:
    def test_a_changed_credential_is_tampered(self, token):
        header, payload, signature = token.split(".")
        _header, claims, _signature = parts(token)
        claims["credentialSubject"]["identifier"][1]["identityHash"] = "Someone Else"
        forged = b64(json.dumps(claims).encode())
        check = check_credential(f"{header}.{forged}.{signature}")
        assert check.outcome == Outcome.TAMPERED
        assert check.problems == [
            "Its signature does not match its contents: it was changed after it was issued."
        ]
        assert check.summary is None  # nothing unverified is repeated back

    def test_a_signature_cut_short_is_incomplete(self, token):
        check = check_credential(token[:-20])
        assert check.outcome == Outcome.TAMPERED
        assert "cut short" in check.problems[0]

    def test_a_token_cut_in_its_contents_cannot_be_read(self, token):
        header, payload, _signature = token.split(".")
        with pytest.raises(NotACredential, match="damaged or incomplete"):
            check_credential(f"{header}.{payload[: len(payload) // 2]}")

    def test_signed_with_another_key_under_our_name_is_tampered(self, credential):
        impostor = key_named("test-2026", "impostor")
        forged = credentials.sign(credentials.jwt_claims(credential), impostor)
        assert check_credential(forged).outcome == Outcome.TAMPERED

    def test_a_key_we_do_not_publish_is_unknown(self, credential):
        stranger = key_named("stranger", "stranger")
        check = check_credential(credentials.sign(credentials.jwt_claims(credential), stranger))
        assert check.outcome == Outcome.UNKNOWN_KEY
        assert "http://testserver/.well-known/jwks.json#stranger" in check.problems[0]

    def test_a_token_without_a_kid_is_unknown(self, token):
        _header, payload, signature = token.split(".")
        header = b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
        assert check_credential(f"{header}.{payload}.{signature}").outcome == Outcome.UNKNOWN_KEY

    @pytest.mark.parametrize("alg", ["none", "HS256", "RS512"])
    def test_other_algorithms_are_refused(self, token, alg):
        original, _claims, _signature = parts(token)
        _h, payload, signature = token.split(".")
        header = b64(json.dumps({**original, "alg": alg}).encode())
        check = check_credential(f"{header}.{payload}.{'' if alg == 'none' else signature}")
        assert check.outcome == Outcome.TAMPERED
        assert "RS256" in check.problems[0]


class TestNotValid:
    def test_signed_but_not_a_valid_open_badge(self, credential):
        broken = {**credential}
        del broken["issuer"]
        claims = credentials.jwt_claims({**credential})
        del claims["issuer"]
        check = check_credential(credentials.sign(claims))
        assert check.outcome == Outcome.INVALID
        assert "The credential has no issuer." in check.problems

    def test_claims_that_do_not_match_the_credential(self, credential):
        claims = credentials.jwt_claims(credential)
        claims["sub"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
        claims["nbf"] -= 3600
        check = check_credential(credentials.sign(claims))
        assert check.outcome == Outcome.INVALID
        assert check.problems == [
            "Its signed nbf claim does not match the credential.",
            "Its signed sub claim does not match the credential.",
        ]

    def test_an_issuer_that_is_not_ours(self, credential):
        foreign = {**credential, "issuer": {**credential["issuer"], "id": "https://x.example/i"}}
        check = check_credential(credentials.sign(credentials.jwt_claims(foreign)))
        assert check.outcome == Outcome.INVALID
        assert check.problems == [
            "Its issuer (https://x.example/i) is not an issuer Stepwise trusts."
        ]

    def test_a_status_list_that_is_not_ours(self, credential):
        elsewhere = {
            **credential,
            "credentialStatus": {
                **credential["credentialStatus"],
                "statusListCredential": "https://x.example/status/1",
            },
        }
        check = check_credential(credentials.sign(credentials.jwt_claims(elsewhere)))
        assert check.outcome == Outcome.INVALID
        assert "not one Stepwise publishes" in check.problems[0]

    def test_no_status_at_all(self, credential):
        bare = {key: value for key, value in credential.items() if key != "credentialStatus"}
        check = check_credential(credentials.sign(credentials.jwt_claims(bare)))
        assert check.outcome == Outcome.INVALID
        assert "cannot tell whether it was revoked" in check.problems[0]


class TestNotACredential:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "The credential is empty."),
            ("   \n ", "The credential is empty."),
            ("hello there", "This is not a digital credential."),
            ("a.b", "This is not a digital credential."),
            ("a.b.c.d", "This is not a digital credential."),
            ("%PDF-1.7 binary", "This is not a digital credential."),
            ('{"@context": ["x"], "type": ', "the JSON is not valid"),
            ("[1, 2, 3]", "This is JSON, but not an Open Badges credential."),
            ('{"name": "My badge"}', "This is JSON, but not an Open Badges credential."),
            ("eyJhbGciOiJSUzI1NiJ9.!!!.abc", "This is not a digital credential."),
            ("e30.bm90IGpzb24.c2ln", "damaged or incomplete: its contents cannot be read"),
            ("bm90IGpzb24.e30.c2ln", "its header cannot be read"),
        ],
    )
    def test_it_says_what_is_wrong(self, text, message):
        with pytest.raises(NotACredential) as error:
            check_credential(text)
        assert message in str(error.value)

    def test_an_unsigned_open_badge_is_not_checkable(self, credential):
        with pytest.raises(NotACredential, match="without a signature"):
            check_credential(json.dumps(credential))

    def test_a_signed_token_that_is_not_a_badge(self):
        token = credentials.sign({"iss": "http://testserver/", "hello": "world"})
        with pytest.raises(NotACredential, match="signed token, but not an Open Badges"):
            check_credential(token)
