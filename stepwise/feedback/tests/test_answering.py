"""Answering a form: once, only the version published, only if it was sent to you, and bad
input answered with the NHS error summary."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.feedback.building import question_add, version_draft_next, version_publish
from stepwise.feedback.models import Answer, FormEvent, Invitation, Respondent, Response
from stepwise.feedback.queries import has_answered, published_version
from stepwise.feedback.services import Given, answer, ask
from stepwise.feedback.tests.factories import asked_form, full_answers, published_form
from stepwise.notifications.models import Notification


def url(form):
    return reverse("feedback:answer", args=[form.slug])


def page(response) -> str:
    return unescape(response.content.decode())


class TestAsking:
    def test_asking_tells_the_person_in_the_app_and_by_email(
        self, learner, django_capture_on_commit_callbacks
    ):
        form = published_form()
        with django_capture_on_commit_callbacks(execute=True):
            invitation = ask(learner, form)
        assert invitation.person == learner
        notice = Notification.objects.get(person=learner)
        assert notice.url == url(form)
        assert "Pilot check-in" in notice.text
        [email] = mail.outbox
        assert email.to == [learner.email]
        assert email.subject == "Please answer “Pilot check-in”"
        assert "http://testserver" + url(form) in email.body

    def test_asking_twice_or_after_answering_does_nothing(self, learner):
        form = asked_form(learner)
        assert ask(learner, form) is None
        assert Invitation.objects.filter(person=learner).count() == 1

    def test_a_draft_form_is_not_sent(self, learner):
        form = published_form()
        version_draft_next(form=form, by=None)
        form.versions.filter(state="published").update(state="replaced")
        assert ask(learner, form) is None


class TestAnsweringPage:
    def test_a_form_not_sent_to_you_is_not_found(self, client_for, learner):
        form = published_form()
        assert client_for(learner).get(url(form)).status_code == 404
        assert client_for(learner).post(url(form), full_answers(form)).status_code == 404
        assert not Response.objects.exists()

    def test_an_unknown_form_is_not_found(self, client_for, learner):
        assert client_for(learner).get("/feedback/no-such-form/").status_code == 404

    def test_the_person_answers_and_is_thanked(self, client_for, learner, trust):
        form = asked_form(learner)
        client = client_for(learner)
        assert "Stepwise is easy to use" in page(client.get(url(form)))
        response = client.post(url(form), full_answers(form))
        assert response.status_code == 302
        assert response.url == reverse("feedback:answered", args=[form.slug])
        stored = Response.objects.get()
        assert (stored.person, stored.trust, stored.role) == (learner, trust, "learner")
        answers = {a.question.kind: a for a in Answer.objects.select_related("question")}
        assert answers["likert"].number == 4
        assert answers["single"].number == 0
        assert answers["rating"].number == 9
        assert answers["multiple"].numbers == [0, 2]
        assert answers["long_text"].text == "Works well on nights."
        assert has_answered(learner, form)
        assert FormEvent.objects.filter(form=form, kind="answered", actor=learner).exists()
        again = client.get(url(form))
        assert "You have already answered" in page(again)

    def test_missing_required_answers_are_listed_in_the_error_summary(self, client_for, learner):
        form = asked_form(learner)
        response = client_for(learner).post(url(form), {})
        assert response.status_code == 200
        text = page(response)
        assert "There is a problem" in text
        assert "Question 1: select an answer" in text
        assert "Question 2: select an answer" in text
        assert "Question 3: select an answer" in text
        assert "Question 4" not in text.split("There is a problem")[1].split("</ul>")[0]
        assert not Response.objects.exists()

    @pytest.mark.parametrize(
        "changes",
        [{"likert": "6"}, {"likert": "0"}, {"rating": "11"}, {"rating": "-1"}, {"single": "3"},
         {"rating": "ten"}],
    )  # fmt: skip
    def test_values_out_of_range_are_refused(self, client_for, learner, changes):
        form = asked_form(learner)
        response = client_for(learner).post(url(form), full_answers(form, **changes))
        assert response.status_code == 200
        assert "select one of the answers shown" in page(response)
        assert not Response.objects.exists()

    def test_a_multiple_choice_outside_the_list_is_refused(self, client_for, learner):
        form = asked_form(learner)
        data = full_answers(form)
        multiple = [key for key, value in data.items() if isinstance(value, list)][0]
        data[multiple] = ["0", "7"]
        response = client_for(learner).post(url(form), data)
        assert "Question 4: select one of the answers shown" in page(response)
        assert not Response.objects.exists()

    def test_too_long_text_is_refused(self, client_for, learner):
        form = asked_form(learner)
        data = full_answers(form)
        short = list(data)[4]
        data[short] = "x" * 201
        response = client_for(learner).post(url(form), data)
        assert "Question 5: answer in 200 characters or fewer" in page(response)

    def test_answers_to_questions_not_on_the_form_are_refused(self, client_for, learner):
        form = asked_form(learner)
        other = published_form(title="Another form")
        other_question = published_version(other).questions.first()
        data = full_answers(form)
        data[f"q{other_question.pk}"] = "1"
        response = client_for(learner).post(url(form), data)
        assert response.status_code == 200
        assert "questions that are not on this form" in page(response)
        data.pop(f"q{other_question.pk}")
        data["q99999999"] = "1"
        assert "questions that are not on this form" in page(
            client_for(learner).post(url(form), data)
        )
        assert not Response.objects.exists()

    def test_answering_a_version_replaced_meanwhile_saves_nothing(self, learner):
        form = asked_form(learner)
        old = published_version(form)
        version_publish(version=version_draft_next(form=form, by=None), by=None)
        with pytest.raises(ConflictError):
            answer(person=learner, version=old, given={})
        assert not Respondent.objects.exists()


class TestOnce:
    def test_answering_twice_is_refused_and_stores_one_response(self, learner):
        form = asked_form(learner)
        version = published_version(form)
        given = {version.questions.first().pk: Given(number=3)}
        answer(person=learner, version=version, given=given)
        with pytest.raises(ConflictError, match="already answered"):
            answer(person=learner, version=version, given=given)
        assert Response.objects.count() == 1

    def test_a_second_post_says_it_was_answered(self, client_for, learner):
        form = asked_form(learner)
        client = client_for(learner)
        client.post(url(form), full_answers(form))
        response = client.post(url(form), full_answers(form), follow=True)
        assert "You have already answered" in page(response)
        assert Response.objects.count() == 1


class TestAnonymous:
    def test_an_anonymous_response_keeps_no_link_to_the_person(self, client_for, learner):
        form = asked_form(learner, anonymous=True)
        client_for(learner).post(url(form), full_answers(form))
        stored = Response.objects.get()
        assert stored.person is None and stored.entered_by is None
        assert not FormEvent.objects.filter(form=form, kind="answered").exists()
        # Only that they answered, with no time and no response.
        respondent = Respondent.objects.get()
        assert respondent.person == learner
        assert {field.name for field in Respondent._meta.get_fields()} == {
            "id",
            "form",
            "person",
        }
        assert has_answered(learner, form)

    def test_still_only_one_answer_each(self, learner):
        form = asked_form(learner, anonymous=True)
        version = published_version(form)
        answer(person=learner, version=version, given={})
        with pytest.raises(ConflictError):
            answer(person=learner, version=version, given={})
        assert Response.objects.count() == 1


def test_the_answering_page_costs_the_same_queries_however_many_questions(
    client_for, learner, django_assert_max_num_queries
):
    small = asked_form(learner, title="Small")
    client = client_for(learner)
    with django_assert_max_num_queries(30) as few:
        client.get(url(small))
    big = published_form(title="Big")
    draft = version_draft_next(form=big, by=None)
    for number in range(20):
        question_add(version=draft, by=None, kind="short_text", text=f"Extra {number}")
    version_publish(version=draft, by=None)
    ask(learner, big)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(big))


def test_the_teams_list_costs_the_same_queries_however_many_forms(
    client_for, platform_admin, django_assert_max_num_queries
):
    client = client_for(platform_admin)
    published_form(title="One")
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("feedback:team"))
    for number in range(10):
        published_form(title=f"Form {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("feedback:team"))
