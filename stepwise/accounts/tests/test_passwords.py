"""Password rules (OWASP ASVS): at least 12 characters, not counting the service's own words
("Stepwise", "NHS", "nurse"...), and a new password must differ from the one it replaces,
whether changed while signed in or through a reset link."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from stepwise.accounts.tests.factories import TEST_PASSWORD, reset_link

# Neither common nor like the person's name: only the length differs.
ELEVEN, TWELVE = "bay-4-bed-x", "bay-4-bed-xy"


def _change(client, new: str):
    return client.post(
        reverse("accounts:change_password"),
        {"current_password": TEST_PASSWORD, "new_password": new, "confirm_password": new},
    )


def test_a_password_needs_at_least_12_characters(client_for, learner):
    assert (len(ELEVEN), len(TWELVE)) == (11, 12)
    client = client_for(learner)
    html = _change(client, ELEVEN).content.decode()
    assert "This password is too short. It must contain at least 12 characters." in html
    learner.refresh_from_db()
    assert learner.check_password(TEST_PASSWORD)

    assert _change(client, TWELVE).url == reverse("core:home")
    learner.refresh_from_db()
    assert learner.check_password(TWELVE)


def test_the_form_says_how_long_a_password_must_be(client_for, learner):
    html = client_for(learner).get(reverse("accounts:change_password")).content.decode()
    assert "At least 12 characters" in html


def test_changing_to_the_current_password_is_refused(client_for, learner):
    html = _change(client_for(learner), TEST_PASSWORD).content.decode()
    assert "Choose a password different from your current one" in html
    assert "There is a problem" in html


def test_a_reset_to_the_current_password_is_refused(client, learner):
    path = reset_link(client, learner)
    data = {"new_password": TEST_PASSWORD, "confirm_password": TEST_PASSWORD}
    html = client.post(path, data).content.decode()
    assert "Choose a password different from your current one" in html
    # The link still works for a different password.
    data = {"new_password": TWELVE, "confirm_password": TWELVE}
    assert client.post(path, data).url == reverse("accounts:sign_in")
    learner.refresh_from_db()
    assert learner.check_password(TWELVE)


@pytest.mark.parametrize(
    "password",
    [
        "Stepwise2026!",
        "stepwise-nhs-nurse",
        "NHS-Critical-Care-1",
        "criticalcare-2026",
        "CC3N proficiency",
        "password-12345",
    ],
)
def test_a_password_long_only_through_the_services_words_is_refused(client_for, learner, password):
    assert len(password) >= 12
    response = _change(client_for(learner), password)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your password is mostly words linked to this service or the NHS" in html
    learner.refresh_from_db()
    assert learner.check_password(TEST_PASSWORD)


@pytest.mark.parametrize(
    "password", ["stepwise-ward-7-kettle", "night-shift-nurse-kettle", TEST_PASSWORD, TWELVE]
)
def test_the_services_words_may_be_part_of_a_long_enough_password(password):
    # Only what is left once the words are out must be 12 characters long.
    validate_password(password)


def test_the_message_says_how_many_more_characters_are_needed():
    with pytest.raises(ValidationError) as refused:
        validate_password("Stepwise-NHS-2026")
    assert refused.value.messages == [
        "Your password is mostly words linked to this service or the NHS, like “Stepwise”, "
        "“NHS” or “nurse”. Add at least 6 more characters that are not those words"
    ]


def test_a_short_password_gets_only_the_length_message():
    with pytest.raises(ValidationError) as refused:
        validate_password("nhs-nurse")
    assert refused.value.messages == [
        "This password is too short. It must contain at least 12 characters."
    ]
