"""Two-step sign-in before any page (issue 12, point 1): every URL in the URLconf, requested
by each kind of staff signed in with only their password, sends them to the second step;
only that step's own pages and signing out answer. Learners are not asked."""

import pytest

from stepwise.accounts.middleware import BETWEEN_STEPS
from tests.security.rows import ROWS
from tests.security.urls import every_url, path_for, values_for
from tests.security.visiting import Visitor, outcome
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

STAFF = ("assessor", "educator", "trust_admin", "author", "platform_admin", "other_trust_staff")


def test_every_url_sends_staff_without_the_second_step_to_it():
    world = build_world()
    visitor = Visitor(world.people, second_step=False)
    reached = []
    for entry in every_url():
        if entry.key in BETWEEN_STEPS:
            continue
        row = ROWS.get(entry.key)
        path = path_for(entry, values_for(entry, world, row))
        for persona in STAFF:
            for method in ("get", "post"):
                got = outcome(visitor.request(persona, method, path))
                if got != "code":
                    reached.append(f"{method.upper()} {path} as {persona}: {got}")
    assert not reached, "Reached without the second step:\n" + "\n".join(reached)


def test_learners_are_not_asked_for_a_code():
    world = build_world()
    visitor = Visitor(world.people, second_step=False)
    for persona in ("learner", "other_learner"):
        assert outcome(visitor.request(persona, "get", "/my-proficiencies/")) == "200"


def test_the_second_steps_own_pages_pass_nobody_on_a_password_alone():
    # The pages staff may reach between the steps (a code, a passkey, setting one up), asked
    # with nothing or an empty JSON answer: afterwards every other page still wants the step.
    world = build_world()
    visitor = Visitor(world.people, second_step=False)
    home = "/"
    passed = []
    for entry in every_url():
        if entry.key not in BETWEEN_STEPS or entry.key == "accounts:sign_out":
            continue
        path = path_for(entry, values_for(entry, world, ROWS.get(entry.key)))
        for persona in STAFF:
            client = visitor.clients[persona]
            client.get(path)
            client.post(path, "{}", content_type="application/json")
            if outcome(client.get(home)) != "code":
                passed.append(f"{path} as {persona}")
    assert not passed, "Passed the second step with a password alone:\n" + "\n".join(passed)
