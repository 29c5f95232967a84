"""The reports in the header and on the home page, for the people who plan with them.

Network leads are found by a query, so their way in is a home page notice (which may query),
not the header (which must not)."""

from stepwise.core.navigation import Notice, Page, register, register_home_notice
from stepwise.core.page_urls import page_url
from stepwise.frameworks.rules import may_author
from stepwise.organisations.access import holds_role
from stepwise.organisations.models import Role
from stepwise.reports.access import is_national_lead
from stepwise.reports.models import NetworkLead


def _network_notices(request) -> list[Notice]:
    leads = NetworkLead.objects.current().filter(person=request.user).select_related("network")
    return [
        Notice(
            f"You lead the reports of {lead.network.name}.",
            href=page_url("reports:network", lead.network_id),
            link_text=f"See the reports of {lead.network.name}",
        )
        for lead in leads
    ]


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
    register(
        Page(
            "National reports",
            "reports:national",
            visible_to=is_national_lead,
            order=120,
            description="Learners by stage in every network, Trust and unit.",
        )
    )
    register(
        Page(
            "Framework reports",
            "reports:frameworks",
            visible_to=lambda request: may_author(request.user),
            order=125,
            description="How often each section and proficiency is rejected, across Trusts.",
            in_header=False,
        )
    )
    register_home_notice("network_reports", _network_notices)
