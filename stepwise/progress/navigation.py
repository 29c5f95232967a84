"""The progress app in the header and on the home page."""

from stepwise.core.navigation import Page, register
from stepwise.organisations.access import holds_role
from stepwise.organisations.models import Role


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
