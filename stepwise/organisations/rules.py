"""Who may do what to a membership, declared once: the person page decides which actions to
offer from these, and the views that carry the actions out check the same rules.

`viewer` is the current membership of the member of staff; `member` the membership acted on.
A rule about who someone is (their role) is a 403 when broken; whether the membership is in a
state to be changed is a separate question with its own message.
"""

from stepwise.organisations.models import Membership, Role
from stepwise.organisations.services import OPEN_STATES, ROLES_CHANGEABLE_STATES


def roles_grantable(viewer: Membership) -> list[Role]:
    """Only a Trust administrator may make someone a Trust administrator."""
    if viewer.has_role(Role.TRUST_ADMIN):
        return list(Role)
    return [role for role in Role if role != Role.TRUST_ADMIN]


def may_change_roles(viewer: Membership) -> bool:
    return viewer.has_role(Role.TRUST_ADMIN)


def may_end(viewer: Membership, member: Membership) -> bool:
    """Educators may end a learner's or assessor's membership, not a Trust administrator's;
    nobody ends their own here (it would lock them out mid-task)."""
    if member.person_id == viewer.person_id:
        return False
    return viewer.has_role(Role.TRUST_ADMIN) or not member.has_role(Role.TRUST_ADMIN)


def may_decide_registration(viewer: Membership) -> bool:
    return viewer.has_role(Role.TRUST_ADMIN)


def is_open(member: Membership) -> bool:
    return member.state in OPEN_STATES


def roles_changeable(member: Membership) -> bool:
    """Not while an invitation waits: the person answers the roles they were offered."""
    return member.state in ROLES_CHANGEABLE_STATES


def needs_invitation(member: Membership) -> bool:
    """Staff-registered people who have not yet set a password can be sent the link again
    (someone invited to join needs one to sign in and answer)."""
    return (
        member.state in (Membership.State.ACTIVE, Membership.State.INVITED)
        and not member.person.has_usable_password()
    )


def may_reset_two_step(viewer: Membership, member: Membership) -> bool:
    """A Trust administrator resets a colleague's two-step sign-in: someone in their own Trust
    now, not themselves (their recovery codes are for that), and not a platform administrator
    (another platform administrator resets theirs)."""
    return (
        viewer.has_role(Role.TRUST_ADMIN)
        and member.state == Membership.State.ACTIVE
        and member.person_id != viewer.person_id
        and not member.person.is_staff
    )
