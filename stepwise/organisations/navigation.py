"""The organisations app in the header and on the home page: where the person is working
and in which role, switching Trust, invitations to join a Trust waiting for the person's
answer, and the Trust's administration pages."""

from stepwise.core.navigation import (
    AccountEntry,
    Notice,
    Page,
    register,
    register_account_entry,
    register_home_notice,
)
from stepwise.core.page_urls import page_url
from stepwise.organisations.access import current_membership, current_memberships, holds_role
from stepwise.organisations.models import Role
from stepwise.organisations.queries import invitations_to_join


def _where(membership) -> str:
    if membership.unit:
        return f"{membership.unit.name}, {membership.trust.name}"
    return membership.trust.name


def _working_in(request) -> dict | None:
    membership = current_membership(request)
    if membership is None:
        return None
    return {"text": f"{_where(membership)}: {membership.role_names}"}


def _switch(request) -> dict | None:
    if len(current_memberships(request)) < 2:
        return None
    return {"href": page_url("organisations:switch_organisation"), "text": "Switch organisation"}


def _home_notice(request) -> Notice | None:
    membership = current_membership(request)
    if membership is not None:
        return Notice(
            f"You are working in {_where(membership)} as {membership.role_names.lower()}."
        )
    if request.user.is_platform_admin:
        return None
    return Notice(
        "You are not an active member of any Trust at the moment. If you registered through "
        "a link, a Trust administrator needs to approve you first.",
        inset=True,
    )


def _invitations_notice(request) -> Notice | None:
    """Invitations to join a Trust, on the home page only (one query, not in the header)."""
    invitations = invitations_to_join(request.user)
    if not invitations:
        return None
    if len(invitations) == 1:
        member = invitations[0]
        text = f"{member.trust.name} invites you to join as {member.role_names.lower()}."
    else:
        text = f"{len(invitations)} Trusts invite you to join them."
    return Notice(
        text,
        inset=True,
        href=page_url("organisations:join_invitations"),
        link_text="Accept or decline",
    )


def register_navigation() -> None:
    register(
        Page(
            "People",
            "organisations:people",
            visible_to=holds_role(Role.TRUST_ADMIN, Role.EDUCATOR),
            order=50,
            description="Everyone in your Trust: register, invite and manage roles.",
        )
    )
    register(
        Page(
            "Registrations",
            "organisations:approvals",
            visible_to=holds_role(Role.TRUST_ADMIN),
            order=60,
            description="Approve people who registered through your Trust's link.",
        )
    )
    register(
        Page(
            "Upload people",
            "organisations:bulk_upload",
            visible_to=holds_role(Role.TRUST_ADMIN),
            order=65,
            description="Register many people at once from a CSV or Excel file.",
            in_header=False,
        )
    )
    register(
        Page(
            "Trust settings",
            "organisations:settings",
            visible_to=holds_role(Role.TRUST_ADMIN),
            order=90,
            description="Your registration link and whether registrations need approval.",
        )
    )
    register_account_entry("working_in", AccountEntry(10, _working_in))
    register_account_entry("switch_organisation", AccountEntry(20, _switch))
    register_home_notice("working_in", _home_notice)
    register_home_notice("join_invitations", _invitations_notice)
