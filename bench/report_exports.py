"""A named list of 25,000 learners written as XLSX and as CSV, the way the reports' downloads
write it (reports.exports: XlsxWriter constant_memory into a temporary file; CSV a chunk at a
time). The rows are made in Python, not read from the database, so this measures the writers:
the time and the peak of Python memory (tracemalloc) while writing."""

import tempfile
import time
import tracemalloc
from datetime import date, timedelta

from bench import benchmark
from stepwise.core.spreadsheet_cells import csv_chunks
from stepwise.reports.exports import write_xlsx
from stepwise.reports.presenters import LEARNER_COLUMNS

ROWS = 25_000
# Issue 9: a 25,000-row XLSX export within 10 s and 200 MB.
BUDGET_SECONDS, BUDGET_MB = 10, 200


def _rows():
    yield list(LEARNER_COLUMNS.values())
    start = date(2025, 1, 6)
    for number in range(ROWS):
        started = start + timedelta(days=number % 700)
        yield [
            f"Learner {number:05d} O'Connor-Smith",
            "Step 1 critical care competencies (sample) version 1.0",
            ("General Intensive Care Unit", "Cardiac Intensive Care Unit")[number % 2],
            f"{started.day} {started:%B %Y}",
            f"{started.day} {started:%B} {started.year + 1}",
        ]


def _measure(write) -> tuple[float, float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as handle:
        write(handle)
        size = handle.tell()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1024 / 1024, size


def _csv(handle) -> None:
    for chunk in csv_chunks(_rows()):
        handle.write(chunk)


@benchmark("report_exports")
def run() -> str:
    xlsx = _measure(lambda handle: write_xlsx(handle, [("Not started", _rows())]))
    csv = _measure(_csv)
    lines = [
        "## Report downloads (issue 9)",
        "",
        f"A named list of {ROWS:,} learners, five columns, written as the downloads write it "
        "(rows made in Python, no database: this measures the writers). Peak is Python's "
        f"(tracemalloc). Budget for the XLSX: {BUDGET_SECONDS} s and {BUDGET_MB} MB.",
        "",
        "| format | time | peak memory | file size |",
        "| --- | --- | --- | --- |",
    ]
    for name, (seconds, peak, size) in (("XLSX", xlsx), ("CSV", csv)):
        lines.append(f"| {name} | {seconds:.2f} s | {peak:.1f} MB | {size / 1024 / 1024:.1f} MB |")
    return "\n".join(lines)
