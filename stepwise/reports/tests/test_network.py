"""Network and national reports: learners by stage per network, per Trust of a network and
per unit of a Trust, only for the networks a person leads (a national lead sees all)."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core.spreadsheet_cells import unescape_cell
from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.models import Cohort, Membership
from stepwise.organisations.tests.factories import TrustFactory, UnitFactory
from stepwise.progress.tests.staff_helpers import (
    another_learner,
    ask,
    enrol,
    in_days,
    read,
    records,
)
from stepwise.reports.models import NetworkLead

from .tables import body, page_tables

NATIONAL = reverse("reports:national")
STAGES = "Learners by stage"


def network_url(network) -> str:
    return reverse("reports:network", args=[network.pk])


def trust_url(network, trust) -> str:
    return reverse("reports:network_trust", args=[network.pk, trust.pk])


@pytest.fixture
def network(trust):
    return trust.parent


@pytest.fixture
def neighbour(network, offered, educator):
    """A second Trust in the persona Trust's network, with one learner waiting."""
    neighbour = TrustFactory(parent=network, name="Eastfield NHS Trust")
    neighbour.units = [UnitFactory(parent=neighbour, name="Eastfield ICU")]
    TrustFramework.objects.create(trust=neighbour, framework=offered.framework)
    return neighbour


@pytest.fixture
def lead(network):
    person = PersonFactory()
    NetworkLead.objects.create(person=person, network=network)
    return person


@pytest.fixture
def counted(enrolment, trust, offered, educator, assessor, other_trust, other_learner):
    """Persona Trust: one not started, one waiting for confirmation in the second unit; the
    other Trust (another network): one not started."""
    waiting = enrol(another_learner(trust, trust.units[1]), offered, trust, educator)
    ask(waiting, records(waiting)[:1], assessor=assessor)
    TrustFramework.objects.create(trust=other_trust, framework=offered.framework)
    other_educator = another_learner(other_trust)
    Membership.objects.filter(person=other_educator).update(is_educator=True)
    enrol(other_learner, offered, other_trust, other_educator)
    return waiting


def rows(client, url, **params) -> dict[str, list[str]]:
    response = client.get(url, params)
    assert response.status_code == 200
    table = page_tables(read(response))[0].get(STAGES, [None])[1:]
    return {row[0]: row[1:] for row in table}


def test_a_national_lead_sees_every_network_then_its_trusts_then_units(
    client_for, platform_admin, counted, network, trust, other_trust
):
    client = client_for(platform_admin)
    assert rows(client, NATIONAL) == {
        network.name: ["1", "0", "1", "0", "0", "0", "2"],
        other_trust.parent.name: ["1", "0", "0", "0", "0", "0", "1"],
    }
    assert rows(client, network_url(network)) == {trust.name: ["1", "0", "1", "0", "0", "0", "2"]}
    assert rows(client, trust_url(network, trust)) == {
        trust.units[0].name: ["1", "0", "0", "0", "0", "0", "1"],
        trust.units[1].name: ["0", "0", "1", "0", "0", "0", "1"],
    }
    html = read(client.get(NATIONAL))
    assert network_url(network) in html


def test_a_network_lead_sees_only_their_network_and_no_names(
    client_for, lead, counted, network, trust, neighbour, other_trust, enrolment
):
    client = client_for(lead)
    assert client.get(NATIONAL).status_code == 403
    assert set(rows(client, network_url(network))) == {trust.name}
    html = read(client.get(trust_url(network, trust)))
    assert enrolment.learner.full_name not in html
    assert counted.learner.full_name not in html
    # Another network, or a Trust outside theirs, is not found.
    assert client.get(network_url(other_trust.parent)).status_code == 404
    assert client.get(trust_url(network, other_trust)).status_code == 404
    assert client.get(trust_url(other_trust.parent, other_trust)).status_code == 404
    # The home page shows them the way in.
    assert network_url(network) in read(client.get(reverse("core:home")))


def test_an_ended_lead_and_trust_staff_see_no_network(client_for, lead, network, trust_admin):
    NetworkLead.objects.filter(person=lead).update(ended_on="2026-01-01")
    assert client_for(lead).get(network_url(network)).status_code == 404
    assert client_for(trust_admin).get(network_url(network)).status_code == 404
    assert client_for(trust_admin).get(NATIONAL).status_code == 403


def test_bad_filters_give_a_clear_message(client_for, platform_admin, counted, network):
    response = client_for(platform_admin).get(network_url(network), {"framework": "nope"})
    assert response.status_code == 200
    assert "Choose a framework from the list" in read(response)


def test_query_counts_do_not_grow_with_trusts_or_learners(
    client_for, platform_admin, counted, network, offered, educator, django_assert_max_num_queries
):
    client = client_for(platform_admin)
    cohort = Cohort.objects.create(name="Wave 1", starts_on=date(2026, 4, 1))
    cohort.trusts.add(counted.trust)
    since = {"started_from_day": "1", "started_from_month": "1", "started_from_year": "2020"}
    pages = [
        (url, params)
        for url in (NATIONAL, network_url(network), trust_url(network, counted.trust))
        # The summaries, a cohort (summaries too) and a start date (the records).
        for params in ({}, {"cohort": cohort.pk}, since)
    ] + [
        (f"{network_url(network)}export.xlsx", {}),
        (f"{network_url(network)}export.csv", {"table": "workload"}),
        (reverse("reports:national_export", args=["xlsx"]), since),
    ]

    def counts() -> list[int]:
        measured = []
        for url, params in pages:
            with django_assert_max_num_queries(40) as captured:
                response = client.get(url, params)
                assert response.status_code == 200
                b"".join(response.streaming_content if response.streaming else [response.content])
            measured.append(len(captured))
        return measured

    before = counts()
    for number in range(4):
        trust = TrustFactory(parent=network, name=f"Trust {number}")
        unit = UnitFactory(parent=trust)
        TrustFramework.objects.create(trust=trust, framework=offered.framework)
        teacher = another_learner(trust, unit)
        Membership.objects.filter(person=teacher).update(is_educator=True)
        waiting = enrol(another_learner(trust, unit), offered, trust, teacher)
        ask(waiting, records(waiting)[:1])
        enrol(
            another_learner(counted.trust, UnitFactory(parent=counted.trust)),
            offered,
            counted.trust,
            educator,
        )
    assert counts() == before


def test_cohorts_narrow_the_network_and_national_reports(
    client_for, platform_admin, lead, counted, network, trust, neighbour, other_trust, educator
):
    teacher = another_learner(neighbour)
    Membership.objects.filter(person=teacher).update(is_educator=True)
    enrol(another_learner(neighbour), counted.version, neighbour, teacher)
    first = Cohort.objects.create(name="Wave 1", starts_on=date(2026, 4, 1))
    first.trusts.add(trust, other_trust)
    elsewhere = Cohort.objects.create(name="Wave 2", starts_on=date(2026, 10, 1))
    elsewhere.trusts.add(other_trust)
    national = client_for(platform_admin)
    assert rows(national, NATIONAL, cohort=first.pk) == {
        network.name: ["1", "0", "1", "0", "0", "0", "2"],
        other_trust.parent.name: ["1", "0", "0", "0", "0", "0", "1"],
    }
    assert set(rows(national, NATIONAL, cohort=elsewhere.pk)) == {other_trust.parent.name}
    client = client_for(lead)
    assert set(rows(client, network_url(network))) == {trust.name, neighbour.name}
    assert set(rows(client, network_url(network), cohort=first.pk)) == {trust.name}
    # A cohort without a Trust in their network is no choice: a clear message.
    for bad in (elsewhere.pk, "999999", "wave"):
        response = client.get(network_url(network), {"cohort": bad})
        assert response.status_code == 200
        assert "Choose a cohort from the list" in read(response)
    html = " ".join(read(client.get(network_url(network))).split())
    assert "Wave 1 (from 1 April 2026)" in html and "Wave 2" not in html
    # A Trust's page has no cohort filter: it is one Trust.
    assert 'name="cohort"' not in read(client.get(trust_url(network, trust)))


def test_bad_dates_and_versions_on_network_reports_give_clear_messages(
    client_for, lead, counted, network
):
    client = client_for(lead)
    for params, message in (
        (
            {
                "started_from_day": "5",
                "started_from_month": "6",
                "started_from_year": "2026",
                "started_to_day": "1",
                "started_to_month": "6",
                "started_to_year": "2026",
            },
            "End of the date range must be the same as or after its start",
        ),
        ({"version": "99999"}, "Choose a framework version from the list"),
        ({"job_title": "Nobody"}, "Choose a job role from the list"),
    ):
        response = client.get(network_url(network), params)
        assert response.status_code == 200
        assert "There is a problem" in read(response) and message in read(response)


def test_network_downloads_equal_the_page(client_for, lead, counted, network, trust, other_trust):
    client = client_for(lead)
    for url in (network_url(network), trust_url(network, trust)):
        params = {"framework": counted.framework_id}
        screen = page_tables(read(client.get(url, params)))[0][STAGES]
        downloaded = body(client.get(f"{url}export.csv", params)).decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(downloaded))) == screen
        book = load_workbook(io.BytesIO(body(client.get(f"{url}export.xlsx", params))))
        assert [[str(v) for v in row] for row in book[STAGES].iter_rows(values_only=True)] == (
            screen
        )
        assert client.get(f"{url}export.pdf").status_code == 404
    # Another network's figures are not theirs to download.
    assert client.get(f"{network_url(other_trust.parent)}export.csv").status_code == 404
    assert client.get(reverse("reports:national_export", args=["csv"])).status_code == 403


def test_a_network_shows_each_trusts_figures_and_leads_to_the_trust(
    client_for, lead, counted, network, trust, neighbour, other_trust, educator
):
    teacher = another_learner(neighbour)
    Membership.objects.filter(person=teacher).update(is_educator=True)
    late = enrol(
        another_learner(neighbour), counted.version, neighbour, teacher, due_on=in_days(-2)
    )
    ask(late, records(late)[:2])
    client = client_for(lead)
    response = client.get(network_url(network))
    tables, links = page_tables(read(response))

    # Per Trust: stages, due dates, requests waiting; another network's Trust is not there.
    assert {row[0]: row[1:] for row in tables["Sign-off and due dates"][1:]} == {
        neighbour.name: ["1", "0", "0", "1", "0"],
        trust.name: ["2", "0", "0", "0", "0"],
    }
    assert {row[0]: row[1:] for row in tables["Requests waiting for assessors"][1:]} == {
        neighbour.name: ["1", "0", "0", "1"],
        trust.name: ["1", "0", "0", "1"],
    }
    assert other_trust.name not in read(response)
    # For the network as a whole: time taken, sign-offs per month, paper saved.
    assert len(tables["Sign-offs per month"]) == 25
    assert tables["Paper saved"][4] == ["Enrolments", "3"]
    # Each Trust's name leads to its page, which another network's lead may not open.
    hrefs = [href for row in links["Sign-off and due dates"] for href in row]
    assert trust_url(network, neighbour) in hrefs and trust_url(network, trust) in hrefs
    assert client.get(trust_url(network, neighbour)).status_code == 200
    assert client.get(trust_url(other_trust.parent, other_trust)).status_code == 404
    outsider = PersonFactory()
    NetworkLead.objects.create(person=outsider, network=other_trust.parent)
    assert client_for(outsider).get(trust_url(network, neighbour)).status_code == 404
    assert client_for(outsider).get(network_url(network)).status_code == 404


def test_every_network_table_downloads_as_the_page_shows_it(
    client_for, lead, counted, network, trust
):
    client = client_for(lead)
    params = {"framework": counted.framework_id}
    screen = page_tables(read(client.get(network_url(network), params)))[0]
    book = load_workbook(io.BytesIO(body(client.get(f"{network_url(network)}export.xlsx", params))))
    # Every table the page shows (one with no rows shows a sentence instead: its sheet has
    # only the headings).
    assert set(screen) <= set(book.sheetnames) and len(book.sheetnames) == 7
    for caption, table in screen.items():
        sheet = [
            ["" if v is None else str(unescape_cell(v) if isinstance(v, str) else v) for v in row]
            for row in book[caption].iter_rows(values_only=True)
        ]
        assert sheet == table, caption
    html = read(client.get(network_url(network), params))
    for key in ("places", "due", "supernumerary", "workload", "times", "months", "paper"):
        assert f"export.csv?table={key}&framework={counted.framework_id}" in html
    downloaded = body(client.get(f"{network_url(network)}export.csv", {**params, "table": "due"}))
    assert (
        list(csv.reader(io.StringIO(downloaded.decode("utf-8-sig"))))
        == (screen["Sign-off and due dates"])
    )
    assert client.get(f"{network_url(network)}export.csv", {"table": "nope"}).status_code == 404
