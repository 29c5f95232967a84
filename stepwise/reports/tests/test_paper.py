"""Paper saved: sheets and signatures the digital record replaced, by the stated rule."""

from django.urls import reverse

from stepwise.progress.services import enrolment_sign_off
from stepwise.progress.tests.staff_helpers import (
    PIN,
    another_learner,
    enrol,
    read,
    ready_for_sign_off,
)

from .tables import page_tables


def test_it_counts_sheets_and_signatures_by_the_rule(
    client_for, educator, enrolment, assessor, trust, offered
):
    # The sample version has 3 sections and 12 proficiencies, 9 of them required and a
    # minimum of 1 optional: sign-off needs 10 confirmations.
    enrol(another_learner(trust), offered, trust, educator)
    ready_for_sign_off(enrolment, assessor)
    enrolment_sign_off(enrolment=enrolment, by=educator, declaration_agreed=True, **PIN)
    html = read(client_for(educator).get(reverse("reports:dashboard")))
    rows = dict(page_tables(html)[0]["Paper saved"][1:])
    # Two enrolments of 3 sections and a declarations sheet; 10 decisions and 2 signatures.
    assert rows == {
        "Sheets of paper": "8",
        "Handwritten signatures": "12",
        "Assessors' decisions recorded": "10",
        "Enrolments": "2",
    }
    assert "a sheet per section and one of declarations" in html
