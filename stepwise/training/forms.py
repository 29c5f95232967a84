"""Forms for writing packages, completing one, and a Trust's training rule. The services
check again; `add_service_errors` puts what they say next to the field."""

from django import forms

from stepwise.core.antivirus import scan_upload
from stepwise.feedback.models import Form as FeedbackForm
from stepwise.feedback.models import FormVersion
from stepwise.frameworks.models import Framework
from stepwise.training.models import Audience


def _text(label, *, required=True, rows=None, help_text="", missing=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=widget,
        strip=False,
        error_messages={"required": missing or f"Enter the {label.lower()}"},
    )


class PackageCreateForm(forms.Form):
    title = _text("Title", help_text="For example, Step 1: training for assessors.")
    slug = _text(
        "Short name for web addresses",
        help_text="Lower-case letters, numbers and hyphens, for example step-1-assessors. "
        "It cannot be changed later.",
        missing="Enter a short name for web addresses",
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the package is for"},
    )
    framework = forms.ChoiceField(
        label="Framework (optional)",
        required=False,
        help_text="Leave empty for training that stands alone, such as Using Stepwise.",
    )
    description = _text("Description (optional)", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [("", "None: it stands alone")] + [
            (str(framework.pk), framework.title) for framework in Framework.objects.all()
        ]

    def clean_framework(self):
        value = self.cleaned_data["framework"]
        return Framework.objects.filter(pk=value).first() if value else None


class VersionSettingsForm(forms.Form):
    declaration = _text(
        "Declaration",
        rows=3,
        help_text="What each person agrees to before completing, for example: I have read the "
        "pre-reading and understand my role.",
    )
    validity_months = forms.CharField(
        label="How many months a completion counts (optional)",
        required=False,
        help_text="For example, 36 for 3 years. Leave empty if it never expires. People are "
        "reminded 30 days before their certificate expires.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
    )
    feedback_form = forms.ChoiceField(
        label="Feedback form (optional)",
        required=False,
        help_text="A published feedback form people answer before they can complete the "
        "package. They are asked once they have opened every required page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feedback_form"].choices = [("", "None")] + [
            (str(form.pk), form.title) for form in published_forms()
        ]

    def clean_feedback_form(self):
        value = self.cleaned_data["feedback_form"]
        return FeedbackForm.objects.filter(pk=value).first() if value else None


class PageForm(forms.Form):
    title = _text("Page title")
    body = _text(
        "Text",
        required=False,
        rows=14,
        help_text="Markdown: a blank line between paragraphs, ## for a heading, - for a list "
        "item, [words](https://address) for a link.",
    )
    required = forms.BooleanField(
        label="People must open this page to complete the package", required=False
    )
    video_url = _text(
        "Video address (optional)",
        required=False,
        help_text="A link to the video, starting https://. People open it in a new page.",
    )
    video_text = _text(
        "Written version of the video",
        required=False,
        rows=6,
        help_text="What the video says, for people who cannot watch or hear it. Needed when "
        "there is a video.",
    )
    attachment = forms.FileField(
        validators=[scan_upload],
        label="Attach a PDF (optional)",
        required=False,
        help_text="10 MB at most.",
    )
    remove_attachment = forms.BooleanField(label="Remove the attached PDF", required=False)


class ReturnForm(forms.Form):
    comment = _text("What needs to change?", rows=5, missing="Say what needs to change")


class CompleteForm(forms.Form):
    agree = forms.BooleanField(
        label="I agree with this declaration",
        error_messages={"required": "Agree to the declaration to complete the training"},
    )


class RuleForm(forms.Form):
    assessors_must_train = forms.BooleanField(
        label="Assessors must complete their training before confirming or rejecting proficiencies",
        required=False,
    )
    educators_must_train = forms.BooleanField(
        label="Educators must complete their training before signing off", required=False
    )


def published_forms():
    return (
        FeedbackForm.objects.filter(versions__state=FormVersion.State.PUBLISHED)
        .distinct()
        .order_by("title")
    )


def add_service_errors(form, error) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
