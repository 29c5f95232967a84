"""Progress tells the apps above it that a sign-off happened (it never imports them): the
certificates app issues the certificate on `enrolment_signed_off`, inside the sign-off's
transaction."""

import pytest

from stepwise.certificates.models import Certificate
from stepwise.progress.models import EnrolmentEvent
from stepwise.progress.services import enrolment_sign_off, sign_off_request
from stepwise.progress.signals import enrolment_signed_off
from stepwise.progress.states import EnrolmentEventKind, EnrolmentState

from .factories import confirm_everything_required

PIN = {"registration_body": "NMC", "registration_number": "05C7654E"}


@pytest.fixture
def waiting(enrolment, learner, assessor):
    confirm_everything_required(enrolment, learner, assessor)
    sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
    return enrolment


@pytest.fixture
def heard():
    """What receivers of the signal are told, and a way to make one fail."""
    calls, failing = [], []

    def receiver(sender, **kwargs):
        calls.append(kwargs)
        if failing:
            raise RuntimeError("the receiver failed")

    enrolment_signed_off.connect(receiver, dispatch_uid="test-sign-off-receiver")
    yield calls, failing
    enrolment_signed_off.disconnect(dispatch_uid="test-sign-off-receiver")


def test_the_certificate_comes_from_the_signal_with_who_signed(waiting, educator, heard):
    calls, _failing = heard
    certificate = enrolment_sign_off(enrolment=waiting, by=educator, declaration_agreed=True, **PIN)
    assert [call["signer"] for call in calls] == [educator]
    assert calls[0]["enrolment"].pk == waiting.pk
    assert calls[0]["signer_registration"] == "NMC 05C7654E"
    assert Certificate.objects.get() == certificate
    assert certificate.enrolment_id == waiting.pk


def test_a_receiver_that_fails_undoes_the_sign_off_and_the_certificate(waiting, educator, heard):
    _calls, failing = heard
    failing.append(True)
    with pytest.raises(RuntimeError):
        enrolment_sign_off(enrolment=waiting, by=educator, declaration_agreed=True, **PIN)
    waiting.refresh_from_db()
    assert waiting.state == EnrolmentState.SIGN_OFF_REQUESTED
    assert not Certificate.objects.exists()
    assert not EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.SIGNED_OFF).exists()
