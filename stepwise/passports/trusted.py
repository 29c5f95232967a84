"""Which issuers' passports this installation accepts, and the keys each signs with.

`STEPWISE_TRUSTED_ISSUERS` (a JSON list, usually from the environment) or the file named by
`STEPWISE_TRUSTED_ISSUERS_FILE` (the same list), each entry
`{"issuer": "<its SITE_URL>", "name": "...", "jwks": {"keys": [...]}}` and/or `"jwks_url"`.
An inline JWKS works offline; a `jwks_url` is fetched only when a passport names a key the
inline set lacks. This installation always trusts itself, with its own signing keys
(certificates/keys.py): there is one key system, not two.
"""

import json
import logging
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from stepwise.certificates import keys

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 5
FETCH_MAX_BYTES = 256 * 1024
SELF_NAME = "this Stepwise service"


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A trusted issuer's keys come from the address configured for it, not from wherever
    that address points on (OWASP ASVS V15.3.2): a redirect is an HTTPError, so no keys."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_RefuseRedirects)


def _open(url: str):
    return _opener.open(url, timeout=FETCH_TIMEOUT_SECONDS)


class TrustedIssuerError(Exception):
    """The trusted issuers are wrongly configured; the message says how to fix it."""


@dataclass(frozen=True)
class Issuer:
    url: str
    name: str
    keys: dict[str, RSAKey] = field(default_factory=dict)
    jwks_url: str = ""
    is_self: bool = False

    def key(self, kid: str) -> RSAKey | None:
        """The key named `kid`, fetching the issuer's JWKS if it is not known inline."""
        if kid in self.keys:
            return self.keys[kid]
        if self.jwks_url:
            return fetch_jwks(self.jwks_url).get(kid)
        return None


def public_keys(jwks, where: str) -> dict[str, RSAKey]:
    """The RSA keys of a JWKS by kid; private parts are ignored, other key types skipped."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise TrustedIssuerError(f'{where}: jwks must be a JWKS, {{"keys": [...]}}.')
    found = {}
    for number, jwk in enumerate(jwks["keys"], start=1):
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA":
            continue
        if not isinstance(jwk.get("kid"), str) or not jwk["kid"]:
            raise TrustedIssuerError(f"{where}, key {number}: every key needs a kid.")
        try:
            key = RSAKey.import_key({name: jwk[name] for name in ("kty", "n", "e")})
        except (KeyError, ValueError, JoseError) as error:
            raise TrustedIssuerError(f"{where}, key {number}: not a valid RSA key.") from error
        found[jwk["kid"]] = key
    return found


def fetch_jwks(url: str) -> dict[str, RSAKey]:
    """The keys published at `url`, or none if it cannot be fetched: the passport is then
    reported as signed with an unknown key, never a server error."""
    try:
        with _open(url) as response:
            body = response.read(FETCH_MAX_BYTES + 1)
        if len(body) > FETCH_MAX_BYTES:
            raise ValueError("the JWKS is too large")
        return public_keys(json.loads(body), url)
    except (OSError, ValueError, TrustedIssuerError) as error:
        logger.warning("Could not fetch the trusted issuer keys at %s: %s", url, error)
        return {}


def _issuer(entry, where: str) -> Issuer:
    if not isinstance(entry, dict):
        raise TrustedIssuerError(f"{where}: each issuer must be an object.")
    url, name = entry.get("issuer"), entry.get("name")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise TrustedIssuerError(f"{where}: issuer must be the installation's address.")
    if not isinstance(name, str) or not name.strip():
        raise TrustedIssuerError(f"{where}: give the issuer a name people will recognise.")
    jwks, jwks_url = entry.get("jwks"), entry.get("jwks_url", "")
    if jwks is None and not jwks_url:
        raise TrustedIssuerError(f"{where}: give jwks (works offline) or jwks_url.")
    if jwks_url and (not isinstance(jwks_url, str) or not jwks_url.startswith("https://")):
        raise TrustedIssuerError(f"{where}: jwks_url must be an https address.")
    found = public_keys(jwks, where) if jwks is not None else {}
    return Issuer(url=url.rstrip("/"), name=name.strip(), keys=found, jwks_url=jwks_url)


def _configured() -> list[Issuer]:
    raw = getattr(settings, "STEPWISE_TRUSTED_ISSUERS", "")
    where = "STEPWISE_TRUSTED_ISSUERS"
    if not raw:
        path = getattr(settings, "STEPWISE_TRUSTED_ISSUERS_FILE", "")
        if not path:
            return []
        where = f"STEPWISE_TRUSTED_ISSUERS_FILE ({path})"
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise TrustedIssuerError(f"{where} cannot be read: {error.strerror}.") from error
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as error:
            raise TrustedIssuerError(f"{where} is not valid JSON: {error}.") from error
    if not isinstance(raw, list):
        raise TrustedIssuerError(f"{where} must be a list of issuers.")
    return [_issuer(entry, f"{where}, issuer {n}") for n, entry in enumerate(raw, start=1)]


def this_installation() -> Issuer:
    own = {key.kid: key.key for key in keys.signing_keys()}
    return Issuer(url=settings.SITE_URL, name=SELF_NAME, keys=own, is_self=True)


def trusted_issuers() -> list[Issuer]:
    """Every trusted issuer, this installation first. Raises TrustedIssuerError and
    keys.SigningKeyError."""
    return [this_installation(), *_configured()]


def issuer_for(url: str) -> Issuer | None:
    url = url.rstrip("/")
    return next((issuer for issuer in trusted_issuers() if issuer.url == url), None)
