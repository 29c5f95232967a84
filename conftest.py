"""Personas shared by every test: a Trust with two units, someone in each role there, and
another Trust that must stay out of reach."""

import io
import json
import logging

import pytest
from django.core.cache import cache

from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core import versioned_cache
from stepwise.core.json_logging import JsonFormatter
from stepwise.organisations.tests.factories import MembershipFactory, TrustFactory, UnitFactory


@pytest.fixture(autouse=True)
def _nothing_kept_from_other_tests():
    """Each test starts with empty caches: ids are reused between tests, and a value kept
    by one (ADR 16) must not meet another."""
    cache.clear()
    versioned_cache.forget_local()


@pytest.fixture
def trust(db):
    trust = TrustFactory(name="Northshire Teaching Hospitals NHS Foundation Trust")
    trust.units = [
        UnitFactory(parent=trust, name="General Intensive Care Unit"),
        UnitFactory(parent=trust, name="Cardiac Intensive Care Unit"),
    ]
    return trust


@pytest.fixture
def other_trust(db):
    trust = TrustFactory(name="Riverside University Hospitals NHS Trust")
    trust.units = [UnitFactory(parent=trust, name="Adult Critical Care Unit")]
    return trust


def _member(trust, unit=None, **roles):
    return MembershipFactory(trust=trust, unit=unit, **roles).person


@pytest.fixture
def learner(trust):
    return _member(trust, trust.units[0], is_learner=True)


@pytest.fixture
def assessor(trust):
    return _member(trust, trust.units[0], is_assessor=True)


@pytest.fixture
def educator(trust):
    return _member(trust, is_educator=True, is_assessor=True)


@pytest.fixture
def trust_admin(trust):
    return _member(trust, is_trust_admin=True)


@pytest.fixture
def other_trust_admin(other_trust):
    return _member(other_trust, is_trust_admin=True)


@pytest.fixture
def other_learner(other_trust):
    return _member(other_trust, other_trust.units[0], is_learner=True)


@pytest.fixture
def platform_admin(db):
    return PersonFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def framework_author(db):
    return PersonFactory(is_framework_author=True)


@pytest.fixture
def client_for(client):
    """`client_for(person)`: the test client, signed in as that person, with the security
    code from their authenticator app if they must use two-step sign-in (staff)."""

    def sign_in(person):
        return two_step.sign_in(client, person)

    return sign_in


@pytest.fixture
def security_events():
    """`security_events()`: the security event log's lines written so far in this test, each
    parsed from the JSON the real formatter wrote (`security_events.lines()`: as written)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("stepwise.security")
    logger.addHandler(handler)

    def events(name: str | None = None) -> list[dict]:
        parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [event for event in parsed if name is None or event["event"] == name]

    events.lines = lambda: stream.getvalue().splitlines()
    yield events
    logger.removeHandler(handler)
