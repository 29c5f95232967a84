"""Changes to memberships and Trust settings. Each is one transaction, guarded against
races by a conditional update, and writes an event row."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from stepwise.accounts import mfa
from stepwise.accounts.models import AccessLink
from stepwise.accounts.services import sessions_end
from stepwise.core import formatting
from stepwise.core.email import send_templated_email
from stepwise.core.errors import ConflictError
from stepwise.organisations.models import (
    ROLE_FIELDS,
    Membership,
    MembershipEvent,
    Organisation,
    Role,
    TrustEvent,
    new_registration_code,
)

# Open: the person is, or may become, a member; one open membership per person and Trust.
OPEN_STATES = [
    Membership.State.INVITED,
    Membership.State.AWAITING_APPROVAL,
    Membership.State.ACTIVE,
]

# How a membership's state reads when someone else already moved it there.
ALREADY = {
    Membership.State.INVITED: "{person} has already been invited to join {trust}",
    Membership.State.ACTIVE: "{person} is already an active member of {trust}",
    Membership.State.AWAITING_APPROVAL: "{person}'s registration is waiting for approval",
    Membership.State.DECLINED: "{person}'s registration has already been declined",
    Membership.State.ENDED: "{person}'s membership of {trust} has already ended",
}
ALREADY_APPROVED = "{person}'s registration has already been approved"

# Roles and unit change only once the person is, or asked to be, a member: someone invited
# accepts or declines the roles they were offered, never ones changed while they decide.
ROLES_CHANGEABLE_STATES = [Membership.State.AWAITING_APPROVAL, Membership.State.ACTIVE]


def roles_wait_for_answer_message(membership: Membership) -> str:
    return (
        f"{membership.person.full_name} has not accepted the invitation to join yet, so their "
        "roles and unit cannot be changed: they answer the invitation they were sent. To offer "
        "different ones, withdraw the invitation and register them again"
    )


# Marks "no expected value given" apart from an expected value of None.
_UNSET = object()


def _role_flags(roles) -> dict:
    chosen = {Role(role) for role in roles}
    return {field: role in chosen for role, field in ROLE_FIELDS.items()}


def _role_labels(roles) -> str:
    return ", ".join(Role(role).label for role in roles) or "No role"


def _check_unit(unit: Organisation | None, trust: Organisation) -> None:
    if unit is not None and unit.parent_id != trust.pk:
        raise ValueError("The unit must belong to the Trust.")


def membership_create(
    *,
    person,
    trust: Organisation,
    roles,
    by=None,
    unit: Organisation | None = None,
    state: str = Membership.State.ACTIVE,
    kind: str = MembershipEvent.Kind.CREATED,
    partner_hei: Organisation | None = None,
    form_key=None,
) -> Membership:
    _check_unit(unit, trust)
    already = ConflictError(f"{person} is already a member of {trust}.")
    with transaction.atomic():
        if Membership.objects.filter(person=person, trust=trust, state__in=OPEN_STATES).exists():
            raise already
        try:
            # A savepoint: two staff adding the same person at once meet the database's
            # one-open-membership constraint, and the loser gets a message, not a 500.
            with transaction.atomic():
                membership = Membership.objects.create(
                    person=person,
                    trust=trust,
                    unit=unit,
                    partner_hei=partner_hei,
                    state=state,
                    created_by=by,
                    form_key=form_key,
                    **_role_flags(roles),
                )
        except IntegrityError as error:
            raise already from error
        MembershipEvent.write(
            membership=membership,
            kind=kind,
            actor=by,
            to_state=state,
            note=_role_labels(roles),
        )
    return membership


def membership_change_roles(*, membership: Membership, roles, unit, by) -> Membership:
    """Give a member different roles or move them to another unit. Changing nothing is a no-op."""
    _check_unit(unit, membership.trust)
    flags = _role_flags(roles)
    before_roles, before_unit = membership.role_names, membership.unit
    if membership.state not in ROLES_CHANGEABLE_STATES:
        raise ConflictError(_roles_conflict(membership))
    if all(getattr(membership, field) == value for field, value in flags.items()) and (
        membership.unit_id == (unit.pk if unit else None)
    ):
        return membership
    with transaction.atomic():
        changed = Membership.objects.filter(
            pk=membership.pk, state__in=ROLES_CHANGEABLE_STATES
        ).update(unit=unit, **flags)
        if not changed:
            membership.refresh_from_db(fields=["state"])
            raise ConflictError(_roles_conflict(membership))
        membership.refresh_from_db()
        changes = []
        if before_roles != membership.role_names:
            changes.append(f"Roles: {before_roles} to {membership.role_names}")
        if before_unit != membership.unit:
            changes.append(
                f"Unit: {before_unit.name if before_unit else 'none'} to "
                f"{membership.unit.name if membership.unit else 'none'}"
            )
        MembershipEvent.write(
            membership=membership,
            kind=MembershipEvent.Kind.ROLES_CHANGED,
            actor=by,
            note="; ".join(changes),
        )
    return membership


def _roles_conflict(membership: Membership) -> str:
    if membership.state == Membership.State.INVITED:
        return roles_wait_for_answer_message(membership)
    return conflict_message(membership)


def conflict_message(membership: Membership) -> str:
    """Why a change could not happen, or cannot now: the state the membership is in, who
    put it there and when."""
    current = Membership.objects.select_related("person", "trust").get(pk=membership.pk)
    last = (
        current.events.filter(to_state=current.state)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    phrase = ALREADY[current.state]
    if last is not None and last.kind == MembershipEvent.Kind.APPROVED:
        phrase = ALREADY_APPROVED
    message = phrase.format(person=current.person, trust=current.trust)
    if last is not None:
        if last.actor is not None:
            message += f" by {last.actor}"
        message += f" on {formatting.date_time(last.at)}"
    return message + "."


def membership_transition(
    *, membership: Membership, by, from_states, to_state, kind, note="", **changes
) -> Membership:
    """Move a membership from one of `from_states` to `to_state` if nobody moved it first
    (else ConflictError saying who did), with its event row."""
    with transaction.atomic():
        from_state = membership.state
        changed = 0
        if from_state in from_states:
            changed = Membership.objects.filter(pk=membership.pk, state=from_state).update(
                state=to_state, **changes
            )
        if not changed:
            raise ConflictError(conflict_message(membership))
        MembershipEvent.write(
            membership=membership,
            kind=kind,
            actor=by,
            from_state=from_state,
            to_state=to_state,
            note=note,
        )
    membership.refresh_from_db()
    return membership


def membership_approve(*, membership: Membership, by) -> Membership:
    """Let a self-registered person in; they are emailed that they can start."""
    with transaction.atomic():
        membership = membership_transition(
            membership=membership,
            by=by,
            from_states=[Membership.State.AWAITING_APPROVAL],
            to_state=Membership.State.ACTIVE,
            kind=MembershipEvent.Kind.APPROVED,
            # Their membership starts when they are let in, not when they asked.
            started_on=timezone.localdate(),
        )
        send_templated_email(
            to=membership.person.email,
            template="organisations/emails/registration_approved",
            context={"person": membership.person, "trust": membership.trust, "approved_by": by},
        )
    return membership


def membership_decline(*, membership: Membership, by, note: str = "") -> Membership:
    return membership_transition(
        membership=membership,
        by=by,
        from_states=[Membership.State.AWAITING_APPROVAL],
        to_state=Membership.State.DECLINED,
        kind=MembershipEvent.Kind.DECLINED,
        note=note,
        ended_on=timezone.localdate(),
    )


def membership_end(*, membership: Membership, by, note: str = "") -> Membership:
    """The person leaves the Trust. Their record and its history stay; invitations to this
    Trust that they have not used stop working; they are signed out everywhere at once, so a
    leaver on a shared ward tablet keeps no access to this Trust (they sign in again for any
    other Trust they belong to)."""
    with transaction.atomic():
        membership = membership_transition(
            membership=membership,
            by=by,
            from_states=OPEN_STATES,
            to_state=Membership.State.ENDED,
            kind=MembershipEvent.Kind.ENDED,
            note=note,
            ended_on=timezone.localdate(),
        )
        expire_invitations(membership)
        sessions_end(person=membership.person)
    return membership


def two_step_sign_in_reset(*, membership: Membership, by) -> None:
    """A Trust administrator resets a colleague's two-step sign-in (a lost phone and no
    recovery codes left): their app, passkeys and recovery codes are taken away and they are
    signed out everywhere, so they set up an app or a passkey again at their next sign-in.
    Written in the membership's history, naming who did it."""
    with transaction.atomic():
        removed = mfa.two_step_reset(person=membership.person)
        MembershipEvent.write(
            kind=MembershipEvent.Kind.TWO_STEP_RESET,
            actor=by,
            membership=membership,
            note=f"{removed} device(s) removed; signed out everywhere",
        )


def expire_invitations(membership: Membership) -> None:
    """Inside a change that closes a membership: invitations to set a password that the
    Trust sent and the person has not used stop working."""
    now = timezone.now()
    AccessLink.objects.filter(
        person=membership.person_id,
        trust=membership.trust_id,
        purpose=AccessLink.Purpose.INVITATION,
        used_at__isnull=True,
        expires_at__gt=now,
    ).update(expires_at=now)


def trust_rotate_registration_code(
    *, trust: Organisation, by, expected_code: str | None | object = _UNSET
) -> Organisation:
    """A new registration link; the old one stops working at once.

    `expected_code` is the link the person was looking at when they asked: if it has changed
    since (a double click, another administrator), nothing happens and they are told.
    """
    old = trust.registration_code if expected_code is _UNSET else expected_code
    with transaction.atomic():
        changed = Organisation.objects.filter(pk=trust.pk, registration_code=old).update(
            registration_code=new_registration_code()
        )
        if not changed:
            last = (
                trust.events.filter(kind=TrustEvent.Kind.REGISTRATION_LINK_CHANGED)
                .select_related("actor")
                .order_by("-at", "-pk")
                .first()
            )
            who = ""
            if last is not None:
                who = f" by {last.actor or 'someone else'} on {formatting.date_time(last.at)}"
            raise ConflictError(
                f"The registration link was already changed{who}. The link shown now is the "
                "one to share."
            )
        TrustEvent.write(trust=trust, actor=by, kind=TrustEvent.Kind.REGISTRATION_LINK_CHANGED)
    trust.refresh_from_db()
    return trust


def trust_set_registration_approval(
    *, trust: Organisation, requires_approval: bool, by
) -> Organisation:
    """Whether self-registered people wait for a Trust administrator. Setting the value it
    already has is a no-op."""
    with transaction.atomic():
        changed = Organisation.objects.filter(
            pk=trust.pk, registration_requires_approval=not requires_approval
        ).update(registration_requires_approval=requires_approval)
        if changed:
            TrustEvent.write(
                trust=trust,
                actor=by,
                kind=TrustEvent.Kind.SETTINGS_CHANGED,
                note="Self-registrations need approval"
                if requires_approval
                else "Self-registrations start at once",
            )
    trust.refresh_from_db()
    return trust
