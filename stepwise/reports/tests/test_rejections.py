"""Rejection rates per section and proficiency, for framework authors, without names."""

from django.urls import reverse

from stepwise.progress.models import Decision
from stepwise.progress.services import request_decide
from stepwise.progress.services.confirmation import ActionInput, ItemDecision
from stepwise.progress.tests.staff_helpers import (
    PIN,
    another_learner,
    ask,
    enrol,
    in_days,
    read,
    records,
)
from stepwise.reports import rejections

from .tables import page_tables


def rejections_url(version) -> str:
    return reverse("reports:framework_rejections", args=[version.framework.slug])


def decide(request, assessor, confirmed, rejected):
    plan = [ActionInput("Practise under supervision", in_days(14))]
    request_decide(
        request=request,
        by=assessor,
        items=[ItemDecision(r.pk, Decision.Outcome.CONFIRMED) for r in confirmed]
        + [ItemDecision(r.pk, Decision.Outcome.REJECTED, actions=plan) for r in rejected],
        **PIN,
    )


def test_authors_see_rejection_rates_without_names(
    client_for, framework_author, enrolment, assessor, offered
):
    chosen = records(enrolment)
    # Section 1: 1.1 rejected, 1.2 confirmed; section 2: 2.1 confirmed.
    decide(ask(enrolment, chosen[:5], assessor=assessor), assessor, chosen[1:5], chosen[:1])
    client = client_for(framework_author)
    assert rejections_url(offered) in read(client.get(reverse("reports:frameworks")))
    html = read(client.get(rejections_url(offered)))
    tables = page_tables(html)[0]
    assert tables["Rejections by section"][1:] == [
        ["1 Section 1", "4", "1", "25%"],
        ["2 Section 2", "1", "0", "0%"],
    ]
    assert tables["Rejections by proficiency"][1] == ["1.1 Statement 1.1", "1", "1", "100%"]
    assert enrolment.learner.full_name not in html
    assert assessor.full_name not in html


def test_only_authors_and_the_service_team_see_them(
    client_for, educator, trust_admin, platform_admin, offered
):
    for person in (educator, trust_admin):
        assert client_for(person).get(rejections_url(offered)).status_code == 403
        assert client_for(person).get(reverse("reports:frameworks")).status_code == 403
    assert client_for(platform_admin).get(rejections_url(offered)).status_code == 200


def test_an_unknown_framework_is_not_found(client_for, framework_author, db):
    url = reverse("reports:framework_rejections", args=["no-such-framework"])
    assert client_for(framework_author).get(url).status_code == 404


def test_the_page_reads_the_summaries_which_equal_the_decisions(
    client_for,
    framework_author,
    enrolment,
    assessor,
    offered,
    trust,
    educator,
    django_assert_max_num_queries,
):
    chosen = records(enrolment)
    decide(ask(enrolment, chosen[:3], assessor=assessor), assessor, chosen[:1], chosen[1:3])
    framework = offered.framework
    assert rejections.summarised(framework) == (
        rejections.by_section(framework),
        rejections.by_proficiency(framework),
    )
    client = client_for(framework_author)
    with django_assert_max_num_queries(20) as before:
        client.get(rejections_url(offered))
    # More learners and decisions, at another unit: the same figures both ways, and the page
    # costs the same queries.
    for number in range(3):
        other = enrol(another_learner(trust, trust.units[1]), offered, trust, educator)
        mine = records(other)
        decide(
            ask(other, mine[: 4 + number], assessor=assessor),
            assessor,
            mine[:2],
            mine[2 : 4 + number],
        )
    assert rejections.summarised(framework) == (
        rejections.by_section(framework),
        rejections.by_proficiency(framework),
    )
    with django_assert_max_num_queries(20) as after:
        html = read(client.get(rejections_url(offered)))
    assert len(after) == len(before)
    assert page_tables(html)[0]["Rejections by section"][1] == ["1 Section 1", "15", "8", "53%"]
