"""Signing keys: configured as JSON or a file, generated for development, rotated without
breaking older credentials, refused with a clear reason when wrong, never published whole."""

import json
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from stepwise.certificates import credentials, keys
from stepwise.certificates.checks import signing_keys_configured
from stepwise.certificates.tests.conftest import key_config, rsa_pem
from stepwise.certificates.verification import Outcome, check_credential


def test_the_configured_key_signs_and_is_published(client, settings):
    [key] = keys.signing_keys()
    assert key.name == "test-2026"
    assert key.kid == "http://testserver/.well-known/jwks.json#test-2026"
    response = client.get(reverse("certificates:jwks"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    [published] = response.json()["keys"]
    assert published["kid"] == key.kid
    assert published["alg"] == "RS256"
    assert published["use"] == "sig"
    assert published["kty"] == "RSA"


def test_no_private_part_is_ever_published(client):
    text = client.get(reverse("certificates:jwks")).content.decode()
    for private_member in ('"d"', '"p"', '"q"', '"dp"', '"dq"', '"qi"', "PRIVATE"):
        assert private_member not in text


def test_keys_can_come_from_a_file(settings, tmp_path):
    path = tmp_path / "keys.json"
    path.write_text(key_config("from-file"))
    settings.STEPWISE_SIGNING_KEYS = ""
    settings.STEPWISE_SIGNING_KEYS_FILE = str(path)
    assert [key.name for key in keys.signing_keys()] == ["from-file"]


def test_rotating_keeps_older_credentials_valid(settings, signed_off):
    old_token = credentials.signed_credential(signed_off)
    settings.STEPWISE_SIGNING_KEYS = key_config("test-2027", "test-2026")
    new_token = credentials.signed_credential(signed_off)
    assert new_token != old_token
    assert [k["kid"].split("#")[1] for k in keys.jwks()["keys"]] == ["test-2027", "test-2026"]
    assert check_credential(new_token).outcome == Outcome.VALID
    assert check_credential(old_token).outcome == Outcome.VALID
    # Once the old key is withdrawn, what it signed is no longer recognised.
    settings.STEPWISE_SIGNING_KEYS = key_config("test-2027")
    assert check_credential(old_token).outcome == Outcome.UNKNOWN_KEY


def test_without_configuration_a_development_key_is_generated_once(settings, tmp_path):
    settings.STEPWISE_SIGNING_KEYS = ""
    folder = tmp_path / "generated"
    settings.STEPWISE_SIGNING_KEYS_DIR = folder
    [first] = keys.signing_keys()
    [again] = keys.signing_keys()
    assert first.kid == again.kid
    [file] = folder.glob("*.pem")
    assert file.stem == first.name
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert "PRIVATE KEY" in file.read_text()


def test_the_signing_key_has_3072_bits_and_an_older_2048_bit_key_still_verifies(settings):
    old = rsa_pem("old-2048", 2048)
    settings.STEPWISE_SIGNING_KEYS = json.dumps([{"kid": "old", "private_key": old}])
    with pytest.raises(keys.SigningKeyError, match="has 2048 bits; use at least 3072"):
        keys.signing_keys()
    settings.STEPWISE_SIGNING_KEYS = json.dumps(
        [{"kid": "new", "private_key": rsa_pem("new")}, {"kid": "old", "private_key": old}]
    )
    assert [key.name for key in keys.signing_keys()] == ["new", "old"]
    assert keys.current_key().key.raw_value.key_size == keys.SIGNING_RSA_BITS == 3072


def test_a_development_key_of_2048_bits_is_followed_by_a_3072_bit_one(settings, tmp_path):
    settings.STEPWISE_SIGNING_KEYS = ""
    folder = tmp_path / "generated"
    folder.mkdir()
    (folder / "old.pem").write_text(rsa_pem("old-2048", 2048))
    settings.STEPWISE_SIGNING_KEYS_DIR = folder
    signing, older = keys.signing_keys()
    assert signing.key.raw_value.key_size == 3072
    assert older.name == "old"
    assert len(list(folder.glob("*.pem"))) == 2


def ec_pem() -> str:
    private = ec.generate_private_key(ec.SECP256R1())
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.mark.parametrize(
    ("configured", "message"),
    [
        ("not json", "STEPWISE_SIGNING_KEYS is not valid JSON"),
        ("[]", "must be a list of keys"),
        ('{"kid": "a"}', "must be a list of keys"),
        ('[{"kid": "a"}]', "key 1: give a kid and a private_key"),
        (json.dumps([{"kid": "has space", "private_key": "x"}]), "the kid must be"),
        (json.dumps([{"kid": "a", "private_key": "not a pem"}]), "must be a PEM private key"),
        (
            json.dumps([{"kid": "a", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n"}]),
            "cannot be read",
        ),
        (json.dumps([{"kid": "a", "private_key": ec_pem()}]), "must be an RSA key"),
        (json.dumps([{"kid": "a", "private_key": rsa_pem("short", 1024)}]), "has 1024 bits"),
        (
            json.dumps(
                [
                    {"kid": "same", "private_key": rsa_pem("one")},
                    {"kid": "same", "private_key": rsa_pem("two")},
                ]
            ),
            "each key needs its own kid (same)",
        ),
    ],
)
def test_a_wrong_configuration_is_refused_with_the_reason(settings, configured, message):
    settings.STEPWISE_SIGNING_KEYS = configured
    with pytest.raises(keys.SigningKeyError) as error:
        keys.signing_keys()
    assert message in str(error.value)
    [problem] = signing_keys_configured(None)
    assert problem.id == "certificates.E001"
    assert message in problem.msg


def test_a_missing_key_file_is_refused(settings, tmp_path):
    settings.STEPWISE_SIGNING_KEYS = ""
    settings.STEPWISE_SIGNING_KEYS_FILE = str(tmp_path / "missing.json")
    with pytest.raises(keys.SigningKeyError, match="cannot be read"):
        keys.signing_keys()


def test_manage_py_check_fails_on_a_wrong_configuration(settings):
    settings.STEPWISE_SIGNING_KEYS = "[]"
    with pytest.raises(SystemCheckError, match="certificates.E001"):
        call_command("check")


def test_a_good_configuration_passes_the_check():
    assert signing_keys_configured(None) == []


def test_the_jwks_says_so_when_keys_are_wrong(client, settings):
    settings.STEPWISE_SIGNING_KEYS = "[]"
    response = client.get(reverse("certificates:jwks"))
    assert response.status_code == 503
    assert response.json() == {"error": "The signing keys are not available."}
