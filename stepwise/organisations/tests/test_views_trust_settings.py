"""The Trust's registration link and whether registrations need approval."""

import pytest
from django.urls import reverse

from stepwise.organisations.models import Organisation, TrustEvent
from stepwise.organisations.tests.conftest import read

SETTINGS = reverse("organisations:settings")
NEW_LINK = reverse("organisations:settings_new_link")


def register_url(code: str) -> str:
    return reverse("organisations:register", args=[code])


def follow(client, response) -> str:
    assert response.status_code == 302
    assert response.url == SETTINGS
    return read(client.get(response.url))


def test_it_shows_the_full_registration_link(client_for, trust, trust_admin):
    html = read(client_for(trust_admin).get(SETTINGS))
    assert f"http://testserver{register_url(trust.registration_code)}" in html
    assert "Create a new link" in html
    assert 'value="yes" checked' in html


def test_a_new_link_needs_confirming_and_the_old_one_stops_working(
    client, client_for, trust, trust_admin
):
    old = trust.registration_code
    admin = client_for(trust_admin)
    html = read(admin.get(NEW_LINK))
    assert "The current link will stop working straight away" in html
    assert f'name="current_code" value="{old}"' in html
    trust.refresh_from_db()
    assert trust.registration_code == old

    html = follow(admin, admin.post(NEW_LINK, {"current_code": old}))
    trust.refresh_from_db()
    assert trust.registration_code != old
    assert "A new registration link has been created" in html
    assert register_url(trust.registration_code) in html
    assert f"by {trust_admin.full_name}" in html
    admin.logout()
    assert client.get(register_url(old)).status_code == 404
    assert client.get(register_url(trust.registration_code)).status_code == 200


def test_a_double_click_makes_one_new_link_and_says_so(client_for, trust, trust_admin):
    old = trust.registration_code
    admin = client_for(trust_admin)
    follow(admin, admin.post(NEW_LINK, {"current_code": old}))
    trust.refresh_from_db()
    new = trust.registration_code
    html = follow(admin, admin.post(NEW_LINK, {"current_code": old}))
    assert f"The registration link was already changed by {trust_admin.full_name}" in html
    trust.refresh_from_db()
    assert trust.registration_code == new
    assert TrustEvent.objects.filter(trust=trust).count() == 1


def test_a_trust_without_a_link_can_create_one(client_for, trust, trust_admin):
    Organisation.objects.filter(pk=trust.pk).update(registration_code=None)
    admin = client_for(trust_admin)
    html = read(admin.get(SETTINGS))
    assert "has no registration link yet" in html
    assert "Create a link" in html
    follow(admin, admin.post(NEW_LINK, {"current_code": ""}))
    trust.refresh_from_db()
    assert trust.registration_code


def test_another_trusts_link_is_never_shown(client_for, trust, other_trust, other_trust_admin):
    html = read(client_for(other_trust_admin).get(SETTINGS))
    assert other_trust.registration_code in html
    assert trust.registration_code not in html
    follow(
        client_for(other_trust_admin),
        client_for(other_trust_admin).post(
            NEW_LINK, {"current_code": other_trust.registration_code}
        ),
    )
    old = trust.registration_code
    trust.refresh_from_db()
    assert trust.registration_code == old


@pytest.mark.parametrize(("choice", "expected"), [("no", False), ("yes", True)])
def test_whether_registrations_need_approval_is_saved(
    client_for, trust, trust_admin, choice, expected
):
    Organisation.objects.filter(pk=trust.pk).update(registration_requires_approval=not expected)
    admin = client_for(trust_admin)
    html = follow(admin, admin.post(SETTINGS, {"requires_approval": choice}))
    trust.refresh_from_db()
    assert trust.registration_requires_approval is expected
    assert "need approval" in html if expected else "can start at once" in html
    assert f'value="{choice}" checked' in html
    assert TrustEvent.objects.get(trust=trust).actor == trust_admin


@pytest.mark.parametrize("choice", ["", "perhaps"])
def test_a_missing_or_unknown_answer_is_explained(client_for, trust, trust_admin, choice):
    response = client_for(trust_admin).post(SETTINGS, {"requires_approval": choice})
    html = read(response)
    assert response.status_code == 200
    assert "<title>Error: Trust settings" in html
    assert "There is a problem" in html
    assert "Choose whether registrations need approval" in html
    trust.refresh_from_db()
    assert trust.registration_requires_approval is True
