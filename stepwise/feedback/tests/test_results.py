"""Results: counts and shares per question, SUS with its interval, paper and digital side
by side, response rates; the team sees every Trust, a Trust administrator only theirs;
anonymous forms show nothing under 5 responses; the workbook holds the page's tables."""

import io
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.feedback.building import builtins_install
from stepwise.feedback.builtin import PAPER_SLUG, PILOT_SLUG, SUS_SLUG
from stepwise.feedback.models import Form
from stepwise.feedback.queries import published_version
from stepwise.feedback.services import Given, answer, ask
from stepwise.feedback.tests.factories import published_form
from stepwise.organisations.tests.factories import CohortFactory, MembershipFactory
from stepwise.reports.tests.tables import page_tables

CHART = 'class="reports-chart"'


def page(response) -> str:
    return unescape(response.content.decode())


def answering(form, trust, count, *, points=None, first=None):
    """`count` learners at the Trust answer: the first question with `first`, or SUS
    items with `points`."""
    version = published_version(form)
    questions = list(version.questions.order_by("position"))
    for _ in range(count):
        membership = MembershipFactory(trust=trust, is_learner=True)
        ask(membership.person, form)
        if points:
            given = {q.pk: Given(number=p) for q, p in zip(questions, points, strict=True)}
        else:
            given = {questions[0].pk: Given(number=first)}
        answer(person=membership.person, version=version, given=given, membership=membership)


def workbook(response) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


@pytest.fixture
def sus(db):
    builtins_install()
    return Form.objects.get(slug=SUS_SLUG)


class TestAccess:
    def test_learners_and_other_staff_cannot_see_results(self, client_for, learner, educator):
        form = published_form()
        for person in (learner, educator):
            url = reverse("feedback:results", args=[form.pk])
            assert client_for(person).get(url).status_code == 403

    def test_a_trust_admin_sees_only_their_trusts_answers(
        self, client_for, trust_admin, trust, other_trust
    ):
        form = published_form()
        answering(form, trust, 2, first=5)
        answering(form, other_trust, 3, first=1)
        html = page(client_for(trust_admin).get(reverse("feedback:results", args=[form.pk])))
        assert "2 responses from people at " + trust.name in html
        assert other_trust.name not in html

    @pytest.mark.parametrize("number", ["²", "9" * 30, "9" * 5000])
    def test_a_version_number_that_is_not_one_shows_the_published_version(
        self, client_for, platform_admin, trust, number
    ):
        # Found by the fuzzer (tests/fuzz): "²" passed str.isdigit(), then the lookup raised.
        form = published_form()
        answering(form, trust, 2, first=5)
        url = reverse("feedback:results", args=[form.pk])
        response = client_for(platform_admin).get(url, {"version": number})
        assert response.status_code == 200
        assert "2 responses" in page(response)

    def test_the_team_sees_every_trust(self, client_for, platform_admin, trust, other_trust):
        form = published_form()
        answering(form, trust, 2, first=5)
        answering(form, other_trust, 3, first=1)
        html = page(client_for(platform_admin).get(reverse("feedback:results", args=[form.pk])))
        assert "5 responses" in html
        assert trust.name in html and other_trust.name in html


class TestFigures:
    def test_counts_and_shares_per_question(self, client_for, platform_admin, trust):
        form = published_form()
        answering(form, trust, 3, first=4)
        answering(form, trust, 1, first=2)
        html = page(client_for(platform_admin).get(reverse("feedback:results", args=[form.pk])))
        assert CHART in html and "Question 1: Stepwise is easy to use" in html
        assert "Agree: 3; Strongly agree: 0." in html
        tables, _ = page_tables(html)
        assert tables["Question 1"] == [
            ["Answer", "People", "Share"],
            ["Strongly disagree", "0", "0%"],
            ["Disagree", "1", "25%"],
            ["Neither", "0", "0%"],
            ["Agree", "3", "75%"],
            ["Strongly agree", "0", "0%"],
        ]
        assert tables["Question 2"][1] == ["Daily", "0", "–"]

    def test_an_anonymous_form_with_4_responses_shows_no_breakdown(
        self, client_for, platform_admin, trust
    ):
        form = published_form(anonymous=True)
        answering(form, trust, 4, first=4)
        client = client_for(platform_admin)
        html = page(client.get(reverse("feedback:results", args=[form.pk])))
        assert "Fewer than 5 people have answered" in html
        assert CHART not in html and "Stepwise is easy to use" not in html
        sheets = workbook(client.get(reverse("feedback:results_xlsx", args=[form.pk])))
        assert list(sheets) == ["Response rates"]
        answering(form, trust, 1, first=4)
        html = page(client.get(reverse("feedback:results", args=[form.pk])))
        assert "Fewer than 5" not in html and "Stepwise is easy to use" in html

    def test_sus_mean_interval_and_small_groups_folded(
        self, client_for, platform_admin, trust, other_trust, sus
    ):
        CohortFactory(name="Cohort 1", trusts=[trust])
        answering(sus, trust, 3, points=[3] * 10)  # 50 each
        answering(sus, trust, 3, points=[5, 1] * 5)  # 100 each
        answering(sus, other_trust, 2, points=[1, 5] * 5)  # 0 each: a group under 5
        html = page(client_for(platform_admin).get(reverse("feedback:results", args=[sus.pk])))
        # 8 scores: mean (150 + 300) / 8 = 56.25.
        assert "56.2" in html or "56.3" in html
        assert "11.8 points below the average of 68" in html
        groups = page_tables(html)[0]["SUS by cohort and Trust"]
        assert groups[1][5:] == ["50.0", "75.0", "100.0"]
        assert [row[:3] for row in groups] == [
            ["Group", "People", "Mean score"],
            ["Cohort: Cohort 1", "6", "75.0"],
            ["Cohort: Other (groups under 5)", "2", "0.0"],
            ["Trust: " + trust.name, "6", "75.0"],
            ["Trust: Other (groups under 5)", "2", "0.0"],
        ]
        assert "95% confidence interval" in html

    def test_paper_and_digital_side_by_side(self, client_for, platform_admin, trust):
        builtins_install()
        paper = Form.objects.get(slug=PAPER_SLUG)
        pilot = Form.objects.get(slug=PILOT_SLUG)
        answering(paper, trust, 5, first=3)  # More than 4 weeks on paper
        answering(pilot, trust, 2, first=1)  # Within a week in Stepwise
        html = page(client_for(platform_admin).get(reverse("feedback:results", args=[paper.pk])))
        assert "Paper and Stepwise compared" in html
        tables, _ = page_tables(html)
        [compared] = [
            rows
            for caption, rows in tables.items()
            if caption.startswith("Paper and digital") and "Within a week" in str(rows)
        ]
        assert compared[0] == [
            "Answer", "Paper: people", "Paper: share", "Stepwise: people", "Stepwise: share"
        ]  # fmt: skip
        assert ["Within a week", "0", "0%", "2", "100%"] in compared
        assert ["More than 4 weeks", "5", "100%", "0", "0%"] in compared

    def test_response_rates(self, client_for, platform_admin, trust):
        form = published_form()
        answering(form, trust, 2, first=4)
        ask(MembershipFactory(trust=trust, is_learner=True).person, form)
        html = page(client_for(platform_admin).get(reverse("feedback:results", args=[form.pk])))
        tables, _ = page_tables(html)
        assert tables["Response rates"][-1] == ["All asked", "3", "2", "67%"]
        assert tables["Response rates"][1] == [trust.name, "3", "2", "67%"]


class TestWorkbook:
    def test_the_workbook_holds_the_pages_tables_and_every_response(
        self, client_for, platform_admin, trust
    ):
        form = published_form()
        answering(form, trust, 2, first=4)
        client = client_for(platform_admin)
        sheets = workbook(client.get(reverse("feedback:results_xlsx", args=[form.pk])))
        assert sheets["Question 1"] == [
            ["Answer", "People", "Share"],
            ["Strongly disagree", 0, "0%"],
            ["Disagree", 0, "0%"],
            ["Neither", 0, "0%"],
            ["Agree", 2, "100%"],
            ["Strongly agree", 0, "0%"],
        ]
        responses = sheets["Responses"]
        assert responses[0][:5] == ["Person", "Trust", "Role", "Sent on", "From paper"]
        assert len(responses) == 3 and responses[1][1] == trust.name

    def test_an_anonymous_workbook_has_answers_only(self, client_for, platform_admin, trust):
        form = published_form(anonymous=True)
        answering(form, trust, 5, first=4)
        sheets = workbook(
            client_for(platform_admin).get(reverse("feedback:results_xlsx", args=[form.pk]))
        )
        responses = sheets["Responses"]
        assert responses[0][0] == "1. Stepwise is easy to use"
        names = {m.person.full_name for m in trust.memberships.all()}
        assert not any(cell in names for row in responses for cell in row)
        assert not any(cell == trust.name for row in responses for cell in row)

    def test_a_trust_admins_workbook_has_no_names(self, client_for, trust_admin, trust):
        form = published_form()
        answering(form, trust, 2, first=4)
        sheets = workbook(
            client_for(trust_admin).get(reverse("feedback:results_xlsx", args=[form.pk]))
        )
        assert sheets["Responses"][0][0] == "Trust"


def test_the_results_page_costs_the_same_queries_however_many_answer(
    client_for, platform_admin, trust, sus, django_assert_max_num_queries
):
    client = client_for(platform_admin)
    url = reverse("feedback:results", args=[sus.pk])
    answering(sus, trust, 5, points=[4, 2] * 5)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    answering(sus, trust, 20, points=[3] * 10)
    PersonFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
