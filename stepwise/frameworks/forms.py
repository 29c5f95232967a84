"""Forms for writing, reviewing, publishing and offering frameworks.

Fields check what `rules` checks, in the same words, so a person sees every problem at once;
the services check again, and `add_service_errors` puts what they say next to the field.
"""

from django import forms
from django.core.exceptions import ValidationError

from stepwise.core.antivirus import scan_upload
from stepwise.frameworks import queries, rules
from stepwise.frameworks.exchange import files
from stepwise.frameworks.exchange.problems import ImportInvalid
from stepwise.frameworks.models import (
    CODE_MAX,
    DECLARATION_MAX,
    EVIDENCE_HINTS_MAX,
    GUIDANCE_MAX,
    LABEL_MAX,
    SCALE_LABEL_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    FrameworkCollaborator,
)

COMMENT_MAX = 5000
DESCRIPTION_MAX = 5000
# The error summary lists each problem in a file; a file wrong on every row is wrong the same
# way throughout, and the first few hundred show how.
PROBLEMS_LISTED = 500
NOTHING_IMPORTED = "Fix the problems in the file and upload it again. Nothing has been imported"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: by field where it names one of the form's."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _checked(check, value):
    try:
        return check(value)
    except ValidationError as error:
        raise ValidationError(error.messages) from None


def _text(label, *, max_length, required=True, rows=None, help_text="", missing="", **kwargs):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        # The rules give the length message, in the same words as a file import.
        max_length=None,
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={"required": missing or f"Enter the {label.lower()}"},
        **kwargs,
    )


class FrameworkCreateForm(forms.Form):
    title = _text(
        "Title",
        max_length=TITLE_MAX,
        help_text="What people call it, for example Step 1: adult critical care.",
    )
    slug = _text(
        "Short name for web addresses",
        max_length=60,
        help_text="Lower-case letters, numbers and hyphens, for example step-1. "
        "It cannot be changed later.",
        missing="Enter a short name for web addresses",
    )
    description = _text(
        "Description (optional)", max_length=DESCRIPTION_MAX, required=False, rows=4
    )

    def clean_title(self):
        return _checked(
            lambda v: rules.clean_text(v, what="title", max_length=TITLE_MAX, required=True),
            self.cleaned_data["title"],
        )

    def clean_slug(self):
        return _checked(rules.clean_slug, self.cleaned_data["slug"])

    def clean_description(self):
        return _checked(
            lambda v: rules.clean_text(v, what="description", max_length=DESCRIPTION_MAX),
            self.cleaned_data["description"],
        )


class CollaboratorForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="They need a Stepwise account with this address.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (
                FrameworkCollaborator.Role.CONTRIBUTOR,
                "Contributor: edits drafts and sends them for review",
            ),
            (
                FrameworkCollaborator.Role.REVIEWER,
                "Reviewer: comments on versions in review, approves them or returns them",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )

    def clean_email(self):
        person = queries.person_by_email(self.cleaned_data["email"])
        if person is None:
            raise ValidationError(
                "Nobody has a Stepwise account with this email address: they need one first"
            )
        self.person = person
        return person.email


def _label_field():
    return _text(
        "Version label (optional)",
        max_length=LABEL_MAX,
        required=False,
        help_text="For example 2.0. Leave it blank for the next number.",
    )


def _clean_optional_label(value: str) -> str:
    value = value.strip()
    return _checked(rules.clean_label, value) if value else ""


class VersionDraftForm(forms.Form):
    EMPTY, COPY = "empty", "copy"

    start = forms.ChoiceField(
        label="What should the new version start with?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the new version starts with"},
    )
    label = _label_field()

    def __init__(self, *args, latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        if latest is None:
            del self.fields["start"]  # nothing published to copy: the first version starts empty
        else:
            self.fields["start"].choices = [
                (self.COPY, f"A copy of version {latest.label}, the latest published version"),
                (self.EMPTY, "Nothing: an empty version"),
            ]

    @property
    def starts_empty(self) -> bool:
        return self.cleaned_data.get("start", self.EMPTY) == self.EMPTY

    def clean_label(self):
        return _clean_optional_label(self.cleaned_data["label"])


class ImportForm(forms.Form):
    file = forms.FileField(
        validators=[scan_upload],
        label="Upload a file",
        help_text=(
            f"A CSV or Excel (.xlsx) file in the template's columns, or a CASE 1.1 JSON package, "
            f"up to {files.MAX_BYTES // 2**20} MB"
        ),
        error_messages={
            "required": "Select a CSV, XLSX or CASE JSON file",
            "invalid": "Select a CSV, XLSX or CASE JSON file",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,.json,text/csv,application/json,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    label = _label_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.content = None

    def clean_label(self):
        return _clean_optional_label(self.cleaned_data["label"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > files.MAX_BYTES:
            raise ValidationError(
                f"The selected file must be smaller than {files.MAX_BYTES // 2**20} MB"
            )
        upload.seek(0)
        try:
            self.content = files.read_file(upload.read(), upload.name)
        except ImportInvalid as invalid:
            self.reject(invalid)
            raise ValidationError(NOTHING_IMPORTED) from None
        return upload

    def reject(self, invalid: ImportInvalid) -> None:
        """Each problem in the error summary, with its row and column."""
        problems = invalid.problems
        for problem in problems[:PROBLEMS_LISTED]:
            self.add_error(None, str(problem))
        if len(problems) > PROBLEMS_LISTED:
            rest = len(problems) - PROBLEMS_LISTED
            self.add_error(
                None,
                f"{rest:,} more problem{'s' if rest != 1 else ''}: fix these first, "
                "then upload the file again to see the rest",
            )


class VersionSettingsForm(forms.Form):
    label = _text("Version label", max_length=LABEL_MAX, help_text="For example 2.0.")
    achieved_label = _text(
        "Answer for achieved",
        max_length=SCALE_LABEL_MAX,
        help_text="What a learner chooses when they can do it, for example Achieved.",
    )
    ongoing_label = _text(
        "Answer for not yet achieved",
        max_length=SCALE_LABEL_MAX,
        help_text="What a learner chooses while they are still learning, for example "
        "On going assessment.",
    )
    minimum_optional = _text(
        "Optional proficiencies each learner must achieve",
        max_length=6,
        help_text="A whole number, 0 or more.",
        missing="Enter how many optional proficiencies each learner must achieve",
    )
    supernumerary_weeks = _text(
        "Supernumerary period, in weeks",
        max_length=2,
        help_text="Weeks from enrolment to achieve the proficiencies marked for the "
        "supernumerary period. 0 if there is none.",
        missing="Enter the supernumerary period in weeks, or 0",
    )
    learner_declaration = _text(
        "Learner declaration",
        max_length=DECLARATION_MAX,
        rows=5,
        help_text="What learners declare when they ask for final sign-off.",
    )
    assessor_declaration = _text(
        "Assessor declaration",
        max_length=DECLARATION_MAX,
        rows=5,
        help_text="What the educator declares when they sign a learner off.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("minimum_optional", "supernumerary_weeks"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "class": "nhsuk-input--width-4"}
            )
        # Each field is checked by its rule, as version_update and the CASE importer do.
        for name, check in rules.SETTING_RULES.items():
            setattr(self, f"clean_{name}", self._cleaner(name, check))

    def _cleaner(self, name, check):
        return lambda: _checked(check, self.cleaned_data[name])


class SectionForm(forms.Form):
    code = _text(
        "Section code",
        max_length=CODE_MAX,
        help_text="For example 3. No spaces.",
        missing="Enter the section code",
    )
    title = _text("Section title", max_length=TITLE_MAX, help_text="For example Renal.")

    def clean_code(self):
        return _checked(
            lambda v: rules.clean_code(v, what="section code"), self.cleaned_data["code"]
        )

    def clean_title(self):
        return _checked(rules.clean_section_title, self.cleaned_data["title"])


class ProficiencyForm(forms.Form):
    code = _text(
        "Proficiency code",
        max_length=CODE_MAX,
        help_text="For example 1.3.2. No spaces.",
        missing="Enter the proficiency code",
    )
    statement = _text(
        "Statement",
        max_length=STATEMENT_MAX,
        rows=3,
        help_text="What the learner must be able to do.",
    )
    guidance = _text(
        "Guidance (optional)",
        max_length=GUIDANCE_MAX,
        required=False,
        rows=5,
        help_text="Help for learners and assessors.",
    )
    evidence_hints = _text(
        "Evidence hints (optional)",
        max_length=EVIDENCE_HINTS_MAX,
        required=False,
        rows=3,
        help_text="Suggestions for evidence the learner could give.",
    )
    optional = forms.BooleanField(
        label="Optional",
        required=False,
        help_text="Learners choose among optional proficiencies.",
    )
    supernumerary = forms.BooleanField(
        label="To be achieved during the supernumerary period", required=False
    )
    section = forms.TypedChoiceField(
        label="Section",
        coerce=int,
        error_messages={"invalid_choice": "Choose a section from the list"},
    )

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sections is None:
            del self.fields["section"]  # a new proficiency goes in the section it was added to
        else:
            self.sections = {section.pk: section for section in sections}
            self.fields["section"].choices = [
                (section.pk, f"{section.code} {section.title}") for section in sections
            ]

    def clean_code(self):
        return _checked(
            lambda v: rules.clean_code(v, what="proficiency code"), self.cleaned_data["code"]
        )

    def clean_statement(self):
        return _checked(rules.clean_statement, self.cleaned_data["statement"])

    def clean_guidance(self):
        return _checked(rules.clean_guidance, self.cleaned_data["guidance"])

    def clean_evidence_hints(self):
        return _checked(rules.clean_evidence_hints, self.cleaned_data["evidence_hints"])

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if "section" in data:
            data["section"] = self.sections[data["section"]]
        return data


def _clean_comment(value: str) -> str:
    """A review comment, checked by the same rule as the service's."""
    return _checked(
        lambda v: rules.clean_text(v, what="comment", max_length=COMMENT_MAX, required=True), value
    )


class CommentForm(forms.Form):
    body = _text(
        "Add a comment",
        max_length=COMMENT_MAX,
        rows=4,
        help_text="Everyone working on this framework can read it.",
        missing="Enter your comment",
    )

    def clean_body(self):
        return _clean_comment(self.cleaned_data["body"])


class ReturnForm(forms.Form):
    comment = _text(
        "What needs to change?",
        max_length=COMMENT_MAX,
        rows=5,
        help_text="The authors see this with the version, and it is kept with the comments.",
        missing="Enter what needs to change",
    )

    def clean_comment(self):
        return _clean_comment(self.cleaned_data["comment"])


class NoteForm(forms.Form):
    """An optional reason, kept in the history."""

    note = _text("Reason (optional)", max_length=COMMENT_MAX, required=False, rows=3)

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = help_text

    def clean_note(self):
        return _checked(
            lambda v: rules.clean_text(v, what="reason", max_length=COMMENT_MAX),
            self.cleaned_data["note"],
        )


class OfferForm(forms.Form):
    YES, NO = "yes", "no"

    self_enrolment = forms.ChoiceField(
        label="Can learners enrol themselves?",
        choices=[
            (YES, "Yes, learners at the Trust can enrol themselves"),
            (NO, "No, educators enrol learners"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether learners can enrol themselves",
            "invalid_choice": "Choose whether learners can enrol themselves",
        },
    )

    def clean_self_enrolment(self):
        return self.cleaned_data["self_enrolment"] == self.YES
