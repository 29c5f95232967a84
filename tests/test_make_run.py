"""`make run` serves on the port asked for, and the links it sends (emails, the certificate's
verification address) name that port unless STEPWISE_SITE_URL says otherwise.

The recipe runs with a stand-in for `manage.py` that writes down the address each command
would use; `-o migrate` leaves the database and the installed packages alone."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def run(tmp_path, *args, env=None) -> list[str]:
    log = tmp_path / "commands.log"
    manage = tmp_path / "manage"
    # The stand-in runserver keeps going until the worker started beside it has written its
    # line, as a real server would: the recipe's `kill 0` on exit would stop it otherwise.
    manage.write_text(
        "#!/bin/sh\n"
        f'echo "$1 ${{STEPWISE_SITE_URL:-unset}}" >> {log}\n'
        'if [ "$1" = runserver ]; then\n'
        f"  for _ in $(seq 50); do grep -q ^db_worker {log} && break; sleep 0.1; done\n"
        "fi\n"
    )
    manage.chmod(manage.stat().st_mode | stat.S_IEXEC)
    environment = {k: v for k, v in os.environ.items() if k != "STEPWISE_SITE_URL"}
    environment.update(env or {})
    # Its own session: the recipe ends with `kill 0`, which stops make itself too (so its
    # exit status says nothing) and must not reach the test run.
    subprocess.run(
        ["make", "--no-print-directory", "-o", "migrate", "run", f"MANAGE={manage}", *args],
        cwd=ROOT,
        env=environment,
        check=False,
        capture_output=True,
        timeout=60,
        start_new_session=True,
    )
    return sorted(log.read_text().splitlines())


def test_links_follow_the_port_make_run_serves_on(tmp_path):
    assert run(tmp_path, "PORT=8765") == [
        "db_worker http://127.0.0.1:8765",
        "runserver http://127.0.0.1:8765",
        "seed_demo http://127.0.0.1:8765",
    ]


def test_the_default_port_gives_the_default_address(tmp_path):
    assert "runserver http://127.0.0.1:8000" in run(tmp_path)


def test_a_site_url_that_is_set_is_kept(tmp_path):
    commands = run(tmp_path, "PORT=8765", env={"STEPWISE_SITE_URL": "https://stepwise.example"})
    assert "runserver https://stepwise.example" in commands
    assert "db_worker https://stepwise.example" in commands
