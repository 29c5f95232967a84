"""The load test (issue 13): `make loadtest`, or `.venv/bin/python -m bench.loadtest`.

Starts the production server as `make serve` does (or the command given), against the
PostgreSQL database DATABASE_URL names, which must hold `seed_bench` data; runs
bench/loadtest/locustfile.py headless for a bounded time; stops the server; prints the
figures and adds them as a row to the load test's section of bench/results.md.

The figures are for a window that starts once every simulated user has signed in: requests
a second, response time percentiles, errors, and CPU time per request of the server's own
processes (gunicorn's master and workers, read by psutil from /proc at both ends of the
window), of PostgreSQL's backends for this database, and the load generator's share of the
machine. The machine's load average is recorded beside them, since this machine is shared.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stepwise_bench \\
        .venv/bin/python -m bench.loadtest --users 50 --seconds 60
"""

import argparse
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench import RESULTS, write_section

NAME = "loadtest"
ROOT = Path(__file__).resolve().parent.parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
TARGET_P95_MS = 100
TARGET_CPU_MS = 5
HEADER = (
    "| date (UTC) | server | users × s | requests/s | p50 | p95 | p99 | errors | server CPU "
    "per request | PostgreSQL CPU per request | load generator's share | machine busy "
    "| load average (1 min) at start, end | server CPU a request, p50 / p95 |\n"
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- "
    "| ---: |"
)
INTRO = f"""## Load test (issue 13)

`make loadtest` (bench/loadtest): the production server as `make serve` runs it
(`config.settings.serve_local`: production's settings over plain HTTP on loopback), against
PostgreSQL holding `seed_bench --learners 25000`, driven by locust on the same machine. The
users are a mix of learners (16 in 20: My proficiencies, overview, sections, answering a
proficiency on one section page in four), assessors (3 in 20: To review, a request, confirming
all of it on three in ten) and educators (1 in 20: the report dashboard, the named lists
its counts link to, and To review), each pausing 0.5–1.5 s between pages. Figures are for
the window after every user has signed in.
*Server CPU per request* is the CPU time of the server's processes over the window divided by
the requests (a mean, with gunicorn's own work); *server CPU a request, p50 / p95* is each
request's own, as the server's Server-Timing header reports the CPU its thread spent on it
(in Django, from the first middleware to the response; runs before 5 Dec 06:30 did not
measure it); *PostgreSQL CPU* is that of the database's backends; *load generator's share*
and *machine busy* are shares of all the machine's CPUs. Targets: p95 ≤ {TARGET_P95_MS} ms and
no errors with 50 users for 60 s; server CPU ≤ {TARGET_CPU_MS} ms a request at the median. The
machine has 2 CPUs shared with other work (its load average is beside each row), so compare
rows with care.
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped (exit {server.returncode}) before answering.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {seconds:.0f} s.")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to the server's own process group (it was started in a new session)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run(args) -> dict:
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database holding seed_bench data.")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = args.server.format(port=port)
    work = Path(tempfile.mkdtemp(prefix="stepwise-loadtest-"))
    server_log = (work / "server.log").open("w")
    # Every simulated user comes from 127.0.0.1: a hospital's shared address, but 50 of them
    # signing in at once is more than its sign-in limit per address allows from new devices.
    env = {
        **os.environ,
        "PORT": str(port),
        "STEPWISE_SITE_URL": base,
        "STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS": str(max(1000, args.users * 4)),
    }
    print(f"$ {command}", flush=True)
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        shlex.split(command),
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(f"{base}/sign-in/", server)
        report_file = work / "report.json"
        locust = [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            base,
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            # A bound however the window goes: signing everyone in, the window, and a margin.
            "--run-time",
            f"{args.seconds + 900}s",
            "--stop-timeout",
            "5",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        locust_env = {
            **os.environ,
            "STEPWISE_LOADTEST_REPORT": str(report_file),
            "STEPWISE_LOADTEST_SECONDS": str(args.seconds),
            "STEPWISE_LOADTEST_SERVER_PID": str(server.pid),
            "STEPWISE_LOADTEST_DATABASE": urlsplit(database).path.strip("/"),
        }
        print(f"Load: {args.users} users for {args.seconds} s after signing in…", flush=True)
        subprocess.run(locust, cwd=ROOT, env=locust_env, check=False, timeout=args.seconds + 1000)  # noqa: S603
        if not report_file.exists():
            raise SystemExit(f"locust wrote no report; the server's log is {server_log.name}")
        report = json.loads(report_file.read_text())
    finally:
        stop(server)
        server_log.close()
    report["server_command"] = args.label or command
    report["server_log"] = server_log.name
    return report


def figures(report: dict) -> dict:
    start, end = report["start"], report["end"]
    wall = end["wall"] - start["wall"]
    requests = max(report["requests"], 1)

    def spent(kind: str) -> float:
        return sum(seconds - start[kind].get(pid, 0.0) for pid, seconds in end[kind].items())

    return {
        "wall": wall,
        "rps": report["requests"] / wall,
        "server_ms": spent("server") * 1000 / requests,
        "database_ms": spent("database") * 1000 / requests,
        "generator_share": spent("generator") / (wall * report["cpus"]),
        "busy_share": (end["host_busy"] - start["host_busy"]) / (wall * report["cpus"]),
    }


def row(report: dict, fig: dict) -> str:
    p = report["percentiles_ms"]
    load = f"{report['start']['load'][0]:.1f}, {report['end']['load'][0]:.1f}"
    return (
        f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {report['server_command']} "
        f"| {report['users']} × {fig['wall']:.0f} | {fig['rps']:.1f} | {p['0.5']:.0f} ms "
        f"| {p['0.95']:.0f} ms | {p['0.99']:.0f} ms | {report['failures']} "
        f"| {fig['server_ms']:.1f} ms | {fig['database_ms']:.1f} ms "
        f"| {fig['generator_share']:.0%} | {fig['busy_share']:.0%} | {load} "
        f"| {_cpu(report)} |"
    )


def _ms(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.1f} ms"


def _cpu(report: dict) -> str:
    cpu = report.get("server_cpu_ms") or {}
    return f"{_ms(cpu.get('p50'))} / {_ms(cpu.get('p95'))}"


def pages(report: dict) -> str:
    lines = [
        f"The last run ({report['server_command']}), page by page:",
        "",
        "| request | count | p50 | p95 | errors | server CPU p50 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in report["pages"]:
        if not page["requests"]:
            continue
        lines.append(
            f"| {page['name']} | {page['requests']} | {page['p50']:.0f} ms "
            f"| {page['p95']:.0f} ms | {page['failures']} | {_ms(page.get('cpu_p50'))} |"
        )
    return "\n".join(lines)


def record(line: str, report: dict) -> None:
    """Add the row to the section's table, keeping the rows before it, and the last run's
    pages below it."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    found = re.search(r"<!-- bench:loadtest -->(.*?)<!-- /bench:loadtest -->", text, re.DOTALL)
    rows = []
    if found:
        rows = [r for r in found.group(1).splitlines() if r.startswith("| 20")]
    table = "\n".join([HEADER, *rows, line])
    write_section(NAME, f"{INTRO}\n{table}\n\n{pages(report)}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--server",
        default="make --no-print-directory serve PORT={port}",
        help="the command that serves on 127.0.0.1:{port} (default: make serve)",
    )
    parser.add_argument("--label", default="", help="how the results name the server set-up")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()
    report = run(args)
    fig = figures(report)
    p = report["percentiles_ms"]
    print(
        f"\n{report['requests']} requests in {fig['wall']:.0f} s: {fig['rps']:.1f} requests/s, "
        f"p50 {p['0.5']:.0f} ms, p95 {p['0.95']:.0f} ms, p99 {p['0.99']:.0f} ms, "
        f"{report['failures']} errors\n"
        f"server CPU {fig['server_ms']:.1f} ms a request, PostgreSQL {fig['database_ms']:.1f} ms; "
        f"load generator {fig['generator_share']:.0%} of the machine, machine busy "
        f"{fig['busy_share']:.0%}; load average {report['start']['load'][0]:.1f} → "
        f"{report['end']['load'][0]:.1f}\n"
        f"server CPU a request by its Server-Timing, p50 / p95: {_cpu(report)} "
        f"({report['server_cpu_ms']['timed']} requests timed)"
    )
    for page in report["pages"]:
        print(
            f"  {page['name']:52} {page['requests']:>6} p50 {page['p50']:>5.0f} ms "
            f"p95 {page['p95']:>5.0f} ms  errors {page['failures']}  "
            f"CPU p50 {_ms(page.get('cpu_p50'))}"
        )
    for error in report["errors"]:
        print(f"  error ×{error['count']}: {error['method']} {error['name']}: {error['error']}")
    if not args.no_record:
        record(row(report, fig), report)
        print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
