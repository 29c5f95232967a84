"""Helpers for the Trust administration tests: people in the Trust in every state."""

from html import unescape

import pytest

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.organisations.models import Membership, MembershipEvent
from stepwise.organisations.tests.factories import MembershipFactory


def membership_of(person) -> Membership:
    return Membership.objects.get(person=person, state=Membership.State.ACTIVE)


def read(response) -> str:
    """The page as text to search, with entities decoded: names like O'Neill are escaped in
    the HTML."""
    return unescape(response.content.decode())


@pytest.fixture
def add_member(trust):
    """`add_member(**fields)`: someone new with a membership of the Trust (a learner in the
    first unit unless told otherwise), with its first history event."""

    def add(*, person=None, password=True, in_trust=None, **fields):
        in_trust = in_trust or trust
        fields.setdefault("unit", in_trust.units[0])
        if not any(key.startswith("is_") for key in fields):
            fields["is_learner"] = True
        if person is None:
            person = PersonFactory() if password else PersonFactory(password=None)
        member = MembershipFactory(person=person, trust=in_trust, **fields)
        MembershipEvent.objects.create(
            membership=member,
            kind=MembershipEvent.Kind.CREATED,
            to_state=member.state,
        )
        return member

    return add


@pytest.fixture
def waiting(add_member):
    """Someone who registered through the link and waits for approval."""
    member = add_member(state=Membership.State.AWAITING_APPROVAL)
    MembershipEvent.objects.filter(membership=member).update(
        kind=MembershipEvent.Kind.REGISTERED, actor=member.person
    )
    return member
