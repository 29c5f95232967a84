"""Paper copies: a clean blank form to print, and the team typing in the answers, marked as
from paper and linked to nobody."""

from html import unescape

from django.urls import reverse

from stepwise.feedback.models import FormEvent, Response
from stepwise.feedback.tests.factories import full_answers, published_form


def page(response) -> str:
    return unescape(response.content.decode())


def test_the_blank_form_lists_every_question_with_boxes_and_prints_alone(
    client_for, platform_admin
):
    form = published_form()
    html = page(client_for(platform_admin).get(reverse("feedback:print", args=[form.pk])))
    assert "Stepwise is easy to use" in html and "Anything else?" in html
    assert html.count('class="stepwise-print-box"') == 5 + 3 + 3
    assert "stepwise-no-print" in html and "Circle one, from 0 to 10." in html


def test_the_team_types_in_paper_answers(client_for, platform_admin, trust):
    form = published_form()
    url = reverse("feedback:paper", args=[form.pk])
    response = client_for(platform_admin).post(url, {**full_answers(form), "trust": trust.pk})
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.from_paper and stored.entered_by == platform_admin
    assert stored.person is None and stored.trust == trust
    assert FormEvent.objects.filter(form=form, kind="paper_entered").exists()


def test_bad_paper_answers_are_explained(client_for, platform_admin):
    form = published_form()
    url = reverse("feedback:paper", args=[form.pk])
    response = client_for(platform_admin).post(url, {"trust": "999999"})
    html = page(response)
    assert "Select a Trust from the list" in html
    assert "Question 1: select an answer" in html
    assert not Response.objects.exists()


def test_only_the_team_prints_and_types_in(client_for, trust_admin):
    form = published_form()
    client = client_for(trust_admin)
    assert client.get(reverse("feedback:print", args=[form.pk])).status_code == 403
    assert client.get(reverse("feedback:paper", args=[form.pk])).status_code == 403
