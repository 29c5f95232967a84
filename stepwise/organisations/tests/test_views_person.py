"""A person's page and what staff do from it: change roles or unit, end the membership,
send the invitation again."""

import pytest
from django.core import mail
from django.urls import reverse

from stepwise.accounts.models import AccessLink
from stepwise.organisations.models import Membership, MembershipEvent
from stepwise.organisations.services import membership_change_roles, membership_end
from stepwise.organisations.tests.conftest import membership_of, read


def url(name: str, member) -> str:
    return reverse(f"organisations:{name}", args=[member.pk])


def follow(client, response) -> str:
    assert response.status_code == 302
    return read(client.get(response.url))


class TestPersonPage:
    def test_it_shows_their_details_membership_and_history_newest_first(
        self, client_for, trust, trust_admin, learner
    ):
        member = membership_of(learner)
        membership_change_roles(
            membership=member, roles=["learner", "assessor"], unit=trust.units[1], by=trust_admin
        )
        html = read(client_for(trust_admin).get(url("person_detail", member)))
        for text in (
            learner.full_name,
            learner.email,
            learner.registration,
            trust.units[1].name,
            "Learner, Assessor",
            "Password set",
            "Membership history",
            f"Roles: Learner to Learner, Assessor; Unit: {trust.units[0].name} to "
            f"{trust.units[1].name}",
            trust_admin.full_name,
        ):
            assert text in html
        assert f"<title>{learner.full_name} – Stepwise</title>" in html

    def test_history_reads_newest_first(self, client_for, trust_admin, add_member):
        member = add_member()
        membership_end(membership=member, by=trust_admin, note="Moved to Riverside")
        html = read(client_for(trust_admin).get(url("person_detail", member)))
        assert html.index("Left the Trust") < html.index("Added to the Trust")
        assert "Active to Ended; Moved to Riverside" in html
        assert "Ended" in html

    def test_a_trust_admin_is_offered_every_action(self, client_for, trust_admin, add_member):
        member = add_member(password=False)
        html = read(client_for(trust_admin).get(url("person_detail", member)))
        assert url("person_roles", member) in html
        assert url("membership_end", member) in html
        assert url("invitation_resend", member) in html
        assert "Send the invitation again" in html

    def test_an_educator_cannot_change_roles_or_end_a_trust_admin(
        self, client_for, educator, trust_admin, learner
    ):
        client = client_for(educator)
        html = read(client.get(url("person_detail", membership_of(learner))))
        assert url("person_roles", membership_of(learner)) not in html
        assert url("membership_end", membership_of(learner)) in html
        # Someone who has set a password needs no invitation.
        assert url("invitation_resend", membership_of(learner)) not in html
        html = read(client.get(url("person_detail", membership_of(trust_admin))))
        assert url("membership_end", membership_of(trust_admin)) not in html

    def test_an_ended_membership_offers_no_actions(self, client_for, trust_admin, add_member):
        member = add_member(password=False)
        membership_end(membership=member, by=trust_admin)
        html = read(client_for(trust_admin).get(url("person_detail", member)))
        for action in ("person_roles", "membership_end", "invitation_resend"):
            assert url(action, member) not in html

    def test_a_waiting_registration_links_to_the_decision(self, client_for, trust_admin, waiting):
        html = read(client_for(trust_admin).get(url("person_detail", waiting)))
        assert reverse("organisations:approval_decide", args=[waiting.pk]) in html
        assert url("membership_end", waiting) not in html


class TestChangeRoles:
    def test_it_shows_the_current_roles_and_unit(self, client_for, trust, trust_admin, learner):
        html = read(client_for(trust_admin).get(url("person_roles", membership_of(learner))))
        assert 'value="learner" checked' in html
        assert f'value="{trust.units[0].pk}" selected' in html

    def test_it_saves_new_roles_and_unit(self, client_for, trust, trust_admin, learner):
        member = membership_of(learner)
        client = client_for(trust_admin)
        response = client.post(
            url("person_roles", member),
            {"roles": ["assessor", "educator"], "unit": trust.units[1].pk},
        )
        assert response.url == url("person_detail", member)
        member.refresh_from_db()
        assert (member.is_learner, member.is_assessor, member.is_educator) == (False, True, True)
        assert member.unit == trust.units[1]
        assert "roles and unit have been saved" in read(client.get(response.url))
        assert member.events.filter(kind=MembershipEvent.Kind.ROLES_CHANGED, actor=trust_admin)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"unit": ""}, "Choose at least one role"),
            ({"roles": ["chief"]}, "Choose roles from the list"),
            ({"roles": ["learner"], "unit": "abc"}, "Choose a unit from the list"),
        ],
    )
    def test_bad_input_is_explained(self, client_for, trust_admin, learner, data, message):
        member = membership_of(learner)
        html = read(client_for(trust_admin).post(url("person_roles", member), data))
        assert "There is a problem" in html and message in html
        assert "<title>Error: Change roles or unit" in html
        member.refresh_from_db()
        assert member.roles == ["learner"]

    def test_a_unit_of_another_trust_is_refused(
        self, client_for, trust_admin, learner, other_trust
    ):
        member = membership_of(learner)
        html = read(
            client_for(trust_admin).post(
                url("person_roles", member), {"roles": ["learner"], "unit": other_trust.units[0].pk}
            )
        )
        assert "Choose a unit from the list" in html
        member.refresh_from_db()
        assert member.unit.parent_id == member.trust_id

    def test_a_trust_admin_cannot_remove_their_own_admin_role(self, client_for, trust_admin):
        member = membership_of(trust_admin)
        html = read(
            client_for(trust_admin).post(url("person_roles", member), {"roles": ["educator"]})
        )
        assert "You cannot remove your own Trust administrator role" in html
        member.refresh_from_db()
        assert member.is_trust_admin and not member.is_educator

    def test_an_ended_membership_cannot_be_changed(
        self, client_for, trust_admin, educator, add_member
    ):
        member = add_member()
        membership_end(membership=member, by=educator)
        client = client_for(trust_admin)
        html = follow(client, client.get(url("person_roles", member)))
        assert f"has already ended by {educator.full_name} on" in html
        html = follow(client, client.post(url("person_roles", member), {"roles": ["assessor"]}))
        assert "has already ended" in html
        member.refresh_from_db()
        assert not member.is_assessor


class TestEndMembership:
    def test_it_asks_first_and_warns_what_happens(self, client_for, trust_admin, learner):
        html = read(client_for(trust_admin).get(url("membership_end", membership_of(learner))))
        assert f"End {learner.full_name}" in html
        assert "will no longer be able to work in" in html
        assert "are kept" in html
        assert Membership.objects.get(person=learner).state == Membership.State.ACTIVE

    def test_it_ends_the_membership_with_the_reason_and_deletes_nothing(
        self, client_for, trust_admin, learner
    ):
        member = membership_of(learner)
        client = client_for(trust_admin)
        response = client.post(url("membership_end", member), {"reason": "Moved to Riverside"})
        html = follow(client, response)
        assert "membership of" in html and "has ended" in html
        member.refresh_from_db()
        assert member.state == Membership.State.ENDED
        assert member.events.get(kind=MembershipEvent.Kind.ENDED).note == "Moved to Riverside"
        assert learner.memberships.count() == 1

    def test_an_educator_may_end_a_learners_membership(self, client_for, educator, learner):
        member = membership_of(learner)
        client_for(educator).post(url("membership_end", member), {"reason": ""})
        member.refresh_from_db()
        assert member.state == Membership.State.ENDED

    def test_an_educator_may_not_end_a_trust_admins_membership(
        self, client_for, educator, trust_admin
    ):
        member = membership_of(trust_admin)
        response = client_for(educator).post(url("membership_end", member))
        assert response.status_code == 403
        member.refresh_from_db()
        assert member.state == Membership.State.ACTIVE

    def test_nobody_ends_their_own_membership_here(self, client_for, trust_admin):
        member = membership_of(trust_admin)
        client = client_for(trust_admin)
        html = follow(client, client.post(url("membership_end", member)))
        assert "You cannot end your own membership" in html
        member.refresh_from_db()
        assert member.state == Membership.State.ACTIVE

    def test_ending_an_ended_membership_says_who_did_it(
        self, client_for, trust_admin, educator, add_member
    ):
        member = add_member()
        membership_end(membership=member, by=educator)
        client = client_for(trust_admin)
        html = follow(client, client.post(url("membership_end", member), {"reason": "again"}))
        assert f"has already ended by {educator.full_name}" in html
        assert member.events.filter(kind=MembershipEvent.Kind.ENDED).count() == 1

    def test_a_waiting_registration_is_declined_rather_than_ended(
        self, client_for, educator, waiting
    ):
        client = client_for(educator)
        html = follow(client, client.get(url("membership_end", waiting)))
        assert "is waiting for approval" in html
        waiting.refresh_from_db()
        assert waiting.state == Membership.State.AWAITING_APPROVAL

    def test_a_very_long_reason_is_explained(self, client_for, trust_admin, learner):
        member = membership_of(learner)
        html = read(
            client_for(trust_admin).post(url("membership_end", member), {"reason": "x" * 1001})
        )
        assert "Reason must be 1000 characters or fewer" in html
        assert "<title>Error: End" in html
        member.refresh_from_db()
        assert member.state == Membership.State.ACTIVE


class TestSendInvitationAgain:
    def test_it_emails_a_new_link_and_retires_the_old(
        self, client_for, educator, add_member, django_capture_on_commit_callbacks
    ):
        member = add_member(password=False)
        old, _token = AccessLink.issue(
            person=member.person, purpose=AccessLink.Purpose.INVITATION, trust=member.trust
        )
        client = client_for(educator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("invitation_resend", member))
        html = follow(client, response)
        assert f"We have emailed a new invitation to {member.person.email}" in html
        [email] = mail.outbox
        assert email.to == [member.person.email] and "/invitation/" in email.body
        old.refresh_from_db()
        assert old.is_expired
        assert member.events.filter(kind=MembershipEvent.Kind.INVITED, actor=educator).exists()

    def test_it_is_post_only(self, client_for, educator, add_member):
        member = add_member(password=False)
        assert client_for(educator).get(url("invitation_resend", member)).status_code == 405
        assert mail.outbox == []

    def test_someone_with_a_password_needs_no_invitation(self, client_for, trust_admin, learner):
        client = client_for(trust_admin)
        html = follow(client, client.post(url("invitation_resend", membership_of(learner))))
        assert "has already set a password" in html
        assert not AccessLink.objects.exists()

    def test_an_ended_membership_gets_no_invitation(self, client_for, trust_admin, add_member):
        member = add_member(password=False)
        membership_end(membership=member, by=trust_admin)
        client = client_for(trust_admin)
        html = follow(client, client.post(url("invitation_resend", member)))
        assert "is no longer a member of" in html
        assert not AccessLink.objects.exists()
