"""Single sign-on, end to end against a real OpenID Connect provider (oidc_provider.py) running
on 127.0.0.1: the service redirects to it, the test signs in on its page as a person would,
and the provider's redirect comes back to the service's callback, which fetches the token
from the provider over HTTP and verifies it against the provider's published keys."""

import socket
import time

import pytest
import requests
from django.test import Client
from django.urls import reverse
from joserfc.jwk import RSAKey

from stepwise.accounts import confirm_first, single_sign_on
from stepwise.accounts.models import AccountEvent, SingleSignOnLink, User
from stepwise.accounts.tests.factories import PersonFactory
from stepwise.accounts.tests.oidc_provider import KID, Provider, redirect_params
from stepwise.organisations.models import Membership

CALLBACK = "http://testserver/sign-in/single-sign-on/callback/"
NO_ACCOUNT = "Stepwise accounts are made by invitation"


@pytest.fixture
def provider(settings):
    provider = Provider()
    provider.add_client("stepwise", "client-secret", CALLBACK)
    settings.STEPWISE_OIDC_ISSUER = provider.issuer
    settings.STEPWISE_OIDC_CLIENT_ID = "stepwise"
    settings.STEPWISE_OIDC_CLIENT_SECRET = "client-secret"
    yield provider
    provider.stop()


@pytest.fixture
def alice(db):
    return PersonFactory(email="alice@nhs.example", full_name="Alice Ward")


def to_provider_and_back(client, provider, username, *, start="") -> str:
    """Press the button, sign in on the provider's page; the provider's redirect back."""
    started = client.get(reverse("accounts:sso_start") + start)
    assert started.status_code == 302, started.content
    assert started["Location"].startswith(provider.issuer + "/authorize?")
    page = requests.get(started["Location"], timeout=5)
    assert page.status_code == 200 and 'name="username"' in page.text
    answer = requests.post(
        started["Location"], data={"username": username}, allow_redirects=False, timeout=5
    )
    assert answer.status_code == 302, answer.text
    assert answer.headers["Location"].startswith(CALLBACK)
    return answer.headers["Location"]


def sign_in_through(client, provider, username, **kwargs):
    return client.get(to_provider_and_back(client, provider, username, **kwargs))


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def assert_refused(response, status, words):
    assert response.status_code == status
    text = response.content.decode()
    assert "You could not be signed in with NHS Care Identity" in text
    assert words in text


def test_without_configuration_there_is_no_button_and_its_addresses_are_not_found(client, db):
    assert "Sign in with NHS Care Identity" not in client.get(reverse("accounts:sign_in")).text
    assert client.get(reverse("accounts:sso_start")).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404


def test_the_sign_in_page_offers_the_button_with_the_configured_label(client, provider, settings):
    settings.STEPWISE_OIDC_BUTTON_LABEL = "Sign in with NHS Care Identity"
    page = client.get(reverse("accounts:sign_in") + "?next=/account/").text
    assert "Sign in with NHS Care Identity" in page
    assert 'href="/sign-in/single-sign-on/?next=%2Faccount%2F"' in page


def test_a_verified_address_links_an_existing_account_and_signs_it_in(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example", email_verified=True)
    callback = to_provider_and_back(client, provider, "alice")
    response = client.get(callback)

    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert signed_in_as(client) == str(alice.pk)
    link = SingleSignOnLink.objects.get(person=alice)
    assert (link.issuer, link.subject) == (provider.issuer, provider.people["alice"].subject)
    event = AccountEvent.objects.get(person=alice)
    assert event.kind == AccountEvent.Kind.SSO_LINKED and event.actor == alice
    assert provider.requests.count("/token") == 1 and "/jwks" in provider.requests


def test_the_request_carries_pkce_state_and_nonce(client, provider, alice):
    started = client.get(reverse("accounts:sso_start"))
    params = redirect_params(started["Location"])
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) >= 43
    assert params["state"] and params["nonce"] and params["response_type"] == "code"
    assert params["scope"] == "openid email profile"


def test_a_linked_person_is_found_by_subject_whatever_their_address_now(client, provider, alice):
    person = provider.add_person("alice", email="alice@nhs.example")
    assert sign_in_through(client, provider, "alice").status_code == 302
    client.logout()
    person.email, person.email_verified = "a.ward@elsewhere.example", False

    assert sign_in_through(client, provider, "alice").status_code == 302
    assert signed_in_as(client) == str(alice.pk)
    assert AccountEvent.objects.filter(person=alice).count() == 1  # linked once


def test_the_page_asked_for_is_where_the_person_lands(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example")
    response = sign_in_through(client, provider, "alice", start="?next=/account/")
    assert response["Location"] == "/account/"


def test_a_next_address_on_another_site_is_ignored(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example")
    response = sign_in_through(client, provider, "alice", start="?next=https://evil.example/")
    assert response["Location"] == reverse("core:home")


def test_a_wrong_state_is_refused(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example")
    callback = to_provider_and_back(client, provider, "alice")
    response = client.get(callback.replace("state=", "state=forged"))
    assert_refused(response, 400, "could not be matched to this browser")
    assert signed_in_as(client) is None


def test_a_callback_in_another_browser_is_refused(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example")
    callback = to_provider_and_back(client, provider, "alice")
    other_browser = Client()
    assert_refused(other_browser.get(callback), 400, "could not be matched to this browser")


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"nonce": "not-the-one-we-sent"}, "wrong nonce"),
        ({"aud": ["another-service"]}, "token for another client"),
        ({"aud": ["another-service"], "azp": "stepwise"}, "another audience, our azp"),
        ({"iss": "http://127.0.0.1:1"}, "another issuer"),
        ({"exp": int(time.time()) - 3600}, "expired"),
    ],
)
def test_an_id_token_with_wrong_claims_is_refused(client, provider, alice, claims, why):
    provider.add_person("alice", email="alice@nhs.example")
    provider.id_token_claims = claims
    response = sign_in_through(client, provider, "alice")
    assert_refused(response, 400, "could not be verified")
    assert signed_in_as(client) is None, why
    assert not SingleSignOnLink.objects.exists()


def test_an_id_token_signed_with_another_key_is_refused(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example")
    # Same key id as the published key, so only the signature can tell.
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": KID}, private=True)
    response = sign_in_through(client, provider, "alice")
    assert_refused(response, 400, "could not be verified")
    assert signed_in_as(client) is None


def test_an_unverified_address_links_nobody(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example", email_verified=False)
    response = sign_in_through(client, provider, "alice")
    assert_refused(response, 403, "did not give us an email address it has checked")
    assert signed_in_as(client) is None and not SingleSignOnLink.objects.exists()


def test_an_unknown_person_is_told_to_ask_their_trust_and_nothing_is_made(client, provider, db):
    provider.add_person("zoe", email="zoe@nhs.example")
    people, memberships = User.objects.count(), Membership.objects.count()
    response = sign_in_through(client, provider, "zoe")
    assert_refused(response, 403, NO_ACCOUNT)
    assert (User.objects.count(), Membership.objects.count()) == (people, memberships)
    assert not SingleSignOnLink.objects.exists() and signed_in_as(client) is None


def test_a_deactivated_person_is_refused_by_address(client, provider, alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    provider.add_person("alice", email="alice@nhs.example")
    assert_refused(sign_in_through(client, provider, "alice"), 403, "has been closed")
    assert not SingleSignOnLink.objects.exists()


def test_a_deactivated_person_is_refused_by_their_link(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example")
    sign_in_through(client, provider, "alice")
    client.logout()
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert_refused(sign_in_through(client, provider, "alice"), 403, "has been closed")
    assert signed_in_as(client) is None


def test_the_address_may_come_from_the_user_info_endpoint(client, provider, alice):
    # CIS2 gives the email claims at its user info endpoint, not in the ID token.
    provider.add_person("alice", email="alice@nhs.example")
    provider.email_in_userinfo_only = True
    assert sign_in_through(client, provider, "alice").status_code == 302
    assert signed_in_as(client) == str(alice.pk)
    assert "/userinfo" in provider.requests


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_provider_that_does_not_answer_gets_a_clear_page(client, db, settings):
    settings.STEPWISE_OIDC_ISSUER = f"http://127.0.0.1:{closed_port()}"
    settings.STEPWISE_OIDC_CLIENT_ID, settings.STEPWISE_OIDC_CLIENT_SECRET = "stepwise", "x"
    response = client.get(reverse("accounts:sso_start"))
    assert_refused(response, 503, "NHS Care Identity is not answering at the moment")


def test_a_provider_going_down_before_the_callback_gets_a_clear_page(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example")
    callback = to_provider_and_back(client, provider, "alice")
    provider.stop()
    response = client.get(callback)
    assert_refused(response, 503, "is not answering at the moment")
    assert signed_in_as(client) is None


@pytest.mark.parametrize("path", ["/jwks", "/token"])
def test_the_client_follows_no_redirect_from_the_provider(client, provider, alice, path):
    """ASVS 5.0 V15.3.2: an endpoint answering with a redirect is not followed, even to the
    provider's own host; the person gets the provider-down page."""
    provider.add_person("alice", email="alice@nhs.example")
    provider.moved[path] = path + "-moved"
    response = sign_in_through(client, provider, "alice")
    assert_refused(response, 503, "is not answering at the moment")
    assert path in provider.requests and path + "-moved" not in provider.requests
    assert signed_in_as(client) is None


def test_discovery_follows_no_redirect(client, provider):
    provider.moved["/.well-known/openid-configuration"] = "/elsewhere"
    response = client.get(reverse("accounts:sso_start"))
    assert_refused(response, 503, "is not answering at the moment")
    assert "/elsewhere" not in provider.requests


def test_a_discovery_document_naming_another_issuer_is_refused(client, provider, settings):
    settings.STEPWISE_OIDC_ISSUER = provider.issuer + "/"
    response = client.get(reverse("accounts:sso_start"))
    assert_refused(response, 400, "settings do not match this service")


def test_a_person_who_stops_at_the_provider_is_told_so(client, provider, alice):
    started = client.get(reverse("accounts:sso_start"))
    state = redirect_params(started["Location"])["state"]
    response = client.get(
        reverse("accounts:sso_callback"), {"error": "access_denied", "state": state}
    )
    assert_refused(response, 400, "You did not finish signing in")


@pytest.mark.parametrize(
    ("amr", "acr", "multi_factor"),
    [(["pwd"], "", False), (["mfa"], "", True), (["pwd"], "AAL3_ANY", True)],
)
def test_the_session_knows_whether_the_provider_proved_more_than_one_factor(
    client, provider, alice, settings, amr, acr, multi_factor
):
    settings.STEPWISE_OIDC_MFA_ACR = ["AAL3_ANY"]
    provider.add_person("alice", email="alice@nhs.example", amr=amr, acr=acr)
    sign_in_through(client, provider, "alice")
    assert single_sign_on.session_is_multi_factor(client.session) is multi_factor


def test_a_person_sees_and_unlinks_their_link_and_it_never_relinks_by_address(
    client, provider, alice
):
    provider.add_person("alice", email="alice@nhs.example")
    sign_in_through(client, provider, "alice")
    link = SingleSignOnLink.objects.get(person=alice)

    page = client.get(reverse("accounts:account")).text
    unlink_url = reverse("accounts:sso_unlink", args=[link.pk])
    assert "alice@nhs.example" in page and unlink_url in page
    assert "Unlink your NHS Care Identity account" in client.get(unlink_url).text
    assert client.post(unlink_url)["Location"] == reverse("accounts:account")

    link.refresh_from_db()
    assert link.unlinked_at is not None
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.SSO_UNLINKED)
    assert (event.person, event.actor) == (alice, alice)
    assert client.post(unlink_url).status_code == 404  # already unlinked
    client.logout()
    assert_refused(sign_in_through(client, provider, "alice"), 403, "was unlinked")


def test_another_persons_link_is_not_found(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example")
    sign_in_through(client, provider, "alice")
    link = SingleSignOnLink.objects.get(person=alice)
    client.force_login(PersonFactory())
    url = reverse("accounts:sso_unlink", args=[link.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert SingleSignOnLink.objects.get(pk=link.pk).unlinked_at is None


@pytest.mark.parametrize(("amr", "asked_for_code"), [(["pwd"], True), (["mfa"], False)])
def test_staff_give_their_own_code_unless_the_provider_proved_two_factors(
    client, provider, db, amr, asked_for_code
):
    author = PersonFactory(email="grace@nhs.example", is_framework_author=True)
    provider.add_person("grace", email=author.email, amr=amr)
    response = sign_in_through(client, provider, "grace")
    home = client.get(reverse("core:home"))
    if asked_for_code:
        assert response["Location"].startswith("/account/two-step-sign-in/set-up/")
        assert home.status_code == 302
    else:
        assert response["Location"] == reverse("core:home")
        assert home.status_code == 200


def test_an_hour_after_signing_in_unlinking_needs_the_password_first(client, provider, alice):
    provider.add_person("alice", email="alice@nhs.example")
    sign_in_through(client, provider, "alice")
    link = SingleSignOnLink.objects.get(person=alice)
    session = client.session
    session[confirm_first.CONFIRMED_AT] -= 3600
    session.save()
    url = reverse("accounts:sso_unlink", args=[link.pk])
    assert client.post(url)["Location"].startswith(reverse("accounts:confirm_password"))
    assert SingleSignOnLink.objects.get(pk=link.pk).unlinked_at is None
