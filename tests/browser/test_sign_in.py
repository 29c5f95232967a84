"""Signing in and out in a real browser."""

import pytest
from playwright.sync_api import expect

from stepwise.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def mixed_case(email: str) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(email))


def test_a_learner_signs_in_with_their_email_in_any_case_and_signs_out(web, learner, trust):
    # Given a learner at a Trust, on the start page
    web.visit("/")
    web.follow("Sign in")
    assert web.heading() == "Sign in"

    # When they sign in typing their email address in mixed case
    typed = mixed_case(learner.email)
    assert typed != learner.email
    web.fill("Email address", typed)
    web.fill("Password", TEST_PASSWORD)
    web.submit("Sign in")

    # Then they land on their home page, in their Trust, with their name in the header
    assert web.heading() == f"Hello, {learner.full_name}"
    assert trust.name in web.text()
    expect(web.page.locator(".nhsuk-header")).to_contain_text(learner.full_name)

    # When they sign out
    web.submit("Sign out")

    # Then they are back at sign in, told they have signed out, and home is the start page
    assert web.heading() == "Sign in"
    assert "You have signed out" in web.banner()
    web.visit("/")
    expect(web.page.locator(".nhsuk-header")).not_to_contain_text(learner.full_name)
    web.visit("/account/password/")
    assert web.heading() == "Sign in"


def test_a_wrong_password_shows_the_error_summary_and_keeps_the_email(web, learner):
    # Given a learner on the sign-in page
    web.visit("/sign-in/")

    # When they type the wrong password
    web.fill("Email address", learner.email)
    web.fill("Password", "not-my-password")
    web.submit("Sign in")

    # Then the error summary says what to do, the title says there is an error,
    # the email they typed is kept and they are not signed in
    assert web.error_summary() == ["Enter the email address and password for your account"]
    assert web.title().startswith("Error: Sign in")
    expect(web.page.get_by_label("Email address", exact=True)).to_have_value(learner.email)
    expect(web.page.locator(".nhsuk-error-summary")).to_be_focused()

    # When they then use the right password, they are signed in
    web.fill("Password", TEST_PASSWORD)
    web.submit("Sign in")
    assert web.heading() == f"Hello, {learner.full_name}"


def test_a_missing_email_and_password_link_from_the_summary_to_each_field(web, db):
    # Given someone on the sign-in page who presses sign in without typing anything
    web.visit("/sign-in/")
    web.submit("Sign in")

    # Then each missing answer is listed, and following an error moves to its field
    assert web.error_summary() == ["Enter your email address", "Enter your password"]
    assert web.field_error("Password") == "Enter your password"
    web.page.get_by_role("link", name="Enter your password").click()
    expect(web.page.get_by_label("Password", exact=True)).to_be_focused()
