"""Hypothesis drives every form in the service (found on the pages of the two-Trust world,
tests/fuzz/discovery.py, and of the states tests/fuzz/more_states.py adds) with hostile
input: never a server error, every message beside a field named in the NHS error summary, and
nothing left behind by a refusal. Every form class in stepwise/ must have been submitted, or
say in NOT_FUZZED why not.

More examples per form: STEPWISE_FUZZ_EXAMPLES=200 pytest tests/fuzz (default 8); only some
forms: STEPWISE_FUZZ_ONLY=progress:enrol,certificates:check (URL names, comma-separated);
STEPWISE_FUZZ_SHRINK=0 reports the first failing input without shrinking it (faster)."""

import contextlib
import importlib
import os
import pkgutil

import pytest
from django import forms

import stepwise
from tests.fuzz.discovery import discover
from tests.fuzz.more_states import BETWEEN_STEPS, add_states
from tests.fuzz.running import fuzz, known_ids
from tests.fuzz.submitting import RaisingVisitor
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

ONLY = {key for key in os.environ.get("STEPWISE_FUZZ_ONLY", "").split(",") if key}

# Form classes nothing fuzzes, each with the reason. The states the world lacks are added by
# tests/fuzz/more_states.py; a form needing another goes there, not here.
NOT_FUZZED: dict[str, str] = {
    "stepwise.progress.forms.review.BlankPlan": (
        "never bound: the review page stamps its empty action plan, renamed, for each "
        "proficiency, and ReviewForm (fuzzed) binds what is sent"
    ),
}


@contextlib.contextmanager
def bound_forms():
    """Which form classes were given data while inside."""
    bound = set()
    original = forms.BaseForm.__init__

    def recording(self, data=None, *args, **kwargs):
        if data is not None:
            bound.add(_name(type(self)))
        original(self, data, *args, **kwargs)

    forms.BaseForm.__init__ = recording
    try:
        yield bound
    finally:
        forms.BaseForm.__init__ = original


def form_classes() -> dict[str, type]:
    for module in pkgutil.walk_packages(stepwise.__path__, "stepwise."):
        if ".tests" not in module.name and ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, waiting = {}, [forms.BaseForm]
    while waiting:
        cls = waiting.pop()
        waiting.extend(cls.__subclasses__())
        if cls.__module__.startswith("stepwise.") and ".tests" not in cls.__module__:
            found[_name(cls)] = cls
    return found


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def unfuzzed(bound: set[str]) -> tuple[list[str], list[str]]:
    """Form classes never given data (a base class counts as given it when a subclass was),
    and NOT_FUZZED's entries for classes that were, or that no longer exist."""
    classes = form_classes()
    covered = set()
    for name in bound:
        covered.update(_name(cls) for cls in classes.get(name, type).__mro__)
    stale = sorted(set(NOT_FUZZED) & covered | set(NOT_FUZZED) - set(classes))
    return sorted(set(classes) - covered - set(NOT_FUZZED)), stale


def test_every_form_survives_hostile_input():
    world = build_world()
    visitor = RaisingVisitor(world.people)
    more_pages = add_states(world)
    between_steps = {BETWEEN_STEPS: world.people["assessor"]}
    visitor.clients.update(RaisingVisitor(between_steps, second_step=False).clients)
    targets = [t for t in discover(world, visitor, more_pages) if not ONLY or t.key in ONLY]
    known = known_ids(world)
    with bound_forms() as bound:
        failures = [problem for t in targets if (problem := fuzz(t, visitor, known))]
    missing, stale = ([], []) if ONLY else unfuzzed(bound)
    message = []
    if failures:
        message.append(
            f"{len(failures)} of {len(targets)} forms failed:\n\n" + "\n\n".join(failures)
        )
    if missing:
        message.append(
            "Form classes no page of the world showed, so nothing fuzzed them: show them in "
            "tests/security/world.py or tests/fuzz/more_states.py, or say why not in "
            "NOT_FUZZED:\n  " + "\n  ".join(missing)
        )
    if stale:
        message.append(
            f"NOT_FUZZED names forms that were fuzzed or are gone (remove them): {stale}"
        )
    print("\n\n".join(message))
    assert not message, "\n\n".join(message)
