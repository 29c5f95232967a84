"""The Open Badges 3.0 credential: what it says, that it is valid against the official schema,
that JSON-LD understands every term, and that another JWT library verifies its signature
against the keys we publish."""

import hashlib
import json

import jwt
import pytest
from django.urls import reverse
from pyld import jsonld

from stepwise.certificates import credentials, status
from stepwise.certificates.services import certificate_revoke
from stepwise.certificates.tests.conftest import sign_off
from stepwise.certificates.tests.standards import offline_loader, schema_errors
from stepwise.frameworks.exchange.case import package_url
from stepwise.frameworks.models import TrustFramework
from stepwise.progress.services import enrolment_create
from stepwise.progress.tests.conftest import build_version

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def compact_terms(node) -> int:
    """Properties in a compact JSON-LD document (id and type are keywords, not terms)."""
    if isinstance(node, list):
        return sum(compact_terms(item) for item in node)
    if not isinstance(node, dict):
        return 0
    return sum(
        1 + compact_terms(value)
        for key, value in node.items()
        if key not in ("@context", "id", "type") and not key.startswith("@")
    )


def expanded_properties(node) -> int:
    if isinstance(node, list):
        return sum(expanded_properties(item) for item in node)
    if not isinstance(node, dict) or "@value" in node:
        return 0
    return sum(
        (0 if key.startswith("@") else 1) + expanded_properties(value)
        for key, value in node.items()
    )


def iris(node) -> set[str]:
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= iris(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key == "@type":
                found |= set(value if isinstance(value, list) else [value])
            found |= iris(value)
    return found


@pytest.fixture
def credential(signed_off) -> dict:
    return credentials.credential_for(signed_off)


@pytest.fixture
def token(signed_off) -> str:
    return credentials.signed_credential(signed_off)


class TestWhatItSays:
    def test_it_is_an_open_badge_credential_of_the_certificate(self, signed_off, credential):
        assert credential["@context"] == [VC_CONTEXT, OB_CONTEXT]
        assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert credential["id"] == f"urn:uuid:{signed_off.serial}"
        assert credential["name"] == "Certificate: Sample step-1, version 1.0"
        assert credential["validFrom"] == credentials.when(signed_off.signed_off_at)
        assert credential["validFrom"].endswith("Z")
        assert "validUntil" not in credential

    def test_the_issuer_is_the_trust_as_a_profile_we_serve(self, client, signed_off, trust):
        issuer = credentials.credential_for(signed_off)["issuer"]
        assert issuer["id"] == f"http://testserver/issuers/{trust.pk}"
        assert issuer["type"] == ["Profile"]
        assert issuer["name"] == trust.name
        assert issuer["otherIdentifier"][0]["identifier"] == trust.code
        served = client.get(f"/issuers/{trust.pk}").json()
        assert served["id"] == issuer["id"]

    def test_the_learner_is_identified_by_hashed_email_and_by_name(
        self, signed_off, learner, credential
    ):
        email, name = credential["credentialSubject"]["identifier"]
        salt = email["salt"]
        digest = hashlib.sha256((learner.email + salt).encode()).hexdigest()
        assert email == {
            "type": "IdentityObject",
            "identityHash": f"sha256${digest}",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt,
        }
        assert name == {
            "type": "IdentityObject",
            "identityHash": learner.full_name,
            "identityType": "name",
            "hashed": False,
        }
        assert learner.email not in json.dumps(credential)

    def test_each_certificate_has_its_own_salt_and_subject_pseudonym(self, signed_off):
        subject = credentials.credential_for(signed_off)["credentialSubject"]
        assert subject["id"].startswith("urn:uuid:")
        assert str(signed_off.serial) not in subject["id"]
        assert len(signed_off.recipient_salt) == 32

    def test_no_registration_numbers_travel_in_it(self, signed_off, credential):
        text = json.dumps(credential)
        assert signed_off.signer_registration not in text
        assert "09B1234D" not in text

    def test_the_achievement_is_the_framework_version_aligned_to_case(
        self, signed_off, version, credential
    ):
        achievement = credential["credentialSubject"]["achievement"]
        assert achievement["id"] == package_url(version)
        assert achievement["achievementType"] == "Certificate"
        assert "at least 1 optional proficiency" in achievement["criteria"]["narrative"]
        document, *items = achievement["alignment"]
        assert document["targetUrl"] == package_url(version)
        assert document["targetCode"] == str(version.document_uuid)
        sections = list(version.sections.order_by("position"))
        proficiencies = list(version.proficiencies.order_by("section__position", "position"))
        assert len(items) == len(sections) + len(proficiencies)
        first_section, first_proficiency = items[0], items[1]
        assert first_section["targetUrl"] == f"{package_url(version)}#{sections[0].uuid}"
        assert first_proficiency == {
            "type": ["Alignment"],
            "targetName": proficiencies[0].statement,
            "targetUrl": f"{package_url(version)}#{proficiencies[0].uuid}",
            "targetCode": proficiencies[0].code,
            "targetType": "CFItem",
            "targetFramework": "Sample step-1, version 1.0",
        }

    def test_the_case_document_it_points_at_is_served(self, client, version, credential):
        achievement = credential["credentialSubject"]["achievement"]
        response = client.get(achievement["id"].removeprefix("http://testserver"))
        assert response.status_code == 200
        package = response.json()
        item_ids = {item["identifier"] for item in package["CFItems"]}
        for alignment in achievement["alignment"][1:]:
            assert alignment["targetUrl"].split("#")[1] in item_ids

    def test_its_status_is_its_bit_in_the_trusts_status_list(self, signed_off, trust, credential):
        entry = credential["credentialStatus"]
        url = f"http://testserver/issuers/{trust.pk}/status/{signed_off.status_list}"
        assert entry == {
            "id": f"{url}#{signed_off.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(signed_off.status_index),
            "statusListCredential": url,
        }

    def test_it_stays_the_same_when_the_learner_changes_email_or_name(
        self, signed_off, learner, token
    ):
        learner.email = "new.address@example.org"
        learner.full_name = "A New Name"
        learner.save()
        assert credentials.signed_credential(signed_off) == token

    def test_building_it_takes_the_same_queries_whatever_the_framework_size(
        self, django_assert_num_queries, signed_off, learner, educator, assessor, trust
    ):
        big = build_version(slug="step-big", sections=8, per_section=20)
        TrustFramework.objects.create(trust=trust, framework=big.framework)
        enrolment = enrolment_create(
            learner=learner,
            version=big,
            trust=trust,
            educator=educator,
            assessors=[assessor],
            by=educator,
        )
        large = sign_off(enrolment, learner, assessor, educator, make_pdf=False)
        with django_assert_num_queries(3):
            small_credential = credentials.credential_for(signed_off)
        with django_assert_num_queries(3):
            large_credential = credentials.credential_for(large)
        aligned = large_credential["credentialSubject"]["achievement"]["alignment"]
        assert len(aligned) == 1 + 8 + 160
        assert len(small_credential["credentialSubject"]["achievement"]["alignment"]) == 16
        # 160 proficiencies still sign within joserfc's (raised) limits and verify.
        assert credentials.signed_credential(large).count(".") == 2


class TestStandards:
    def test_it_is_valid_against_the_ob3_schema(self, credential):
        assert schema_errors(credential, "ob3-achievementcredential.schema.json") == []

    def test_the_jwt_payload_is_valid_against_the_ob3_schema_too(self, token):
        payload = jwt.decode(token, options={"verify_signature": False})
        assert schema_errors(payload, "ob3-achievementcredential.schema.json") == []

    def test_the_issuer_profile_is_valid_against_the_profile_schema(self, client, trust):
        profile = client.get(f"/issuers/{trust.pk}").json()
        assert schema_errors(profile, "ob3-profile.schema.json") == []

    def test_json_ld_expansion_drops_no_term(self, credential):
        expanded = jsonld.expand(credential, {"documentLoader": offline_loader})
        assert compact_terms(credential) == expanded_properties(expanded)
        assert compact_terms(credential) > 40

    def test_every_term_and_type_maps_to_an_absolute_iri(self, credential):
        # Undefined terms would fall back to this vocabulary instead of vanishing.
        trap = {**credential, "@context": [*credential["@context"], {"@vocab": "urn:undefined:"}]}
        expanded = jsonld.expand(trap, {"documentLoader": offline_loader})
        found = iris(expanded)
        assert not [iri for iri in found if iri.startswith("urn:undefined:")]
        names = {iri for iri in found if not iri.startswith("@")}
        assert all(iri.startswith(("https://", "http://")) for iri in names), names
        assert "https://schema.org/name" in found
        assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityHash" in found

    def test_the_offline_loader_refuses_any_other_address(self, credential):
        elsewhere = {**credential, "@context": [VC_CONTEXT, "https://example.org/context.json"]}
        with pytest.raises(jsonld.JsonLdError):
            jsonld.expand(elsewhere, {"documentLoader": offline_loader})


class TestSignature:
    def test_it_is_a_vc_jwt_with_the_claims_ob3_asks_for(self, token, credential):
        header = jwt.get_unverified_header(token)
        assert header == {
            "alg": "RS256",
            "kid": "http://testserver/.well-known/jwks.json#test-2026",
            "typ": "JWT",
        }
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["iss"] == credential["issuer"]["id"]
        assert claims["jti"] == credential["id"]
        assert claims["sub"] == credential["credentialSubject"]["id"]
        assert claims["nbf"] == int(
            credentials.datetime.fromisoformat(credential["validFrom"]).timestamp()
        )
        assert "exp" not in claims
        assert {k: v for k, v in claims.items() if k not in ("iss", "jti", "sub", "nbf")} == (
            credential
        )

    def test_pyjwt_verifies_it_against_the_published_jwks(self, client, token, credential):
        published = client.get(reverse("certificates:jwks")).json()
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(k for k in jwt.PyJWKSet.from_dict(published).keys if k.key_id == kid)
        claims = jwt.decode(
            token,
            key=key.key,
            algorithms=["RS256"],
            issuer=credential["issuer"]["id"],
            options={"require": ["iss", "jti", "nbf", "sub"]},
        )
        assert claims["credentialSubject"] == credential["credentialSubject"]

    def test_pyjwt_refuses_it_once_changed(self, client, token):
        published = client.get(reverse("certificates:jwks")).json()
        header, payload, signature = token.split(".")
        claims = jwt.decode(token, options={"verify_signature": False})
        claims["name"] = "Certificate: something else"
        forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
        key = jwt.PyJWKSet.from_dict(published).keys[0]
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(f"{header}.{forged}.{signature}", key=key.key, algorithms=["RS256"])


class TestStatusList:
    def test_revoking_flips_the_bit_in_the_served_status_list(
        self, client, signed_off, trust, trust_admin
    ):
        url = reverse("certificates:status_list", args=[trust.pk, signed_off.status_list])
        published = client.get(reverse("certificates:jwks")).json()

        def bit() -> bool:
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Type"] == "application/vc+jwt"
            key = jwt.PyJWKSet.from_dict(published).keys[0]
            listed = jwt.decode(response.content, key=key.key, algorithms=["RS256"])
            assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
            assert listed["issuer"] == f"http://testserver/issuers/{trust.pk}"
            subject = listed["credentialSubject"]
            assert subject["statusPurpose"] == "revocation"
            return status.bit_is_set(
                status.decode_list(subject["encodedList"]), signed_off.status_index
            )

        assert bit() is False
        certificate_revoke(certificate=signed_off, by=trust_admin, reason="Issued in error")
        assert bit() is True

    def test_the_status_list_credential_expands_without_dropping_terms(self, signed_off):
        listed = status.status_list_credential(signed_off.enrolment.trust_id, 1)
        expanded = jsonld.expand(listed, {"documentLoader": offline_loader})
        assert compact_terms(listed) == expanded_properties(expanded)
