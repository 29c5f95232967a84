"""NHS.UK components kept per distinct set of parameters (core.nhs_components, issue 13): the
markup is the package's own, exactly, and what is kept can never be another call's."""

import re
from datetime import date
from pathlib import Path

import nhsuk_frontend_jinja
import pytest
from django.conf import settings
from django.middleware.csrf import CSRF_TOKEN_LENGTH
from django.test import Client
from django.urls import reverse
from django.utils.safestring import mark_safe
from jinja2 import (
    ChainableUndefined,
    DictLoader,
    Environment,
    PackageLoader,
    select_autoescape,
)
from markupsafe import Markup

from stepwise.core import nhs_components
from stepwise.core.jinja2 import environment
from stepwise.core.navigation import CSRF_TOKEN

PACKAGE = Path(nhsuk_frontend_jinja.__file__).parent / "templates"
COMPONENTS = sorted(path.parent.name for path in PACKAGE.glob("nhsuk/components/*/macro.jinja"))

# The calls our pages make, and the tricky ones: escaping, nesting, a body, a missing value.
CALLS = [
    ("button", "button", {"text": "Search", "variant": "secondary"}),
    ("button", "button", {"text": "Go", "href": "/next/?a=1&b=2"}),
    ("tag", "tag", {"text": "<b>Overdue</b>", "classes": "nhsuk-tag--red"}),
    ("tag", "tag", {"html": Markup("<b>Overdue</b>")}),
    ("tag", "tag", {"text": Markup("<b>Overdue</b>")}),
    ("tables", "table", {"caption": "Open", "head": [{"text": "A"}], "rows": [[{"text": "1"}]]}),
    ("input", "input", {"label": {"text": "Code"}, "id": "q", "name": "q", "value": "O'Neill"}),
    (
        "input",
        "input",
        {"label": {"text": "Code"}, "id": "q", "name": "q", "errorMessage": {"text": "Enter"}},
    ),
    ("inset-text", "insetText", {"html": mark_safe("<p>Django's safe string</p>")}),
    ("header", "header", {"service": {"text": "Stepwise", "href": "/"}}),
    ("footer", "footer", {"meta": {"items": [{"href": "/a/", "text": "Accessibility"}]}}),
    ("details", "details", {"summary": {"text": "More"}, "text": "Hidden"}),
    ("summary-list", "summaryList", {"rows": [{"key": {"text": "Due"}, "value": {"text": 3}}]}),
]


def plain_environment() -> Environment:
    """The package's macros as they come, with our environment's options."""
    return Environment(
        loader=PackageLoader("nhsuk_frontend_jinja", "templates"),
        undefined=ChainableUndefined,
        autoescape=select_autoescape(
            enabled_extensions=("html", "jinja", "xml"), default_for_string=True, default=False
        ),
    )


def kept_environment() -> Environment:
    # As the site's: our templates first (none here), then the package's, kept.
    return environment(loader=DictLoader({}))


def call(env: Environment, component: str, macro: str, params, body: str | None = None) -> str:
    source = f'{{% from "nhsuk/components/{component}/macro.jinja" import {macro} %}}'
    if body is None:
        source += f"{{{{ {macro}(params) }}}}"
    else:
        source += f"{{% call {macro}(params) %}}{body}{{% endcall %}}"
    return env.from_string(source).render(params=params)


@pytest.fixture(autouse=True)
def empty_table():
    nhs_components.forget()
    yield
    nhs_components.forget()


@pytest.mark.parametrize("component", COMPONENTS)
def test_every_component_of_the_package_is_kept(component):
    # A package upgrade that changed the macros' shape would be served unchanged (and slow):
    # this says so.
    source = (PACKAGE / f"nhsuk/components/{component}/macro.jinja").read_text()
    assert nhs_components.GLOBAL_NAME in nhs_components.rewritten(source)


@pytest.mark.parametrize(("component", "macro", "params"), CALLS)
def test_the_markup_is_the_packages_own_first_time_and_kept(component, macro, params):
    plain, kept = plain_environment(), kept_environment()
    expected = call(plain, component, macro, params)
    assert call(kept, component, macro, params) == expected
    assert call(kept, component, macro, params) == expected


def test_a_second_call_with_the_same_parameters_is_not_rendered_again(monkeypatch):
    env = kept_environment()
    call(env, "button", "button", {"text": "Search"})
    rendered = []
    real = env.get_template

    def counting(name, *args, **kwargs):
        rendered.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(env, "get_template", counting)
    call(env, "button", "button", {"text": "Search"})
    assert "nhsuk/components/button/template.jinja" not in rendered
    call(env, "button", "button", {"text": "Save"})
    assert "nhsuk/components/button/template.jinja" in rendered


def test_text_and_markup_of_the_same_characters_never_share_what_is_kept():
    env = kept_environment()
    as_markup = call(env, "tag", "tag", {"text": Markup("<b>x</b>")})
    as_text = call(env, "tag", "tag", {"text": "<b>x</b>"})
    assert "<b>x</b>" in as_markup
    assert "&lt;b&gt;x&lt;/b&gt;" in as_text
    assert "<b>" not in as_text


@pytest.mark.parametrize(
    ("component", "macro", "first", "second"),
    [
        # `trim` keeps Jinja's Markup safe but turns Django's SafeString into plain text.
        ("hint", "hint", {"text": Markup("<b>x</b>")}, {"text": mark_safe("<b>x</b>")}),
        ("input", "input", {"name": "n", "value": 0.0}, {"name": "n", "value": -0.0}),
        (
            "button",
            "button",
            {"text": "Go", "attributes": {"data-a": "1", "data-b": "2"}},
            {"text": "Go", "attributes": {"data-b": "2", "data-a": "1"}},
        ),
        ("tag", "tag", {"text": ["a", "b"]}, {"text": ("a", "b")}),
    ],
)
def test_parameters_equal_in_python_but_rendered_differently_never_share(
    component, macro, first, second
):
    env, plain = kept_environment(), plain_environment()
    assert call(env, component, macro, first) == call(plain, component, macro, first)
    assert call(env, component, macro, second) == call(plain, component, macro, second)


def test_numbers_booleans_and_strings_alike_never_share_what_is_kept():
    env = kept_environment()
    for value in (1, True, "1", 1.0):
        params = {"rows": [{"key": {"text": "Open"}, "value": {"text": value}}]}
        assert call(env, "summary-list", "summaryList", params) == call(
            plain_environment(), "summary-list", "summaryList", params
        )


def test_a_call_with_a_body_renders_its_own_body_each_time():
    env = kept_environment()
    params = {"summary": {"text": "More"}}
    assert "First body" in call(env, "details", "details", params, body="First body")
    second = call(env, "details", "details", params, body="Second body")
    assert "Second body" in second
    assert "First body" not in second


def test_parameters_of_other_kinds_or_too_long_are_rendered_each_time_and_right():
    env = kept_environment()
    odd = {"text": date(2026, 12, 5)}
    assert call(env, "tag", "tag", odd) == call(plain_environment(), "tag", "tag", odd)
    long_text = {"text": "x" * (nhs_components.LONGEST_KEY + 1)}
    assert call(env, "tag", "tag", long_text) == call(plain_environment(), "tag", "tag", long_text)
    assert nhs_components._kept == {}


def test_the_table_is_bounded_in_entries_and_in_characters(monkeypatch):
    monkeypatch.setattr(nhs_components, "TABLE_SIZE", 3)
    env = kept_environment()
    for number in range(10):
        call(env, "tag", "tag", {"text": f"Tag {number}"})
    assert len(nhs_components._kept) == 3
    nhs_components.forget()
    call(env, "tag", "tag", {"text": "Tag 0"})
    ((markup, one_tag),) = nhs_components._kept.values()
    assert one_tag > len(markup)  # the key counts too
    monkeypatch.setattr(nhs_components, "TABLE_CHARACTERS", one_tag * 2)
    for number in range(1, 10):
        call(env, "tag", "tag", {"text": f"Tag {number}"})
    assert len(nhs_components._kept) == 2
    assert nhs_components._characters == sum(size for _, size in nhs_components._kept.values())


def test_a_table_of_numbers_counts_against_the_bound_too():
    env = kept_environment()
    numbers = {"rows": [[{"text": number}] for number in range(nhs_components.LONGEST_KEY)]}
    call(env, "tables", "table", numbers)
    assert nhs_components._kept == {}


def test_the_header_signs_out_with_this_requests_own_token(learner, db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    tokens = []
    for _ in range(2):
        page = client.get(reverse("core:home")).content.decode()
        assert CSRF_TOKEN not in page
        form = re.search(r'action="/sign-out/"><input[^>]*value="([^"]+)"', page)
        tokens.append(form[1])
    # Django masks the token afresh for every request; the header is kept all the same.
    assert tokens[0] != tokens[1]
    assert all(len(token) == CSRF_TOKEN_LENGTH for token in tokens)
    response = client.post(reverse("accounts:sign_out"), {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert client.get(reverse("progress:mine")).status_code == 302


def test_a_signed_out_page_without_a_form_sets_no_csrf_cookie(client, db):
    # The header's token is asked for only where the header has a form (signed in).
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME not in response.cookies
