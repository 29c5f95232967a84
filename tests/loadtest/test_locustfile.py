"""The load test's locustfile still fits the site: it imports, its personas are there, every
path it asks for resolves to the view it names, and it reads the sign-in form as a browser
would. No load is run.

Locust patches the standard library with gevent when imported, so the locustfile is only ever
imported in a subprocess, never in the test run's own process.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import resolve
from django_otp.oath import TOTP

from stepwise.demo.two_step import DEMO_TOTP_KEY, DEMO_TOTP_SECRET

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE = """
import json, sys
sys.path.insert(0, "bench/loadtest")
import locustfile

form = locustfile.PostForm(sys.stdin.read()).form_with("email")
print(json.dumps({
    "paths": locustfile.PATHS,
    "personas": {
        name: getattr(locustfile, name).weight for name in ("Learner", "Assessor", "Educator")
    },
    "form": form and {"fields": form["fields"], "radios": form["radios"]},
    "code": locustfile.totp(sys.argv[1], at=1_700_000_000),
    "cpu": locustfile.server_cpu_ms({"Server-Timing": sys.argv[2]}),
    "no_cpu": locustfile.server_cpu_ms({}),
    "median": locustfile.percentile([5.0, 1.0, 3.0, 2.0], 0.5),
}))
"""


def _probe(html: str, server_timing: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, DEMO_TOTP_SECRET, server_timing],
        cwd=ROOT,
        input=html,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def sign_in_page(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/sign-in/").content.decode()


@pytest.fixture(scope="module")
def server_timing(django_db_blocker):
    """The header the measuring server sends (config.settings.serve_local)."""
    from django.test import Client, override_settings

    with django_db_blocker.unblock(), override_settings(STEPWISE_SERVER_TIMING=True):
        return Client().get("/sign-in/").headers["Server-Timing"]


@pytest.fixture(scope="module")
def probed(sign_in_page, server_timing):
    return _probe(sign_in_page, server_timing)


def test_the_locustfile_imports_with_its_three_personas(probed):
    assert set(probed["personas"]) == {"Learner", "Assessor", "Educator"}
    assert all(weight > 0 for weight in probed["personas"].values())


def test_every_path_it_asks_for_is_the_view_it_names(probed):
    # The mixed journey of issue 13: learners, assessors, educators on the dashboards.
    assert set(probed["paths"]) >= {
        "progress:enrolment",
        "progress:section",
        "progress:to_review",
        "progress:review",
        "reports:dashboard",
        "reports:learners",
    }
    for name, path in probed["paths"].items():
        concrete = path.format(enrolment=1, section=2, request=3)
        assert resolve(concrete).view_name == name, f"{path} is no longer {name}"


def test_it_reads_the_sign_in_form_as_a_browser_sends_it(probed, sign_in_page):
    fields = dict(probed["form"]["fields"])
    assert set(fields) >= {"csrfmiddlewaretoken", "email", "password"}
    assert fields["csrfmiddlewaretoken"] and fields["csrfmiddlewaretoken"] in sign_in_page


def test_its_security_code_is_the_one_the_site_expects(probed):
    expected = TOTP(bytes.fromhex(DEMO_TOTP_KEY), step=30, t0=0, digits=6)
    expected.time = 1_700_000_000
    assert probed["code"] == f"{expected.token():06d}"


def test_it_reads_the_cpu_each_request_took_from_the_servers_header(probed, server_timing):
    assert probed["cpu"] == float(server_timing.split(";dur=")[1].split(",")[0])
    assert probed["no_cpu"] is None
    assert probed["median"] == 3.0
