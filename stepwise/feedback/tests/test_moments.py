"""Who is asked and when: the team's date, 3 months after enrolment, final sign-off; and the
reminders, at most one a week and three in all, none once answered."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from stepwise.feedback.building import form_change_settings
from stepwise.feedback.models import Invitation
from stepwise.feedback.queries import published_version
from stepwise.feedback.receivers import ask_at_sign_off
from stepwise.feedback.reminders import daily_run, months_before
from stepwise.feedback.services import answer, ask
from stepwise.feedback.tests.factories import published_form
from stepwise.frameworks.models import TrustFramework
from stepwise.frameworks.tests.factories import published_version as framework_version
from stepwise.notifications.models import Notification
from stepwise.organisations.tests.factories import CohortFactory, MembershipFactory
from stepwise.progress.models import Enrolment
from stepwise.progress.services import enrolment_create
from stepwise.progress.signals import enrolment_signed_off

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=7)


def reminders_of(person) -> list[str]:
    return [n.text for n in Notification.objects.filter(person=person, text__startswith="Rem")]


class TestTargeting:
    def test_the_team_asks_roles_trusts_and_cohorts_on_a_date(
        self, trust, other_trust, learner, assessor, other_learner
    ):
        form = published_form()
        form_change_settings(
            form=form,
            by=None,
            trigger="on_date",
            send_on=date(2026, 6, 1),
            roles=["learner"],
            cohorts=[CohortFactory(trusts=[trust])],
        )
        assert daily_run(at(date(2026, 5, 31))).asked == 0
        assert daily_run(at(date(2026, 6, 1))).asked == 1
        assert list(Invitation.objects.values_list("person", flat=True)) == [learner.pk]
        # Run again: nobody is asked twice.
        assert daily_run(at(date(2026, 6, 2))).asked == 0

    def test_a_trust_list_limits_who_is_asked(self, trust, other_trust, learner, other_learner):
        form = published_form()
        form_change_settings(form=form, by=None, send_on=date(2026, 6, 1), trusts=[other_trust])
        daily_run(at(date(2026, 6, 1)))
        assert list(Invitation.objects.values_list("person", flat=True)) == [other_learner.pk]

    def test_ended_memberships_are_not_asked(self, trust):
        gone = MembershipFactory(trust=trust, is_learner=True, state="ended").person
        form = published_form()
        form_change_settings(form=form, by=None, send_on=date(2026, 6, 1))
        daily_run(at(date(2026, 6, 1)))
        assert not Invitation.objects.filter(person=gone).exists()


class TestMoments:
    def test_three_months_after_enrolment(self, trust, learner, educator, assessor):
        version = framework_version()
        TrustFramework.objects.create(trust=trust, framework=version.framework)
        enrolment = enrolment_create(
            learner=learner,
            version=version,
            trust=trust,
            educator=educator,
            assessors=[assessor],
            by=educator,
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=at(date(2026, 1, 15)))
        form = published_form()
        form_change_settings(form=form, by=None, trigger="enrolment_3_months")
        assert daily_run(at(date(2026, 4, 14))).asked == 0
        assert daily_run(at(date(2026, 4, 15))).asked == 1
        invitation = Invitation.objects.get()
        assert (invitation.person, invitation.moment) == (learner, "enrolment_3_months")

    def test_months_before_keeps_to_the_month_end(self):
        assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
        assert months_before(date(2026, 1, 15), 3) == date(2025, 10, 15)

    def test_at_final_sign_off(self, learner, educator):
        form = published_form()
        form_change_settings(form=form, by=None, trigger="sign_off", roles=["learner"])
        other = published_form(title="Not at sign-off")
        # Connected to progress's signal (the certificates app listens to it too, and
        # needs a whole signed-off enrolment, so the receiver is called here directly).
        assert ask_at_sign_off in enrolment_signed_off._live_receivers(Enrolment)[0]
        ask_at_sign_off(
            sender=Enrolment,
            enrolment=SimpleNamespace(learner=learner),
            signer=educator,
            signer_registration="NMC 05C7654E",
        )
        assert list(Invitation.objects.values_list("form", "moment")) == [(form.pk, "sign_off")]
        assert not Invitation.objects.filter(form=other).exists()


class TestReminders:
    def test_weekly_at_most_three_and_the_command_says_so(self, learner, capsys):
        form = published_form()
        Invitation.objects.create(form=form, person=learner, asked_at=at(date(2026, 3, 2)))
        assert daily_run(at(date(2026, 3, 8))).reminded == 0  # 6 days: too soon
        assert daily_run(at(date(2026, 3, 9))).reminded == 1
        assert daily_run(at(date(2026, 3, 10))).reminded == 0  # a day later: not again
        assert daily_run(at(date(2026, 3, 16))).reminded == 1
        assert daily_run(at(date(2026, 3, 23))).reminded == 1
        assert daily_run(at(date(2026, 3, 30))).reminded == 0  # three is the most
        assert len(reminders_of(learner)) == 3
        call_command("send_feedback")
        assert "sent 0 reminders" in capsys.readouterr().out

    def test_answering_stops_the_reminders(self, learner):
        form = published_form()
        ask(learner, form)
        Invitation.objects.update(asked_at=at(date(2026, 3, 2)))
        answer(person=learner, version=published_version(form), given={})
        assert daily_run(at(date(2026, 3, 9))).reminded == 0
        assert reminders_of(learner) == []

    def test_no_reminder_for_a_form_no_longer_published(self, learner):
        form = published_form()
        Invitation.objects.create(form=form, person=learner, asked_at=at(date(2026, 3, 2)))
        form.versions.update(state="replaced")
        assert daily_run(at(date(2026, 3, 9))).reminded == 0
