"""Notifications and certificate downloads in a real browser, each page checked with axe."""

import pytest
from playwright.sync_api import expect

from stepwise.certificates.models import Certificate
from stepwise.certificates.tests.conftest import sign_off
from stepwise.notifications.models import Notification
from stepwise.progress.tests.conftest import enrolment, offered, version

__all__ = ["enrolment", "offered", "version"]  # fixtures of the journey's tests

pytestmark = pytest.mark.browser


def test_a_learner_reads_their_notifications_and_marks_them_read(web_for, learner):
    # Given a learner with two unread notifications and one read one
    Notification.objects.create(
        person=learner, text="Ben Thompson confirmed 3 of your proficiencies.", url="/"
    )
    Notification.objects.create(person=learner, text="Your enrolment is due in 20 days.", url="/")
    web = web_for(learner)

    # When they open their notifications from the header
    web.visit("/")
    header = web.page.locator(".nhsuk-header")
    expect(header).to_contain_text("Notifications (2)")
    web.follow("Notifications (2)")

    # Then they see them, newest first, marked unread
    assert web.heading() == "Notifications"
    text = web.text()
    assert text.index("Your enrolment is due") < text.index("Ben Thompson confirmed")
    assert text.count("Unread") == 2

    # When they mark them all read
    web.submit("Mark all as read")

    # Then they are told so, and the header count is zero
    assert "2 notifications marked as read" in web.banner()
    assert "Unread" not in web.text()
    expect(header).to_contain_text("Notifications (0)")


def test_a_certificate_still_being_made_says_so(web_for, enrolment, learner, assessor, educator):
    # Given a learner signed off whose certificate the worker has not made yet
    certificate = sign_off(enrolment, learner, assessor, educator, make_pdf=True)
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_made_at=None)
    web = web_for(learner)

    # When they go to download it
    web.visit(f"/certificates/{certificate.serial}/download/")

    # Then they are told it is being made, with a way to try again
    assert web.heading() == "Your certificate is being made"
    web.follow("Check again")
    assert web.heading() == "Your certificate is being made"

    # And once it is made, the same address downloads the PDF
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=f"certificates/{certificate.serial}.pdf"
    )
    with web.page.expect_download() as download:
        web.page.evaluate("location.reload()")
    assert download.value.suggested_filename.endswith(f"{certificate.serial}.pdf")


def test_the_overview_offers_the_certificate_once_its_pdf_is_stored(
    web_for, enrolment, learner, assessor, educator
):
    # Given a learner signed off whose certificate the worker has not made yet
    certificate = sign_off(enrolment, learner, assessor, educator, make_pdf=True)
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_made_at=None)
    web = web_for(learner)

    # When they open their overview, it says so and offers no download yet
    web.visit(f"/enrolments/{enrolment.pk}/")
    assert "Your certificate is being made" in web.text()
    pdf_link = web.page.get_by_role("link", name="Download your certificate (PDF)")
    expect(pdf_link).to_have_count(0)

    # And once the PDF is stored, the page offers it by itself, without reloading
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=f"certificates/{certificate.serial}.pdf"
    )
    expect(pdf_link).to_be_visible(timeout=15_000)
    assert len(web.loaded) == 1
    web.check()
    with web.page.expect_download() as download:
        pdf_link.click()
    assert download.value.suggested_filename.endswith(f"{certificate.serial}.pdf")
