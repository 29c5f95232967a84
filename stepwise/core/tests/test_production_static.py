"""Pages render with production's static files: collected, hashed and served by WhiteNoise.

`check --deploy` cannot see a template asking for a static file the manifest does not hold;
only rendering pages after `collectstatic` does. Needs node_modules (nhsuk-frontend), which
`make test` installs.
"""

import importlib
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import path

from stepwise.core.tests.pages import our_pages


def _boom(request):
    raise RuntimeError("a deliberate failure, to show the 500 page")


# This module is also the URL configuration for its tests: every page, plus one that fails.
urlpatterns = [*importlib.import_module("config.urls").urlpatterns, path("boom/", _boom)]
handler404 = "stepwise.core.views.not_found"
handler500 = "stepwise.core.views.server_error"


def _production_settings():
    """Production's own storage and middleware lists, read from its settings module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_SECRET_KEY", "only-read-for-its-storage-and-middleware")
        production = importlib.import_module("config.settings.production")
    return production.STORAGES, production.MIDDLEWARE


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    storages, middleware = _production_settings()
    assert storages["staticfiles"]["BACKEND"].endswith("ManifestStaticFilesStorage")
    with override_settings(
        STORAGES={**storages, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}},
        STATIC_ROOT=tmp_path_factory.mktemp("static"),
        MIDDLEWARE=middleware,
        ROOT_URLCONF=__name__,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


def _page(client, path, status=200) -> str:
    response = client.get(path)
    assert response.status_code == status, f"{path} answered {response.status_code}"
    html = response.content.decode()
    assert "<html" in html, f"{path} is not a page"
    return html


def _assert_hashed_stylesheet(client, html):
    # The NHS stylesheet by its hashed name, which WhiteNoise serves.
    hashed = r"/static/nhsuk/nhsuk-frontend\.min\.[0-9a-f]{12}\.css"
    href = re.search(f'<link rel="stylesheet" href="({hashed})"', html)
    assert href, "the page does not link the hashed NHS stylesheet"
    response = client.get(href.group(1))
    assert response.status_code == 200
    # A hashed name never changes its content: browsers keep it for ten years, unasked.
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    # And the favicon, whose folder is not itself a static file.
    icon = re.search(r'<link rel="icon" href="([^"]+\.ico)"', html)
    assert icon and client.get(icon.group(1)).status_code == 200


@pytest.mark.usefixtures("production_static")
def test_public_pages_and_sign_in_render_with_hashed_static_files(db):
    client = Client()
    for page in ["/", "/sign-in/", "/accessibility/"]:
        _assert_hashed_stylesheet(client, _page(client, page))
    assert "Page not found" in _page(client, "/no-such-page/", status=404)


@pytest.mark.usefixtures("production_static")
def test_signed_in_pages_render_with_hashed_static_files(client_for, learner):
    client = client_for(learner)
    html = _page(client, "/")
    assert "My proficiencies" in html
    _assert_hashed_stylesheet(client, html)


@pytest.mark.usefixtures("production_static")
def test_every_page_renders_for_a_trust_administrator(client_for, trust_admin):
    client = client_for(trust_admin)
    for page in [page for page in our_pages() if page != "/boom/"]:
        response = client.get(page)
        assert response.status_code < 500, f"{page} answered {response.status_code}"


@pytest.mark.usefixtures("production_static")
def test_the_500_page_renders(db):
    client = Client(raise_request_exception=False)
    html = _page(client, "/boom/", status=500)
    assert "Sorry, there is a problem with the service" in html
    _assert_hashed_stylesheet(client, html)
