"""Certificates in the platform admin: readable, linked to the revoke page, never edited."""

from django.urls import reverse


def test_platform_admins_list_certificates_with_a_revoke_link(
    client_for, platform_admin, signed_off
):
    response = client_for(platform_admin).get(reverse("admin:certificates_certificate_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(signed_off.serial) in html
    assert reverse("certificates:revoke", args=[signed_off.serial]) in html


def test_a_certificate_can_be_read_but_not_changed_or_deleted(
    client_for, platform_admin, signed_off
):
    client = client_for(platform_admin)
    url = reverse("admin:certificates_certificate_change", args=[signed_off.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert signed_off.recipient_salt not in response.content.decode()
    assert client.post(url, {"learner_name": "Changed"}).status_code == 403
    delete = reverse("admin:certificates_certificate_delete", args=[signed_off.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    signed_off.refresh_from_db()
    assert signed_off.learner_name != "Changed"
    assert client.get(reverse("admin:certificates_certificate_add")).status_code == 403
