"""Shared by the tests of the assessors' and educators' pages: getting records to the state a
page needs, and building what its forms post."""

from datetime import date, timedelta
from html import unescape

from django.utils import timezone

from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Decision
from stepwise.progress.services import (
    confirmation_request,
    enrolment_create,
    records_self_assess,
    request_decide,
    sign_off_request,
)
from stepwise.progress.services.confirmation import ItemDecision

PIN = {"registration_body": "NMC", "registration_number": "09B1234D"}


def read(response) -> str:
    """The page as text, entities decoded: names like O'Neill are escaped in the HTML."""
    return unescape(response.content.decode())


def records(enrolment):
    return list(
        enrolment.records.filter(proficiency__version=enrolment.version_id)
        .select_related("proficiency")
        .order_by("proficiency__section__position", "proficiency__position")
    )


def ask(enrolment, chosen, *, assessor=None, unit=None, reflection="I did this on shift"):
    """The learner self-assesses these records as achieved and sends them for confirmation."""
    records_self_assess(
        enrolment=enrolment,
        by=enrolment.learner,
        answers=[(r.pk, "achieved", reflection) for r in chosen],
    )
    if assessor is None and unit is None:
        unit = enrolment.unit
    return confirmation_request(
        enrolment=enrolment,
        by=enrolment.learner,
        record_ids=[r.pk for r in chosen],
        assessor=assessor,
        unit=unit,
    )


def confirm(request, by, chosen):
    return request_decide(
        request=request,
        by=by,
        items=[ItemDecision(r.pk, Decision.Outcome.CONFIRMED) for r in chosen],
        **PIN,
    )


def ready_for_sign_off(enrolment, assessor):
    """Everything required and the optional minimum confirmed, and sign-off asked for."""
    everything = records(enrolment)
    chosen = [r for r in everything if not r.proficiency.optional]
    chosen += [r for r in everything if r.proficiency.optional][
        : enrolment.version.minimum_optional
    ]
    confirm(ask(enrolment, chosen, assessor=assessor), assessor, chosen)
    return sign_off_request(enrolment=enrolment, by=enrolment.learner, declaration_agreed=True)


def date_fields(name: str, when: date | None) -> dict:
    if when is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": when.day, f"{name}_month": when.month, f"{name}_year": when.year}


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def review_post(request, **overrides) -> dict:
    """What the review form posts when the assessor changes nothing: every item confirmed."""
    record_ids = [r.pk for r in request.waiting_records.order_by("pk")]
    data = {"shown": ",".join(str(pk) for pk in record_ids), **PIN}
    for pk in record_ids:
        data[f"outcome_{pk}"] = "confirmed"
    data.update(overrides)
    return data


def reject(record, *actions) -> dict:
    """Post fields rejecting a record with these (description, due) actions. A due date is
    typed under "Another date" (None leaves it empty); a string is a common choice ("2w")."""
    data = {f"outcome_{record.pk}": "rejected"}
    for row, (description, due) in enumerate(actions, start=1):
        name = f"action_{record.pk}_{row}"
        data[name] = description
        if isinstance(due, str):
            data[f"{name}_when"] = due
            continue
        if description or due:
            data[f"{name}_when"] = "date"
        data.update(date_fields(f"{name}_due", due))
    return data


def another_learner(trust, unit=None):
    return MembershipFactory(trust=trust, unit=unit or trust.units[0], is_learner=True).person


def enrol(learner, version, trust, educator, **kwargs):
    return enrolment_create(
        learner=learner, version=version, trust=trust, educator=educator, by=educator, **kwargs
    )
