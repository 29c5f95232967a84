"""Median days to a decision and to sign-off."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from stepwise.progress.models import ConfirmationRequest, Enrolment
from stepwise.progress.states import EnrolmentState
from stepwise.progress.summaries import rebuild
from stepwise.progress.tests.staff_helpers import (
    another_learner,
    ask,
    confirm,
    enrol,
    read,
    records,
)

from .tables import page_tables


def times(client) -> dict[str, str]:
    html = read(client.get(reverse("reports:dashboard")))
    return dict(page_tables(html)[0]["Time taken"][1:])


def test_medians_of_days_to_a_decision_and_to_sign_off(
    client_for, educator, enrolment, assessor, trust, offered
):
    client = client_for(educator)
    assert set(times(client).values()) == {"No data yet"}
    now = timezone.now()
    for days in (2, 4, 9):
        chosen = records(enrolment)[days : days + 1]
        request = ask(enrolment, chosen, assessor=assessor)
        ConfirmationRequest.objects.filter(pk=request.pk).update(
            requested_at=now - timedelta(days=days)
        )
        confirm(request, assessor, chosen)
    for days in (100, 300):
        signed = enrol(another_learner(trust), offered, trust, educator)
        Enrolment.objects.filter(pk=signed.pk).update(
            state=EnrolmentState.SIGNED_OFF,
            enrolled_at=now - timedelta(days=days),
            signed_off_at=now,
        )
    rebuild()  # the rows above were edited around the services
    assert times(client) == {
        "From asking for confirmation to the assessor's decision": "4.0",
        "From enrolment to sign-off": "200.0",
    }
