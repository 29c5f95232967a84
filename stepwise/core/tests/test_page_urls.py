"""`page_url` gives exactly what `reverse` gives, made once per name (core/page_urls.py)."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from stepwise.core import page_urls
from stepwise.core.page_urls import page_url

pytestmark = pytest.mark.usefixtures("_addresses")


@pytest.fixture
def _addresses():
    with override_settings(ROOT_URLCONF="stepwise.core.tests.addresses.urls"):
        yield
    set_script_prefix("/")


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("home", ()),
        ("ward", (0,)),
        ("ward", (7,)),
        ("bed", (12, 3)),
        ("bed", (3, 12)),
        ("bed", (987_654_321_001, 5)),  # a real id equal to a stand-in
        ("ward", (2**70,)),
        ("label", (4,)),
        ("hex", (42,)),
        ("short", (12,)),
    ],
)
def test_the_same_address_as_reverse(name, ids):
    assert page_url(name, *ids) == reverse(name, args=ids or None)
    # Twice: the second comes from the kept parts.
    assert page_url(name, *ids) == reverse(name, args=ids or None)


def test_ids_are_filled_in_from_kept_parts_without_reversing_again(monkeypatch):
    page_url("bed", 1, 2)
    calls = []
    monkeypatch.setattr(page_urls, "reverse", lambda *a, **k: calls.append(a))
    assert page_url("bed", 30, 40) == "/wards/30/beds/40/"
    assert calls == []


@pytest.mark.parametrize("ids", [("seven",), (-1,), (True,), (None,), (1.5,)])
def test_anything_but_a_whole_number_is_reverse_s_to_answer(ids):
    try:
        expected = reverse("ward", args=ids)
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            page_url("ward", *ids)
    else:
        assert page_url("ward", *ids) == expected


def test_a_pattern_the_stand_ins_do_not_fit_is_reverse_s_to_answer():
    assert page_url("short", 999) == "/short/999/"
    with pytest.raises(NoReverseMatch):
        page_url("short", 1000)


def test_a_missing_name_or_wrong_number_of_ids_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        page_url("no-such-page")
    with pytest.raises(NoReverseMatch):
        page_url("bed", 1)


def test_the_script_prefix_is_kept_apart():
    assert page_url("ward", 3) == "/wards/3/"
    set_script_prefix("/stepwise/")
    assert page_url("ward", 3) == "/stepwise/wards/3/"
    set_script_prefix("/")
    assert page_url("ward", 3) == "/wards/3/"


def test_another_urlconf_is_kept_apart():
    assert page_url("home") == "/"
    with override_settings(ROOT_URLCONF="config.urls"):
        assert page_url("core:home") == reverse("core:home")
        with pytest.raises(NoReverseMatch):
            page_url("ward", 3)
    assert page_url("ward", 3) == "/wards/3/"
