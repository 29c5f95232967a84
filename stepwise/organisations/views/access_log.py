"""The Trust's access log: who looked at which learner's record, searched by a Trust admin."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from stepwise.core.models import AccessRecord
from stepwise.organisations.access import role_required
from stepwise.organisations.forms import AccessLogSearchForm
from stepwise.organisations.models import Role


@role_required(Role.TRUST_ADMIN)
def access_log(request, *, membership):
    form = AccessLogSearchForm(request.GET or None)
    words = form.search()
    records = AccessRecord.objects.filter(trust=membership.trust).select_related(
        "viewer", "subject"
    )
    if words:
        records = records.filter(
            Q(viewer__full_name__icontains=words)
            | Q(viewer__email__icontains=words)
            | Q(subject__full_name__icontains=words)
            | Q(subject__email__icontains=words)
        )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/access_log.jinja",
        {"form": form, "page": page, "words": words, "trust": membership.trust},
    )
