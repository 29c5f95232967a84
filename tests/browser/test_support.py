"""The browser checks themselves: they must catch what they are there to catch."""

import pytest

pytestmark = pytest.mark.browser


def test_an_accessibility_violation_fails_the_check_and_names_it(web, db):
    # Given a page that passes, when it loses its language
    web.visit("/accessibility/")
    web.page.evaluate("document.documentElement.removeAttribute('lang')")

    # Then the check fails, naming the rule, what it means and where
    with pytest.raises(AssertionError) as failure:
        web.check()
    message = str(failure.value)
    assert "html-has-lang" in message
    assert "<html> element must have a lang attribute" in message
    assert "at html" in message


def test_an_inline_style_is_refused_by_the_content_security_policy(web, db):
    # Given a page, when something adds an inline style attribute
    web.visit("/privacy/")
    web.page.evaluate(
        "document.querySelector('main').insertAdjacentHTML("
        "'beforeend', '<p style=\"color: red\">injected</p>')"
    )

    # Then the browser refuses it and the check reports the refusal
    with pytest.raises(AssertionError) as failure:
        web.check()
    assert "Content Security Policy" in str(failure.value)


def test_a_page_loaded_behind_the_checks_back_is_reported(web, db):
    # Given a checked page, when a test loads another page without checking it
    web.visit("/")
    web.page.goto(web.url("/cookies/"))

    # Then the next check reports the page that slipped through
    with pytest.raises(AssertionError) as failure:
        web.visit("/privacy/")
    assert "/cookies/" in str(failure.value)


def test_a_missing_page_is_checked_too(web, db):
    web.visit("/no-such-page/", status=404)
    assert web.heading() == "Page not found"


def test_a_second_browser_keeps_its_own_sign_in(web, web_for, learner, trust_admin):
    # Given one browser signed in as a learner and another as the Trust administrator
    learners_browser = web_for(learner)
    admins_browser = web_for(trust_admin)

    # Then each sees their own home page, and the anonymous browser sees the start page
    learners_browser.visit("/")
    admins_browser.visit("/")
    web.visit("/")
    assert learners_browser.heading() == f"Hello, {learner.full_name}"
    assert admins_browser.heading() == f"Hello, {trust_admin.full_name}"
    assert web.heading() == "Stepwise"
