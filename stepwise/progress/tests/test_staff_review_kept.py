"""Decisions sent after the session ended are kept: the assessor signs in again and finds
them on the review page to check and save; nothing is saved without them, and nobody else
signing in on the same tablet sees them."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import TEST_PASSWORD
from stepwise.progress.models import Decision

from .staff_helpers import PIN, ask, read, records, reject


@pytest.fixture
def waiting(enrolment, assessor):
    return ask(enrolment, records(enrolment)[:3], assessor=assessor)


def tablet(person) -> Client:
    """A signed-in browser, with CSRF checked as a real one's would be."""
    client = Client(enforce_csrf_checks=True)
    return two_step.sign_in(client, person)


def token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def session_ends(client) -> None:
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )


def sign_in(client, person, next_page):
    url = f"{reverse('accounts:sign_in')}?next={quote(next_page)}"
    html = read(client.get(url))
    data = {"email": person.email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token(html)}
    response = client.post(url, data)
    if response.status_code == 302 and response.url.startswith(two_step.VERIFY):
        # Staff give their app's code next; the kept answers wait through that step too.
        verify = response.url
        html = read(client.get(verify))
        code = two_step.code_for(two_step.app_for(person))
        response = client.post(verify, {"code": code, "csrfmiddlewaretoken": token(html)})
    return response


def send_after_the_session_ended(client, waiting, enrolment, reviewer):
    page = reverse("progress:review", args=[waiting.pk])
    html = read(client.get(page))
    session_ends(client)
    first, second, _third = records(enrolment)[:3]
    response = client.post(
        page,
        {
            "csrfmiddlewaretoken": token(html),
            "shown": re.search(r'name="shown" value="([^"]+)"', html).group(1),
            "reviewer": str(reviewer.pk),
            **PIN,
            f"outcome_{first.pk}": "confirmed",
            **reject(second, ("Practise with a mentor", "4w")),
            "confirm_rest": "1",
        },
    )
    assert response.status_code == 302 and reverse("accounts:sign_in") in response.url
    assert not Decision.objects.exists()
    return page


def test_decisions_sent_after_the_session_ended_come_back_after_signing_in(
    waiting, enrolment, assessor
):
    client = tablet(assessor)
    page = send_after_the_session_ended(client, waiting, enrolment, assessor)

    sign_in(client, assessor, page)
    html = read(client.get(page))

    first, second, third = records(enrolment)[:3]
    assert "We kept the answers you sent when you were signed out" in html
    assert f'name="outcome_{first.pk}" type="radio" value="confirmed" checked' in html
    assert f'name="outcome_{second.pk}" type="radio" value="rejected" checked' in html
    # "Confirm everything else and save" was pressed: the rest come back set to Confirm.
    assert f'name="outcome_{third.pk}" type="radio" value="confirmed" checked' in html
    assert ">Practise with a mentor</textarea>" in html
    assert "There is a problem" not in html
    assert not Decision.objects.exists()
    # Shown once: the next visit starts afresh.
    assert "We kept the answers" not in read(client.get(page))


def test_someone_else_signing_in_on_the_same_tablet_finds_nothing_kept(
    waiting, enrolment, assessor, educator
):
    client = tablet(assessor)
    page = send_after_the_session_ended(client, waiting, enrolment, assessor)

    sign_in(client, educator, page)
    html = read(client.get(page))

    assert "We kept the answers" not in html
    assert "Practise with a mentor" not in html
    assert " checked" not in html
    assert not Decision.objects.exists()
