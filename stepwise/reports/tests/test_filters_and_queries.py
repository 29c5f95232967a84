"""Filters in the address, bad values as clear messages (never a 500), and a page cost that
does not grow with the number of learners, units or assessors."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.frameworks.models import FrameworkVersion, TrustFramework
from stepwise.organisations.tests.factories import UnitFactory
from stepwise.progress.models import Enrolment
from stepwise.progress.tests.conftest import build_version
from stepwise.progress.tests.staff_helpers import another_learner, ask, enrol, read, records
from stepwise.reports import forms

from .tables import page_tables

URL = reverse("reports:dashboard")
LIST = reverse("reports:learners")
STAGES = "Learners by stage"


def started(days_ago: int) -> dict:
    when = timezone.localdate() - timedelta(days=days_ago)
    return {"day": when.day, "month": when.month, "year": when.year}


def date_params(name: str, parts: dict) -> dict:
    return {f"{name}_{part}": value for part, value in parts.items()}


def test_filters_by_framework_unit_and_start_date(client_for, educator, enrolment, trust, offered):
    other = build_version(slug="step-2")
    TrustFramework.objects.create(trust=trust, framework=other.framework)
    on_two = enrol(another_learner(trust, trust.units[1]), other, trust, educator)
    old = enrol(another_learner(trust), offered, trust, educator)
    Enrolment.objects.filter(pk=old.pk).update(enrolled_at=timezone.now() - timedelta(days=90))
    client = client_for(educator)

    def frameworks(**params) -> dict:
        rows = page_tables(read(client.get(URL, params)))[0].get(STAGES, [])[1:]
        return {row[0]: row[7] for row in rows}

    assert frameworks() == {"Sample step-1": "2", "Sample step-2": "1"}
    assert frameworks(framework=other.framework_id) == {"Sample step-2": "1"}
    assert frameworks(unit=trust.units[1].pk) == {"Sample step-2": "1"}
    assert frameworks(**date_params("started_to", started(30))) == {"Sample step-1": "1"}
    assert frameworks(**date_params("started_from", started(30))) == {
        "Sample step-1": "1",
        "Sample step-2": "1",
    }
    # The named list keeps the filters it was reached with.
    html = read(client.get(LIST, {"show": "not_started", **date_params("started_to", started(30))}))
    assert old.learner.full_name in html and enrolment.learner.full_name not in html
    assert on_two.learner.full_name not in html


def test_bad_filters_give_clear_messages_and_keep_the_good_ones(
    client_for, educator, enrolment, other_trust
):
    client = client_for(educator)
    cases = [
        ({"framework": "999999"}, "Choose a framework from the list"),
        ({"framework": "step-1"}, "Choose a framework from the list"),
        ({"unit": other_trust.units[0].pk}, "Choose a unit from the list"),
        (
            {**date_params("started_from", started(1)), **date_params("started_to", started(5))},
            "End of the date range must be the same as or after its start",
        ),
        (
            date_params("started_from", {"day": "31", "month": "2", "year": "2026"}),
            "Start of the date range must be a real date",
        ),
    ]
    for params, message in cases:
        for url in (URL, LIST):
            response = client.get(url, {"show": "not_started", **params})
            assert response.status_code == 200, params
            html = read(response)
            assert "There is a problem" in html and message in html, params
            # The other filters still apply: the learner is still counted and listed.
            assert enrolment.learner.full_name in html or url == URL


def test_an_unknown_named_list_is_not_found(client_for, educator):
    client = client_for(educator)
    assert client.get(LIST).status_code == 404
    assert client.get(LIST, {"show": "everyone"}).status_code == 404


def test_query_counts_do_not_grow_with_learners_units_or_assessors(
    client_for, educator, period, enrolment, trust, assessor, django_assert_max_num_queries
):
    offered = period
    client = client_for(educator)
    ask(enrolment, records(enrolment)[:1], assessor=assessor)
    User.objects.filter(pk=enrolment.learner_id).update(job_title="Staff nurse")

    def counts() -> dict[str, int]:
        measured = {}
        since = {"started_from_day": "1", "started_from_month": "1", "started_from_year": "2020"}
        for name, url, params in (
            ("dashboard", URL, {}),
            # Filters the summaries do not carry count the records, in as many queries.
            ("by start date", URL, since),
            ("by job role", URL, {"job_title": "Staff nurse"}),
            ("list", LIST, {"show": "awaiting_confirmation"}),
            ("supernumerary list", LIST, {"show": "supernumerary_now"}),
            ("xlsx", reverse("reports:export", args=["xlsx"]), {}),
            ("xlsx by start date", reverse("reports:export", args=["xlsx"]), since),
        ):
            with django_assert_max_num_queries(50) as captured:
                assert client.get(url, params).status_code == 200
            measured[name] = len(captured)
        return measured

    before = counts()
    for number in range(6):
        unit = UnitFactory(parent=trust, name=f"Ward {number}")
        learner = enrol(another_learner(trust, unit), offered, trust, educator)
        ask(learner, records(learner)[:1], unit=unit)
        User.objects.filter(pk=learner.learner_id).update(job_title="Staff nurse")
    assert counts() == before


def test_filters_by_framework_version_and_job_role(client_for, educator, enrolment, trust, offered):
    newer = build_version(framework=offered.framework, label="2.0")
    on_newer = enrol(another_learner(trust), newer, trust, educator)
    User.objects.filter(pk=on_newer.learner_id).update(job_title="Staff nurse, band 5")
    User.objects.filter(pk=enrolment.learner_id).update(job_title="")
    client = client_for(educator)

    def listed(**params) -> set[str]:
        rows = page_tables(read(client.get(LIST, {"show": "not_started", **params})))[0]
        return {row[0] for table in rows.values() for row in table[1:]}

    assert listed() == {enrolment.learner.full_name, on_newer.learner.full_name}
    assert listed(version=newer.pk) == {on_newer.learner.full_name}
    assert listed(version=offered.pk) == {enrolment.learner.full_name}
    assert listed(job_title="Staff nurse, band 5") == {on_newer.learner.full_name}
    html = read(client.get(URL))
    # Only job roles the Trust's learners have are offered.
    options = " ".join(html.split())
    assert '<option value="Staff nurse, band 5" >Staff nurse, band 5</option>' in options
    assert f'<option value="{newer.pk}" >Sample step-1 version 2.0</option>' in options


def test_bad_version_and_job_role_give_clear_messages(
    client_for, educator, enrolment, trust, offered
):
    other = build_version(slug="step-2")
    unpublished = FrameworkVersion.objects.create(
        framework=offered.framework, label="3.0", created_by=educator
    )
    client = client_for(educator)
    cases = [
        ({"version": other.pk}, "Choose a framework version from the list"),
        ({"version": unpublished.pk}, "Choose a framework version from the list"),
        ({"version": "latest"}, "Choose a framework version from the list"),
        ({"job_title": "Matron"}, "Choose a job role from the list"),
    ]
    TrustFramework.objects.create(trust=trust, framework=other.framework)
    cases[0] = (
        {"framework": offered.framework_id, "version": other.pk},
        "Choose a version of the framework you chose, or all versions",
    )
    for params, message in cases:
        for url in (URL, LIST):
            response = client.get(url, {"show": "not_started", **params})
            assert response.status_code == 200, params
            html = read(response)
            assert "There is a problem" in html and message in html, params


def test_the_filters_with_nothing_chosen_are_kept_between_requests_and_follow_new_choices(
    client_for, trust_admin, enrolment, trust
):
    forms.REMEMBERED.clear()
    client = client_for(trust_admin)

    def filter_form(response) -> str:
        html = read(response)
        start = html.index('<form method="get"')
        return html[start : html.index("</form>", start)]

    first = filter_form(client.get(URL))
    assert len(forms.REMEMBERED) == 1
    # Kept: the same form again, made from the kept markup, as it is made afresh.
    assert filter_form(client.get(URL)) == first
    forms.REMEMBERED.clear()
    assert filter_form(client.get(URL)) == first
    # A new unit is a new choice: new markup, not the kept one.
    UnitFactory(parent=trust, name="Ward Kept")
    assert "Ward Kept" in read(client.get(URL))
    assert len(forms.REMEMBERED) == 2
    # Chosen filters are rendered each time, with the choice shown.
    html = read(client.get(URL, {"unit": trust.units[0].pk}))
    assert f'value="{trust.units[0].pk}" selected' in html
    assert len(forms.REMEMBERED) == 2
