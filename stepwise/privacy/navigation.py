"""The person's own data, from the account menu in the header."""

from stepwise.core.navigation import AccountEntry, register_account_entry
from stepwise.core.page_urls import page_url


def _your_data(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    return {"href": page_url("privacy:my_data"), "text": "Your data"}


def register_navigation() -> None:
    register_account_entry("your_data", AccountEntry(70, _your_data))
