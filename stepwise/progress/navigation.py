"""The progress app in the header and on the home page, where a learner also finds moves of
their enrolments that other Trusts propose, waiting for their answer."""

from stepwise.core.navigation import Notice, Page, register, register_home_notice
from stepwise.core.page_urls import page_url
from stepwise.organisations.access import holds_role
from stepwise.organisations.models import Role
from stepwise.progress.presenters.move_proposals import heading
from stepwise.progress.queries.move_proposals import proposals_waiting_for


def _proposals_notices(request) -> list[Notice]:
    """On the home page only (one query, not in the header)."""
    return [
        Notice(
            heading(proposal) + ". It moves only if you confirm.",
            inset=True,
            href=page_url("progress:move_proposal", proposal.pk),
            link_text="See what would move, then confirm or decline",
        )
        for proposal in proposals_waiting_for(request.user)
    ]


def register_navigation() -> None:
    register(
        Page(
            "My proficiencies",
            "progress:mine",
            visible_to=holds_role(Role.LEARNER),
            order=10,
            description="Self-assess your proficiencies, add evidence and ask for confirmation.",
        )
    )
    register(
        Page(
            "To review",
            "progress:to_review",
            visible_to=holds_role(Role.ASSESSOR, Role.EDUCATOR),
            order=20,
            description="Proficiencies learners have asked you to confirm, oldest first.",
        )
    )
    register(
        Page(
            "Enrol learners",
            "progress:enrol",
            visible_to=holds_role(Role.EDUCATOR),
            order=30,
            description="Enrol one learner or many on a framework your Trust offers.",
        )
    )
    register(
        Page(
            "Learners",
            "progress:enrolments",
            visible_to=holds_role(Role.EDUCATOR),
            order=40,
            description="Everyone's progress, due dates and sign-offs.",
        )
    )
    register_home_notice("move_proposals", _proposals_notices)
