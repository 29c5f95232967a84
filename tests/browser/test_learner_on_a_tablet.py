"""The learner's side of the sample Step 1 on a ward tablet, with JavaScript and without:
the whole Step answered on one page of at most 15 screens and sent for confirmation with
one more press; the rejected ones answered again, their actions ticked, and sent, on one
page; nothing tappable under 24px; and the pages fit a phone's width."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stepwise.frameworks.samples import load_samples
from stepwise.frameworks.services import trust_framework_offer
from stepwise.progress.models import Action, ConfirmationRequest, Decision
from stepwise.progress.services import enrolment_create
from stepwise.progress.states import RecordState
from stepwise.progress.tests.learner_support import decide
from tests.browser.support import Screenshots
from tests.browser.tablet import PHONE, open_browser, screens, small_targets

pytestmark = pytest.mark.browser

MOST_SCREENS = 15
REJECTED = ("1.2", "7.1")


@pytest.fixture
def step_1_enrolment(trust, learner, assessor, educator, trust_admin, framework_author):
    step_1 = next(v for v in load_samples(by=framework_author) if v.framework.slug == "step-1")
    trust_framework_offer(trust=trust, framework=step_1.framework, by=trust_admin)
    return enrolment_create(
        learner=learner,
        version=step_1,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )


@pytest.fixture
def screenshots(request):
    return Screenshots(request.config.rootpath / "test-results" / "screenshots", request.node.name)


def to_answer(enrolment) -> list[str]:
    """Every required proficiency and the first three optional ones (the minimum)."""
    records = list(
        enrolment.records.select_related("proficiency").order_by(
            "proficiency__section__position", "proficiency__position"
        )
    )
    chosen = [r for r in records if not r.proficiency.optional]
    chosen += [r for r in records if r.proficiency.optional][:3]
    return [r.proficiency.code for r in chosen]


def fits_a_tablet(web) -> None:
    assert screens(web) <= MOST_SCREENS, f"{web.page.url}: {screens(web):.1f} screens"
    assert small_targets(web) == [], web.page.url


def answer(web, code: str, label: str = "Achieved") -> None:
    web.page.get_by_role("group", name=f"Your answer for {code}", exact=True).get_by_label(
        label, exact=True
    ).check()


def saved_by_script(web, count: int) -> None:
    """With JavaScript each answer is saved as it is tapped: wait until every row says so."""
    saved = web.page.locator(".stepwise-answer__status", has_text="Saved")
    # One save per tap, one after another: on a busy machine 115 take longer than a click.
    saved.nth(count - 1).wait_for(timeout=120_000)


@pytest.mark.parametrize("js", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_whole_step_is_answered_and_sent_in_four_forms(
    js, chromium, live_server, screenshots, step_1_enrolment, learner, assessor
):
    enrolment = step_1_enrolment
    codes = to_answer(enrolment)
    assert len(codes) == 115
    web = open_browser(chromium, live_server, screenshots, learner, js=js)
    forms: list[str] = []
    web.page.on(
        "request",
        lambda request: (
            forms.append(request.url)
            if request.method == "POST" and request.resource_type == "document"
            else None
        ),
    )
    try:
        # Given the learner's Step 1 overview
        web.visit(reverse("progress:enrolment", args=[enrolment.pk]))

        # When they open the whole Step and answer 115 proficiencies on it
        web.submit("Answer your proficiencies")
        assert web.heading() == "Answer your proficiencies"
        fits_a_tablet(web)
        for code in codes:
            answer(web, code)
        if js:
            saved_by_script(web, len(codes))

        # And save, going straight on to ask for confirmation
        web.submit("Save and ask for confirmation")
        if js:
            assert web.banner().endswith("Your answers were already saved: nothing has changed")
        else:
            assert web.banner().endswith("115 answers saved")

        # Then everything achieved is ticked, their named assessor chosen: one press sends
        assert web.heading() == "Ask for confirmation"
        fits_a_tablet(web)
        assert web.page.locator("input[name=records]:checked").count() == 115
        assert web.page.get_by_label("Who should confirm them?").input_value() == str(assessor.pk)
        web.submit("Send request")
        assert f"We have asked {assessor.full_name} to confirm 115 proficiencies" in web.banner()

        # When the assessor rejects two with an action plan and confirms the rest
        request = ConfirmationRequest.objects.get()
        records = {
            r.proficiency.code: r for r in request.waiting_records.select_related("proficiency")
        }
        decide(
            request,
            assessor,
            [
                (r, Decision.Outcome.REJECTED if code in REJECTED else Decision.Outcome.CONFIRMED)
                for code, r in records.items()
            ],
        )

        # Then the learner answers both again and ticks their actions on one page
        web.visit(reverse("progress:enrolment", args=[enrolment.pk]))
        web.submit("Your action plans")
        fits_a_tablet(web)
        for box in web.page.get_by_label("Practise under supervision", exact=True).all():
            box.check()
        for code in REJECTED:
            answer(web, code)
        if js:
            saved_by_script(web, len(REJECTED))
        web.submit("Save and ask for confirmation")
        assert "2 actions marked as done" in web.banner()
        assert web.page.locator("input[name=records]:checked").count() == 2
        web.submit("Send request")

        # And four forms did it all, both ways
        assert not Action.objects.filter(done_at__isnull=True).exists()
        waiting = enrolment.records.filter(state=RecordState.AWAITING_CONFIRMATION)
        assert sorted(waiting.values_list("proficiency__code", flat=True)) == sorted(REJECTED)
        assert len(forms) == 4, forms
        assert len(web.loaded) <= 9, web.loaded
    finally:
        web.page.context.close()


@pytest.mark.parametrize("js", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_answer_pages_fit_a_phones_width(
    js, chromium, live_server, screenshots, step_1_enrolment, learner
):
    web = open_browser(chromium, live_server, screenshots, learner, js=js, viewport=PHONE)
    try:
        for name in ("answers", "request_confirmation", "action_plans"):
            web.visit(reverse(f"progress:{name}", args=[step_1_enrolment.pk]))
            width = web.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name}: {width}px wide"
            assert small_targets(web) == [], name
    finally:
        web.page.context.close()


def test_with_the_connection_dropped_nothing_tapped_is_lost(
    chromium, live_server, screenshots, step_1_enrolment, learner
):
    page = reverse("progress:answers", args=[step_1_enrolment.pk])
    web = open_browser(chromium, live_server, screenshots, learner, js=True)
    try:
        web.visit(page)

        # When the ward's network drops and the learner taps an answer
        web.page.context.set_offline(True)
        answer(web, "1.1")

        # Then the row says it is not saved yet, and Save keeps the page rather than lose it
        row = web.page.locator(".stepwise-answer", has=web.page.get_by_text("Carries out and"))
        expect(row.locator(".stepwise-answer__status")).to_have_text(
            re.compile(r"^Not saved yet: there is no connection")
        )
        web.page.get_by_role("button", name="Save answers", exact=True).click()
        expect(web.page.locator(".stepwise-offline")).to_be_visible()
        assert web.page.url.endswith(page)
        web.check()

        # And once it is back, Save sends what was tapped
        web.page.context.set_offline(False)
        web.submit("Save answers")
        assert web.banner().endswith("1 answer saved")
        assert step_1_enrolment.records.get(proficiency__code="1.1").state == RecordState.ACHIEVED
    finally:
        web.page.context.close()
