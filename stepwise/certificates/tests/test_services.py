"""Issuing (with the credential's status place and hashed email) and revoking certificates."""

import hashlib

import pytest
from django.core import mail
from django.test import TestCase

from stepwise.certificates.models import Certificate, CertificateEvent
from stepwise.certificates.services import certificate_revoke, may_revoke, recipient_identity
from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date_time
from stepwise.notifications.models import Notification
from stepwise.organisations.tests.factories import MembershipFactory


def test_issuing_stores_the_hashed_email_as_open_badges_hashes_it(signed_off, learner):
    expected = hashlib.sha256((learner.email + signed_off.recipient_salt).encode()).hexdigest()
    assert signed_off.recipient_hash == f"sha256${expected}"


def test_the_identity_hash_uses_the_address_as_stored(db):
    salt, identity = recipient_identity("  Nurse@Example.ORG ", salt="Kosher")
    assert salt == "Kosher"
    digest = hashlib.sha256(b"nurse@example.orgKosher").hexdigest()
    assert identity == f"sha256${digest}"


def test_each_issue_gets_a_fresh_salt(db):
    assert recipient_identity("a@example.org")[0] != recipient_identity("a@example.org")[0]


class TestRevoking:
    def revoke(self, certificate, by, reason="Signed off in error: the wrong learner"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return certificate_revoke(certificate=certificate, by=by, reason=reason)

    def test_it_records_who_when_and_why_and_keeps_everything(self, signed_off, trust_admin):
        revoked = self.revoke(signed_off, trust_admin, reason="  Issued in error  ")
        assert revoked.revoked_by == trust_admin
        assert revoked.revocation_reason == "Issued in error"
        assert revoked.revoked_at is not None
        event = CertificateEvent.objects.get(certificate=signed_off, kind="revoked")
        assert (event.actor, event.note, event.at) == (
            trust_admin,
            "Issued in error",
            revoked.revoked_at,
        )
        assert Certificate.objects.filter(pk=signed_off.pk).exists()
        assert signed_off.events.count() == 3  # issued, PDF made, revoked

    def test_the_learner_is_told_with_the_reason(self, signed_off, trust_admin, learner):
        self.revoke(signed_off, trust_admin, reason="Issued in error")
        notice = Notification.objects.filter(person=learner).latest("pk")
        assert "Your certificate for Sample step-1 version 1.0 was revoked on" in notice.text
        [email] = [e for e in mail.outbox if learner.email in e.to and "revoked" in e.subject]
        assert email.subject == "Your certificate has been revoked: Sample step-1"
        assert "The reason given: Issued in error" in email.body

    def test_a_second_revoke_says_who_got_there_first(
        self, signed_off, trust_admin, platform_admin
    ):
        first = self.revoke(signed_off, trust_admin)
        with pytest.raises(ConflictError) as error:
            self.revoke(signed_off, platform_admin, reason="Also wrong")
        assert str(error.value) == (
            f"This certificate was already revoked by {trust_admin.full_name} on "
            f"{date_time(first.revoked_at)}."
        )
        signed_off.refresh_from_db()
        assert signed_off.revoked_by == trust_admin
        assert signed_off.events.filter(kind="revoked").count() == 1

    def test_a_stale_copy_cannot_revoke_twice(self, signed_off, trust_admin, platform_admin):
        stale = Certificate.objects.get(pk=signed_off.pk)
        self.revoke(signed_off, trust_admin)
        with pytest.raises(ConflictError, match="already revoked"):
            self.revoke(stale, platform_admin)

    @pytest.mark.parametrize("reason", ["", "   \n"])
    def test_a_reason_is_required(self, signed_off, trust_admin, reason):
        with pytest.raises(ConflictError, match="Enter the reason"):
            self.revoke(signed_off, trust_admin, reason=reason)
        signed_off.refresh_from_db()
        assert not signed_off.is_revoked

    @pytest.mark.parametrize("persona", ["learner", "educator", "assessor", "other_trust_admin"])
    def test_only_admins_of_the_issuing_trust_or_the_platform_may(
        self, request, signed_off, persona
    ):
        person = request.getfixturevalue(persona)
        assert not may_revoke(person, signed_off)
        with pytest.raises(ConflictError, match="Only a platform administrator"):
            self.revoke(signed_off, person)

    def test_platform_admins_and_the_trusts_admins_may(
        self, signed_off, trust_admin, platform_admin
    ):
        assert may_revoke(trust_admin, signed_off)
        assert may_revoke(platform_admin, signed_off)

    def test_a_trust_admin_whose_membership_ended_may_not(self, signed_off, trust_admin):
        trust_admin.memberships.update(state="ended")
        assert not may_revoke(trust_admin, signed_off)

    def test_an_admin_of_the_issuing_trust_working_elsewhere_now_still_may(
        self, signed_off, trust_admin, other_trust
    ):
        MembershipFactory(person=trust_admin, trust=other_trust, is_learner=True)
        assert may_revoke(trust_admin, signed_off)
