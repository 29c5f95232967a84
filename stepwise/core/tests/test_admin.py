from django.urls import reverse


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
