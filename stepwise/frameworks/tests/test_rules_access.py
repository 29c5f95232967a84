"""Who may do what with a framework and its versions: pure functions, no database."""

from types import SimpleNamespace

import pytest

from stepwise.frameworks.models import FrameworkVersion
from stepwise.frameworks.rules import (
    Action,
    FrameworkAccess,
    framework_access,
    may_author,
    version_actions,
)

State = FrameworkVersion.State


def person(*, author=False, admin=False, signed_in=True):
    return SimpleNamespace(
        is_authenticated=signed_in, is_framework_author=author, is_platform_admin=admin
    )


def version(state, approved=False):
    return FrameworkVersion(state=state, approved_at="2026-03-01" if approved else None)


EVERYTHING = FrameworkAccess(view=True, write=True, review=True, own=True)


@pytest.mark.parametrize(
    ("who", "role", "expected"),
    [
        (person(admin=True), None, EVERYTHING),
        (person(author=True), None, FrameworkAccess(view=True, write=True, own=True)),
        (person(author=True), "reviewer", EVERYTHING),
        (person(), "contributor", FrameworkAccess(view=True, write=True)),
        (person(), "reviewer", FrameworkAccess(view=True, review=True)),
        (person(), None, FrameworkAccess()),
        (person(signed_in=False, author=True), "reviewer", FrameworkAccess()),
    ],
)
def test_framework_access(who, role, expected):
    assert framework_access(who, role) == expected


def test_only_authors_and_admins_create_frameworks():
    assert may_author(person(author=True))
    assert may_author(person(admin=True))
    assert not may_author(person())
    assert not may_author(person(author=True, signed_in=False))


@pytest.mark.parametrize(
    ("state", "approved", "access", "expected"),
    [
        (State.DRAFT, False, EVERYTHING, {Action.EDIT, Action.SUBMIT, Action.COMMENT}),
        (State.DRAFT, False, FrameworkAccess(view=True, review=True), {Action.COMMENT}),
        (State.IN_REVIEW, False, EVERYTHING, {Action.COMMENT, Action.APPROVE, Action.RETURN}),
        (State.IN_REVIEW, True, EVERYTHING, {Action.COMMENT, Action.RETURN, Action.PUBLISH}),
        (
            State.IN_REVIEW,
            True,
            FrameworkAccess(view=True, write=True, own=True),
            {Action.COMMENT, Action.PUBLISH},
        ),
        (State.IN_REVIEW, False, FrameworkAccess(view=True, write=True), {Action.COMMENT}),
        (State.PUBLISHED, False, EVERYTHING, {Action.RETIRE}),
        (State.PUBLISHED, False, FrameworkAccess(view=True, write=True), set()),
        (State.RETIRED, False, EVERYTHING, set()),
    ],
)
def test_version_actions_follow_the_state_and_the_access(state, approved, access, expected):
    assert version_actions(version(state, approved), access) == expected
