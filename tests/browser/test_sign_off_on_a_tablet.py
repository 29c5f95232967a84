"""The educator's sign-off of a whole Step 1 (115 proficiencies) on a ward tablet, with
JavaScript and without: a summary rather than every row, the enrolment's full record after
it, each page well within 15 screens and nothing tappable under 24px."""

import pytest
from django.urls import reverse

from stepwise.certificates.models import Certificate
from stepwise.frameworks.samples import load_samples
from stepwise.frameworks.services import trust_framework_offer
from stepwise.progress.models import Decision
from stepwise.progress.services import (
    confirmation_request,
    enrolment_create,
    records_self_assess,
    request_decide,
    sign_off_request,
)
from stepwise.progress.services.confirmation import ItemDecision
from tests.browser.support import Screenshots
from tests.browser.tablet import PHONE, TABLET, open_browser, screens, small_targets

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting_for_sign_off(trust, learner, assessor, educator, trust_admin, framework_author):
    """Every required proficiency of the sample Step 1 and three optional ones confirmed by
    the assessor, and sign-off asked of the educator."""
    step_1 = next(v for v in load_samples(by=framework_author) if v.framework.slug == "step-1")
    trust_framework_offer(trust=trust, framework=step_1.framework, by=trust_admin)
    enrolment = enrolment_create(
        learner=learner, version=step_1, trust=trust, educator=educator, by=educator
    )
    records = list(enrolment.records.select_related("proficiency"))
    chosen = [r for r in records if not r.proficiency.optional]
    chosen += [r for r in records if r.proficiency.optional][:3]
    records_self_assess(
        enrolment=enrolment, by=learner, answers=[(r.pk, "achieved", "") for r in chosen]
    )
    request = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[r.pk for r in chosen], assessor=assessor
    )
    request_decide(
        request=request,
        by=assessor,
        registration_body="NMC",
        registration_number="09B1234D",
        items=[ItemDecision(r.pk, Decision.Outcome.CONFIRMED) for r in chosen],
    )
    sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
    return enrolment


@pytest.fixture
def screenshots(request):
    return Screenshots(request.config.rootpath / "test-results" / "screenshots", request.node.name)


@pytest.mark.parametrize("js", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_sign_off_page_summarises_and_the_full_record_follows(
    js, chromium, live_server, screenshots, waiting_for_sign_off, educator, assessor
):
    enrolment = waiting_for_sign_off
    web = open_browser(chromium, live_server, screenshots, educator, js=js, viewport=TABLET)
    try:
        web.visit(reverse("progress:sign_off", args=[enrolment.pk]))
        assert screens(web) <= 4, f"{screens(web):.1f} screens"
        assert small_targets(web) == []
        text = web.text()
        assert "112 of 112 confirmed" in text
        assert "3 confirmed; at least 3 needed: met" in text
        assert f"{assessor.full_name} (NMC 09B1234D): 115 proficiencies" in text

        web.choose("I agree with the declaration")
        web.submit("Sign off and issue the certificate")
        assert Certificate.objects.filter(enrolment=enrolment).exists()
        assert "has been signed off" in web.banner()

        # The enrolment's page, where the educator lands, has every proficiency
        assert screens(web) <= 15, f"{screens(web):.1f} screens"
        assert small_targets(web) == []
    finally:
        web.page.context.close()


def test_the_sign_off_page_on_a_phone(
    chromium, live_server, screenshots, waiting_for_sign_off, educator
):
    web = open_browser(chromium, live_server, screenshots, educator, viewport=PHONE)
    try:
        web.visit(reverse("progress:sign_off", args=[waiting_for_sign_off.pk]))
        assert small_targets(web) == []
        web.follow("See every proficiency, who confirmed it and when")
        assert small_targets(web) == []
    finally:
        web.page.context.close()


def test_the_educators_other_journey_pages_fit_and_have_no_small_targets(
    chromium, live_server, screenshots, waiting_for_sign_off, educator
):
    web = open_browser(chromium, live_server, screenshots, educator, viewport=TABLET)
    try:
        for page in ("progress:to_review", "progress:enrol", "progress:enrolments"):
            web.visit(reverse(page))
            assert screens(web) <= 15, f"{page}: {screens(web):.1f} screens"
            assert small_targets(web) == [], page
    finally:
        web.page.context.close()
