"""Which published frameworks the Trust offers its learners, and whether they may enrol
themselves. For the Trust's administrators, about their current Trust only."""

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from stepwise.core.errors import ConflictError
from stepwise.frameworks import queries, services
from stepwise.frameworks.forms import NoteForm, OfferForm
from stepwise.frameworks.presenters import frameworks as presenters
from stepwise.frameworks.views._lookup import posted
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role


def _offers_page():
    return redirect("frameworks:offers")


def _published(slug: str):
    # Drafts are the authors' business: a framework with nothing published is not found.
    return get_object_or_404(queries.published_frameworks(), slug=slug)


def _refused(request, error):
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    return _offers_page()


@role_required(Role.TRUST_ADMIN)
def offers(request, *, membership):
    return render(
        request,
        "frameworks/offers.jinja",
        {
            "trust": membership.trust,
            "rows": presenters.offer_rows(queries.offer_overviews(membership.trust)),
        },
    )


@role_required(Role.TRUST_ADMIN)
def offer(request, slug: str, *, membership):
    framework = _published(slug)
    trust = membership.trust
    form = OfferForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.trust_framework_offer(
                trust=trust,
                framework=framework,
                by=request.user,
                learners_may_enrol_themselves=form.cleaned_data["self_enrolment"],
            )
        except (ValidationError, ConflictError) as error:
            return _refused(request, error)
        messages.success(request, f"{trust.name} now offers {framework.title}")
        return _offers_page()
    return render(
        request, "frameworks/offer.jinja", {"form": form, "framework": framework, "trust": trust}
    )


@role_required(Role.TRUST_ADMIN)
def offer_stop(request, slug: str, *, membership):
    framework = _published(slug)
    trust = membership.trust
    if queries.trust_offer(trust, framework) is None:
        return _refused(request, ConflictError(f"{trust.name} does not offer {framework.title}."))
    form = NoteForm(
        posted(request),
        help_text="Kept in the framework's history.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.trust_framework_withdraw(
                trust=trust, framework=framework, by=request.user, note=form.cleaned_data["note"]
            )
        except ConflictError as error:
            return _refused(request, error)
        messages.success(
            request,
            f"{trust.name} no longer offers {framework.title}. Learners already enrolled carry on",
        )
        return _offers_page()
    return render(
        request,
        "frameworks/offer_stop.jinja",
        {"form": form, "framework": framework, "trust": trust},
    )


@role_required(Role.TRUST_ADMIN)
@require_POST
def offer_self_enrolment(request, slug: str, *, membership):
    framework = _published(slug)
    choice = request.POST.get("allowed")
    if choice not in ("yes", "no"):
        raise BadRequest("Say yes or no")
    try:
        services.trust_framework_set_self_enrolment(
            trust=membership.trust, framework=framework, by=request.user, allowed=choice == "yes"
        )
    except ConflictError as error:
        return _refused(request, error)
    messages.success(
        request,
        f"Learners can now enrol themselves on {framework.title}"
        if choice == "yes"
        else f"Only educators can now enrol learners on {framework.title}",
    )
    return _offers_page()
