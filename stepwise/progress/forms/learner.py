"""Forms of the learner's pages. Each field renders through the NHS macros (`field()`), and
each error reads as the learner would say it."""

from django import forms
from django.core.exceptions import ValidationError

from stepwise.progress.services.evidence import EVIDENCE_MAX_BYTES
from stepwise.progress.states import SELF_ASSESSED, RecordState

REFLECTION_MAX = 5000
SEARCH_MAX = 100


class SelfAssessmentForm(forms.Form):
    """One answer and an optional reflection for each proficiency of a section, sent at once.

    There is a field pair for every record in the section, not only those the page shows,
    so an answer sent from an out-of-date page reaches the service, which says what changed
    meanwhile instead of the answer silently disappearing."""

    def __init__(self, *args, records, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = list(records)
        scale = [
            (RecordState.ACHIEVED.value, version.achieved_label),
            (RecordState.ONGOING.value, version.ongoing_label),
        ]
        for record in self.records:
            code = record.proficiency.code
            self.fields[f"answer-{record.pk}"] = forms.ChoiceField(
                label=f"Your answer for {code}",
                choices=scale,
                required=False,
                widget=forms.RadioSelect,
                initial=record.state if record.state in SELF_ASSESSED else None,
                error_messages={
                    "invalid_choice": (
                        f"Choose {version.achieved_label} or {version.ongoing_label} for {code}"
                    )
                },
            )
            self.fields[f"reflection-{record.pk}"] = forms.CharField(
                label=f"Reflection on {code} (optional)",
                help_text="What you did, what you learnt and how it shows you can do this.",
                required=False,
                max_length=REFLECTION_MAX,
                initial=record.reflection,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": (
                        f"Reflection on {code} must be {REFLECTION_MAX} characters or fewer"
                    )
                },
            )

    def clean(self):
        cleaned = super().clean()
        answers = []
        for record in self.records:
            answer = cleaned.get(f"answer-{record.pk}")
            reflection = cleaned.get(f"reflection-{record.pk}") or ""
            if not answer:
                if reflection.strip() and reflection.strip() != record.reflection:
                    self.add_error(
                        f"answer-{record.pk}",
                        f"Choose an answer for {record.proficiency.code} to save your reflection",
                    )
                continue
            answers.append((record.pk, answer, reflection))
        if not answers and not self.errors:
            raise ValidationError("Choose an answer for at least one proficiency")
        self.answers = answers
        return cleaned


class RecordFilterForm(forms.Form):
    """The overview's search: a GET form, so a search can be bookmarked."""

    q = forms.CharField(
        label="Search by code or statement",
        help_text='For example "1.2" or "airway".',
        required=False,
        max_length=SEARCH_MAX,
        error_messages={"max_length": f"Search must be {SEARCH_MAX} characters or fewer"},
    )
    state = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *RecordState.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    def filters(self) -> dict | None:
        """The search to run, or None when nothing (valid) was asked for."""
        if not self.is_bound or not self.is_valid():
            return None
        search, state = self.cleaned_data["q"].strip(), self.cleaned_data["state"]
        if not (search or state):
            return None
        return {"search": search, "state": state}


class EvidenceForm(forms.Form):
    # Empty files and wrong kinds are refused by the service, which checks the content;
    # the form only makes sure a file was sent.
    file = forms.FileField(
        label="Add evidence",
        help_text=(
            f"A PDF, PNG, JPEG or Word document (DOCX), smaller than "
            f"{EVIDENCE_MAX_BYTES // (1024 * 1024)} MB."
        ),
        allow_empty_file=True,
        widget=forms.FileInput(
            attrs={
                "accept": ".pdf,.png,.jpg,.jpeg,.docx,application/pdf,image/png,image/jpeg,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
        error_messages={
            "required": "Select a file to upload",
            "invalid": "Select a file to upload",
            "missing": "Select a file to upload",
        },
    )


class IdsField(forms.MultipleChoiceField):
    """Ticked proficiencies: any record of the enrolment is accepted here, so that one which
    changed since the page was shown reaches the service and gets its clear message."""

    def __init__(self, **kwargs):
        super().__init__(choices=(), **kwargs)
        self.allowed: set[str] = set()

    def valid_value(self, value) -> bool:
        return str(value) in self.allowed

    def clean(self, value):
        return [int(item) for item in super().clean(value)]


UNIT_POOL = "unit"


class ConfirmationRequestForm(forms.Form):
    records = IdsField(
        label="Proficiencies to send",
        error_messages={
            "required": "Select at least one achieved proficiency to send",
            "invalid_choice": "Select proficiencies from the list",
        },
    )
    send_to = forms.ChoiceField(
        label="Who should confirm them?",
        help_text="They get an email and a notice in Stepwise.",
        error_messages={
            "required": "Choose who should confirm them",
            "invalid_choice": "Choose someone from the list",
        },
    )

    def __init__(self, *args, record_ids, people, unit, **kwargs):
        """`people`: [(person, label)] of the assessors and educators the learner may ask."""
        super().__init__(*args, **kwargs)
        self.fields["records"].allowed = {str(pk) for pk in record_ids}
        choices = [("", "Choose someone")]
        if unit is not None:
            choices.append((UNIT_POOL, f"Any assessor in {unit.name}"))
        self.people = {str(person.pk): person for person, _label in people}
        self.fields["send_to"].choices = choices + [
            (str(person.pk), label) for person, label in people
        ]
        self.unit = unit

    def recipient(self) -> dict:
        """Keyword arguments for `confirmation_request`: `unit=` or `assessor=`."""
        send_to = self.cleaned_data["send_to"]
        if send_to == UNIT_POOL:
            return {"unit": self.unit}
        return {"assessor": self.people[send_to]}


class SignOffRequestForm(forms.Form):
    agree = forms.BooleanField(
        label="I agree with this declaration",
        error_messages={"required": "Tick the box to agree with the declaration"},
    )


RADIOS_UP_TO = 8


class SelfEnrolForm(forms.Form):
    educator = forms.ChoiceField(
        label="Who is your educator?",
        help_text="The educator or manager who will sign off your record when it is complete.",
        error_messages={
            "required": "Choose your educator",
            "invalid_choice": "Choose your educator from the list",
        },
    )

    def __init__(self, *args, people, **kwargs):
        """`people`: [(person, label)] of the Trust's educators."""
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person, _label in people}
        choices = [(str(person.pk), label) for person, label in people]
        educator = self.fields["educator"]
        # A few names read best as radios; a long list as a select.
        if len(choices) <= RADIOS_UP_TO:
            educator.widget = forms.RadioSelect()
            educator.choices = choices
        else:
            educator.choices = [("", "Choose your educator"), *choices]

    def chosen_educator(self):
        return self.people[self.cleaned_data["educator"]]
