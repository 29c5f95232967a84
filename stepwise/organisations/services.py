"""Changes to memberships and Trust settings. Each is one transaction, guarded against
races by a conditional update, and writes an event row."""

from django.db import transaction
from django.utils import timezone

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

OPEN_STATES = [Membership.State.AWAITING_APPROVAL, Membership.State.ACTIVE]


def _role_flags(roles) -> dict:
    chosen = {Role(role) for role in roles}
    return {field: role in chosen for role, field in ROLE_FIELDS.items()}


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
) -> Membership:
    if unit is not None and unit.parent_id != trust.pk:
        raise ValueError("The unit must belong to the Trust.")
    with transaction.atomic():
        if Membership.objects.filter(person=person, trust=trust, state__in=OPEN_STATES).exists():
            raise ConflictError(f"{person} is already a member of {trust}.")
        membership = Membership.objects.create(
            person=person,
            trust=trust,
            unit=unit,
            partner_hei=partner_hei,
            state=state,
            created_by=by,
            **_role_flags(roles),
        )
        MembershipEvent.objects.create(
            membership=membership,
            kind=kind,
            actor=by,
            to_state=state,
            note=", ".join(Role(role).label for role in roles),
        )
    return membership


def membership_change_roles(*, membership: Membership, roles, unit, by) -> Membership:
    flags = _role_flags(roles)
    with transaction.atomic():
        changed = Membership.objects.filter(pk=membership.pk, state__in=OPEN_STATES).update(
            unit=unit, **flags
        )
        if not changed:
            raise ConflictError(f"{membership.person} is no longer a member of {membership.trust}.")
        MembershipEvent.objects.create(
            membership=membership,
            kind=MembershipEvent.Kind.ROLES_CHANGED,
            actor=by,
            note=", ".join(Role(role).label for role in roles)
            + (f"; unit: {unit.name}" if unit else ""),
        )
    membership.refresh_from_db()
    return membership


def _transition(*, membership, by, to_state, kind, note="", **changes) -> Membership:
    with transaction.atomic():
        from_state = membership.state
        changed = Membership.objects.filter(pk=membership.pk, state=from_state).update(
            state=to_state, **changes
        )
        if not changed:
            current = Membership.objects.get(pk=membership.pk)
            last = current.events.order_by("-at", "-pk").select_related("actor").first()
            who = f" by {last.actor} on {last.at:%d %B %Y}" if last and last.actor else ""
            raise ConflictError(
                f"This membership is already {current.get_state_display().lower()}{who}."
            )
        MembershipEvent.objects.create(
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
    if membership.state != Membership.State.AWAITING_APPROVAL:
        raise ConflictError("This registration is not waiting for approval.")
    return _transition(
        membership=membership,
        by=by,
        to_state=Membership.State.ACTIVE,
        kind=MembershipEvent.Kind.APPROVED,
    )


def membership_decline(*, membership: Membership, by, note: str = "") -> Membership:
    if membership.state != Membership.State.AWAITING_APPROVAL:
        raise ConflictError("This registration is not waiting for approval.")
    return _transition(
        membership=membership,
        by=by,
        to_state=Membership.State.DECLINED,
        kind=MembershipEvent.Kind.DECLINED,
        note=note,
        ended_on=timezone.localdate(),
    )


def membership_end(*, membership: Membership, by, note: str = "") -> Membership:
    """The person leaves the Trust. Their record and its history stay."""
    if membership.state not in OPEN_STATES:
        raise ConflictError(f"{membership.person} has already left {membership.trust}.")
    return _transition(
        membership=membership,
        by=by,
        to_state=Membership.State.ENDED,
        kind=MembershipEvent.Kind.ENDED,
        note=note,
        ended_on=timezone.localdate(),
    )


def trust_rotate_registration_code(*, trust: Organisation, by) -> Organisation:
    """A new registration link; the old one stops working at once."""
    with transaction.atomic():
        old = trust.registration_code
        new = new_registration_code()
        changed = Organisation.objects.filter(pk=trust.pk, registration_code=old).update(
            registration_code=new
        )
        if not changed:
            raise ConflictError("Someone else changed the registration link just now.")
        TrustEvent.objects.create(
            trust=trust, actor=by, kind=TrustEvent.Kind.REGISTRATION_LINK_CHANGED
        )
    trust.refresh_from_db()
    return trust


def trust_set_registration_approval(*, trust: Organisation, requires_approval: bool, by):
    with transaction.atomic():
        Organisation.objects.filter(pk=trust.pk).update(
            registration_requires_approval=requires_approval
        )
        TrustEvent.objects.create(
            trust=trust,
            actor=by,
            kind=TrustEvent.Kind.SETTINGS_CHANGED,
            note="Self-registrations need approval"
            if requires_approval
            else "Self-registrations start at once",
        )
    trust.refresh_from_db()
    return trust
