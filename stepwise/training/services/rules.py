"""A Trust's training rule: whether its assessors and educators must be trained first."""

from django.db import transaction
from django.utils import timezone

from stepwise.core.errors import ConflictError
from stepwise.training.models import TrainingEvent, TrustTrainingRule


def _on_off(value: bool) -> str:
    return "required" if value else "not required"


def rule_set(*, trust, by, membership, assessors_must_train: bool, educators_must_train: bool):
    """Only the Trust's own administrators change it."""
    if membership is None or membership.trust_id != trust.pk or not membership.is_trust_admin:
        raise ConflictError("Only an administrator of this Trust can change its training rule.")
    with transaction.atomic():
        rule, _ = TrustTrainingRule.objects.select_for_update().get_or_create(trust=trust)
        before = (rule.assessors_must_train, rule.educators_must_train)
        after = (bool(assessors_must_train), bool(educators_must_train))
        if before == after:
            return rule
        TrustTrainingRule.objects.filter(pk=rule.pk).update(
            assessors_must_train=after[0],
            educators_must_train=after[1],
            changed_by=by,
            changed_at=timezone.now(),
        )
        TrainingEvent.write(
            kind=TrainingEvent.Kind.RULE_CHANGED,
            actor=by,
            trust=trust,
            note=(
                f"Assessors' training {_on_off(after[0])}; educators' training {_on_off(after[1])}"
            ),
        )
        rule.refresh_from_db()
    return rule
