"""The security event log's lines (ASVS 5.0 V16.2.1, V16.2.4, V16.4.1): JSON a log system can
parse, one line per event whatever a visitor typed, on a handler of their own that writes to
stderr or to the file STEPWISE_SECURITY_LOG_FILE names."""

import json
import logging

from django.test import RequestFactory

from stepwise.core.security_log import REFUSED, log_event
from stepwise.core.tests.production import run_python

FORGED = '"}\r\n{"event": "sign_in", "outcome": "success", "user_id": 1}\u2028'


def test_a_path_or_detail_with_line_breaks_cannot_forge_a_line(security_events):
    request = RequestFactory().get("/people/%0D%0A" + "x" * 3)
    log_event("not_found", outcome=REFUSED, request=request, name=FORGED)
    [line] = security_events.lines()
    assert "\r" not in line and "\n" not in line and "\u2028" not in line
    event = json.loads(line)
    assert event["name"] == FORGED
    assert event["path"] == "/people/\r\nxxx"
    assert event["user_id"] is None


def test_a_record_that_is_not_an_event_keeps_its_message(security_events):
    logging.getLogger("stepwise.security").warning("rotated %s", "keys")
    [event] = security_events()
    assert (event["level"], event["message"]) == ("WARNING", "rotated keys")


WRITE_ONE = """
import django
django.setup()
from stepwise.core.security_log import log_event
log_event("sign_in", outcome="failure", user=7)
"""


def test_the_log_goes_to_stderr_by_default(tmp_path):
    result = run_python(tmp_path, "-c", WRITE_ONE)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("{")]
    event = json.loads(line)
    assert (event["logger"], event["event"], event["user_id"]) == (
        "stepwise.security",
        "sign_in",
        7,
    )
    assert result.stdout == ""


def test_the_log_goes_to_the_file_named_in_the_environment(tmp_path):
    log_file = tmp_path / "security.jsonl"
    # Set before Django reads its settings (run_python passes no STEPWISE_ variable through).
    named = f"import os\nos.environ['STEPWISE_SECURITY_LOG_FILE'] = {str(log_file)!r}\n"
    result = run_python(tmp_path, "-c", named + WRITE_ONE)
    assert result.returncode == 0, result.stderr
    assert "sign_in" not in result.stderr
    [line] = log_file.read_text().splitlines()
    assert json.loads(line)["event"] == "sign_in"
