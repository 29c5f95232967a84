"""Self-registrations in the platform admin: readable for support, never the password."""

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from stepwise.accounts.models import SelfRegistration
from stepwise.accounts.services import PersonDetails


def test_a_registration_can_be_read_but_not_changed_and_its_password_never_shows(
    client_for, platform_admin, trust
):
    registration, _token = SelfRegistration.build(
        details=PersonDetails(full_name="Iris Novak", email="iris.novak@example.org"),
        password_hash=make_password("a-long-new-password-42"),
        trust=trust,
        unit=None,
    )
    registration.save()
    client = client_for(platform_admin)
    listing = client.get(reverse("admin:accounts_selfregistration_changelist"))
    assert "iris.novak@example.org" in listing.content.decode()
    url = reverse("admin:accounts_selfregistration_change", args=[registration.pk])
    page = client.get(url).content.decode()
    assert "Iris Novak" in page
    assert registration.password not in page and registration.token_hash not in page
    assert client.post(url, {"full_name": "Changed"}).status_code == 403
    delete = reverse("admin:accounts_selfregistration_delete", args=[registration.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:accounts_selfregistration_add")).status_code == 403
    registration.refresh_from_db()
    assert registration.full_name == "Iris Novak"
