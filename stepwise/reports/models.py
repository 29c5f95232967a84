"""Who leads a critical care network's reports: a network lead sees every Trust of their
network, down to its units, without learners' names."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NetworkLeadQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class NetworkLead(models.Model):
    """Set up by the service team (Django admin). Ending it keeps the row: nothing is
    deleted."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="network_leads"
    )
    network = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="leads",
        limit_choices_to={"kind": "network"},
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = NetworkLeadQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network"],
                condition=Q(ended_on__isnull=True),
                name="one_current_lead_per_person_and_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} leads {self.network}"
