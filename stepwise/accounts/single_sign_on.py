"""Single sign-on with OpenID Connect: the protocol, through authlib (docs/adr/0018).

Authorization code flow with PKCE (S256); authlib keeps the state, nonce and code verifier in
the session and checks them on the way back, verifies the ID token's signature against the
provider's published keys (JWKS) and its claims. We pin what authlib leaves open: `aud` must
name our client, `iss` must be the configured issuer (the discovery document is refused if it
names another), and only asymmetric signature algorithms are accepted. Who the identity is in
Stepwise is the services' business (`accounts.services.sso_sign_in`); this module only proves
what the provider says.
"""

import logging
import time
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.django_client import OAuth
from authlib.integrations.django_client.apps import DjangoOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from joserfc.errors import JoseError

log = logging.getLogger(__name__)

CLIENT_NAME = "sso"
# Asymmetric only: an ID token can never be signed with a shared secret or not signed at all.
SIGNATURE_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
# The discovery document is read again after this long (new endpoints); keys are read again
# whenever a token names a key we do not have (rotation), which authlib does by itself.
METADATA_SECONDS = 3600
# The session key saying whether the provider proved more than one factor at this sign-in.
# The MFA check (issue 12 point 1) reads it through `session_is_multi_factor`.
SESSION_MULTI_FACTOR = "stepwise_sso_multi_factor"
SESSION_NEXT = "stepwise_sso_next"


class SignOnFailed(Exception):
    """The provider's answer cannot be trusted or used; the message says what to do."""


class ProviderUnavailable(SignOnFailed):
    """The provider did not answer, or answered nonsense."""


@dataclass(frozen=True)
class Identity:
    """What a verified ID token (and the provider's user info) says about the person."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str
    multi_factor: bool


def is_configured() -> bool:
    return bool(
        settings.STEPWISE_OIDC_ISSUER
        and settings.STEPWISE_OIDC_CLIENT_ID
        and settings.STEPWISE_OIDC_CLIENT_SECRET
    )


def button_label() -> str:
    return settings.STEPWISE_OIDC_BUTTON_LABEL


def provider_name() -> str:
    """The provider as people know it, from the button's label ("NHS Care Identity")."""
    label = button_label()
    return label.removeprefix("Sign in with ").strip() or "single sign-on"


def unavailable_message() -> str:
    return (
        f"{provider_name()} is not answering at the moment. Try again in a few minutes, or "
        "sign in with your email address and password"
    )


class _NoRedirects(OAuth2Session):
    """The provider's endpoints are called where its discovery document says, never where a
    redirect points (ASVS 5.0 V15.3.2): a redirect's empty answer reads as a provider that
    is not answering."""

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


class _App(DjangoOAuth2App):
    client_cls = _NoRedirects

    def load_server_metadata(self):
        loaded_at = self.server_metadata.get("_loaded_at")
        if loaded_at and time.time() - loaded_at > METADATA_SECONDS:
            self.server_metadata.clear()
        metadata = super().load_server_metadata()
        if metadata.get("issuer") != settings.STEPWISE_OIDC_ISSUER:
            # A document naming another issuer would let that issuer's tokens through.
            self.server_metadata.clear()
            raise SignOnFailed(
                "The single sign-on provider's settings do not match this service's. Sign in "
                "with your email address and password, and tell the service desk"
            )
        offered = metadata.get("id_token_signing_alg_values_supported") or SIGNATURE_ALGORITHMS
        metadata["id_token_signing_alg_values_supported"] = [
            alg for alg in offered if alg in SIGNATURE_ALGORITHMS
        ] or SIGNATURE_ALGORITHMS
        return metadata


_clients: dict[tuple, _App] = {}


def _client() -> _App:
    """One client per configuration, so the discovery document and keys are read once."""
    key = (
        settings.STEPWISE_OIDC_ISSUER,
        settings.STEPWISE_OIDC_CLIENT_ID,
        settings.STEPWISE_OIDC_CLIENT_SECRET,
        settings.STEPWISE_OIDC_SCOPES,
        settings.STEPWISE_OIDC_TOKEN_AUTH_METHOD,
        settings.STEPWISE_OIDC_TIMEOUT_SECONDS,
    )
    if key not in _clients:
        registry = OAuth()
        registry.register(
            CLIENT_NAME,
            client_cls=_App,
            client_id=settings.STEPWISE_OIDC_CLIENT_ID,
            client_secret=settings.STEPWISE_OIDC_CLIENT_SECRET,
            server_metadata_url=(
                settings.STEPWISE_OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
            ),
            client_kwargs={
                "scope": settings.STEPWISE_OIDC_SCOPES,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": settings.STEPWISE_OIDC_TOKEN_AUTH_METHOD,
                "default_timeout": settings.STEPWISE_OIDC_TIMEOUT_SECONDS,
            },
        )
        _clients[key] = registry.create_client(CLIENT_NAME)
    return _clients[key]


def authorization_redirect(request, *, redirect_uri: str, next_url: str):
    """The redirect to the provider's sign-in page. ProviderUnavailable if it cannot be read."""
    try:
        response = _client().authorize_redirect(request, redirect_uri)
    except (requests.RequestException, ValueError) as problem:
        log.warning("Single sign-on provider unavailable: %s", problem)
        raise ProviderUnavailable(unavailable_message()) from problem
    except AuthlibBaseError as problem:
        log.warning("Single sign-on cannot start: %s", problem)
        raise SignOnFailed(_start_again("could not start")) from problem
    request.session[SESSION_NEXT] = next_url
    return response


def next_url(request) -> str:
    return request.session.pop(SESSION_NEXT, "")


def identity_from_callback(request) -> Identity:
    """Check the provider's answer on our callback and return who it vouches for.
    SignOnFailed (or ProviderUnavailable) with a message for the person if anything is wrong."""
    client = _client()
    try:
        token = client.authorize_access_token(request, claims_options=_claims_options())
        if "userinfo" not in token:
            # No ID token (or no nonce kept for it): nothing verifiable, whatever else came.
            raise SignOnFailed(_start_again("did not say who you are"))
        claims = dict(token["userinfo"])
        info = _user_info(client, token, claims)
    except MismatchingStateError as problem:
        raise SignOnFailed(_start_again("could not be matched to this browser")) from problem
    except AuthlibBaseError as problem:
        log.info("Single sign-on refused: %s %s", problem.error, problem.description)
        if problem.error == "access_denied":
            raise SignOnFailed(
                f"You did not finish signing in with {provider_name()}. Sign in again when "
                "you are ready"
            ) from problem
        raise SignOnFailed(_start_again("was refused")) from problem
    except JoseError as problem:
        log.warning("Single sign-on ID token rejected: %r", problem)
        raise SignOnFailed(_start_again("could not be verified")) from problem
    except (requests.RequestException, ValueError) as problem:
        log.warning("Single sign-on provider unavailable: %s", problem)
        raise ProviderUnavailable(unavailable_message()) from problem
    return Identity(
        issuer=claims["iss"],
        subject=str(claims["sub"]),
        email=str(info.get("email") or ""),
        email_verified=info.get("email_verified") is True,
        name=str(info.get("name") or ""),
        multi_factor=is_multi_factor(claims),
    )


def _claims_options() -> dict:
    return {
        "iss": {"essential": True, "value": settings.STEPWISE_OIDC_ISSUER},
        "aud": {"essential": True, "value": settings.STEPWISE_OIDC_CLIENT_ID},
        "sub": {"essential": True},
        "exp": {"essential": True},
    }


def _user_info(client, token, claims: dict) -> dict:
    """The email claims: from the ID token, or else from the user info endpoint (CIS2 gives
    them there), whose answer must be about the same subject."""
    if "email" in claims:
        return claims
    metadata = client.load_server_metadata()
    if not metadata.get("userinfo_endpoint"):
        return claims
    info = client.userinfo(token=token)
    if str(info.get("sub")) != str(claims["sub"]):
        raise SignOnFailed(_start_again("described someone else"))
    return info


def _start_again(what: str) -> str:
    return (
        f"Signing in with {provider_name()} {what}. Start again from the sign-in page, or "
        "sign in with your email address and password"
    )


def is_multi_factor(claims: dict) -> bool:
    """Whether the provider says the person used more than one factor (RFC 8176 `amr`, or an
    assurance level in `acr` that the deployment lists, e.g. CIS2's AAL values)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if any(value in settings.STEPWISE_OIDC_MFA_AMR for value in amr):
        return True
    acr = claims.get("acr")
    return bool(acr) and acr in settings.STEPWISE_OIDC_MFA_ACR


def session_is_multi_factor(session) -> bool:
    """Whether this session was signed in through the provider with more than one factor."""
    return session.get(SESSION_MULTI_FACTOR) is True
