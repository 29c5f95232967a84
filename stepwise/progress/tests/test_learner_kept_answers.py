"""A form sent after the session ended keeps what was typed: the learner signs in again and
finds their answers on the page, to check and save. Nothing is saved without them."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.tests.factories import TEST_PASSWORD
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Action, ConfirmationRequest, RecordEvent
from stepwise.progress.services import enrolment_create
from stepwise.progress.views import kept_answers

from .learner_support import achieve, read, records, reject


def answers_url(enrolment) -> str:
    return reverse("progress:answers", args=[enrolment.pk])


def sign_in_url(next_page: str) -> str:
    return f"{reverse('accounts:sign_in')}?next={quote(next_page)}"


def token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def checked(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="answer-(\d+)" type="radio" value="(\w+)"\s*checked', html))


@pytest.fixture
def browser(learner):
    """The learner's tablet: signed in, with CSRF checked as a real browser's would be."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner, backend="stepwise.accounts.backends.EmailBackend")
    return client


def session_ends(client) -> None:
    """The session times out on the server, as after half an hour away; the browser keeps
    its cookies and the page it had open."""
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )


def sign_in_again(client, person, next_page):
    html = read(client.get(sign_in_url(next_page)))
    return client.post(
        sign_in_url(next_page),
        {"email": person.email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token(html)},
    )


def test_answers_sent_after_the_session_ended_come_back_after_signing_in(
    browser, learner, enrolment
):
    first, second, *_ = records(enrolment)
    page = answers_url(enrolment)
    form_token = token(read(browser.get(page)))
    session_ends(browser)

    response = browser.post(
        page,
        {
            "csrfmiddlewaretoken": form_token,
            f"answer-{first.pk}": "achieved",
            f"reflection-{first.pk}": "Set up the ventilator circuit with Sam",
            f"answer-{second.pk}": "ongoing",
        },
    )

    # Not saved, not lost: off to sign in, told why.
    assert response.status_code == 302 and response.url == sign_in_url(page)
    assert not RecordEvent.objects.exists()
    assert "your answers have not been saved yet" in read(browser.get(response.url))

    response = sign_in_again(browser, learner, page)
    assert response.url == page
    html = read(browser.get(page))

    assert "We kept the answers you sent when you were signed out" in html
    assert checked(html) == {str(first.pk): "achieved", str(second.pk): "ongoing"}
    assert "Set up the ventilator circuit with Sam" in html
    assert not RecordEvent.objects.exists()
    # Shown once: the next visit shows what is saved.
    html = read(browser.get(page))
    assert "We kept the answers" not in html and checked(html) == {}


def test_a_request_for_confirmation_is_kept_too(browser, learner, assessor, enrolment):
    first, second, *_ = records(enrolment)
    achieve(enrolment, [first, second])
    page = reverse("progress:request_confirmation", args=[enrolment.pk])
    form_token = token(read(browser.get(page)))
    session_ends(browser)

    browser.post(
        page,
        {"csrfmiddlewaretoken": form_token, "records": [second.pk], "send_to": "unit"},
    )
    sign_in_again(browser, learner, page)
    html = read(browser.get(page))

    assert "We kept the answers" in html
    ticked = set(re.findall(r'name="records" type="checkbox" value="(\d+)" checked', html))
    assert ticked == {str(second.pk)}
    assert '<option value="unit" selected' in html
    assert not ConfirmationRequest.objects.exists()


def test_action_plans_are_kept_too(browser, learner, assessor, enrolment):
    record = reject(enrolment, records(enrolment)[0], assessor).record
    action = Action.objects.get(plan__record=record)
    page = reverse("progress:action_plans", args=[enrolment.pk])
    form_token = token(read(browser.get(page)))
    session_ends(browser)

    browser.post(
        page,
        {"csrfmiddlewaretoken": form_token, "done": [action.pk], f"answer-{record.pk}": "achieved"},
    )
    sign_in_again(browser, learner, page)
    html = read(browser.get(page))

    assert checked(html) == {str(record.pk): "achieved"}
    assert re.search(rf'name="done" type="checkbox" value="{action.pk}"[^>]*checked', html)
    action.refresh_from_db()
    assert action.done_at is None


def test_someone_else_signing_in_on_the_same_tablet_never_sees_them(
    browser, learner, trust, educator, offered, enrolment
):
    first = records(enrolment)[0]
    page = answers_url(enrolment)
    form_token = token(read(browser.get(page)))
    session_ends(browser)
    browser.post(page, {"csrfmiddlewaretoken": form_token, f"answer-{first.pk}": "achieved"})

    colleague = MembershipFactory(trust=trust, is_learner=True).person
    theirs = enrolment_create(
        learner=colleague, version=offered, trust=trust, educator=educator, by=educator
    )
    sign_in_again(browser, colleague, page)

    assert browser.get(page).status_code == 404
    html = read(browser.get(answers_url(theirs)))
    assert "We kept the answers" not in html and checked(html) == {}


def test_too_much_to_keep_is_not_kept(client, enrolment, monkeypatch):
    monkeypatch.setattr(kept_answers, "MOST_KEPT_CHARACTERS", 50)
    first = records(enrolment)[0]
    response = client.post(
        answers_url(enrolment), {f"reflection-{first.pk}": "A long reflection " * 10}
    )
    assert response.status_code == 302
    assert kept_answers.SESSION_KEY not in client.session
