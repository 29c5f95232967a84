"""Someone registers through their Trust's link, confirms their email and waits for approval."""

import pytest

from stepwise.organisations.models import Membership
from tests.browser.support import emails_to, link_in_email

pytestmark = pytest.mark.browser

PASSWORD = "bay-four-bed-twelve"


def fill_in_registration(web, *, registration_number: str) -> None:
    web.fill("Full name", "Tomasz Kowalski")
    web.fill("Email address", "T.Kowalski@NHS.net")
    web.fill("Job title (optional)", "Staff Nurse")
    web.select("Unit (optional)", "Cardiac Intensive Care Unit")
    web.select("Professional register (optional)", "Nursing and Midwifery Council (NMC)")
    web.fill("Registration number", registration_number)
    web.fill("Create a password", PASSWORD)
    web.fill("Confirm password", PASSWORD)


def test_a_nurse_registers_through_the_trust_link_and_waits_for_approval(
    web, web_for, trust, trust_admin
):
    # Given a Trust that checks new registrations, and a nurse with its registration link
    assert trust.registration_requires_approval
    web.visit(f"/join/{trust.registration_code}/")
    assert web.heading() == "Create your Stepwise account"
    assert "A Trust administrator will check your registration" in web.text()

    # When the nurse registers with an NMC PIN in the wrong format
    fill_in_registration(web, registration_number="12345678")
    web.submit("Register")

    # Then the error summary explains the format, and what they typed is kept
    expected = (
        "Enter an NMC PIN in the correct format: two numbers, a letter, four numbers "
        "and a letter, like 12A3456B"
    )
    assert web.error_summary() == [expected]
    assert web.field_error("Registration number") == expected
    assert web.title().startswith("Error: Create your Stepwise account")
    field = web.page.get_by_label
    assert field("Full name", exact=True).input_value() == "Tomasz Kowalski"
    assert field("Email address", exact=True).input_value() == "T.Kowalski@NHS.net"
    assert field("Registration number", exact=True).input_value() == "12345678"
    assert field("Unit (optional)", exact=True).input_value() == str(trust.units[1].pk)
    assert not emails_to("t.kowalski@nhs.net")

    # When they correct the PIN (typed in lower case with a space) and choose the password again
    web.fill("Registration number", "12a3456 b")
    web.fill("Create a password", PASSWORD)
    web.fill("Confirm password", PASSWORD)
    web.submit("Register")

    # Then they are asked to check their email, and the email has a link to confirm it
    assert web.heading() == "Check your email"
    assert "t.kowalski@nhs.net" in web.text()
    link = link_in_email("t.kowalski@nhs.net", subject="Confirm your email address")

    # And before confirming it they cannot sign in: there is no account yet
    web.sign_in("t.kowalski@nhs.net", PASSWORD)
    assert web.error_summary() == ["Enter the email address and password for your account"]

    # When they follow the link, it shows what they registered with and changes nothing yet
    web.visit(link)
    assert web.heading() == "Confirm your email address"
    assert "NMC 12A3456B" in web.text()
    assert not Membership.objects.filter(person__email="t.kowalski@nhs.net").exists()

    # And they confirm with the password they chose (a wrong one is refused, clearly)
    web.fill("Password", "not-what-they-chose-1")
    web.submit("Confirm my email address")
    assert web.error_summary() == [
        "The password is not the one you chose when you registered. Enter that password, or "
        "register again through your Trust's registration link"
    ]
    web.fill("Password", PASSWORD)
    web.submit("Confirm my email address")

    # Then their address is confirmed and they are told the Trust will check the registration
    assert web.heading() == "Email address confirmed"
    assert "checks new registrations" in web.text()
    membership = Membership.objects.get(person__email="t.kowalski@nhs.net", trust=trust)
    assert membership.state == Membership.State.AWAITING_APPROVAL
    assert membership.unit == trust.units[1]
    assert membership.person.registration_number == "12A3456B"
    assert emails_to(trust_admin.email), "the Trust administrator is told a registration waits"

    # When they sign in
    web.submit("Sign in")
    web.fill("Email address", "t.kowalski@nhs.net")
    web.fill("Password", PASSWORD)
    web.submit("Sign in")

    # Then they are signed in but see that they are not an active member of a Trust yet
    assert web.heading() == "Hello, Tomasz Kowalski"
    assert "You are not an active member of any Trust at the moment" in web.text()
    assert trust.name not in web.page.locator(".nhsuk-header").inner_text()

    # When the Trust administrator, in their own browser, opens the waiting registrations
    admin = web_for(trust_admin)
    admin.visit("/")
    admin.follow("Registrations", within="#maincontent")
    assert admin.heading() == "Registrations waiting for approval"
    assert "t.kowalski@nhs.net" in admin.text()
    admin.follow("Tomasz Kowalski (approve or decline)")

    # And approves the registration
    admin.submit("Approve registration")

    # Then it is no longer waiting, and the nurse is told by email
    assert "Tomasz Kowalski" in admin.banner()
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE
    assert link_in_email("t.kowalski@nhs.net", subject="You can now use Stepwise")

    # And when the nurse next opens Stepwise they are working in the Trust as a learner
    web.visit("/")
    assert f"Cardiac Intensive Care Unit, {trust.name} as learner" in web.text()


def test_a_trust_that_does_not_check_registrations_lets_the_nurse_straight_in(web, trust):
    # Given a Trust that does not check registrations
    trust.registration_requires_approval = False
    trust.save(update_fields=["registration_requires_approval"])

    # When a nurse registers and confirms their email
    web.visit(f"/join/{trust.registration_code}/")
    fill_in_registration(web, registration_number="12A3456B")
    web.submit("Register")
    web.visit(link_in_email("t.kowalski@nhs.net"))
    web.fill("Password", PASSWORD)
    web.submit("Confirm my email address")
    assert f"You are now registered with {trust.name}" in web.text()

    # Then they sign in straight into their unit as a learner
    web.submit("Sign in")
    web.fill("Email address", "t.kowalski@nhs.net")
    web.fill("Password", PASSWORD)
    web.submit("Sign in")
    assert f"Cardiac Intensive Care Unit, {trust.name} as learner" in web.text()


def test_a_made_up_registration_link_is_not_found(web, db):
    web.visit("/join/not-a-real-code/", status=404)
    assert web.heading() == "Page not found"
