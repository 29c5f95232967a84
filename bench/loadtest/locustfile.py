"""The mixed journey under load (issue 13): `make loadtest` runs this with locust, headless.

Three personas sign in as `seed_bench` people (their password is the bench one) and then work
as people do, each with a pause between pages:

- learners (most users) open My proficiencies, their enrolment's overview and a section, and
  now and then answer one proficiency on that section and save;
- assessors open To review, open a request and now and then confirm everything in it;
- educators move between the report dashboards and To review.

Only the standard library and locust: this runs in locust's process, not Django's. The paths
are in PATHS, by Django URL name, so a test (tests/loadtest) can check they still resolve to
those views without running a load. Measuring the server (its CPU) is the runner's part:
bench/loadtest/__main__.py.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import re
import struct
import time
from html import unescape
from html.parser import HTMLParser

import gevent
import psutil
from locust import HttpUser, between, events, task

# The seed_bench people (stepwise/demo/bench_data.py): password, e-mail addresses, how many.
PASSWORD = os.environ.get("STEPWISE_BENCH_PASSWORD", "stepwise-bench-2026")
LEARNERS = int(os.environ.get("STEPWISE_BENCH_LEARNERS", "25000"))
TRUSTS = int(os.environ.get("STEPWISE_BENCH_TRUSTS", "50"))
ASSESSORS_PER_TRUST = 6
EDUCATORS_PER_TRUST = 2
DOMAIN = "example.org"
# Staff sign in in two steps (ADR 17): the base32 authenticator key their devices hold. Give
# bench staff the demo's (README, "Measuring the production server") and name it here.
TOTP_SECRET = os.environ.get("STEPWISE_BENCH_TOTP_SECRET", "")

# Every path this file asks for, by the Django URL name it must resolve to.
PATHS = {
    "accounts:sign_in": "/sign-in/",
    "accounts:mfa_verify": "/sign-in/security-code/",
    "progress:mine": "/my-proficiencies/",
    "progress:enrolment": "/enrolments/{enrolment}/",
    "progress:section": "/enrolments/{enrolment}/sections/{section}/",
    "progress:to_review": "/to-review/",
    "progress:review": "/to-review/{request}/",
    "reports:dashboard": "/reports/",
    "reports:learners": "/reports/learners/",
}
# Locust's report names each page by its pattern, not by the ids in it.
NAMES = {name: path.replace("{", "<").replace("}", ">") for name, path in PATHS.items()}

ENROLMENT_LINK = re.compile(r'href="/enrolments/(\d+)/"')
SECTION_LINK = re.compile(r'href="/enrolments/\d+/sections/(\d+)/"')
REQUEST_LINK = re.compile(r'href="/to-review/(\d+)/"')
NAMED_LIST_LINK = re.compile(r'href="/reports/learners/\?([^"]*show=[^"]+)"')
# Let the users not all start in step.
THINK_TIME = between(
    float(os.environ.get("STEPWISE_LOADTEST_THINK_MIN", "0.5")),
    float(os.environ.get("STEPWISE_LOADTEST_THINK_MAX", "1.5")),
)


# Users done with signing in (the measured window starts when all are).
SIGNED_IN: list = []
# The CPU the server says each request in the measured window took (its Server-Timing header,
# config.settings.serve_local), by request name: medians, which CPU totals cannot give.
SERVER_CPU_MS: dict[str, list[float]] = {}
SERVER_TIMING_CPU = re.compile(r"(?:^|,)\s*cpu;dur=([0-9.]+)")
MEASURING = []


def learner_email(number: int) -> str:
    return f"bench.learner{number:06d}@{DOMAIN}"


def staff_email(trust: int, role: str, number: int) -> str:
    return f"bench.t{trust:03d}.{role}{number}@{DOMAIN}"


def totp(secret: str, at: float | None = None) -> str:
    """The current 6-digit code (RFC 6238: 30 s steps, SHA-1), as an authenticator app shows."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    step = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    digest = hmac.new(key, step, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def path(name: str, **ids: int) -> str:
    return PATHS[name].format(**ids)


class PostForm(HTMLParser):
    """What a browser would send from a page's POST forms: each form's fields as a list of
    (name, value) pairs, from hidden and text inputs, checked radios and boxes, textareas
    and selected options. Radio groups are kept apart (`radios`) so a persona can choose."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "").lower() == "post":
                self._form = {"action": attrs.get("action") or "", "fields": [], "radios": {}}
                self.forms.append(self._form)
            return
        if self._form is None or "name" not in attrs:
            return
        name, kind = attrs["name"], (attrs.get("type") or "text").lower()
        if tag == "input" and kind == "radio":
            group = self._form["radios"].setdefault(name, {"values": [], "checked": None})
            group["values"].append(attrs.get("value", ""))
            if "checked" in attrs:
                group["checked"] = attrs.get("value", "")
        elif tag == "input" and kind == "checkbox":
            if "checked" in attrs:
                self._form["fields"].append((name, attrs.get("value", "on")))
        elif tag == "input" and kind not in {"submit", "button", "file", "image", "reset"}:
            self._form["fields"].append((name, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = name
            self._form["fields"].append((name, ""))

    def handle_data(self, data):
        if self._form is not None and self._textarea is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None

    def form_with(self, prefix: str) -> dict | None:
        """The first POST form with a radio group or field whose name starts with `prefix`."""
        for form in self.forms:
            names = list(form["radios"]) + [name for name, _value in form["fields"]]
            if any(name.startswith(prefix) for name in names):
                return form
        return None


def submitted(form: dict, **chosen: str) -> list[tuple[str, str]]:
    """The form's fields with each radio group's checked value, then `chosen` over them."""
    data = [(name, value) for name, value in form["fields"] if name not in chosen]
    for name, group in form["radios"].items():
        if name not in chosen and group["checked"] is not None:
            data.append((name, group["checked"]))
    return data + list(chosen.items())


class SignedIn(HttpUser):
    abstract = True
    wait_time = THINK_TIME

    def email(self) -> str:
        raise NotImplementedError

    def on_start(self):
        page = self.client.get(path("accounts:sign_in"), name=NAMES["accounts:sign_in"])
        form = PostForm(page.text).form_with("email")
        token = dict(form["fields"]).get("csrfmiddlewaretoken", "") if form else ""
        with self.client.post(
            path("accounts:sign_in"),
            data={"csrfmiddlewaretoken": token, "email": self.email(), "password": PASSWORD},
            name=NAMES["accounts:sign_in"] + " (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"signing in as {self.email()} answered {response.status_code}")
            elif response.headers.get("Location", "").startswith(path("accounts:mfa_verify")):
                self.second_step()
            elif "/two-step-sign-in/set-up/" in response.headers.get("Location", ""):
                response.failure(
                    f"{self.email()} has no authenticator: give bench staff the demo's key "
                    "(README, Measuring the production server)"
                )
        SIGNED_IN.append(self)

    def second_step(self):
        page = self.client.get(path("accounts:mfa_verify"), name=NAMES["accounts:mfa_verify"])
        form = PostForm(page.text).form_with("code")
        if form is None or not TOTP_SECRET:
            page.failure("asked for a security code: set STEPWISE_BENCH_TOTP_SECRET")
            return
        self.client.post(
            path("accounts:mfa_verify"),
            data=submitted(form, code=totp(TOTP_SECRET)),
            name=NAMES["accounts:mfa_verify"] + " (POST)",
        )  # or failed to: either way, done with signing in

    def get(self, name: str, **ids: int):
        return self.client.get(path(name, **ids), name=NAMES[name])


class Learner(SignedIn):
    weight = 16

    def email(self) -> str:
        return learner_email(random.randint(1, LEARNERS))

    def on_start(self):
        super().on_start()
        self.enrolment = None
        self.sections: list[int] = []

    @task(3)
    def overview(self):
        if self.enrolment is None:
            mine = self.get("progress:mine")
            found = ENROLMENT_LINK.findall(mine.text)
            if not found:
                return
            self.enrolment = int(found[0])
        page = self.get("progress:enrolment", enrolment=self.enrolment)
        self.sections = sorted({int(s) for s in SECTION_LINK.findall(page.text)})

    @task(4)
    def section(self):
        if not self.sections:
            return self.overview()
        section = random.choice(self.sections)
        page = self.get("progress:section", enrolment=self.enrolment, section=section)
        if random.random() < 0.25:
            self.self_assess(page.text, section)

    def self_assess(self, html: str, section: int):
        """Answer one proficiency the page lets the learner answer, and save the page."""
        form = PostForm(html).form_with("answer-")
        if form is None:
            return
        open_groups = [name for name in form["radios"] if name.startswith("answer-")]
        if not open_groups:
            return
        name = random.choice(open_groups)
        answer = random.choice(form["radios"][name]["values"])
        self.client.post(
            path("progress:section", enrolment=self.enrolment, section=section),
            data=submitted(form, **{name: answer}),
            name=NAMES["progress:section"] + " (POST)",
        )


class Assessor(SignedIn):
    weight = 3

    def email(self) -> str:
        return staff_email(
            random.randint(1, TRUSTS), "assessor", random.randint(1, ASSESSORS_PER_TRUST)
        )

    @task
    def review(self):
        listing = self.get("progress:to_review")
        waiting = REQUEST_LINK.findall(listing.text)
        if not waiting:
            return
        request = int(random.choice(waiting[:10]))
        page = self.get("progress:review", request=request)
        if random.random() < 0.3:
            form = PostForm(page.text).form_with("outcome_")
            if form is not None:
                # "Confirm everything else": every proficiency of the request confirmed.
                self.client.post(
                    path("progress:review", request=request),
                    data=submitted(form, confirm_rest=""),
                    name=NAMES["progress:review"] + " (POST)",
                )


class Educator(SignedIn):
    weight = 1

    def email(self) -> str:
        return staff_email(
            random.randint(1, TRUSTS), "educator", random.randint(1, EDUCATORS_PER_TRUST)
        )

    def on_start(self):
        super().on_start()
        self.lists: list[str] = []

    @task(3)
    def dashboard(self):
        page = self.get("reports:dashboard")
        self.lists = sorted({unescape(query) for query in NAMED_LIST_LINK.findall(page.text)})

    @task(2)
    def named_list(self):
        """One of the lists behind the dashboard's counts, as its links open them."""
        if not self.lists:
            return self.dashboard()
        query = random.choice(self.lists)
        self.client.get(path("reports:learners") + f"?{query}", name=NAMES["reports:learners"])

    @task(1)
    def to_review(self):
        self.get("progress:to_review")


# Measuring, when the runner asks (STEPWISE_LOADTEST_REPORT): the window starts once every
# user has signed in (Argon2 on 50 sign-ins at once is not the journey), and lasts
# STEPWISE_LOADTEST_SECONDS. Locust's figures are reset at its start; the CPU time of the
# server's processes, of the database's backends and of this process is read at both ends.


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    seconds = {}
    for process in processes:
        try:
            times = process.cpu_times()
            seconds[process.pid] = times.user + times.system
        except psutil.Error:
            pass  # gone meanwhile: its time is lost, and said so by the process counts
    return seconds


def server_processes() -> list[psutil.Process]:
    server = psutil.Process(int(os.environ["STEPWISE_LOADTEST_SERVER_PID"]))
    return [server, *server.children(recursive=True)]


def database_processes() -> list[psutil.Process]:
    """PostgreSQL's backends serving the benchmark database (their titles name it)."""
    name = os.environ.get("STEPWISE_LOADTEST_DATABASE", "")
    found = []
    for process in psutil.process_iter(["cmdline"]):
        line = " ".join(process.info["cmdline"] or [])
        if name and line.startswith("postgres: ") and f" {name} " in line:
            found.append(process)
    return found


def snapshot() -> dict:
    host = psutil.cpu_times()
    return {
        "wall": time.monotonic(),
        "server": cpu_seconds(server_processes()),
        "database": cpu_seconds(database_processes()),
        "generator": cpu_seconds([psutil.Process()]),
        "host_busy": sum(host) - host.idle - getattr(host, "iowait", 0.0),
        "load": os.getloadavg(),
    }


def server_cpu_ms(headers) -> float | None:
    """The CPU a response's Server-Timing header says its request took, if it says."""
    found = SERVER_TIMING_CPU.search(headers.get("Server-Timing", ""))
    return float(found.group(1)) if found else None


@events.request.add_listener
def note_server_cpu(request_type, name, response=None, exception=None, **kwargs):
    if not MEASURING or response is None or exception is not None:
        return
    cpu = server_cpu_ms(response.headers)
    if cpu is not None:
        SERVER_CPU_MS.setdefault(f"{request_type} {name}", []).append(cpu)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(environment):
    users = environment.parsed_options.num_users
    while len(SIGNED_IN) < users:
        gevent.sleep(0.1)
    # Each worker compiles a template on its first use of it: not what a running site pays.
    gevent.sleep(float(os.environ.get("STEPWISE_LOADTEST_WARM_UP", "10")))
    environment.runner.stats.reset_all()
    SERVER_CPU_MS.clear()
    MEASURING.append(True)
    start = snapshot()
    gevent.sleep(float(os.environ.get("STEPWISE_LOADTEST_SECONDS", "60")))
    end = snapshot()
    MEASURING.clear()
    every_cpu = [ms for values in SERVER_CPU_MS.values() for ms in values]
    stats = environment.runner.stats
    report = {
        "start": start,
        "end": end,
        "users": users,
        "cpus": psutil.cpu_count(),
        "requests": stats.total.num_requests,
        "failures": stats.total.num_failures,
        "errors": [
            {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
        "percentiles_ms": {
            str(p): stats.total.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99)
        },
        "server_cpu_ms": {
            "timed": len(every_cpu),
            "p50": percentile(every_cpu, 0.5),
            "p95": percentile(every_cpu, 0.95),
        },
        "pages": [
            {
                "name": f"{entry.method} {entry.name}",
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "p50": entry.get_response_time_percentile(0.5),
                "p95": entry.get_response_time_percentile(0.95),
                "cpu_p50": percentile(SERVER_CPU_MS.get(f"{entry.method} {entry.name}", []), 0.5),
            }
            for entry in sorted(stats.entries.values(), key=lambda e: -e.num_requests)
        ],
    }
    with open(os.environ["STEPWISE_LOADTEST_REPORT"], "w") as file:
        json.dump(report, file)
    environment.runner.quit()


@events.test_start.add_listener
def start_measuring(environment, **kwargs):
    if os.environ.get("STEPWISE_LOADTEST_REPORT"):
        gevent.spawn(measure, environment)
