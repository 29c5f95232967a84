"""The Trust's certificates list and the revoke page: Trust administrators (their Trust's
certificates) and platform administrators (all); everyone else is kept out."""

import pytest
from django.urls import reverse
from markupsafe import escape  # what Jinja2 uses, so apostrophes match

from stepwise.certificates.services import certificate_revoke
from stepwise.certificates.tests.factories import make_certificates
from stepwise.organisations.access import SESSION_KEY
from stepwise.organisations.tests.factories import MembershipFactory

LIST = "/certificates/"


def revoke_url(certificate) -> str:
    return reverse("certificates:revoke", args=[certificate.serial])


class TestList:
    def test_anonymous_people_are_sent_to_sign_in(self, client, db):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:sign_in')}?next={LIST}"

    @pytest.mark.parametrize("persona", ["learner", "assessor", "educator", "framework_author"])
    def test_other_roles_are_refused(self, request, client_for, persona):
        response = client_for(request.getfixturevalue(persona)).get(LIST)
        assert response.status_code == 403

    def test_a_trust_admin_sees_their_trusts_certificates_with_a_way_to_revoke(
        self, client_for, trust_admin, signed_off, trust
    ):
        response = client_for(trust_admin).get(LIST)
        assert response.status_code == 200
        html = response.content.decode()
        assert escape(trust.name) in html
        assert escape(signed_off.learner_name) in html
        assert str(signed_off.serial) in html
        assert f'href="{revoke_url(signed_off)}"' in html
        assert "1 certificate" in html

    def test_it_is_in_the_trust_admins_navigation(self, client_for, trust_admin, learner):
        assert f'href="{LIST}"' in client_for(trust_admin).get("/").content.decode()
        assert f'href="{LIST}"' not in client_for(learner).get("/").content.decode()

    def test_another_trusts_admin_sees_none_of_them(
        self, client_for, other_trust_admin, signed_off
    ):
        html = client_for(other_trust_admin).get(LIST).content.decode()
        assert escape(signed_off.learner_name) not in html
        assert "No certificates have been issued yet." in html

    def test_a_platform_admin_sees_every_trusts(self, client_for, platform_admin, signed_off):
        html = client_for(platform_admin).get(LIST).content.decode()
        assert "Every Trust" in html
        assert escape(signed_off.learner_name) in html
        assert escape(signed_off.trust_name) in html

    def test_a_revoked_certificate_has_no_revoke_link(self, client_for, trust_admin, signed_off):
        certificate_revoke(certificate=signed_off, by=trust_admin, reason="Issued in error")
        html = client_for(trust_admin).get(LIST).content.decode()
        assert "Revoked " in html
        assert revoke_url(signed_off) not in html

    def test_search_by_name_or_serial(self, client_for, trust_admin, signed_off, enrolment):
        others = make_certificates(enrolment, 3, name="Zara Quinn")
        client = client_for(trust_admin)
        html = client.get(LIST, {"q": "zara"}).content.decode()
        assert "3 certificates" in html
        assert escape(signed_off.learner_name) not in html
        html = client.get(LIST, {"q": str(others[1].serial)}).content.decode()
        assert "1 certificate" in html
        assert "Zara Quinn 001" in html
        html = client.get(LIST, {"q": "nobody like this"}).content.decode()
        assert "No certificate matches this search." in html

    def test_an_overlong_search_is_an_error_not_a_crash(self, client_for, trust_admin, signed_off):
        response = client_for(trust_admin).get(LIST, {"q": "x" * 101})
        assert response.status_code == 200
        assert "Search must be 100 characters or fewer" in response.content.decode()

    def test_pages_of_25_keep_the_search(self, client_for, trust_admin, enrolment):
        make_certificates(enrolment, 30, name="Paged")
        client = client_for(trust_admin)
        html = client.get(LIST, {"q": "Paged"}).content.decode()
        assert "Showing 1 to 25 of 30 certificates" in html
        assert "q=Paged&amp;page=2" in html
        html = client.get(LIST, {"q": "Paged", "page": "2"}).content.decode()
        assert "Showing 26 to 30 of 30 certificates" in html
        assert client.get(LIST, {"page": "not a number"}).status_code == 200

    def test_the_page_costs_the_same_queries_however_many_certificates(
        self, client_for, trust_admin, enrolment, django_assert_max_num_queries
    ):
        client = client_for(trust_admin)
        make_certificates(enrolment, 2, name="Few")
        with django_assert_max_num_queries(12) as few:
            client.get(LIST)
        make_certificates(enrolment, 40, name="Many", first_index=2000)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(LIST)


class TestRevoke:
    def test_anonymous_people_are_sent_to_sign_in(self, client, signed_off):
        response = client.get(revoke_url(signed_off))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign_in"))

    @pytest.mark.parametrize("persona", ["learner", "assessor", "educator"])
    def test_other_roles_are_refused(self, request, client_for, signed_off, persona):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(revoke_url(signed_off)).status_code == 403
        assert client.post(revoke_url(signed_off), {"reason": "x"}).status_code == 403
        signed_off.refresh_from_db()
        assert not signed_off.is_revoked

    def test_another_trusts_admin_finds_nothing(self, client_for, other_trust_admin, signed_off):
        client = client_for(other_trust_admin)
        assert client.get(revoke_url(signed_off)).status_code == 404
        assert client.post(revoke_url(signed_off), {"reason": "x"}).status_code == 404
        signed_off.refresh_from_db()
        assert not signed_off.is_revoked

    def test_an_admin_working_in_another_trust_now_finds_nothing(
        self, client_for, trust_admin, other_trust, signed_off
    ):
        elsewhere = MembershipFactory(person=trust_admin, trust=other_trust, is_trust_admin=True)
        client = client_for(trust_admin)
        session = client.session
        session[SESSION_KEY] = elsewhere.pk
        session.save()
        assert client.get(revoke_url(signed_off)).status_code == 404

    def test_an_unknown_serial_is_not_found(self, client_for, trust_admin, db):
        client = client_for(trust_admin)
        assert (
            client.get("/certificates/6f1c1f58-0d4e-4a53-9b8c-2f3b0d0f9a11/revoke/").status_code
            == 404
        )
        assert client.get("/certificates/not-a-serial/revoke/").status_code == 404

    def test_the_page_shows_the_certificate_and_asks_why(self, client_for, trust_admin, signed_off):
        response = client_for(trust_admin).get(revoke_url(signed_off))
        assert response.status_code == 200
        html = response.content.decode()
        assert f"Revoke {escape(signed_off.learner_name)}&#39;s certificate" in html
        assert str(signed_off.serial) in html
        assert "Why is this certificate being revoked?" in html
        assert 'name="csrfmiddlewaretoken"' in html

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_reason_is_required(self, client_for, trust_admin, signed_off, reason):
        response = client_for(trust_admin).post(revoke_url(signed_off), {"reason": reason})
        assert response.status_code == 200
        html = response.content.decode()
        assert "<title>Error: " in html
        assert "Enter the reason for revoking the certificate" in html
        signed_off.refresh_from_db()
        assert not signed_off.is_revoked

    def test_an_overlong_reason_is_refused(self, client_for, trust_admin, signed_off):
        response = client_for(trust_admin).post(revoke_url(signed_off), {"reason": "x" * 2001})
        assert "The reason must be 2000 characters or fewer" in response.content.decode()

    def test_a_trust_admin_revokes_it(self, client_for, trust_admin, signed_off):
        client = client_for(trust_admin)
        response = client.post(revoke_url(signed_off), {"reason": "Issued in error"})
        assert response.status_code == 302
        assert response.url == LIST
        signed_off.refresh_from_db()
        assert signed_off.revoked_by == trust_admin
        assert signed_off.revocation_reason == "Issued in error"
        html = client.get(LIST).content.decode()
        assert f"{escape(signed_off.learner_name)}&#39;s certificate has been revoked" in html
        public = client.get(reverse("certificates:verify", args=[signed_off.serial]))
        assert "This certificate has been revoked" in public.content.decode()

    def test_a_platform_admin_revokes_any(self, client_for, platform_admin, signed_off):
        response = client_for(platform_admin).post(revoke_url(signed_off), {"reason": "Fraud"})
        assert response.status_code == 302
        signed_off.refresh_from_db()
        assert signed_off.revoked_by == platform_admin

    def test_a_second_revoke_says_who_did_it_and_when(
        self, client_for, trust_admin, platform_admin, signed_off
    ):
        certificate_revoke(certificate=signed_off, by=platform_admin, reason="Fraud")
        client = client_for(trust_admin)
        html = client.get(revoke_url(signed_off)).content.decode()
        assert "This certificate has been revoked" in html
        assert f"Revoked by {escape(platform_admin.full_name)}" in html
        assert "Reason: Fraud" in html
        assert "Revoke certificate" not in html
        # A form open in another tab, sent after the revoke: nothing changes, it says so.
        response = client.post(revoke_url(signed_off), {"reason": "Late"}, follow=True)
        signed_off.refresh_from_db()
        assert signed_off.revocation_reason == "Fraud"
        assert f"Revoked by {escape(platform_admin.full_name)}" in response.content.decode()

    def test_losing_a_race_says_who_won(
        self, client_for, trust_admin, platform_admin, signed_off, monkeypatch
    ):
        from stepwise.certificates.views import revocation

        def revoked_meanwhile(*, certificate, by, reason):
            certificate_revoke(certificate=certificate, by=platform_admin, reason="First")
            return certificate_revoke(certificate=certificate, by=by, reason=reason)

        monkeypatch.setattr(revocation, "certificate_revoke", revoked_meanwhile)
        response = client_for(trust_admin).post(
            revoke_url(signed_off), {"reason": "Second"}, follow=True
        )
        html = response.content.decode()
        assert f"This certificate was already revoked by {escape(platform_admin.full_name)}" in html
