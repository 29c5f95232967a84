"""A Trust administrator resets a colleague's two-step sign-in (issue 12, point 1): only for
people of their own Trust, written in the membership's history, and the colleague is signed
out everywhere and sets up an app again at their next sign-in."""

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import TEST_PASSWORD
from stepwise.organisations.models import MembershipEvent
from stepwise.organisations.tests.conftest import membership_of, read
from stepwise.organisations.tests.factories import MembershipFactory


def reset_url(member) -> str:
    return reverse("organisations:two_step_reset", args=[member.pk])


def test_a_trust_admin_resets_a_colleague_who_then_sets_up_again(client_for, trust_admin, assessor):
    colleague = two_step.sign_in(Client(), assessor)
    assert colleague.get("/to-review/").status_code == 200
    member = membership_of(assessor)

    admin = client_for(trust_admin)
    page = read(admin.get(reverse("organisations:person_detail", args=[member.pk])))
    assert reset_url(member) in page
    assert "Reset " in read(admin.get(reset_url(member)))
    response = admin.post(reset_url(member))
    assert response.url == reverse("organisations:person_detail", args=[member.pk])
    page = read(admin.get(response.url))
    assert "two-step sign-in has been reset" in page
    assert "Two-step sign-in reset" in page  # in the history

    assert not TOTPDevice.objects.filter(user=assessor).exists()
    assert not StaticDevice.objects.filter(user=assessor).exists()
    event = MembershipEvent.objects.get(kind=MembershipEvent.Kind.TWO_STEP_RESET)
    assert (event.membership, event.actor) == (member, trust_admin)
    # Their session has ended; at the next sign-in they set up an app again.
    assert colleague.get("/to-review/").url.startswith(reverse("accounts:sign_in"))
    response = colleague.post(
        reverse("accounts:sign_in"), {"email": assessor.email, "password": TEST_PASSWORD}
    )
    assert response.url.startswith(reverse("accounts:mfa_set_up"))


def test_another_trusts_person_is_not_found(client_for, other_trust_admin, assessor):
    two_step.app_for(assessor)
    member = membership_of(assessor)
    admin = client_for(other_trust_admin)
    assert admin.get(reset_url(member)).status_code == 404
    assert admin.post(reset_url(member)).status_code == 404
    assert TOTPDevice.objects.filter(user=assessor).exists()


def test_only_a_trust_admin_may_reset(client_for, educator, assessor):
    two_step.app_for(assessor)
    assert client_for(educator).post(reset_url(membership_of(assessor))).status_code == 403
    assert TOTPDevice.objects.filter(user=assessor).exists()


def test_not_their_own_nor_a_platform_admins(client_for, trust, trust_admin, platform_admin):
    admin = client_for(trust_admin)
    own = membership_of(trust_admin)
    page = read(admin.post(reset_url(own), follow=True))
    assert "You cannot reset your own two-step sign-in" in page
    assert TOTPDevice.objects.filter(user=trust_admin).exists()

    platform_member = MembershipFactory(trust=trust, person=platform_admin, is_learner=True)
    two_step.app_for(platform_admin)
    page = read(admin.post(reset_url(platform_member), follow=True))
    assert "cannot be reset here" in page
    assert TOTPDevice.objects.filter(user=platform_admin).exists()
    assert not MembershipEvent.objects.filter(kind=MembershipEvent.Kind.TWO_STEP_RESET).exists()
