"""Builders shared by the progress tests: moving records along the journey through the real
services, and enrolments and records in memory for the presenters (no database)."""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from stepwise.frameworks.models import FrameworkVersion, Proficiency, Section
from stepwise.progress.models import Decision, Enrolment, ProficiencyRecord
from stepwise.progress.services import confirmation_request, records_self_assess, request_decide
from stepwise.progress.services.confirmation import ActionInput, ItemDecision
from stepwise.progress.states import EnrolmentState, RecordState

CONFIRM = Decision.Outcome.CONFIRMED
REJECT = Decision.Outcome.REJECTED


def records(enrolment):
    return list(
        enrolment.records.order_by("proficiency__section__position", "proficiency__position")
    )


def achieve(enrolment, learner, chosen, reflection="I did this on shift"):
    return records_self_assess(
        enrolment=enrolment,
        by=learner,
        answers=[(r.pk, RecordState.ACHIEVED, reflection) for r in chosen],
    )


def plan(days=14):
    return [ActionInput("Practise under supervision", timezone.localdate() + timedelta(days=days))]


def decide(request, assessor, outcomes):
    return request_decide(
        request=request,
        by=assessor,
        registration_body="NMC",
        registration_number="09B1234D",
        items=[
            ItemDecision(record_id=r.pk, outcome=o, actions=plan() if o == REJECT else [])
            for r, o in outcomes
        ],
    )


def confirm_everything_required(enrolment, learner, assessor):
    chosen = [r for r in records(enrolment) if not r.proficiency.optional]
    chosen += [r for r in records(enrolment) if r.proficiency.optional][:1]
    achieve(enrolment, learner, chosen)
    request = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[r.pk for r in chosen], assessor=assessor
    )
    decide(request, assessor, [(r, CONFIRM) for r in chosen])


# In memory, for the presenters.
TODAY = date(2026, 3, 5)
AT = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)


def make_enrolment(state=EnrolmentState.ACTIVE, **fields):
    version = FrameworkVersion(
        pk=3, label="1.0", achieved_label="Achieved", ongoing_label="On going", minimum_optional=1
    )
    return Enrolment(pk=7, state=state, version=version, version_id=3, **fields)


def make_record(pk=11, state=RecordState.NOT_STARTED, code="1.2", section_id=5, **fields):
    section = Section(pk=section_id, code=str(section_id), title=f"Section {section_id}")
    proficiency = Proficiency(
        pk=pk + 100,
        code=code,
        statement=f"Statement {code}",
        section=section,
        version_id=3,
        guidance="Watch first",
    )
    return ProficiencyRecord(pk=pk, state=state, proficiency=proficiency, enrolment_id=7, **fields)
