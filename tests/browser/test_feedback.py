"""The pilot's feedback in the browser, every page checked with axe: the service team builds
and publishes a form and asks learners; a learner answers it from their home page (missing
answers explained first); a Trust administrator sees their Trust's results and downloads a
workbook equal to the page; an anonymous form with 4 responses shows no breakdown."""

import io
from pathlib import Path

import openpyxl
import pytest

from stepwise.feedback.models import Response
from stepwise.feedback.queries import published_version
from stepwise.feedback.services import Given, answer, ask
from stepwise.feedback.tests.factories import published_form
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.reports.tests.tables import page_tables

pytestmark = pytest.mark.browser


def sheets_of(path: str) -> dict[str, list[list[str]]]:
    book = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))
    return {
        sheet.title: [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }


def test_the_team_builds_a_form_a_learner_answers_and_a_trust_admin_reads_it(
    web_for, platform_admin, learner, trust_admin, trust, other_learner
):
    team = web_for(platform_admin)

    # Given the service team on their feedback page
    team.visit("/")
    team.follow("Feedback", within="header")
    assert team.heading() == "Feedback"

    # When they create a form with two questions
    team.submit("Create a form")
    team.fill("Title", "Night shift experience")
    team.submit("Create the form")
    team.submit("Add a question")
    team.choose("Agreement on a 5-point scale")
    team.fill("Question", "Stepwise works well on night shifts")
    team.choose("An answer is required")
    team.submit("Save question")
    team.submit("Add a question")
    team.choose("Choose one")
    team.fill("Question", "Which device do you use most?")
    team.submit("Save question")
    # (a choice question without answers to choose from is explained)
    assert team.error_summary() == ["Enter at least 2 answers to choose from"]
    team.fill("Answers to choose from, one a line", "Phone\nTablet\nComputer")
    team.choose("An answer is required")
    team.submit("Save question")

    # And aim it at learners, asked by the team today, and publish it
    team.follow("Change who is asked, and when")
    team.choose("By the team, on a date")
    team.fill("Day", "1")
    team.fill("Month", "6")
    team.fill("Year", "2026")
    team.choose("Learner")
    team.submit("Save settings")
    team.submit("Publish version 1")
    assert "Version 1 published" in team.banner()
    team.submit("Ask everyone it is aimed at now")

    # Then both learners (here and at another Trust) are asked, and nobody else
    assert "2 people asked" in team.banner()

    # When the learner opens the form from their home page and sends it empty
    person = web_for(learner)
    person.visit("/")
    person.follow("Answer “Night shift experience”")
    person.submit("Send answers")

    # Then the error summary lists the required answers
    assert person.error_summary() == [
        "Question 1: select an answer",
        "Question 2: select an answer",
    ]

    # When they answer
    person.choose("Agree")
    person.choose("Tablet")
    person.submit("Send answers")

    # Then they are thanked, and the form has one response
    assert "Your answers to “Night shift experience” were sent." in person.text()
    assert Response.objects.count() == 1

    # And the learner at the other Trust answers too (counted only for their Trust)
    form = Response.objects.get().form
    answer(
        person=other_learner,
        version=published_version(form),
        given={q.pk: Given(number=0) for q in published_version(form).questions.all()},
        membership=other_learner.memberships.get(),
    )

    # When the Trust administrator opens their Trust's results
    admin = web_for(trust_admin)
    admin.visit("/")
    admin.follow("Feedback results")
    admin.follow("Night shift experience")
    assert admin.heading() == "Results: Night shift experience"

    # Then they see their Trust's one response, as a chart and a table
    tables = page_tables(admin.page.content())[0]
    assert tables["Response rates"][1:] == [[trust.name, "1", "1", "100%"]]
    assert tables["Question 1"][4] == ["Agree", "1", "100%"]
    assert tables["Question 2"][1:] == [
        ["Phone", "0", "0%"],
        ["Tablet", "1", "100%"],
        ["Computer", "0", "0%"],
    ]
    assert admin.page.locator("svg.reports-chart").count() == 2

    # And the workbook they download holds the same tables, and the response without a name
    with admin.page.expect_download() as download:
        admin.page.get_by_role("link", name="These results and every response").click()
    sheets = sheets_of(download.value.path())
    for caption, rows in tables.items():
        assert sheets[caption] == rows, caption
    assert sheets["Responses"][0][0] == "Trust"
    assert learner.full_name not in str(sheets)


def test_an_anonymous_form_with_4_responses_shows_no_breakdown(web_for, platform_admin, trust):
    form = published_form(title="Anonymous check-in", anonymous=True)
    version = published_version(form)
    first = version.questions.order_by("position").first()
    for _ in range(4):
        membership = MembershipFactory(trust=trust, is_learner=True)
        ask(membership.person, form)
        answer(
            person=membership.person,
            version=version,
            given={first.pk: Given(number=4)},
            membership=membership,
        )
    team = web_for(platform_admin)

    # When the team opens the form's results
    team.visit("/")
    team.follow("Feedback", within="header")
    team.follow("Anonymous check-in")
    team.follow("See the results")

    # Then only how many were asked and answered is shown
    assert "Fewer than 5 people have answered this anonymous form" in team.text()
    assert "Stepwise is easy to use" not in team.text()
    assert team.page.locator("svg.reports-chart").count() == 0
    assert list(page_tables(team.page.content())[0]) == ["Response rates"]


def test_the_blank_form_prints_without_the_services_header_and_footer(web_for, platform_admin):
    form = published_form(title="Printed check-in")
    team = web_for(platform_admin)
    team.visit(f"/evaluation/{form.pk}/")
    team.follow("Print a blank copy")
    assert team.page.locator("header.nhsuk-header").is_visible()

    # When it is printed, only the form shows
    team.page.emulate_media(media="print")
    assert not team.page.locator("header.nhsuk-header").is_visible()
    assert not team.page.locator("footer").is_visible()
    assert not team.page.get_by_text("Print this page").is_visible()
    assert team.page.get_by_role("heading", name="Printed check-in").is_visible()
    assert team.page.locator(".stepwise-print-box").count() == 11
