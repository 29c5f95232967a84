"""The public page where anyone checks a digital credential, by upload or by pasting."""

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from markupsafe import escape  # what Jinja2 uses, so apostrophes match

from stepwise.certificates import credentials
from stepwise.certificates.services import certificate_revoke
from stepwise.core.formatting import date

CHECK = "/verify-credential/"


def upload(content: bytes, name: str = "credential.jwt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def errors(response) -> str:
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<title>Error: " in html
    return html


@pytest.fixture
def token(signed_off) -> str:
    return credentials.signed_credential(signed_off)


def test_the_address_and_the_empty_form(client, db):
    assert reverse("certificates:check") == CHECK
    response = client.get(CHECK)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check a digital credential" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Upload a credential file" in html
    assert "Or paste the credential" in html


def test_a_pasted_valid_credential_is_valid(client, token, signed_off):
    response = client.post(CHECK, {"credential_text": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This credential is valid" in html
    assert escape(signed_off.learner_name) in html
    assert str(signed_off.serial) in html
    assert reverse("certificates:verify", args=[signed_off.serial]) in html
    assert token not in html  # a fresh form under the result


def test_an_uploaded_valid_credential_is_valid(client, token):
    response = client.post(CHECK, {"credential_file": upload(token.encode())})
    assert "This credential is valid" in response.content.decode()


def test_a_revoked_credential_says_revoked_with_the_date(client, token, signed_off, trust_admin):
    certificate_revoke(certificate=signed_off, by=trust_admin, reason="Issued in error")
    signed_off.refresh_from_db()
    html = client.post(CHECK, {"credential_text": token}).content.decode()
    assert "This credential has been revoked" in html
    assert f"The issuer revoked it on {date(signed_off.revoked_at)}." in html
    assert "Issued in error" not in html


def test_a_tampered_credential_says_so_and_repeats_nothing_it_claims(client, token):
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Certificate: Step 3, version 1.0"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    tampered = f"{header}.{forged}.{signature}"
    html = client.post(CHECK, {"credential_text": tampered}).content.decode()
    assert "This credential has been changed or damaged" in html
    assert "What the credential says" not in html


def test_an_unknown_key_says_so(client, signed_off):
    from joserfc.jwk import RSAKey

    from stepwise.certificates import keys
    from stepwise.certificates.tests.conftest import rsa_pem

    stranger = keys.SigningKey(name="other", key=RSAKey.import_key(rsa_pem("stranger")))
    foreign = credentials.sign(
        credentials.jwt_claims(credentials.credential_for(signed_off)), stranger
    )
    html = client.post(CHECK, {"credential_text": foreign}).content.decode()
    assert "This credential was not signed by a key Stepwise knows" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Upload a credential file or paste a credential"),
        ({"credential_text": "   "}, "Upload a credential file or paste a credential"),
        ({"credential_text": "hello"}, "This is not a digital credential"),
        ({"credential_text": '{"broken": '}, "the JSON is not valid"),
        ({"credential_text": '{"name": "x"}'}, "This is JSON, but not an Open Badges credential"),
        ({"credential_text": "eyJhbGciOiJSUzI1NiJ9.eyJpc3Mi"}, "damaged or incomplete"),
    ],
)
def test_bad_input_gets_a_clear_error(client, db, data, message):
    response = client.post(CHECK, data)
    assert response.status_code == 200
    assert message in errors(response)


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


DEEP = "[" * 50_000
GOOD_HEADER = _b64('{"alg": "RS256", "kid": "x"}')
DEEP_BUT_PARSABLE = '{"vc": ' * 40 + "{}" + "}" * 40


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DEEP, "This is not a digital credential: it is JSON nested more deeply than any"),
        ('{"id": ' * 50_000, "This is not a digital credential: it is JSON nested more deeply"),
        (f"{_b64(DEEP)}.{_b64('{}')}.c2ln", "there is too much nesting in its header"),
        (f"{GOOD_HEADER}.{_b64(DEEP)}.c2ln", "there is too much nesting in its contents"),
        (f"{GOOD_HEADER}.{_b64(DEEP_BUT_PARSABLE)}.c2ln", "too much nesting"),
    ],
    ids=["json", "json-objects", "jwt-header", "jwt-contents", "jwt-deep-but-parsable"],
)
def test_deeply_nested_json_gets_a_clear_error_not_a_crash(client, db, text, message):
    # Each was a RecursionError (a 500) on this public page.
    for data in ({"credential_text": text}, {"credential_file": upload(text.encode())}):
        response = client.post(CHECK, data)
        assert response.status_code == 200
        assert message in errors(response)


def test_an_unsigned_open_badge_json_file(client, signed_off):
    body = json.dumps(credentials.credential_for(signed_off)).encode()
    html = errors(client.post(CHECK, {"credential_file": upload(body, "badge.json")}))
    assert "without a signature" in html
    assert 'href="#id_credential_file"' in html


def test_both_a_file_and_text_is_one_too_many(client, token):
    response = client.post(
        CHECK, {"credential_file": upload(token.encode()), "credential_text": token}
    )
    assert "Upload a file or paste a credential, not both at once" in errors(response)


def test_a_picture_or_pdf_is_not_a_credential(client, db):
    response = client.post(
        CHECK, {"credential_file": upload(b"\x89PNG\r\n\x1a\n\xff\xfe", "a.png")}
    )
    assert "not a picture, PDF or other document" in errors(response)


def test_a_file_just_over_1_mb_is_refused(client, db):
    response = client.post(CHECK, {"credential_file": upload(b"e" * (1024 * 1024 + 1))})
    assert "must be 1.0\xa0MB or smaller" in errors(response)


def test_a_20_mb_upload_gets_a_clear_message_not_a_crash(client, db):
    response = client.post(CHECK, {"credential_file": upload(b"e" * (20 * 1024 * 1024))})
    assert response.status_code == 413
    assert "must be 1.0\xa0MB or smaller" in errors(response)


def test_20_mb_of_pasted_text_gets_a_clear_message_not_a_crash(client, db, settings):
    # More than DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses to read it as form data.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 20 * 1024 * 1024
    response = client.post(CHECK, {"credential_text": "e" * (20 * 1024 * 1024)})
    assert response.status_code == 413
    assert "must be 1.0\xa0MB or smaller" in errors(response)


def test_pasted_text_over_1_mb_is_refused(client, db):
    response = client.post(CHECK, {"credential_text": "e" * (1024 * 1024 + 10)})
    assert response.status_code == 200
    assert "pasted credential must be 1.0\xa0MB or smaller" in errors(response)


def test_the_form_is_protected_against_cross_site_posting(signed_off, token):
    client = Client(enforce_csrf_checks=True)
    response = client.post(CHECK, {"credential_text": token})
    assert response.status_code == 403
    assert "Your session has expired" in response.content.decode()


def test_it_works_with_the_csrf_token(signed_off, token):
    client = Client(enforce_csrf_checks=True)
    client.get(CHECK)
    csrf = client.cookies["csrftoken"].value
    response = client.post(CHECK, {"credential_text": token, "csrfmiddlewaretoken": csrf})
    assert "This credential is valid" in response.content.decode()


def test_with_csrf_checks_a_20_mb_upload_is_stopped_at_the_limit_and_explained(db):
    # The size limit is in place before anything reads the body for the token: were the page
    # CSRF-checked up front, adding the limit after the read would be a server error.
    client = Client(enforce_csrf_checks=True)
    client.get(CHECK)
    csrf = client.cookies["csrftoken"].value
    big = upload(b"e" * (20 * 1024 * 1024))
    response = client.post(CHECK, {"csrfmiddlewaretoken": csrf, "credential_file": big})
    assert response.status_code == 413
    assert "must be 1.0\xa0MB or smaller" in errors(response)


def test_with_csrf_checks_20_mb_of_pasted_text_is_explained_not_refused_as_expired(db):
    # Django will not read that much as form data, so there is no token to check: the answer
    # says what is wrong rather than "Your session has expired".
    client = Client(enforce_csrf_checks=True)
    client.get(CHECK)
    csrf = client.cookies["csrftoken"].value
    text = "e" * (20 * 1024 * 1024)
    response = client.post(CHECK, {"csrfmiddlewaretoken": csrf, "credential_text": text})
    assert response.status_code == 413
    assert "must be 1.0\xa0MB or smaller" in errors(response)


def test_checks_are_rate_limited_too(client, token, settings):
    settings.STEPWISE_VERIFY_LIMIT_PER_MINUTE = 2
    assert client.post(CHECK, {"credential_text": token}).status_code == 200
    assert client.post(CHECK, {"credential_text": token}).status_code == 200
    response = client.post(CHECK, {"credential_text": token})
    assert response.status_code == 429
    assert client.get(CHECK).status_code == 200  # the empty form is never limited


def test_misconfigured_keys_are_a_503_not_a_crash(client, token, settings):
    settings.STEPWISE_SIGNING_KEYS = "[]"
    response = client.post(CHECK, {"credential_text": token})
    assert response.status_code == 503
    assert "credentials cannot be checked right now" in response.content.decode()
