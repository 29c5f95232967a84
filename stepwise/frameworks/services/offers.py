"""Which Trusts offer which frameworks, and whether their learners may enrol themselves.

An offer is a current-state row: stopping it deletes the row, and FrameworkEvent keeps who
offered and stopped what, when. Enrolments do not hang on the offer, so stopping an offer
stops new enrolments only; learners already enrolled carry on.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date
from stepwise.frameworks.models import FrameworkEvent, FrameworkVersion, TrustFramework
from stepwise.organisations.models import Organisation

Kind = FrameworkEvent.Kind


def _record(*, trust, framework, kind, by, note="") -> None:
    FrameworkEvent.write(framework=framework, trust=trust, kind=kind, actor=by, note=note)


def _self_enrolment_note(allowed: bool) -> str:
    return "Learners may enrol themselves" if allowed else "Educators enrol learners"


def trust_framework_offer(
    *, trust: Organisation, framework, by, learners_may_enrol_themselves: bool = False
) -> TrustFramework:
    if trust.kind != Organisation.Kind.TRUST:
        raise ValidationError("Only a Trust can offer a framework")
    if not framework.versions.filter(state=FrameworkVersion.State.PUBLISHED).exists():
        raise ValidationError(f"{framework} has no published version to offer yet")
    try:
        with transaction.atomic():
            offer = TrustFramework.objects.create(
                trust=trust,
                framework=framework,
                offered_by=by,
                learners_may_enrol_themselves=learners_may_enrol_themselves,
            )
            _record(
                trust=trust,
                framework=framework,
                kind=Kind.OFFERED,
                by=by,
                note=_self_enrolment_note(learners_may_enrol_themselves),
            )
            return offer
    except IntegrityError:
        offer = TrustFramework.objects.get(trust=trust, framework=framework)
        raise ConflictError(
            f"{trust} has offered {framework} since {date(offer.offered_since)}."
        ) from None


def _not_offered(trust, framework) -> ConflictError:
    stopped = (
        FrameworkEvent.objects.filter(framework=framework, trust=trust, kind=Kind.OFFER_STOPPED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    if stopped is not None and stopped.actor is not None:
        return ConflictError(
            f"{trust} no longer offers {framework}: {stopped.actor} stopped offering it on "
            f"{date(stopped.at)}."
        )
    return ConflictError(f"{trust} does not offer {framework}.")


def trust_framework_withdraw(*, trust: Organisation, framework, by, note: str = "") -> None:
    """Stop offering a framework: nobody new can be enrolled; existing enrolments continue."""
    with transaction.atomic():
        removed, _ = TrustFramework.objects.filter(trust=trust, framework=framework).delete()
        if not removed:
            raise _not_offered(trust, framework)
        _record(trust=trust, framework=framework, kind=Kind.OFFER_STOPPED, by=by, note=note)


def trust_framework_set_self_enrolment(
    *, trust: Organisation, framework, by, allowed: bool
) -> TrustFramework:
    """Let the Trust's learners enrol themselves, or not. Asking for what is already so is a
    no-op."""
    with transaction.atomic():
        changed = TrustFramework.objects.filter(
            trust=trust, framework=framework, learners_may_enrol_themselves=not allowed
        ).update(learners_may_enrol_themselves=allowed)
        offer = TrustFramework.objects.filter(trust=trust, framework=framework).first()
        if offer is None:
            raise _not_offered(trust, framework)
        if changed:
            _record(
                trust=trust,
                framework=framework,
                kind=Kind.SELF_ENROLMENT_CHANGED,
                by=by,
                note=_self_enrolment_note(allowed),
            )
    return offer
