"""The assessor's review of a whole Step 1 request (115 proficiencies) on a ward tablet, with
JavaScript and without: at most 10 screens, nothing tappable under 24px, a rejection in two
taps besides the action's text, and everything else confirmed in one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from stepwise.frameworks.samples import load_samples
from stepwise.frameworks.services import trust_framework_offer
from stepwise.progress.models import Action, Decision
from stepwise.progress.services import (
    confirmation_request,
    enrolment_create,
    records_self_assess,
)
from tests.browser.support import Screenshots
from tests.browser.tablet import PHONE, TABLET, open_browser, screens, small_targets

pytestmark = pytest.mark.browser


@pytest.fixture
def step_1_request(trust, learner, assessor, educator, trust_admin, framework_author):
    """Every required proficiency of the sample Step 1 and three optional ones, sent to the
    assessor; some with a reflection."""
    step_1 = next(v for v in load_samples(by=framework_author) if v.framework.slug == "step-1")
    trust_framework_offer(trust=trust, framework=step_1.framework, by=trust_admin)
    enrolment = enrolment_create(
        learner=learner, version=step_1, trust=trust, educator=educator, by=educator
    )
    records = list(
        enrolment.records.select_related("proficiency").order_by(
            "proficiency__section__position", "proficiency__position"
        )
    )
    chosen = [r for r in records if not r.proficiency.optional]
    chosen += [r for r in records if r.proficiency.optional][:3]
    reflection = "I did this on my supernumerary shifts with my practice supervisor."
    records_self_assess(
        enrolment=enrolment,
        by=learner,
        answers=[
            (r.pk, "achieved", reflection if i % 3 == 0 else "") for i, r in enumerate(chosen)
        ],
    )
    request = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[r.pk for r in chosen], assessor=assessor
    )
    assert request.item_count == 115
    return request


@pytest.fixture
def screenshots(request):
    return Screenshots(request.config.rootpath / "test-results" / "screenshots", request.node.name)


def decision_row(web, code):
    group = web.page.get_by_role("group", name=f"Your decision on {code}", exact=True)
    return web.page.locator(".stepwise-decision", has=group)


@pytest.mark.parametrize("js", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_review_of_115_fits_ten_screens_and_a_rejection_is_two_taps(
    js, chromium, live_server, screenshots, step_1_request, assessor
):
    web = open_browser(chromium, live_server, screenshots, assessor, js=js, viewport=TABLET)
    try:
        web.visit(reverse("progress:review", args=[step_1_request.pk]))

        # The whole review fits ten tablet screens, and everything on it is a fair target
        assert screens(web) <= 10, f"{screens(web):.1f} screens"
        assert small_targets(web) == []

        # Tap 1: Reject shows the proficiency's action plan, its date boxes still hidden
        row = decision_row(web, "1.2")
        plan = row.locator(".stepwise-decision__plan")
        expect(plan).to_be_hidden()
        row.get_by_label("Reject", exact=True).check()
        expect(plan).to_be_visible()
        due = row.get_by_role("group", name="Action 1 due", exact=True)
        expect(row.get_by_role("group", name="Action 1 due date", exact=True)).to_be_hidden()
        # The action's text, then tap 2: when it is due
        row.get_by_label("Action 1", exact=True).fill("Assess a ventilated patient with me")
        due.get_by_label("In 2 weeks", exact=True).check()
        web.check()  # the open plan passes axe too

        # "Confirm all in Respiratory" keeps the rejection and what was typed: without
        # JavaScript the page comes back at the section; with it nothing is sent
        pages = len(web.loaded)
        if js:
            web.page.get_by_role("button", name="Confirm all in Respiratory").click()
            assert len(web.loaded) == pages
        else:
            web.submit("Confirm all in Respiratory")
            assert web.page.url.endswith("#section-" + str(section_of(step_1_request, "1.1")))
        assert decision_row(web, "1.1").get_by_label("Confirm", exact=True).is_checked()
        assert decision_row(web, "1.2").get_by_label("Reject", exact=True).is_checked()
        expect(decision_row(web, "1.2").get_by_label("Action 1", exact=True)).to_have_value(
            "Assess a ventilated patient with me"
        )
        expect(web.page.locator("[data-review-counts]")).to_have_text(
            "1 to reject, 9 to confirm, 105 not decided yet"
        )

        # One tap confirms the other 114 and saves
        web.submit("Confirm everything else and save")
        assert "You confirmed 114 proficiencies and rejected 1 with an action plan" in web.banner()
        assert Decision.objects.filter(request=step_1_request).count() == 115
        action = Action.objects.get()
        assert action.due_on == timezone.localdate() + timedelta(days=14)
    finally:
        web.page.context.close()


def test_the_review_works_on_a_phone(chromium, live_server, screenshots, step_1_request, assessor):
    web = open_browser(chromium, live_server, screenshots, assessor, viewport=PHONE)
    try:
        web.visit(reverse("progress:review", args=[step_1_request.pk]))
        assert small_targets(web) == []
        row = decision_row(web, "4.1")
        row.get_by_label("Reject", exact=True).check()
        row.get_by_label("Action 1", exact=True).fill("Review the fluid balance chart with me")
        row.get_by_role("group", name="Action 1 due", exact=True).get_by_label(
            "Another date", exact=True
        ).check()
        date = row.get_by_role("group", name="Action 1 due date", exact=True)
        expect(date).to_be_visible()
        when = timezone.localdate() + timedelta(days=10)
        date.get_by_label("Day").fill(str(when.day))
        date.get_by_label("Month").fill(str(when.month))
        date.get_by_label("Year").fill(str(when.year))
        web.check()
        web.submit("Confirm everything else and save")
        assert "rejected 1 with an action plan" in web.banner()
        assert Action.objects.get().due_on == when
    finally:
        web.page.context.close()


def section_of(request, code: str) -> int:
    return request.items.get(record__proficiency__code=code).record.proficiency.section_id
