"""Reads compiled once (ADR 21) read what the ORM reads, for every id, on both databases."""

import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connections
from django.db.models import Count, Q

from stepwise.accounts.backends import EmailBackend
from stepwise.accounts.models import User
from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core.compiled_reads import STAND_INS, CompiledRead
from stepwise.core.tests.concurrency import at_once
from stepwise.notifications.models import Notification
from stepwise.notifications.queries import UNREAD
from stepwise.organisations.access import current_memberships
from stepwise.organisations.models import Membership
from stepwise.organisations.tests.factories import (
    HeiFactory,
    MembershipFactory,
    TrustFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def _current_memberships(person):
    """The memberships a request by this person reads (a new request each time)."""
    return current_memberships(SimpleNamespace(user=person, session={}))


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


@pytest.fixture
def nurses():
    """Two people in different Trusts, one of them in two (with a unit, an HEI and a form
    key: a UUID, dates and times, which SQLite returns as text until converted)."""
    first, second = PersonFactory(), PersonFactory()
    alpha, beta = TrustFactory(name="Alpha Trust"), TrustFactory(name="Beta Trust")
    MembershipFactory(
        person=first,
        trust=beta,
        unit=UnitFactory(parent=beta),
        partner_hei=HeiFactory(),
        form_key=uuid.uuid4(),
        started_on=date(2025, 4, 1),
    )
    MembershipFactory(person=first, trust=alpha)
    MembershipFactory(person=first, trust=alpha, state=Membership.State.ENDED)
    MembershipFactory(person=second, trust=beta)
    return first, second


def test_memberships_are_those_the_orm_reads_with_their_organisations(
    nurses, django_assert_num_queries
):
    for person in nurses:
        expected = list(
            Membership.objects.filter(person=person, state=Membership.State.ACTIVE)
            .select_related("trust", "unit", "partner_hei")
            .order_by("trust__name", "pk")
        )
        with django_assert_num_queries(1):
            found = _current_memberships(person)
            names = [
                (m.trust.name, m.unit and m.unit.name, m.partner_hei and m.partner_hei.name)
                for m in found
            ]
            # The person is the one signed in, not a query of its own.
            assert all(m.person is person for m in found)
        assert [_fields(m) for m in found] == [_fields(m) for m in expected]
        assert names == [
            (m.trust.name, m.unit and m.unit.name, m.partner_hei and m.partner_hei.name)
            for m in expected
        ]
    first_trust = _current_memberships(nurses[0])[0]
    assert first_trust.trust.name == "Alpha Trust"
    assert isinstance(_current_memberships(nurses[0])[1].form_key, uuid.UUID)
    assert _current_memberships(nurses[0])[1].created_at.tzinfo is not None


def test_the_person_read_counts_unread_notices_as_they_are_now(nurses):
    person = nurses[0]
    assert EmailBackend().get_user(person.pk).unread_notifications == 0
    Notification.objects.create(person=person, text="Asked to confirm")
    Notification.objects.create(person=nurses[1], text="Someone else's")
    found = EmailBackend().get_user(person.pk)
    assert _fields(found) == _fields(User.objects.get(pk=person.pk))
    assert getattr(found, UNREAD) == 1
    assert found.last_login is None or found.last_login.tzinfo is not None


def test_no_person_for_an_unknown_id_nor_one_who_cannot_sign_in(nurses):
    assert EmailBackend().get_user(0) is None
    assert EmailBackend().get_user("not a number") is None
    User.objects.filter(pk=nurses[1].pk).update(is_active=False)
    assert EmailBackend().get_user(nurses[1].pk) is None
    assert EmailBackend().get_user(str(nurses[0].pk)).pk == nurses[0].pk


def test_a_read_of_several_ids_puts_each_where_it_belongs(nurses):
    first, second = nurses
    notices = CompiledRead(
        lambda person_id, other_id: (
            User.objects.filter(Q(pk=person_id) | Q(pk=other_id))
            .annotate(memberships_held=Count("memberships"))
            .order_by("pk")
        ),
        ids=2,
    )
    assert [(p.pk, p.memberships_held) for p in notices(first.pk, second.pk)] == sorted(
        [(first.pk, 3), (second.pk, 1)]
    )
    assert [p.pk for p in notices(second.pk, 0)] == [second.pk]


@pytest.mark.parametrize("forged", [2**63, -(2**63) - 1, 10**30])
def test_an_id_no_database_can_hold_finds_nothing(nurses, forged):
    read = CompiledRead(lambda person_id: User.objects.filter(pk=person_id))
    assert read(forged) == []
    assert [p.pk for p in read(nurses[0].pk)] == [nurses[0].pk]


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda person_id: User.objects.all(), id="the id unused"),
        pytest.param(
            lambda person_id: User.objects.filter(pk=person_id, memberships__person_id=person_id),
            id="the id twice",
        ),
    ],
)
def test_a_build_that_does_not_use_its_id_once_fails_at_its_first_use(build):
    with pytest.raises(ValueError, match="each id once"):
        CompiledRead(build)(1)


def test_only_whole_number_ids_and_as_many_as_declared():
    read = CompiledRead(lambda person_id: User.objects.filter(pk=person_id))
    with pytest.raises(TypeError):
        read("1")
    with pytest.raises(TypeError):
        read(True)
    with pytest.raises(TypeError):
        read(1, 2)
    with pytest.raises(ValueError):
        CompiledRead(lambda *ids: User.objects.all(), ids=len(STAND_INS) + 1)


class ReadsElsewhere:
    """A router sending every read to another alias (as the reports' replica router does)."""

    def db_for_read(self, model, **hints):
        return "elsewhere"


@pytest.fixture
def elsewhere(settings):
    """A second alias sharing the test database's connection, as a replica would."""
    connections["elsewhere"] = connections["default"]
    yield
    del connections["elsewhere"]


def test_a_read_goes_to_the_database_the_router_names_at_each_call(nurses, elsewhere, settings):
    read = CompiledRead(lambda person_id: User.objects.filter(pk=person_id))
    assert [p._state.db for p in read(nurses[0].pk)] == ["default"]
    settings.DATABASE_ROUTERS = [f"{__name__}.ReadsElsewhere"]
    assert [(p.pk, p._state.db) for p in read(nurses[1].pk)] == [(nurses[1].pk, "elsewhere")]
    settings.DATABASE_ROUTERS = []
    assert [p._state.db for p in read(nurses[0].pk)] == ["default"]


@pytest.mark.django_db(transaction=True)
def test_each_thread_reads_its_own_rows(nurses):
    read = CompiledRead(lambda person_id: User.objects.filter(pk=person_id))

    def reads_of(person):
        return lambda: (person.pk, [[p.email for p in read(person.pk)] for _ in range(5)])

    results, errors = at_once(*(reads_of(person) for person in nurses))
    assert errors == []
    assert dict(results) == {person.pk: [[person.email]] * 5 for person in nurses}
