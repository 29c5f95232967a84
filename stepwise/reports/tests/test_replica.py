"""With a replica set up, the report pages read from it; everything else (and the reports'
own check of who is asking) stays on the primary."""

import pytest
from django.db import connections
from django.urls import reverse

from stepwise.progress.models import Enrolment
from stepwise.reports import routers
from stepwise.reports.routers import REPLICA, ReportsReplicaRouter, reading_reports


@pytest.fixture
def replica(monkeypatch):
    """A second database alias. It shares the test database's connection, so it sees the
    test's rows, as a replica sees the primary's."""
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    connections[REPLICA] = connections["default"]
    reads: list[tuple[str, str | None]] = []
    real = ReportsReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = real(self, model, **hints)
        reads.append((model._meta.label, alias))
        return alias

    monkeypatch.setattr(ReportsReplicaRouter, "db_for_read", spy)
    yield reads
    del connections[REPLICA]


def test_without_a_replica_everything_reads_the_primary():
    router = ReportsReplicaRouter()
    with reading_reports():
        assert router.db_for_read(Enrolment) is None
    assert router.allow_migrate(REPLICA, "progress") is False
    assert router.allow_migrate("default", "progress") is None


def test_report_pages_read_from_the_replica(client_for, educator, enrolment, replica):
    client = client_for(educator)
    for url, params in (
        (reverse("reports:dashboard"), {}),
        (reverse("reports:learners"), {"show": "not_started"}),
        (reverse("reports:export", args=["xlsx"]), {}),
    ):
        replica.clear()
        response = client.get(url, params)
        assert response.status_code == 200
        routed = dict(replica)
        assert routed["progress.Enrolment"] == REPLICA
        # Who is asking, and in which Trust, is read from the primary before the report.
        assert routed["organisations.Membership"] is None


def test_other_pages_keep_to_the_primary(client_for, educator, enrolment, replica):
    assert client_for(educator).get(reverse("progress:enrolments")).status_code == 200
    assert replica and all(alias is None for _, alias in replica)
