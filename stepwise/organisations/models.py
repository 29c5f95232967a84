"""Networks, Trusts, units and HEIs, and the memberships that give people roles in them."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from stepwise.core.events import Event


def new_registration_code() -> str:
    # 128 bits from the OS: unguessable, and short enough to read out over the phone.
    return secrets.token_urlsafe(16)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", "Network"
        TRUST = "trust", "Trust"
        UNIT = "unit", "Unit"
        HEI = "hei", "Higher education institute"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    # ODS code for Trusts (e.g. RX1), a short local code for units.
    code = models.CharField(max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    partners = models.ManyToManyField(
        "self", blank=True, help_text="HEIs partnered with a Trust (both ways)."
    )
    registration_code = models.CharField(
        max_length=40, unique=True, null=True, blank=True, default=None
    )
    registration_requires_approval = models.BooleanField(
        default=True, help_text="Self-registered people wait for a Trust administrator."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~Q(code=""), name="organisation_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="network") | Q(kind="hei") | Q(parent__isnull=False),
                name="trusts_and_units_have_a_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_trust(self) -> bool:
        return self.kind == self.Kind.TRUST


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    ASSESSOR = "assessor", "Assessor"
    EDUCATOR = "educator", "Educator/manager"
    TRUST_ADMIN = "trust_admin", "Trust administrator"


ROLE_FIELDS = {
    Role.LEARNER: "is_learner",
    Role.ASSESSOR: "is_assessor",
    Role.EDUCATOR: "is_educator",
    Role.TRUST_ADMIN: "is_trust_admin",
}


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships that give access today: approved and not ended."""
        return self.filter(state=Membership.State.ACTIVE)

    def with_role(self, role: Role):
        return self.filter(**{ROLE_FIELDS[Role(role)]: True})

    def started(self):
        """Memberships that began, current or ended. Not one still waiting (an invitation, a
        registration to approve), nor one that ended before it began (an invitation declined,
        withdrawn or ended unanswered; a registration declined): that person never joined."""
        waiting = [Membership.State.INVITED, Membership.State.AWAITING_APPROVAL]
        ended_before_it_began = MembershipEvent.objects.filter(
            membership=OuterRef("pk"),
            from_state__in=waiting,
            to_state__in=[Membership.State.ENDED, Membership.State.DECLINED],
        )
        return self.exclude(state__in=[*waiting, Membership.State.DECLINED]).exclude(
            Exists(ended_before_it_began)
        )


class Membership(models.Model):
    """A person's place in a Trust: their unit, their roles, when it started and ended.

    Leaving a Trust ends the membership; nothing is deleted.
    """

    class State(models.TextChoices):
        # Someone who already has an account joins only when they accept, themselves.
        INVITED = "invited", "Invited"
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        DECLINED = "declined", "Declined"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    trust = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        limit_choices_to={"kind": Organisation.Kind.TRUST},
    )
    unit = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_memberships",
        limit_choices_to={"kind": Organisation.Kind.UNIT},
    )
    partner_hei = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_memberships",
        limit_choices_to={"kind": Organisation.Kind.HEI},
        help_text="Set when the person is HEI staff acting for this Trust.",
    )
    is_learner = models.BooleanField(default=False)
    is_assessor = models.BooleanField(default=False)
    is_educator = models.BooleanField(default=False)
    is_trust_admin = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.ACTIVE)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The one-off key of the register form that made it: the same form sent twice (a double
    # click) finds this membership rather than registering the person again.
    form_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["trust__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "trust"],
                condition=Q(state__in=["invited", "awaiting_approval", "active"]),
                name="one_open_membership_per_trust",
            ),
        ]
        indexes = [models.Index(fields=["trust", "state"])]

    def __str__(self) -> str:
        return f"{self.person} at {self.trust}"

    @property
    def roles(self) -> list[Role]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    def has_role(self, *roles: Role) -> bool:
        return any(getattr(self, ROLE_FIELDS[Role(role)]) for role in roles)

    @property
    def role_names(self) -> str:
        return ", ".join(role.label for role in self.roles) or "No role"


class MembershipEvent(Event):
    """Append-only history of a membership: who changed what, when, and why."""

    class Kind(models.TextChoices):
        CREATED = "created", "Added to the Trust"
        REGISTERED = "registered", "Registered through the Trust's link"
        APPROVED = "approved", "Registration approved"
        DECLINED = "declined", "Registration declined"
        ROLES_CHANGED = "roles_changed", "Roles or unit changed"
        ENDED = "ended", "Left the Trust"
        INVITED = "invited", "Invitation sent"
        JOIN_INVITED = "join_invited", "Invited to join"
        JOIN_ACCEPTED = "join_accepted", "Invitation to join accepted"
        JOIN_DECLINED = "join_declined", "Invitation to join declined"
        JOIN_WITHDRAWN = "join_withdrawn", "Invitation to join withdrawn"
        TWO_STEP_RESET = "two_step_reset", "Two-step sign-in reset"

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)


class TrustEvent(Event):
    """Append-only history of a Trust's settings."""

    class Kind(models.TextChoices):
        REGISTRATION_LINK_CHANGED = "registration_link_changed", "Registration link changed"
        SETTINGS_CHANGED = "settings_changed", "Settings changed"

    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)


class CohortQuerySet(models.QuerySet):
    def with_trust(self, trust):
        return self.filter(trusts=trust)


class Cohort(models.Model):
    """A named group of Trusts that start together (a pilot's wave), set up by the service
    team in the Django admin. Training and feedback aim at cohorts; reports filter by them.

    A Trust may be in more than one cohort (a pilot wave and, later, a national roll-out);
    each cohort's figures count its own Trusts.
    """

    name = models.CharField(max_length=100, unique=True)
    starts_on = models.DateField("Start date")
    description = models.TextField(blank=True)
    trusts = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="cohorts",
        limit_choices_to={"kind": Organisation.Kind.TRUST},
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "name"]

    def __str__(self) -> str:
        return self.name


# Defined beside the upload code; imported here so Django registers it with this app.
from stepwise.organisations.upload.models import PeopleUpload  # noqa: E402, F401
