from datetime import date

import pytest

from stepwise.notifications.presenters import due_phrase, proficiencies, safe_href

TODAY = date(2026, 3, 9)


@pytest.mark.parametrize(
    ("due_on", "phrase"),
    [
        (date(2026, 3, 9), "is due today"),
        (date(2026, 3, 10), "is due tomorrow"),
        (date(2026, 4, 8), "is due in 30 days"),
        (date(2026, 3, 8), "was due yesterday"),
        (date(2026, 3, 2), "was due 7 days ago"),
    ],
)
def test_due_phrase(due_on, phrase):
    assert due_phrase(due_on, TODAY) == phrase


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("/to-review/3/", "/to-review/3/"),
        ("", None),
        ("https://example.com/", None),
        ("//example.com/", None),
        ("/\\example.com/", None),
        ("javascript:alert(1)", None),
    ],
)
def test_only_links_within_the_service_are_linked(url, href):
    assert safe_href(url) == href


def test_proficiencies_counts_in_words():
    assert proficiencies(1) == "1 proficiency"
    assert proficiencies(4) == "4 proficiencies"
