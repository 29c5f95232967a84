"""A learner signed off through the real services, so the certificate is what sign-off makes;
signing keys generated for the tests (the public standards are in standards.py)."""

import json
from functools import lru_cache

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache
from django.test import TestCase

from stepwise.certificates.models import Certificate
from stepwise.progress.models import Decision
from stepwise.progress.services import (
    confirmation_request,
    enrolment_sign_off,
    records_self_assess,
    request_decide,
    sign_off_request,
)
from stepwise.progress.services.confirmation import ItemDecision
from stepwise.progress.states import RecordState
from stepwise.progress.tests.conftest import build_version, enrolment, offered, version

__all__ = ["build_version", "enrolment", "offered", "version"]

ASSESSOR_REGISTRATION = ("NMC", "09B1234D")
SIGNER_REGISTRATION = ("NMC", "05C7654E")


def confirm_all(enrolment, learner, assessor) -> list:
    """Every required proficiency and the first optional one, confirmed by the assessor."""
    records = list(
        enrolment.records.select_related("proficiency").order_by(
            "proficiency__section__position", "proficiency__position"
        )
    )
    chosen = [r for r in records if not r.proficiency.optional]
    chosen += [r for r in records if r.proficiency.optional][:1]
    records_self_assess(
        enrolment=enrolment,
        by=learner,
        answers=[(r.pk, RecordState.ACHIEVED, "I did this on shift") for r in chosen],
    )
    request = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[r.pk for r in chosen], assessor=assessor
    )
    request_decide(
        request=request,
        by=assessor,
        registration_body=ASSESSOR_REGISTRATION[0],
        registration_number=ASSESSOR_REGISTRATION[1],
        items=[ItemDecision(record_id=r.pk, outcome=Decision.Outcome.CONFIRMED) for r in chosen],
    )
    return chosen


def sign_off(enrolment, learner, assessor, educator, *, make_pdf: bool) -> Certificate:
    """Confirm everything, ask for sign-off and sign off. With `make_pdf`, the after-commit
    callbacks run, so the (immediate) task backend makes the PDF as the worker would."""
    confirm_all(enrolment, learner, assessor)
    sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
    with TestCase.captureOnCommitCallbacks(execute=make_pdf):
        certificate = enrolment_sign_off(
            enrolment=enrolment,
            by=educator,
            declaration_agreed=True,
            registration_body=SIGNER_REGISTRATION[0],
            registration_number=SIGNER_REGISTRATION[1],
        )
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def signed_off(enrolment, learner, assessor, educator) -> Certificate:
    """A certificate whose PDF has been made."""
    return sign_off(enrolment, learner, assessor, educator, make_pdf=True)


@pytest.fixture
def pdf_pending(enrolment, learner, assessor, educator) -> Certificate:
    """A certificate whose PDF the worker has not made yet."""
    return sign_off(enrolment, learner, assessor, educator, make_pdf=False)


# Signing keys ----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def rsa_pem(name: str, bits: int = 3072) -> str:
    """A private key in PEM, made once per name for the whole test run."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def key_config(*names: str) -> str:
    """STEPWISE_SIGNING_KEYS for these kids, newest (signing) first."""
    return json.dumps([{"kid": name, "private_key": rsa_pem(name)} for name in names])


@pytest.fixture(autouse=True)
def signing_keys(settings, tmp_path):
    """A generated key, as production would configure one; nothing is written to data/."""
    settings.STEPWISE_SIGNING_KEYS = key_config("test-2026")
    settings.STEPWISE_SIGNING_KEYS_FILE = ""
    settings.STEPWISE_SIGNING_KEYS_DIR = tmp_path / "signing-keys"
    return settings.STEPWISE_SIGNING_KEYS


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Rate-limit counts in the cache (Redis, when the tests run with REDIS_URL) outlive a test:
    start each at zero. Counts in the database table go with the test's transaction."""
    cache.clear()
    yield
    cache.clear()
