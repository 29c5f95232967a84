"""Every URL in the URLconf, with the production settings' security headers in force, answers
with them all: a content security policy whose scripts need this response's nonce, HSTS,
Referrer-Policy, Permissions-Policy, Cross-Origin-Opener-Policy, frame denial and nosniff.
Each URL is fetched over HTTPS by someone it shows a real page to (its row in rows.py), with
the world's real objects, and by someone not signed in."""

import json
import logging
import re

import pytest
from django.test import override_settings

from stepwise.core.tests.production import run_python
from tests.security.rows import ROWS
from tests.security.urls import every_url, path_for, values_for, viewer
from tests.security.visiting import Visitor
from tests.security.world import build_world

# The production settings that make the headers, read in a process running them.
PROBE = """
import json
import django
django.setup()
from django.conf import settings as s
names = [
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_NAME",
    "PERMISSIONS_POLICY", "MIDDLEWARE",
]
print(json.dumps({name: getattr(s, name) for name in names}))
"""

PRODUCTION_ONLY_MIDDLEWARE = {"whitenoise.middleware.WhiteNoiseMiddleware"}


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    result = run_python(tmp_path_factory.mktemp("production"), "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def production_headers(settings, production):
    """This process's settings, with production's for every header and cookie. WhiteNoise
    (static files only) stays out: it needs the collected files."""
    assert [m for m in production["MIDDLEWARE"] if m not in PRODUCTION_ONLY_MIDDLEWARE] == list(
        settings.MIDDLEWARE
    ), "production's middleware differs from the tests': check these headers there too"
    for name, value in production.items():
        if name != "MIDDLEWARE":
            setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    return production


def test_production_sets_the_strict_values(production):
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and production["SECURE_HSTS_PRELOAD"]
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert production["X_FRAME_OPTIONS"] == "DENY"


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _problems(response, body: bytes, path: str, nonces: set) -> list[str]:
    headers = response.headers
    problems = []
    expected = {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
    }
    for header, value in expected.items():
        if headers.get(header) != value:
            problems.append(f"{header}: {headers.get(header)!r}, not {value!r}")
    permissions = headers.get("Permissions-Policy", "")
    if "camera=()" not in permissions or "publickey-credentials-get=(self)" not in permissions:
        problems.append(f"Permissions-Policy: {headers.get('Permissions-Policy')!r}")
    policy = headers.get("Content-Security-Policy", "")
    required = ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")  # ASVS V3.4.3
    if any(directive not in policy for directive in required) or "unsafe-" in policy:
        problems.append(f"Content-Security-Policy: {policy!r}")
    html = body.decode(errors="replace") if b"<html" in body else ""
    if html:
        nonce = re.search(r"script-src [^;]*'nonce-([^']+)'", policy)
        scripts = re.findall(r"<script\b[^>]*>", html)
        if not nonce:
            # Django's admin runs only script files, so 'self' alone is even stricter there.
            if path.startswith("/platform-admin/") and all(" src=" in s for s in scripts):
                return problems
            return [*problems, f"a page, but no nonce in script-src: {policy!r}"]
        if nonce.group(1) in nonces:
            problems.append("the nonce of an earlier response again")
        nonces.add(nonce.group(1))
        for script in scripts:
            if f'nonce="{nonce.group(1)}"' not in script and " src=" not in script:
                problems.append(f"an inline script without the nonce: {script}")
        if not path.startswith("/platform-admin/"):
            for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
                inline = re.search(r"\s(style|on[a-z]+)\s*=", tag)
                if inline:
                    problems.append(f"an inline {inline.group(1)} attribute: {tag}")
    return problems


@pytest.mark.django_db
def test_every_url_answers_with_the_security_headers(production_headers):
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    world = build_world()
    # Signing in (with the second step) over plain HTTP, before the HTTPS redirect applies.
    with override_settings(SECURE_SSL_REDIRECT=False):
        visitor = Visitor(world.people)
    nonces: set[str] = set()
    failures, pages = [], 0
    try:
        for entry in every_url():
            path = path_for(entry, values_for(entry, world, ROWS.get(entry.key)))
            for persona in {"anonymous", viewer(entry)}:
                response = visitor.request(persona, "get", path, secure=True)
                body = _body(response)
                pages += b"<html" in body
                failures += [
                    f"{entry.key} as {persona} ({response.status_code}): {problem}"
                    for problem in _problems(response, body, path, nonces)
                ]
    finally:
        logging.getLogger("django.request").setLevel(logging.NOTSET)
    assert not failures, "\n".join(failures)
    assert pages > 100, f"only {pages} pages had HTML to check"
