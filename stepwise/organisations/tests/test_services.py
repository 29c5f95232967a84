from unittest import mock

import pytest
from django.core import mail
from django.db.models import QuerySet
from django.utils import timezone

from stepwise.accounts.models import AccessLink
from stepwise.core.errors import ConflictError
from stepwise.organisations.models import Membership, MembershipEvent, Role, TrustEvent
from stepwise.organisations.services import (
    membership_approve,
    membership_change_roles,
    membership_create,
    membership_decline,
    membership_end,
    trust_rotate_registration_code,
    trust_set_registration_approval,
)
from stepwise.organisations.tests.conftest import membership_of


def last_event(member) -> MembershipEvent:
    return member.events.order_by("-at", "-pk").first()


class TestApprove:
    def test_it_lets_the_person_in_and_emails_them(
        self, waiting, trust_admin, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            member = membership_approve(membership=waiting, by=trust_admin)
        assert member.state == Membership.State.ACTIVE
        assert member.started_on == timezone.localdate()
        event = last_event(member)
        assert (event.kind, event.actor, event.from_state, event.to_state) == (
            MembershipEvent.Kind.APPROVED,
            trust_admin,
            Membership.State.AWAITING_APPROVAL,
            Membership.State.ACTIVE,
        )
        [email] = mail.outbox
        assert email.to == [member.person.email]
        assert email.subject == f"You can now use Stepwise at {member.trust.name}"
        assert trust_admin.full_name in email.body
        assert "http://testserver/sign-in/" in email.body

    def test_the_email_waits_for_the_commit(self, waiting, trust_admin):
        # The test transaction never commits, so nothing may have been sent yet.
        membership_approve(membership=waiting, by=trust_admin)
        assert mail.outbox == []

    def test_approving_twice_tells_the_second_who_got_there_first(
        self, waiting, trust_admin, educator
    ):
        # Two administrators open the same registration; both press approve.
        first_tab = Membership.objects.get(pk=waiting.pk)
        second_tab = Membership.objects.get(pk=waiting.pk)
        membership_approve(membership=first_tab, by=trust_admin)
        with pytest.raises(ConflictError) as conflict:
            membership_approve(membership=second_tab, by=educator)
        message = str(conflict.value)
        assert message.startswith(f"{waiting.person.full_name}'s registration has already been")
        assert f"approved by {trust_admin.full_name} on " in message
        assert timezone.localdate().strftime("%B %Y") in message
        assert waiting.events.filter(kind=MembershipEvent.Kind.APPROVED).count() == 1

    def test_approving_again_with_fresh_data_also_says_who(self, waiting, trust_admin):
        membership_approve(membership=waiting, by=trust_admin)
        fresh = Membership.objects.get(pk=waiting.pk)
        with pytest.raises(ConflictError, match=f"approved by {trust_admin.full_name}"):
            membership_approve(membership=fresh, by=trust_admin)

    def test_a_declined_registration_cannot_then_be_approved(self, waiting, trust_admin):
        membership_decline(membership=waiting, by=trust_admin)
        stale = Membership.objects.get(pk=waiting.pk)
        stale.state = Membership.State.AWAITING_APPROVAL
        with pytest.raises(ConflictError, match=f"already been declined by {trust_admin}"):
            membership_approve(membership=stale, by=trust_admin)
        assert Membership.objects.get(pk=waiting.pk).state == Membership.State.DECLINED


class TestDecline:
    def test_it_keeps_the_reason_and_ends_the_membership(self, waiting, trust_admin):
        member = membership_decline(membership=waiting, by=trust_admin, note="Not one of ours")
        assert member.state == Membership.State.DECLINED
        assert member.ended_on == timezone.localdate()
        event = last_event(member)
        assert (event.kind, event.note) == (MembershipEvent.Kind.DECLINED, "Not one of ours")

    def test_an_active_member_cannot_be_declined(self, learner, trust_admin):
        with pytest.raises(ConflictError, match="already an active member"):
            membership_decline(membership=membership_of(learner), by=trust_admin)


class TestEnd:
    def test_it_ends_the_membership_and_keeps_everything(self, learner, trust_admin):
        member = membership_end(membership=membership_of(learner), by=trust_admin, note="Moved")
        assert member.state == Membership.State.ENDED
        assert member.ended_on == timezone.localdate()
        assert Membership.objects.filter(pk=member.pk).exists()
        assert learner.memberships.current().count() == 0
        event = last_event(member)
        assert (event.kind, event.actor, event.note, event.from_state) == (
            MembershipEvent.Kind.ENDED,
            trust_admin,
            "Moved",
            Membership.State.ACTIVE,
        )

    def test_ending_twice_says_who_ended_it_and_when(self, learner, trust_admin, educator):
        tab = membership_of(learner)
        membership_end(membership=membership_of(learner), by=trust_admin)
        with pytest.raises(ConflictError) as conflict:
            membership_end(membership=tab, by=educator)
        assert "membership of" in str(conflict.value)
        assert f"has already ended by {trust_admin.full_name} on" in str(conflict.value)
        assert tab.events.filter(kind=MembershipEvent.Kind.ENDED).count() == 1

    def test_unused_invitations_to_the_trust_stop_working(self, add_member, trust, trust_admin):
        member = add_member(password=False)
        link, _token = AccessLink.issue(
            person=member.person, purpose=AccessLink.Purpose.INVITATION, trust=trust
        )
        membership_end(membership=member, by=trust_admin)
        link.refresh_from_db()
        assert link.is_expired


class TestChangeRoles:
    def test_it_records_what_changed(self, learner, trust, trust_admin):
        member = membership_of(learner)
        member = membership_change_roles(
            membership=member,
            roles=[Role.LEARNER, Role.ASSESSOR],
            unit=trust.units[1],
            by=trust_admin,
        )
        assert (member.is_learner, member.is_assessor, member.unit) == (True, True, trust.units[1])
        event = last_event(member)
        assert event.kind == MembershipEvent.Kind.ROLES_CHANGED
        assert event.note == (
            "Roles: Learner to Learner, Assessor; "
            f"Unit: {trust.units[0].name} to {trust.units[1].name}"
        )

    def test_saving_the_same_roles_again_changes_nothing(self, learner, trust, trust_admin):
        member = membership_of(learner)
        before = member.events.count()
        membership_change_roles(
            membership=member, roles=[Role.LEARNER], unit=trust.units[0], by=trust_admin
        )
        assert member.events.count() == before

    def test_an_ended_membership_cannot_be_changed(self, learner, trust, trust_admin):
        member = membership_end(membership=membership_of(learner), by=trust_admin)
        with pytest.raises(ConflictError, match="already ended"):
            membership_change_roles(
                membership=member, roles=[Role.ASSESSOR], unit=None, by=trust_admin
            )
        member.refresh_from_db()
        assert not member.is_assessor

    def test_ending_in_another_tab_wins_over_a_roles_change(self, learner, trust_admin):
        tab = membership_of(learner)
        membership_end(membership=membership_of(learner), by=trust_admin)
        with pytest.raises(ConflictError, match="already ended"):
            membership_change_roles(membership=tab, roles=[Role.ASSESSOR], unit=None, by=None)

    def test_a_unit_of_another_trust_is_refused(self, learner, other_trust, trust_admin):
        with pytest.raises(ValueError, match="unit must belong"):
            membership_change_roles(
                membership=membership_of(learner),
                roles=[Role.LEARNER],
                unit=other_trust.units[0],
                by=trust_admin,
            )


class TestCreate:
    def test_a_second_open_membership_in_the_same_trust_is_refused(self, learner, trust):
        with pytest.raises(ConflictError, match="already a member"):
            membership_create(person=learner, trust=trust, roles=[Role.ASSESSOR])

    def test_a_race_past_the_check_meets_the_constraint_and_gets_a_message(self, learner, trust):
        # Both requests checked before either inserted: the database has the last word.
        with (
            mock.patch.object(QuerySet, "exists", return_value=False),
            pytest.raises(ConflictError, match="already a member"),
        ):
            membership_create(person=learner, trust=trust, roles=[Role.ASSESSOR])
        assert learner.memberships.count() == 1

    def test_someone_who_left_can_join_again(self, learner, trust, trust_admin):
        membership_end(membership=membership_of(learner), by=trust_admin)
        again = membership_create(person=learner, trust=trust, roles=[Role.LEARNER])
        assert again.state == Membership.State.ACTIVE
        assert learner.memberships.count() == 2


class TestRegistrationLink:
    def test_a_new_link_replaces_the_old_one(self, trust, trust_admin):
        old = trust.registration_code
        trust = trust_rotate_registration_code(trust=trust, by=trust_admin, expected_code=old)
        assert trust.registration_code not in (None, old)
        event = trust.events.get()
        assert (event.kind, event.actor) == (
            TrustEvent.Kind.REGISTRATION_LINK_CHANGED,
            trust_admin,
        )

    def test_a_double_click_makes_one_new_link(self, trust, trust_admin):
        seen = trust.registration_code
        trust_rotate_registration_code(trust=trust, by=trust_admin, expected_code=seen)
        new = trust.registration_code
        with pytest.raises(ConflictError, match=f"already changed by {trust_admin.full_name}"):
            trust_rotate_registration_code(trust=trust, by=trust_admin, expected_code=seen)
        trust.refresh_from_db()
        assert trust.registration_code == new
        assert trust.events.count() == 1

    def test_a_trust_without_a_link_can_get_one(self, trust, trust_admin):
        type(trust).objects.filter(pk=trust.pk).update(registration_code=None)
        trust.refresh_from_db()
        trust = trust_rotate_registration_code(trust=trust, by=trust_admin, expected_code=None)
        assert trust.registration_code


class TestRegistrationApproval:
    def test_turning_approval_off_is_recorded(self, trust, trust_admin):
        trust = trust_set_registration_approval(
            trust=trust, requires_approval=False, by=trust_admin
        )
        assert trust.registration_requires_approval is False
        assert trust.events.get().note == "Self-registrations start at once"

    def test_setting_the_same_value_again_changes_nothing(self, trust, trust_admin):
        trust_set_registration_approval(trust=trust, requires_approval=True, by=trust_admin)
        assert trust.events.count() == 0
