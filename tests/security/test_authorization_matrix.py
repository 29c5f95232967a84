"""Every URL in the URLconf, requested by every kind of person (GET and an empty POST),
against one table of what each should get (rows.py). A URL without a row fails, naming it."""

import pytest

from tests.security.matrix import format_row
from tests.security.rows import ROWS
from tests.security.urls import every_url, path_for, values_for
from tests.security.visiting import Visitor, outcome
from tests.security.world import PERSONAS, build_world

pytestmark = pytest.mark.django_db


def test_every_url_gives_every_person_what_the_matrix_says():
    world = build_world()
    visitor = Visitor(world.people)
    missing, wrong = [], []
    for entry in every_url():
        row = ROWS.get(entry.key)
        path = path_for(entry, values_for(entry, world, row))
        if row and row.query:
            path += "?" + row.query
        got = {
            method: [outcome(visitor.request(p, method, path)) for p in PERSONAS]
            for method in ("get", "post")
        }
        if row is None:
            missing.append(format_row(entry.key, got["get"], got["post"]))
        elif got["get"] != row.expected("get") or got["post"] != row.expected("post"):
            wrong.append(
                f"{entry.key} ({path}):\n  expected {row.get} | {row.post}\n"
                f"  got      {' '.join(got['get'])} | {' '.join(got['post'])}"
            )
    unknown = set(ROWS) - {entry.key for entry in every_url()}
    message = []
    if missing:
        message.append(
            f"{len(missing)} URL(s) have no row in tests/security/rows.py. Each line below is "
            "what the URL gives today, one cell per person (columns in rows.py). Check every "
            "cell is what that person should get, then add the line to ROWS:\n" + "\n".join(missing)
        )
    if wrong:
        message.append("URLs giving someone other than what rows.py says:\n" + "\n".join(wrong))
    if unknown:
        message.append(f"Rows for URLs that no longer exist (remove them): {sorted(unknown)}")
    assert not message, "\n\n".join(message)
