"""The workforce reports at national size (issue 9), on SQLite and on PostgreSQL.

Against the seed_bench dataset (seeded first if the database does not have it, summaries
included), through Django's test client in process, 5 warm-ups then 50 timed requests:
Trust 1's dashboard as its Trust administrator, the national and network reports as a
national lead, and, for comparison, Trust 1's dashboard with a start-date filter (which the
summaries do not carry, so it counts the records). Then a 25,000-row XLSX export: every
enrolment in the country as a named list, through the functions the background export uses
(queries.named_list, presenters.learner_values, exports.write_xlsx), timed once, then run
again under tracemalloc for its peak of Python memory.

Run on its own, against the database the environment names (as bench.journey_pages):

    STEPWISE_DATA_DIR=/tmp/bench-data .venv/bin/python -m bench.reports_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stepwise_bench \\
        .venv/bin/python -m bench.reports_pages

Size: STEPWISE_BENCH_LEARNERS (25000) and the other variables of bench.journey_pages.
"""

import os
import platform
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench import RESULTS, benchmark
from bench.journey_pages import (
    RUNS,
    SETTINGS,
    WARM_UPS,
    Timing,
    client_for,
    database_in_use,
    dataset_summary,
    seed_if_missing,
    time_page,
)

NAME = "reports_pages"
TRUST_TARGET_MS = 100
NATIONAL_TARGET_MS = 500
EXPORT_TARGET_S = 10
EXPORT_MEMORY_TARGET_MB = 200
NATIONAL_LEAD = "bench.national.lead@example.org"


def _people():
    from stepwise.accounts.models import User
    from stepwise.demo.bench_data import PASSWORD, staff_email

    admin = User.objects.get(email=staff_email(1, "admin", 1))
    lead = User.objects.filter(email=NATIONAL_LEAD).first() or User.objects.create_user(
        email=NATIONAL_LEAD, password=PASSWORD, full_name="Bench National Lead", is_staff=True
    )
    return admin, lead


def _aim(timing: Timing, target_ms: float) -> Timing:
    timing.target_ms = target_ms
    return timing


def _pages() -> list[Timing]:
    from django.urls import reverse

    from stepwise.demo.bench_data import FRAMEWORK_SLUG, NETWORK_CODE
    from stepwise.organisations.models import Organisation

    admin, lead = _people()
    trust_admin, national = client_for(admin), client_for(lead)
    network = Organisation.objects.get(kind=Organisation.Kind.NETWORK, code=NETWORK_CODE)
    dashboard = reverse("reports:dashboard")
    return [
        _aim(
            time_page(
                "Trust dashboard, Trust administrator (`reports:dashboard`)",
                trust_admin,
                dashboard,
            ),
            TRUST_TARGET_MS,
        ),
        _aim(
            time_page(
                "National reports (`reports:national`)", national, reverse("reports:national")
            ),
            NATIONAL_TARGET_MS,
        ),
        _aim(
            time_page(
                "Network reports, 50 Trusts (`reports:network`)",
                national,
                reverse("reports:network", args=[network.pk]),
            ),
            NATIONAL_TARGET_MS,
        ),
        _aim(
            time_page(
                "Network reports, 50 Trusts, filtered by a cohort of 10 (`reports:network`)",
                national,
                reverse("reports:network", args=[network.pk]) + f"?cohort={_cohort().pk}",
            ),
            NATIONAL_TARGET_MS,
        ),
        _aim(
            time_page(
                "Framework rejections, every Trust (`reports:framework_rejections`)",
                national,
                reverse("reports:framework_rejections", args=[FRAMEWORK_SLUG]),
            ),
            NATIONAL_TARGET_MS,
        ),
        _aim(
            time_page(
                "Trust dashboard filtered by start date: counts the records (`reports:dashboard`)",
                trust_admin,
                dashboard + "?started_from_day=1&started_from_month=1&started_from_year=2000",
            ),
            TRUST_TARGET_MS,
        ),
    ]


def _cohort():
    """A cohort of the first 10 bench Trusts (made once)."""
    from datetime import date

    from stepwise.demo.bench_data import NETWORK_CODE
    from stepwise.organisations.models import Cohort, Organisation

    cohort, made = Cohort.objects.get_or_create(
        name="Bench wave 1", defaults={"starts_on": date(2026, 1, 5)}
    )
    if made:
        trusts = Organisation.objects.filter(parent__code=NETWORK_CODE).order_by("pk")[:10]
        cohort.trusts.add(*trusts)
    return cohort


def _export_rows():
    from stepwise.reports import presenters, queries
    from stepwise.reports.forms import Filters

    listed = queries.named_list(queries.all_enrolments(Filters()), "all").iterator(chunk_size=2000)
    yield list(presenters.LEARNER_COLUMNS.values())
    yield from presenters.learner_values(listed)


def _export() -> list[str]:
    from stepwise.reports import exports

    with tempfile.TemporaryFile() as handle:
        before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started, started_cpu = time.perf_counter(), time.process_time()
        rows = exports.write_xlsx(handle, [("All learners", _export_rows())])
        seconds = time.perf_counter() - started
        cpu = time.process_time() - started_cpu
        size = handle.tell()
        after_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryFile() as handle:
        tracemalloc.start()
        exports.write_xlsx(handle, [("All learners", _export_rows())])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    peak_mb = peak / 1024**2
    time_verdict = "met" if seconds <= EXPORT_TARGET_S else "**missed**"
    memory_verdict = "met" if peak_mb <= EXPORT_MEMORY_TARGET_MB else "**missed**"
    return [
        "| export | rows | time | CPU | file | peak Python memory (tracemalloc) | "
        "process's peak RSS, whole run | targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| XLSX, every enrolment as a named list | {rows:,} | {seconds:.1f} s | {cpu:.1f} s "
        f"| {size / 1024**2:.1f} MB | {peak_mb:.1f} MB "
        f"| {max(before_rss, after_rss) / 1024:.0f} MB "
        f"| ≤ {EXPORT_TARGET_S} s: {time_verdict}; ≤ {EXPORT_MEMORY_TARGET_MB} MB: "
        f"{memory_verdict} |",
    ]


def _summary_rows() -> str:
    from stepwise.progress.summary_models import SUMMARIES

    return ", ".join(f"{m.__name__} {m.objects.count():,}" for m in SUMMARIES)


def _block(key: str, text: str) -> str:
    return f"<!-- {NAME}:{key} -->\n{text.strip()}\n<!-- /{NAME}:{key} -->"


def _kept_blocks(current_key: str) -> dict[str, str]:
    text = RESULTS.read_text() if RESULTS.exists() else ""
    kept = {}
    for key in ("sqlite", "postgresql"):
        match = re.search(rf"<!-- {NAME}:{key} -->.*?<!-- /{NAME}:{key} -->", text, flags=re.DOTALL)
        if match and key != current_key:
            kept[key] = match.group(0)
    return kept


@benchmark(NAME)
def run() -> str:
    from django.test import override_settings
    from django.utils import timezone

    seeded = seed_if_missing()
    with override_settings(**SETTINGS):
        pages = _pages()
    export = _export()
    load = os.getloadavg()[0]
    key, database, disk = database_in_use()
    block = "\n".join(
        [
            f"### {database}, {timezone.localdate():%d %B %Y}",
            "",
            f"Dataset: {dataset_summary()}; {disk} on disk ({seeded}). Summary rows: "
            f"{_summary_rows()}. Load average {load:.1f} on {os.cpu_count()} CPUs at the end "
            "of the run.",
            "",
            "| page | p50 | p95 | CPU p50 | queries | target (p95) |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
            *[timing.row() for timing in pages],
            "",
            *export,
        ]
    )
    blocks = _kept_blocks(key)
    blocks[key] = _block(key, block)
    return "\n".join(
        [
            "## Workforce reports (issue 9)",
            "",
            "Server time through Django's test client, in process, "
            f"{RUNS} requests after {WARM_UPS} warm-ups, against the `seed_bench` dataset "
            "with the summaries the progress services keep (ADR 10). Targets: a Trust's "
            f"dashboard ≤ {TRUST_TARGET_MS} ms at p95, the national reports ≤ "
            f"{NATIONAL_TARGET_MS} ms; a 25,000-row XLSX export ≤ {EXPORT_TARGET_S} s with "
            f"peak memory ≤ {EXPORT_MEMORY_TARGET_MB} MB. The network page shows every figure per "
            "Trust; a cohort is read from the summaries, the start-date filter is not carried "
            "by them: that row shows what counting the records costs. "
            f"Machine: {os.cpu_count()} CPUs shared with other work, Python "
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
            f"The database {name} is not named for benchmarks: it needs a database whose name "
            "(or folder) says bench.",
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
