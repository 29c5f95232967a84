"""A real OpenID Connect provider for the single sign-on tests: authlib's authorization server
(authorization code grant, PKCE, OpenID Connect ID tokens) with discovery, JWKS, user info and
a sign-in page, served over HTTP by wsgiref in a thread on 127.0.0.1.

Stepwise's client talks to it exactly as it would to NHS CIS2. A test can make it misbehave
the ways a provider (or someone in the middle) might: `id_token_claims` overrides claims of
the ID tokens it signs (a wrong nonce, audience, issuer or expiry), `signing_key` signs them
with a key it does not publish, `email_in_userinfo_only` keeps the email claims out of the
ID token, and `stop()` takes it down.
"""

import html
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Error, OAuth2Request, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import KeySet, RSAKey
from requests.structures import CaseInsensitiveDict

KID = "provider-key-1"


@dataclass
class Person:
    """Someone with an account at the provider."""

    username: str
    subject: str
    email: str = ""
    email_verified: bool = True
    name: str = ""
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    acr: str = ""


@dataclass
class _Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uri: str

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uri

    def get_allowed_scope(self, scope):
        allowed = {"openid", "email", "profile"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret):
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class _Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str
    code_challenge: str
    code_challenge_method: str
    auth_time: int

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return self.person.acr or None

    def get_amr(self):
        return self.person.amr or None


class _Request(OAuth2Request):
    def __init__(self, environ, uri: str, args: dict, form: dict):
        headers = CaseInsensitiveDict()
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                headers[key[5:].replace("_", "-")] = value
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        super().__init__(environ["REQUEST_METHOD"], uri, headers=headers)
        self._args, self._form = args, form
        self.payload = BasicOAuth2Payload({**args, **form})

    @property
    def args(self):
        return self._args

    @property
    def form(self):
        return self._form


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Server(WSGIServer):
    # A browser may hold a connection open; each request in its own thread keeps the
    # provider answering the service's back-channel calls meanwhile.
    def process_request(self, request, client_address):
        thread = threading.Thread(target=self._serve, args=(request, client_address), daemon=True)
        thread.start()

    def _serve(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


class Provider:
    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": KID}, private=True)
        self.people: dict[str, Person] = {}
        self.clients: dict[str, _Client] = {}
        self.codes: dict[str, _Code] = {}
        self.tokens: dict[str, Person] = {}
        # Misbehaviour, set by a test.
        self.id_token_claims: dict = {}
        self.signing_key: RSAKey | None = None
        self.email_in_userinfo_only = False
        # A path answered with a redirect to another path that serves the same.
        self.moved: dict[str, str] = {}
        self.requests: list[str] = []
        self._server = make_server(
            "127.0.0.1", 0, self._app, server_class=_Server, handler_class=_Quiet
        )
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._authz = self._authorization_server()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # --- set-up, for tests ---------------------------------------------------------------

    def add_person(self, username: str, **details) -> Person:
        details.setdefault("subject", f"sub-{generate_token(12)}")
        person = Person(username=username, **details)
        self.people[username] = person
        return person

    def add_client(self, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self.clients[client_id] = _Client(client_id, client_secret, redirect_uri)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- the authorization server ---------------------------------------------------------

    def _authorization_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id):
                return provider.clients.get(client_id)

            def save_token(self, token, request):
                provider.tokens[token["access_token"]] = request.user

            def create_oauth2_request(self, request):
                return request  # already one (_Request)

            def handle_response(self, status, body, headers):
                return status, body, headers

            def send_signal(self, name, *args, **kwargs):
                pass

        class CodeGrant(grants.AuthorizationCodeGrant):
            def save_authorization_code(self, code, request):
                data = request.payload.data
                provider.codes[code] = _Code(
                    code=code,
                    client_id=request.client.client_id,
                    redirect_uri=data.get("redirect_uri", ""),
                    scope=request.scope,
                    person=request.user,
                    nonce=data.get("nonce", ""),
                    code_challenge=data.get("code_challenge", ""),
                    code_challenge_method=data.get("code_challenge_method", ""),
                    auth_time=int(time.time()),
                )

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                if found and found.client_id == client.client_id:
                    return found
                return None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.person

        class OpenID(OpenIDCode):
            def exists_nonce(self, nonce, request):
                return any(code.nonce == nonce for code in provider.codes.values())

            def resolve_client_private_key(self, client):
                return provider.signing_key or provider.key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": KID}

            def get_client_claims(self, client):
                return {"iss": provider.issuer, "aud": [client.client_id]}

            def generate_user_info(self, person, scope):
                info = UserInfo(sub=person.subject, name=person.name)
                if "email" in scope and not provider.email_in_userinfo_only:
                    info["email"] = person.email
                    info["email_verified"] = person.email_verified
                # Applied last, over every claim (encode_id_token updates with these).
                info.update(provider.id_token_claims)
                return info

        server = Server(scopes_supported=["openid", "email", "profile"])
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda *args, **kwargs: generate_token(32))
        )
        server.register_grant(CodeGrant, [OpenID(require_nonce=True), CodeChallenge(required=True)])
        return server

    # --- HTTP ----------------------------------------------------------------------------

    def _app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        self.requests.append(path)
        args = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        form = {}
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
        uri = self.issuer + path + ("?" + environ["QUERY_STRING"] if args else "")
        request = _Request(environ, uri, args, form)
        if path in self.moved:
            start_response("302 Found", [("Location", self.issuer + self.moved[path])])
            return [b""]
        path = {new: old for old, new in self.moved.items()}.get(path, path)
        handler = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
            "/userinfo": self._userinfo,
        }.get(path)
        if handler is None:
            status, body, headers = 404, "Not found", [("Content-Type", "text/plain")]
        else:
            status, body, headers = handler(request)
        if isinstance(body, dict):
            body = json.dumps(body)
            headers = [*headers, ("Content-Type", "application/json")]
        start_response(f"{status} {'OK' if status < 400 else 'Error'}", list(headers))
        return [body.encode()]

    def _discovery(self, request):
        return (
            200,
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "userinfo_endpoint": self.issuer + "/userinfo",
                "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "scopes_supported": ["openid", "email", "profile"],
            },
            [],
        )

    def _jwks(self, request):
        return 200, KeySet([self.key]).as_dict(private=False), []

    def _authorize(self, request):
        """GET: the sign-in page. POST: the person chose who they are (the test's password)."""
        try:
            grant = self._authz.get_consent_grant(request)
        except OAuth2Error as error:  # shown on the page, as a provider would
            message = f"{error.error}: {error.description}"
            return 400, _page("Sign-in problem", f"<p>{html.escape(message)}</p>"), _HTML
        if request.method == "GET":
            return 200, _sign_in_page(request.uri), _HTML
        person = self.people.get(request.form.get("username", ""))
        if person is None:
            return 200, _sign_in_page(request.uri, problem="Unknown user name"), _HTML
        return self._authz.create_authorization_response(request, grant_user=person, grant=grant)

    def _token(self, request):
        return self._authz.create_token_response(request)

    def _userinfo(self, request):
        auth = request.headers.get("Authorization", "")
        person = self.tokens.get(auth.removeprefix("Bearer ").strip())
        if person is None:
            return 401, {"error": "invalid_token"}, []
        info = {"sub": person.subject, "name": person.name}
        info.update(email=person.email, email_verified=person.email_verified)
        return 200, info, []


_HTML = [("Content-Type", "text/html; charset=utf-8")]


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )


def _sign_in_page(action: str, problem: str = "") -> str:
    problem_html = f'<p role="alert">{html.escape(problem)}</p>' if problem else ""
    return _page(
        "Test identity provider: sign in",
        f'{problem_html}<form method="post" action="{html.escape(action)}">'
        '<label for="username">User name</label> '
        '<input id="username" name="username" autocomplete="username"> '
        '<button type="submit">Sign in</button></form>',
    )


def redirect_params(location: str) -> dict:
    return dict(parse_qsl(location.split("?", 1)[1])) if "?" in location else {}
