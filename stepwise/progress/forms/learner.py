"""Forms of the learner's pages. Each field renders through the NHS macros (`field()`), and
each error reads as the learner would say it."""

from django import forms
from django.core.exceptions import ValidationError

from stepwise.core.antivirus import scan_upload
from stepwise.core.forms import whole_number
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
        # A page being read needs no fields: its rows are stamped markup, and what they show
        # comes from `initial` and the records (`shown`). Fields are made to check a sending.
        if self.is_bound:
            for record in self.records:
                self._add_fields(record, version)

    def _add_fields(self, record, version) -> None:
        code = record.proficiency.code
        self.fields[f"answer-{record.pk}"] = forms.ChoiceField(
            label=f"Your answer for {code}",
            choices=[
                (RecordState.ACHIEVED.value, version.achieved_label),
                (RecordState.ONGOING.value, version.ongoing_label),
            ],
            required=False,
            widget=forms.RadioSelect,
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
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={
                "max_length": f"Reflection on {code} must be {REFLECTION_MAX} characters or fewer"
            },
        )

    # Whether a page may be sent with no answer at all (a page with other things to send).
    answer_required = True

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
            if _already_sent(record, answer, reflection):
                continue
            answers.append((record.pk, answer, reflection))
        if self.answer_required and not answers and not self.errors and not self._any_chosen():
            raise ValidationError("Choose an answer for at least one proficiency")
        self.answers = answers
        return cleaned

    def _any_chosen(self) -> bool:
        return any(self.cleaned_data.get(f"answer-{record.pk}") for record in self.records)

    def shown(self, record) -> tuple[str, str]:
        """The answer and reflection to show for a record: what was sent, else what was kept
        for the learner when their session ended, else what is saved."""
        if self.is_bound:
            answer = self[f"answer-{record.pk}"].value()
            reflection = self[f"reflection-{record.pk}"].value()
        else:
            saved = record.state if record.state in SELF_ASSESSED else None
            answer = self.initial.get(f"answer-{record.pk}", saved)
            reflection = self.initial.get(f"reflection-{record.pk}", record.reflection)
        return str(answer or ""), str(reflection or "")

    def row_errors(self, record) -> tuple[str, str]:
        """The messages for a record's answer and reflection, if any."""
        if not self.is_bound:
            return "", ""
        return tuple(
            " ".join(str(error) for error in self.errors.get(f"{kind}-{record.pk}", []))
            for kind in ("answer", "reflection")
        )


class ActionPlansForm(SelfAssessmentForm):
    """The learner's open action plans: actions ticked as done, and the rejected
    proficiencies answered again, sent at once. Either is enough on its own."""

    answer_required = False

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done"] = IdsField(
            label="Actions done",
            required=False,
            error_messages={"invalid_choice": "Select actions from the list"},
        )
        self.fields["done"].allowed = {str(action.pk) for action in actions}
        self.open_actions = {action.pk for action in actions if action.done_at is None}

    def clean(self):
        cleaned = super().clean()
        done = [pk for pk in cleaned.get("done") or [] if pk in self.open_actions]
        if not self.errors and not self.answers and not done and not self._any_chosen():
            raise ValidationError("Tick an action you have done or choose an answer")
        self.done = done
        return cleaned

    def ticked(self) -> set[int]:
        """The actions to show ticked: as sent (or kept)."""
        return {n for v in self["done"].value() or [] if (n := whole_number(v)) is not None}


def _already_sent(record, answer: str, reflection: str) -> bool:
    """An "achieved" answer, unchanged, for a record that has since been sent for
    confirmation (or confirmed): a page opened before the request still shows it. It is the
    learner's own answer, not a change to refuse, so it is left out rather than failing the
    whole page."""
    return (
        answer == RecordState.ACHIEVED
        and record.state in (RecordState.AWAITING_CONFIRMATION, RecordState.CONFIRMED)
        and reflection.strip() == record.reflection
    )


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


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files chosen at once (Django's documented way): a list, each checked alone."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


EVIDENCE_SIZE = f"{EVIDENCE_MAX_BYTES // (1024 * 1024)} MB"
EVIDENCE_TYPES = (
    ".pdf,.png,.jpg,.jpeg,.docx,application/pdf,image/png,image/jpeg,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


class EvidenceForm(forms.Form):
    """Files, and a photo straight from the tablet's camera. A camera input (`capture`)
    opens the camera alone on phones and tablets, so it cannot also offer PDFs: it is a
    field of its own. Empty files and wrong kinds are refused by the service, which checks
    the content; the form only makes sure something was sent."""

    file = MultipleFileField(
        validators=[scan_upload],
        label="Add files",
        help_text=(
            f"PDF, PNG, JPEG or Word documents (DOCX), each smaller than {EVIDENCE_SIZE}. "
            "You can choose more than one."
        ),
        required=False,
        allow_empty_file=True,
        widget=MultipleFileInput(
            attrs={"accept": EVIDENCE_TYPES, "multiple": "", "data-max-bytes": EVIDENCE_MAX_BYTES}
        ),
        error_messages={"invalid": "Select a file to upload", "missing": "Select a file to upload"},
    )
    photo = forms.FileField(
        validators=[scan_upload],
        label="Or take a photo",
        help_text=f"With the camera of this tablet or phone. Photos must be smaller than "
        f"{EVIDENCE_SIZE}.",
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(
            attrs={
                "accept": "image/jpeg,image/png",
                "capture": "environment",
                "data-max-bytes": EVIDENCE_MAX_BYTES,
            }
        ),
        error_messages={"invalid": "Take a photo again", "missing": "Take a photo again"},
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("photo"):
            self.add_error("file", "Select a file to upload or take a photo")
        return cleaned

    def uploads(self) -> list[tuple[str, object]]:
        """(field name, file) for every file sent, photo last."""
        chosen = [("file", upload) for upload in self.cleaned_data["file"]]
        if self.cleaned_data.get("photo"):
            chosen.append(("photo", self.cleaned_data["photo"]))
        return chosen


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
