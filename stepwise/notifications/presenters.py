"""What the notifications page says. No database here."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import QueryDict

from stepwise.core.formatting import date_time
from stepwise.core.pagination import pagination


@dataclass(frozen=True)
class NotificationRow:
    text: str
    href: str | None
    when: str
    unread: bool


def safe_href(url: str) -> str | None:
    """Only links within the service: a notice never sends anyone elsewhere."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return None


def notification_rows(page: Page) -> list[NotificationRow]:
    return [
        NotificationRow(
            text=notification.text,
            href=safe_href(notification.url),
            when=date_time(notification.created_at),
            unread=notification.read_at is None,
        )
        for notification in page
    ]


def showing(page: Page) -> str:
    count = page.paginator.count
    noun = "notification" if count == 1 else "notifications"
    if count == 0:
        return "No notifications"
    if page.paginator.num_pages == 1:
        return f"{count} {noun}"
    return f"Showing {page.start_index()} to {page.end_index()} of {count} {noun}"


def list_pagination(page: Page) -> dict | None:
    return pagination(page, QueryDict(mutable=True))


def unread_label(count: int) -> str:
    return f"{count} unread" if count else "All read"
