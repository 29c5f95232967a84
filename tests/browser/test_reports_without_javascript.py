"""The reports without JavaScript: an educator and a Trust administrator open their dashboard,
narrow it with the filters (a plain GET form), follow a count to the named learners, and
download the figures as XLSX and CSV, which equal the page; a network lead does the same for
their network, down to a Trust's units."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core.spreadsheet_cells import unescape_cell
from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.models import Cohort
from stepwise.progress.tests.conftest import build_version
from stepwise.progress.tests.staff_helpers import another_learner, ask, enrol, records
from stepwise.reports.models import NetworkLead
from stepwise.reports.tests.tables import page_tables

pytestmark = pytest.mark.browser


@pytest.fixture
def learners(trust, educator, assessor):
    step_one = build_version(slug="step-1")
    step_two = build_version(slug="step-2")
    for version in (step_one, step_two):
        TrustFramework.objects.create(trust=trust, framework=version.framework)
    waiting = enrol(another_learner(trust), step_one, trust, educator)
    ask(waiting, records(waiting)[:1], assessor=assessor)
    enrol(another_learner(trust), step_one, trust, educator)
    enrol(another_learner(trust, trust.units[1]), step_two, trust, educator)
    return step_one, waiting


def download(web, link: str) -> bytes:
    with web.page.expect_download() as started:
        web.page.get_by_role("link", name=link, exact=True).click()
    return Path(started.value.path()).read_bytes()


def csv_table(content: bytes) -> list[list[str]]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [[unescape_cell(cell) for cell in row] for row in rows]


def workbook(content: bytes) -> dict[str, list[list[str]]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [
            ["" if v is None else str(unescape_cell(v) if isinstance(v, str) else v) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }


def filter_by(web, framework: str) -> None:
    web.select("Framework", framework)
    web.page.get_by_label("Day", exact=True).first.fill("1")
    web.page.get_by_label("Month", exact=True).first.fill("1")
    web.page.get_by_label("Year", exact=True).first.fill("2020")
    web.submit("Apply filters")


@pytest.mark.parametrize("who", ["educator", "trust_admin"])
def test_staff_filter_drill_down_and_download_without_javascript(request, web_for, learners, who):
    step_one, waiting = learners
    person = request.getfixturevalue(who)
    web = web_for(person, javascript=False)

    # Given a member of staff on their reports, without JavaScript
    web.visit("/")
    web.follow("Reports", within="main")
    assert web.heading() == "Reports"

    # When they choose a framework and a start date and apply the filters
    filter_by(web, "Sample step-1")

    # Then the filters are in the address and only that framework is counted
    assert f"framework={step_one.framework_id}" in web.page.url
    assert "started_from_year=2020" in web.page.url
    screen = page_tables(web.page.content())[0]
    assert [row[0] for row in screen["Learners by stage"][1:]] == ["Sample step-1"]

    # And the downloads hold exactly what the page shows
    assert csv_table(download(web, "Learners by stage as CSV")) == screen["Learners by stage"]
    assert (
        csv_table(download(web, "Sign-off and due dates as CSV"))
        == (screen["Sign-off and due dates"])
    )
    sheets = workbook(download(web, "Every table as an Excel workbook (XLSX)"))
    for caption, rows in screen.items():
        assert sheets[caption] == rows, caption

    # When they follow a count to the learners behind it
    web.follow("1 Sample step-1: Waiting for confirmation")

    # Then they see the learner by name, and the list downloads as it shows
    assert web.heading() == "Waiting for confirmation"
    listed = page_tables(web.page.content())[0]["1 learner"]
    assert listed[1][0] == waiting.learner.full_name
    assert csv_table(download(web, "Every learner in this list as CSV")) == listed
    assert workbook(download(web, "Every learner in this list as an Excel workbook (XLSX)")) == {
        "Waiting for confirmation": listed
    }
    if who == "educator":
        # An educator opens the learner's record.
        web.follow(waiting.learner.full_name)
        assert waiting.learner.full_name in web.text()


def test_a_network_lead_filters_drills_down_and_downloads_without_javascript(
    web_for, learners, trust
):
    step_one, waiting = learners
    network = trust.parent
    lead = PersonFactory()
    NetworkLead.objects.create(person=lead, network=network)
    cohort = Cohort.objects.create(name="Pilot wave 1", starts_on=date(2026, 1, 5))
    cohort.trusts.add(trust)
    web = web_for(lead, javascript=False)

    # Given a network lead on the home page, without JavaScript
    web.visit("/")
    web.follow(f"See the reports of {network.name}")
    assert web.heading() == "Network reports"

    # When they choose a framework and a cohort
    web.select("Cohort", "Pilot wave 1 (from 5 January 2026)")
    filter_by(web, "Sample step-1")
    assert f"cohort={cohort.pk}" in web.page.url

    # Then they see the Trust's figures, and the downloads equal them
    tables = page_tables(web.page.content())[0]
    screen = tables["Learners by stage"]
    assert {row[0]: row[-1] for row in screen[1:]} == {trust.name: "2"}
    assert {row[0]: row[-1] for row in tables["Requests waiting for assessors"][1:]} == {
        trust.name: "1"
    }
    assert csv_table(download(web, "Learners by stage as CSV")) == screen
    sheets = workbook(download(web, "Every table as an Excel workbook (XLSX)"))
    for caption, rows in tables.items():
        assert sheets[caption] == rows, caption

    # When they follow the Trust, they see its units: counts, never names
    web.follow(trust.name)
    assert web.heading() == trust.name
    units = page_tables(web.page.content())[0]["Learners by stage"]
    assert {row[0]: row[-1] for row in units[1:]} == {trust.units[0].name: "2"}
    assert csv_table(download(web, "Learners by stage as CSV")) == units
    assert waiting.learner.full_name not in web.text()


def test_a_national_lead_filters_drills_down_and_downloads_without_javascript(
    web_for, learners, trust, platform_admin
):
    step_one, waiting = learners
    network = trust.parent
    cohort = Cohort.objects.create(name="Pilot wave 1", starts_on=date(2026, 1, 5))
    cohort.trusts.add(trust)
    web = web_for(platform_admin, javascript=False)

    # Given a national lead on the home page, without JavaScript
    web.visit("/")
    web.follow("National reports", within="main")
    assert web.heading() == "National reports"

    # When they choose a cohort, a framework and a start date
    web.select("Cohort", "Pilot wave 1 (from 5 January 2026)")
    filter_by(web, "Sample step-1")
    assert f"cohort={cohort.pk}" in web.page.url
    assert f"framework={step_one.framework_id}" in web.page.url

    # Then they see the network's counts, and the downloads equal them
    screen = page_tables(web.page.content())[0]["Learners by stage"]
    assert {row[0]: row[-1] for row in screen[1:]} == {network.name: "2"}
    assert csv_table(download(web, "Learners by stage as CSV")) == screen
    assert workbook(download(web, "Learners by stage as an Excel workbook (XLSX)")) == {
        "Learners by stage": screen
    }

    # When they follow the network, the filters go with them
    web.follow(network.name)
    assert web.heading() == "Network reports"
    assert f"cohort={cohort.pk}" in web.page.url
    tables = page_tables(web.page.content())[0]
    assert {row[0]: row[-1] for row in tables["Learners by stage"][1:]} == {trust.name: "2"}
    assert (
        csv_table(download(web, "Sign-off and due dates as CSV"))
        == (tables["Sign-off and due dates"])
    )
    sheets = workbook(download(web, "Every table as an Excel workbook (XLSX)"))
    for caption, rows in tables.items():
        assert sheets[caption] == rows, caption

    # And following the Trust, they see its units: counts, never names
    web.follow(trust.name)
    assert web.heading() == trust.name
    units = page_tables(web.page.content())[0]["Learners by stage"]
    assert {row[0]: row[-1] for row in units[1:]} == {trust.units[0].name: "2"}
    assert csv_table(download(web, "Learners by stage as CSV")) == units
    assert waiting.learner.full_name not in web.text()
