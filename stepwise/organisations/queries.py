"""What the Trust's people pages read. Every query starts from the Trust, so nothing of
another Trust's can appear, and each page's query count stays the same however many people
it lists."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from stepwise.accounts.registration import normalise_registration_number
from stepwise.organisations.models import (
    ROLE_FIELDS,
    Membership,
    MembershipEvent,
    Organisation,
    Role,
    TrustEvent,
)


def trust_units(trust: Organisation) -> list[Organisation]:
    return list(trust.children.filter(kind=Organisation.Kind.UNIT).order_by("name"))


def _joined_by_consent() -> ExpressionWrapper:
    """Whether the person agreed to this Trust seeing who they are. Staff make a membership
    for someone who already has an account only by inviting them: unless they accepted, the
    Trust sees their name and email alone, whether the invitation still waits, was declined
    or was withdrawn (else inviting and withdrawing would show their registration)."""
    events = MembershipEvent.objects.filter(membership=OuterRef("pk"))
    invited = Exists(events.filter(kind=MembershipEvent.Kind.JOIN_INVITED))
    accepted = Exists(events.filter(kind=MembershipEvent.Kind.JOIN_ACCEPTED))
    return ExpressionWrapper(~invited | accepted, output_field=BooleanField())


def trust_members(trust: Organisation) -> QuerySet[Membership]:
    """Every membership of the Trust, with what the people pages show about it."""
    return trust.memberships.select_related("person", "unit", "trust").annotate(
        joined_by_consent=_joined_by_consent()
    )


def trust_people(
    trust: Organisation,
    *,
    search: str = "",
    unit_id: int | None = None,
    role: str | None = None,
    states=None,
) -> QuerySet[Membership]:
    people = trust.memberships.select_related("person", "unit").annotate(
        joined_by_consent=_joined_by_consent()
    )
    # Each word must match the name, the email or the registration number, so
    # "amara icu" or "okafor 21A4567C" both narrow the list. Someone invited is only a name
    # and an email here unless they accepted: their number finds nothing, in any state.
    for word in search.split():
        people = people.filter(
            Q(person__full_name__icontains=word)
            | Q(person__email__icontains=word)
            | (
                Q(person__registration_number__icontains=normalise_registration_number(word))
                & Q(joined_by_consent=True)
            )
        )
    if unit_id is not None:
        people = people.filter(unit_id=unit_id)
    if role:
        people = people.filter(**{ROLE_FIELDS[Role(role)]: True})
    if states is not None:
        people = people.filter(state__in=states)
    return people.order_by("person__full_name", "person__email", "pk")


def invitations_to_join(person) -> list[Membership]:
    """The person's own invitations waiting for their answer, oldest first."""
    return list(
        person.memberships.filter(state=Membership.State.INVITED)
        .select_related("trust", "unit", "created_by")
        .order_by("created_at", "pk")
    )


def registrations_waiting(trust: Organisation) -> QuerySet[Membership]:
    """Self-registrations waiting for a Trust administrator, longest waiting first."""
    return (
        trust.memberships.filter(state=Membership.State.AWAITING_APPROVAL)
        .select_related("person", "unit")
        .order_by("created_at", "pk")
    )


def membership_history(member: Membership) -> list[MembershipEvent]:
    return list(member.events.select_related("actor").order_by("-at", "-pk"))


def registration_link_changed(trust: Organisation) -> TrustEvent | None:
    return (
        trust.events.filter(kind=TrustEvent.Kind.REGISTRATION_LINK_CHANGED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
