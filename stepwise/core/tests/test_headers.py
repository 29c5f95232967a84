"""Headers Django does not set itself: a Permissions-Policy on every response, and no copy of a
signed-in page kept by the browser or any cache (shared ward tablets)."""

from django.urls import reverse

from stepwise.core.tests.pages import our_pages

TURNED_OFF = ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]
# Passkeys (the second step, ADR 17) are made and used by the site's own pages, nothing else.
SITE_ONLY = ["publickey-credentials-get=(self)", "publickey-credentials-create=(self)"]


def _features(response) -> list[str]:
    return [part.strip() for part in response.headers["Permissions-Policy"].split(",")]


def test_every_response_turns_off_browser_features_the_service_never_uses(client, db, learner):
    anonymous = [
        client.get("/"),
        client.get("/no-such-page/"),
        client.get(reverse("accounts:sign_in")),
    ]
    client.force_login(learner, backend="stepwise.accounts.backends.EmailBackend")
    signed_in = [client.get("/"), client.post(reverse("accounts:sign_out"))]
    for response in anonymous + signed_in:
        features = _features(response)
        for feature in TURNED_OFF + SITE_ONLY:
            assert feature in features


def test_every_response_to_a_signed_in_person_is_no_store(client_for, learner):
    client = client_for(learner)
    paths = our_pages()
    assert len(paths) > 20
    for path in paths:
        response = client.get(path)
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_signing_in_and_out_are_no_store(client, learner):
    from stepwise.accounts.tests.factories import TEST_PASSWORD

    response = client.post(
        reverse("accounts:sign_in"), {"email": learner.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "no-store" in response.headers["Cache-Control"]
    response = client.post(reverse("accounts:sign_out"))
    assert "no-store" in response.headers["Cache-Control"]


def test_public_pages_for_someone_not_signed_in_may_be_cached(client, db):
    for name in ["core:home", "core:accessibility", "accounts:sign_in"]:
        response = client.get(reverse(name))
        assert "no-store" not in response.headers.get("Cache-Control", ""), name
