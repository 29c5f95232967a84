"""What the header and the home page offer, filled in by the apps themselves.

Core names no app: each app registers its own pages (who sees them, label, order, the home
card's line) and its entries in the header's account area from its `AppConfig.ready()`, so
a new app appears in the navigation and on the home page without editing core.

Order: pages of a person's Trust roles first (10-99, in the order of a day's work), then
platform-wide pages (100-199), then home-only cards such as "Change password" (200 on).
Account entries: who and where (0-29), then notices (30-69), then the person's account (70
on).

`visible_to` and the account entries run for every page that shows the header, so they may
only read what the request already holds (the signed-in person, the membership cached on
the request): some pages run at exactly their query budget.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.http import HttpRequest

from stepwise.core.page_urls import page_url

# Where a header item's form needs this request's CSRF token: the layout puts the token in
# after rendering the header, whose markup is otherwise the same on every page (and so kept:
# core.nhs_components). Django masks the token afresh for each request. Random for each
# process, so no name a person or a Trust chooses can be the placeholder.
CSRF_TOKEN = f"csrf-{secrets.token_hex(16)}"


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    # Whether the signed-in person sees the page; called with the request.
    visible_to: Callable[[HttpRequest], bool]
    order: int
    # The home page card's line saying what the page is for.
    description: str = ""
    in_header: bool = True
    on_home: bool = True


@dataclass(frozen=True)
class AccountEntry:
    order: int
    # An NHS header account item ({"text"}, {"href", "text"} or {"html"}) for this request,
    # or None when it does not apply (signed out, only one Trust, ...).
    item: Callable[[HttpRequest], dict | None]


@dataclass(frozen=True)
class Notice:
    """A line under the home page's greeting, e.g. where the person is working, or something
    waiting for their answer (with a link to where they answer it)."""

    text: str
    inset: bool = False
    href: str = ""
    link_text: str = ""


_pages: dict[str, Page] = {}
_account_entries: dict[str, AccountEntry] = {}
_notices: dict[str, Callable[[HttpRequest], Notice | list[Notice] | None]] = {}
_footer_links: dict[str, Callable[[HttpRequest], dict | None]] = {}


def register(page: Page) -> None:
    """Add a page; registering the same url name again replaces it (ready() may run again
    in tests)."""
    _pages[page.url_name] = page
    _ordered_pages.cache_clear()


def unregister(url_name: str) -> None:
    _pages.pop(url_name, None)
    _ordered_pages.cache_clear()


def register_account_entry(name: str, entry: AccountEntry) -> None:
    _account_entries[name] = entry
    _ordered_account_entries.cache_clear()


# Sorted once after each change rather than on every page that shows the header.
@cache
def _ordered_pages() -> list[Page]:
    return sorted(_pages.values(), key=lambda page: (page.order, page.label))


@cache
def _ordered_account_entries() -> list[AccountEntry]:
    return sorted(_account_entries.values(), key=lambda entry: entry.order)


def register_home_notice(
    name: str, notice: Callable[[HttpRequest], Notice | list[Notice] | None]
) -> None:
    """A builder of the home page's notices: it runs only for the home page, so it may
    query."""
    _notices[name] = notice


def register_footer_link(name: str, link: Callable[[HttpRequest], dict | None]) -> None:
    """A link in the footer of every page ({"href", "text"}, or None where it does not
    apply). Like `visible_to`, it runs for every page, so it may not query."""
    _footer_links[name] = link


def footer_items(request) -> list[dict]:
    return [item for build in _footer_links.values() if (item := build(request)) is not None]


def visible_pages(request) -> list[Page]:
    """Every registered page the signed-in person sees, in order."""
    if not request.user.is_authenticated:
        return []
    return [page for page in _ordered_pages() if page.visible_to(request)]


def navigation_items(request) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    items = [{"href": page_url("core:home"), "text": "Home"}]
    items += [
        {"href": page_url(page.url_name), "text": page.label}
        for page in visible_pages(request)
        if page.in_header
    ]
    path = request.path
    for item in items:
        # The most specific matching link is the current one.
        item["active"] = path.startswith(item["href"]) and item["href"] != "/"
    if path == "/":
        items[0]["current"] = True
    return items


def account_items(request) -> list[dict]:
    return [
        item for entry in _ordered_account_entries() if (item := entry.item(request)) is not None
    ]


def home_notices(request) -> list[Notice]:
    notices = []
    for build in _notices.values():
        built = build(request)
        notices += built if isinstance(built, list) else [built] if built else []
    return notices


def header_params(request) -> dict:
    params = {
        "service": {"text": "Stepwise", "href": page_url("core:home")},
        "account": {"items": account_items(request)},
    }
    items = navigation_items(request)
    if items:
        params["navigation"] = {"items": items}
    return params
