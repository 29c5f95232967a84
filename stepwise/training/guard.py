"""A Trust's training rule, as a guard on the progress services (progress.guards): its
assessors, or its educators, must hold a current training certificate for their role before
they confirm proficiencies or sign off."""

from django.urls import reverse

from stepwise.progress.guards import Refusal, StaffAction
from stepwise.training import queries
from stepwise.training.models import Audience

# Who may confirm: assessors, and educators (their training covers assessing too).
DECIDERS = (Audience.ASSESSOR, Audience.EDUCATOR)
SIGNERS = (Audience.EDUCATOR,)


def training_guard(*, person, trust_id: int, framework_id: int, action) -> Refusal | None:
    rule = queries.trust_rule(trust_id)
    if rule is None:
        return None
    if action == StaffAction.DECIDE and rule.assessors_must_train:
        audiences, doing, role = DECIDERS, "confirming or rejecting proficiencies", "assessors"
    elif action == StaffAction.SIGN_OFF and rule.educators_must_train:
        audiences, doing, role = SIGNERS, "signing off", "educators"
    else:
        return None
    if queries.holds_current(person.pk, audiences, framework_id):
        return None
    return Refusal(
        message=(
            f"Your Trust asks {role} to hold a current training certificate for their role "
            f"before {doing}. Complete the training for your role first: nothing was saved."
        ),
        href=reverse("training:mine"),
        link_text="Go to your training",
    )
