"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Use the `web` fixture (a `tests.browser.support.Web`): its `visit`, `submit` and `follow`
check every page with axe (WCAG 2.2 AA) and keep a screenshot in test-results/screenshots/.
`web_for()` opens another person's browser (own cookies) in the same test. Emails land in
`django.core.mail.outbox` (locmem backend, tasks run at once); `support.link_in_email` reads
the link out, and links point at the live server.
"""

import os
import re
from pathlib import Path

import pytest

from tests.browser.support import Screenshots, Web

# Playwright's sync API keeps an event loop in this thread, which makes Django think every
# ORM call in a test is inside async code. The calls really are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    # Everything in this folder needs the browser, marked or not.
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _emails_link_to_the_live_server(transactional_db, settings, live_server):
    # transactional_db first: the live server must start after the test database exists, so
    # that it stops (closing its connections) before the test database is dropped.
    settings.SITE_URL = live_server.url


@pytest.fixture
def web_for(request, chromium, live_server):
    """`web_for()`: a new browser (own cookies) on the live server; `web_for(person)` starts
    it signed in as that person."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    screenshots = Screenshots(request.config.rootpath / "test-results" / "screenshots", name)
    opened: list[Web] = []

    def open_browser(person=None, *, javascript: bool = True) -> Web:
        """`javascript=False`: the pages' scripts are never fetched, so none of ours runs
        (every script is a file: the policy allows no inline ones). The browser's own
        JavaScript stays on, for axe."""
        context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London"
        )
        if not javascript:
            context.route(
                lambda url: url.split("?")[0].endswith((".js", ".mjs")),
                lambda route: route.abort(),
            )
        context.set_default_timeout(15_000)
        context.set_default_navigation_timeout(30_000)
        web = Web(page=context.new_page(), base_url=live_server.url, screenshots=screenshots)
        if person is not None:
            web.sign_in_as(person)
        opened.append(web)
        return web

    yield open_browser
    try:
        call = getattr(request.node, "report_call", None)
        if call is not None and call.passed:
            unchecked = [url for web in opened for url in web.unchecked_pages()]
            assert not unchecked, (
                f"pages shown but never checked (use web.visit/submit/follow or web.check()): "
                f"{unchecked}"
            )
    finally:
        for web in opened:
            web.page.context.close()


@pytest.fixture
def web(web_for):
    """An anonymous visitor's browser."""
    return web_for()
