"""The Trust and unit dashboards, the named lists behind their counts, and their downloads.

A Trust administrator sees their Trust; an educator/manager with a unit sees that unit (one
without a unit, the Trust). Filters and the named list's choice live in the address.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from stepwise.core.pagination import pagination
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role
from stepwise.organisations.queries import trust_units
from stepwise.progress.queries.staff import trust_frameworks
from stepwise.reports import (
    durations,
    exports,
    filter_choices,
    monthly,
    paper,
    presenters,
    queries,
    supernumerary,
)
from stepwise.reports.charts import SpcChart, spc_chart, stage_charts, supernumerary_charts
from stepwise.reports.forms import ADDRESS_NAMES, DashboardFilterForm, Filters
from stepwise.reports.routers import reads_reports

PAGE_SIZE = 50
NAMED_LISTS = {**queries.STAGES, **queries.DUE, **supernumerary.LISTS}


def _scope(membership) -> queries.Scope:
    if membership.unit_id and not membership.has_role(Role.TRUST_ADMIN):
        return queries.Scope(membership.trust, membership.unit)
    return queries.Scope(membership.trust)


def _filtered(request, membership):
    """The scope, the filter form, the enrolments they select and the filters as a query
    (only the valid ones, for the links to the named lists)."""
    scope = _scope(membership)
    units = [scope.unit] if scope.unit else trust_units(scope.trust)
    frameworks = trust_frameworks(scope.trust)
    form = DashboardFilterForm(
        request.GET or None,
        frameworks=frameworks,
        versions=filter_choices.versions_of(frameworks),
        units=units,
        job_titles=queries.job_titles(queries.enrolments(scope, Filters())),
    )
    filters = form.filters()
    return scope, form, queries.enrolments(scope, filters), _as_query(filters)


def _as_query(filters) -> dict:
    """The filters that apply, as the address carries them: the named lists keep them."""
    query = {name: getattr(filters, field) for field, name in ADDRESS_NAMES.items()}
    for name in ("started_from", "started_to"):
        if when := getattr(filters, name):
            query |= {f"{name}_day": when.day, f"{name}_month": when.month}
            query[f"{name}_year"] = when.year
    return {key: value for key, value in query.items() if value}


def _tables(found, query) -> tuple[list[presenters.Table], SpcChart]:
    """The dashboard's tables (what the downloads hold) and its chart of months."""
    counts = monthly.monthly_counts(found)
    limits = monthly.process_limits(counts["sign_offs"])
    tables = [
        presenters.stages_table(
            queries.stage_counts(found), queries.confirmed_shares(found), query
        ),
        presenters.due_table(queries.due_counts(found), query),
        presenters.supernumerary_table(
            supernumerary.counts(found, supernumerary.period_lengths()), query
        ),
        presenters.workload_table(queries.workload(found)),
        presenters.durations_table(durations.median_days(found)),
        presenters.months_table(counts, limits),
        presenters.paper_table(paper.paper_saved(found), paper.RULE),
    ]
    chart = spc_chart(
        "months", "Sign-offs per month", counts["months"], counts["sign_offs"], limits
    )
    return tables, chart


@role_required(Role.EDUCATOR, Role.TRUST_ADMIN)
@reads_reports
def dashboard(request, *, membership):
    scope, form, found, query = _filtered(request, membership)
    tables, months_chart = _tables(found, query)
    return render(
        request,
        "reports/dashboard.jinja",
        {
            "scope": scope,
            "form": form,
            "tables": tables,
            "charts": stage_charts(tables[0]),
            "supernumerary_charts": supernumerary_charts(tables[2]),
            "months_chart": months_chart,
            "download_query": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )


def _named_list(found, show: str):
    if show in supernumerary.LISTS:
        found = supernumerary.named(found, show)
    return queries.named_list(found, show)


@role_required(Role.EDUCATOR, Role.TRUST_ADMIN)
@reads_reports
def learners(request, *, membership):
    show = request.GET.get("show", "")
    if show not in NAMED_LISTS:
        raise Http404("No such list")
    scope, form, found, query = _filtered(request, membership)
    page = Paginator(_named_list(found, show), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/learners.jinja",
        {
            "scope": scope,
            "form": form,
            "heading": NAMED_LISTS[show],
            "show": show,
            "rows": presenters.learner_rows(page, may_open=membership.has_role(Role.EDUCATOR)),
            "count": page.paginator.count,
            "pagination": pagination(page, request.GET.copy()),
            "download_query": request.GET.urlencode(),
            "back_link": {
                "href": reverse("reports:dashboard") + "?" + urlencode(query),
                "text": "Back to reports",
            },
        },
    )


@role_required(Role.EDUCATOR, Role.TRUST_ADMIN)
@reads_reports
def export(request, file_format: str, *, membership):
    scope, form, found, query = _filtered(request, membership)
    tables, _ = _tables(found, query)
    if file_format not in ("csv", "xlsx"):
        raise Http404("No such format")
    table = next((t for t in tables if t.key == request.GET.get("table")), None)
    if file_format == "csv" and table is None:
        raise Http404("No such table")
    return _download(table, tables, file_format, f"stepwise-{table.key if table else 'report'}")


def _download(table, tables, file_format: str, name: str) -> HttpResponse:
    """The CSV of one table, or a workbook of them all, named for today."""
    name = f"{name}-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "xlsx":
        response = HttpResponse(
            exports.xlsx_file(tables),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.csv_file(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(Role.EDUCATOR, Role.TRUST_ADMIN)
@reads_reports
def learners_export(request, file_format: str, *, membership):
    show = request.GET.get("show", "")
    if show not in NAMED_LISTS or file_format not in ("csv", "xlsx"):
        raise Http404("No such list")
    scope, form, found, query = _filtered(request, membership)
    rows = presenters.learner_rows(_named_list(found, show).iterator(), may_open=False)
    table = presenters.learners_table(NAMED_LISTS[show], rows)
    return _download(table, [table], file_format, f"stepwise-{show.replace('_', '-')}")
