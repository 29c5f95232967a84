"""A Trust that requires training stops an untrained assessor's decision, and an untrained
educator's sign-off, in the progress services themselves (not only on the pages)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.certificates.services import certificate_revoke
from stepwise.certificates.tests.conftest import SIGNER_REGISTRATION, confirm_all
from stepwise.core.errors import ConflictError
from stepwise.progress.guards import Refused
from stepwise.progress.models import Decision, ProficiencyRecord
from stepwise.progress.services import (
    confirmation_request,
    enrolment_sign_off,
    records_self_assess,
    request_decide,
    sign_off_request,
)
from stepwise.progress.services.confirmation import ItemDecision
from stepwise.progress.states import RecordState
from stepwise.progress.tests.conftest import enrolment, offered, version
from stepwise.training.models import Audience, Completion, TrainingEvent
from stepwise.training.services.rules import rule_set
from stepwise.training.tests.conftest import complete, make_package, read_all

__all__ = ["enrolment", "offered", "version"]


def require(trust, trust_admin, *, assessors=False, educators=False):
    rule_set(
        trust=trust,
        by=trust_admin,
        membership=trust_admin.memberships.current().get(),
        assessors_must_train=assessors,
        educators_must_train=educators,
    )


def train(person, framework_author, audience, slug):
    package = make_package(framework_author, slug=slug, title=f"For {slug}", audience=audience)
    training = package.versions.get()
    read_all(person, training)
    return complete(person, training, person.memberships.current().get())


@pytest.fixture
def waiting(enrolment, learner, assessor):
    records = list(enrolment.records.filter(proficiency__optional=False)[:2])
    records_self_assess(
        enrolment=enrolment,
        by=learner,
        answers=[(r.pk, RecordState.ACHIEVED, "Did it") for r in records],
    )
    return confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[r.pk for r in records], assessor=assessor
    )


def decide(request, assessor):
    return request_decide(
        request=request,
        by=assessor,
        registration_body="NMC",
        registration_number="09B1234D",
        items=[
            ItemDecision(record_id=item.record_id, outcome=Decision.Outcome.CONFIRMED)
            for item in request.items.all()
        ],
    )


def test_an_untrained_assessors_decision_is_refused_by_the_service(
    trust, trust_admin, waiting, assessor
):
    require(trust, trust_admin, assessors=True)
    with pytest.raises(Refused) as refused:
        decide(waiting, assessor)
    assert "asks assessors to hold a current training certificate" in str(refused.value)
    assert refused.value.refusal.href == "/training/"
    assert not Decision.objects.exists()
    assert set(
        ProficiencyRecord.objects.filter(request=waiting).values_list("state", flat=True)
    ) == {RecordState.AWAITING_CONFIRMATION}


def test_a_trained_assessor_decides(trust, trust_admin, waiting, assessor, framework_author):
    require(trust, trust_admin, assessors=True)
    train(assessor, framework_author, Audience.ASSESSOR, "assessors")
    assert len(decide(waiting, assessor)) == 2


def test_without_the_rule_nobody_needs_training(waiting, assessor):
    assert len(decide(waiting, assessor)) == 2


@pytest.mark.parametrize("lapse", ["revoked", "expired"])
def test_a_revoked_or_expired_certificate_does_not_count(
    lapse, trust, trust_admin, waiting, assessor, framework_author
):
    require(trust, trust_admin, assessors=True)
    completion = train(assessor, framework_author, Audience.ASSESSOR, "assessors")
    if lapse == "revoked":
        certificate_revoke(certificate=completion.certificate, by=trust_admin, reason="Wrong")
    else:
        Completion.objects.filter(pk=completion.pk).update(expires_at=timezone.now())
    with pytest.raises(Refused):
        decide(waiting, assessor)


def test_an_untrained_educators_sign_off_is_refused_then_allowed_once_trained(
    trust, trust_admin, enrolment, learner, assessor, educator, framework_author
):
    confirm_all(enrolment, learner, assessor)
    sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
    require(trust, trust_admin, educators=True)
    arguments = {
        "enrolment": enrolment,
        "by": educator,
        "declaration_agreed": True,
        "registration_body": SIGNER_REGISTRATION[0],
        "registration_number": SIGNER_REGISTRATION[1],
    }
    with pytest.raises(Refused, match="asks educators .* before signing off"):
        enrolment_sign_off(**arguments)
    enrolment.refresh_from_db()
    assert enrolment.signed_off_at is None
    # An assessor's training does not make an educator's.
    train(educator, framework_author, Audience.ASSESSOR, "assessors")
    with pytest.raises(Refused):
        enrolment_sign_off(**arguments)
    train(educator, framework_author, Audience.EDUCATOR, "educators")
    assert enrolment_sign_off(**arguments).enrolment == enrolment


def test_only_the_trusts_own_administrators_set_the_rule(
    trust, other_trust_admin, educator, trust_admin
):
    with pytest.raises(ConflictError):
        rule_set(
            trust=trust,
            by=other_trust_admin,
            membership=other_trust_admin.memberships.current().get(),
            assessors_must_train=True,
            educators_must_train=True,
        )
    with pytest.raises(ConflictError):
        rule_set(
            trust=trust,
            by=educator,
            membership=educator.memberships.current().get(),
            assessors_must_train=True,
            educators_must_train=True,
        )
    require(trust, trust_admin, assessors=True)
    assert TrainingEvent.objects.get(kind="rule_changed").trust == trust


@pytest.mark.parametrize("required", [True, False])
def test_the_review_page_says_why_and_where_to_train(
    required, client_for, trust, trust_admin, waiting, assessor
):
    require(trust, trust_admin, assessors=required)
    html = client_for(assessor).get(reverse("progress:review", args=[waiting.pk])).content
    html = html.decode()
    assert ("Training needed first" in html) is required
    assert ('href="/training/">Go to your training' in html) is required
