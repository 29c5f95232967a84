"""Who may do what, and the one way a view finds the person's current Trust.

Staff views reach data only through `membership.trust`, so another Trust's id is a 404.
People in several Trusts choose which one they are working in; the choice lives in the
session.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from stepwise.core.compiled_reads import CompiledRead
from stepwise.organisations.models import Membership, Role

SESSION_KEY = "current_membership_id"
_CACHE = "_stepwise_membership"


# Every page reads them (the header, the access checks): compiled once (ADR 21).
_current_memberships = CompiledRead(
    lambda person_id: (
        Membership.objects.filter(person_id=person_id)
        .current()
        .select_related("trust", "unit", "partner_hei")
        .order_by("trust__name", "pk")
    )
)


def current_memberships(request) -> list[Membership]:
    if not hasattr(request, "_stepwise_memberships"):
        user = request.user
        memberships = _current_memberships(user.pk) if user.is_authenticated else []
        # As the related manager would: the person is the one signed in, not a query; the
        # person itself, not the request's lazy stand-in for them.
        person = getattr(user, "_wrapped", user)
        for membership in memberships:
            Membership.person.field.set_cached_value(membership, person)
        request._stepwise_memberships = memberships
    return request._stepwise_memberships


def current_membership(request) -> Membership | None:
    """The membership the person is working in now, or None if they have none."""
    if not hasattr(request, _CACHE):
        memberships = current_memberships(request)
        chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        membership = next((m for m in memberships if m.pk == chosen), None)
        setattr(request, _CACHE, membership or (memberships[0] if memberships else None))
    return getattr(request, _CACHE)


STAFF_ROLES = (Role.ASSESSOR, Role.EDUCATOR, Role.TRUST_ADMIN)


def holds_staff_role(request) -> bool:
    """Whether the person is an assessor, educator or Trust administrator in any Trust they
    work in now (not only the current one): two-step sign-in asks this of every request, and
    the memberships it loads are the ones the view uses."""
    return any(m.has_role(*STAFF_ROLES) for m in current_memberships(request))


def holds_role(*roles: Role):
    """For the navigation: whether the person's current membership holds one of these roles
    (no query beyond the membership the request already caches)."""

    def check(request) -> bool:
        membership = current_membership(request)
        return membership is not None and membership.has_role(*roles)

    return check


def role_required(*roles: Role):
    """Signed in, working in a Trust, and holding one of these roles there; else 403.

    The view receives the membership as `membership`, its Trust the only way in.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            membership = current_membership(request)
            if membership is None or not membership.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, membership=membership, **kwargs)

        return wrapped

    return decorator


def platform_admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_platform_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
