"""'Was this page helpful?': in the footer of every signed-in page; what is said reaches the
team's list with the page and role, not the person; the team filters it and marks it
handled."""

from html import unescape
from urllib.parse import quote

import pytest
from django.urls import reverse

from stepwise.feedback.models import PageFeedback, PageFeedbackEvent

GIVE = reverse("feedback:page_feedback")
LIST = reverse("feedback:page_feedback_list")


def page(response) -> str:
    return unescape(response.content.decode())


def test_the_footer_of_a_signed_in_page_links_to_it(client_for, learner, client):
    html = page(client_for(learner).get(reverse("notifications:list") + "?page=2"))
    assert f'href="{GIVE}?page={quote("/notifications/?page=2", safe="")}"' in html
    assert "Was this page helpful?" in html
    client.logout()
    assert "Was this page helpful?" not in page(client.get(reverse("accounts:sign_in")))


def test_feedback_reaches_the_team_with_page_and_role_not_the_person(
    client_for, learner, platform_admin
):
    client = client_for(learner)
    form = client.get(GIVE + "?page=/notifications/")
    assert "/notifications/" in page(form)
    response = client.post(
        GIVE, {"page": "/notifications/", "helpful": "no", "text": "Hard to find old ones"}
    )
    assert response.status_code == 302 and response.url == "/notifications/"
    feedback = PageFeedback.objects.get()
    assert (feedback.page, feedback.role, feedback.helpful, feedback.text) == (
        "/notifications/",
        "Learner",
        False,
        "Hard to find old ones",
    )
    assert not any(
        field.related_model and field.name != "handled_by"
        for field in PageFeedback._meta.get_fields()
        if field.is_relation and field.many_to_one
    )
    html = page(client_for(platform_admin).get(LIST))
    assert "Hard to find old ones" in html and "/notifications/" in html


@pytest.mark.parametrize(
    "address", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "x" * 400]
)
def test_a_page_address_that_is_not_ours_is_not_kept(client_for, learner, address):
    response = client_for(learner).post(GIVE, {"page": address, "text": "Odd"})
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert PageFeedback.objects.get().page == ""


def test_empty_or_long_feedback_is_explained(client_for, learner):
    client = client_for(learner)
    assert "Enter what could be better about this page" in page(client.post(GIVE, {"text": ""}))
    assert "2000 characters or fewer" in page(client.post(GIVE, {"text": "x" * 2001}))
    assert "There is a problem" in page(client.post(GIVE, {"text": "ok", "helpful": "maybe"}))
    assert not PageFeedback.objects.exists()


def test_only_the_team_reads_the_list(client_for, trust_admin):
    assert client_for(trust_admin).get(LIST).status_code == 403


def test_the_team_filters_and_marks_handled(client_for, platform_admin):
    first = PageFeedback.objects.create(page="/reports/", role="Educator/manager", text="Slow")
    PageFeedback.objects.create(page="/people/", role="Trust administrator", text="Great")
    client = client_for(platform_admin)
    html = page(client.get(LIST + "?address=reports"))
    assert "Slow" in html and "Great" not in html
    html = page(client.get(LIST + "?role=trust"))
    assert "Great" in html and "Slow" not in html
    client.post(reverse("feedback:page_feedback_handled", args=[first.pk]))
    first.refresh_from_db()
    assert first.handled_by == platform_admin
    assert "Slow" not in page(client.get(LIST))
    assert "Slow" in page(client.get(LIST + "?state=handled"))
    # A second person marking it handled is told it already was.
    response = client.post(reverse("feedback:page_feedback_handled", args=[first.pk]), follow=True)
    assert "already marked this feedback handled" in page(response)
    assert PageFeedbackEvent.objects.filter(feedback=first).count() == 1


def test_a_filter_outside_its_choices_is_named_in_the_error_summary(client_for, platform_admin):
    # Found by the fuzzer (tests/fuzz): the message beside the field, but no summary.
    html = page(client_for(platform_admin).get(LIST + "?state=0x10"))
    assert 'class="nhsuk-error-summary"' in html
    assert html.count("Select a valid choice. 0x10 is not one of the available choices.") == 2


def test_the_list_costs_the_same_queries_however_long(
    client_for, platform_admin, django_assert_max_num_queries
):
    client = client_for(platform_admin)
    PageFeedback.objects.create(page="/a/", text="One")
    with django_assert_max_num_queries(20) as few:
        client.get(LIST + "?state=all")
    for number in range(20):
        PageFeedback.objects.create(page=f"/{number}/", text="More")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST + "?state=all")
