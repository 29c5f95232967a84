"""Rejection rates of a framework's sections and proficiencies, for its authors: counts
across every Trust, without names."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from stepwise.frameworks.models import Framework
from stepwise.frameworks.rules import may_author
from stepwise.reports import presenters, rejections
from stepwise.reports.routers import reads_reports


def _author_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not may_author(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@_author_required
@reads_reports
def framework_list(request):
    return render(
        request,
        "reports/framework_list.jinja",
        {"frameworks": Framework.objects.order_by("title")},
    )


@_author_required
@reads_reports
def framework_rejections(request, slug: str):
    framework = get_object_or_404(Framework, slug=slug)
    by_section, by_proficiency = rejections.summarised(framework)
    sections = presenters.rejections_table(
        "sections",
        "Rejections by section",
        "Section",
        by_section,
        lambda row: f"{row['code']} {row['title']}",
    )
    proficiencies = presenters.rejections_table(
        "proficiencies",
        "Rejections by proficiency",
        "Proficiency",
        by_proficiency,
        lambda row: f"{row['code']} {row['statement']}",
    )
    return render(
        request,
        "reports/framework_rejections.jinja",
        {
            "framework": framework,
            "tables": [sections, proficiencies],
            "back_link": {
                "href": reverse("reports:frameworks"),
                "text": "Back to framework reports",
            },
        },
    )
