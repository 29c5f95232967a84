"""The passkey ceremonies' JSON (no HTML form, so test_forms.py does not find it): whatever a
browser sends in place of a WebAuthn answer, a real answer with one part replaced or anything
at all, is refused with a 4xx, never a 500, and passes nobody's second step."""

import json
import os

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.accounts.tests.passkey_authenticator import SoftPasskey, add, post_json

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("STEPWISE_FUZZ_EXAMPLES", "8")) * 5,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=10,
)
# Where an answer may be changed: the parts checked or signed (an answer's extension results
# are neither, so changing them is no attack).
PARTS = [
    ("id",),
    ("rawId",),
    ("type",),
    ("response",),
    ("response", "clientDataJSON"),
    ("response", "authenticatorData"),
    ("response", "signature"),
    ("response", "attestationObject"),
]


@pytest.fixture
def signed_in():
    person = PersonFactory()
    passkey = SoftPasskey()
    client = Client(raise_request_exception=True)
    client.force_login(person, backend="stepwise.accounts.backends.EmailBackend")
    assert add(client, passkey).status_code == 200
    client.logout()
    client.force_login(person, backend="stepwise.accounts.backends.EmailBackend")
    return client, passkey


def _changed(answer: dict, part: tuple, value) -> dict:
    answer = json.loads(json.dumps(answer))
    holder = answer
    for key in part[:-1]:
        holder = holder[key]
    holder[part[-1]] = value
    return answer


def _refused(client, name: str, body) -> None:
    response = client.post(reverse(name), body, content_type="application/json")
    assert 400 <= response.status_code < 500, (response.status_code, body)
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_changed_sign_in_answer_is_refused(signed_in):
    client, passkey = signed_in

    @FUZZ
    @given(st.sampled_from([p for p in PARTS if p[-1] != "attestationObject"]), VALUES)
    def run(part, value):
        options = post_json(client, reverse("accounts:passkey_sign_in_begin")).json()
        body = json.dumps(_changed(passkey.get(options), part, value))
        _refused(client, "accounts:passkey_sign_in_complete", body)

    run()


def test_a_changed_new_passkey_is_refused():
    person = PersonFactory()
    client = Client(raise_request_exception=True)
    client.force_login(person, backend="stepwise.accounts.backends.EmailBackend")
    passkey = SoftPasskey()
    registration = [p for p in PARTS if p[-1] not in ("authenticatorData", "signature")]

    @FUZZ
    @given(st.sampled_from(registration), VALUES)
    def run(part, value):
        options = post_json(client, reverse("accounts:passkey_add_begin")).json()
        body = json.dumps(_changed(passkey.create(options), part, value))
        _refused(client, "accounts:passkey_add_complete", body)
        assert not WebAuthnCredential.objects.exists()

    run()


def test_anything_at_all_is_refused(signed_in):
    client, _ = signed_in

    @FUZZ
    @given(st.sampled_from(["passkey_sign_in_complete", "passkey_add_complete"]), VALUES)
    def run(name, value):
        post_json(client, reverse("accounts:passkey_sign_in_begin"))
        _refused(client, f"accounts:{name}", json.dumps(value))

    run()
