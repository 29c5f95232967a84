from stepwise.organisations.tests.factories import NetworkFactory
from stepwise.reports.models import NetworkLead

ADD = "/platform-admin/reports/networklead/add/"


def test_a_network_lead_given_a_person_id_that_is_not_a_number_is_refused(
    client_for, platform_admin
):
    # "²" is a digit to str.isdigit() that int() cannot read: the autocomplete field this
    # was, shown again with it, was a 500.
    network = NetworkFactory()
    client = client_for(platform_admin)
    for person in ("²", "9" * 30, "Ann"):
        response = client.post(
            ADD, {"person": person, "network": network.pk, "started_on": "04/12/2026"}
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not NetworkLead.objects.exists()


def test_a_network_lead_is_added_by_the_person_s_id(client_for, platform_admin):
    network = NetworkFactory()
    response = client_for(platform_admin).post(
        ADD, {"person": platform_admin.pk, "network": network.pk, "started_on": "04/12/2026"}
    )
    assert response.status_code == 302
    assert NetworkLead.objects.get().person == platform_admin
