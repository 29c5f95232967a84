"""Password rules (OWASP ASVS): at least 12 characters, and a new password must differ from the
one it replaces, whether changed while signed in or through a reset link."""

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
