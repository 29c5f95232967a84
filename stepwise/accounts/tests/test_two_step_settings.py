"""Two-step sign-in is on wherever the service runs: production's and development's settings
carry its middleware (there is no setting that turns it off), and with production's middleware
list an assessor who gave only their password reaches no page."""

import importlib

import pytest
from django.test import override_settings

MIDDLEWARE = "stepwise.accounts.middleware.TwoStepSignInMiddleware"


def _settings_module(name: str):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_SECRET_KEY", "only-read-for-its-middleware")
        return importlib.import_module(name)


@pytest.mark.parametrize("name", ["config.settings.production", "config.settings.local"])
def test_every_environment_requires_the_second_step(name):
    middleware = _settings_module(name).MIDDLEWARE
    assert MIDDLEWARE in middleware
    # After the person is known (and the session read), before any view.
    assert middleware.index(MIDDLEWARE) > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


def test_with_productions_middleware_a_password_alone_reaches_no_staff_page(client, assessor):
    production = _settings_module("config.settings.production")
    with override_settings(MIDDLEWARE=production.MIDDLEWARE):
        client.force_login(assessor, backend="stepwise.accounts.backends.EmailBackend")
        for path in ("/to-review/", "/people/", "/"):
            response = client.get(path, secure=True)
            assert response.status_code == 302
            assert response.url.startswith("/account/two-step-sign-in/set-up/"), path
