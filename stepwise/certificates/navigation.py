"""The certificates app in the header and on the home page."""

from stepwise.core.navigation import Page, register
from stepwise.organisations.access import holds_role
from stepwise.organisations.models import Role


def register_navigation() -> None:
    register(
        Page(
            "Certificates",
            "certificates:list",
            visible_to=holds_role(Role.TRUST_ADMIN),
            order=80,
            description="Your Trust's certificates: check and revoke.",
        )
    )
