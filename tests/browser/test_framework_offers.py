"""A Trust administrator offers a published framework, lets learners enrol themselves, then
stops offering it."""

import pytest

from stepwise.frameworks.models import TrustFramework
from stepwise.frameworks.tests.factories import FrameworkFactory, published_version

pytestmark = pytest.mark.browser


def test_a_trust_admin_offers_a_framework_and_stops_offering_it(
    web_for, trust, trust_admin, framework_author
):
    framework = FrameworkFactory(title="Step 1", slug="step-1", created_by=framework_author)
    published_version(framework=framework, by=framework_author)
    web = web_for(trust_admin)

    # Given a Trust administrator on the offered frameworks page
    web.visit("/")
    web.follow("Offered frameworks")
    assert web.heading() == "Offered frameworks"
    assert "Not offered" in web.text()

    # When they offer Step 1 without saying who enrols learners
    web.follow("Offer Step 1")
    web.submit("Offer framework")

    # Then they are asked
    assert web.error_summary() == ["Choose whether learners can enrol themselves"]

    # When they answer that educators enrol learners
    web.choose("No, educators enrol learners")
    web.submit("Offer framework")

    # Then the Trust offers it, and they can let learners enrol themselves
    assert f"{trust.name} now offers Step 1" in web.banner()
    assert "Educators enrol learners" in web.text()
    web.submit("Allow self-enrolment for Step 1")
    assert "Learners can now enrol themselves on Step 1" in web.banner()
    assert TrustFramework.objects.get(trust=trust).learners_may_enrol_themselves

    # When they stop offering it
    web.follow("Stop offering Step 1")
    assert "Learners already enrolled carry on" in web.text()
    web.fill("Reason (optional)", "Moving to the regional passport")
    web.submit("Stop offering")

    # Then it is no longer offered
    assert "no longer offers Step 1" in web.banner()
    assert not TrustFramework.objects.filter(trust=trust).exists()
