"""The national and network reports: learners by stage per network; a network's figures per
Trust (network_tables.py); learners by stage per unit of a Trust. They stop at units:
network and national leads see counts, not learners' names."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify

from stepwise.frameworks.models import Framework
from stepwise.organisations.models import Organisation
from stepwise.reports import downloads, filter_choices, presenters, queries
from stepwise.reports.access import is_national_lead, network_required
from stepwise.reports.figures import figures
from stepwise.reports.forms import DashboardFilterForm, Filters
from stepwise.reports.network_tables import network_tables
from stepwise.reports.routers import reads_reports


def _filters(request, network=None, **within):
    """The filter form of a report over `within` (e.g. `trust__parent=network`), and the
    filters that apply. Cohorts narrow a network or England; a Trust's page has none."""
    frameworks = list(Framework.objects.order_by("title"))
    form = DashboardFilterForm(
        request.GET or None,
        frameworks=frameworks,
        versions=filter_choices.versions_of(frameworks),
        units=[],
        job_titles=queries.job_titles(queries.all_enrolments(Filters(), **within)),
        cohorts=None if "trust" in within else filter_choices.cohorts(network),
    )
    return form, form.filters()


def _page(request, form, *, caption, heading, table, back_link=None, file_format=None):
    """The report's page, or its table as a download (`file_format`)."""
    if file_format is not None:
        if file_format not in ("csv", "xlsx"):
            raise Http404("No such format")
        name = "stepwise-" + slugify(f"{caption} {heading}" if caption != heading else heading)
        return downloads.tables_response(table, [table], file_format, name)
    return render(
        request,
        "reports/places.jinja",
        {
            "form": form,
            "caption": caption,
            "heading": heading,
            "figure": table,
            "back_link": back_link,
            "query": request.GET.urlencode(),
            "download_query": request.GET.urlencode(),
        },
    )


def _with_query(request, url: str) -> str:
    return f"{url}?{request.GET.urlencode()}" if request.GET else url


@login_required
@reads_reports
def national(request, file_format=None):
    if not is_national_lead(request):
        raise PermissionDenied
    form, filters = _filters(request)
    counts = figures(queries.all_enrolments(filters), filters).stage_counts_by("trust__parent")
    table = presenters.places_table(
        counts,
        "trust__parent",
        "Network",
        lambda pk: _with_query(request, reverse("reports:network", args=[pk])),
    )
    return _page(
        request,
        form,
        caption="England",
        heading="National reports",
        table=table,
        file_format=file_format,
    )


@network_required
@reads_reports
def network(request, file_format=None, *, network):
    """Per Trust of the network where a figure reads per Trust, for the whole network where
    it does not (network_tables.py); each Trust's name leads to its units."""
    form, filters = _filters(request, network, trust__parent=network)
    found = queries.all_enrolments(filters, trust__parent=network)
    tables, months_chart = network_tables(
        figures(found, filters, network=network),
        lambda pk: _with_query(request, reverse("reports:network_trust", args=[network.pk, pk])),
    )
    if file_format is not None:
        if file_format not in ("csv", "xlsx"):
            raise Http404("No such format")
        chosen = request.GET.get("table", tables[0].key)
        table = next((t for t in tables if t.key == chosen), None)
        if table is None:
            raise Http404("No such table")
        return downloads.tables_response(
            table, tables, file_format, "stepwise-" + slugify(f"{network.name} reports")
        )
    back = (
        {"href": _with_query(request, reverse("reports:national")), "text": "Back to England"}
        if is_national_lead(request)
        else None
    )
    return render(
        request,
        "reports/network.jinja",
        {
            "form": form,
            "network": network,
            "tables": tables,
            "months_chart": months_chart,
            "back_link": back,
            "download_query": urlencode([(k, v) for k, v in request.GET.items() if k != "table"]),
        },
    )


@network_required
@reads_reports
def network_trust(request, trust_id: int, file_format=None, *, network):
    trust = get_object_or_404(
        Organisation.objects.filter(kind=Organisation.Kind.TRUST, parent=network), pk=trust_id
    )
    form, filters = _filters(request, network, trust=trust)
    found = queries.all_enrolments(filters, trust=trust)
    table = presenters.places_table(
        figures(found, filters, trust=trust).stage_counts_by("unit"), "unit", "Unit", lambda pk: ""
    )
    back = {
        "href": _with_query(request, reverse("reports:network", args=[network.pk])),
        "text": f"Back to {network.name}",
    }
    return _page(
        request,
        form,
        caption=network.name,
        heading=trust.name,
        table=table,
        back_link=back,
        file_format=file_format,
    )
