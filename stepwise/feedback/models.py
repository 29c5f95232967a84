"""Questionnaires the service team asks people, the answers, and page feedback.

A `Form` is the lasting thing people are asked (and training packages point at); its questions
live in numbered `FormVersion`s. A published version never changes, so every answer matches
the question it was given; changing a published form drafts the next version.

Anonymous forms: a `Response` keeps no link to its person. Who has answered is a separate
`Respondent` row (form and person, no time, no response id), which is also what allows one
answer per person: both are written in one transaction and the unique Respondent refuses a
second. Both have random keys and the anonymous response keeps only its day, so the order of
rows cannot pair them up.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stepwise.core.events import Event

PERSON = settings.AUTH_USER_MODEL


class Form(models.Model):
    class Kind(models.TextChoices):
        CUSTOM = "custom", "Built by the team"
        SUS = "sus", "System Usability Scale"
        PAPER_BASELINE = "paper_baseline", "Paper baseline"

    class Trigger(models.TextChoices):
        ON_DATE = "on_date", "By the team, on a date"
        AFTER_TRAINING = "after_training", "After a training package"
        ENROLMENT_3_MONTHS = "enrolment_3_months", "3 months after enrolment"
        SIGN_OFF = "sign_off", "At final sign-off"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    introduction = models.TextField(blank=True)
    anonymous = models.BooleanField(
        default=False, help_text="Answers keep no link to the person who gave them."
    )
    trigger = models.CharField(max_length=30, choices=Trigger.choices, default=Trigger.ON_DATE)
    send_on = models.DateField(null=True, blank=True)
    # Who is asked: people holding one of these roles (empty: any role), at these Trusts
    # (empty: any), in these cohorts (empty: any).
    roles = models.JSONField(default=list, blank=True)
    trusts = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="feedback_forms",
        limit_choices_to={"kind": "trust"},
    )
    cohorts = models.ManyToManyField(
        "organisations.Cohort", blank=True, related_name="feedback_forms"
    )
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class FormVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        REPLACED = "replaced", "Replaced by a newer version"

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="feedback_version_number"),
            models.UniqueConstraint(
                fields=["form"], condition=Q(state="draft"), name="feedback_one_draft_per_form"
            ),
            models.UniqueConstraint(
                fields=["form"],
                condition=Q(state="published"),
                name="feedback_one_published_per_form",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form} version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agreement on a 5-point scale"
        SINGLE = "single", "Choose one"
        MULTIPLE = "multiple", "Choose any"
        RATING = "rating", "Rating from 0 to 10"
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"

    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=True)
    # The options of a choice question, or a Likert scale's 5 labels from lowest to highest.
    choices = models.JSONField(default=list, blank=True)
    # A name kept from version to version, so results and comparisons find the same question
    # (the SUS items are sus1..sus10; paper and digital questions share theirs).
    key = models.SlugField(max_length=40, blank=True)

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_text(self) -> bool:
        return self.kind in (self.Kind.SHORT_TEXT, self.Kind.LONG_TEXT)


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="responses")
    # Empty on anonymous forms and on paper answers typed in by the team.
    person = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where and as what the person answered, for the breakdowns (groups, never people).
    trust = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(max_length=20, blank=True)
    # Only the day: an anonymous response's exact time could be matched to its person.
    submitted_on = models.DateField(default=timezone.localdate)
    from_paper = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["submitted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "person"],
                condition=Q(person__isnull=False),
                name="feedback_one_response_per_person",
            ),
        ]
        indexes = [models.Index(fields=["form", "trust"])]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # A choice's index, a Likert point (1-5) or a rating (0-10).
    number = models.IntegerField(null=True, blank=True)
    # Chosen indexes of a multiple-choice question.
    numbers = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="feedback_one_answer_per_question"
            )
        ]


class Respondent(models.Model):
    """That someone has answered a form, and nothing else: no time, no response."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="respondents")
    person = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "person"], name="feedback_one_answer_each")
        ]


class Invitation(models.Model):
    """Someone was asked to answer a form: the in-app notice and email, and the reminders
    (at most one a week, at most three) until they answer."""

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    moment = models.CharField(max_length=30, choices=Form.Trigger.choices)
    asked_at = models.DateTimeField(default=timezone.now)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        constraints = [
            models.UniqueConstraint(fields=["form", "person"], name="feedback_asked_once")
        ]


class FormEvent(Event):
    class Kind(models.TextChoices):
        CREATED = "created", "Form created"
        CHANGED = "changed", "Questions or settings changed"
        PUBLISHED = "published", "Version published"
        DRAFTED = "drafted", "New version drafted"
        ASKED = "asked", "People asked"
        REMINDED = "reminded", "Reminder sent"
        ANSWERED = "answered", "Answered"
        PAPER_ENTERED = "paper_entered", "Paper answers typed in"

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)


class PageFeedback(models.Model):
    """'Was this page helpful?': the page, the role the person was working in, what they
    said. Not who said it."""

    page = models.CharField(max_length=300)
    role = models.CharField(max_length=60, blank=True)
    helpful = models.BooleanField(null=True)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["handled_at", "created_at"])]


class PageFeedbackEvent(Event):
    class Kind(models.TextChoices):
        HANDLED = "handled", "Marked handled"
        REOPENED = "reopened", "Reopened"

    feedback = models.ForeignKey(PageFeedback, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
