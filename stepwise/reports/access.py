"""Who sees the network and national reports: a national lead (the platform's service team)
sees every network; a network lead sees the networks they lead. Any other network's id, or
a Trust outside the network, is a 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from stepwise.organisations.models import Organisation
from stepwise.reports.models import NetworkLead


def is_national_lead(request) -> bool:
    # Reads only the signed-in person, so the header may ask it.
    return request.user.is_authenticated and request.user.is_platform_admin


def leads_a_network() -> Exists:
    """Whether a person (the outer query's) leads a network now: for two-step sign-in."""
    return Exists(NetworkLead.objects.current().filter(person=OuterRef("pk")))


def visible_networks(user) -> QuerySet[Organisation]:
    networks = Organisation.objects.filter(kind=Organisation.Kind.NETWORK)
    if user.is_platform_admin:
        return networks
    led = NetworkLead.objects.current().filter(person=user).values("network_id")
    return networks.filter(pk__in=led)


def network_required(view):
    """Signed in, and the network is one they may see (else 404); the view receives it."""

    @wraps(view)
    @login_required
    def wrapped(request, network_id: int, *args, **kwargs):
        network = get_object_or_404(visible_networks(request.user), pk=network_id)
        return view(request, *args, network=network, **kwargs)

    return wrapped
