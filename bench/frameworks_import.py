"""Framework import and export at 5,000 proficiencies, as CASE 1.1 JSON, XLSX and CSV.

Each file is made by exporting a published version, then imported three times as a new draft
of another framework through the same code the import command and the sample loader use:
reading and checking the whole file, then the bulk insert. Run with
`python -m bench frameworks_import`.
"""

import platform
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import benchmark
from stepwise.accounts.models import User
from stepwise.frameworks.exchange.content import FrameworkContent, ProficiencyData, SectionData
from stepwise.frameworks.exchange.files import Format, export_version, read_file
from stepwise.frameworks.models import Framework
from stepwise.frameworks.services import (
    framework_create,
    version_approve,
    version_import,
    version_publish,
    version_submit_for_review,
)

SECTIONS = 50
PER_SECTION = 100
RUNS = 3
STATEMENT = "Demonstrates safe and effective care of the critically ill patient, item {code}."
GUIDANCE = (
    "The assessor looks for a systematic approach, clear documentation and prompt escalation. " * 6
)


def _content() -> FrameworkContent:
    return FrameworkContent(
        sections=[
            SectionData(
                code=str(s),
                title=f"Section {s}",
                proficiencies=[
                    ProficiencyData(
                        code=f"{s}.{p}",
                        statement=STATEMENT.format(code=f"{s}.{p}"),
                        guidance=GUIDANCE.strip(),
                        optional=p % 10 == 0,
                        supernumerary=p % 4 == 0,
                        evidence_hints="Observed practice; reflection; discussion with assessor.",
                    )
                    for p in range(1, PER_SECTION + 1)
                ],
            )
            for s in range(1, SECTIONS + 1)
        ]
    )


def _author() -> User:
    author = User.objects.filter(email="bench.author@example.org").first()
    return author or User.objects.create_user(
        email="bench.author@example.org", full_name="Bench Author", is_framework_author=True
    )


def _new_framework(by, name: str) -> Framework:
    slug = f"bench-{name}-{Framework.objects.count() + 1}"
    return framework_create(slug=slug, title=f"Bench {name}", by=by)


def _published(by):
    version = version_import(framework=_new_framework(by, "source"), content=_content(), by=by)
    version_submit_for_review(version=version, by=by)
    version_approve(version=version, by=by)
    return version_publish(version=version, by=by)


def _time(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def _measure(fmt: str, data: bytes, by) -> dict:
    reads, imports, queries = [], [], 0
    for _run in range(RUNS):
        seconds, content = _time(lambda: read_file(data, f"bench.{fmt}"))
        reads.append(seconds)
        framework = _new_framework(by, fmt)
        with CaptureQueriesContext(connection) as captured:
            seconds, version = _time(
                lambda framework=framework, content=content: version_import(
                    framework=framework, content=content, by=by, source=f"bench.{fmt}"
                )
            )
        imports.append(seconds)
        queries = len(captured.captured_queries)
        assert version.proficiencies.count() == SECTIONS * PER_SECTION
    return {
        "read": statistics.median(reads),
        "import": statistics.median(imports),
        "queries": queries,
    }


@benchmark("frameworks_import")
def run() -> str:
    by = _author()
    source = _published(by)
    rows = []
    for fmt in (Format.CASE, Format.XLSX, Format.CSV):
        export_seconds, data = _time(lambda fmt=fmt: export_version(source, fmt))
        result = _measure(fmt, data, by)
        rows.append(
            f"| {Format(fmt).label} | {SECTIONS * PER_SECTION:,} | {len(data) / 2**20:.1f} MB "
            f"| {export_seconds:.2f} s | {result['read']:.2f} s | {result['import']:.2f} s "
            f"| {result['read'] + result['import']:.2f} s | {result['queries']} |"
        )
    return "\n".join(
        [
            "## Framework import and export",
            "",
            f"A framework of {SECTIONS} sections × {PER_SECTION} proficiencies (statement, "
            "~540 characters of guidance, evidence hints, flags) is published, exported in each "
            "format, and each file imported as a new draft of another framework. *Reading* is "
            "parsing and checking the whole file; *import* is creating the draft with bulk "
            f"inserts. Median of {RUNS} runs. Queries are for one import: a few, plus one per "
            "bulk insert batch (SQLite takes about 90 proficiencies a statement; PostgreSQL "
            f"1,000), never one per row. SQLite file database (WAL), Python "
            f"{platform.python_version()}, "
            "2 CPUs shared with other work.",
            "",
            "| format | proficiencies | size | export | reading | import | total | queries |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            *rows,
        ]
    )
