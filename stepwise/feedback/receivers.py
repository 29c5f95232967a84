"""Asking at moments of the journey the progress app announces: at final sign-off."""

from stepwise.feedback.models import Form, FormVersion
from stepwise.feedback.services import ask_if_targeted
from stepwise.progress.signals import enrolment_signed_off


def forms_triggered_by(trigger: str):
    return Form.objects.filter(
        trigger=trigger, versions__state=FormVersion.State.PUBLISHED
    ).distinct()


def ask_at_sign_off(sender, *, enrolment, **kwargs):
    # Inside the sign-off transaction: the notice commits or rolls back with it.
    learner = enrolment.learner
    for form in forms_triggered_by(Form.Trigger.SIGN_OFF):
        ask_if_targeted(learner, form, moment=Form.Trigger.SIGN_OFF)


def connect() -> None:
    enrolment_signed_off.connect(ask_at_sign_off, dispatch_uid="feedback_ask_at_sign_off")
