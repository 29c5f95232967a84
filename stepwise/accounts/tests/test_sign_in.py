import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from stepwise.accounts.tests.factories import TEST_PASSWORD, PersonFactory
from stepwise.core import session_lifetime

SIGN_IN = reverse("accounts:sign_in")


def sign_in(client, email, password=TEST_PASSWORD, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password, **extra})


def test_it_signs_in_with_the_email_in_any_case(client, learner):
    response = sign_in(client, learner.email.upper())
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_it_follows_a_safe_next_link_only(client, learner):
    response = sign_in(client, learner.email, next="/accessibility/")
    assert response.url == "/accessibility/"
    client.logout()
    response = sign_in(client, learner.email, next="https://evil.example/steal")
    assert response.url == reverse("core:home")


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(client, learner):
    wrong_password = sign_in(client, learner.email, "not-the-password").content.decode()
    unknown = sign_in(client, "nobody@example.org", "not-the-password").content.decode()
    message = "Enter the email address and password for your account"
    assert message in wrong_password
    assert message in unknown
    assert "<title>Error: Sign in" in wrong_password


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-email", "Enter an email address in the correct format"),
    ],
)
def test_bad_emails_are_explained_in_the_error_summary(client, db, email, message):
    response = sign_in(client, email)
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert message in html


def test_an_unconfirmed_self_registration_cannot_sign_in_yet(client, db):
    person = PersonFactory(email_verified_at=None)
    html = sign_in(client, person.email).content.decode()
    assert "Confirm your email address first" in html


def test_an_invited_person_without_a_password_cannot_sign_in(client, db):
    person = PersonFactory()
    person.set_unusable_password()
    person.save()
    html = sign_in(client, person.email, "").content.decode()
    assert "Enter your password" in html


def test_sign_out_needs_a_post_and_ends_the_session(client_for, learner):
    client = client_for(learner)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"))
    assert response.url == SIGN_IN
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get(reverse("accounts:change_password")).status_code == 302


def test_the_session_expires_after_inactivity(settings, client, learner):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    sign_in(client, learner.email)
    client.get(reverse("core:home"))
    assert client.session.get_expiry_age() <= 30 * 60


def test_activity_renews_the_session_once_a_minute_not_on_every_request(
    client, learner, monkeypatch
):
    sign_in(client, learner.email)
    client.get(reverse("core:home"))
    key = client.session.session_key
    first = Session.objects.get(pk=key).expire_date
    client.get(reverse("core:home"))
    assert Session.objects.get(pk=key).expire_date == first  # not saved again
    later = time.time() + session_lifetime.TOUCH_EVERY_SECONDS
    monkeypatch.setattr(session_lifetime.time, "time", lambda: later)
    client.get(reverse("core:home"))
    assert Session.objects.get(pk=key).expire_date > first
