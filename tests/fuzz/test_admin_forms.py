"""Hypothesis drives the platform administration (Django's admin, at platform-admin/ in
config/urls.py) as tests/fuzz/test_forms.py drives the service: every ModelAdmin on the admin
site, read from the site's registry so a new one is covered without a new test, has the forms
of its list (the search box, the actions), its add page and an existing object's change page
sent with hostile input by a platform administrator signed in with both steps, and its list's
search and filters opened with hostile values (NUL among them). Never a server error, nothing
left behind by a refusal, and nothing stored that the model's own validation would refuse.
Where an admin forbids adding or changing, sending the form anyway must be refused (403)."""

import re
from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import resolve, reverse
from django_tasks_db.backend import DatabaseBackend

from stepwise.core.email import deliver_email
from stepwise.frameworks.models import FrameworkVersion, ReviewComment
from stepwise.organisations.models import Organisation, TrustEvent
from stepwise.organisations.tests.factories import CohortFactory
from stepwise.reports.models import NetworkLead
from tests.fuzz import hostile
from tests.fuzz.discovery import Target, url_key
from tests.fuzz.more_states import add_states
from tests.fuzz.pages import forms_on
from tests.fuzz.running import fuzz, known_ids
from tests.fuzz.submitting import Problem, RaisingVisitor, submit
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

ADMIN = "platform_admin"

# What a list's filters, sort order, page number and search are sent instead of their own
# values, one at a time: NUL (a 500 on PostgreSQL, in filters), an id too big for any column,
# a digit int() cannot read, and SQL. (The search box's form is fuzzed with the worst text too.)
QUERY_VALUES = ["\x00", hostile.WORST_ID, hostile.LOOKALIKE_DIGIT, "' OR 1=1 --"]
_HREF_QUERY = re.compile(r'href="\?([^"]*)"')


def _trust(world):
    return Organisation.objects.get(pk=world.values["trust_id"])


# How to make an object of each registered model the two-Trust world holds none of, so its
# change page is fuzzed too (a registered model with none, and no maker here, fails the test).
MAKERS = {
    "auth.Group": lambda world: Group.objects.create(name="Service desk"),
    "organisations.Cohort": lambda world: CohortFactory(trusts=[_trust(world)]),
    "organisations.TrustEvent": lambda world: TrustEvent.write(
        trust=_trust(world),
        actor=world.people[ADMIN],
        kind=TrustEvent.Kind.REGISTRATION_LINK_CHANGED,
    ),
    "reports.NetworkLead": lambda world: NetworkLead.objects.create(
        person=world.people["trust_admin"], network=_trust(world).parent
    ),
    "frameworks.ReviewComment": lambda world: ReviewComment.objects.create(
        version=FrameworkVersion.objects.order_by("pk").first(),
        author=world.people[ADMIN],
        body="Check 1.2's wording.",
    ),
    # Tasks run at once in tests; the database backend queues one, as in production.
    "django_tasks_database.DBTaskResult": lambda world: DatabaseBackend("default", {}).enqueue(
        deliver_email, (), {"to": ["ann@example.org"], "subject": "Hello", "body": "Hello"}
    ),
}


def registered() -> list[tuple[type, admin.ModelAdmin]]:
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def invalid(obj) -> dict[str, str]:
    """What the model's own validation (its fields' validators, lengths, choices, constraints)
    says is wrong with the object as stored, and any text holding a NUL character."""
    found = {}
    try:
        obj.full_clean()
    except ValidationError as error:
        found = {name: "; ".join(messages) for name, messages in error.message_dict.items()}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, str) and "\x00" in value:
            found[field.name] = "holds a NUL character"
    return found


def stored_validated(model, before: set):
    """submit()'s before_rollback: an object the admin saved (a new one, or the one whose
    change page the form was sent to) breaks no validation it did not break before."""
    baseline = {obj.pk: invalid(obj) for obj in model._default_manager.all()}

    def check(response):
        if response.status_code != 302:
            return
        saved = list(model._default_manager.exclude(pk__in=before))
        object_id = resolve(response.wsgi_request.path).kwargs.get("object_id")
        # Only an object that was there: a hostile id in the address is not queried again.
        saved += model._default_manager.filter(pk__in=[p for p in baseline if str(p) == object_id])
        for obj in saved:
            wrong = {
                name: message
                for name, message in invalid(obj).items()
                if baseline.get(obj.pk, {}).get(name) != message
            }
            if wrong:
                raise Problem(f"{model._meta.label} {obj.pk} stored un-validated: {wrong}")

    return check


def query_names(html: str) -> set[str]:
    """The names in the list's links to itself: its filters, sort order, pages, facets."""
    names = set()
    for query in _HREF_QUERY.findall(html):
        names.update(name for name, _ in parse_qsl(unescape(query), keep_blank_values=True))
    return names


class Admin:
    """One ModelAdmin's pages, sent to and opened as the platform administrator."""

    def __init__(self, model, model_admin, visitor, known, request):
        self.model, self.model_admin = model, model_admin
        self.visitor, self.known, self.request = visitor, known, request
        self.problems: list[str] = []
        self.label = model._meta.label

    def check(self):
        changelist = url(self.model, "changelist")
        self.fuzz_forms(changelist)
        self.fuzz_query(changelist)
        if self.model_admin.has_add_permission(self.request):
            if not self.fuzz_forms(url(self.model, "add")):
                self.problems.append(f"{self.label}: its add page showed no form")
        else:
            self.refused(url(self.model, "add"))
        objects = list(self.model._default_manager.order_by("pk")[:50])
        changeable = [o for o in objects if self.model_admin.has_change_permission(self.request, o)]
        frozen = [o for o in objects if o not in changeable]
        if changeable and not self.fuzz_forms(url(self.model, "change", changeable[0].pk)):
            self.problems.append(f"{self.label}: its change page showed no form")
        elif not changeable and self.model_admin.has_change_permission(self.request):
            self.problems.append(f"{self.label}: no object it may change, so none was fuzzed")
        if frozen:
            self.refused(url(self.model, "change", frozen[0].pk))
        return self.problems

    def fuzz_forms(self, page: str) -> int:
        """Fuzzes the page's forms that send to the admin (not its sign-out); how many."""
        response = self.visitor.request(ADMIN, "get", page)
        if response.status_code != 200:
            self.problems.append(f"{self.label}: {page} answered {response.status_code}")
            return 0
        before = set(self.model._default_manager.values_list("pk", flat=True))
        checks = {
            # The admin shows a refused form again (200); it redirects after saving.
            "refused_if": lambda r: r.status_code == 200,
            "before_rollback": stored_validated(self.model, before),
        }
        sent = 0
        for form in forms_on(page, response.content.decode()):
            key = url_key(form.action)
            if key is None or not key.startswith("admin:") or key == "admin:logout":
                continue
            sent += 1
            target = Target(key, ADMIN, page, form)
            problem = fuzz(target, self.visitor, self.known, only_worst=True, **checks)
            if problem:
                self.problems.append(problem)
        return sent

    def fuzz_query(self, changelist: str):
        html = self.visitor.request(ADMIN, "get", changelist).content.decode()
        names = query_names(html)
        if self.model_admin.get_search_fields(self.request):
            names.add("q")
        for name in sorted(names):
            for value in QUERY_VALUES:
                try:
                    submit(self.visitor, ADMIN, "get", changelist, {name: value})
                except Exception as error:  # noqa: BLE001 (all reported together)
                    shown = value if len(value) < 40 else f"{value[:20]}…({len(value):,})"
                    self.problems.append(f"{changelist}?{name}={shown!r}: {error!r}"[:2000])

    def refused(self, path: str):
        response = self.visitor.request(ADMIN, "post", path, data={})
        if response.status_code != 403:
            self.problems.append(
                f"{self.label}: sending {path}, which its admin forbids, answered "
                f"{response.status_code}, not 403"
            )


def test_every_admin_form_survives_hostile_input():
    world = build_world()
    add_states(world)  # self-registrations, a framework in review
    person = world.people[ADMIN]
    missing = []
    for model, _ in registered():
        if not model._default_manager.exists():
            if model._meta.label not in MAKERS:
                missing.append(model._meta.label)
                continue
            MAKERS[model._meta.label](world)
    visitor = RaisingVisitor({ADMIN: person})
    request = RequestFactory().get("/")
    request.user = person
    known = known_ids(world)
    problems = [
        problem
        for model, model_admin in registered()
        for problem in Admin(model, model_admin, visitor, known, request).check()
    ]
    if missing:
        problems.append(f"Registered models with no object, and no maker in MAKERS: {missing}")
    print("\n\n".join(problems))
    assert not problems, f"{len(problems)} problems:\n\n" + "\n\n".join(problems)
