"""A learner downloads their passport at one Trust; at a second installation's Trust they
import it and an educator accepts the prior attainment into a new enrolment. The second
installation is simulated: it trusts "Other installation", whose key (made in the test)
signs the passport the learner took from there. Every page is checked with axe."""

import base64
import json

import pytest

from stepwise.certificates.tests.conftest import fresh_throttle, signing_keys
from stepwise.passports.tests.conftest import (
    new_enrolment,
    sign_as_other,
    signed_off,
    trusted_other,
)
from stepwise.progress.states import RecordEventKind, RecordState
from stepwise.progress.tests.conftest import enrolment, offered, version

__all__ = [
    "enrolment",
    "fresh_throttle",
    "new_enrolment",
    "offered",
    "signed_off",
    "signing_keys",
    "version",
]

pytestmark = pytest.mark.browser


def _claims(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_a_passport_from_another_installation_becomes_prior_attainment(
    web_for, settings, tmp_path, learner, new_enrolment
):
    # Given the learner's record at their first Trust, on "My proficiencies"
    first = web_for(learner)
    first.visit("/my-proficiencies/")
    with first.page.expect_download() as download:
        first.page.get_by_role("link", name="Download my passport").click()
    assert download.value.suggested_filename.startswith("stepwise-passport-")
    downloaded = download.value.path().read_text()
    assert _claims(downloaded)["passport"]["learner"]["name"] == learner.full_name

    # And that record as the other installation signs it; this one trusts that installation
    settings.STEPWISE_TRUSTED_ISSUERS = trusted_other()
    passport = tmp_path / "stepwise-passport.jwt"
    passport.write_text(sign_as_other(_claims(downloaded)))

    # When the learner uploads a damaged copy, they are told, and nothing is imported
    first.visit("/my-proficiencies/passport/import/")
    damaged = tmp_path / "damaged.jwt"
    damaged.write_text(passport.read_text()[:200])
    first.page.locator("input[type=file][name=passport_file]").set_input_files(str(damaged))
    first.submit("Import passport")
    assert "damaged or incomplete" in first.error_summary()[0]

    # And when they upload the passport itself, it is imported
    first.page.locator("input[type=file][name=passport_file]").set_input_files(str(passport))
    first.submit("Import passport")
    assert "Other installation" in first.banner()

    # Then the educator at the new Trust sees the recognised prior attainment
    educator = web_for(new_enrolment.educator)
    educator.visit(f"/enrolments/{new_enrolment.pk}/manage/")
    educator.follow("Recognised prior attainment")
    assert educator.heading() == "Recognised prior attainment from Other installation"

    # And choosing nothing is explained
    educator.submit("Accept prior attainment")
    assert educator.error_summary() == ["Choose at least one proficiency to accept"]

    # And accepting two confirms them, naming the source
    boxes = educator.page.locator("input[name=attainments]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    educator.submit("Accept prior attainment")
    assert "2 proficiencies confirmed by recognised prior attainment" in educator.banner()
    confirmed = new_enrolment.records.filter(state=RecordState.CONFIRMED)
    assert confirmed.count() == 2
    event = confirmed.first().events.get(kind=RecordEventKind.PRIOR_ATTAINMENT)
    assert event.note.startswith("Recognised prior attainment from Other installation")
