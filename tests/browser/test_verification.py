"""Anyone checks a certificate from its QR code address and checks its digital credential; a
Trust administrator revokes it, and both checks then say so. Every page is checked with axe."""

import pytest
from playwright.sync_api import expect

from stepwise.certificates import credentials
from stepwise.certificates.tests.conftest import fresh_throttle, sign_off, signing_keys
from stepwise.core.formatting import date
from stepwise.progress.tests.conftest import enrolment, offered, version

# Fixtures of the journey's tests, and the certificates tests' signing key and fresh counts.
__all__ = ["enrolment", "fresh_throttle", "offered", "signing_keys", "version"]

pytestmark = pytest.mark.browser


def test_a_revoked_certificate_and_its_credential_say_so(
    web_for, enrolment, learner, assessor, educator, trust_admin, trust
):
    # Given a learner signed off, holding their digital credential
    certificate = sign_off(enrolment, learner, assessor, educator, make_pdf=True)
    token = credentials.signed_credential(certificate)

    # When an employer opens the address in the certificate's QR code
    employer = web_for()
    employer.visit(f"/verify/{certificate.serial}")

    # Then it is valid, with who, what, where, when and by whom, and nothing more personal
    assert employer.heading() == "This certificate is valid"
    details = employer.page.locator(".nhsuk-summary-list")
    for shown in (learner.full_name, "Sample step-1, version 1.0", trust.name):
        expect(details).to_contain_text(shown)
    expect(details).to_contain_text(certificate.signer_name)
    assert learner.email not in employer.text()

    # And the credential checks as valid too
    employer.follow("Check a digital credential instead")
    employer.fill("Or paste the credential", token)
    employer.submit("Check credential")
    assert employer.heading() == "This credential is valid"

    # When the Trust administrator finds the certificate and revokes it
    admin = web_for(trust_admin)
    admin.visit("/")
    admin.follow("Certificates")
    assert admin.heading() == "Certificates"
    admin.fill("Learner's name or certificate serial", learner.full_name)
    admin.submit("Search")
    expect(admin.page.locator("table")).to_contain_text(str(certificate.serial))
    admin.follow(f"Revoke {learner.full_name}'s certificate")
    assert admin.heading() == f"Revoke {learner.full_name}'s certificate"
    admin.submit("Revoke certificate")
    assert admin.title().startswith("Error: ")
    assert admin.error_summary() == ["Enter the reason for revoking the certificate"]
    admin.fill("Why is this certificate being revoked?", "Signed off on the wrong framework")
    admin.submit("Revoke certificate")
    assert "has been revoked" in admin.banner()
    certificate.refresh_from_db()

    # Then the verification page says it is revoked, and since when
    employer.visit(f"/verify/{certificate.serial}")
    assert employer.heading() == "This certificate has been revoked"
    assert f"Revoked on {date(certificate.revoked_at)}" in employer.text()
    assert "wrong framework" not in employer.text()

    # And the credential pasted into the check page says revoked
    employer.visit("/verify-credential/")
    employer.fill("Or paste the credential", token)
    employer.submit("Check credential")
    assert employer.heading() == "This credential has been revoked"
    assert f"The issuer revoked it on {date(certificate.revoked_at)}." in employer.text()


def test_a_mistyped_address_and_a_bad_credential_are_explained(web_for, db):
    web = web_for()
    web.visit("/verify/not-a-real-serial", status=404)
    assert web.heading() == "Certificate not found"

    web.visit("/verify-credential/")
    web.submit("Check credential")
    assert web.error_summary() == ["Upload a credential file or paste a credential"]
    web.fill("Or paste the credential", "this is not a credential")
    web.submit("Check credential")
    assert web.error_summary()[0].startswith("This is not a digital credential")
