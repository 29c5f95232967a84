"""Demo learners at every stage of the journey on the sample Step 1, made through the same
services people use, so the demo shows real histories. Safe to run twice: a learner who is
already enrolled on Step 1 is left alone."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.frameworks.models import Framework, FrameworkVersion, TrustFramework
from stepwise.frameworks.services import trust_framework_offer
from stepwise.organisations.models import Membership, Role
from stepwise.organisations.services import membership_create
from stepwise.progress.models import ConfirmationRequest, Enrolment, ProficiencyRecord
from stepwise.progress.services import (
    confirmation_request,
    enrolment_create,
    enrolment_sign_off,
    records_self_assess,
    request_decide,
    sign_off_request,
)
from stepwise.progress.services.confirmation import ActionInput, ItemDecision
from stepwise.progress.states import RecordState

ACHIEVED = RecordState.ACHIEVED
ONGOING = RecordState.ONGOING
CONFIRM = "confirmed"
REJECT = "rejected"

# email, name, NMC PIN, stage
LEARNERS = [
    ("isla.murray@example.org", "Isla Murray", "22E1357F", "not_started"),
    ("jamal.reid@example.org", "Jamal Reid", "23F2468G", "part_way"),
    ("kemi.adebayo@example.org", "Kemi Adebayo", "21G3579H", "waiting_for_confirmation"),
    ("liam.oconnor@example.org", "Liam O'Connor", "20H4680J", "rejected"),
    ("maya.singh@example.org", "Maya Singh", "19J5791K", "waiting_for_sign_off"),
    ("noah.williams@example.org", "Noah Williams", "18K6802L", "signed_off"),
]


def _person(email, name, pin, password) -> User:
    person = User.objects.filter(email=email).first()
    if person is None:
        person = User.objects.create_user(
            email=email,
            password=password,
            full_name=name,
            job_title="Staff Nurse",
            registration_body="NMC",
            registration_number=pin,
        )
        User.objects.filter(pk=person.pk).update(email_verified_at=person.date_joined)
    return person


def _records(enrolment) -> list[ProficiencyRecord]:
    return list(
        enrolment.records.select_related("proficiency", "proficiency__section").order_by(
            "proficiency__section__position", "proficiency__position"
        )
    )


def _self_assess(enrolment, learner, records, state=ACHIEVED):
    records_self_assess(
        enrolment=enrolment,
        by=learner,
        answers=[
            (r.pk, state, f"Practised {r.proficiency.code} on shift with my assessor watching.")
            for r in records
        ],
    )


def _confirm(enrolment, learner, assessor, records, reject=()):
    _self_assess(enrolment, learner, records)
    request = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[r.pk for r in records], assessor=assessor
    )
    due = timezone.localdate() + timedelta(days=21)
    request_decide(
        request=request,
        by=assessor,
        registration_body=assessor.registration_body,
        registration_number=assessor.registration_number,
        items=[
            ItemDecision(
                r.pk,
                REJECT if r in reject else CONFIRM,
                actions=[
                    ActionInput("Complete the unit's workbook for this topic", due),
                    ActionInput("Be observed again by your practice supervisor", due),
                ]
                if r in reject
                else [],
            )
            for r in records
        ],
    )


def _everything_needed(records, minimum_optional):
    required = [r for r in records if not r.proficiency.optional]
    optional = [r for r in records if r.proficiency.optional][:minimum_optional]
    return required + optional


@transaction.atomic
def seed_journey(*, trusts, people, password) -> None:
    framework = Framework.objects.filter(slug="step-1").first()
    if framework is None:
        return
    version = framework.versions.filter(state=FrameworkVersion.State.PUBLISHED).first()
    trust = trusts["RZZ01"]
    unit = trust.units[0]
    educator = people["educator@example.org"]
    assessor = people["assessor@example.org"]
    author = people["author@example.org"]
    for other in trusts.values():
        for slug in ("step-1", "step-2", "step-3", "iv-therapy-passport"):
            offered = Framework.objects.filter(slug=slug).first()
            if (
                offered
                and not TrustFramework.objects.filter(trust=other, framework=offered).exists()
            ):
                trust_framework_offer(
                    trust=other,
                    framework=offered,
                    by=author,
                    learners_may_enrol_themselves=(slug == "iv-therapy-passport"),
                )

    everyone = [(people["learner@example.org"], "demo_learner")]
    for email, name, pin, stage in LEARNERS:
        person = _person(email, name, pin, password)
        if not Membership.objects.current().filter(person=person, trust=trust).exists():
            membership_create(person=person, trust=trust, unit=unit, roles=[Role.LEARNER])
        everyone.append((person, stage))

    for learner, stage in everyone:
        if Enrolment.objects.filter(learner=learner, framework=framework).exists():
            continue
        enrolment = enrolment_create(
            learner=learner,
            version=version,
            trust=trust,
            educator=educator,
            assessors=[assessor],
            due_on=timezone.localdate() + timedelta(days=180),
            by=educator,
        )
        records = _records(enrolment)
        sections = {}
        for record in records:
            sections.setdefault(record.proficiency.section.position, []).append(record)
        first, second, third = sections[1], sections[2], sections[3]
        if stage == "not_started":
            continue
        if stage == "part_way":
            _confirm(enrolment, learner, assessor, first)
            _self_assess(enrolment, learner, second[:3])
            _self_assess(enrolment, learner, second[3:], ONGOING)
        elif stage == "demo_learner":
            # The main demo account: something at every stage at once.
            _confirm(enrolment, learner, assessor, first, reject=first[-1:])
            _self_assess(enrolment, learner, second)
            confirmation_request(
                enrolment=enrolment,
                by=learner,
                record_ids=[r.pk for r in second[:4]],
                assessor=assessor,
            )
            _self_assess(enrolment, learner, third[:2], ONGOING)
        elif stage == "waiting_for_confirmation":
            _confirm(enrolment, learner, assessor, first)
            _self_assess(enrolment, learner, second)
            confirmation_request(
                enrolment=enrolment, by=learner, record_ids=[r.pk for r in second], unit=unit
            )
            # Nine days old, so the reminders and the "To review" ages have something to show.
            ConfirmationRequest.objects.filter(enrolment=enrolment, state="waiting").update(
                requested_at=timezone.now() - timedelta(days=9)
            )
        elif stage == "rejected":
            _confirm(enrolment, learner, assessor, first + second, reject=second[:2])
        elif stage in ("waiting_for_sign_off", "signed_off"):
            _confirm(
                enrolment,
                learner,
                assessor,
                _everything_needed(records, version.minimum_optional),
            )
            sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
            if stage == "signed_off":
                enrolment_sign_off(
                    enrolment=enrolment,
                    by=educator,
                    declaration_agreed=True,
                    registration_body=educator.registration_body,
                    registration_number=educator.registration_number,
                )
