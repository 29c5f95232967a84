"""The frameworks app in the header and on the home page."""

from stepwise.core.navigation import Page, register
from stepwise.frameworks.rules import may_author
from stepwise.organisations.access import holds_role
from stepwise.organisations.models import Role


def register_navigation() -> None:
    register(
        Page(
            "Offered frameworks",
            "frameworks:offers",
            visible_to=holds_role(Role.TRUST_ADMIN),
            order=70,
            description="Choose which frameworks your Trust offers and who may enrol.",
        )
    )
    register(
        Page(
            "Frameworks",
            "frameworks:list",
            visible_to=lambda request: may_author(request.user),
            order=100,
            description="Draft, review and publish framework versions.",
        )
    )
