"""The access log in a browser, with axe on every page: an educator opens a learner's record;
the learner finds who viewed it from My proficiencies; the Trust administrator finds it in the
Trust's access log from Trust settings, by the educator's name."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stepwise.progress.tests.conftest import enrolment, offered, version
from stepwise.progress.tests.factories import records

__all__ = ["enrolment", "offered", "version"]

pytestmark = pytest.mark.browser


def test_the_learner_and_the_trust_admin_see_who_viewed_the_record(
    web_for, enrolment, learner, educator, trust_admin
):
    # Given the educator has opened one of the learner's records
    record = records(enrolment)[0]
    staff = web_for(educator)
    staff.visit(reverse("progress:staff_record", args=[enrolment.pk, record.pk]))

    # When the learner looks at who viewed their record
    own = web_for(learner)
    own.visit(reverse("progress:mine"))
    own.follow("Who viewed my record")
    assert own.heading() == "Who viewed your record"
    expect(own.page.locator("table")).to_contain_text(educator.full_name)
    expect(own.page.locator("table")).to_contain_text(
        f"Viewed proficiency {record.proficiency.code}"
    )

    # And the Trust administrator searches the Trust's access log for the educator
    admin = web_for(trust_admin)
    admin.visit(reverse("organisations:settings"))
    admin.follow("Access log")
    assert admin.heading() == "Access log"
    admin.fill("Name or email of the person who looked, or of the learner", educator.full_name)
    admin.submit("Search")
    table = admin.page.locator("table")
    expect(table).to_contain_text("1 entry")
    expect(table).to_contain_text(learner.full_name)
    expect(table).to_contain_text("127.0.0.1")
