"""Each action plan names its record's enrolment (issue 13): the learner's overview finds
its open actions from there without reading every record. Written by both services that
make plans, and filled in for plans made before by migration 0007."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import ActionPlan, Decision
from stepwise.progress.queries.learner import open_actions, open_plans
from stepwise.progress.services import decision_correct, enrolment_create
from stepwise.progress.services.confirmation import ActionInput

from .learner_support import PIN, confirm, records, reject

BEFORE = ("progress", "0006_supernumerary_and_rejection_summaries")
MIGRATION = ("progress", "0007_actionplan_enrolment")


def another_enrolment(enrolment, educator, assessor):
    """Another learner of the same Trust on the same version."""
    return enrolment_create(
        learner=MembershipFactory(trust=enrolment.trust, is_learner=True).person,
        version=enrolment.version,
        trust=enrolment.trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )


def test_a_rejection_and_a_corrected_confirmation_each_write_the_plans_enrolment(
    enrolment, educator, assessor
):
    other = another_enrolment(enrolment, educator, assessor)  # plans that are not this one's
    reject(other, records(other)[0], assessor)
    rejected = reject(enrolment, records(enrolment)[0], assessor)
    confirmed = confirm(enrolment, [records(enrolment)[1]], assessor)[0]
    decision_correct(
        decision=Decision.objects.get(pk=confirmed.pk),
        by=assessor,
        outcome=Decision.Outcome.REJECTED,
        note="Seen by the wrong assessor",
        actions=[ActionInput("Practise with your supervisor", timezone.localdate() + timedelta(7))],
        registration_body=PIN[0],
        registration_number=PIN[1],
    )

    plans = ActionPlan.objects.filter(record__enrolment=enrolment)
    assert len(plans) == 2
    assert {plan.enrolment_id for plan in plans} == {enrolment.pk}
    assert ActionPlan.objects.get(record__enrolment=other).enrolment_id == other.pk
    assert {plan.record_id for plan in open_plans(enrolment)} == {
        rejected.record_id,
        confirmed.record_id,
    }
    assert {action.plan.record_id for action in open_actions(enrolment)} == {
        rejected.record_id,
        confirmed.record_id,
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_in_each_plans_enrolment_from_its_record(enrolment, educator, assessor):
    second = another_enrolment(enrolment, educator, assessor)
    reject(enrolment, records(enrolment)[0], assessor)
    reject(second, records(second)[2], assessor)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        # Back to before the column, then 0007 adds it and fills it in.
        MigrationExecutor(connection).migrate([BEFORE])
        MigrationExecutor(connection).migrate([MIGRATION])
        then = MigrationExecutor(connection).loader.project_state([MIGRATION]).apps
        filled = then.get_model("progress", "ActionPlan").objects.values_list(
            "enrolment_id", "record__enrolment_id"
        )
        assert sorted(filled) == [(enrolment.pk, enrolment.pk), (second.pk, second.pk)]
    finally:
        MigrationExecutor(connection).migrate(latest)
