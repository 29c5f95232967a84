"""The notifications app in the header: the link to the person's notices, with how many
are unread."""

from stepwise.core.navigation import AccountEntry, register_account_entry
from stepwise.core.page_urls import page_url
from stepwise.notifications.queries import unread_count


def _notifications(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    return {
        "href": page_url("notifications:list"),
        "text": f"Notifications ({unread_count(request)})",
    }


def register_navigation() -> None:
    register_account_entry("notifications", AccountEntry(50, _notifications))
