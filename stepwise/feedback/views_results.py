"""Results: the service team sees everyone's answers, a Trust administrator their Trust's
people's, on the page and in a workbook of the same tables."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify

from stepwise.core.forms import whole_number
from stepwise.feedback import queries
from stepwise.feedback.builtin import SUS_AVERAGE, SUS_GRADES
from stepwise.feedback.models import Form, FormVersion
from stepwise.feedback.results import (
    MIN_GROUP,
    question_results,
    rates_table,
    responses_in,
    shows_breakdown,
    sus_result,
)
from stepwise.feedback.results_tables import comparison_tables, responses_table
from stepwise.organisations.access import current_membership
from stepwise.organisations.models import Organisation, Role
from stepwise.reports.exports import xlsx_file
from stepwise.reports.presenters import Cell, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request) -> tuple[bool, Organisation | None]:
    """(may see results, the one Trust they are limited to or None for all)."""
    if request.user.is_platform_admin:
        return True, None
    membership = current_membership(request)
    if membership is not None and membership.has_role(Role.TRUST_ADMIN):
        return True, membership.trust
    return False, None


def results_access(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        allowed, trust = _scope(request)
        if not allowed:
            raise PermissionDenied
        return view(request, *args, trust=trust, **kwargs)

    return wrapped


@results_access
def results_list(request, trust):
    forms = (
        Form.objects.filter(versions__state__in=["published", "replaced"])
        .annotate(
            answered=Count(
                "responses", filter=Q(responses__trust=trust) if trust else Q(), distinct=True
            )
        )
        .distinct()
        .order_by("title")
    )
    return render(request, "feedback/results_list.jinja", {"forms": forms, "trust": trust})


@dataclass
class Results:
    form: Form
    version: FormVersion
    trust: Organisation | None
    count: int
    breakdown: bool
    questions: list
    sus: object
    comparisons: list[Table]
    rates: Table

    def tables(self) -> list[Table]:
        """Every table the page shows, in its order: the workbook's sheets."""
        tables = [self.rates]
        if self.breakdown:
            tables += [result.table for result in self.questions if result.table]
            tables += [_texts_table(result) for result in self.questions if result.question.is_text]
            if self.sus:
                tables += [self.sus.groups, self.sus.bands]
            tables += self.comparisons
        return tables


def _texts_table(result) -> Table:
    return Table(
        f"t{result.number}",
        f"Question {result.number} answers",
        ["Answer"],
        [[Cell(text)] for text in result.texts],
        result.question.text,
    )


def _results(form: Form, trust, version_number: str | None) -> Results:
    versions = form.versions.exclude(state=FormVersion.State.DRAFT)
    number = whole_number(version_number or "")
    version = (
        versions.filter(number=number).first()
        if number is not None
        else versions.filter(state=FormVersion.State.PUBLISHED).first() or versions.first()
    )
    if version is None:
        raise Http404
    responses = responses_in(form, trust).filter(version=version)
    count = responses.count()
    breakdown = shows_breakdown(form, count)
    return Results(
        form=form,
        version=version,
        trust=trust,
        count=count,
        breakdown=breakdown,
        questions=question_results(version, responses) if breakdown else [],
        sus=sus_result(responses, form.anonymous)
        if breakdown and form.kind == Form.Kind.SUS
        else None,
        comparisons=comparison_tables(form, trust)
        if breakdown and form.kind == Form.Kind.PAPER_BASELINE
        else [],
        rates=rates_table(form, trust),
    )


@results_access
def results(request, form_id: int, trust):
    form = get_object_or_404(Form, pk=form_id)
    found = _results(form, trust, request.GET.get("version"))
    return render(
        request,
        "feedback/results.jinja",
        {
            "results": found,
            "feedback_form": form,
            "versions": form.versions.exclude(state=FormVersion.State.DRAFT),
            "min_group": MIN_GROUP,
            "sus_average": SUS_AVERAGE,
            "sus_grades": SUS_GRADES,
            "back_link": {
                "href": reverse("feedback:team_form", args=[form.pk])
                if trust is None
                else reverse("feedback:results_list"),
                "text": "Back",
            },
        },
    )


@results_access
def results_xlsx(request, form_id: int, trust):
    form = get_object_or_404(Form, pk=form_id)
    found = _results(form, trust, request.GET.get("version"))
    tables = found.tables()
    if found.breakdown:
        responses = responses_in(form, trust)
        table = responses_table(form, found.version, responses)
        if trust is not None and not form.anonymous:
            # A Trust sees its people's answers without their names.
            table = Table(
                table.key,
                table.title,
                table.head[1:],
                [row[1:] for row in table.rows],
                table.description,
            )
        tables.append(table)
    response = HttpResponse(xlsx_file(tables), content_type=XLSX)
    name = f"{slugify(form.title)}-v{found.version.number}-results.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def published_or_404(form: Form) -> FormVersion:
    version = queries.published_version(form)
    if version is None:
        raise Http404
    return version
