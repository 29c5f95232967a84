"""A person's way through a package: pages opened, then completion, which issues the
training certificate."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from stepwise.certificates.services import certificate_issue
from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date
from stepwise.feedback.models import Form
from stepwise.feedback.queries import has_answered, is_targeted
from stepwise.feedback.receivers import forms_triggered_by
from stepwise.feedback.services import ask
from stepwise.notifications.services import notify
from stepwise.training import queries
from stepwise.training.dates import add_months
from stepwise.training.kind import TRAINING_COMPLETION
from stepwise.training.models import Completion, PackageVersion, PageOpening, TrainingEvent

DECLARATION_MISSING = "Agree to the declaration to complete the training"


def page_open(*, person, page) -> None:
    """Note that the person opened the page: the first time a row, later a count. Once every
    required page is open, the version's feedback form (if any) is asked of them, so that the
    feedback app lets them answer it."""
    at = timezone.now()
    with transaction.atomic():
        updated = PageOpening.objects.filter(person=person, page=page).update(
            last_opened_at=at, times=F("times") + 1
        )
        if updated:
            return
        try:
            with transaction.atomic():
                PageOpening.objects.create(
                    person=person, page=page, first_opened_at=at, last_opened_at=at
                )
        except IntegrityError:
            # Opened in another tab at the same moment: that row counts.
            return
        version = page.version
        if version.feedback_form_id and not queries.unopened_required(person, version):
            ask(person, version.feedback_form, moment=Form.Trigger.AFTER_TRAINING)


def _ask_after_training(person) -> None:
    """Forms the feedback team aims at people who have just completed training."""
    for form in forms_triggered_by(Form.Trigger.AFTER_TRAINING):
        if is_targeted(form, person):
            ask(person, form, moment=Form.Trigger.AFTER_TRAINING)


def description_of(version) -> str:
    package = version.package
    return package.description or f"The {package.title} training package, version {version.label}."


def _refuse_unopened(person, version) -> None:
    missing = queries.unopened_required(person, version)
    if missing:
        names = ", ".join(f"\u201c{page.title}\u201d" for page in missing)
        noun = "this page" if len(missing) == 1 else "these pages"
        raise ConflictError(
            f"Open every page before completing the training. You have not opened {noun} "
            f"yet: {names}."
        )


def package_complete(*, person, version, membership, declaration_agreed: bool) -> Completion:
    """Complete a published version: every required page opened and the declaration agreed.
    Issues the training certificate in the same transaction. Twice (two tabs, a double click)
    gives one completion: the second is told when the first was made."""
    if not declaration_agreed:
        raise ConflictError(DECLARATION_MISSING)
    if membership is None or membership.person_id != person.pk:
        raise ConflictError("You need to be working at a Trust to complete training.")
    package = version.package
    if package.audience not in queries.audiences_of(membership):
        raise ConflictError("This training is for another role.")
    try:
        with transaction.atomic():
            # One person's completions one at a time (PostgreSQL; SQLite's write lock does
            # the same); the unique constraint is the last word either way.
            get_user_model().objects.select_for_update().filter(pk=person.pk).exists()
            current = PackageVersion.objects.get(pk=version.pk)
            if current.state != PackageVersion.State.PUBLISHED:
                raise ConflictError(f"{version} is not published.")
            done = Completion.objects.filter(person=person, version=version).first()
            if done is not None:
                raise ConflictError(_already(done))
            _refuse_unopened(person, version)
            form = current.feedback_form
            if form is not None and not has_answered(person, form):
                raise ConflictError(
                    f"Answer the feedback form \u201c{form.title}\u201d before completing the "
                    "training."
                )
            at = timezone.now()
            certificate = certificate_issue(
                kind=TRAINING_COMPLETION,
                holder=person,
                issuer=membership.trust,
                title=package.title,
                version_label=version.label,
                description=description_of(version),
                signed_off_at=at,
                by=person,
            )
            completion = Completion.objects.create(
                person=person,
                version=version,
                trust=membership.trust,
                certificate=certificate,
                declaration=current.declaration,
                completed_at=at,
                expires_at=(
                    add_months(at, current.validity_months) if current.validity_months else None
                ),
            )
            TrainingEvent.write(
                kind=TrainingEvent.Kind.COMPLETED,
                actor=person,
                package=package,
                version=version,
                completion=completion,
                trust=membership.trust,
                note=f"Agreed: {current.declaration}",
                at=at,
            )
            notify(
                person=person,
                text=f"You completed {package.title}. Your training certificate is ready.",
                url=reverse("training:package", args=[package.slug]),
                email_template="training/emails/completed",
                context={"package": package, "version": version, "certificate": certificate},
            )
            _ask_after_training(person)
    except IntegrityError:
        done = Completion.objects.filter(person=person, version=version).first()
        if done is None:
            raise
        raise ConflictError(_already(done)) from None
    return completion


def _already(completion) -> str:
    return f"You already completed this version on {date(completion.completed_at)}."
