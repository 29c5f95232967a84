"""A Trust or unit dashboard's scope and filters, from the person's membership and the
address's parameters: what the pages, their downloads and a background export all read."""

from django.http import QueryDict

from stepwise.organisations.models import Membership, Role
from stepwise.organisations.queries import trust_units
from stepwise.progress.queries.staff import trust_frameworks
from stepwise.reports import filter_choices, queries, supernumerary
from stepwise.reports.forms import ADDRESS_NAMES, DashboardFilterForm, Filters


def scope_of(membership: Membership) -> queries.Scope:
    """A Trust administrator sees their Trust; an educator with a unit, that unit."""
    if membership.unit_id and not membership.has_role(Role.TRUST_ADMIN):
        return queries.Scope(membership.trust, membership.unit)
    return queries.Scope(membership.trust)


def filtered(params: QueryDict, membership: Membership):
    """The scope, the filter form, the enrolments they select and the filters as a query
    (only the valid ones, for the links to the named lists)."""
    scope = scope_of(membership)
    units = [scope.unit] if scope.unit else trust_units(scope.trust)
    frameworks = trust_frameworks(scope.trust)
    form = DashboardFilterForm(
        params or None,
        frameworks=frameworks,
        versions=filter_choices.versions_of(frameworks),
        units=units,
        job_titles=queries.job_titles(queries.enrolments(scope, Filters())),
    )
    filters = form.filters()
    return scope, form, queries.enrolments(scope, filters), as_query(filters)


def as_query(filters: Filters) -> dict:
    """The filters that apply, as the address carries them: the named lists keep them."""
    query = {name: getattr(filters, field) for field, name in ADDRESS_NAMES.items()}
    for name in ("started_from", "started_to"):
        if when := getattr(filters, name):
            query |= {f"{name}_day": when.day, f"{name}_month": when.month}
            query[f"{name}_year"] = when.year
    return {key: value for key, value in query.items() if value}


NAMED_LISTS = {**queries.STAGES, **queries.DUE, **supernumerary.LISTS}


def named_list(found, show: str):
    """The enrolments behind one of the dashboard's counts, in the list's order."""
    if show in supernumerary.LISTS:
        found = supernumerary.named(found, show)
    return queries.named_list(found, show)
