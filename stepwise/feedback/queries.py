"""Reading forms: which version people answer, who is asked, who has answered."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from stepwise.feedback.models import Form, FormVersion, Invitation, Question, Respondent
from stepwise.organisations.models import ROLE_FIELDS, Membership, Role


def published_version(form: Form) -> FormVersion | None:
    return form.versions.filter(state=FormVersion.State.PUBLISHED).first()


def draft_version(form: Form) -> FormVersion | None:
    return form.versions.filter(state=FormVersion.State.DRAFT).first()


def questions_of(version: FormVersion) -> list[Question]:
    return list(version.questions.order_by("position", "pk"))


def has_answered(person, form: Form) -> bool:
    """Whether the person has answered the form (any version), on paper or not at all."""
    return Respondent.objects.filter(form=form, person=person).exists()


def is_aimed_at(form: Form, person) -> bool:
    """A form is for the people it was sent to: whoever holds its invitation."""
    return Invitation.objects.filter(form=form, person=person).exists()


def waiting_invitations(person) -> QuerySet[Invitation]:
    """Forms the person was asked to answer and has not, while they are published."""
    answered = Respondent.objects.filter(form=OuterRef("form"), person=person)
    published = FormVersion.objects.filter(form=OuterRef("form"), state=FormVersion.State.PUBLISHED)
    return (
        Invitation.objects.filter(person=person)
        .filter(Exists(published))
        .exclude(Exists(answered))
        .select_related("form")
        .order_by("asked_at", "pk")
    )


def targeted_memberships(form: Form) -> QuerySet[Membership]:
    """Current memberships matching the form's roles, Trusts and cohorts."""
    memberships = Membership.objects.current().filter(person__is_active=True)
    if form.roles:
        any_role = Q()
        for role in form.roles:
            any_role |= Q(**{ROLE_FIELDS[Role(role)]: True})
        memberships = memberships.filter(any_role)
    trust_ids = list(form.trusts.values_list("pk", flat=True))
    if trust_ids:
        memberships = memberships.filter(trust_id__in=trust_ids)
    cohort_ids = list(form.cohorts.values_list("pk", flat=True))
    if cohort_ids:
        memberships = memberships.filter(trust__cohorts__in=cohort_ids)
    return memberships


def targeted_people(form: Form):
    return get_user_model().objects.filter(pk__in=targeted_memberships(form).values("person_id"))


def is_targeted(form: Form, person) -> bool:
    return targeted_memberships(form).filter(person=person).exists()


def target_summary(form: Form) -> str:
    """Who the form is for, in words."""
    roles = ", ".join(Role(role).label.lower() + "s" for role in form.roles) or "everyone"
    parts = [roles[:1].upper() + roles[1:]]
    trusts = [trust.name for trust in form.trusts.all()]
    cohorts = [cohort.name for cohort in form.cohorts.all()]
    parts.append("at " + ", ".join(trusts) if trusts else "at every Trust")
    if cohorts:
        parts.append("in " + ", ".join(cohorts))
    return " ".join(parts)
