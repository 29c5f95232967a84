"""The Trust and unit dashboards, the named lists behind their counts, and their downloads.

A Trust administrator sees their Trust; an educator/manager with a unit sees that unit (one
without a unit, the Trust). Filters and the named list's choice live in the address.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from stepwise.core import access_log
from stepwise.core.pagination import pagination
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role
from stepwise.reports import (
    downloads,
    exports,
    monthly,
    paper,
    presenters,
    queries,
    scoped,
    services,
)
from stepwise.reports.charts import SpcChart, spc_chart, stage_charts, supernumerary_charts
from stepwise.reports.figures import figures
from stepwise.reports.routers import reads_reports

PAGE_SIZE = 50
NAMED_LISTS = scoped.NAMED_LISTS


def _filtered(request, membership):
    return scoped.filtered(request.GET, membership)


def _figures(scope: queries.Scope, form, found):
    return figures(found, form.filters(), trust=scope.trust, unit=scope.unit)


def _tables(found, query, read) -> tuple[list[presenters.Table], SpcChart]:
    """The dashboard's tables (what the downloads hold) and its chart of months; `read`
    gives the figures the summaries keep (figures.py)."""
    counts = read.monthly_counts()
    limits = monthly.process_limits(counts["sign_offs"])
    tables = [
        presenters.stages_table(read.stage_counts(), read.confirmed_shares(), query),
        presenters.due_table(read.due_counts(), query),
        presenters.supernumerary_table(read.supernumerary_counts(), query),
        presenters.workload_table(read.workload()),
        presenters.durations_table(read.median_days()),
        presenters.months_table(counts, limits),
        presenters.paper_table(read.paper_saved(), paper.RULE),
    ]
    chart = spc_chart(
        "months", "Sign-offs per month", counts["months"], counts["sign_offs"], limits
    )
    return tables, chart


@role_required(Role.EDUCATOR, Role.TRUST_ADMIN)
@reads_reports
def dashboard(request, *, membership):
    scope, form, found, query = _filtered(request, membership)
    tables, months_chart = _tables(found, query, _figures(scope, form, found))
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


@role_required(Role.EDUCATOR, Role.TRUST_ADMIN)
@reads_reports
def learners(request, *, membership):
    show = request.GET.get("show", "")
    if show not in NAMED_LISTS:
        raise Http404("No such list")
    scope, form, found, query = _filtered(request, membership)
    page = Paginator(scoped.named_list(found, show), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/learners.jinja",
        {
            "scope": scope,
            "form": form,
            "heading": NAMED_LISTS[show],
            "show": show,
            "figure": presenters.learner_table(
                page, may_open=membership.has_role(Role.EDUCATOR), count=page.paginator.count
            ),
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
    tables, _ = _tables(found, query, _figures(scope, form, found))
    if file_format not in ("csv", "xlsx"):
        raise Http404("No such format")
    table = next((t for t in tables if t.key == request.GET.get("table")), None)
    if file_format == "csv" and table is None:
        raise Http404("No such table")
    return downloads.tables_response(
        table, tables, file_format, f"stepwise-{table.key if table else 'report'}"
    )


@role_required(Role.EDUCATOR, Role.TRUST_ADMIN)
@reads_reports
def learners_export(request, file_format: str, *, membership):
    """Every learner of a named list. A long list is made by the worker, with a page to
    wait on; a shorter one streams straight away."""
    show = request.GET.get("show", "")
    if show not in NAMED_LISTS or file_format not in ("csv", "xlsx"):
        raise Http404("No such list")
    scope, form, found, query = _filtered(request, membership)
    listed = scoped.named_list(found, show)
    count = listed.count()
    access_log.record(
        request,
        what=f"Exported {count} learners ({NAMED_LISTS[show]}, {file_format.upper()})",
        trust=membership.trust_id,
    )
    if count > exports.BACKGROUND_OVER:
        export = services.report_export_request(
            membership=membership,
            by=request.user,
            show=show,
            file_format=file_format,
            params=request.GET.urlencode(),
            rows=count,
        )
        return redirect("reports:export_progress", export.pk)
    rows = presenters.learner_values(listed.iterator(chunk_size=2000))
    header = list(presenters.LEARNER_COLUMNS.values())
    return downloads.rows_response(
        NAMED_LISTS[show], [header], rows, file_format, f"stepwise-{show.replace('_', '-')}"
    )
