"""Two administrators revoking one certificate at the same moment, with real threads on
whichever database the suite runs on: one wins, the other is told who and when."""

import pytest

from stepwise.certificates import status
from stepwise.certificates.models import Certificate, CertificateEvent
from stepwise.certificates.services import certificate_revoke
from stepwise.certificates.tests.factories import another_enrolment, unsaved_certificate
from stepwise.core.errors import ConflictError
from stepwise.core.tests.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_admins_revoking_at_once(signed_off, trust_admin, platform_admin):
    def revoke(person, reason):
        return lambda: certificate_revoke(
            certificate=Certificate.objects.get(pk=signed_off.pk), by=person, reason=reason
        )

    results, errors = at_once(revoke(trust_admin, "First"), revoke(platform_admin, "Second"))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    signed_off.refresh_from_db()
    assert f"already revoked by {signed_off.revoked_by.full_name} on" in str(errors[0])
    assert CertificateEvent.objects.filter(certificate=signed_off, kind="revoked").count() == 1


def test_two_sign_offs_at_once_get_different_status_places(signed_off):
    def issue():
        certificate = unsaved_certificate(another_enrolment(signed_off.enrolment))
        return lambda: status.entry_assign(certificate=certificate)

    results, errors = at_once(issue(), issue(), issue())
    assert errors == []
    places = {(c.status_list, c.status_index) for c in Certificate.objects.all()}
    assert len(places) == 4
