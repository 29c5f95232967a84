"""The training app in the header and on the home page, and the learner's "Start here"."""

from django.urls import reverse

from stepwise.core.navigation import Notice, Page, register, register_home_notice
from stepwise.frameworks.rules import may_author
from stepwise.organisations.access import current_membership, holds_role
from stepwise.organisations.models import Role
from stepwise.training import queries
from stepwise.training.models import Audience, Completion


def _start_here(request) -> Notice | None:
    """For learners, until they have completed a package for learners (home page only)."""
    membership = current_membership(request)
    if membership is None or not membership.has_role(Role.LEARNER):
        return None
    package = queries.packages_for(membership.trust_id, [Audience.LEARNER]).first()
    if package is None:
        return None
    if Completion.objects.filter(
        person=request.user, version__package__audience=Audience.LEARNER
    ).exists():
        return None
    return Notice(
        "Start here: read the training for learners, then follow the user guide at its end.",
        inset=True,
        href=reverse("training:package", args=[package.slug]),
        link_text=f"Start here: {package.title}",
    )


def register_navigation() -> None:
    register(
        Page(
            "Training",
            "training:mine",
            visible_to=lambda request: current_membership(request) is not None,
            order=90,
            description="Pre-reading and user guides for your roles, and your training "
            "certificates.",
            # On the home page, not the header: the header is for a day's work.
            in_header=False,
        )
    )
    register(
        Page(
            "Training records",
            "training:records",
            visible_to=holds_role(Role.EDUCATOR, Role.TRUST_ADMIN),
            order=75,
            description="Who has completed the training for their role, and your Trust's rule.",
            in_header=False,
        )
    )
    register(
        Page(
            "Training packages",
            "training:authoring",
            visible_to=lambda request: may_author(request.user),
            order=105,
            description="Write, review and publish training packages and user guides.",
            in_header=False,
        )
    )
    register_home_notice("training_start_here", _start_here)
