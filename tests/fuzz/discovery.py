"""Finding every form in the service: each page of the URLconf is opened by each person the
authorization matrix says may see it (tests/security/rows.py), in the two-Trust world
(tests/security/world.py), and the forms on it are read. A form is found once, with the first
person who was shown it, so a new form on any page is fuzzed without a new test. Then the pages
of the states the world lacks (tests/fuzz/more_states.py), each by its own person."""

from dataclasses import dataclass

from django.urls import Resolver404, resolve

from tests.fuzz.more_states import Page
from tests.fuzz.pages import Form, forms_on
from tests.security.rows import ROWS
from tests.security.urls import every_url, path_for, values_for
from tests.security.visiting import Visitor
from tests.security.world import PERSONAS, World

# The platform administration (Django's admin) is fuzzed by its ModelAdmins instead:
# tests/fuzz/test_admin_forms.py.
SKIPPED_NAMESPACES = ("admin:",)


@dataclass
class Target:
    key: str  # the URL name the form sends to
    persona: str
    page: str  # where it was found
    form: Form


def url_key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def discover(world: World, visitor: Visitor, more_pages: list[Page] = ()) -> list[Target]:
    found: dict[tuple, Target] = {}
    for entry in every_url():
        if entry.key.startswith(SKIPPED_NAMESPACES):
            continue
        row = ROWS.get(entry.key)
        if row is None:
            continue  # the authorization matrix's test names it
        path = path_for(entry, values_for(entry, world, row))
        if row.query:
            path += "?" + row.query
        for persona in _visitors(row.expected("get")):
            _read(found, visitor, persona, path)
    for page in more_pages:
        if (status := _read(found, visitor, page.persona, page.path)) is not True:
            raise AssertionError(f"{page.path} showed {page.persona} no form ({status})")
    return list(found.values())


def _read(found: dict, visitor: Visitor, persona: str, path: str) -> bool | int:
    """Adds the page's forms not found before; whether it showed any (or its status code)."""
    response = visitor.request(persona, "get", path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return response.status_code
    shown = False
    for form in forms_on(path, response.content.decode()):
        key = url_key(form.action)
        if key is None or key.startswith(SKIPPED_NAMESPACES):
            continue
        shown = True
        signature = (form.method, key, tuple(sorted(form.fields)))
        found.setdefault(signature, Target(key, persona, path, form))
    return shown


def _visitors(outcomes: list[str]) -> list[str]:
    allowed = [p for p, outcome in zip(PERSONAS, outcomes, strict=True) if outcome == "200"]
    signed_in = [p for p in allowed if p not in ("anonymous", "other_trust_staff")]
    return [p for p in allowed if p in ("anonymous", "other_trust_staff")] + signed_in[:1]
