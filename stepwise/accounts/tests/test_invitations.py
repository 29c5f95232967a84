from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.models import AccessLink
from stepwise.accounts.services import LinkError, PersonDetails, invitation_accept
from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core.errors import ConflictError
from stepwise.organisations.joining import invitation_send, person_register
from stepwise.organisations.models import Membership, MembershipEvent, Role

NEW_PASSWORD = "a-long-new-password-42"


def invite(trust, by, email="new.nurse@example.org", roles=(Role.LEARNER,)):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return person_register(
            details=PersonDetails(full_name="New Nurse", email=email),
            trust=trust,
            unit=trust.units[0],
            roles=roles,
            by=by,
        )


def token_from_email(message) -> str:
    marker = "/invitation/"
    start = message.body.index(marker) + len(marker)
    return message.body[start:].split("/")[0]


def test_registering_someone_new_sends_a_single_use_invitation(trust, trust_admin):
    membership = invite(trust, trust_admin, email="New.Nurse@Example.org")
    assert membership.person.email == "new.nurse@example.org"
    assert not membership.person.has_usable_password()
    assert [m.to for m in mail.outbox] == [["new.nurse@example.org"]]
    assert trust.name in mail.outbox[0].subject
    assert MembershipEvent.objects.filter(
        membership=membership, kind=MembershipEvent.Kind.INVITED
    ).exists()

    token = token_from_email(mail.outbox[0])
    person = invitation_accept(token=token, password=NEW_PASSWORD)
    assert person.check_password(NEW_PASSWORD)
    assert person.email_verified_at is not None
    with pytest.raises(LinkError, match="already been used"):
        invitation_accept(token=token, password="another-password-99")


def test_someone_already_registered_is_invited_with_the_same_account(
    trust, other_learner, trust_admin
):
    membership = invite(trust, trust_admin, email=other_learner.email.upper())
    assert membership.person == other_learner
    # They join when they accept, themselves (organisations.invitations).
    assert membership.state == Membership.State.INVITED
    assert other_learner.memberships.current().count() == 1
    assert "invites you to join" in mail.outbox[0].subject


def test_registering_a_current_member_again_is_refused(trust, learner, trust_admin):
    with pytest.raises(ConflictError, match="already a member"):
        invite(trust, trust_admin, email=learner.email)
    assert learner.memberships.count() == 1


def test_an_expired_invitation_cannot_be_used(trust, trust_admin):
    invite(trust, trust_admin)
    AccessLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(LinkError, match="expired"):
        invitation_accept(token=token_from_email(mail.outbox[0]), password=NEW_PASSWORD)


def test_sending_again_retires_the_earlier_link(trust, trust_admin):
    membership = invite(trust, trust_admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation_send(membership=membership, by=trust_admin)
    first, second = (token_from_email(message) for message in mail.outbox)
    with pytest.raises(LinkError, match="expired"):
        invitation_accept(token=first, password=NEW_PASSWORD)
    assert invitation_accept(token=second, password=NEW_PASSWORD).has_usable_password()


def test_someone_with_a_password_needs_no_invitation(trust, learner, trust_admin):
    membership = Membership.objects.get(person=learner)
    with pytest.raises(ConflictError, match="already set a password"):
        invitation_send(membership=membership, by=trust_admin)


class TestTheInvitationPage:
    def test_it_sets_the_password_and_signs_the_person_in(self, client, trust, trust_admin):
        invite(trust, trust_admin)
        url = reverse("accounts:accept_invitation", args=[token_from_email(mail.outbox[0])])
        page = client.get(url).content.decode()
        assert "New Nurse" in page
        response = client.post(
            url, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
        )
        assert response.url == reverse("core:home")
        assert client.session["_auth_user_id"] == str(AccessLink.objects.get().person_id)

    def test_no_browser_or_cache_keeps_the_page(self, client, trust, trust_admin):
        # The visitor has no session yet, so only the view itself can say so.
        invite(trust, trust_admin)
        url = reverse("accounts:accept_invitation", args=[token_from_email(mail.outbox[0])])
        response = client.get(url)
        assert "sessionid" not in client.cookies
        assert "no-store" in response["Cache-Control"]

    def test_mismatched_or_weak_passwords_are_explained(self, client, trust, trust_admin):
        invite(trust, trust_admin)
        url = reverse("accounts:accept_invitation", args=[token_from_email(mail.outbox[0])])
        html = client.post(
            url, {"new_password": NEW_PASSWORD, "confirm_password": "something-else-1"}
        ).content.decode()
        assert "The passwords do not match" in html
        assert "<title>Error:" in html
        html = client.post(
            url, {"new_password": "short", "confirm_password": "short"}
        ).content.decode()
        assert "too short" in html
        assert not AccessLink.objects.get().is_used

    @pytest.mark.parametrize("state", ["used", "expired", "unknown"])
    def test_a_bad_link_gets_a_clear_page_not_an_error(self, client, trust, trust_admin, state):
        invite(trust, trust_admin)
        token = token_from_email(mail.outbox[0])
        if state == "used":
            invitation_accept(token=token, password=NEW_PASSWORD)
        elif state == "expired":
            AccessLink.objects.update(expires_at=timezone.now())
        else:
            token = "made-up-token"
        response = client.get(reverse("accounts:accept_invitation", args=[token]))
        assert response.status_code == 200
        assert "There is a problem with this link" in response.content.decode()


def test_an_unknown_person_gets_the_same_reset_answer_as_a_known_one(client, learner):
    url = reverse("accounts:password_reset")
    with TestCase.captureOnCommitCallbacks(execute=True):
        known = client.post(url, {"email": learner.email}).content.decode()
    unknown = client.post(url, {"email": "nobody@example.org"}).content.decode()
    assert "Check your email" in known and "Check your email" in unknown
    assert len(mail.outbox) == 1


def test_password_reset_link_changes_the_password_once(client, learner):
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": learner.email})
    body = mail.outbox[0].body
    path = body[body.index("/password-reset/") :].split()[0]
    response = client.post(path, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.url == reverse("accounts:sign_in")
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    # The token is tied to the old password hash, so it cannot be used again.
    assert "not valid or has expired" in client.get(path).content.decode()


def test_change_password_needs_the_current_one(client_for, learner):
    client = client_for(learner)
    url = reverse("accounts:change_password")
    html = client.post(
        url,
        {
            "current_password": "wrong",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    ).content.decode()
    assert "Your current password is not correct" in html
    from stepwise.accounts.tests.factories import TEST_PASSWORD

    response = client.post(
        url,
        {
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.url == reverse("core:home")
    # Still signed in after the change.
    assert client.get(url).status_code == 200


def test_change_password_needs_sign_in(client, db):
    response = client.get(reverse("accounts:change_password"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_people_are_hashed_with_argon2_in_production_settings():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    person = PersonFactory.build()
    assert person.full_name
