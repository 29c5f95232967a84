"""However busy, a session lasts at most STEPWISE_SESSION_MAX_HOURS (12, a long shift) from
signing in (ASVS 5.0 V7.3.2, V7.1.1); then the person signs in again, told why, and comes back
to the page they asked for. The 30-minute inactivity timeout still ends idle sessions sooner."""

from django.urls import reverse

from stepwise.accounts.tests.factories import TEST_PASSWORD
from stepwise.core.tests.throttling import clock, fresh_counts

__all__ = ["clock", "fresh_counts"]

HOME = reverse("progress:mine")
SIGN_IN = reverse("accounts:sign_in")
MESSAGE = "You have been signed in for 12 hours, the longest a session lasts. Sign in again"


def signed_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith(SIGN_IN)


def busy(client, clock, minutes: int) -> list[int]:
    """A request at least every 25 minutes for `minutes`, so inactivity never signs them out:
    the status of each."""
    statuses = []
    while minutes > 0:
        step = min(25, minutes)
        clock.advance(step * 60)
        minutes -= step
        statuses.append(client.get(HOME).status_code)
    return statuses


def sign_in(client, learner):
    assert (
        client.post(SIGN_IN, {"email": learner.email, "password": TEST_PASSWORD}).status_code == 302
    )


def test_a_busy_session_ends_twelve_hours_after_signing_in(client, learner, clock, settings):
    assert settings.STEPWISE_SESSION_MAX_HOURS == 12
    sign_in(client, learner)
    assert set(busy(client, clock, 12 * 60 - 1)) == {200}
    clock.advance(60)
    response = client.get(HOME)
    assert signed_out(response)
    assert response.url == f"{SIGN_IN}?next={HOME}"
    page = client.get(response.url)
    assert MESSAGE in page.content.decode()
    # Signed out for good: the next request is refused too.
    assert signed_out(client.get(HOME))
    # Signing in again starts a new twelve hours.
    sign_in(client, learner)
    assert set(busy(client, clock, 60)) == {200}


def test_the_limit_is_a_setting(client, learner, clock, settings):
    settings.STEPWISE_SESSION_MAX_HOURS = 1
    sign_in(client, learner)
    assert set(busy(client, clock, 59)) == {200}
    clock.advance(60)
    assert signed_out(client.get(HOME))


def test_changing_the_password_does_not_restart_the_clock(client, learner, clock):
    sign_in(client, learner)
    busy(client, clock, 6 * 60)
    new = "ward-7-night-shift-kettle"
    client.post(
        reverse("accounts:change_password"),
        {"current_password": TEST_PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert set(busy(client, clock, 6 * 60 - 1)) == {200}
    clock.advance(60)
    assert signed_out(client.get(HOME))


def test_the_end_of_a_session_is_in_the_security_log(
    client, learner, clock, settings, security_events
):
    settings.STEPWISE_SESSION_MAX_HOURS = 1
    sign_in(client, learner)
    busy(client, clock, 60)
    [event] = security_events("session_expired")
    assert (event["user_id"], event["outcome"], event["hours"]) == (learner.pk, "refused", 1)
