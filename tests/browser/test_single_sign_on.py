"""Signing in through single sign-on (an OpenID Connect provider, as NHS CIS2 would be) in a
real browser: the provider is a real one, started by the test (accounts/tests/oidc_provider.py)."""

import pytest
from playwright.sync_api import expect

from stepwise.accounts.tests.oidc_provider import Provider

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(settings, live_server):
    provider = Provider()
    provider.add_client(
        "stepwise", "client-secret", live_server.url + "/sign-in/single-sign-on/callback/"
    )
    settings.STEPWISE_OIDC_ISSUER = provider.issuer
    settings.STEPWISE_OIDC_CLIENT_ID = "stepwise"
    settings.STEPWISE_OIDC_CLIENT_SECRET = "client-secret"
    yield provider
    provider.stop()


def test_a_learner_signs_in_with_nhs_care_identity_and_lands_on_their_home_page(
    web, learner, trust, provider
):
    # Given a learner whose NHS Care Identity account has the same, verified, address
    provider.add_person("amara", email=learner.email, email_verified=True, amr=["mfa"])

    # When they choose to sign in with NHS Care Identity on the sign-in page
    web.visit("/sign-in/")
    assert web.heading() == "Sign in"
    web.submit("Sign in with NHS Care Identity")

    # Then they are at the provider's sign-in page, and sign in there
    assert web.heading() == "Test identity provider: sign in"
    web.fill("User name", "amara")
    web.submit("Sign in")

    # Then they land on their home page, in their Trust, with their name in the header
    assert web.heading() == f"Hello, {learner.full_name}"
    assert trust.name in web.text()

    # And their account page shows the link, which they can unlink
    web.follow(learner.full_name, within=".nhsuk-header")
    assert web.heading() == "Your account"
    expect(web.page.locator("main")).to_contain_text("Single sign-on")
    web.follow(f"Unlink {learner.email}")
    assert web.heading() == "Unlink your NHS Care Identity account"
    web.submit("Unlink")
    assert "Your NHS Care Identity account is unlinked" in web.banner()
    expect(web.page.locator("main")).to_contain_text("not linked to a single sign-on account")


def test_someone_without_an_account_is_told_to_ask_their_trust(web, provider, db):
    # Given someone at the provider who has no Stepwise account
    provider.add_person("newcomer", email="newcomer@nhs.example")

    # When they sign in with NHS Care Identity
    web.visit("/sign-in/")
    web.submit("Sign in with NHS Care Identity")
    web.fill("User name", "newcomer")

    # Then they are told to ask their Trust for an invitation
    web.submit("Sign in", status=403)
    assert web.heading() == "You could not be signed in with NHS Care Identity"
    assert "Stepwise accounts are made by invitation" in web.text()
