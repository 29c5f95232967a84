from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from stepwise.core.events import Event
from stepwise.core.filters import SEARCH_MAX
from stepwise.organisations.models import Cohort


def test_the_admin_signs_in_through_the_service_page(client, db):
    response = client.get("/platform-admin/")
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_a_platform_admin_reaches_the_admin(client_for, platform_admin):
    response = client_for(platform_admin).get("/platform-admin/organisations/organisation/")
    assert response.status_code == 200


def test_trust_staff_do_not_reach_the_admin(client_for, trust_admin):
    client = client_for(trust_admin)
    response = client.get("/platform-admin/", follow=True)
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


LIST = "/platform-admin/organisations/organisation/"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_over_long_admin_search_is_refused_with_a_message(client_for, platform_admin):
    # Over SQLite's 50,000-byte limit on a LIKE pattern: it was a 500 there.
    response = client_for(platform_admin).get(LIST, {"q": "[" * 60_000, "kind__exact": "trust"})
    assert response.status_code == 302
    assert response.url == LIST + "?kind__exact=trust"
    assert _messages(response) == [f"Search must be {SEARCH_MAX} characters or fewer"]


def test_a_nul_in_an_admin_filter_is_refused_with_a_message(client_for, platform_admin):
    # PostgreSQL refuses NUL in text: it was a 500 there.
    response = client_for(platform_admin).get(LIST, {"kind__exact": "tr\x00ust"})
    assert response.status_code == 302
    assert response.url == LIST
    assert _messages(response) == ["Searches and filters cannot contain a NUL character"]


def test_an_admin_search_within_bounds_is_run(client_for, platform_admin, trust):
    response = client_for(platform_admin).get(LIST, {"q": trust.name[:SEARCH_MAX]})
    assert response.status_code == 200
    assert trust.name in response.content.decode()


def test_a_many_to_many_field_given_an_id_no_integer_holds_is_refused(
    client_for, platform_admin, trust
):
    # SQLite raised OverflowError looking the ids up: a 500.
    response = client_for(platform_admin).post(
        "/platform-admin/organisations/cohort/add/",
        {"name": "Wave 1", "starts_on": "2026-04-01", "trusts": [trust.pk, "9" * 30]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Cohort.objects.exists()


def test_every_event_log_in_the_admin_is_read_only(rf, platform_admin):
    # Events are the history (nothing about learners, decisions or certificates is changed
    # or removed): the administration may read them, never add, change or delete one.
    request = rf.get("/platform-admin/")
    request.user = platform_admin
    event_admins = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if issubclass(model, Event)
    ]
    assert event_admins
    for model_admin in event_admins:
        assert not model_admin.has_add_permission(request), model_admin
        assert not model_admin.has_change_permission(request), model_admin
        assert not model_admin.has_delete_permission(request), model_admin
