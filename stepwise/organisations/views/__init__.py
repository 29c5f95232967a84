"""The Trust's administration pages: its people, registrations waiting for approval, and
its registration settings."""

from stepwise.organisations.views.people import (
    invitation_resend,
    invitation_withdraw,
    membership_end,
    people,
    person_detail,
    person_register,
    person_roles,
    two_step_reset,
)
from stepwise.organisations.views.registrations import approval_decide, approvals
from stepwise.organisations.views.trust_settings import registration_link_new, trust_settings

__all__ = [
    "approval_decide",
    "approvals",
    "invitation_resend",
    "invitation_withdraw",
    "membership_end",
    "people",
    "person_detail",
    "person_register",
    "person_roles",
    "registration_link_new",
    "trust_settings",
    "two_step_reset",
]
