"""Changes to how someone signs in need a password typed in the last ten minutes (ASVS 5.0
V7.5.1): new recovery codes, replacing the authenticator app, unlinking single sign-on. A
session left signed in on a ward tablet cannot make them without the password."""

import time
from urllib.parse import quote

import pytest
from django.urls import reverse

from stepwise.accounts import confirm_first, mfa
from stepwise.accounts.models import RecoveryCode
from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import TEST_PASSWORD

CONFIRM = reverse("accounts:confirm_password")
MANAGE = reverse("accounts:mfa_manage")
SET_UP = reverse("accounts:mfa_set_up")
NEW_CODES = reverse("accounts:mfa_recovery_codes_new")
CODES = reverse("accounts:mfa_recovery_codes")


def an_hour_later(client):
    """The session as it is an hour after the password was last typed."""
    session = client.session
    session[confirm_first.CONFIRMED_AT] = int(time.time()) - 3600
    session.save()


@pytest.fixture
def staff(client, assessor):
    two_step.sign_in(client, assessor)
    mfa.recovery_codes_renew(person=assessor)
    return client


def tokens(person):
    return set(
        RecoveryCode.objects.filter(device__user=person).values_list("secret_hash", flat=True)
    )


def test_just_after_signing_in_nothing_more_is_asked(staff):
    assert staff.post(NEW_CODES).url == CODES


def test_an_hour_later_new_recovery_codes_need_the_password_first(staff, assessor):
    before = tokens(assessor)
    an_hour_later(staff)
    response = staff.post(NEW_CODES)
    assert response.url == f"{CONFIRM}?next={quote(MANAGE, safe='')}"
    assert tokens(assessor) == before  # nothing made

    page = staff.get(response.url).content.decode()
    assert "Confirm it’s you" in page and 'autocomplete="current-password"' in page
    response = staff.post(CONFIRM, {"current_password": TEST_PASSWORD, "next": MANAGE})
    assert response.url == MANAGE
    assert staff.post(NEW_CODES).url == CODES
    assert tokens(assessor) != before


def test_a_wrong_password_is_in_the_error_summary_and_confirms_nothing(staff):
    an_hour_later(staff)
    page = staff.post(CONFIRM, {"current_password": "not-it", "next": MANAGE}).content.decode()
    assert "nhsuk-error-summary" in page and "Your password is not correct" in page
    assert staff.post(NEW_CODES).url.startswith(CONFIRM)
    empty = staff.post(CONFIRM, {"next": MANAGE}).content.decode()
    assert "Enter your password" in empty


def test_wrong_passwords_are_limited_like_signing_in(staff, settings):
    settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT = 3
    an_hour_later(staff)
    for _ in range(3):
        staff.post(CONFIRM, {"current_password": "not-it"})
    page = staff.post(CONFIRM, {"current_password": TEST_PASSWORD}).content.decode()
    assert "Too many attempts" in page
    assert staff.post(NEW_CODES).url.startswith(CONFIRM)


def test_replacing_the_app_asks_for_the_password_and_comes_back_to_the_page(staff):
    an_hour_later(staff)
    response = staff.get(SET_UP)
    assert response.url == f"{CONFIRM}?next={quote(SET_UP, safe='')}"
    staff.post(CONFIRM, {"current_password": TEST_PASSWORD, "next": SET_UP})
    assert staff.get(SET_UP).status_code == 200


def test_setting_up_a_first_app_is_not_held_back(client, learner):
    two_step.sign_in(client, learner)
    an_hour_later(client)
    assert client.get(SET_UP).status_code == 200


def test_next_never_leaves_the_site(staff):
    an_hour_later(staff)
    response = staff.post(
        CONFIRM, {"current_password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("core:home")


def test_someone_without_a_password_is_told_to_sign_in_again(client, learner):
    learner.set_unusable_password()
    learner.save()
    client.force_login(learner, backend=two_step.BACKEND)
    page = client.get(CONFIRM).content.decode()
    assert "sign in\nagain" in page or "sign in again" in page
    assert 'name="current_password"' not in page
