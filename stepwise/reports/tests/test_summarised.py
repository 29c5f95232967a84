"""The dashboards read the summaries the progress services keep: the same figures as
counting the records, for every scope and filter the summaries carry, and a decision shows
at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.models import Cohort
from stepwise.organisations.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    UnitFactory,
)
from stepwise.progress.models import ConfirmationRequest, Decision
from stepwise.progress.services import (
    enrolment_sign_off,
    enrolment_withdraw,
    request_decide,
)
from stepwise.progress.services.confirmation import ActionInput, ItemDecision
from stepwise.progress.summaries import rebuild
from stepwise.progress.summary_models import StageSummary
from stepwise.progress.tests.staff_helpers import (
    PIN,
    another_learner,
    ask,
    confirm,
    enrol,
    in_days,
    read,
    ready_for_sign_off,
    records,
)
from stepwise.reports import queries
from stepwise.reports.figures import Counted, Summarised
from stepwise.reports.forms import Filters
from stepwise.reports.summarised import answers, where_for

from .tables import page_tables

FIGURES = (
    "stage_counts",
    "confirmed_shares",
    "due_counts",
    "workload",
    "median_days",
    "monthly_counts",
    "paper_saved",
    "supernumerary_counts",
)


@pytest.fixture
def journeys(trust, period, educator, assessor, enrolment, other_trust):
    """Learners at every stage in both units of the Trust, and one at another Trust, on a
    version with a supernumerary period."""
    offered = period
    first, second = trust.units
    ask(enrolment, records(enrolment)[:2], assessor=assessor)
    pooled = enrol(another_learner(trust, second), offered, trust, educator, due_on=in_days(10))
    ask(pooled, records(pooled)[:1], unit=second)
    rejected = enrol(another_learner(trust, first), offered, trust, educator, due_on=in_days(-3))
    chosen = records(rejected)[:2]
    request = ask(rejected, chosen, assessor=assessor)
    request_decide(
        request=request,
        by=assessor,
        items=[
            ItemDecision(chosen[0].pk, Decision.Outcome.CONFIRMED),
            ItemDecision(
                chosen[1].pk, Decision.Outcome.REJECTED, actions=[ActionInput("Do", in_days(5))]
            ),
        ],
        **PIN,
    )
    signed = enrol(another_learner(trust, second), offered, trust, educator)
    ready_for_sign_off(signed, assessor)
    enrolment_sign_off(enrolment=signed, by=educator, declaration_agreed=True, **PIN)
    waiting = enrol(another_learner(trust, first), offered, trust, educator, due_on=in_days(40))
    ready_for_sign_off(waiting, assessor)
    gone = enrol(another_learner(trust, first), offered, trust, educator)
    enrolment_withdraw(enrolment=gone, by=educator)
    enrol(another_learner(trust, UnitFactory(parent=trust)), offered, trust, educator)


def same(name: str, value):
    """Stages within one framework or place come in no particular order (the tables put
    them in columns); everything else must match in order too."""
    if name.startswith("stage_counts"):
        return sorted(value, key=lambda row: sorted((k, str(v)) for k, v in row.items()))
    return value


def both(filters: Filters, **place):
    summarised = Summarised(where_for(filters, **place))
    if "network" in place:
        found = queries.all_enrolments(filters, trust__parent=place["network"])
    elif "trust" in place:
        found = queries.enrolments(queries.Scope(place["trust"], place.get("unit")), filters)
    else:
        found = queries.all_enrolments(filters)
    return Counted(found), summarised


@pytest.mark.usefixtures("journeys")
def test_every_figure_read_from_the_summaries_equals_the_count_from_the_records(trust, offered):
    first, second = trust.units
    for filters, place in (
        (Filters(), {"trust": trust}),
        (Filters(unit_id=second.pk), {"trust": trust}),
        (Filters(framework_id=offered.framework_id), {"trust": trust}),
        (Filters(framework_id=offered.framework_id + 99), {"trust": trust}),
        (Filters(version_id=offered.pk), {"trust": trust}),
        (Filters(version_id=offered.pk + 99), {"trust": trust}),
        (Filters(), {"trust": trust, "unit": first}),
        (Filters(unit_id=second.pk), {"trust": trust, "unit": first}),
    ):
        counted, summarised = both(filters, **place)
        for name in FIGURES:
            assert same(name, getattr(summarised, name)()) == same(
                name, getattr(counted, name)()
            ), (name, filters, place)
    for place, by in (({}, "trust__parent"), ({"trust": trust}, "unit")):
        counted, summarised = both(Filters(), **place)
        assert same("stage_counts", summarised.stage_counts_by(by)) == same(
            "stage_counts", counted.stage_counts_by(by)
        )


NETWORK_FIGURES = (
    ("stage_counts_by", {"place": "trust"}),
    ("due_counts", {"by": "trust"}),
    ("supernumerary_counts", {"by": "trust"}),
    ("waiting_by_trust", {}),
    ("median_days", {}),
    ("monthly_counts", {}),
    ("paper_saved", {}),
)


@pytest.mark.usefixtures("journeys")
def test_networks_and_trusts_read_from_the_summaries_equal_the_records(
    trust, other_trust, period, other_learner
):
    network = NetworkFactory()
    for member in (trust, other_trust):
        member.parent = network
        member.save(update_fields=["parent"])
    other_educator = MembershipFactory(trust=other_trust, is_educator=True).person
    TrustFramework.objects.create(trust=other_trust, framework=period.framework)
    elsewhere = enrol(other_learner, period, other_trust, other_educator, due_on=in_days(-1))
    ask(elsewhere, records(elsewhere)[:1])
    cohort = Cohort.objects.create(name="Wave 1", starts_on=in_days(-30))
    cohort.trusts.add(other_trust)
    for filters in (Filters(), Filters(cohort_id=cohort.pk)):
        counted, summarised = both(filters, network=network)
        for name, by in NETWORK_FIGURES:
            assert same(name, getattr(summarised, name)(**by)) == same(
                name, getattr(counted, name)(**by)
            ), (name, filters)
        assert len(summarised.due_counts(by="trust")) == (1 if filters.cohort_id else 2)
        counted, summarised = both(filters)
        assert same("stage_counts", summarised.stage_counts_by("trust__parent")) == same(
            "stage_counts", counted.stage_counts_by("trust__parent")
        )


def test_a_start_date_or_job_role_filter_counts_the_records_the_summaries_cannot_tell_apart():
    assert answers(Filters(framework_id=1, unit_id=2))
    assert not answers(Filters(started_from=in_days(-30)))
    assert not answers(Filters(started_to=in_days(0)))
    assert not answers(Filters(job_title="Staff nurse"))
    assert answers(Filters(cohort_id=1))


def test_a_decision_shows_on_the_dashboard_at_once(client_for, educator, enrolment, assessor):
    chosen = records(enrolment)[:3]
    request = ask(enrolment, chosen, assessor=assessor)
    client = client_for(educator)

    def stages() -> list[str]:
        html = read(client.get(reverse("reports:dashboard")))
        return page_tables(html)[0]["Learners by stage"][1][1:7]

    # Not started, in progress, waiting for confirmation, for sign-off, signed off, withdrawn.
    assert stages() == ["0", "0", "1", "0", "0", "0"]
    confirm(request, assessor, chosen)
    assert stages() == ["0", "1", "0", "0", "0", "0"]


def test_the_summaries_are_what_the_dashboard_reads(client_for, educator, enrolment):
    """Summaries edited by hand show on the page: it does not count the records."""
    StageSummary.objects.filter(stage="not_started").update(enrolments=41)
    html = read(client_for(educator).get(reverse("reports:dashboard")))
    assert page_tables(html)[0]["Learners by stage"][1][1] == "41"


def test_old_requests_fall_into_age_bands_by_whole_days(enrolment, assessor, trust):
    now = timezone.now()
    for index, days in enumerate((0, 6, 7, 13, 14, 20)):
        chosen = records(enrolment)[index : index + 1]
        request = ask(enrolment, chosen, assessor=assessor)
        ConfirmationRequest.objects.filter(pk=request.pk).update(
            requested_at=now - timedelta(days=days)
        )
    rebuild()
    counted, summarised = both(Filters(), trust=trust)
    assert summarised.workload() == counted.workload()
    row = summarised.workload()[0]
    assert (row["under_week"], row["week_to_fortnight"], row["over_fortnight"]) == (2, 2, 2)
