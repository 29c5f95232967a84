import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from stepwise.certificates import credentials
from stepwise.passports import trusted
from stepwise.passports.tests.conftest import (
    OTHER_ISSUER,
    other_jwks,
    sign_as_other,
    trusted_other,
)
from stepwise.passports.verify import PassportError, check_passport


def test_it_verifies_its_own_passport_and_lists_the_confirmed_proficiencies(
    own_token, learner, signed_off
):
    verified = check_passport(own_token, email=learner.email.upper())
    assert verified.issuer.is_self
    confirmed = signed_off.enrolment.records.filter(state="confirmed").count()
    assert len(verified.attainments) == confirmed > 0
    first = verified.attainments[0]
    assert first.confirmed_by and first.registration_number == "NMC 09B1234D"
    assert verified.payload["passport"]["certificates"][0]["credential"].count(".") == 2


def test_it_verifies_a_passport_from_a_trusted_installation(settings, payload, learner):
    settings.STEPWISE_TRUSTED_ISSUERS = trusted_other()
    verified = check_passport(sign_as_other(payload), email=learner.email)
    assert verified.issuer.name == "Other installation"
    assert verified.issuer.url == OTHER_ISSUER


def test_it_rejects_an_unknown_issuer(payload, learner):
    with pytest.raises(PassportError, match="not on this service's list of trusted issuers"):
        check_passport(sign_as_other(payload), email=learner.email)


def test_it_rejects_a_wrong_key(settings, payload, learner):
    # Claims to come from this installation, but is signed with someone else's key.
    claims = {**payload}
    token = sign_as_other(claims)
    header, body, signature = token.split(".")
    own = json.loads(base64.urlsafe_b64decode(body + "=="))
    own["iss"] = settings.SITE_URL
    forged_body = base64.urlsafe_b64encode(json.dumps(own).encode()).rstrip(b"=").decode()
    with pytest.raises(PassportError, match="not signed with a key"):
        check_passport(f"{header}.{forged_body}.{signature}", email=learner.email)


def test_it_rejects_a_tampered_passport(own_token, learner):
    header, body, signature = own_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["passport"]["learner"]["name"] = "Someone Else"
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(PassportError, match="changed since it was issued"):
        check_passport(f"{header}.{body}.{signature}", email=learner.email)


@pytest.mark.parametrize("cut", [0.3, 0.7, 0.99])
def test_it_rejects_a_truncated_passport(own_token, learner, cut):
    with pytest.raises(PassportError):
        check_passport(own_token[: int(len(own_token) * cut)], email=learner.email)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ('{"passport": ', "JSON file"),
        ("hello world", "not a Stepwise passport"),
        ("eyJ!!.eyJ.abc", "not a Stepwise passport"),
    ],
)
def test_it_rejects_what_is_not_a_passport(db, text, message):
    with pytest.raises(PassportError, match=message):
        check_passport(text, email="a@example.com")


def test_it_rejects_a_signed_token_of_another_shape(payload, learner):
    token = credentials.sign({**payload, "passport": {"learner": "nobody"}})
    with pytest.raises(PassportError, match="not in the form Stepwise expects"):
        check_passport(token, email=learner.email)


def test_it_rejects_someone_elses_passport(own_token, other_learner):
    with pytest.raises(PassportError, match="belongs to someone else"):
        check_passport(own_token, email=other_learner.email)


def test_it_reads_trusted_issuers_from_a_file_offline(settings, tmp_path, db):
    path = tmp_path / "trusted.json"
    path.write_text(trusted_other(), encoding="utf-8")
    settings.STEPWISE_TRUSTED_ISSUERS = ""
    settings.STEPWISE_TRUSTED_ISSUERS_FILE = str(path)
    issuers = trusted.trusted_issuers()
    assert [i.name for i in issuers] == [trusted.SELF_NAME, "Other installation"]
    assert list(issuers[1].keys) == [other_jwks()["keys"][0]["kid"]]


@pytest.mark.parametrize(
    "config, message",
    [
        ("not json", "not valid JSON"),
        ('{"issuer": 1}', "must be a list"),
        ('[{"issuer": "ftp://x", "name": "X", "jwks": {"keys": []}}]', "address"),
        ('[{"issuer": "https://x", "name": "", "jwks": {"keys": []}}]', "name"),
        ('[{"issuer": "https://x", "name": "X"}]', "jwks"),
        ('[{"issuer": "https://x", "name": "X", "jwks": {"keys": [{"kty": "RSA"}]}}]', "kid"),
    ],
)
def test_it_explains_a_wrong_trusted_issuers_setting(settings, db, config, message):
    settings.STEPWISE_TRUSTED_ISSUERS = config
    with pytest.raises(trusted.TrustedIssuerError, match=message):
        trusted.trusted_issuers()


def test_it_says_when_the_trusted_issuers_file_is_missing(settings, tmp_path, db):
    settings.STEPWISE_TRUSTED_ISSUERS = ""
    settings.STEPWISE_TRUSTED_ISSUERS_FILE = str(tmp_path / "missing.json")
    with pytest.raises(trusted.TrustedIssuerError, match="cannot be read"):
        trusted.trusted_issuers()


def test_it_fetches_keys_from_a_jwks_url_when_none_are_inline(
    settings, monkeypatch, payload, learner
):
    settings.STEPWISE_TRUSTED_ISSUERS = json.dumps(
        [{"issuer": OTHER_ISSUER, "name": "Other installation", "jwks_url": "https://o/jwks"}]
    )

    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, size):
            return json.dumps(other_jwks()).encode()

    monkeypatch.setattr(trusted, "_open", lambda url: Response())
    assert check_passport(sign_as_other(payload), email=learner.email).issuer.url == OTHER_ISSUER


def test_an_unreachable_jwks_url_is_an_unknown_key(settings, monkeypatch, payload, learner):
    settings.STEPWISE_TRUSTED_ISSUERS = json.dumps(
        [{"issuer": OTHER_ISSUER, "name": "Other installation", "jwks_url": "https://o/jwks"}]
    )

    def unreachable(url):
        raise OSError("no network")

    monkeypatch.setattr(trusted, "_open", unreachable)
    with pytest.raises(PassportError, match="not signed with a key"):
        check_passport(sign_as_other(payload), email=learner.email)


class _KeysBehindARedirect(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/jwks")
            self.end_headers()
            return
        body = json.dumps(other_jwks()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_jwks_url_that_redirects_is_not_followed(db):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _KeysBehindARedirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert trusted.fetch_jwks(f"{base}/jwks")  # the real server answers
        assert trusted.fetch_jwks(f"{base}/moved") == {}
    finally:
        server.shutdown()
        server.server_close()
