"""What the header shows: the service, who is signed in, where they are working and in
which role, and navigation for the roles they hold there.

Each entry names the roles (or platform-wide flag) that see it; a page is listed here only
once it exists.
"""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html

from stepwise.frameworks.rules import may_author
from stepwise.notifications.queries import unread_count
from stepwise.organisations.access import current_membership, current_memberships
from stepwise.organisations.models import Role

# (label, url name, roles that see it)
TRUST_NAVIGATION: list[tuple[str, str, tuple[Role, ...]]] = [
    ("My proficiencies", "progress:mine", (Role.LEARNER,)),
    ("To review", "progress:to_review", (Role.ASSESSOR, Role.EDUCATOR)),
    ("Enrol learners", "progress:enrol", (Role.EDUCATOR,)),
    ("Learners", "progress:enrolments", (Role.EDUCATOR,)),
    ("People", "organisations:people", (Role.TRUST_ADMIN, Role.EDUCATOR)),
    ("Registrations", "organisations:approvals", (Role.TRUST_ADMIN,)),
    ("Offered frameworks", "frameworks:offers", (Role.TRUST_ADMIN,)),
    ("Certificates", "certificates:list", (Role.TRUST_ADMIN,)),
    ("Trust settings", "organisations:settings", (Role.TRUST_ADMIN,)),
]

# (label, url name, predicate on the person)
PLATFORM_NAVIGATION = [
    ("Frameworks", "frameworks:list", may_author),
    ("Platform admin", "admin:index", lambda person: person.is_platform_admin),
]


def visible_entries(person, membership) -> list[tuple[str, str]]:
    """(label, url name) of every page this person's roles reach, in navigation order."""
    entries = []
    if membership is not None:
        entries += [
            (label, name) for label, name, roles in TRUST_NAVIGATION if membership.has_role(*roles)
        ]
    entries += [(label, name) for label, name, allowed in PLATFORM_NAVIGATION if allowed(person)]
    return entries


def navigation_items(request) -> list[dict]:
    person = request.user
    if not person.is_authenticated:
        return []
    items = [{"href": reverse("core:home"), "text": "Home"}]
    for label, name in visible_entries(person, current_membership(request)):
        items.append({"href": reverse(name), "text": label})
    path = request.path
    for item in items:
        # The most specific matching link is the current one.
        item["active"] = path.startswith(item["href"]) and item["href"] != "/"
    if path == "/":
        items[0]["current"] = True
    return items


def _sign_out_form(request) -> str:
    return format_html(
        '<form class="stepwise-header-account-form" method="post" action="{}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button class="nhsuk-header__account-button" type="submit">Sign out</button></form>',
        reverse("accounts:sign_out"),
        get_token(request),
    )


def account_items(request) -> list[dict]:
    person = request.user
    if not person.is_authenticated:
        return [{"href": reverse("accounts:sign_in"), "text": "Sign in"}]
    membership = current_membership(request)
    items = [{"text": person.full_name, "icon": True}]
    if membership is not None:
        where = membership.trust.name
        if membership.unit:
            where = f"{membership.unit.name}, {where}"
        items.append({"text": f"{where}: {membership.role_names}"})
    if len(current_memberships(request)) > 1:
        items.append(
            {"href": reverse("organisations:switch_organisation"), "text": "Switch organisation"}
        )
    items.append(
        {"href": reverse("notifications:list"), "text": f"Notifications ({unread_count(request)})"}
    )
    items.append({"href": reverse("accounts:change_password"), "text": "Change password"})
    items.append({"html": _sign_out_form(request)})
    return items


def header_params(request) -> dict:
    params = {
        "service": {"text": "Stepwise", "href": reverse("core:home")},
        "account": {"items": account_items(request)},
    }
    items = navigation_items(request)
    if items:
        params["navigation"] = {"items": items}
    return params
