"""Enrolling learners: a framework the Trust offers, learners found by unit and name, a due
date, the educator who signs off and default assessors; all or nothing."""

from django.urls import reverse

from stepwise.frameworks.models import FrameworkVersion, TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Enrolment

from .conftest import build_version
from .staff_helpers import another_learner, date_fields, enrol, in_days, read

URL = reverse("progress:enrol")


def enrol_post(version, learners, *, educator, due_on=None, assessors=(), **extra) -> dict:
    data = {
        "version": version.pk,
        "learners": [p.pk for p in learners],
        "educator": educator.pk,
        "assessors": [p.pk for p in assessors],
        **date_fields("due_on", due_on if due_on is not None else in_days(90)),
    }
    data.update(extra)
    return data


class TestAccess:
    def test_anonymous_people_are_sent_to_sign_in(self, client, db):
        response = client.get(URL)
        assert response.status_code == 302
        assert reverse("accounts:sign_in") in response.url

    def test_learners_and_assessors_get_a_403(self, client_for, learner, assessor):
        assert client_for(learner).get(URL).status_code == 403
        assert client_for(assessor).get(URL).status_code == 403
        assert client_for(assessor).post(URL, {}).status_code == 403


class TestPage:
    def test_it_offers_the_trusts_published_versions_learners_and_staff(
        self, client_for, educator, assessor, learner, offered, trust, other_learner
    ):
        not_offered = build_version(slug="not-offered")
        html = read(client_for(educator).get(URL))
        assert str(offered) in html
        assert str(not_offered) not in html
        assert learner.full_name in html
        assert other_learner.full_name not in html
        assert trust.units[0].name in html
        assert f'value="{educator.pk}" selected' in html
        assert assessor.full_name in html
        assert 'name="due_on_day"' in html
        # The only framework offered is chosen already.
        assert f'value="{offered.pk}" checked' in html

    def test_drafts_are_not_offered(self, client_for, educator, offered, trust):
        draft = FrameworkVersion.objects.create(
            framework=offered.framework, label="2.0", created_by=educator
        )
        html = read(client_for(educator).get(URL))
        assert f'value="{draft.pk}"' not in html

    def test_learners_already_enrolled_are_marked(self, client_for, educator, enrolment):
        html = read(client_for(educator).get(URL))
        assert f"already enrolled on {enrolment.framework.title}" in html

    def test_a_trust_offering_nothing_is_told_so(self, client_for, educator, trust, learner):
        html = read(client_for(educator).get(URL))
        assert "does not offer any frameworks yet" in html

    def test_learners_are_filtered_by_unit_and_name(self, client_for, educator, trust, offered):
        in_first = another_learner(trust, trust.units[0])
        in_second = another_learner(trust, trust.units[1])
        client = client_for(educator)
        html = read(client.get(URL, {"unit": trust.units[1].pk}))
        assert in_second.full_name in html and in_first.full_name not in html
        html = read(client.get(URL, {"q": in_first.email}))
        assert in_first.full_name in html and in_second.full_name not in html

    def test_select_all_shown_ticks_every_learner_shown(self, client_for, educator, trust, offered):
        learners = [another_learner(trust, trust.units[1]) for _ in range(3)]
        other = another_learner(trust, trust.units[0])
        html = read(client_for(educator).get(URL, {"unit": trust.units[1].pk, "select": "all"}))
        for person in learners:
            assert f'value="{person.pk}" checked' in html
        assert other.full_name not in html
        assert f"?unit={trust.units[1].pk}&select=all" in html

    def test_a_bad_filter_is_explained_and_the_rest_still_apply(
        self, client_for, educator, trust, offered
    ):
        html = read(client_for(educator).get(URL, {"unit": "999999"}))
        assert "Choose a unit from the list" in html

    def test_the_query_count_stays_the_same_with_many_learners(
        self, client_for, educator, trust, offered, django_assert_max_num_queries
    ):
        for _ in range(40):
            enrol(another_learner(trust), offered, trust, educator)
        client = client_for(educator)
        with django_assert_max_num_queries(12):
            response = client.get(URL)
        assert response.status_code == 200


class TestEnrolling:
    def test_it_enrols_every_chosen_learner_and_shows_them(
        self, client_for, educator, assessor, offered, trust
    ):
        learners = [another_learner(trust) for _ in range(3)]
        client = client_for(educator)
        due = in_days(120)
        response = client.post(
            URL, enrol_post(offered, learners, educator=educator, assessors=[assessor], due_on=due)
        )
        assert response.status_code == 302
        assert response.url == reverse("progress:enrolments") + f"?framework={offered.framework_id}"
        enrolled = Enrolment.objects.filter(learner__in=learners)
        assert enrolled.count() == 3
        for enrolment in enrolled:
            assert enrolment.due_on == due
            assert enrolment.educator == educator
            assert list(enrolment.assessors.all()) == [assessor]
            assert enrolment.records.count() == 12
        html = read(client.get(response.url))
        assert f"3 learners enrolled on {offered}" in html
        for person in learners:
            assert person.full_name in html

    def test_someone_else_may_be_named_to_sign_off(self, client_for, educator, offered, trust):
        other_educator = MembershipFactory(trust=trust, is_educator=True).person
        learner = another_learner(trust)
        client_for(educator).post(URL, enrol_post(offered, [learner], educator=other_educator))
        assert Enrolment.objects.get(learner=learner).educator == other_educator

    def test_an_already_enrolled_learner_is_named_and_nobody_is_enrolled(
        self, client_for, educator, enrolment, trust, offered
    ):
        newcomer = another_learner(trust)
        response = client_for(educator).post(
            URL, enrol_post(offered, [newcomer, enrolment.learner], educator=educator)
        )
        assert response.status_code == 200
        html = read(response)
        assert (
            f"Already enrolled on {offered.framework.title}: {enrolment.learner.full_name}" in html
        )
        assert "Nobody was enrolled" in html
        assert not Enrolment.objects.filter(learner=newcomer).exists()
        # The choice is kept, to correct.
        assert f'value="{newcomer.pk}" checked' in html

    def test_every_missing_answer_is_listed(self, client_for, educator, offered, trust):
        response = client_for(educator).post(URL, {"educator": ""})
        html = read(response)
        assert response.status_code == 200
        assert "<title>Error: " in html
        for message in (
            "Choose a framework",
            "Select at least one learner",
            "Enter a due date",
            "Choose the educator who will sign off",
        ):
            assert message in html
        assert 'href="#id_due_on_day"' in html
        assert not Enrolment.objects.exists()

    def test_a_due_date_in_the_past_or_not_real_is_refused(
        self, client_for, educator, offered, trust
    ):
        learner = another_learner(trust)
        client = client_for(educator)
        html = read(
            client.post(URL, enrol_post(offered, [learner], educator=educator, due_on=in_days(-1)))
        )
        assert "Due date must be today or in the future" in html
        data = enrol_post(offered, [learner], educator=educator, due_on_day="30", due_on_month="2")
        assert "Due date must be a real date" in read(client.post(URL, data))
        data = enrol_post(offered, [learner], educator=educator, due_on_month="")
        assert "Due date must include a month" in read(client.post(URL, data))
        assert not Enrolment.objects.exists()

    def test_numbers_too_big_for_a_date_are_a_message_not_an_error_page(
        self, client_for, educator, offered, trust
    ):
        learner = another_learner(trust)
        client = client_for(educator)
        huge = "9" * 20
        for part, message in [
            ("due_on_day", "Due date must be a real date"),
            ("due_on_month", "Due date must be a real date"),
            ("due_on_year", "Year must include 4 numbers"),
        ]:
            data = enrol_post(offered, [learner], educator=educator, **{part: huge})
            response = client.post(URL, data)
            assert response.status_code == 200
            assert message in read(response)
        data = enrol_post(offered, [learner], educator=educator, due_on_year="9999")
        assert "Due date must be in 2200 or earlier" in read(client.post(URL, data))
        assert not Enrolment.objects.exists()

    def test_forged_choices_are_refused(
        self, client_for, educator, offered, trust, other_learner, learner, assessor
    ):
        client = client_for(educator)
        not_offered = build_version(slug="not-offered")
        html = read(client.post(URL, enrol_post(not_offered, [learner], educator=educator)))
        assert "Choose a framework your Trust offers" in html
        html = read(client.post(URL, enrol_post(offered, [other_learner], educator=educator)))
        assert "Choose learners from the list" in html
        html = read(client.post(URL, enrol_post(offered, [learner], educator=assessor)))
        assert "Choose an educator from the list" in html
        html = read(
            client.post(URL, enrol_post(offered, [learner], educator=educator, assessors=[learner]))
        )
        assert "Choose assessors from the list" in html
        assert not Enrolment.objects.exists()

    def test_a_framework_no_longer_offered_is_a_clear_message(
        self, client_for, educator, offered, trust, learner
    ):
        client = client_for(educator)
        data = enrol_post(offered, [learner], educator=educator)
        client.get(URL)
        TrustFramework.objects.filter(trust=trust).delete()
        html = read(client.post(URL, data))
        assert "Choose a framework your Trust offers" in html
        assert not Enrolment.objects.exists()
