"""The public verification page behind every certificate's QR code."""

import pytest
from django.urls import reverse
from markupsafe import escape  # what Jinja2 uses, so apostrophes match

from stepwise.certificates.services import certificate_revoke
from stepwise.core.formatting import date
from stepwise.core.tests.throttling import clock

__all__ = ["clock"]


def verify_url(certificate) -> str:
    return reverse("certificates:verify", args=[certificate.serial])


def test_the_address_is_the_one_printed_on_the_certificate(signed_off):
    assert f"http://testserver{verify_url(signed_off)}" == signed_off.verify_url


def test_anyone_sees_a_valid_certificate_without_signing_in(client, signed_off, trust):
    response = client.get(verify_url(signed_off))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is valid" in html
    assert "<title>This certificate is valid – Stepwise</title>" in html
    for shown in (
        escape(signed_off.learner_name),
        "Sample step-1, version 1.0",
        escape(trust.name),
        date(signed_off.signed_off_at),
        escape(signed_off.signer_name),
        str(signed_off.serial),
    ):
        assert shown in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_it_shows_no_other_personal_data(client, signed_off, learner, educator):
    learner.registration_number = "12A3456B"
    learner.save()
    html = client.get(verify_url(signed_off)).content.decode()
    for private in (learner.email, educator.email, "12A3456B", "05C7654E", "09B1234D", "@"):
        assert private not in html
    assert "registration" not in html.lower()


def test_a_revoked_certificate_says_so_with_the_date_but_not_the_reason(
    client, signed_off, trust_admin
):
    certificate_revoke(certificate=signed_off, by=trust_admin, reason="Confidential reason")
    signed_off.refresh_from_db()
    html = client.get(verify_url(signed_off)).content.decode()
    assert "This certificate has been revoked" in html
    assert f"Revoked on {date(signed_off.revoked_at)}" in html
    assert "Confidential reason" not in html
    assert "This certificate is valid" not in html


def test_a_trailing_slash_finds_it_too(client, signed_off):
    assert client.get(verify_url(signed_off) + "/").status_code == 200


@pytest.mark.parametrize(
    "serial",
    [
        "6f1c1f58-0d4e-4a53-9b8c-2f3b0d0f9a11",  # well formed, unknown
        "not-a-serial",
        "1234",
        "6f1c1f58-0d4e-4a53-9b8c-2f3b0d0f9a1",  # one digit short
        "%00",
        "' OR 1=1 --",
        "x" * 100,
    ],
)
def test_an_unknown_or_malformed_serial_is_plainly_not_found(client, signed_off, serial):
    response = client.get(f"/verify/{serial}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Certificate not found" in html
    assert escape(signed_off.learner_name) not in html


def test_a_serial_too_long_for_the_address_is_not_found_either(client, db):
    assert client.get("/verify/" + "x" * 500).status_code == 404


def test_only_reading_is_allowed(client, signed_off):
    assert client.post(verify_url(signed_off)).status_code == 405


class TestRateLimit:
    def test_too_many_checks_from_one_address_get_a_friendly_429(
        self, client, signed_off, settings
    ):
        settings.STEPWISE_VERIFY_LIMIT_PER_MINUTE = 3
        for _ in range(3):
            assert client.get(verify_url(signed_off)).status_code == 200
        response = client.get(verify_url(signed_off))
        assert response.status_code == 429
        assert "Too many checks in a short time" in response.content.decode()
        assert 0 < int(response["Retry-After"]) <= 60
        assert escape(signed_off.learner_name) not in response.content.decode()

    def test_unknown_serials_count_too(self, client, db, settings):
        settings.STEPWISE_VERIFY_LIMIT_PER_MINUTE = 2
        statuses = [client.get(f"/verify/guess-{n}").status_code for n in range(4)]
        assert statuses == [404, 404, 429, 429]

    def test_other_addresses_are_not_affected(self, client, signed_off, settings):
        settings.STEPWISE_VERIFY_LIMIT_PER_MINUTE = 1
        client.get(verify_url(signed_off), REMOTE_ADDR="10.0.0.1")
        assert client.get(verify_url(signed_off), REMOTE_ADDR="10.0.0.1").status_code == 429
        assert client.get(verify_url(signed_off), REMOTE_ADDR="10.0.0.2").status_code == 200

    def test_the_count_starts_again_next_minute(self, client, signed_off, settings, clock):
        settings.STEPWISE_VERIFY_LIMIT_PER_MINUTE = 1
        clock.advance(20)
        client.get(verify_url(signed_off))
        response = client.get(verify_url(signed_off))
        assert response.status_code == 429
        assert response["Retry-After"] == "40"
        clock.advance(40)
        assert client.get(verify_url(signed_off)).status_code == 200
