"""The service team builds a form: questions only change in a draft, publishing freezes a
version, and changing a published form drafts the next one."""

from html import unescape

import pytest
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.feedback.building import (
    builtins_install,
    form_change_settings,
    form_create,
    question_add,
    version_draft_next,
    version_publish,
)
from stepwise.feedback.builtin import PAPER_SLUG, SUS_ITEMS, SUS_SLUG
from stepwise.feedback.models import Form, FormEvent, FormVersion, Question
from stepwise.feedback.queries import draft_version, published_version
from stepwise.feedback.services import Given, answer, ask
from stepwise.feedback.tests.factories import published_form

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return unescape(response.content.decode())


class TestVersions:
    def test_a_published_version_cannot_change(self):
        form = published_form()
        with pytest.raises(ConflictError, match="Make a new version"):
            question_add(version=published_version(form), by=None, kind="short_text", text="Late")

    def test_a_new_version_copies_the_questions_and_replaces_on_publishing(self, learner):
        form = published_form()
        first = published_version(form)
        ask(learner, form)
        answer(person=learner, version=first, given={first.questions.first().pk: Given(number=2)})
        draft = version_draft_next(form=form, by=None)
        assert draft.number == 2
        assert [q.text for q in draft.questions.order_by("position")] == [
            q.text for q in first.questions.order_by("position")
        ]
        question_add(version=draft, by=None, kind="short_text", text="Your unit")
        version_publish(version=draft, by=None)
        first.refresh_from_db()
        assert first.state == FormVersion.State.REPLACED
        assert published_version(form) == draft
        # The answered version still has its own 6 questions and its answer.
        assert first.questions.count() == 6 and first.responses.count() == 1
        assert draft.questions.count() == 7

    def test_only_one_draft_at_a_time(self):
        form = published_form()
        version_draft_next(form=form, by=None)
        with pytest.raises(ConflictError, match="already has a draft"):
            version_draft_next(form=form, by=None)

    def test_an_empty_draft_cannot_be_published(self, platform_admin):
        form = form_create(by=platform_admin, title="Empty", anonymous=False)
        with pytest.raises(ConflictError, match="at least one question"):
            version_publish(version=draft_version(form), by=platform_admin)

    def test_anonymity_is_fixed_once_answered(self, learner):
        form = published_form()
        ask(learner, form)
        answer(person=learner, version=published_version(form), given={})
        with pytest.raises(ConflictError):
            form_change_settings(form=form, by=None, anonymous=True)

    def test_the_built_in_forms_install_once(self):
        builtins_install()
        builtins_install()
        sus = Form.objects.get(slug=SUS_SLUG)
        assert sus.anonymous and sus.kind == Form.Kind.SUS
        questions = list(published_version(sus).questions.order_by("position"))
        assert [q.text for q in questions] == SUS_ITEMS
        assert [q.key for q in questions] == [f"sus{n}" for n in range(1, 11)]
        assert all(q.kind == "likert" and q.required for q in questions)
        assert Form.objects.filter(slug=PAPER_SLUG).exists()
        assert Form.objects.count() == 3


class TestBuilderPages:
    def test_only_the_service_team_builds_forms(self, client_for, trust_admin, learner):
        for person in (trust_admin, learner):
            assert client_for(person).get(reverse("feedback:team")).status_code == 403

    def test_the_team_builds_orders_and_publishes_a_form(self, client_for, platform_admin):
        client = client_for(platform_admin)
        response = client.post(reverse("feedback:team_new"), {"title": "Night shifts"})
        form = Form.objects.get(title="Night shifts")
        assert response.url == reverse("feedback:team_form", args=[form.pk])
        add = reverse("feedback:team_question_new", args=[form.pk])
        client.post(add, {"kind": "likert", "text": "Nights are calm", "required": "on"})
        client.post(add, {"kind": "single", "text": "Which shift?", "choices": "Day\nNight\n\n"})
        first, second = Question.objects.order_by("position")
        assert first.choices[0] == "Strongly disagree" and len(first.choices) == 5
        assert second.choices == ["Day", "Night"] and not second.required
        client.post(reverse("feedback:team_question_action", args=[form.pk, second.pk, "up"]))
        assert [q.text for q in Question.objects.order_by("position")] == [
            "Which shift?",
            "Nights are calm",
        ]
        client.post(
            reverse("feedback:team_question", args=[form.pk, first.pk]),
            {"kind": "likert", "text": "Nights are quiet", "required": "on"},
        )
        assert Question.objects.get(pk=first.pk).text == "Nights are quiet"
        client.post(reverse("feedback:team_publish", args=[form.pk]))
        assert published_version(form).number == 1
        html = page(client.get(reverse("feedback:team_form", args=[form.pk])))
        assert "Make a new version" in html and "Publish version" not in html
        assert FormEvent.objects.filter(form=form, kind="published").exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"kind": "single", "text": "Shift?", "choices": "Day"},
             "Enter at least 2 answers to choose from"),
            ({"kind": "likert", "text": "Calm", "choices": "a\nb\nc"},
             "Enter exactly 5 labels for an agreement scale"),
            ({"kind": "nonsense", "text": "Calm"}, "Select a valid choice"),
            ({"kind": "rating", "text": ""}, "Enter the question"),
        ],
    )  # fmt: skip
    def test_bad_questions_are_explained(self, client_for, platform_admin, data, message):
        client = client_for(platform_admin)
        client.post(reverse("feedback:team_new"), {"title": "Night shifts"})
        form = Form.objects.get()
        response = client.post(reverse("feedback:team_question_new", args=[form.pk]), data)
        assert response.status_code == 200
        assert "There is a problem" in page(response) and message in page(response)
        assert not Question.objects.exists()

    def test_settings_need_a_date_when_the_team_asks_on_one(self, client_for, platform_admin):
        client = client_for(platform_admin)
        client.post(reverse("feedback:team_new"), {"title": "Night shifts"})
        form = Form.objects.get()
        url = reverse("feedback:team_settings", args=[form.pk])
        response = client.post(url, {"title": "Night shifts", "trigger": "on_date"})
        assert "Enter the date to ask people" in page(response)
        response = client.post(
            url,
            {
                "title": "Night shifts",
                "trigger": "on_date",
                "send_on_day": "5",
                "send_on_month": "1",
                "send_on_year": "2027",
                "roles": ["learner", "assessor"],
            },
        )
        assert response.status_code == 302
        form.refresh_from_db()
        assert form.roles == ["learner", "assessor"] and str(form.send_on) == "2027-01-05"

    def test_a_question_of_a_published_version_cannot_be_reached(self, client_for, platform_admin):
        form = published_form()
        question = published_version(form).questions.first()
        client = client_for(platform_admin)
        assert (
            client.get(reverse("feedback:team_question", args=[form.pk, question.pk])).status_code
            == 404
        )
        response = client.post(
            reverse("feedback:team_question_action", args=[form.pk, question.pk, "remove"])
        )
        assert response.status_code == 404
        assert Question.objects.filter(pk=question.pk).exists()


# Found by the fuzzer (tests/fuzz): an OverflowError on SQLite; "²" passes str.isdigit() but
# int() cannot read it, and int() refuses more than 4,300 digits (ValueErrors, so 500s).
@pytest.mark.parametrize("trust_id", ["9" * 30, "²", "-²", "9" * 5000])
def test_a_trust_id_too_big_for_the_database_is_a_message_not_a_500(
    client_for, platform_admin, trust_id
):
    form = published_form(by=platform_admin)
    response = client_for(platform_admin).post(
        reverse("feedback:team_settings", args=[form.pk]),
        {"title": "Pilot check-in", "trigger": "sign_off", "trusts": trust_id},
    )
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
