"""Two-step sign-in for the demo's staff: one known authenticator key for all of them, so
anyone trying the demo can sign in with an authenticator app or `oathtool` (README, "Demo
accounts"). Like the demo password, it is public: DEBUG only, never on a real site."""

from base64 import b32encode

from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from stepwise.accounts import mfa
from stepwise.accounts.models import User
from stepwise.organisations.access import STAFF_ROLES
from stepwise.organisations.models import ROLE_FIELDS, Membership
from stepwise.reports.models import NetworkLead

# Hex, as django-otp keeps it; its base32 form (what an app or oathtool is given) is below.
DEMO_TOTP_KEY = "53746570776973652064656d6f20323032362121"
DEMO_TOTP_SECRET = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def demo_staff() -> list[User]:
    """The demo's people who must use two-step sign-in."""
    trust_staff = Q()
    for role in STAFF_ROLES:
        trust_staff |= Q(**{f"memberships__{ROLE_FIELDS[role]}": True})
    return list(
        User.objects.filter(
            Q(is_staff=True)
            | Q(is_framework_author=True)
            | (trust_staff & Q(memberships__state=Membership.State.ACTIVE))
            | Q(pk__in=NetworkLead.objects.current().values("person_id"))
        ).distinct()
    )


def seed_two_step() -> int:
    """Give every demo staff member who has none an authenticator app with the demo key."""
    added = 0
    for person in demo_staff():
        if not TOTPDevice.objects.filter(user=person).exists():
            TOTPDevice.objects.create(
                user=person,
                name="Authenticator app",
                key=DEMO_TOTP_KEY,
                tolerance=mfa.TOLERANCE,
                confirmed=True,
            )
            added += 1
    return added


def current_code() -> str:
    return mfa.code_now(DEMO_TOTP_KEY)
