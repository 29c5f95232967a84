"""The reports in the header and on the home page, for the people who plan with them."""

from stepwise.core.navigation import Page, register
from stepwise.organisations.access import holds_role
from stepwise.organisations.models import Role


def register_navigation() -> None:
    register(
        Page(
            "Reports",
            "reports:dashboard",
            visible_to=holds_role(Role.EDUCATOR, Role.TRUST_ADMIN),
            order=95,
            description="Learners by stage, sign-offs due and overdue, and assessors' workload.",
        )
    )
