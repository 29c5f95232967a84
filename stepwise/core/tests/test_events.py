"""Every history in the service has one shape (stepwise.core.events.Event) and is written one
way: Event.write() or Event.write_all(), which refuse a kind the model does not have."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from stepwise.core.events import Event
from stepwise.organisations.models import TrustEvent

ROOT = Path(settings.BASE_DIR) / "stepwise"


def event_models() -> list[type[Event]]:
    return [model for model in apps.get_models() if issubclass(model, Event)]


def test_every_history_extends_the_one_event_base():
    histories = [model for model in apps.get_models() if model.__name__.endswith("Event")]
    assert len(histories) >= 8
    assert [m.__name__ for m in histories if not issubclass(m, Event)] == []


@pytest.mark.parametrize("model", event_models(), ids=lambda model: model.__name__)
def test_every_event_has_the_shared_fields_and_its_own_kinds(model):
    names = {field.name for field in model._meta.get_fields()}
    assert {"kind", "actor", "from_state", "to_state", "note", "at"} <= names
    assert model._meta.get_field("kind").choices
    assert model._meta.ordering == ["at", "pk"]
    # A field of the same name (RecordEvent.record) would hide the helpers.
    assert model.write.__func__ is Event.write.__func__
    assert model.build.__func__ is Event.build.__func__
    assert model.write_all.__func__ is Event.write_all.__func__


def test_events_are_written_only_through_write_and_write_all():
    """No service makes an event row itself: building, saving and bulk-inserting go through
    the base, which checks the kind."""
    names = "|".join(model.__name__ for model in event_models())
    writes = re.compile(
        rf"\b({names})(\(|\.objects\.(create|bulk_create|get_or_create|update_or_create)\()"
    )
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if writes.search(line) and not line.lstrip().startswith("class "):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_write_writes_one_row_with_the_shared_defaults(trust):
    event = TrustEvent.write(
        trust=trust, kind=TrustEvent.Kind.SETTINGS_CHANGED, actor=None, note="Name changed"
    )
    stored = TrustEvent.objects.get(pk=event.pk)
    assert (stored.kind, stored.actor, stored.from_state, stored.to_state, stored.note) == (
        "settings_changed",
        None,
        "",
        "",
        "Name changed",
    )
    assert stored.at is not None


def test_write_refuses_a_kind_the_model_does_not_have(trust):
    with pytest.raises(ValueError, match="'published' is not a kind of TrustEvent"):
        TrustEvent.write(trust=trust, kind="published", actor=None)
    assert not TrustEvent.objects.exists()


def test_write_all_writes_every_row_in_one_query(trust, django_assert_num_queries):
    events = [
        TrustEvent.build(trust=trust, kind=TrustEvent.Kind.SETTINGS_CHANGED, actor=None, note=n)
        for n in ("one", "two", "three")
    ]
    with django_assert_num_queries(1):
        TrustEvent.write_all(events)
    assert list(TrustEvent.objects.values_list("note", flat=True)) == ["one", "two", "three"]


def test_write_all_refuses_a_wrong_kind_or_another_history_and_writes_nothing(trust):
    good = TrustEvent.build(trust=trust, kind=TrustEvent.Kind.SETTINGS_CHANGED, actor=None)
    wrong_kind = TrustEvent(trust=trust, kind="published")
    with pytest.raises(ValueError, match="not a kind of TrustEvent"):
        TrustEvent.write_all([good, wrong_kind])
    other = event_models()[0]
    if other is TrustEvent:
        other = event_models()[1]
    with pytest.raises(TypeError):
        TrustEvent.write_all([good, other(kind="x")])
    assert not TrustEvent.objects.exists()
