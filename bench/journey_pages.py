"""The journey's pages at national size (issue 4), on SQLite and on PostgreSQL.

Against the seed_bench dataset (seeded first if the database does not have it), each page is
requested through Django's test client, in process, so the time is the server's: middleware,
session, queries and Jinja2 rendering. 5 warm-ups, then 50 timed requests; p50 and p95.
The review decision is `request_decide` with 50 items (45 confirmed, 5 rejected with an
action plan), each on a fresh request made beforehand through the services; only the
decision is timed. The ward tablet pages (issue 15) are timed too: the whole Step on one
answers page, asking for confirmation, the action plans page, the compact review of a
115-item request (made fresh through the services) and the educator's sign-off summary.
Emails and notices are queued with the database task backend, as in production, so the
decision's time includes queueing them.

Run on its own, against the database the environment names:

    .venv/bin/python -m bench.journey_pages                    # SQLite in $TMPDIR
    STEPWISE_DATA_DIR=/tmp/bench-data .venv/bin/python -m bench.journey_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stepwise_bench \\
        .venv/bin/python -m bench.journey_pages

or with the others through `python -m bench journey_pages` (a throwaway SQLite database,
seeded every time). Size: STEPWISE_BENCH_LEARNERS (25000), STEPWISE_BENCH_PROFICIENCIES
(150), STEPWISE_BENCH_TRUSTS (50). Each run uses up 56 not-started learners for the
decisions and the 115-item review. Results for each database are kept side by side in
bench/results.md.
"""

import os
import platform
import re
import runpy
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench import RESULTS, benchmark, floors

NAME = "journey_pages"
# The production server's settings, whose worker start-up the timed process copies.
SERVER_SETTINGS = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
WARM_UPS = 5
RUNS = 50
DECISION_ITEMS = 50
# A whole Step 1 sent at once: every required proficiency and the optional minimum.
BIG_REVIEW_ITEMS = 115
REJECTED_ITEMS = 5
PAGE_TARGET_MS = 25
# Issue 13: a journey page costs at most this many times its raw-SQL floor (bench/floors.py).
FLOOR_TARGET = 3
DECISION_TARGET_MS = 150
NOT_BUILT = b"not built yet"
SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    "ALLOWED_HOSTS": ["testserver"],
}


def _size() -> dict[str, int]:
    return {
        "learners": int(os.environ.get("STEPWISE_BENCH_LEARNERS", "25000")),
        "proficiencies": int(os.environ.get("STEPWISE_BENCH_PROFICIENCIES", "150")),
        "trusts": int(os.environ.get("STEPWISE_BENCH_TRUSTS", "50")),
    }


@dataclass
class Timing:
    label: str
    samples_ms: list[float] | None = None
    queries: int | None = None
    cpu_ms: list[float] | None = None
    note: str = ""
    target_ms: float = PAGE_TARGET_MS
    floor_ms: list[float] | None = None

    def row(self, signed_in_ms: float | None = None) -> str:
        """The table row; `signed_in_ms` is a signed-in page's p50 that reads nothing of its
        own, for the last column."""
        if not self.samples_ms:
            return f"| {self.label} | {self.note} | | | | | | | | |"
        p50, p95 = _p50(self.samples_ms), _p95(self.samples_ms)
        verdict = "met" if p95 <= self.target_ms else "**missed**"
        queries = "" if self.queries is None else str(self.queries)
        cpu = f"{statistics.median(self.cpu_ms):.1f} ms" if self.cpu_ms else ""
        return (
            f"| {self.label}{' (' + self.note + ')' if self.note else ''} | {p50:.1f} ms "
            f"| {p95:.1f} ms | {cpu} | {queries} | ≤ {self.target_ms:.0f} ms: {verdict} "
            f"| {self._floor()} | {self._own(signed_in_ms)} |"
        )

    def _floor(self) -> str:
        """Floor p50 / p95, the page as a multiple of it (p50 / p95), and the 3× verdict."""
        if not self.floor_ms:
            return " | | "
        floor50, floor95 = _p50(self.floor_ms), _p95(self.floor_ms)
        times50 = _p50(self.samples_ms) / floor50
        times95 = _p95(self.samples_ms) / floor95
        verdict = "met" if max(times50, times95) <= FLOOR_TARGET else "**missed**"
        return (
            f"{floor50:.1f} / {floor95:.1f} ms | {times50:.1f}× / {times95:.1f}× "
            f"| ≤ {FLOOR_TARGET}×: {verdict}"
        )

    def _own(self, signed_in_ms: float | None) -> str:
        """What the page costs beyond a signed-in page that reads nothing (the session, the
        person, the layout), as a multiple of its floor at p50: the part a floor stands for."""
        if not self.floor_ms or signed_in_ms is None:
            return ""
        own = _p50(self.samples_ms) - signed_in_ms
        return f"{own:.1f} ms, {own / _p50(self.floor_ms):.1f}×"


def _p50(samples: list[float]) -> float:
    return statistics.median(samples)


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def seed_if_missing() -> str:
    """Seed the benchmark dataset unless the database has it; says which (for the results)."""
    from stepwise.demo.bench_data import bench_data_exists, seed_bench

    if bench_data_exists():
        return "seeded earlier"
    size = _size()
    print(f"Seeding {size['learners']:,} learners…", flush=True)
    summary = seed_bench(**size, report=lambda line: print(f"  {line}", flush=True))
    return f"seeded by this run in {summary.seconds:.0f} s"


def client_for(person):
    """A test client signed in as `person` (the server's time only: no browser)."""
    from django.test import Client

    from stepwise.accounts.tests import two_step

    # Staff pass two-step sign-in as a person would: the pages timed are the ones they see.
    return two_step.sign_in(Client(), person)


def _counting(counter: list):
    """Counts queries across the connection being closed and opened again around a request
    (CONN_MAX_AGE), which a CaptureQueriesContext loses."""

    def count(execute, sql, params, many, context):
        counter.append(sql)
        return execute(sql, params, many, context)

    return count


def time_page(label: str, client, url: str, floor: floors.Floor | None = None) -> Timing:
    """GET `url` WARM_UPS times, then RUNS timed times: wall and CPU samples and the query
    count of one request; a page that does not answer 200 is noted, not timed. With a
    floor, each request is followed by one run of the floor's query, so both meet the
    same load on a shared machine."""
    from django.db import connection

    queries: list[str] = []
    with connection.execute_wrapper(_counting(queries)):
        response = client.get(url)
    if response.status_code == 200 and NOT_BUILT in response.content:
        return Timing(label, note="page not built yet")
    if response.status_code != 200:
        return Timing(label, note=f"HTTP {response.status_code}, not timed")
    for _ in range(WARM_UPS):
        client.get(url)
        if floor:
            floor.fetch()
    samples, cpu, floor_samples = [], [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if floor:
            started = time.perf_counter()
            floor.fetch()
            floor_samples.append((time.perf_counter() - started) * 1000)
    return Timing(label, samples, len(queries), cpu, floor_ms=floor_samples or None)


def subjects():
    """Trust 1's learner with the most going on, and its busiest assessor."""
    from stepwise.accounts.models import User
    from stepwise.demo.bench_data import FRAMEWORK_SLUG, staff_email
    from stepwise.progress.models import ConfirmationRequest, Enrolment, ProficiencyRecord
    from stepwise.progress.states import RecordState

    lead = User.objects.get(email=staff_email(1, "assessor", 1))
    trust = lead.memberships.get().trust
    enrolment = (
        Enrolment.objects.filter(trust=trust, framework__slug=FRAMEWORK_SLUG)
        .filter(records__state=RecordState.AWAITING_CONFIRMATION)
        .filter(records__state=RecordState.CONFIRMED)
        .select_related("learner")
        .order_by("pk")
        .first()
    )
    awaiting = (
        ProficiencyRecord.objects.filter(
            enrolment=enrolment, state=RecordState.AWAITING_CONFIRMATION
        )
        .select_related("proficiency")
        .first()
    )
    waiting = ConfirmationRequest.objects.filter(
        trust=trust, state=ConfirmationRequest.State.WAITING
    )
    queue = waiting.filter(assessor=lead) | waiting.filter(
        assessor=None, unit=lead.memberships.get().unit
    )
    review = queue.order_by("-item_count", "pk").first()
    return lead, enrolment, awaiting.proficiency.section_id, queue.count(), review


def tablet_subjects(trust):
    """Trust 1's first learner with an open action plan, its first enrolment waiting for
    sign-off, and its first educator."""
    from stepwise.accounts.models import User
    from stepwise.demo.bench_data import FRAMEWORK_SLUG, staff_email
    from stepwise.progress.models import Action, Enrolment
    from stepwise.progress.states import EnrolmentState

    ours = Enrolment.objects.filter(trust=trust, framework__slug=FRAMEWORK_SLUG)
    planned = (
        Action.objects.filter(plan__record__enrolment__in=ours, done_at=None)
        .order_by("plan__record__enrolment_id")
        .values_list("plan__record__enrolment_id", flat=True)
        .first()
    )
    plans = ours.select_related("learner").get(pk=planned)
    signing = ours.filter(state=EnrolmentState.SIGN_OFF_REQUESTED).order_by("pk").first()
    educator = User.objects.get(email=staff_email(1, "educator", 1))
    return plans, signing, educator


def _pages() -> tuple[list[Timing], str]:
    from django.urls import reverse

    from stepwise.progress.views.assessor import PAGE_SIZE as TO_REVIEW_PAGE_SIZE

    lead, enrolment, section_id, queue, review = subjects()
    plans, signing, educator = tablet_subjects(enrolment.trust)
    big_id, big_lead, _ = _fresh_requests(1, items=BIG_REVIEW_ITEMS)[0]
    learner = client_for(enrolment.learner)
    assessor = client_for(lead)
    # As the production server's workers do once Django is loaded: what is made so far lives
    # as long as the process, so collections need not scan it (gunicorn.conf.py).
    runpy.run_path(str(SERVER_SETTINGS))["post_worker_init"](None)
    timings = [
        # What every signed-in page costs before it reads anything of its own (the session,
        # the person, their memberships, the layout): the part of each page no floor covers.
        time_page(
            "A signed-in page with nothing to read: the cookies notice (`core:cookies`)",
            learner,
            reverse("core:cookies"),
        ),
        time_page(
            "Learner's enrolment overview (`progress:enrolment`)",
            learner,
            reverse("progress:enrolment", args=[enrolment.pk]),
            floors.overview(enrolment),
        ),
        time_page(
            "Section page (`progress:section`)",
            learner,
            reverse("progress:section", args=[enrolment.pk, section_id]),
            floors.section(enrolment, section_id),
        ),
        time_page(
            f"Whole Step on one page, {enrolment.records.count()} rows (`progress:answers`)",
            learner,
            reverse("progress:answers", args=[enrolment.pk]),
            floors.whole_step(enrolment),
        ),
        time_page(
            "Ask for confirmation (`progress:request_confirmation`)",
            learner,
            reverse("progress:request_confirmation", args=[enrolment.pk]),
            floors.achieved(enrolment),
        ),
        time_page(
            "Action plans page (`progress:action_plans`)",
            client_for(plans.learner),
            reverse("progress:action_plans", args=[plans.pk]),
            floors.action_plans(plans),
        ),
        time_page(
            f'Assessor\'s "To review" ({queue} waiting) (`progress:to_review`)',
            assessor,
            reverse("progress:to_review"),
            floors.to_review(lead.memberships.get(), TO_REVIEW_PAGE_SIZE),
        ),
        time_page(
            f"Review page, {review.item_count} items (`progress:review`)",
            assessor,
            reverse("progress:review", args=[review.pk]),
            floors.review(review.pk),
        ),
        time_page(
            f"Compact review, {BIG_REVIEW_ITEMS} items (`progress:review`)",
            client_for(big_lead),
            reverse("progress:review", args=[big_id]),
            floors.review(big_id),
        ),
        time_page(
            "Sign-off summary (`progress:sign_off`)",
            client_for(educator),
            reverse("progress:sign_off", args=[signing.pk]),
            floors.sign_off(signing),
        ),
    ]
    return timings, (
        f"learner {enrolment.learner.email} (action plans: {plans.learner.email}), "
        f"assessor {lead.email}, educator {educator.email}"
    )


def _fresh_requests(count: int, items: int = DECISION_ITEMS):
    """Not-started learners ask their Trust's lead assessor to confirm `items` proficiencies
    (50, unless told)."""
    from django.db.models import Exists, OuterRef

    from stepwise.accounts.models import User
    from stepwise.demo.bench_data import FRAMEWORK_SLUG, NETWORK_CODE, staff_email
    from stepwise.progress.models import Enrolment, RecordEvent
    from stepwise.progress.services import confirmation_request, records_self_assess
    from stepwise.progress.states import EnrolmentState, RecordState

    untouched = (
        Enrolment.objects.filter(framework__slug=FRAMEWORK_SLUG, state=EnrolmentState.ACTIVE)
        .filter(~Exists(RecordEvent.objects.filter(enrolment=OuterRef("pk"))))
        .select_related("learner", "trust", "version")
        .order_by("pk")[:count]
    )
    prepared = []
    for enrolment in untouched:
        trust_number = int(enrolment.trust.code[len(NETWORK_CODE) :])
        lead = User.objects.get(email=staff_email(trust_number, "assessor", 1))
        records = list(
            enrolment.records.order_by("proficiency__section__position", "proficiency__position")[
                :items
            ]
        )
        records_self_assess(
            enrolment=enrolment,
            by=enrolment.learner,
            answers=[(r.pk, RecordState.ACHIEVED, "Practised on shift.") for r in records],
        )
        request = confirmation_request(
            enrolment=enrolment,
            by=enrolment.learner,
            record_ids=[r.pk for r in records],
            assessor=lead,
        )
        prepared.append((request.pk, lead, [r.pk for r in records]))
    if len(prepared) < count:
        raise RuntimeError(
            f"Only {len(prepared)} not-started learners are left for the decisions: seed a "
            "fresh database."
        )
    return prepared


def _decisions() -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from stepwise.progress.models import ConfirmationRequest, Decision
    from stepwise.progress.services import request_decide
    from stepwise.progress.services.confirmation import ActionInput, ItemDecision

    prepared = _fresh_requests(WARM_UPS + RUNS)
    due = timezone.localdate() + timedelta(days=21)
    samples, cpu, queries = [], [], None
    for n, (request_id, lead, record_ids) in enumerate(prepared):
        items = [
            ItemDecision(record_id=pk, outcome=Decision.Outcome.CONFIRMED)
            for pk in record_ids[REJECTED_ITEMS:]
        ] + [
            ItemDecision(
                record_id=pk,
                outcome=Decision.Outcome.REJECTED,
                note="Needs more practice.",
                actions=[ActionInput("Work two supervised shifts on this.", due)],
            )
            for pk in record_ids[:REJECTED_ITEMS]
        ]
        request = ConfirmationRequest.objects.get(pk=request_id)
        kwargs = {
            "request": request,
            "by": lead,
            "registration_body": lead.registration_body,
            "registration_number": lead.registration_number,
            "items": items,
        }
        if n == 0:
            with CaptureQueriesContext(connection) as captured:
                request_decide(**kwargs)
            queries = len(captured)
            continue
        started, started_cpu = time.perf_counter(), time.process_time()
        request_decide(**kwargs)
        if n >= WARM_UPS:
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return Timing(
        f"Review decision, {len(record_ids)} items (`request_decide`)",
        samples,
        queries,
        cpu,
        target_ms=DECISION_TARGET_MS,
    )


def database_in_use() -> tuple[str, str, str]:
    """(key, description, size on disk) of the database in use."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
        return "postgresql", f"PostgreSQL {version}", _gb(size)
    path = Path(connection.settings_dict["NAME"])
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return "sqlite", f"SQLite {sqlite3.sqlite_version} (WAL)", _gb(size)


def _gb(size: int) -> str:
    return f"{size / 1024**3:.1f} GB"


def dataset_summary() -> str:
    """One line on the size of the benchmark dataset in the database."""
    from stepwise.demo.bench_data import FRAMEWORK_SLUG
    from stepwise.frameworks.models import Proficiency
    from stepwise.progress.models import Enrolment, ProficiencyRecord, RecordEvent

    enrolments = Enrolment.objects.filter(framework__slug=FRAMEWORK_SLUG)
    learners = enrolments.count()
    proficiencies = Proficiency.objects.filter(version__framework__slug=FRAMEWORK_SLUG).count()
    trusts = enrolments.values("trust").distinct().count()
    records = ProficiencyRecord.objects.count()
    events = RecordEvent.objects.count()
    return (
        f"{learners:,} learners × {proficiencies} proficiencies at {trusts} Trusts: "
        f"{records:,} records, {events:,} record events"
    )


def _block(key: str, text: str) -> str:
    return f"<!-- {NAME}:{key} -->\n{text.strip()}\n<!-- /{NAME}:{key} -->"


def _kept_blocks(current_key: str) -> dict[str, str]:
    """The other databases' results from the last runs, kept as they were."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    kept = {}
    for key in ("sqlite", "postgresql"):
        if key == current_key:
            continue
        match = re.search(rf"<!-- {NAME}:{key} -->.*?<!-- /{NAME}:{key} -->", text, flags=re.DOTALL)
        if match:
            kept[key] = match.group(0)
    return kept


@benchmark(NAME)
def run() -> str:
    from django.test import override_settings
    from django.utils import timezone

    seeded = seed_if_missing()
    with override_settings(**SETTINGS):
        pages, who = _pages()
        decision = _decisions()
    load = os.getloadavg()[0]
    key, database, disk = database_in_use()
    # The first page reads nothing of its own: what every signed-in page costs.
    signed_in_ms = _p50(pages[0].samples_ms) if pages[0].samples_ms else None
    block = "\n".join(
        [
            f"### {database}, {timezone.localdate():%d %B %Y}",
            "",
            f"Dataset: {dataset_summary()}; {disk} on disk ({seeded}). Personas: {who}. "
            f"Load average {load:.1f} on {os.cpu_count()} CPUs at the end of the run.",
            "",
            "| page | p50 | p95 | CPU p50 | queries | target (p95) | floor p50 / p95 "
            "| page ÷ floor (p50 / p95) | target | page less a signed-in page, ÷ floor (p50) |",
            "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: |",
            *[timing.row(signed_in_ms) for timing in [*pages, decision]],
        ]
    )
    blocks = _kept_blocks(key)
    blocks[key] = _block(key, block)
    return "\n".join(
        [
            "## Journey pages (issues 4 and 13)",
            "",
            "Server time through Django's test client, in process (middleware, session, "
            f"queries, Jinja2), {RUNS} requests after {WARM_UPS} warm-ups, against the "
            "`seed_bench` dataset, with what was loaded before the first page frozen out "
            "of the garbage collector's reach as the production server's workers do "
            "(`gunicorn.conf.py`). The decision is `request_decide` with "
            f"{DECISION_ITEMS} items ({DECISION_ITEMS - REJECTED_ITEMS} confirmed, "
            f"{REJECTED_ITEMS} rejected with an action plan) on a fresh request each time, "
            "emails and notices queued with the database task backend; only the decision is "
            f"timed. Targets: pages ≤ {PAGE_TARGET_MS} ms at p95, the decision ≤ "
            f"{DECISION_TARGET_MS} ms. *Floor* (issue 13): the rows the page lists, fetched "
            "with one hand-written query through the same driver and turned into a list of "
            "dicts (`bench/floors.py`), run once after each request so both meet the same "
            f"load; the page should cost at most {FLOOR_TARGET}× its floor at p50 and p95 "
            "(issue 13 sets it for the overview, section, To review and review pages; the "
            "others are shown for comparison). The last column takes from the page what a "
            "signed-in page that reads nothing costs (the first row, signed in as the learner: "
            "the session, the person and their memberships, the layout), which no floor "
            "covers, and compares what is left with the floor; a member of staff's header has "
            "more in it, so their pages' own part reads a little high. *CPU p50* is this "
            "process's own time (Python, templates, and SQLite's work, but not PostgreSQL's): "
            "on a shared machine it shows what the page costs apart from waiting for a CPU. "
            "Machine: "
            f"{os.cpu_count()} CPUs shared with other work, Python "
            f"{platform.python_version()}.",
            "",
            *[blocks[k] + "\n" for k in ("sqlite", "postgresql") if k in blocks],
        ]
    )


def main() -> int:
    """On its own: the database from the environment, migrated, seeded if need be."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault(
            "STEPWISE_DATA_DIR", str(Path(tempfile.gettempdir()) / "stepwise-bench-journeys")
        )
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        print(
            f"The database {name} is not named for benchmarks: this adds thousands of "
            "accounts with a known password, so it needs a database whose name (or folder) "
            "says bench.",
            file=sys.stderr,
        )
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    import bench

    started = time.perf_counter()
    markdown = run()
    bench.write_section(NAME, markdown)
    print(markdown)
    print(f"Done in {time.perf_counter() - started:.0f} s; written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
