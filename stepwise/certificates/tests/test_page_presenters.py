"""What the verification, list and check pages show, without a database."""

import uuid
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from stepwise.certificates.models import FRAMEWORK_SIGN_OFF
from stepwise.certificates.presenters import check_result, public_rows, status_tag
from stepwise.certificates.verification import Check, Outcome, Summary

LONDON = ZoneInfo("Europe/London")
SERIAL = uuid.UUID("6f1c1f58-0d4e-4a53-9b8c-2f3b0d0f9a11")


def certificate(revoked_at=None):
    return SimpleNamespace(
        serial=SERIAL,
        learner_name="Amara Okafor",
        kind=FRAMEWORK_SIGN_OFF,
        title="Step 1",
        version_label="2.0",
        achievement_name="Step 1, version 2.0",
        trust_name="Northshire Teaching Hospitals NHS Foundation Trust",
        signed_off_at=datetime(2026, 3, 5, 14, 30, tzinfo=LONDON),
        signer_name="Chloe Davies",
        signer_registration="NMC 05C7654E",
        learner_registration="NMC 12A3456B",
        revoked_at=revoked_at,
        is_revoked=revoked_at is not None,
    )


def test_a_valid_certificate_is_tagged_green():
    assert status_tag(certificate()) == {"text": "Valid", "classes": "nhsuk-tag--green"}


def test_a_revoked_certificate_is_tagged_red_with_its_date():
    revoked = certificate(datetime(2026, 4, 1, 9, 0, tzinfo=LONDON))
    assert status_tag(revoked) == {"text": "Revoked 1 April 2026", "classes": "nhsuk-tag--red"}


def test_the_public_rows_hold_no_registration_numbers():
    rows = public_rows(certificate())
    assert [row["key"]["text"] for row in rows] == [
        "Learner",
        "Framework",
        "Issued by",
        "Signed off on",
        "Signed off by",
        "Certificate serial",
    ]
    assert rows[1]["value"]["text"] == "Step 1, version 2.0"
    assert rows[3]["value"]["text"] == "5 March 2026"
    assert "NMC" not in str(rows)


def summary(**changes):
    values = {
        "learner": "Amara Okafor",
        "achievement": "Step 1, version 2.0",
        "issuer": "Northshire",
        "valid_from": datetime(2026, 3, 5, 14, 30, tzinfo=LONDON),
        "serial": str(SERIAL),
        "certificate": None,
    }
    return Summary(**{**values, **changes})


def test_a_valid_check_reads_as_valid():
    result = check_result(Check(Outcome.VALID, summary=summary()))
    assert result.heading == "This credential is valid"
    assert result.tag == {"text": "Valid", "classes": "nhsuk-tag--green"}
    assert result.problems == []
    assert [row["value"]["text"] for row in result.rows] == [
        "Amara Okafor",
        "Step 1, version 2.0",
        "Northshire",
        "5 March 2026",
        str(SERIAL),
    ]
    assert result.verify_href is None  # no certificate of ours behind it


@pytest.mark.parametrize(
    ("outcome", "short"),
    [
        (Outcome.REVOKED, "Revoked"),
        (Outcome.EXPIRED, "Expired"),
        (Outcome.NOT_YET_VALID, "Not valid yet"),
        (Outcome.TAMPERED, "Not genuine"),
        (Outcome.UNKNOWN_KEY, "Unknown signer"),
        (Outcome.INVALID, "Not valid"),
    ],
)
def test_every_failure_is_tagged_red(outcome, short):
    result = check_result(Check(outcome, ["What went wrong."]))
    assert result.tag == {"text": short, "classes": "nhsuk-tag--red"}
    assert result.heading == outcome.label
    assert result.problems == ["What went wrong."]
    assert result.rows == []


def test_a_revoked_check_shows_the_date():
    revoked_at = datetime(2026, 4, 1, 9, 0, tzinfo=LONDON)
    result = check_result(Check(Outcome.REVOKED, ["x"], summary=summary(), revoked_at=revoked_at))
    assert result.rows[-1] == {"key": {"text": "Revoked on"}, "value": {"text": "1 April 2026"}}
