"""The security event log (ASVS 5.0 V16.1.1, V16.2.1, V16.2.2, V16.3.1 to V16.3.4): sign-in,
sign-out, throttling, CSRF failures, refusals, password changes, memberships ended and server
errors each write one JSON line with when (UTC), what, who, from where, which page and how it
ended, and never a password, token or session key."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from stepwise.accounts.tests.factories import TEST_PASSWORD, reset_link
from stepwise.core.tests.throttling import clock, fresh_counts, production_cache
from stepwise.organisations.models import Membership

__all__ = ["clock", "fresh_counts", "production_cache"]

SIGN_IN = reverse("accounts:sign_in")
WRONG = "not-my-password-at-all"


def sign_in(client, email, password, address="192.0.2.10"):
    return client.post(SIGN_IN, {"email": email, "password": password}, REMOTE_ADDR=address)


def test_signing_in_writes_who_from_where_when_and_that_it_worked(client, learner, security_events):
    before = datetime.now(UTC)
    assert sign_in(client, learner.email, TEST_PASSWORD).status_code == 302
    [event] = security_events("sign_in")
    assert event["outcome"] == "success"
    assert event["user_id"] == learner.pk
    assert event["client"] == "192.0.2.10"
    assert (event["method"], event["path"], event["view"]) == ("POST", SIGN_IN, "accounts:sign_in")
    stamp = datetime.fromisoformat(event["timestamp"])
    assert stamp.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= stamp <= datetime.now(UTC)


def test_a_failed_sign_in_names_the_account_but_never_the_password(
    client, learner, security_events
):
    sign_in(client, learner.email, WRONG)
    sign_in(client, "nobody@example.org", WRONG)
    known, unknown = security_events("sign_in")
    assert (known["outcome"], known["user_id"], known["account_known"]) == (
        "failure",
        learner.pk,
        True,
    )
    assert (unknown["outcome"], unknown["user_id"], unknown["account_known"]) == (
        "failure",
        None,
        False,
    )
    written = "\n".join(security_events.lines())
    assert WRONG not in written and "nobody@example.org" not in written


def test_an_unconfirmed_address_is_a_failed_sign_in(client, learner, security_events):
    type(learner).objects.filter(pk=learner.pk).update(email_verified_at=None)
    sign_in(client, learner.email, TEST_PASSWORD)
    [event] = security_events("sign_in")
    assert (event["outcome"], event["user_id"]) == ("failure", learner.pk)
    assert event["reason"] == "email address not confirmed"


def test_signing_out_is_written(client_for, learner, security_events):
    client_for(learner).post(reverse("accounts:sign_out"))
    [event] = security_events("sign_out")
    assert (event["outcome"], event["user_id"]) == ("success", learner.pk)


@pytest.mark.usefixtures("production_cache")
def test_throttled_sign_ins_password_resets_and_registrations_are_written(
    learner, trust, settings, clock, security_events
):
    settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT = 1
    settings.STEPWISE_PASSWORD_RESET_LIMIT_PER_ACCOUNT = 1
    settings.STEPWISE_REGISTRATION_LIMIT_PER_ADDRESS = 1
    for _ in range(2):
        sign_in(Client(), learner.email, WRONG)
        Client().post(reverse("accounts:password_reset"), {"email": learner.email})
        Client().post(
            reverse("organisations:register", args=[trust.registration_code]),
            {
                "full_name": "Iris Novak",
                "email": "iris@example.org",
                "new_password": "a-long-new-password-42",
                "confirm_password": "a-long-new-password-42",
            },
        )
    throttled = security_events("throttled")
    assert [event["attempt"] for event in throttled] == [
        "sign_in",
        "password_reset",
        "registration",
    ]
    assert {event["outcome"] for event in throttled} == {"refused"}
    assert all(event["retry_after"] > 0 and event["client"] for event in throttled)
    # The registration link's code is a secret: hidden in the path.
    assert trust.registration_code not in "\n".join(security_events.lines())
    assert throttled[2]["path"] == "/join/[hidden]/"


def test_a_csrf_failure_is_written_once_with_its_reason(learner, security_events):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(SIGN_IN, {"email": learner.email, "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert [event["event"] for event in security_events()] == ["csrf_failure"]
    [event] = security_events("csrf_failure")
    assert event["outcome"] == "refused" and "CSRF" in event["reason"]


def test_a_page_for_another_role_is_a_refusal_with_who_and_where(
    client_for, learner, security_events
):
    assert client_for(learner).get(reverse("organisations:people")).status_code == 403
    [event] = security_events("permission_denied")
    assert (event["user_id"], event["view"]) == (learner.pk, "organisations:people")


def test_another_trusts_id_is_written_but_an_address_no_page_has_is_not(
    client_for, trust_admin, other_learner, security_events
):
    membership = Membership.objects.get(person=other_learner)
    client = client_for(trust_admin)
    path = reverse("organisations:person_detail", args=[membership.pk])
    assert client.get(path).status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    [event] = security_events("not_found")
    assert (event["user_id"], event["path"]) == (trust_admin.pk, path)


def test_changing_and_resetting_a_password_are_written_without_the_link(
    client, client_for, learner, security_events
):
    new = "ward-7-night-shift-kettle"
    client_for(learner).post(
        reverse("accounts:change_password"),
        {"current_password": TEST_PASSWORD, "new_password": new, "confirm_password": new},
    )
    Client().post(reverse("accounts:sign_out"))
    path = reset_link(Client(), learner)
    newer = "ward-8-day-shift-teapot"
    Client().post(path, {"new_password": newer, "confirm_password": newer})
    [changed] = security_events("password_changed")
    [reset] = security_events("password_reset")
    assert (changed["user_id"], reset["user_id"]) == (learner.pk, learner.pk)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    written = "\n".join(security_events.lines())
    assert token not in written and new not in written and newer not in written
    assert reset["path"].endswith("/[hidden]/[hidden]/")


def test_ending_a_membership_writes_who_ended_whose(
    client_for, trust_admin, learner, trust, security_events, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(person=learner, trust=trust)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(trust_admin).post(
            reverse("organisations:membership_end", args=[membership.pk]), {"reason": "Left"}
        )
    [ended] = security_events("membership_ended")
    assert (ended["user_id"], ended["subject_id"], ended["trust_id"]) == (
        trust_admin.pk,
        learner.pk,
        trust.pk,
    )
    [signed_out] = security_events("sessions_ended")
    assert signed_out["subject_id"] == learner.pk


def test_a_server_error_is_written_with_its_exception(learner, monkeypatch, security_events):
    def broken(request):
        raise RuntimeError("the notices could not be read")

    monkeypatch.setattr("stepwise.core.views.home_notices", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(learner, backend=settings.AUTHENTICATION_BACKENDS[0])
    assert browser.get("/").status_code == 500
    [event] = security_events("server_error")
    assert (event["level"], event["outcome"], event["user_id"]) == ("ERROR", "error", learner.pk)
    assert "RuntimeError: the notices could not be read" in event["exception"]


def test_no_line_holds_the_session_key(client, learner, security_events):
    sign_in(client, learner.email, TEST_PASSWORD)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get(reverse("organisations:people"))
    client.post(reverse("accounts:sign_out"))
    assert len(security_events()) == 3
    for line in security_events.lines():
        assert session_key not in line
