"""Feedback in the navigation: forms waiting for the person's answer on the home page, the
service team's pages, Trust administrators' results, and "Was this page helpful?" in the
footer of every signed-in page."""

from urllib.parse import urlencode

from django.urls import reverse

from stepwise.core.navigation import (
    Notice,
    Page,
    register,
    register_footer_link,
    register_home_notice,
)
from stepwise.core.page_urls import page_url
from stepwise.feedback.queries import waiting_invitations
from stepwise.organisations.access import holds_role
from stepwise.organisations.models import Role


def _waiting(request) -> list[Notice]:
    return [
        Notice(
            f"The Stepwise team asks for your feedback: “{invitation.form.title}”.",
            href=reverse("feedback:answer", args=[invitation.form.slug]),
            link_text=f"Answer “{invitation.form.title}”",
        )
        for invitation in waiting_invitations(request.user)
    ]


def _page_feedback_link(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    page = request.get_full_path()
    return {
        "href": page_url("feedback:page_feedback") + "?" + urlencode({"page": page}),
        "text": "Was this page helpful?",
    }


def _is_team(request) -> bool:
    return request.user.is_authenticated and request.user.is_platform_admin


def register_navigation() -> None:
    register_home_notice("feedback_waiting", _waiting)
    register_footer_link("page_feedback", _page_feedback_link)
    register(
        Page(
            "Feedback",
            "feedback:team",
            visible_to=_is_team,
            order=130,
            description="Build and send the pilot's questionnaires, read page feedback.",
        )
    )
    register(
        Page(
            "Feedback results",
            "feedback:results_list",
            visible_to=lambda request: (
                not request.user.is_platform_admin and holds_role(Role.TRUST_ADMIN)(request)
            ),
            order=97,
            description="What your Trust's people said in the pilot's questionnaires.",
            in_header=False,
        )
    )
