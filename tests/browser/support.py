"""What every browser test uses: a Chromium tab that checks each page it lands on.

`Web` wraps a Playwright page. Its `visit`, `submit` and `follow` wait for the new page,
then `check_page` runs axe (WCAG 2.2 AA), fails on any browser console error (a Content
Security Policy violation shows up there), on a failed asset, on a 5xx, and keeps a
full-page screenshot. A page loaded any other way must be checked with `web.check()`: the
fixture fails the test if a page was shown and never checked.
"""

from __future__ import annotations

import re
from base64 import b32decode
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import Page, Response

from stepwise.accounts import mfa
from stepwise.accounts.models import User, normalise_email
from stepwise.accounts.tests import two_step

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_22_AA},
    "resultTypes": ["violations"],
}
_axe = Axe()


def accessibility_violations(page: Page) -> list[dict]:
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
    return "\n".join(lines)


def check_accessibility(page: Page) -> None:
    """Fail unless axe finds no WCAG 2.2 AA violation on the page as it is now."""
    violations = accessibility_violations(page)
    if violations:
        raise AssertionError(
            f"{len(violations)} accessibility violation(s) on {page.url}:\n"
            + describe_violations(violations)
        )


@dataclass
class Screenshots:
    """Numbered full-page screenshots for one test, shared by all its browser tabs."""

    folder: Path
    test_name: str
    taken: int = 0

    def __post_init__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob(f"{self.test_name}-*.png"):
            old.unlink()

    def take(self, page: Page) -> Path:
        self.taken += 1
        path = self.folder / f"{self.test_name}-{self.taken}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@dataclass
class Web:
    """One person's browser tab on the live server."""

    page: Page
    base_url: str
    screenshots: Screenshots
    loaded: list[str] = field(default_factory=list)
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.on("load", lambda page: self.loaded.append(page.url))
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        # Failed downloads are reported by _on_response with their address instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")
        # Chromium only warns about a Permissions-Policy feature it does not know.
        if message.text.startswith("Error with Permissions-Policy header"):
            self.problems.append(f"console warning: {message.text}")

    def _on_response(self, response: Response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    # Moving around: each waits for the next page and checks it.

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path)

    def visit(self, path: str, *, status: int = 200) -> Response:
        response = self.page.goto(self.url(path), wait_until="load")
        return self._arrived(response, status)

    def submit(self, button: str = "Continue", *, status: int = 200) -> Response:
        """Press a button: a form's submit button, or a link that looks like a button."""
        return self._navigate(self.page.get_by_role("button", name=button, exact=True), status)

    def follow(self, link: str, *, status: int = 200, within: str = "body") -> Response:
        """Follow a link by its text; `within` narrows to a part of the page (a CSS selector)
        when the header navigation has a link of the same name."""
        links = self.page.locator(within).get_by_role("link", name=link, exact=True)
        # The header navigation and a home-page card may both link to the same page: links
        # with one name and one destination are the same link. Different destinations are
        # still an error (Playwright's strict mode) until narrowed with `within`.
        if (
            links.count() > 1
            and len({links.nth(i).get_attribute("href") for i in range(links.count())}) == 1
        ):
            links = links.first
        return self._navigate(links, status)

    def _navigate(self, locator, status: int) -> Response:
        with self.page.expect_navigation(wait_until="load") as navigation:
            locator.click()
        return self._arrived(navigation.value, status)

    def _arrived(self, response: Response | None, status: int) -> Response:
        assert response is not None, f"no page loaded at {self.page.url}"
        assert response.status == status, (
            f"{response.url} answered {response.status}, expected {status}"
        )
        self.check()
        return response

    def check(self) -> None:
        """Check the page now showing; called for you after every navigation."""
        unchecked = self.loaded[self.checked : -1]
        self.checked = len(self.loaded)
        self.screenshots.take(self.page)
        problems, self.problems = self.problems, []
        assert not unchecked, f"pages shown without being checked: {unchecked}"
        assert not problems, f"problems on {self.page.url}:\n" + "\n".join(problems)
        check_accessibility(self.page)

    def unchecked_pages(self) -> list[str]:
        return self.loaded[self.checked :]

    # Filling in forms, by the label a person reads.

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def select(self, label: str, option: str) -> None:
        self.page.get_by_label(label, exact=True).select_option(label=option)

    def choose(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).check()

    def upload(self, label: str, path: str | Path) -> None:
        self.page.get_by_label(label, exact=True).set_input_files(str(path))

    # Reading what the page says.

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text().strip()

    def title(self) -> str:
        return self.page.title()

    def error_summary(self) -> list[str]:
        """The errors listed in the NHS error summary, or [] if there is none."""
        summary = self.page.locator(".nhsuk-error-summary")
        if summary.count() == 0:
            return []
        return [item.strip() for item in summary.locator("li").all_inner_texts()]

    def field_error(self, label: str) -> str:
        """The error message shown with a field (by its label), or "" if none."""
        described_by = self.page.get_by_label(label, exact=True).get_attribute("aria-describedby")
        for element_id in (described_by or "").split():
            if element_id.endswith("-error"):
                text = self.page.locator(f"#{element_id}").inner_text()
                return re.sub(r"^Error:\s*", "", text.strip())
        return ""

    def banner(self) -> str:
        banner = self.page.locator(".nhsuk-notification-banner")
        return banner.inner_text().strip() if banner.count() else ""

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    # Signing in.

    def sign_in(self, email: str, password: str) -> Response:
        """Sign in through the sign-in page, as a person would: the password, then for staff
        (and anyone who turned it on) the security code from their authenticator app, or
        setting up the app first if they have none yet."""
        self.visit("/sign-in/")
        self.fill("Email address", email)
        self.fill("Password", password)
        response = self.submit("Sign in")
        if self.heading() == "Enter your security code":
            person = User.objects.get(email=normalise_email(email))
            self.fill("Security code", two_step.code_for(two_step.app_for(person)))
            return self.submit("Continue")
        if self.heading() == "Set up two-step sign-in":
            self.set_up_authenticator()
            return self.submit("I have saved my recovery codes")
        return response

    def set_up_authenticator(self) -> str:
        """On the page setting up an app: do what the app does with the key written out on the
        page, enter its code, and arrive at the recovery codes. Returns the app's secret (hex)."""
        typed = self.page.locator(".stepwise-secret code").inner_text()
        secret = b32decode("".join(typed.split())).hex()
        self.fill("Security code", mfa.code_now(secret))
        self.submit("Continue")
        return secret

    def sign_in_as(self, person) -> None:
        """Start signed in as `person` without the sign-in page (for tests about other
        pages). Load a page next with `visit`."""
        client = two_step.sign_in(Client(), person)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.base_url}]
        )


def emails_to(address: str) -> list:
    return [email for email in mail.outbox if address in email.to]


def link_in_email(address: str, *, subject: str | None = None) -> str:
    """The one link in the latest email sent to `address` (optionally with this subject)."""
    emails = [e for e in emails_to(address) if subject is None or subject in e.subject]
    assert emails, f"no email to {address}" + (f" about {subject!r}" if subject else "")
    links = re.findall(r"https?://\S+", emails[-1].body)
    assert len(links) == 1, f"expected one link in the email, found {links}"
    return links[0]
