"""The keys that sign digital credentials, and the public half we publish as a JWKS.

Configured keys come from `STEPWISE_SIGNING_KEYS` (a JSON list) or the file named by
`STEPWISE_SIGNING_KEYS_FILE` (the same list): each `{"kid": "...", "private_key": "<PEM>"}`,
newest first. The first signs; all are published, so a credential signed before a rotation
still verifies. With none configured, a key is generated on first use into
`STEPWISE_SIGNING_KEYS_DIR` (under the data folder, never the repository): fine for a laptop,
wrong for several app servers, which would each make their own.

RSA keys of at least 2048 bits sign with RS256, the one algorithm Open Badges 3.0 requires
every verifier to support.
"""

import json
import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.urls import reverse
from joserfc.jwk import RSAKey
from joserfc.jws import JWSRegistry

logger = logging.getLogger(__name__)

ALGORITHM = "RS256"
# The key that signs must give 128-bit security (RSA 3072, OWASP ASVS V11.2.3); older keys,
# kept only so that credentials they signed still verify, may be the 2048 bits of the past.
SIGNING_RSA_BITS = 3072
MIN_RSA_BITS = 2048
KID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class SigningKeyError(Exception):
    """The signing keys are missing or wrongly configured; the message says how to fix it."""


class CredentialRegistry(JWSRegistry):
    """joserfc's registry with room for a whole framework: a credential aligned to 150
    proficiencies is larger than joserfc's default limit of 128 kB."""

    max_header_length = 2048
    max_payload_length = 1024 * 1024


REGISTRY = CredentialRegistry(algorithms=[ALGORITHM])


@dataclass(frozen=True)
class SigningKey:
    name: str  # the kid as configured, e.g. "2026-01"
    key: RSAKey

    @property
    def kid(self) -> str:
        """What credentials and the JWKS call the key: Open Badges 3.0 wants a URI that
        dereferences to the public key, so the JWKS address with the name as fragment."""
        return f"{jwks_url()}#{self.name}"

    def public_jwk(self) -> dict:
        public = self.key.as_dict(private=False)
        jwk = {name: public[name] for name in ("kty", "n", "e")}
        return {**jwk, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}


def jwks_url() -> str:
    return f"{settings.SITE_URL}{reverse('certificates:jwks')}"


def _rsa_key(name: str, pem: str, where: str, min_bits: int = MIN_RSA_BITS) -> SigningKey:
    if not isinstance(name, str) or not KID_PATTERN.match(name):
        raise SigningKeyError(
            f"{where}: the kid must be 1 to 64 letters, digits, dots, hyphens or underscores."
        )
    if not isinstance(pem, str) or "PRIVATE KEY" not in pem:
        raise SigningKeyError(f"{where} ({name}): private_key must be a PEM private key.")
    try:
        private = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as error:
        raise SigningKeyError(f"{where} ({name}): the private key cannot be read.") from error
    if not isinstance(private, rsa.RSAPrivateKey):
        raise SigningKeyError(f"{where} ({name}): the key must be an RSA key (RS256).")
    if private.key_size < min_bits:
        raise SigningKeyError(
            f"{where} ({name}): the RSA key has {private.key_size} bits; use at least {min_bits}."
        )
    return SigningKey(name=name, key=RSAKey.import_key(private))


@lru_cache(maxsize=16)
def _parse(entries: tuple[tuple[str, str], ...], where: str) -> tuple[SigningKey, ...]:
    keys = tuple(
        _rsa_key(
            name,
            pem,
            f"{where}, key {number}",
            SIGNING_RSA_BITS if number == 1 else MIN_RSA_BITS,
        )
        for number, (name, pem) in enumerate(entries, start=1)
    )
    names = [key.name for key in keys]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise SigningKeyError(f"{where}: each key needs its own kid ({', '.join(duplicates)}).")
    return keys


def _entries(raw, where: str) -> tuple[tuple[str, str], ...]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as error:
            raise SigningKeyError(f"{where} is not valid JSON: {error}.") from error
    if not isinstance(raw, list) or not raw:
        raise SigningKeyError(f"{where} must be a list of keys, newest first.")
    entries = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not {"kid", "private_key"} <= entry.keys():
            raise SigningKeyError(f"{where}, key {number}: give a kid and a private_key.")
        entries.append((entry["kid"], entry["private_key"]))
    return tuple(entries)


def _configured() -> tuple[SigningKey, ...] | None:
    raw = getattr(settings, "STEPWISE_SIGNING_KEYS", "")
    if raw:
        return _parse(_entries(raw, "STEPWISE_SIGNING_KEYS"), "STEPWISE_SIGNING_KEYS")
    path = getattr(settings, "STEPWISE_SIGNING_KEYS_FILE", "")
    if path:
        where = f"STEPWISE_SIGNING_KEYS_FILE ({path})"
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise SigningKeyError(f"{where} cannot be read: {error.strerror}.") from error
        return _parse(_entries(text, where), where)
    return None


@lru_cache(maxsize=16)
def _bits(pem: bytes) -> int:
    """The RSA key size of a PEM, 0 if it is not one. Cached: loading checks the key, which
    costs tens of milliseconds at 3072 bits, and the keys are read on every signature."""
    try:
        private = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        return 0
    return private.key_size if isinstance(private, rsa.RSAPrivateKey) else 0


def _generated(folder: Path) -> tuple[SigningKey, ...]:
    """Development keys in `folder`, newest first; one is made if there is none. Each file
    is named after its key's thumbprint, so two processes starting at once each write their
    own and both are published: nothing to race over."""
    files = sorted(folder.glob("*.pem"), key=lambda f: (f.stat().st_mtime, f.name), reverse=True)
    if not files or _bits(files[0].read_bytes()) < SIGNING_RSA_BITS:
        # None yet, or the newest is from before keys had to be 3072 bits: a new one signs
        # from now on and the old one stays published, so what it signed still verifies.
        folder.mkdir(parents=True, exist_ok=True)
        private = rsa.generate_private_key(public_exponent=65537, key_size=SIGNING_RSA_BITS)
        name = RSAKey.import_key(private).thumbprint()[:16]
        path = folder / f"{name}.pem"
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(pem)
        logger.warning(
            "Generated a credential signing key at %s. Configure STEPWISE_SIGNING_KEYS in "
            "production so that every app server signs with the same keys.",
            path,
        )
        files = [path, *files]
    entries = tuple((f.stem, f.read_text(encoding="utf-8")) for f in files)
    return _parse(entries, str(folder))


def signing_keys() -> tuple[SigningKey, ...]:
    """Every key, newest (the one that signs) first. Raises SigningKeyError."""
    configured = _configured()
    if configured is not None:
        return configured
    return _generated(Path(settings.STEPWISE_SIGNING_KEYS_DIR))


def current_key() -> SigningKey:
    return signing_keys()[0]


def key_by_kid(kid: str) -> SigningKey | None:
    return next((key for key in signing_keys() if key.kid == kid), None)


def jwks() -> dict:
    """The public keys, as served at /.well-known/jwks.json: never a private part."""
    return {"keys": [key.public_jwk() for key in signing_keys()]}
