"""The training certificate's Open Badges 3.0 credential passes the very tests a Step
certificate's passes: the certificates app's standards and signature test classes, run
against a training certificate instead of a signed-off enrolment."""

import pytest
from pyld import jsonld

from stepwise.certificates import credentials
from stepwise.certificates.tests import test_credentials as step
from stepwise.certificates.tests.standards import offline_loader
from stepwise.training.tests.conftest import complete, read_all


@pytest.fixture
def training_certificate(learner, version):
    read_all(learner, version)
    return complete(learner, version, learner.memberships.current().get()).certificate


@pytest.fixture
def credential(training_certificate) -> dict:
    return credentials.credential_for(training_certificate)


@pytest.fixture
def token(training_certificate) -> str:
    return credentials.signed_credential(training_certificate)


class TestTrainingCredentialStandards(step.TestStandards):
    def test_json_ld_expansion_drops_no_term(self, credential):
        # The Step test's floor of 40 terms counts its CASE alignments, which training has
        # none of; the check that matters, no term dropped, is the same.
        expanded = jsonld.expand(credential, {"documentLoader": offline_loader})
        assert step.compact_terms(credential) == step.expanded_properties(expanded)
        assert step.compact_terms(credential) > 25


class TestTrainingCredentialSignature(step.TestSignature):
    pass
