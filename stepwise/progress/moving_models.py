"""Moving Trust by consent: an educator of the learner's new Trust proposes moving an open
enrolment there; it moves only when the learner confirms it, themselves
(services/moving.py). The proposal and its events are the record of who proposed, and who
confirmed, declined or withdrew it; nothing here is deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stepwise.core.events import Event

PERSON = settings.AUTH_USER_MODEL


class MoveProposal(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for the learner to confirm"
        CONFIRMED = "confirmed", "Confirmed by the learner"
        DECLINED = "declined", "Declined by the learner"
        WITHDRAWN = "withdrawn", "Withdrawn"

    enrolment = models.ForeignKey(
        "progress.Enrolment", on_delete=models.PROTECT, related_name="move_proposals"
    )
    from_trust = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    to_trust = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # Who signs it off and assesses it at the new Trust, if the learner confirms.
    educator = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    assessors = models.ManyToManyField(PERSON, blank=True, related_name="+")
    proposed_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    decided_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "to_trust"],
                condition=Q(state="waiting"),
                name="one_waiting_move_per_enrolment_and_trust",
            )
        ]

    def __str__(self) -> str:
        return f"Move {self.enrolment} to {self.to_trust}"


class MoveProposalEvent(Event):
    """Append-only history of a proposal: who did what to it, when."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", "Move proposed"
        CONFIRMED = "confirmed", "Move confirmed by the learner"
        DECLINED = "declined", "Move declined by the learner"
        WITHDRAWN = "withdrawn", "Proposal withdrawn"

    proposal = models.ForeignKey(MoveProposal, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
