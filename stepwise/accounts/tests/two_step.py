"""Two-step sign-in for tests: an authenticator app for a person, its code of now, and
signing a test client in the way a person does (password, then the app's code).

Shared by every test that signs someone in (conftest's `client_for`, the authorization
matrix, the browser tests), so staff sessions in tests are verified exactly as real ones."""

import re

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from stepwise.accounts import mfa

BACKEND = "stepwise.accounts.backends.EmailBackend"
# RFC 6238's test secret: any authenticator app (or `oathtool`) shows the same codes.
TEST_SECRET = "3132333435363738393031323334353637383930"
VERIFY = reverse("accounts:mfa_verify")
SET_UP = reverse("accounts:mfa_set_up")


def app_for(person, *, key: str = TEST_SECRET) -> TOTPDevice:
    """The person's authenticator app, set up earlier (made now if they had none)."""
    device = TOTPDevice.objects.filter(user=person, confirmed=True).first()
    return device or TOTPDevice.objects.create(
        user=person, name="Authenticator app", key=key, confirmed=True
    )


def code_for(device: TOTPDevice) -> str:
    """The code the app shows now. A code works once; a test may sign the same person in
    twice within its 30 seconds, as two people never could, so each sign-in starts afresh."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return mfa.code_now(device.key)


def sign_in(client: Client, person) -> Client:
    """Signed in as `person`: the password step (force_login stands for it), then, if they
    must use two-step sign-in, the security code entered on its page."""
    client.force_login(person, backend=BACKEND)
    response = client.get(VERIFY)
    if response.status_code == 302:
        if not response.url.startswith(SET_UP):
            return client  # not asked for a code
        app_for(person)  # they set up an app earlier
        response = client.get(VERIFY)
    # The form's own CSRF token, for a client that checks CSRF as a browser does.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    response = client.post(
        VERIFY, {"code": code_for(app_for(person)), "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302, "the security code was refused"
    return client
