"""Certificates issued before digital credentials get their status place and hashed email
when the migration runs."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from stepwise.certificates.tests.test_views_revocation import make_certificates

BEFORE = [("certificates", "0001_initial")]
AFTER = [("certificates", "0003_status_index_required")]


@pytest.mark.django_db(transaction=True)
def test_existing_certificates_are_filled_in(signed_off):
    make_certificates(signed_off.enrolment, 2)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    old = executor.loader.project_state(BEFORE).apps.get_model("certificates", "Certificate")
    emails = dict(old.objects.values_list("pk", "enrolment__learner__email"))
    assert len(emails) == 3

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    new = executor.loader.project_state(AFTER).apps.get_model("certificates", "Certificate")
    places = set()
    for certificate in new.objects.all():
        assert certificate.status_list == 1
        places.add(certificate.status_index)
        digest = hashlib.sha256(
            (emails[certificate.pk] + certificate.recipient_salt).encode()
        ).hexdigest()
        assert certificate.recipient_hash == f"sha256${digest}"
    assert len(places) == 3
