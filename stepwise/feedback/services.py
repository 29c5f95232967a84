"""Asking people to answer forms, and answering them.

The public face for the apps above (training asks after a package):

    from stepwise.feedback.services import ask
    ask(person, form, moment=Form.Trigger.AFTER_TRAINING)

and `stepwise.feedback.queries.has_answered(person, form)`.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from stepwise.core.errors import ConflictError
from stepwise.feedback.models import (
    Answer,
    Form,
    FormEvent,
    FormVersion,
    Invitation,
    Question,
    Respondent,
    Response,
)
from stepwise.feedback.queries import targeted_people
from stepwise.notifications.services import notify

EMAIL = "feedback/emails/asked"


@dataclass(frozen=True)
class Given:
    """One answer as the person gave it: a number (a choice's index, a Likert point, a
    rating), several numbers (a multiple choice) or text."""

    number: int | None = None
    numbers: tuple[int, ...] = ()
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self.number is None and not self.numbers and not self.text


def tell(invitation: Invitation, *, reminder: bool) -> None:
    form = invitation.form
    url = reverse("feedback:answer", args=[form.slug])
    text = (
        f"Reminder: please answer “{form.title}”."
        if reminder
        else f"Please answer “{form.title}”: it takes a few minutes."
    )
    notify(
        person=invitation.person,
        text=text,
        url=url,
        email_template=EMAIL,
        context={"form": form, "reminder": reminder},
    )


def ask(person, form: Form, *, moment: str = Form.Trigger.ON_DATE, by=None) -> Invitation | None:
    """Ask someone to answer a published form: an in-app notice and an email. Asking again,
    or asking someone who has answered, does nothing (None)."""
    with transaction.atomic():
        if not FormVersion.objects.filter(form=form, state=FormVersion.State.PUBLISHED).exists():
            return None
        if Respondent.objects.filter(form=form, person=person).exists():
            return None
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    form=form, person=person, moment=Form.Trigger(moment)
                )
        except IntegrityError:
            return None
        tell(invitation, reminder=False)
    return invitation


def ask_if_targeted(person, form: Form, *, moment: str) -> Invitation | None:
    """Ask only if the form's roles, Trusts and cohorts include the person (for moments
    such as finishing a training package, where many forms may apply)."""
    if not targeted_people(form).filter(pk=person.pk).exists():
        return None
    return ask(person, form, moment=moment)


def ask_targeted(form: Form, *, by=None, moment=Form.Trigger.ON_DATE) -> int:
    """Ask everyone the form is aimed at who has not been asked yet; how many were."""
    asked = Invitation.objects.filter(form=form).values("person_id")
    count = 0
    for person in targeted_people(form).exclude(pk__in=asked).order_by("pk"):
        if ask(person, form, moment=moment, by=by):
            count += 1
    if count:
        FormEvent.write(
            kind=FormEvent.Kind.ASKED, actor=by, form=form, note=f"{count} people asked"
        )
    return count


def _answers(response: Response, questions: list[Question], given: dict[int, Given]):
    return [
        Answer(
            response=response,
            question=question,
            number=given[question.pk].number,
            numbers=list(given[question.pk].numbers),
            text=given[question.pk].text,
        )
        for question in questions
        if question.pk in given and not given[question.pk].is_empty
    ]


def _check_version(version: FormVersion) -> list[Question]:
    if not FormVersion.objects.filter(pk=version.pk, state=FormVersion.State.PUBLISHED).exists():
        raise ConflictError(
            "This form was changed while you were answering it. Your answers were not saved: "
            "please answer the new version."
        )
    return list(version.questions.all())


def answer(*, person, version: FormVersion, given: dict[int, Given], membership=None) -> Response:
    """Save someone's answers to the published version of a form, once: a second answer,
    even at the same moment, is refused with a ConflictError and stores nothing.

    On an anonymous form the response keeps no link to the person; only the separate
    Respondent row says that they answered."""
    form = version.form
    with transaction.atomic():
        questions = _check_version(version)
        try:
            with transaction.atomic():
                Respondent.objects.create(form=form, person=person)
        except IntegrityError:
            raise ConflictError("You have already answered this form. Thank you.") from None
        response = Response.objects.create(
            form=form,
            version=version,
            person=None if form.anonymous else person,
            trust=membership.trust if membership else None,
            role=membership.roles[0].value if membership and membership.roles else "",
        )
        Answer.objects.bulk_create(_answers(response, questions, given))
        if not form.anonymous:
            # An anonymous answer writes no event: its actor and time would name the person.
            FormEvent.write(kind=FormEvent.Kind.ANSWERED, actor=person, form=form)
    return response


def enter_paper(*, by, version: FormVersion, given: dict[int, Given], trust=None) -> Response:
    """Type in a paper copy's answers: marked as from paper, linked to nobody."""
    form = version.form
    with transaction.atomic():
        questions = _check_version(version)
        response = Response.objects.create(
            form=form,
            version=version,
            trust=trust,
            from_paper=True,
            entered_by=by,
            submitted_on=timezone.localdate(),
        )
        Answer.objects.bulk_create(_answers(response, questions, given))
        FormEvent.write(kind=FormEvent.Kind.PAPER_ENTERED, actor=by, form=form)
    return response
