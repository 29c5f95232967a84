"""Every URL in the URLconf answers only GET, HEAD and POST (ASVS 5.0 V13.4.4): TRACE, which
would echo the request back, and every other method are refused with 405 before any view runs,
for someone the URL shows a real page to and for someone not signed in."""

import logging

import pytest

from tests.security.rows import ROWS
from tests.security.urls import every_url, path_for, values_for, viewer
from tests.security.visiting import Visitor
from tests.security.world import build_world

REFUSED = ("TRACE", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "PROPFIND")


@pytest.mark.django_db
def test_every_url_refuses_trace_and_every_method_it_does_not_use():
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    world = build_world()
    visitor = Visitor(world.people)
    failures, checked = [], 0
    try:
        for entry in every_url():
            path = path_for(entry, values_for(entry, world, ROWS.get(entry.key)))
            for persona in {"anonymous", viewer(entry)}:
                for method in REFUSED:
                    response = visitor.request(persona, method, path)
                    checked += 1
                    if response.status_code != 405 or response["Allow"] != "GET, HEAD, POST":
                        status = response.status_code
                        failures.append(f"{method} {entry.key} as {persona}: {status}")
    finally:
        logging.getLogger("django.request").setLevel(logging.NOTSET)
    assert not failures, "\n".join(failures)
    assert checked > 2000


def test_get_head_and_post_still_reach_the_page(client, db):
    assert client.get("/").status_code == 200
    assert client.head("/").status_code == 200
    assert client.post("/").status_code == 200
