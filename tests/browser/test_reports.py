"""An educator opens the reports, narrows them with the filters (a plain GET form, no
JavaScript), follows a count to the learners behind it and opens one learner; a Trust
administrator downloads the figures they see."""

import csv
import io
from pathlib import Path

import pytest

from stepwise.frameworks.models import TrustFramework
from stepwise.progress.tests.conftest import build_version
from stepwise.progress.tests.staff_helpers import another_learner, ask, enrol, records
from stepwise.reports.tests.tables import page_tables

pytestmark = pytest.mark.browser


def test_an_educator_drills_down_from_the_dashboard_to_a_named_learner(
    web_for, trust, educator, trust_admin, assessor
):
    step_one = build_version(slug="step-1")
    step_two = build_version(slug="step-2")
    for version in (step_one, step_two):
        TrustFramework.objects.create(trust=trust, framework=version.framework)
    waiting = enrol(another_learner(trust), step_one, trust, educator)
    ask(waiting, records(waiting)[:1], assessor=assessor)
    enrol(another_learner(trust), step_one, trust, educator)
    enrol(another_learner(trust, trust.units[1]), step_two, trust, educator)
    web = web_for(educator)

    # Given an educator on their reports
    web.visit("/")
    web.follow("Reports", within="main")
    assert web.heading() == "Reports"
    assert "Sample step-2" in web.text()

    # When they choose a framework and apply the filters
    web.select("Framework", "Sample step-1")
    web.submit("Apply filters")

    # Then the filters are in the address, and only that framework is counted
    assert f"framework={step_one.framework_id}" in web.page.url
    assert "Sample step-2" not in web.page.locator("table").first.inner_text()

    # When they follow the count of learners waiting for confirmation
    web.follow("1 Sample step-1: Waiting for confirmation")

    # Then they see that learner by name, and can open their enrolment
    assert web.heading() == "Waiting for confirmation"
    web.follow(waiting.learner.full_name)
    assert waiting.learner.full_name in web.text()

    # And a Trust administrator downloads the figures their dashboard shows
    admin = web_for(trust_admin)
    admin.visit("/reports/")
    with admin.page.expect_download() as download:
        admin.page.get_by_role("link", name="Learners by stage as CSV").click()
    downloaded = Path(download.value.path()).read_text(encoding="utf-8-sig")
    screen = page_tables(admin.page.content())[0]["Learners by stage"]
    assert list(csv.reader(io.StringIO(downloaded))) == screen
    assert screen[1][:8] == ["Sample step-1", "1", "0", "1", "0", "0", "0", "2"]


def test_a_national_lead_drills_down_to_a_network_trust_and_its_units(
    web_for, trust, educator, assessor, platform_admin
):
    step_one = build_version(slug="step-1")
    TrustFramework.objects.create(trust=trust, framework=step_one.framework)
    waiting = enrol(another_learner(trust, trust.units[1]), step_one, trust, educator)
    ask(waiting, records(waiting)[:1], assessor=assessor)
    enrol(another_learner(trust), step_one, trust, educator)
    network = trust.parent
    web = web_for(platform_admin)

    # Given a national lead on the national reports
    web.visit("/")
    web.follow("National reports", within="main")
    assert web.heading() == "National reports"

    # When they choose a framework, then the network, then the Trust
    web.select("Framework", "Sample step-1")
    web.submit("Apply filters")
    assert f"framework={step_one.framework_id}" in web.page.url
    web.follow(network.name)
    assert web.heading() == "Network reports"
    web.follow(trust.name)

    # Then they see the Trust's units by stage, counts without names
    assert web.heading() == trust.name
    units = page_tables(web.page.content())[0]["Learners by stage"]
    assert {row[0]: row[-1] for row in units[1:]} == {
        trust.units[0].name: "1",
        trust.units[1].name: "1",
    }
    assert waiting.learner.full_name not in web.text()


def test_a_framework_author_sees_how_often_each_proficiency_is_rejected(
    web_for, trust, educator, assessor, framework_author
):
    step_one = build_version(slug="step-1")
    TrustFramework.objects.create(trust=trust, framework=step_one.framework)
    learner = enrol(another_learner(trust), step_one, trust, educator)
    ask(learner, records(learner)[:1], assessor=assessor)
    web = web_for(framework_author)

    # Given a framework author on the home page
    web.visit("/")
    web.follow("Framework reports")

    # When they open the rejections of their framework
    web.follow("Sample step-1: rejections")

    # Then they see the sections and proficiencies, without names
    assert web.heading() == "Rejections"
    assert "No decisions yet." in web.text()
    assert learner.learner.full_name not in web.text()
