"""Final sign-off: the learner asks, the educator signs off or returns it."""

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from stepwise.accounts.registration import validate_registration_number
from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date_time
from stepwise.notifications.services import notify
from stepwise.organisations.models import Membership
from stepwise.progress import guards, summaries
from stepwise.progress.models import (
    Enrolment,
    EnrolmentEvent,
    ProficiencyRecord,
    SignOffRequest,
)
from stepwise.progress.services.common import (
    lock_enrolment,
    now,
    open_enrolment,
    remember_registration,
)
from stepwise.progress.services.confirmation import withdraw_waiting
from stepwise.progress.signals import enrolment_signed_off
from stepwise.progress.states import (
    ENROLMENT_MOVES,
    EnrolmentEventKind,
    EnrolmentState,
    RecordState,
    enrolment_can,
)


def completion(enrolment) -> dict:
    """What is confirmed and what is still needed. One query."""
    counts = ProficiencyRecord.objects.filter(
        enrolment=enrolment, proficiency__version=enrolment.version_id
    ).aggregate(
        required=Count("pk", filter=Q(proficiency__optional=False)),
        required_confirmed=Count(
            "pk", filter=Q(proficiency__optional=False, state=RecordState.CONFIRMED)
        ),
        optional_confirmed=Count(
            "pk", filter=Q(proficiency__optional=True, state=RecordState.CONFIRMED)
        ),
    )
    minimum = enrolment.version.minimum_optional
    counts["optional_minimum"] = minimum
    counts["complete"] = (
        counts["required_confirmed"] == counts["required"]
        and counts["optional_confirmed"] >= minimum
    )
    return counts


def sign_off_request(*, enrolment, by, declaration_agreed: bool) -> SignOffRequest:
    if by.pk != enrolment.learner_id:
        raise ConflictError("Only the learner asks for their own sign-off.")
    if not declaration_agreed:
        raise ConflictError("Agree to the declaration to ask for sign-off.")
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = open_enrolment(enrolment)
        kept.watch(enrolment.pk)
        done = completion(enrolment)
        if not done["complete"]:
            raise ConflictError(
                "Not ready for sign-off: "
                f"{done['required_confirmed']} of {done['required']} required proficiencies and "
                f"{done['optional_confirmed']} of at least {done['optional_minimum']} optional "
                "ones are confirmed."
            )
        at = now()
        updated = Enrolment.objects.filter(
            pk=enrolment.pk, state__in=ENROLMENT_MOVES[EnrolmentEventKind.SIGN_OFF_REQUESTED]
        ).update(state=EnrolmentState.SIGN_OFF_REQUESTED, sign_off_requested_at=at)
        if not updated:
            raise ConflictError("Sign-off has already been asked for.")
        request = SignOffRequest.objects.create(
            enrolment=enrolment,
            educator=enrolment.educator,
            learner_declaration=enrolment.version.learner_declaration,
            requested_at=at,
        )
        EnrolmentEvent.write(
            enrolment=enrolment,
            kind=EnrolmentEventKind.SIGN_OFF_REQUESTED,
            actor=by,
            from_state=EnrolmentState.ACTIVE,
            to_state=EnrolmentState.SIGN_OFF_REQUESTED,
            note=f"Agreed: {request.learner_declaration}",
            trust=enrolment.trust,
            at=at,
        )
        notify(
            person=enrolment.educator,
            text=f"{by.full_name} asked you to sign off {enrolment.version}.",
            url=reverse("progress:sign_off", args=[enrolment.pk]),
            email_template="progress/emails/sign_off_requested",
            context={"enrolment": enrolment, "learner": by},
        )
    return request


def withdraw_waiting_sign_off(*, enrolment, by, note: str) -> None:
    """Inside a caller's transaction: close the waiting sign-off request and reopen."""
    at = now()
    SignOffRequest.objects.filter(enrolment=enrolment, state=SignOffRequest.State.WAITING).update(
        state=SignOffRequest.State.WITHDRAWN, decided_at=at, comments=note
    )
    _reopen(
        enrolment,
        kind=EnrolmentEventKind.SIGN_OFF_WITHDRAWN,
        by=by,
        note=note,
        at=at,
        refused="There is no request for sign-off waiting.",
    )


def _reopen(enrolment, *, kind, by, note: str, at, refused: str) -> None:
    """The enrolment goes back from waiting for sign-off to active, with its event; `refused`
    is the message when it was not waiting (any more)."""
    reopened = Enrolment.objects.filter(pk=enrolment.pk, state__in=ENROLMENT_MOVES[kind]).update(
        state=EnrolmentState.ACTIVE, sign_off_requested_at=None
    )
    if not reopened:
        raise ConflictError(refused)
    EnrolmentEvent.write(
        enrolment=enrolment,
        kind=kind,
        actor=by,
        from_state=EnrolmentState.SIGN_OFF_REQUESTED,
        to_state=EnrolmentState.ACTIVE,
        note=note,
        trust=enrolment.trust,
        at=at,
    )


def sign_off_withdraw(*, enrolment, by) -> None:
    if by.pk != enrolment.learner_id:
        raise ConflictError("Only the learner can withdraw their request for sign-off.")
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = lock_enrolment(enrolment)
        kept.watch(enrolment.pk)
        if not enrolment_can(EnrolmentEventKind.SIGN_OFF_WITHDRAWN, enrolment.state):
            raise ConflictError("There is no request for sign-off waiting.")
        withdraw_waiting_sign_off(enrolment=enrolment, by=by, note="Withdrawn by the learner")


def _waiting(enrolment, by) -> SignOffRequest:
    request = (
        SignOffRequest.objects.filter(enrolment=enrolment)
        .select_related("decided_by")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if request is None or request.state != SignOffRequest.State.WAITING:
        if request is not None and request.decided_by is not None:
            raise ConflictError(
                f"This sign-off was already {request.get_state_display().lower()} by "
                f"{request.decided_by.full_name} on {date_time(request.decided_at)}."
            )
        raise ConflictError("There is no request for sign-off waiting.")
    staff = Membership.objects.current().filter(trust=enrolment.trust, person=by, is_educator=True)
    if not staff.exists() or by.pk == enrolment.learner_id:
        raise ConflictError("Only an educator of the learner's Trust can sign off.")
    return request


def enrolment_sign_off(
    *, enrolment, by, declaration_agreed: bool, registration_body: str, registration_number: str
):
    """Sign off: the enrolment is locked and the certificate is issued (by the certificates
    app, on `enrolment_signed_off`; its PDF is made by a background task straight after the
    commit). Returns the certificate. Two tabs or a double click: one wins."""
    if not declaration_agreed:
        raise ConflictError("Agree to the declaration to sign off.")
    number = validate_registration_number(registration_body, registration_number)
    with transaction.atomic(), summaries.kept() as kept:
        lock_enrolment(enrolment)
        kept.watch(enrolment.pk)
        request = _waiting(enrolment, by)
        guards.check(
            person=by,
            trust_id=enrolment.trust_id,
            framework_id=enrolment.version.framework_id,
            action=guards.StaffAction.SIGN_OFF,
        )
        at = now()
        claimed = SignOffRequest.objects.filter(
            pk=request.pk, state=SignOffRequest.State.WAITING
        ).update(
            state=SignOffRequest.State.SIGNED_OFF,
            decided_at=at,
            decided_by=by,
            assessor_declaration=enrolment.version.assessor_declaration,
            signer_registration_number=f"{registration_body} {number}",
        )
        updated = Enrolment.objects.filter(
            pk=enrolment.pk, state__in=ENROLMENT_MOVES[EnrolmentEventKind.SIGNED_OFF]
        ).update(state=EnrolmentState.SIGNED_OFF, signed_off_at=at, signed_off_by=by)
        if not (claimed and updated):
            raise ConflictError("Someone else signed this off a moment ago.")
        remember_registration(by, registration_body, number)
        enrolment.refresh_from_db()
        EnrolmentEvent.write(
            enrolment=enrolment,
            kind=EnrolmentEventKind.SIGNED_OFF,
            actor=by,
            from_state=EnrolmentState.SIGN_OFF_REQUESTED,
            to_state=EnrolmentState.SIGNED_OFF,
            note=f"Agreed: {enrolment.version.assessor_declaration}",
            trust=enrolment.trust,
            at=at,
        )
        enrolment_signed_off.send(
            sender=Enrolment,
            enrolment=enrolment,
            signer=by,
            signer_registration=f"{registration_body} {number}",
        )
        # Issued by the certificates app's receiver, just now, in this transaction.
        certificate = enrolment.certificate
        notify(
            person=enrolment.learner,
            text=f"{by.full_name} signed off your {enrolment.version}. Your certificate is ready.",
            url=reverse("progress:enrolment", args=[enrolment.pk]),
            email_template="progress/emails/signed_off",
            context={"enrolment": enrolment, "educator": by, "certificate": certificate},
        )
    return certificate


def sign_off_return(*, enrolment, by, comments: str) -> SignOffRequest:
    if not comments.strip():
        raise ConflictError("Say what the learner needs to do before sign-off.")
    with transaction.atomic(), summaries.kept() as kept:
        lock_enrolment(enrolment)
        kept.watch(enrolment.pk)
        request = _waiting(enrolment, by)
        at = now()
        claimed = SignOffRequest.objects.filter(
            pk=request.pk, state=SignOffRequest.State.WAITING
        ).update(
            state=SignOffRequest.State.RETURNED,
            decided_at=at,
            decided_by=by,
            comments=comments.strip(),
        )
        if not claimed:
            raise ConflictError("Someone else decided this sign-off a moment ago.")
        _reopen(
            enrolment,
            kind=EnrolmentEventKind.SIGN_OFF_RETURNED,
            by=by,
            note=comments.strip(),
            at=at,
            refused="This enrolment is not waiting for sign-off. Nothing was saved.",
        )
        notify(
            person=enrolment.learner,
            text=f"{by.full_name} returned your request for sign-off with comments.",
            url=reverse("progress:enrolment", args=[enrolment.pk]),
            email_template="progress/emails/sign_off_returned",
            context={"enrolment": enrolment, "educator": by, "comments": comments.strip()},
        )
    request.refresh_from_db()
    return request


def close_waiting_requests(*, enrolment, by, at) -> None:
    """Inside a caller's transaction (withdrawal): nothing may wait on a closed enrolment."""
    withdraw_waiting(enrolment=enrolment, by=by, at=at, note="The enrolment was withdrawn")
    SignOffRequest.objects.filter(enrolment=enrolment, state=SignOffRequest.State.WAITING).update(
        state=SignOffRequest.State.WITHDRAWN, decided_at=at, comments="The enrolment was withdrawn"
    )
