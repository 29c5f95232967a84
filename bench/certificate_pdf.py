"""The certificate PDF for a large framework: 12 sections × 15 proficiencies with statements of
realistic length, every one confirmed, rendered as the background task does after sign-off."""

import io
import platform
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from bench import benchmark
from stepwise.certificates.pdf import render_certificate
from stepwise.frameworks.models import Proficiency, TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory, TrustFactory, UnitFactory
from stepwise.progress.models import Decision
from stepwise.progress.services import (
    confirmation_request,
    enrolment_create,
    enrolment_sign_off,
    records_self_assess,
    request_decide,
    sign_off_request,
)
from stepwise.progress.services.confirmation import ItemDecision
from stepwise.progress.states import RecordState
from stepwise.progress.tests.conftest import build_version

SECTIONS, PER_SECTION = 12, 15
RUNS = 5
# "A few hundred milliseconds at most" for the background task.
BUDGET_SECONDS = 0.4
STATEMENT = (
    "Performs and records a systematic assessment of a critically ill patient, recognises "
    "findings that need escalation and escalates them using the unit's agreed process"
)


def _signed_off_certificate() -> int:
    version = build_version(
        slug="bench-certificate",
        sections=SECTIONS,
        per_section=PER_SECTION,
        optional_per_section=0,
        minimum_optional=0,
    )
    for number, proficiency in enumerate(Proficiency.objects.filter(version=version)):
        # Statements of one to three lines, as in the sample frameworks.
        extra = ", including " + "oxygen, suction and airway equipment, " * (number % 4)
        Proficiency.objects.filter(pk=proficiency.pk).update(
            statement=f"{STATEMENT}{extra.rstrip(', ')}."
        )
    trust = TrustFactory(name="Benchmark Teaching Hospitals NHS Foundation Trust")
    unit = UnitFactory(parent=trust, name="General Intensive Care Unit")
    TrustFramework.objects.create(trust=trust, framework=version.framework)
    learner = MembershipFactory(trust=trust, unit=unit, is_learner=True).person
    assessor = MembershipFactory(trust=trust, unit=unit, is_assessor=True).person
    educator = MembershipFactory(trust=trust, is_educator=True).person
    enrolment = enrolment_create(
        learner=learner, version=version, trust=trust, educator=educator, by=educator
    )
    records = list(enrolment.records.all())
    records_self_assess(
        enrolment=enrolment,
        by=learner,
        answers=[(r.pk, RecordState.ACHIEVED, "Done on shift") for r in records],
    )
    request = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[r.pk for r in records], assessor=assessor
    )
    request_decide(
        request=request,
        by=assessor,
        registration_body="NMC",
        registration_number="09B1234D",
        items=[ItemDecision(record_id=r.pk, outcome=Decision.Outcome.CONFIRMED) for r in records],
    )
    sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
    certificate = enrolment_sign_off(
        enrolment=enrolment,
        by=educator,
        declaration_agreed=True,
        registration_body="NMC",
        registration_number="05C7654E",
    )
    return certificate.pk


@benchmark("certificate_pdf")
def run() -> str:
    certificate_id = _signed_off_certificate()
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            content = render_certificate(certificate_id)
            timings.append(time.perf_counter() - started)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    median = statistics.median(timings)
    verdict = (
        f"Within the budget of {BUDGET_SECONDS:.1f} s."
        if median <= BUDGET_SECONDS
        else f"**Over budget:** {median:.2f} s, more than {BUDGET_SECONDS:.1f} s."
    )
    return "\n".join(
        [
            "## Certificate PDF",
            "",
            f"A certificate for a framework of {SECTIONS} sections × {PER_SECTION} proficiencies "
            "(statements of one to three lines), every one confirmed, rendered as the "
            f"background task does (reading the records, drawing, writing the PDF). Median of "
            f"{RUNS} runs. SQLite file database (WAL), Python {platform.python_version()}, "
            "2 CPUs shared with other work.",
            "",
            "| proficiencies | pages | size | render | queries |",
            "| ---: | ---: | ---: | ---: | ---: |",
            f"| {SECTIONS * PER_SECTION} | {pages} | {len(content) / 1024:.0f} KB "
            f"| {median * 1000:.0f} ms | {len(queries)} |",
            "",
            verdict,
        ]
    )
