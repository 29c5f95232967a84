"""Values kept under a key that names everything they are made from (ADR 16)."""

from django.core.cache import cache
from jinja2 import DictLoader
from markupsafe import Markup

from stepwise.core import versioned_cache
from stepwise.core.jinja2 import environment
from stepwise.core.versioned_cache import code_version, forget_local, kept, key_for


def _counting():
    made = []

    def make():
        made.append(1)
        return ["value", len(made)]

    return made, make


def test_it_makes_a_value_once_and_serves_the_kept_copy_after():
    made, make = _counting()
    assert kept(("thing", "version-1"), make) == ["value", 1]
    assert kept(("thing", "version-1"), make) == ["value", 1]
    assert len(made) == 1


def test_another_process_finds_it_in_the_shared_cache():
    made, make = _counting()
    kept(("thing", "version-1"), make)
    forget_local()  # as a second server process would start
    assert kept(("thing", "version-1"), make) == ["value", 1]
    assert len(made) == 1
    assert cache.get(key_for("thing", "version-1")) == ["value", 1]


def test_a_new_key_makes_a_new_value():
    made, make = _counting()
    kept(("thing", "version-1"), make)
    assert kept(("thing", "version-2"), make) == ["value", 2]


def test_a_part_that_is_none_is_never_kept():
    made, make = _counting()
    assert kept(("thing", None), make) == ["value", 1]
    assert kept(("thing", None), make) == ["value", 2]
    assert key_for("thing", None) is None


def test_keys_carry_the_release_so_a_deploy_starts_afresh():
    assert key_for("thing", 1) == f"stepwise:kept:{code_version()}:thing:1"
    assert len(code_version()) == 16


def test_a_new_django_is_a_new_release(monkeypatch):
    """Kept model instances are pickled by one Django and must not be read by another."""
    before = code_version()
    monkeypatch.setattr(versioned_cache.django, "__version__", "99.0")
    code_version.cache_clear()
    try:
        assert code_version() != before
    finally:
        monkeypatch.undo()
        code_version.cache_clear()
    assert code_version() == before


def test_this_process_keeps_only_so_many_values(monkeypatch):
    monkeypatch.setattr(versioned_cache, "LOCAL_SIZE", 3)
    for n in range(5):
        kept(("thing", n), lambda n=n: n)
    assert len(versioned_cache._local) == 3


def test_a_template_block_is_rendered_once_per_key_and_stays_escaped():
    env = environment(loader=DictLoader({}))
    template = env.from_string(
        '{% call kept_markup("greeting", key) %}<b>{{ name }}</b>{% endcall %}'
    )
    first = template.render(key="k1", name="<Ann>")
    assert first == "<b>&lt;Ann&gt;</b>"
    assert template.render(key="k1", name="Bob") == first  # kept: not rendered again
    assert template.render(key="k2", name="Bob") == "<b>Bob</b>"
    assert template.render(key=None, name="Cy") == "<b>Cy</b>"
    assert template.render(key=None, name="Di") == "<b>Di</b>"
    assert isinstance(versioned_cache.kept_markup("greeting", "k1", caller=str), Markup)
