"""Forms of the assessors' and educators' pages: the registration they state, enrolling
learners, changing an enrolment, moving or withdrawing it, signing it off or returning it
(deciding a request is in review.py, the list filters in staff_filters.py).

Choices come from lists the view has already loaded (the Trust's learners, staff and
versions), so a form adds no queries and a forged id is simply not a valid choice.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from stepwise.accounts.registration import RegistrationBody, validate_registration_number
from stepwise.core.forms import DateInputField

NOTE_MAX = 2000


class RegistrationForm(forms.Form):
    """The assessor's or educator's professional registration, asked once and remembered:
    pre-filled from their account and shown for them to confirm or correct."""

    registration_body = forms.ChoiceField(
        label="Professional register",
        choices=[("", "Choose your register"), *RegistrationBody.choices],
        error_messages={
            "required": "Select the register your number is on",
            "invalid_choice": "Select a register from the list",
        },
    )
    registration_number = forms.CharField(
        label="Registration number",
        max_length=20,
        help_text="For the NMC this is your PIN, like 12A3456B.",
        error_messages={
            "required": "Enter your registration number",
            "max_length": "Registration number must be 20 characters or fewer",
        },
        widget=forms.TextInput(attrs={"spellcheck": False, "class": "nhsuk-input--width-10"}),
    )

    def __init__(self, *args, person, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "registration_body": person.registration_body,
                "registration_number": person.registration_number,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        body, number = cleaned.get("registration_body"), cleaned.get("registration_number")
        if body and number:
            try:
                cleaned["registration_number"] = validate_registration_number(body, number)
            except ValidationError as error:
                self.add_error("registration_number", error)
        return cleaned


def _person_choices(memberships) -> list[tuple[int, str]]:
    return [(m.person_id, m.person.full_name) for m in memberships]


class StaffChoicesMixin:
    """The educator who signs off and the default assessors, chosen from the Trust's staff."""

    def offer_staff(self, staff) -> None:
        self.people = {m.person_id: m.person for m in staff}
        self.fields["educator"].choices = [("", "Choose an educator")] + _person_choices(
            [m for m in staff if m.is_educator]
        )
        self.fields["assessors"].choices = _person_choices(staff)

    def clean_educator(self):
        return self.people[self.cleaned_data["educator"]]

    def clean_assessors(self):
        return [self.people[pk] for pk in self.cleaned_data["assessors"]]


# The fields every form choosing an enrolment's staff has (StaffChoicesMixin fills the choices).
def educator_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Educator who will sign off",
        coerce=int,
        error_messages={
            "required": "Choose the educator who will sign off",
            "invalid_choice": "Choose an educator from the list",
        },
    )


def assessors_field() -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label="Default assessors (optional)",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Learners will be offered these assessors first when they ask for confirmation.",
        error_messages={"invalid_choice": "Choose assessors from the list"},
    )


class EnrolForm(StaffChoicesMixin, forms.Form):
    version = forms.TypedChoiceField(
        label="Framework",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a framework",
            "invalid_choice": "Choose a framework your Trust offers",
        },
    )
    learners = forms.TypedMultipleChoiceField(
        label="Learners",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one learner",
            "invalid_choice": "Choose learners from the list",
        },
    )
    due_on = DateInputField(
        label="Due date",
        not_in_past=True,
        help_text="When they should finish. For example, 15 3 2027",
    )
    educator = educator_field()
    assessors = assessors_field()

    def __init__(self, *args, versions, learners, staff, person, select_all=False, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if len(versions) == 1:
            initial.setdefault("version", versions[0].pk)
        initial.setdefault("educator", person.pk)
        if select_all:
            initial["learners"] = [m.person_id for m in learners]
        super().__init__(*args, **kwargs)
        self.versions = {v.pk: v for v in versions}
        self.fields["version"].choices = [(v.pk, str(v)) for v in versions]
        self.learner_people = {m.person_id: m.person for m in learners}
        self.fields["learners"].choices = _person_choices(learners)
        self.offer_staff(staff)

    def clean_version(self):
        return self.versions[self.cleaned_data["version"]]

    def clean_learners(self):
        return [self.learner_people[pk] for pk in self.cleaned_data["learners"]]


class EnrolmentDetailsForm(StaffChoicesMixin, forms.Form):
    due_on = DateInputField(
        label="Due date",
        required=False,
        help_text="For example, 15 3 2027. Leave it empty for no due date.",
    )
    educator = educator_field()
    assessors = assessors_field()

    def __init__(self, *args, enrolment, assessor_ids, staff, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "due_on": enrolment.due_on,
                "educator": enrolment.educator_id,
                "assessors": list(assessor_ids),
            },
        )
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        self.offer_staff(staff)

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        # An overdue date may stay as it is; a new date must not be in the past.
        if due_on and due_on != self.enrolment.due_on and due_on < timezone.localdate():
            raise ValidationError(self.fields["due_on"].error_messages["past"])
        return due_on


class MoveVersionForm(forms.Form):
    version = forms.TypedChoiceField(
        label="Version to move to",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the version to move to",
            "invalid_choice": "Choose a newer published version from the list",
        },
    )

    def __init__(self, *args, versions, **kwargs):
        if len(versions) == 1:
            kwargs.setdefault("initial", {"version": versions[0].pk})
        super().__init__(*args, **kwargs)
        self.versions = {v.pk: v for v in versions}
        self.fields["version"].choices = [(v.pk, f"Version {v.label}") for v in versions]

    def clean_version(self):
        return self.versions[self.cleaned_data["version"]]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is this enrolment being withdrawn?",
        max_length=NOTE_MAX,
        help_text="This is kept in the enrolment's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why this enrolment is being withdrawn",
            "max_length": f"Reason must be {NOTE_MAX} characters or fewer",
        },
    )


class SignOffForm(RegistrationForm):
    agree = forms.BooleanField(
        label="I agree with the declaration",
        error_messages={"required": "Confirm that you agree with the declaration"},
    )
    field_order = ["agree", "registration_body", "registration_number"]


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label="Comments for the learner",
        max_length=NOTE_MAX,
        help_text="Say what they need to do before you can sign off.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter comments for the learner",
            "max_length": f"Comments must be {NOTE_MAX} characters or fewer",
        },
    )
