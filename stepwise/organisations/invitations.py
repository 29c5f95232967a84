"""Invitations to join a Trust, for people who already have an account: staff register them
(one at a time, or in a people file), and the person answers, signed in, themselves.

Until they accept, the membership is INVITED: it gives no access, and the Trust sees only
their name and email (no registration number, no record at other Trusts). Accepting starts
the membership; declining ends it before it started; the Trust may withdraw it meanwhile.
Each answer is one transaction, guarded by a conditional update, with its event row.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stepwise.core import formatting
from stepwise.core.errors import ConflictError
from stepwise.notifications.services import notify
from stepwise.organisations.models import Membership, MembershipEvent
from stepwise.organisations.services import expire_invitations, membership_transition

JOIN_EMAIL = "organisations/emails/join_invitation"


def invitation_notice(membership: Membership) -> str:
    return (
        f"{membership.trust.name} invites you to join as {membership.role_names.lower()}. "
        "Accept or decline the invitation."
    )


def invitation_to_join(membership: Membership, *, by) -> dict:
    """The notice and email for one invitation, as `notify` (or a bulk insert) takes them.
    Someone who has never set a password is also sent an invitation to set one: that only
    lets them sign in to answer, it does not accept."""
    person = membership.person
    return {
        "person": person,
        "text": invitation_notice(membership),
        "url": reverse("organisations:join_invitations"),
        "email_template": JOIN_EMAIL,
        "context": {
            "trust": membership.trust,
            "invited_by": by,
            "roles": membership.role_names.lower(),
            "needs_password": not person.has_usable_password(),
        },
    }


def invitation_to_join_send(*, membership: Membership, by) -> None:
    """Inside the registration: tell the person, in the app and by email, that they are
    invited and how to answer."""
    notify(**invitation_to_join(membership, by=by))


# --- The person's own answer -------------------------------------------------------------

ANSWERED = {
    Membership.State.ACTIVE: "You have already accepted this invitation: you are a member "
    "of {trust}",
    Membership.State.DECLINED: "You have already declined this invitation",
    Membership.State.ENDED: "{trust} has withdrawn this invitation",
}


def _answered(membership: Membership) -> str:
    """Why an invitation cannot be answered now: it was answered already (in another tab, a
    double click) or withdrawn, and when."""
    current = Membership.objects.select_related("trust").get(pk=membership.pk)
    last = current.events.filter(to_state=current.state).order_by("-at", "-pk").first()
    message = ANSWERED.get(current.state, "This invitation can no longer be answered").format(
        trust=current.trust.name
    )
    if last is not None:
        message += f" (on {formatting.date_time(last.at)})"
    return message + "."


def _answer(membership: Membership, *, by, to_state, kind, **changes) -> Membership:
    if by.pk != membership.person_id:
        # Nobody answers for someone else: not the Trust's staff, not a platform administrator.
        raise ConflictError("Only the person invited can answer an invitation to join.")
    try:
        return membership_transition(
            membership=membership,
            by=by,
            from_states=[Membership.State.INVITED],
            to_state=to_state,
            kind=kind,
            **changes,
        )
    except ConflictError:
        raise ConflictError(_answered(membership)) from None


def _tell_inviter(membership: Membership, text: str) -> None:
    if membership.created_by_id:
        notify(
            person=membership.created_by,
            text=text,
            url=reverse("organisations:person_detail", args=[membership.pk]),
        )


def membership_accept(*, membership: Membership, by) -> Membership:
    """The person accepts a Trust's invitation: from now on they are a member, with the roles
    it offered, and its staff see what a member's Trust sees."""
    with transaction.atomic():
        membership = _answer(
            membership,
            by=by,
            to_state=Membership.State.ACTIVE,
            kind=MembershipEvent.Kind.JOIN_ACCEPTED,
            # Their membership starts when they accept, not when they were asked.
            started_on=timezone.localdate(),
        )
        _tell_inviter(
            membership,
            f"{membership.person.full_name} accepted the invitation to join "
            f"{membership.trust.name} as {membership.role_names.lower()}.",
        )
    return membership


def membership_refuse(*, membership: Membership, by) -> Membership:
    """The person declines a Trust's invitation: the membership never starts, and the Trust
    sees no more than it did."""
    with transaction.atomic():
        membership = _answer(
            membership,
            by=by,
            to_state=Membership.State.DECLINED,
            kind=MembershipEvent.Kind.JOIN_DECLINED,
            ended_on=timezone.localdate(),
        )
        expire_invitations(membership)
        _tell_inviter(
            membership,
            f"{membership.person.full_name} declined the invitation to join "
            f"{membership.trust.name}.",
        )
    return membership


def membership_withdraw_invitation(*, membership: Membership, by) -> Membership:
    """The Trust takes back an invitation the person has not answered."""
    with transaction.atomic():
        membership = membership_transition(
            membership=membership,
            by=by,
            from_states=[Membership.State.INVITED],
            to_state=Membership.State.ENDED,
            kind=MembershipEvent.Kind.JOIN_WITHDRAWN,
            ended_on=timezone.localdate(),
        )
        expire_invitations(membership)
    return membership
