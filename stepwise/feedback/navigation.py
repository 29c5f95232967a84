"""Feedback in the navigation: forms waiting for the person's answer on the home page, and
the service team's pages."""

from django.urls import reverse

from stepwise.core.navigation import Notice, register_home_notice
from stepwise.feedback.queries import waiting_invitations


def _waiting(request) -> list[Notice]:
    return [
        Notice(
            f"The Stepwise team asks for your feedback: “{invitation.form.title}”.",
            href=reverse("feedback:answer", args=[invitation.form.slug]),
            link_text=f"Answer “{invitation.form.title}”",
        )
        for invitation in waiting_invitations(request.user)
    ]


def register_navigation() -> None:
    register_home_notice("feedback_waiting", _waiting)
