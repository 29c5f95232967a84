"""Subject access exports in a browser, with axe on every page: a learner asks for a copy of
their data from the account menu and downloads it; a Trust administrator asks for a member's
from their page under People."""

import pytest
from django.urls import reverse

from stepwise.organisations.models import Membership

pytestmark = pytest.mark.browser


def test_a_learner_downloads_everything_held_about_them(web_for, learner):
    web = web_for(learner)
    web.visit(reverse("core:home"))
    web.follow("Your data", within="header")
    assert web.heading() == "Your data"
    web.submit("Ask for a copy of your data")
    # Tasks run at once in the tests: the worker has made it by the time the page loads.
    assert web.heading() == "The copy of the data is ready"
    with web.page.expect_download() as download:
        web.page.get_by_role("link", name="Download the ZIP file").click()
    assert download.value.suggested_filename.startswith("stepwise-data-")


def test_a_trust_admin_exports_a_members_data(web_for, learner, trust, trust_admin):
    member = Membership.objects.get(person=learner, trust=trust)
    web = web_for(trust_admin)
    web.visit(reverse("organisations:person_detail", args=[member.pk]))
    web.follow(f"Export everything held about {learner.full_name} (subject access request)")
    assert web.heading() == "Export everything held about this person"
    web.submit("Make the export")
    assert web.heading() == "The copy of the data is ready"
