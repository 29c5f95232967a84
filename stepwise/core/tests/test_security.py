"""Production settings pass Django's deployment checks, cookies are locked to the host, and
every page's content security policy relies on a nonce, never on 'unsafe-inline'."""

import functools
import json
import re
import subprocess
import sys

import pytest

from stepwise.accounts.tests import two_step
from stepwise.core.tests.pages import our_pages
from stepwise.core.tests.production import BASE_DIR, production_env, run_python


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = run_python(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# Run with production settings: the cookie settings, and the cookie Django really sets.
COOKIE_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory

def view(request):
    get_token(request)
    return HttpResponse()

request = RequestFactory().get("/", secure=True, HTTP_HOST="stepwise.example")
response = CsrfViewMiddleware(view)(request)
csrf = response.cookies[settings.CSRF_COOKIE_NAME]
print(json.dumps({
    "session": [settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE,
                settings.SESSION_COOKIE_PATH, settings.SESSION_COOKIE_DOMAIN,
                settings.SESSION_COOKIE_HTTPONLY],
    "csrf": [settings.CSRF_COOKIE_NAME, settings.CSRF_COOKIE_SECURE,
             settings.CSRF_COOKIE_PATH, settings.CSRF_COOKIE_DOMAIN],
    "csrf_header": csrf.output(header=""),
}))
"""


def test_production_cookies_are_host_only_and_secure(tmp_path):
    result = run_python(tmp_path, "-c", COOKIE_PROBE)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    # __Host- cookies must be Secure, for path /, with no Domain: browsers refuse them otherwise.
    assert probe["session"] == ["__Host-sessionid", True, "/", None, True]
    assert probe["csrf"] == ["__Host-csrftoken", True, "/", None]
    header = probe["csrf_header"].strip()
    assert header.startswith("__Host-csrftoken=")
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert "secure" in attributes
    assert "domain" not in attributes
    assert "Path=/" in header


def test_production_trusts_no_forwarded_for_header_unless_told_how_many_proxies(tmp_path):
    # Reached directly, X-Forwarded-For is whatever the client wrote: by default the throttles
    # count REMOTE_ADDR. Behind a load balancer the deployment sets 1.
    probe = "import django; django.setup(); from django.conf import settings as s; "
    probe += "print(s.STEPWISE_TRUSTED_PROXY_COUNT)"
    env = production_env(tmp_path)
    run = functools.partial(
        subprocess.run, [sys.executable, "-c", probe], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert run(env=env, timeout=120).stdout.split() == ["0"]
    told = run(env={**env, "STEPWISE_TRUSTED_PROXY_COUNT": "1"}, timeout=120)
    assert told.stdout.split() == ["1"]


def test_plain_cookies_for_the_loopback_smoke_check_are_refused_for_a_real_host(tmp_path):
    probe = "import django; django.setup(); from django.conf import settings as s; "
    probe += "print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_NAME)"
    env = {**production_env(tmp_path), "STEPWISE_LOOPBACK_CHECK_PLAIN_COOKIES": "1"}
    run = functools.partial(
        subprocess.run,
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    refused = run(env=env)  # DJANGO_ALLOWED_HOSTS=stepwise.example
    assert refused.returncode != 0
    assert "is for the loopback smoke check only" in refused.stderr

    loopback = run(env={**env, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"})
    assert loopback.returncode == 0, loopback.stderr
    assert loopback.stdout.split() == ["sessionid", "False", "csrftoken"]


def _policy(response, path) -> str:
    policy = response.headers.get("Content-Security-Policy", "")
    assert policy, f"{path} has no Content-Security-Policy"
    assert "unsafe-inline" not in policy, f"{path}: {policy}"
    assert "unsafe-eval" not in policy, f"{path}: {policy}"
    return policy


def _nonce(policy: str, path: str) -> str:
    script_src = re.search(r"script-src ([^;]*)", policy)
    nonce = re.search(r"'nonce-([^']+)'", script_src.group(1)) if script_src else None
    assert nonce, f"{path} is a page but its script-src has no nonce: {policy}"
    return nonce.group(1)


@pytest.mark.parametrize("person", ["anonymous", "trust_admin", "learner", "platform_admin"])
def test_every_page_has_a_nonce_policy_and_no_inline_code(client, db, request, person):
    if person != "anonymous":
        two_step.sign_in(client, request.getfixturevalue(person))
    pages = 0
    for path in our_pages():
        response = client.get(path)
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        policy = _policy(response, path)
        html = response.content.decode()
        if "<html" not in html:
            continue  # a redirect, or a method that is not allowed: nothing to run
        nonce = _nonce(policy, path)
        for script in re.findall(r"<script\b[^>]*>", html):
            assert f'nonce="{nonce}"' in script, f"{path}: script without the nonce: {script}"
        for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
            inline = re.search(r"\s(style|on[a-z]+)\s*=", tag)
            assert not inline, f"{path} has an inline {inline.group(1)} attribute: {tag}"
        pages += 1
    assert pages >= 5, f"only {pages} pages were checked"


def test_the_admin_pages_run_no_inline_script(client, platform_admin):
    two_step.sign_in(client, platform_admin)
    response = client.get("/platform-admin/")
    assert response.status_code == 200
    policy = _policy(response, "/platform-admin/")
    assert "script-src 'self'" in policy
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    for script in scripts:
        assert " src=" in script or "nonce=" in script, f"inline script in the admin: {script}"
