"""A Trust administrator invites someone; they set a password from the emailed link."""

import pytest

from stepwise.accounts.services import PersonDetails
from stepwise.organisations.joining import person_register
from stepwise.organisations.models import Role
from tests.browser.support import emails_to, link_in_email

pytestmark = pytest.mark.browser

NEW_PASSWORD = "ward-seven-night-shift"


@pytest.fixture
def invited(trust, trust_admin):
    """Priya, registered by the Trust administrator as a learner in the general ICU."""
    membership = person_register(
        details=PersonDetails(
            full_name="Priya Nair",
            email="Priya.Nair@nhs.net",
            job_title="Staff Nurse",
            registration_body="NMC",
            registration_number="12A3456B",
        ),
        trust=trust,
        unit=trust.units[0],
        roles=[Role.LEARNER],
        by=trust_admin,
    )
    return membership.person


def test_an_invited_person_sets_a_password_and_lands_signed_in(web, invited, trust, trust_admin):
    # Given Priya has been emailed an invitation by her Trust administrator
    [invitation] = emails_to("priya.nair@nhs.net")
    assert invitation.subject == f"You have been invited to Stepwise by {trust.name}"
    assert trust_admin.full_name in invitation.body
    link = link_in_email("priya.nair@nhs.net")

    # When she follows the link
    web.visit(link)

    # Then she is asked to set a password for her account at her Trust
    assert web.heading() == "Set your password"
    assert trust.name in web.text()
    assert "priya.nair@nhs.net" in web.text()

    # When her confirmation does not match
    web.fill("Create a password", NEW_PASSWORD)
    web.fill("Confirm password", NEW_PASSWORD + "!")
    web.submit("Set password and continue")

    # Then the error summary says so and she is still on the same page
    assert web.error_summary() == ["The passwords do not match"]
    assert web.field_error("Confirm password") == "The passwords do not match"
    assert web.title().startswith("Error: Set your password")

    # When she types it again, matching
    web.fill("Create a password", NEW_PASSWORD)
    web.fill("Confirm password", NEW_PASSWORD)
    web.submit("Set password and continue")

    # Then she lands on her home page, signed in, working in her unit as a learner
    assert "Your password is set. Welcome to Stepwise" in web.banner()
    assert web.heading() == "Hello, Priya Nair"
    assert f"General Intensive Care Unit, {trust.name} as learner" in web.text()

    # And the link cannot be used again
    web.visit(link)
    assert web.heading() == "There is a problem with this link"
    assert "already been used" in web.text()

    # And she can sign in again later with her new password
    web.submit("Sign out")
    web.sign_in("priya.nair@nhs.net", NEW_PASSWORD)
    assert web.heading() == "Hello, Priya Nair"


def test_a_too_short_password_is_explained(web, invited):
    # Given Priya follows her invitation
    web.visit(link_in_email("priya.nair@nhs.net"))

    # When she chooses a password that is too short
    web.fill("Create a password", "short")
    web.fill("Confirm password", "short")
    web.submit("Set password and continue")

    # Then she is told why, and can still use the link
    [problem] = web.error_summary()
    assert "too short" in problem
    web.fill("Create a password", NEW_PASSWORD)
    web.fill("Confirm password", NEW_PASSWORD)
    web.submit("Set password and continue")
    assert web.heading() == "Hello, Priya Nair"
