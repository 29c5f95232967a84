"""Where you are signed in (ASVS 5.0 V7.5.2): each sign-in is listed with its device, address
and times while it still lets the person in; one other device can be signed out (after the
password, V7.5.1), at once; nobody else's; sign-out and "all other devices" take theirs off."""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts import confirm_first, signed_in
from stepwise.accounts.models import AccountEvent, SignedInSession
from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import TEST_PASSWORD

LIST = reverse("accounts:signed_in")
HOME = reverse("core:home")
SIGN_IN = reverse("accounts:sign_in")
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1"
)
WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def signed_in_on(person, user_agent, address):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(SIGN_IN, {"email": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def end_url(row):
    return reverse("accounts:signed_in_end", args=[row.pk])


def test_each_device_is_listed_with_this_one_marked(learner):
    ward = signed_in_on(learner, IPAD, "10.0.0.5")
    signed_in_on(learner, WINDOWS, "10.0.0.9")
    page = ward.get(LIST).content.decode()
    assert "Safari on iPad" in page and "Chrome on Windows" in page
    assert "10.0.0.5" in page and "10.0.0.9" in page
    assert (
        page.count("This device") == 1
        and page.count(">Sign out</button>") + page.count("Sign out\n") >= 1
    )
    assert page.index("Safari on iPad") < page.index("Chrome on Windows")  # this device first


@pytest.fixture(params=["db", "cache"])
def session_engine(request, settings):
    """The database's sessions (the default), and the cache's (Redis in production)."""
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"


def test_signing_out_another_device_ends_it_at_once_with_an_event(learner, session_engine):
    ward = signed_in_on(learner, IPAD, "10.0.0.5")
    home = signed_in_on(learner, WINDOWS, "10.0.0.9")
    other = SignedInSession.objects.get(device="Chrome on Windows")
    response = ward.post(end_url(other))
    assert response.url == LIST
    assert "You have signed out of Chrome on Windows" in ward.get(LIST).content.decode()
    assert home.get(reverse("progress:mine")).url.startswith(SIGN_IN)
    other.refresh_from_db()
    assert other.ended_at is not None
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.SIGNED_OUT_ONE_DEVICE)
    assert (event.person, event.actor) == (learner, learner)
    assert "Chrome on Windows" not in ward.get(LIST).content.decode()
    assert ward.post(end_url(other)).status_code == 404  # once only


def test_this_device_and_other_peoples_are_not_found(learner, other_learner):
    ward = signed_in_on(learner, IPAD, "10.0.0.5")
    theirs = signed_in_on(other_learner, WINDOWS, "10.0.0.9")
    mine = SignedInSession.objects.get(person=learner)
    assert ward.post(end_url(mine)).status_code == 404
    other = SignedInSession.objects.get(person=other_learner)
    assert ward.post(end_url(other)).status_code == 404
    assert theirs.get(reverse("progress:mine")).status_code == 200
    assert SignedInSession.objects.filter(ended_at__isnull=False).count() == 0


def test_an_hour_later_signing_a_device_out_needs_the_password(learner):
    ward = signed_in_on(learner, IPAD, "10.0.0.5")
    home = signed_in_on(learner, WINDOWS, "10.0.0.9")
    session = ward.session
    session[confirm_first.CONFIRMED_AT] -= 3600
    session.save()
    other = SignedInSession.objects.get(device="Chrome on Windows")
    assert ward.post(end_url(other)).url.startswith(reverse("accounts:confirm_password"))
    assert home.get(reverse("progress:mine")).status_code == 200


def test_signed_out_and_all_other_devices_are_no_longer_listed(learner, session_engine):
    ward = signed_in_on(learner, IPAD, "10.0.0.5")
    home = signed_in_on(learner, WINDOWS, "10.0.0.9")
    third = signed_in_on(learner, WINDOWS, "10.0.0.10")
    home.post(reverse("accounts:sign_out"))
    assert SignedInSession.objects.get(address="10.0.0.9").ended_at is not None
    assert "10.0.0.10" in ward.get(LIST).content.decode()
    ward.post(reverse("accounts:sign_out_elsewhere"), {"current_password": TEST_PASSWORD})
    page = ward.get(LIST).content.decode()
    assert "10.0.0.10" not in page and "10.0.0.5" in page
    assert third.get(reverse("progress:mine")).url.startswith(SIGN_IN)


def test_a_new_password_keeps_this_device_listed_and_signs_out_the_rest(learner):
    ward = signed_in_on(learner, IPAD, "10.0.0.5")
    signed_in_on(learner, WINDOWS, "10.0.0.9")
    new = "a-much-longer-ward-passphrase"
    response = ward.post(
        reverse("accounts:change_password"),
        {"current_password": TEST_PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 302
    page = ward.get(LIST).content.decode()
    assert "10.0.0.5" in page and "10.0.0.9" not in page
    # The key changed with the password; the row followed it, so it can still be found.
    row = SignedInSession.objects.get(address="10.0.0.5")
    assert row.key_digest == signed_in._digest(ward.session.session_key)


def test_the_key_is_kept_sealed(learner):
    ward = signed_in_on(learner, IPAD, "10.0.0.5")
    row = SignedInSession.objects.get()
    key = ward.session.session_key
    assert key not in row.sealed_key and key not in row.key_digest
    assert signed_in._unseal(row) == key


def test_last_active_is_written_at_most_every_five_minutes(
    learner, django_assert_num_queries, monkeypatch
):
    ward = signed_in_on(learner, IPAD, "10.0.0.5")
    ward.get(reverse("progress:mine"))
    row = SignedInSession.objects.get()
    seen = row.last_seen_at
    ward.get(reverse("progress:mine"))
    row.refresh_from_db()
    assert row.last_seen_at == seen
    later = time.time() + signed_in.SEEN_EVERY_SECONDS + 1
    monkeypatch.setattr(signed_in.time, "time", lambda: later)
    ward.get(reverse("progress:mine"))
    row.refresh_from_db()
    assert row.last_seen_at > seen


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (IPAD, "Safari on iPad"),
        (WINDOWS, "Chrome on Windows"),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        ("Mozilla/5.0 (Windows NT 10.0) Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows"),
        ("curl/8.5", "An unknown browser"),
        ("", "An unknown browser"),
    ],
)
def test_device_names(agent, name):
    assert signed_in.device_name(agent) == name


def test_staff_signed_in_through_both_steps_are_listed(client, assessor):
    two_step.sign_in(client, assessor)
    assert "This device" in client.get(LIST).content.decode()


def test_signing_in_again_in_the_same_session_keeps_one_row(client, learner):
    client.force_login(learner, backend=two_step.BACKEND)
    client.force_login(learner, backend=two_step.BACKEND)
    assert SignedInSession.objects.filter(person=learner).count() == 1
    assert "This device" in client.get(LIST).content.decode()


@pytest.mark.parametrize("devices", [2, 12])
def test_the_page_costs_the_same_however_many_devices(
    learner, devices, django_assert_max_num_queries
):
    ward = signed_in_on(learner, IPAD, "10.0.0.5")
    for n in range(devices - 1):
        signed_in_on(learner, WINDOWS, f"10.0.1.{n}")
    with django_assert_max_num_queries(10):
        page = ward.get(LIST).content.decode()
    assert page.count('<td class="nhsuk-table__cell">Chrome on Windows</td>') == devices - 1


def test_sessions_last_seen_long_ago_are_removed_and_live_ones_kept(
    learner, other_learner, settings
):
    settings.STEPWISE_SIGNED_IN_DAYS = 30
    signed_in_on(learner, IPAD, "10.0.0.1")
    live = signed_in_on(learner, WINDOWS, "10.0.0.2")
    signed_in_on(other_learner, IPAD, "10.0.0.3")
    old, kept, others = SignedInSession.objects.order_by("pk")
    SignedInSession.objects.filter(pk__in=[old.pk, others.pk]).update(
        last_seen_at=timezone.now() - timedelta(days=31)
    )
    out = io.StringIO()
    call_command("expire_signed_in_sessions", stdout=out)
    assert out.getvalue().startswith("Removed 2 signed-in sessions")
    assert list(SignedInSession.objects.values_list("pk", flat=True)) == [kept.pk]
    # The device still signed in is still listed and still works.
    assert live.get(LIST).status_code == 200
    assert [row.pk for row in signed_in.signed_in_where(learner)] == [kept.pk]
