from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from stepwise.accounts.models import User
from stepwise.certificates.models import Certificate
from stepwise.demo.organisations import DEMO_PASSWORD, PEOPLE
from stepwise.demo.two_step import DEMO_TOTP_SECRET, current_code
from stepwise.feedback.builtin import PAPER_SLUG, PILOT_SLUG, SUS_SLUG
from stepwise.feedback.models import Form, Response
from stepwise.feedback.results import MIN_GROUP
from stepwise.frameworks.models import FrameworkVersion
from stepwise.organisations.models import Cohort, Membership, Organisation, Role
from stepwise.progress.models import ActionPlan, ConfirmationRequest, Enrolment
from stepwise.progress.states import EnrolmentState
from stepwise.reports import supernumerary
from stepwise.reports.models import NetworkLead


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())


def counts():
    return (
        User.objects.count(),
        Membership.objects.count(),
        Enrolment.objects.count(),
        ConfirmationRequest.objects.count(),
        Certificate.objects.count(),
        FrameworkVersion.objects.count(),
    )


def test_it_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_every_role_has_an_account_that_signs_in(seeded, client):
    for email, *_rest in PEOPLE:
        assert client.login(username=email, password=DEMO_PASSWORD), email
        client.logout()
    holders = {role: Membership.objects.current().with_role(role).exists() for role in Role}
    assert all(holders.values()), holders
    assert User.objects.filter(is_framework_author=True).exists()
    assert User.objects.filter(is_staff=True).exists()


def test_running_it_twice_changes_nothing(seeded, settings):
    before = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == before


def test_learners_are_at_every_stage_of_step_1(seeded):
    step_1 = Enrolment.objects.filter(framework__slug="step-1")
    states = set(step_1.values_list("state", flat=True))
    assert {
        EnrolmentState.ACTIVE,
        EnrolmentState.SIGN_OFF_REQUESTED,
        EnrolmentState.SIGNED_OFF,
    } <= states
    assert ConfirmationRequest.objects.filter(state=ConfirmationRequest.State.WAITING).exists()
    assert ActionPlan.objects.exists()
    assert step_1.filter(records__state="not_started").exclude(records__state="confirmed").exists()
    certificate = Certificate.objects.get(holder__email="noah.williams@example.org")
    assert certificate.pdf  # made by the background task straight after sign-off


def test_feedback_has_cohorts_forms_and_enough_answers_to_show(seeded, client):
    assert Cohort.objects.count() == 2
    for slug in (SUS_SLUG, PAPER_SLUG, PILOT_SLUG):
        form = Form.objects.get(slug=slug)
        assert form.responses.count() >= 2 * MIN_GROUP
    assert Response.objects.filter(from_paper=True).exists()
    assert Response.objects.filter(from_paper=False).exists()
    before = Response.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Response.objects.count() == before


def test_the_reports_have_two_years_of_history_in_a_network(seeded):
    network = Organisation.objects.get(kind=Organisation.Kind.NETWORK)
    trusts = Organisation.objects.filter(kind=Organisation.Kind.TRUST, parent=network)
    assert trusts.count() >= 3
    signed = Enrolment.objects.filter(state=EnrolmentState.SIGNED_OFF, trust__in=trusts)
    months = {(e.signed_off_at.year, e.signed_off_at.month) for e in signed}
    # Sign-offs across most of the last two years, at every Trust.
    assert len(months) >= 12
    assert set(signed.values_list("trust", flat=True)) == set(trusts.values_list("pk", flat=True))
    oldest = min(e.signed_off_at for e in signed)
    assert oldest < timezone.now() - timedelta(days=540)
    # Waiting requests of every age band.
    ages = [
        (timezone.now() - r.requested_at).days
        for r in ConfirmationRequest.objects.filter(state=ConfirmationRequest.State.WAITING)
    ]
    assert min(ages) < 7 and any(7 <= a <= 14 for a in ages) and max(ages) > 14
    # Someone leads the network's reports.
    lead = NetworkLead.objects.current().get(network=network).person
    assert lead.check_password(DEMO_PASSWORD)
    # Learners whose supernumerary period is over, some with all of its proficiencies
    # confirmed in it and some not.
    standing = set(
        supernumerary.with_period(
            Enrolment.objects.all(), supernumerary.period_lengths()
        ).values_list("standing", flat=True)
    )
    assert {"supernumerary_met", "supernumerary_missed"} <= standing


def test_demo_staff_sign_in_with_the_documented_key_and_learners_without(seeded, client):
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    assert DEMO_TOTP_SECRET in readme
    for email in ("assessor@example.org", "admin@example.org", "network.lead@example.org"):
        response = client.post("/sign-in/", {"email": email, "password": DEMO_PASSWORD})
        assert response.url == "/sign-in/security-code/?next=%2F", email
        TOTPDevice.objects.filter(user__email=email).update(last_t=-1)
        assert client.post("/sign-in/security-code/", {"code": current_code()}).url == "/"
        client.post("/sign-out/")
    response = client.post("/sign-in/", {"email": "learner@example.org", "password": DEMO_PASSWORD})
    assert response.url == "/"


def test_demo_code_prints_the_code_and_only_with_debug(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_code", stdout=out)
    assert out.getvalue().strip() == current_code()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code")
