import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name", ["core:home", "core:accessibility", "core:privacy", "core:cookies"]
)
def test_public_pages_render_with_the_nhs_header(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-header" in html
    assert "Stepwise" in html
    assert "Accessibility statement" in html


def test_home_shows_the_current_trust_and_role(client_for, trust_admin, trust):
    response = client_for(trust_admin).get(reverse("core:home"))
    html = response.content.decode()
    assert trust.name in html
    assert "Trust administrator" in html


def test_scripts_carry_the_csp_nonce(client, db):
    response = client.get(reverse("core:home"))
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert html.count(f'nonce="{nonce}"') == 2
    assert "unsafe-inline" not in policy


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_host_not_allowed_is_a_friendly_400_not_a_server_error(client, db):
    # Refused by CommonMiddleware before anyone is signed in: the error page has no user.
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Sorry, there is a problem with the request" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("learner", ["My proficiencies"]),
        ("assessor", ["To review"]),
        ("educator", ["To review", "Enrol learners", "Learners", "People"]),
        ("trust_admin", ["People", "Registrations", "Upload people", "Certificates"]),
    ],
)
def test_home_offers_a_card_for_each_page_of_the_persons_roles(
    client_for, request, persona, expected
):
    person = request.getfixturevalue(persona)
    html = client_for(person).get(reverse("core:home")).content.decode()
    main = html.split("<main", 1)[1]
    for title in expected:
        assert title in main
    if persona == "learner":
        assert "Trust settings" not in main
