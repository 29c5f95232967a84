"""Issue 5's "done when", end to end on the demo data: the signed-off demo learner's
credential, exported with the command, verifies with PyJWT (joserfc signed it) against the
published JWKS, passes the 1EdTech schema, a tampered copy fails; the public page says valid,
and revoked after revocation."""

import base64
import json
from io import StringIO

import jwt
import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from stepwise.accounts.models import User
from stepwise.certificates.models import Certificate
from stepwise.certificates.services import certificate_revoke
from stepwise.certificates.tests.standards import schema_errors


@pytest.fixture
def demo_certificate(db, settings):
    settings.DEBUG = True
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    return Certificate.objects.get(enrolment__learner__email="noah.williams@example.org")


def exported(certificate, tmp_path) -> str:
    out = tmp_path / "credential.jwt"
    call_command("export_credential", str(certificate.serial), output=str(out), stdout=StringIO())
    return out.read_text().strip()


def test_the_demo_credential_verifies_elsewhere_and_its_page_follows_revocation(
    demo_certificate, tmp_path, client
):
    token = exported(demo_certificate, tmp_path)

    # PyJWT, not the library that signed it, verifies it against the published keys.
    published = client.get(reverse("certificates:jwks")).json()
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in jwt.PyJWKSet.from_dict(published).keys if k.key_id == kid)
    claims = jwt.decode(token, key=key.key, algorithms=["RS256"], options={"verify_aud": False})
    assert "OpenBadgeCredential" in claims["type"]
    assert schema_errors(claims, "ob3-achievementcredential.schema.json") == []

    # A tampered copy fails.
    header, payload, signature = token.split(".")
    changed = dict(claims, name="Step 3 critical care competencies")
    forged = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(f"{header}.{forged}.{signature}", key=key.key, algorithms=["RS256"])

    # The public page says valid, then revoked once a Trust administrator revokes it.
    page = reverse("certificates:verify", args=[demo_certificate.serial])
    html = client.get(page).content.decode()
    assert "Noah Williams" in html and "Valid" in html
    admin = User.objects.get(email="trustadmin@example.org")
    certificate_revoke(certificate=demo_certificate, by=admin, reason="Issued in error")
    html = client.get(page).content.decode()
    assert "Revoked" in html

    # And the credential's own status now says revoked when checked.
    with pytest.raises(CommandError, match="has been revoked"):
        call_command("verify_credential", str(tmp_path / "credential.jwt"), stdout=StringIO())
