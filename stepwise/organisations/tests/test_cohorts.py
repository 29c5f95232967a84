"""Cohorts: the service team groups Trusts that start together, in the Django admin."""

from datetime import date

from stepwise.organisations.models import Cohort
from stepwise.organisations.tests.factories import CohortFactory, UnitFactory

ADMIN = "/platform-admin/organisations/cohort/"


def test_a_cohort_lists_its_trusts_and_a_trust_knows_its_cohorts(trust, other_trust):
    first = CohortFactory(name="Cohort 1", starts_on=date(2026, 1, 5), trusts=[trust])
    second = CohortFactory(name="Cohort 2", starts_on=date(2026, 4, 6), trusts=[trust, other_trust])
    assert list(first.trusts.all()) == [trust]
    assert list(trust.cohorts.all()) == [first, second]
    assert list(Cohort.objects.with_trust(other_trust)) == [second]
    assert str(first) == "Cohort 1"


def test_the_service_team_makes_a_cohort_of_trusts_in_the_admin(
    client_for, platform_admin, trust, other_trust
):
    client = client_for(platform_admin)
    assert client.get(ADMIN + "add/").status_code == 200
    response = client.post(
        ADMIN + "add/",
        {"name": "Cohort 1", "starts_on": "2026-01-05", "trusts": [trust.pk, other_trust.pk]},
    )
    assert response.status_code == 302, response.content.decode()
    cohort = Cohort.objects.get()
    assert (cohort.name, cohort.starts_on) == ("Cohort 1", date(2026, 1, 5))
    assert set(cohort.trusts.all()) == {trust, other_trust}
    listing = client.get(ADMIN).content.decode()
    assert "Cohort 1" in listing


def test_only_trusts_go_in_a_cohort(client_for, platform_admin, trust):
    unit = UnitFactory(parent=trust)
    response = client_for(platform_admin).post(
        ADMIN + "add/", {"name": "Cohort 1", "starts_on": "2026-01-05", "trusts": [unit.pk]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Cohort.objects.exists()


def test_two_cohorts_cannot_share_a_name(client_for, platform_admin):
    CohortFactory(name="Cohort 1")
    response = client_for(platform_admin).post(
        ADMIN + "add/", {"name": "Cohort 1", "starts_on": "2026-01-05"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_a_cohort_is_never_deleted(client_for, platform_admin):
    cohort = CohortFactory()
    response = client_for(platform_admin).post(f"{ADMIN}{cohort.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Cohort.objects.filter(pk=cohort.pk).exists()


def test_trust_staff_cannot_reach_cohorts(client_for, trust_admin):
    response = client_for(trust_admin).get(ADMIN, follow=True)
    assert response.status_code == 403
