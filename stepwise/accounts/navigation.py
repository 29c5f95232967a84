"""The accounts app in the header and on the home page: who is signed in, signing in and
out, changing password, and the Django admin for platform administrators."""

from functools import lru_cache

from django.utils.html import format_html

from stepwise.core.navigation import (
    CSRF_TOKEN,
    AccountEntry,
    Page,
    register,
    register_account_entry,
)
from stepwise.core.page_urls import page_url


def _signed_in(request) -> bool:
    return request.user.is_authenticated


def _person(request) -> dict | None:
    if not _signed_in(request):
        return None
    # The name opens their account page (password, single sign-on).
    return {"href": page_url("accounts:account"), "text": request.user.full_name, "icon": True}


def _sign_in(request) -> dict | None:
    if _signed_in(request):
        return None
    return {"href": page_url("accounts:sign_in"), "text": "Sign in"}


def _change_password(request) -> dict | None:
    if not _signed_in(request):
        return None
    return {"href": page_url("accounts:change_password"), "text": "Change password"}


def _sign_out(request) -> dict | None:
    if not _signed_in(request):
        return None
    return {"html": _sign_out_form(page_url("accounts:sign_out"))}


# Signing out is a POST (a link could be followed by a prefetcher or a forged page). The
# token is filled in after the header is rendered, so the header's markup is the same on
# every page for this person and is rendered once (core.nhs_components), and so is this form.
@lru_cache(maxsize=8)
def _sign_out_form(action: str) -> str:
    return format_html(
        '<form class="stepwise-header-account-form" method="post" action="{}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button class="nhsuk-header__account-button" type="submit">Sign out</button>'
        "</form>",
        action,
        CSRF_TOKEN,
    )


def register_navigation() -> None:
    register(
        Page(
            "Platform admin",
            "admin:index",
            visible_to=lambda request: request.user.is_platform_admin,
            order=110,
            description="Networks, Trusts, units, HEIs and accounts.",
        )
    )
    register(
        Page(
            "Change password",
            "accounts:change_password",
            visible_to=_signed_in,
            order=200,
            description="Choose a new password.",
            in_header=False,
        )
    )
    register(
        Page(
            "Two-step sign-in",
            "accounts:mfa_manage",
            visible_to=_signed_in,
            order=210,
            description="Your passkeys, authenticator app and recovery codes.",
            in_header=False,
        )
    )
    register(
        Page(
            "Sign out of all other devices",
            "accounts:sign_out_elsewhere",
            visible_to=_signed_in,
            order=220,
            description="End your sessions on every other computer, tablet or phone.",
            in_header=False,
        )
    )
    register_account_entry("person", AccountEntry(0, _person))
    register_account_entry("sign_in", AccountEntry(0, _sign_in))
    register_account_entry("change_password", AccountEntry(80, _change_password))
    register_account_entry("sign_out", AccountEntry(90, _sign_out))
