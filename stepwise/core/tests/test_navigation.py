"""Apps put their own pages in the header and on the home page: a new app appears without
core naming it."""

import re
from contextlib import contextmanager

import pytest
from django.middleware import csrf
from django.test import modify_settings, override_settings
from django.urls import reverse

from stepwise.core import navigation
from stepwise.core.tests.rotas.apps import PAGES


@contextmanager
def rotas_app():
    """The made-up rotas app installed (its ready() registers its pages), then removed."""
    with (
        override_settings(ROOT_URLCONF="stepwise.core.tests.rotas.urls"),
        modify_settings(INSTALLED_APPS={"append": "stepwise.core.tests.rotas"}),
    ):
        try:
            yield
        finally:
            for page in PAGES:
                navigation.unregister(page.url_name)


@pytest.fixture
def rotas_installed(db):
    with rotas_app():
        yield


def header_links(html: str) -> list[str]:
    nav = html.split('class="nhsuk-header__navigation', 1)[1].split("</nav>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(r'class="nhsuk-header__navigation-link"[^>]*>(.*?)</a>', nav, re.S)
    ]


def main_of(html: str) -> str:
    return html.split("<main", 1)[1]


def test_a_new_apps_page_is_in_the_header_and_on_home_in_its_order(
    rotas_installed, client_for, educator
):
    html = client_for(educator).get(reverse("core:home")).content.decode()
    assert header_links(html)[:4] == ["Home", "To review", "Shift rotas", "Enrol learners"]
    main = main_of(html)
    assert "Shift rotas" in main
    assert "Who is on which shift this week." in main
    assert f'href="{reverse("rotas:index")}"' in main


def test_a_new_apps_page_is_offered_only_to_whom_it_says(rotas_installed, client_for, learner):
    html = client_for(learner).get(reverse("core:home")).content.decode()
    assert "Shift rotas" in header_links(html)
    assert "Rota archive" not in html


def test_nobody_signed_out_is_offered_the_pages(rotas_installed, client):
    html = client.get(reverse("core:home")).content.decode()
    assert "Shift rotas" not in html
    assert 'class="nhsuk-header__navigation' not in html


def test_the_pages_leave_with_the_app(client_for, learner):
    client = client_for(learner)
    with rotas_app():
        assert "Shift rotas" in client.get(reverse("core:home")).content.decode()
    assert "Shift rotas" not in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("learner", ["Home", "My proficiencies"]),
        ("assessor", ["Home", "To review"]),
        ("educator", ["Home", "To review", "Enrol learners", "Learners", "People", "Reports"]),
        (
            "trust_admin",
            [
                "Home",
                "People",
                "Registrations",
                "Offered frameworks",
                "Certificates",
                "Trust settings",
                "Reports",
            ],
        ),
        ("framework_author", ["Home", "Frameworks"]),
        (
            "platform_admin",
            ["Home", "Frameworks", "Platform admin", "National reports", "Feedback"],
        ),
    ],
)
def test_the_header_lists_the_pages_of_the_persons_roles_in_order(
    client_for, request, persona, expected
):
    person = request.getfixturevalue(persona)
    html = client_for(person).get(reverse("core:home")).content.decode()
    assert header_links(html) == expected


def test_home_only_cards_are_not_in_the_header(client_for, trust_admin):
    html = client_for(trust_admin).get(reverse("core:home")).content.decode()
    main = main_of(html)
    assert "Upload people" in main and "Change password" in main
    assert "Upload people" not in header_links(html)


def test_a_page_masks_its_csrf_token_once_for_the_header_and_its_own_forms(
    client_for, learner, monkeypatch
):
    # Django's lazy csrf_token and csrf_input each mask the token anew when read; a page
    # needs one masked token for all its forms.
    masked = []
    real = csrf.get_token
    monkeypatch.setattr(
        "stepwise.core.context_processors.get_token",
        lambda request: masked.append(real(request)) or masked[-1],
    )
    page = client_for(learner).get(reverse("accounts:change_password")).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 2  # the header's sign-out form and the page's own form
    assert set(tokens) == set(masked) and len(masked) == 1
