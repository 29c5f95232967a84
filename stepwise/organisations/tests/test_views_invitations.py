"""A person's own invitations to join a Trust: they accept or decline, themselves, and
nobody else can; the Trust may withdraw one meanwhile."""

import pytest
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.notifications.models import Notification
from stepwise.organisations.invitations import (
    membership_accept,
    membership_refuse,
    membership_withdraw_invitation,
)
from stepwise.organisations.models import Membership, MembershipEvent, Role
from stepwise.organisations.services import membership_change_roles
from stepwise.organisations.tests.conftest import read

PAGE = reverse("organisations:join_invitations")


@pytest.fixture
def invitation(add_member, trust, trust_admin, other_learner):
    """Northshire (the persona Trust) invites Riverside's learner to join as a learner."""
    member = add_member(
        person=other_learner, state=Membership.State.INVITED, created_by=trust_admin
    )
    MembershipEvent.objects.filter(membership=member).update(
        kind=MembershipEvent.Kind.JOIN_INVITED, actor=trust_admin
    )
    return member


def accept_url(member) -> str:
    return reverse("organisations:join_accept", args=[member.pk])


def decline_url(member) -> str:
    return reverse("organisations:join_decline", args=[member.pk])


class TestThePage:
    def test_it_lists_who_invites_them_as_what_with_accept_and_decline(
        self, client_for, invitation, other_learner, trust, trust_admin
    ):
        html = read(client_for(other_learner).get(PAGE))
        assert f"{trust.name} invites you to join as learner" in html
        assert trust_admin.full_name in html
        assert f'action="{accept_url(invitation)}"' in html
        assert f'action="{decline_url(invitation)}"' in html
        assert f'Accept<span class="nhsuk-u-visually-hidden"> and join {trust.name}' in html

    def test_home_shows_the_invitation_and_links_to_the_answer(
        self, client_for, invitation, other_learner, trust, learner
    ):
        html = read(client_for(other_learner).get(reverse("core:home")))
        assert f"{trust.name} invites you to join as learner." in html
        assert f'href="{PAGE}">Accept or decline</a>' in html
        assert "invites you to join" not in read(client_for(learner).get(reverse("core:home")))

    def test_someone_with_no_invitations_is_told(self, client_for, learner):
        assert "You have no invitations waiting" in read(client_for(learner).get(PAGE))

    def test_signing_in_comes_first(self, client):
        response = client.get(PAGE)
        assert response.status_code == 302 and reverse("accounts:sign_in") in response.url

    def test_it_is_reachable_without_any_membership(self, client_for, invitation, other_learner):
        # Someone invited while a member of no Trust at all still finds their invitation.
        Membership.objects.filter(person=other_learner).exclude(pk=invitation.pk).update(
            state=Membership.State.ENDED
        )
        assert "invites you to join" in read(client_for(other_learner).get(PAGE))


class TestAccepting:
    def test_accepting_starts_the_membership_and_is_recorded(
        self, client_for, invitation, other_learner, trust, trust_admin
    ):
        client = client_for(other_learner)
        response = client.post(accept_url(invitation))
        assert response.status_code == 302 and response.url == reverse("core:home")
        invitation.refresh_from_db()
        assert invitation.state == Membership.State.ACTIVE
        event = invitation.events.get(kind=MembershipEvent.Kind.JOIN_ACCEPTED)
        assert (event.actor, event.from_state, event.to_state) == (
            other_learner,
            Membership.State.INVITED,
            Membership.State.ACTIVE,
        )
        assert f"You have joined {trust.name} as learner" in read(client.get(response.url))
        assert Notification.objects.filter(person=trust_admin, text__contains="accepted").exists()
        # Now, and only now, the Trust's staff see their record at other Trusts.
        prior = reverse("progress:prior_record", args=[invitation.pk])
        assert client_for(trust_admin).get(prior).status_code == 200

    def test_accepting_twice_says_it_was_already_accepted(
        self, client_for, invitation, other_learner
    ):
        client = client_for(other_learner)
        client.post(accept_url(invitation))
        response = client.post(accept_url(invitation), follow=True)
        assert "You have already accepted this invitation" in read(response)
        assert invitation.events.filter(kind=MembershipEvent.Kind.JOIN_ACCEPTED).count() == 1

    def test_a_withdrawn_invitation_cannot_be_accepted(
        self, client_for, invitation, other_learner, trust, trust_admin
    ):
        membership_withdraw_invitation(membership=invitation, by=trust_admin)
        response = client_for(other_learner).post(accept_url(invitation), follow=True)
        assert f"{trust.name} has withdrawn this invitation" in read(response)
        invitation.refresh_from_db()
        assert invitation.state == Membership.State.ENDED

    def test_accept_and_decline_are_posts(self, client_for, invitation, other_learner):
        client = client_for(other_learner)
        assert client.get(accept_url(invitation)).status_code == 405
        assert client.get(decline_url(invitation)).status_code == 405
        invitation.refresh_from_db()
        assert invitation.state == Membership.State.INVITED


class TestNobodyElseAnswers:
    def test_the_trusts_staff_cannot_accept_for_them(
        self, client_for, invitation, trust_admin, educator
    ):
        for person in (trust_admin, educator):
            assert client_for(person).post(accept_url(invitation)).status_code == 404
        invitation.refresh_from_db()
        assert invitation.state == Membership.State.INVITED

    def test_the_service_refuses_anyone_but_the_person(self, invitation, trust_admin):
        with pytest.raises(ConflictError, match="Only the person invited"):
            membership_accept(membership=invitation, by=trust_admin)
        with pytest.raises(ConflictError, match="Only the person invited"):
            membership_refuse(membership=invitation, by=trust_admin)
        invitation.refresh_from_db()
        assert invitation.state == Membership.State.INVITED

    def test_someone_elses_invitation_is_not_listed(self, client_for, invitation, learner):
        assert "invites you to join" not in read(client_for(learner).get(PAGE))


class TestDeclining:
    def test_declining_ends_it_before_it_started_and_is_recorded(
        self, client_for, invitation, other_learner, trust, trust_admin
    ):
        client = client_for(other_learner)
        response = client.post(decline_url(invitation), follow=True)
        assert f"You have declined the invitation to join {trust.name}" in read(response)
        invitation.refresh_from_db()
        assert invitation.state == Membership.State.DECLINED
        event = invitation.events.get(kind=MembershipEvent.Kind.JOIN_DECLINED)
        assert event.actor == other_learner
        assert not Membership.objects.current().filter(person=other_learner, trust=trust).exists()
        prior = reverse("progress:prior_record", args=[invitation.pk])
        assert client_for(trust_admin).get(prior).status_code == 404

    def test_the_trust_may_invite_them_again_after_a_decline(
        self, client_for, invitation, other_learner, trust_admin, trust
    ):
        client_for(other_learner).post(decline_url(invitation))
        client_for(trust_admin).post(
            reverse("organisations:person_register"),
            {
                "full_name": "x",
                "email": other_learner.email,
                "registration_body": "NMC",
                "registration_number": "12A3456B",
                "roles": ["learner"],
            },
        )
        assert other_learner.memberships.filter(trust=trust, state="invited").count() == 1


class TestWithdrawing:
    def test_staff_withdraw_an_invitation_from_the_person_page(
        self, client_for, invitation, trust_admin
    ):
        client = client_for(trust_admin)
        detail = reverse("organisations:person_detail", args=[invitation.pk])
        assert "Withdraw the invitation" in read(client.get(detail))
        url = reverse("organisations:invitation_withdraw", args=[invitation.pk])
        response = client.post(url, follow=True)
        assert "is withdrawn" in read(response)
        invitation.refresh_from_db()
        assert invitation.state == Membership.State.ENDED
        event = invitation.events.get(kind=MembershipEvent.Kind.JOIN_WITHDRAWN)
        assert event.actor == trust_admin

    def test_ending_is_not_offered_for_an_invitation(self, client_for, invitation, trust_admin):
        response = client_for(trust_admin).get(
            reverse("organisations:membership_end", args=[invitation.pk]), follow=True
        )
        assert "withdraw the invitation instead" in read(response)

    def test_another_trusts_invitation_is_a_404(self, client_for, invitation, other_trust_admin):
        url = reverse("organisations:invitation_withdraw", args=[invitation.pk])
        assert client_for(other_trust_admin).post(url).status_code == 404


class TestAnInvitationNeverAccepted:
    """Inviting someone and then withdrawing (or their declining) shows the Trust no more
    than the invitation did: name and email, and their number finds nobody."""

    @pytest.fixture(params=["withdrawn", "declined"])
    def unanswered(self, request, invitation, other_learner, trust_admin):
        if request.param == "withdrawn":
            membership_withdraw_invitation(membership=invitation, by=trust_admin)
        else:
            membership_refuse(membership=invitation, by=other_learner)
        return invitation

    def test_the_person_page_shows_only_name_and_email(
        self, client_for, unanswered, other_learner, trust_admin
    ):
        detail = reverse("organisations:person_detail", args=[unanswered.pk])
        page = read(client_for(trust_admin).get(detail))
        assert other_learner.email in page
        assert other_learner.registration_number not in page
        assert "Staff Nurse" not in page
        assert "Password set" not in page

    @pytest.mark.parametrize("prefix", [4, None])
    def test_their_registration_number_finds_nobody(
        self, client_for, unanswered, other_learner, trust_admin, prefix
    ):
        number = other_learner.registration_number[:prefix]
        for state in ("all", unanswered.state):
            page = read(
                client_for(trust_admin).get(
                    reverse("organisations:people"), {"q": number, "state": state}
                )
            )
            assert other_learner.email not in page
        # Their name still finds them, with no account status.
        page = read(
            client_for(trust_admin).get(
                reverse("organisations:people"), {"q": other_learner.email, "state": "all"}
            )
        )
        assert other_learner.email in page
        assert "Password set" not in page

    def test_once_accepted_the_trust_sees_who_they_are(
        self, client_for, invitation, other_learner, trust_admin
    ):
        membership_accept(membership=invitation, by=other_learner)
        detail = reverse("organisations:person_detail", args=[invitation.pk])
        assert other_learner.registration_number in read(client_for(trust_admin).get(detail))
        found = client_for(trust_admin).get(
            reverse("organisations:people"), {"q": other_learner.registration_number}
        )
        assert other_learner.email in read(found)


class TestRolesWhileInvited:
    """The person answers the roles and unit they were offered: nobody changes them while
    the invitation waits."""

    def test_roles_and_unit_cannot_change_while_the_invitation_waits(
        self, client_for, invitation, trust_admin, trust
    ):
        client = client_for(trust_admin)
        detail = reverse("organisations:person_detail", args=[invitation.pk])
        assert "Change roles or unit" not in read(client.get(detail))
        url = reverse("organisations:person_roles", args=[invitation.pk])
        for response in (
            client.get(url, follow=True),
            client.post(
                url,
                {"roles": ["learner", "trust_admin"], "unit": trust.units[1].pk},
                follow=True,
            ),
        ):
            assert "has not accepted the invitation to join yet" in read(response)
        invitation.refresh_from_db()
        assert (invitation.roles, invitation.unit) == ([Role.LEARNER], trust.units[0])
        assert not invitation.events.filter(kind=MembershipEvent.Kind.ROLES_CHANGED).exists()

    def test_the_service_refuses_too(self, invitation, trust_admin):
        with pytest.raises(ConflictError, match="has not accepted the invitation to join yet"):
            membership_change_roles(
                membership=invitation, roles=[Role.TRUST_ADMIN], unit=None, by=trust_admin
            )

    def test_once_accepted_they_can_change(self, invitation, other_learner, trust_admin):
        membership_accept(membership=invitation, by=other_learner)
        membership_change_roles(
            membership=invitation, roles=[Role.ASSESSOR], unit=None, by=trust_admin
        )
        invitation.refresh_from_db()
        assert invitation.roles == [Role.ASSESSOR]
