from datetime import date

import pytest

from stepwise.progress.presenters.reminders import due_phrase

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
