"""Importing a verified passport, and an educator accepting its attainment into an
enrolment. One transaction each; nothing is ever deleted."""

from dataclasses import dataclass, field

from django.db import transaction

from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date
from stepwise.passports.models import ImportedPassport, PriorAttainment
from stepwise.passports.verify import Verified
from stepwise.progress import summaries
from stepwise.progress.models import Decision, ProficiencyRecord, RecordEvent
from stepwise.progress.services.common import now, open_enrolment, require_educator
from stepwise.progress.states import MOVES, RecordEventKind, RecordState

ACCEPTABLE = MOVES[RecordEventKind.PRIOR_ATTAINMENT]
SOURCE_MAX = 300


def passport_import(*, verified: Verified, learner, trust, by) -> ImportedPassport:
    """Store the passport and one PriorAttainment per confirmed proficiency. Importing the
    same passport twice adds nothing the second time."""
    jti = verified.payload["jti"]
    with transaction.atomic():
        existing = ImportedPassport.objects.filter(
            learner=learner, issuer=verified.issuer.url, jti=jti
        ).first()
        if existing is not None:
            raise ConflictError(
                f"This passport was already imported on {date(existing.imported_at)}. "
                "Nothing new was imported."
            )
        passport = ImportedPassport.objects.create(
            learner=learner,
            issuer=verified.issuer.url,
            issuer_name=verified.issuer.name,
            imported_by=by,
            trust=trust,
            jti=jti,
            token=verified.token,
            payload=verified.payload,
        )
        PriorAttainment.objects.bulk_create(
            [
                PriorAttainment(
                    passport=passport,
                    learner=learner,
                    issuer_name=verified.issuer.name,
                    framework_slug=a.framework_slug,
                    framework_title=a.framework_title,
                    version_label=a.version_label,
                    proficiency_uuid=a.proficiency_uuid,
                    code=a.code,
                    statement=a.statement,
                    confirmed_by=a.confirmed_by,
                    registration_number=a.registration_number,
                    confirmed_at=a.confirmed_at,
                    trust_name=a.trust_name,
                )
                for a in verified.attainments
            ]
        )
    return passport


def source_of(attainment: PriorAttainment) -> str:
    """ "Other installation: confirmed by Ben Thompson (NMC 12A3456E) on 5 March 2026 at
    Northshire NHS Trust" """
    text = (
        f"{attainment.issuer_name}: confirmed by {attainment.confirmed_by} "
        f"({attainment.registration_number}) on {date(attainment.confirmed_at)} at "
        f"{attainment.trust_name}"
    )
    return text[:SOURCE_MAX]


@dataclass
class Accepted:
    confirmed: list[ProficiencyRecord] = field(default_factory=list)
    skipped: list[ProficiencyRecord] = field(default_factory=list)


def prior_attainment_accept(*, enrolment, attainments, by) -> Accepted:
    """Confirm the enrolment's records that these attainments match (same proficiency
    identifier and statement), each with a Decision by `by` naming the source and the
    original assessor's registration, and a PRIOR_ATTAINMENT event. Records already
    confirmed or waiting for an assessor are skipped."""
    attainments = list(attainments)
    if not attainments:
        raise ConflictError("Choose at least one proficiency to accept.")
    with transaction.atomic(), summaries.kept() as kept:
        enrolment = open_enrolment(enrolment, allow_sign_off_requested=True)
        kept.watch(enrolment.pk)
        require_educator(enrolment, by)
        if any(a.learner_id != enrolment.learner_id for a in attainments):
            raise ConflictError("That prior attainment is not this learner's. Nothing was saved.")
        records = {
            r.proficiency.uuid: r
            for r in ProficiencyRecord.objects.filter(
                enrolment=enrolment, proficiency__version=enrolment.version_id
            ).select_related("proficiency")
        }
        result = Accepted()
        at = now()
        for attainment in attainments:
            record = records.get(attainment.proficiency_uuid)
            if record is None or record.proficiency.statement != attainment.statement:
                raise ConflictError(
                    f"{attainment.code} does not match a proficiency of this enrolment. "
                    "Nothing was saved."
                )
            if record.state not in ACCEPTABLE or record in result.confirmed:
                result.skipped.append(record)
                continue
            source = source_of(attainment)
            decision = Decision.objects.create(
                record=record,
                outcome=Decision.Outcome.CONFIRMED,
                assessor=by,
                registration_number=attainment.registration_number,
                trust=enrolment.trust,
                note=f"Recognised prior attainment from {source}",
                prior_attainment_source=source,
                at=at,
            )
            updated = ProficiencyRecord.objects.filter(
                pk=record.pk, state=record.state, state__in=ACCEPTABLE
            ).update(state=RecordState.CONFIRMED, decision=decision, request=None, changed_at=at)
            if updated != 1:
                raise ConflictError(
                    f"{record.proficiency.code} changed while you were accepting it. "
                    "Nothing was saved."
                )
            RecordEvent.write(
                record=record,
                enrolment=enrolment,
                kind=RecordEventKind.PRIOR_ATTAINMENT,
                actor=by,
                from_state=record.state,
                to_state=RecordState.CONFIRMED,
                note=f"Recognised prior attainment from {source}",
                decision=decision,
                trust=enrolment.trust,
                at=at,
            )
            result.confirmed.append(record)
    return result
