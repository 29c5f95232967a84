"""Downloading a certificate: the learner, and educators and Trust administrators of its
Trust; anyone else is told there is nothing there."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.certificates.models import Certificate
from stepwise.certificates.services import certificate_revoke
from stepwise.certificates.verification import Outcome, check_credential
from stepwise.organisations.access import SESSION_KEY
from stepwise.organisations.tests.factories import MembershipFactory


def download_url(certificate) -> str:
    return reverse("certificates:download", args=[certificate.serial])


def test_anonymous_people_are_sent_to_sign_in(client, signed_off):
    url = download_url(signed_off)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:sign_in')}?next={url}"


@pytest.mark.parametrize("persona", ["learner", "educator", "trust_admin"])
def test_the_learner_and_their_trusts_educators_and_admins_download_it(
    request, client_for, signed_off, persona
):
    response = client_for(request.getfixturevalue(persona)).get(download_url(signed_off))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"certificate-sample-step-1-10-{signed_off.serial}.pdf" in disposition
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")


@pytest.mark.parametrize("persona", ["assessor", "other_learner", "other_trust_admin"])
def test_anyone_else_finds_nothing(request, client_for, signed_off, persona):
    response = client_for(request.getfixturevalue(persona)).get(download_url(signed_off))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_educator_working_in_another_trust_now_finds_nothing(
    client_for, signed_off, educator, other_trust
):
    elsewhere = MembershipFactory(person=educator, trust=other_trust, is_educator=True)
    client = client_for(educator)
    session = client.session
    session[SESSION_KEY] = elsewhere.pk
    session.save()
    assert client.get(download_url(signed_off)).status_code == 404


def test_an_unknown_serial_is_not_found(client_for, learner, signed_off):
    client = client_for(learner)
    url = reverse("certificates:download", args=["6f1c1f58-0d4e-4a53-9b8c-2f3b0d0f9a11"])
    assert client.get(url).status_code == 404
    assert client.get("/certificates/not-a-serial/download/").status_code == 404


def test_a_pdf_not_made_yet_gets_a_page_saying_so(client_for, learner, pdf_pending):
    url = download_url(pdf_pending)
    response = client_for(learner).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your certificate is being made" in html
    assert f'href="{url}"' in html
    assert str(pdf_pending.serial) in html


def test_staff_are_told_the_certificate_is_being_made(client_for, educator, pdf_pending):
    response = client_for(educator).get(download_url(pdf_pending))
    assert response.status_code == 200
    assert "This certificate is being made" in response.content.decode()


def test_a_revoked_certificate_is_not_served(client_for, learner, signed_off, platform_admin):
    Certificate.objects.filter(pk=signed_off.pk).update(
        revoked_at=timezone.now(), revoked_by=platform_admin, revocation_reason="Issued in error"
    )
    response = client_for(learner).get(download_url(signed_off))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "This certificate has been revoked" in html
    assert "Issued in error" in html


def test_a_lost_file_is_a_friendly_error_not_a_crash(client_for, learner, signed_off):
    signed_off.pdf.storage.delete(signed_off.pdf.name)
    response = client_for(learner).get(download_url(signed_off))
    assert response.status_code == 503
    assert str(signed_off.serial) in response.content.decode()


def test_only_get_is_answered(client_for, learner, signed_off):
    assert client_for(learner).post(download_url(signed_off)).status_code == 405


# The digital credential -------------------------------------------------------------------


def credential_url(certificate) -> str:
    return reverse("certificates:credential", args=[certificate.serial])


def test_anonymous_people_are_sent_to_sign_in_for_the_credential(client, signed_off):
    url = credential_url(signed_off)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:sign_in')}?next={url}"


@pytest.mark.parametrize("persona", ["learner", "educator", "trust_admin"])
def test_the_learner_and_their_trusts_staff_download_the_credential(
    request, client_for, signed_off, persona
):
    response = client_for(request.getfixturevalue(persona)).get(credential_url(signed_off))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"credential-sample-step-1-10-{signed_off.serial}.jwt" in disposition
    assert "no-store" in response["Cache-Control"]
    token = response.content.decode()
    assert token.count(".") == 2
    assert check_credential(token).outcome == Outcome.VALID


def test_the_same_credential_every_time(client_for, learner, signed_off):
    client = client_for(learner)
    first = client.get(credential_url(signed_off)).content
    assert client.get(credential_url(signed_off)).content == first


@pytest.mark.parametrize("persona", ["assessor", "other_learner", "other_trust_admin"])
def test_anyone_else_finds_no_credential(request, client_for, signed_off, persona):
    response = client_for(request.getfixturevalue(persona)).get(credential_url(signed_off))
    assert response.status_code == 404


def test_an_unknown_serial_has_no_credential(client_for, learner, signed_off):
    client = client_for(learner)
    url = reverse("certificates:credential", args=["6f1c1f58-0d4e-4a53-9b8c-2f3b0d0f9a11"])
    assert client.get(url).status_code == 404
    assert client.get("/certificates/not-a-serial/credential/").status_code == 404


def test_a_revoked_certificate_has_no_credential(client_for, learner, signed_off, trust_admin):
    certificate_revoke(certificate=signed_off, by=trust_admin, reason="Issued in error")
    response = client_for(learner).get(credential_url(signed_off))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "This certificate has been revoked" in response.content.decode()


def test_the_credential_does_not_wait_for_the_pdf(client_for, learner, pdf_pending):
    response = client_for(learner).get(credential_url(pdf_pending))
    assert response["Content-Type"] == "application/vc+jwt"


def test_misconfigured_keys_are_a_friendly_503(client_for, learner, signed_off, settings):
    settings.STEPWISE_SIGNING_KEYS = "not json"
    response = client_for(learner).get(credential_url(signed_off))
    assert response.status_code == 503
    html = response.content.decode()
    assert "the digital credential cannot be downloaded right now" in html
    assert str(signed_off.serial) in html


def test_only_get_is_answered_for_the_credential(client_for, learner, signed_off):
    assert client_for(learner).post(credential_url(signed_off)).status_code == 405


# What verifiers fetch ---------------------------------------------------------------------


def test_the_issuer_profile_is_public_json(client, trust):
    response = client.get(reverse("certificates:issuer", args=[trust.pk]))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    profile = response.json()
    assert profile["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert profile["type"] == ["Profile"]
    assert profile["name"] == trust.name


def test_only_trusts_are_issuers(client, trust):
    for organisation_id in (trust.units[0].pk, trust.parent_id, 999_999):
        response = client.get(reverse("certificates:issuer", args=[organisation_id]))
        assert response.status_code == 404
        assert response.json() == {"error": "No such issuer."}
