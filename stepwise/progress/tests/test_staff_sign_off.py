"""Final sign-off: the summary of who confirmed what, the declaration, the educator's
registration, and signing off or returning with comments; a second try is told who won."""

import pytest
from django.urls import reverse

from stepwise.certificates.models import Certificate
from stepwise.core.versioned_cache import forget_local
from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Enrolment, SignOffRequest
from stepwise.progress.queries import staff as queries
from stepwise.progress.states import EnrolmentState

from .conftest import build_version
from .staff_helpers import PIN, ask, confirm, enrol, read, ready_for_sign_off, records


def url(enrolment) -> str:
    return reverse("progress:sign_off", args=[enrolment.pk])


def sign_off_post(**overrides) -> dict:
    return {"action": "sign_off", "agree": "on", **PIN, **overrides}


@pytest.fixture
def waiting(enrolment, assessor):
    ready_for_sign_off(enrolment, assessor)
    return enrolment


class TestAccess:
    def test_anonymous_wrong_role_and_other_trust(
        self, client, client_for, waiting, learner, assessor, other_trust
    ):
        response = client.get(url(waiting))
        assert response.status_code == 302 and reverse("accounts:sign_in") in response.url
        assert client_for(learner).get(url(waiting)).status_code == 403
        assert client_for(assessor).get(url(waiting)).status_code == 403
        outsider = MembershipFactory(trust=other_trust, is_educator=True).person
        assert client_for(outsider).get(url(waiting)).status_code == 404
        assert client_for(outsider).post(url(waiting), sign_off_post()).status_code == 404
        waiting.refresh_from_db()
        assert waiting.state == EnrolmentState.SIGN_OFF_REQUESTED


class TestPage:
    def test_it_summarises_what_was_confirmed_by_whom_and_shows_the_declarations(
        self, client_for, waiting, educator, assessor
    ):
        html = read(client_for(educator).get(url(waiting)))
        assert f"Sign off {waiting.learner.full_name}" in html
        assert f"{waiting.learner.full_name} asked for sign-off on" in html
        # A summary, not every row: counts, the optional minimum, and who confirmed how many
        assert "9 of 9 confirmed" in html
        assert "1 confirmed; at least 1 needed: met" in html
        assert f"{assessor.full_name} (NMC 09B1234D): 10 proficiencies, " in html
        for section in waiting.version.sections.all():
            assert f"{section.code} {section.title}" in html
        # Per section: 3 required confirmed each, the one optional taken in the first
        assert html.count("3 of 3") == 3
        assert html.count("1 of 1") == 1 and html.count("0 of 1") == 2
        for record in records(waiting):
            assert f"{record.proficiency.code}</a>" not in html
        manage = reverse("progress:enrolment_manage", args=[waiting.pk])
        assert f'href="{manage}">See every proficiency, who confirmed it and when' in html
        assert "not confirmed" not in html
        assert waiting.version.learner_declaration in html
        assert waiting.version.assessor_declaration in html
        assert 'name="agree"' in html
        registration = f"{educator.registration_body} {educator.registration_number}"
        assert f"recorded with your registration, <strong>{registration}</strong>" in html
        assert f'value="{educator.registration_number}"' in html
        assert "Return to the learner" in html

    def test_what_is_still_missing_is_listed(self, client_for, enrolment, educator, assessor):
        everything = records(enrolment)
        confirm(ask(enrolment, everything[:2], assessor=assessor), assessor, everything[:2])
        html = read(client_for(educator).get(url(enrolment)))
        assert "7 required proficiencies not confirmed" in html
        third = everything[2].proficiency
        assert f"<li>{third.code} {third.statement}</li>" in html
        assert "0 confirmed; at least 1 needed: 1 more needed" in html

    def test_before_the_learner_asks_there_is_nothing_to_sign(
        self, client_for, enrolment, educator
    ):
        client = client_for(educator)
        html = read(client.get(url(enrolment)))
        assert "has not asked for sign-off yet" in html
        assert 'name="agree"' not in html
        html = read(client.post(url(enrolment), sign_off_post()))
        assert "There is no request for sign-off waiting." in html
        assert not Certificate.objects.exists()

    @pytest.mark.parametrize("size", [120, 500])
    def test_the_query_count_stays_the_same(
        self, size, client_for, trust, learner, educator, assessor, django_assert_max_num_queries
    ):
        version = build_version(slug=f"size-{size}", sections=10, per_section=size // 10)
        TrustFramework.objects.create(trust=trust, framework=version.framework)
        enrolment = enrol(learner, version, trust, educator)
        ready_for_sign_off(enrolment, assessor)
        client = client_for(educator)
        with django_assert_max_num_queries(13):  # one of them the access log's entry
            response = client.get(url(enrolment))
        confirmed = size - 10 + 1  # every required one and the optional minimum
        assert f"{assessor.full_name} (NMC 09B1234D): {confirmed} proficiencies" in read(response)


class TestRecords:
    def test_the_records_in_framework_order_with_their_version_kept_across_requests(
        self, enrolment, django_assert_num_queries
    ):
        first = queries.enrolment_records(enrolment)
        with django_assert_num_queries(1):
            again = queries.enrolment_records(enrolment)
        # The published version's proficiencies, with their sections, are not read again.
        assert again[0].proficiency is first[0].proficiency
        forget_local()  # as another server process would: from the shared cache
        with django_assert_num_queries(1):
            shared = queries.enrolment_records(enrolment)
            places = [(r.proficiency.section.position, r.proficiency.position) for r in shared]
        assert [record.pk for record in shared] == [record.pk for record in first]
        assert [r.proficiency_id for r in shared] == [r.proficiency.pk for r in shared]
        assert places == sorted(places) and len(places) == len(set(places))


class TestSigningOff:
    def test_signing_off_locks_the_enrolment_and_issues_the_certificate(
        self, client_for, waiting, educator
    ):
        client = client_for(educator)
        response = client.post(url(waiting), sign_off_post())
        assert response.status_code == 302
        assert response.url == reverse("progress:enrolment_manage", args=[waiting.pk])
        waiting.refresh_from_db()
        assert waiting.state == EnrolmentState.SIGNED_OFF
        certificate = Certificate.objects.get(enrolment=waiting)
        assert certificate.signer_registration == "NMC 09B1234D"
        html = read(client.get(response.url))
        assert f"Certificate serial {certificate.serial}" in html
        assert "Signed off" in html

    def test_a_second_click_is_told_who_signed_off_and_when(
        self, client_for, waiting, educator, trust
    ):
        colleague = MembershipFactory(trust=trust, is_educator=True).person
        assert client_for(colleague).post(url(waiting), sign_off_post()).status_code == 302
        response = client_for(educator).post(url(waiting), sign_off_post())
        assert response.status_code == 200
        html = read(response)
        assert "There is a problem" in html
        assert f"already signed off by {colleague.full_name} on" in html
        assert Certificate.objects.count() == 1
        assert 'name="agree"' not in html
        assert f"Signed off by {colleague.full_name}" in html

    @pytest.mark.parametrize(
        ("fields", "message", "anchor"),
        [
            ({"agree": ""}, "Confirm that you agree with the declaration", "#id_agree"),
            (
                {"registration_number": "ABC"},
                "Enter an NMC PIN in the correct format",
                "#id_registration_number",
            ),
            ({"registration_body": "XYZ"}, "Select a register from the list", None),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_signed(
        self, client_for, waiting, educator, fields, message, anchor
    ):
        response = client_for(educator).post(url(waiting), sign_off_post(**fields))
        assert response.status_code == 200
        html = read(response)
        assert message in html
        assert "<title>Error: " in html
        if anchor:
            assert f'href="{anchor}"' in html
        waiting.refresh_from_db()
        assert waiting.state == EnrolmentState.SIGN_OFF_REQUESTED
        assert not Certificate.objects.exists()


class TestReturning:
    def test_comments_are_needed(self, client_for, waiting, educator):
        response = client_for(educator).post(url(waiting), {"action": "return", "comments": ""})
        html = read(response)
        assert "Enter comments for the learner" in html
        assert "<title>Error: " in html
        assert 'href="#id_comments"' in html
        waiting.refresh_from_db()
        assert waiting.state == EnrolmentState.SIGN_OFF_REQUESTED

    def test_returning_reopens_the_enrolment_with_the_comments(self, client_for, waiting, educator):
        client = client_for(educator)
        response = client.post(
            url(waiting), {"action": "return", "comments": "Please add evidence for 2.1"}
        )
        assert response.status_code == 302
        waiting.refresh_from_db()
        assert waiting.state == EnrolmentState.ACTIVE
        request = SignOffRequest.objects.get(enrolment=waiting)
        assert request.state == SignOffRequest.State.RETURNED
        assert request.comments == "Please add evidence for 2.1"
        assert f"Returned to {waiting.learner.full_name} with comments" in read(
            client.get(response.url)
        )
        html = read(client.get(url(waiting)))
        assert "returned it on" in html
        html = read(client.post(url(waiting), {"action": "return", "comments": "Again"}))
        assert "This sign-off was already returned with comments by" in html
        assert Enrolment.objects.get(pk=waiting.pk).state == EnrolmentState.ACTIVE
