"""Registrations through the Trust's link that wait for a Trust administrator."""

import pytest
from django.core import mail
from django.urls import reverse

from stepwise.organisations.models import Membership, MembershipEvent
from stepwise.organisations.services import membership_approve
from stepwise.organisations.tests.conftest import membership_of, read

LIST = reverse("organisations:approvals")


def decide_url(member) -> str:
    return reverse("organisations:approval_decide", args=[member.pk])


def follow(client, response) -> str:
    assert response.status_code == 302
    assert response.url == LIST
    return read(client.get(response.url))


class TestTheList:
    def test_it_lists_only_this_trusts_waiting_registrations(
        self, client_for, trust_admin, waiting, learner, add_member, other_trust
    ):
        elsewhere = add_member(in_trust=other_trust, state=Membership.State.AWAITING_APPROVAL)
        html = read(client_for(trust_admin).get(LIST))
        assert waiting.person.full_name in html
        assert waiting.person.registration in html
        assert decide_url(waiting) in html
        assert "1 registration waiting" in html
        assert learner.email not in html
        assert elsewhere.person.email not in html

    def test_an_empty_list_says_so(self, client_for, trust_admin):
        assert "No registrations are waiting" in read(client_for(trust_admin).get(LIST))

    @pytest.mark.parametrize("count", [3, 40])
    def test_the_query_count_does_not_grow_with_the_list(
        self, client_for, trust_admin, add_member, django_assert_max_num_queries, count
    ):
        for _ in range(count):
            add_member(state=Membership.State.AWAITING_APPROVAL)
        client = client_for(trust_admin)
        # The header's count of unread notifications comes with the person's row.
        with django_assert_max_num_queries(5):
            assert client.get(LIST, {"page": 2}).status_code == 200


class TestDeciding:
    def test_the_page_shows_who_registered(self, client_for, trust, trust_admin, waiting):
        html = read(client_for(trust_admin).get(decide_url(waiting)))
        assert f"Approve or decline {waiting.person.full_name}" in html
        assert waiting.person.email in html
        assert trust.units[0].name in html
        assert "Approve registration" in html and "Decline registration" in html

    def test_approving_lets_them_in_and_emails_them(
        self, client_for, trust_admin, waiting, django_capture_on_commit_callbacks
    ):
        client = client_for(trust_admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(decide_url(waiting), {"decision": "approve", "reason": "x"})
        html = follow(client, response)
        assert f"{waiting.person.full_name} has been approved" in html
        waiting.refresh_from_db()
        assert waiting.state == Membership.State.ACTIVE
        event = waiting.events.get(kind=MembershipEvent.Kind.APPROVED)
        assert (event.actor, event.note) == (trust_admin, "")
        [email] = mail.outbox
        assert email.to == [waiting.person.email]
        assert "approved your registration" in email.body

    def test_declining_keeps_the_reason(self, client_for, trust_admin, waiting):
        client = client_for(trust_admin)
        response = client.post(
            decide_url(waiting), {"decision": "decline", "reason": "Does not work here"}
        )
        html = follow(client, response)
        assert "registration has been declined" in html
        waiting.refresh_from_db()
        assert waiting.state == Membership.State.DECLINED
        assert waiting.events.get(kind=MembershipEvent.Kind.DECLINED).note == "Does not work here"
        assert mail.outbox == []

    def test_the_second_of_two_approvals_is_told_who_was_first(
        self, client_for, trust_admin, waiting
    ):
        client = client_for(trust_admin)
        follow(client, client.post(decide_url(waiting), {"decision": "approve"}))
        html = follow(client, client.post(decide_url(waiting), {"decision": "approve"}))
        assert f"registration has already been approved by {trust_admin.full_name} on" in html
        assert waiting.events.filter(kind=MembershipEvent.Kind.APPROVED).count() == 1

    def test_a_race_inside_the_request_is_a_message_not_an_error(
        self, client_for, trust_admin, educator, waiting, monkeypatch
    ):
        # Someone else approves between this request reading the registration and saving.
        from stepwise.organisations.views import registrations

        real = registrations.services.membership_approve

        def approved_first(*, membership, by):
            membership_approve(membership=Membership.objects.get(pk=membership.pk), by=educator)
            return real(membership=membership, by=by)

        monkeypatch.setattr(registrations.services, "membership_approve", approved_first)
        client = client_for(trust_admin)
        html = follow(client, client.post(decide_url(waiting), {"decision": "approve"}))
        assert f"already been approved by {educator.full_name}" in html

    @pytest.mark.parametrize("decision", ["", "maybe"])
    def test_a_missing_or_unknown_decision_is_explained(
        self, client_for, trust_admin, waiting, decision
    ):
        response = client_for(trust_admin).post(decide_url(waiting), {"decision": decision})
        html = read(response)
        assert response.status_code == 200
        assert "Choose whether to approve or decline the registration" in html
        assert "<title>Error: Approve or decline" in html
        waiting.refresh_from_db()
        assert waiting.state == Membership.State.AWAITING_APPROVAL

    def test_a_long_reason_is_explained(self, client_for, trust_admin, waiting):
        html = read(
            client_for(trust_admin).post(
                decide_url(waiting), {"decision": "decline", "reason": "x" * 1001}
            )
        )
        assert "Reason must be 1000 characters or fewer" in html
        waiting.refresh_from_db()
        assert waiting.state == Membership.State.AWAITING_APPROVAL

    def test_a_membership_not_waiting_cannot_be_decided(self, client_for, trust_admin, learner):
        member = membership_of(learner)
        client = client_for(trust_admin)
        html = follow(client, client.post(decide_url(member), {"decision": "decline"}))
        assert "is already an active member" in html
        member.refresh_from_db()
        assert member.state == Membership.State.ACTIVE
