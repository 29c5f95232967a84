"""The notifications page: a person's own notices, newest first, unread marked, paginated;
marking them all read; and the count in the header."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.notifications.models import Notification

LIST = reverse("notifications:list")
MARK_READ = reverse("notifications:mark_read")


def notice(person, text, *, days_ago=0, read=False, url="/my-proficiencies/"):
    created = timezone.now() - timedelta(days=days_ago)
    return Notification.objects.create(
        person=person, text=text, url=url, created_at=created, read_at=created if read else None
    )


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:sign_in')}?next={LIST}"
    response = client.post(MARK_READ)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_it_lists_my_notifications_newest_first_with_unread_marked(
    client_for, learner, other_learner
):
    notice(learner, "Ben Thompson confirmed 3 of your proficiencies.", days_ago=2, read=True)
    notice(learner, "Priya Shah returned your request for sign-off.", days_ago=1)
    notice(other_learner, "Someone else's news")
    html = client_for(learner).get(LIST).content.decode()
    older = html.index("Ben Thompson confirmed 3")
    newer = html.index("Priya Shah returned")
    assert newer < older
    assert "Someone else" not in html
    assert html.count("nhsuk-tag--blue") == 1
    assert html.index("nhsuk-tag--blue") < newer
    assert '<a href="/my-proficiencies/">Priya Shah returned' in html
    assert "2 notifications, 1 unread." in html
    assert "Mark all as read" in html


def test_a_link_outside_the_service_is_not_linked(client_for, learner):
    notice(learner, "Odd notice", url="https://example.com/phish")
    notice(learner, "Another odd notice", url="//example.com/phish")
    html = client_for(learner).get(LIST).content.decode()
    assert "Odd notice" in html
    assert "example.com" not in html


def test_it_says_when_there_is_nothing(client_for, learner):
    html = client_for(learner).get(LIST).content.decode()
    assert "You have no notifications yet" in html
    assert "Mark all as read" not in html


def test_it_is_paginated(client_for, learner):
    for number in range(45):
        notice(learner, f"Notice number {number:02d}.", days_ago=number)
    client = client_for(learner)
    first = client.get(LIST).content.decode()
    assert "Showing 1 to 20 of 45 notifications" in first
    assert "Notice number 00." in first
    assert "Notice number 20." not in first
    third = client.get(LIST, {"page": 3}).content.decode()
    assert "Showing 41 to 45 of 45 notifications" in third
    assert "Notice number 44." in third
    # A page number that is not a page shows the nearest page rather than failing.
    assert client.get(LIST, {"page": "lots"}).status_code == 200
    assert client.get(LIST, {"page": 99}).status_code == 200


def test_marking_all_read(client_for, learner, other_learner):
    notice(learner, "One")
    notice(learner, "Two")
    theirs = notice(other_learner, "Theirs")
    client = client_for(learner)
    response = client.post(MARK_READ)
    assert response.status_code == 302
    assert response.url == LIST
    assert not Notification.objects.filter(person=learner, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    html = client.get(LIST).content.decode()
    assert "2 notifications marked as read" in html
    assert "nhsuk-tag--blue" not in html
    # A second click (a double submit) changes nothing and says so.
    client.post(MARK_READ)
    assert "There were no unread notifications" in client.get(LIST).content.decode()


def test_marking_read_needs_a_post(client_for, learner):
    notice(learner, "One")
    assert client_for(learner).get(MARK_READ).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_header_shows_the_unread_count(client_for, learner):
    notice(learner, "One")
    notice(learner, "Two")
    notice(learner, "Three", read=True)
    html = client_for(learner).get(reverse("core:home")).content.decode()
    assert f'href="{LIST}"' in html
    assert "Notifications (2)" in html


@pytest.mark.parametrize("count", [5, 200])
def test_the_page_costs_the_same_whatever_the_number(
    client_for, learner, django_assert_max_num_queries, count
):
    Notification.objects.bulk_create(
        [Notification(person=learner, text=f"Notice {n}", url="/") for n in range(count)]
    )
    client = client_for(learner)
    # Session, person with the unread count (for header and page), memberships, the
    # paginator's count, the page of notifications. Whether a learner must give a security
    # code (ADR 17) is kept with the session, noted when they signed in.
    with django_assert_max_num_queries(5):
        assert client.get(LIST).status_code == 200
