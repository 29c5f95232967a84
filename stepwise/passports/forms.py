"""Uploading a passport, and choosing which prior attainment to accept."""

from django import forms
from django.conf import settings

from stepwise.core.antivirus import scan_upload
from stepwise.passports.verify import PassportError, Verified, check_passport

DEFAULT_MAX_BYTES = 1024 * 1024


def max_bytes() -> int:
    return getattr(settings, "STEPWISE_PASSPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


class PassportUploadForm(forms.Form):
    """Checking the passport is part of cleaning, so every reason it cannot be imported is
    an error on the file field; `verified` holds a passport that passed every check."""

    passport_file = forms.FileField(
        validators=[scan_upload],
        label="Upload your passport",
        help_text="The .jwt file from \u201cDownload my passport\u201d, up to 1 MB",
        error_messages={
            "required": "Choose your passport file to upload",
            "empty": "The file is empty. Upload the passport downloaded from Stepwise",
        },
    )

    def __init__(self, *args, email: str, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.too_large = too_large
        self.verified: Verified | None = None

    def _too_large(self) -> str:
        return f"The passport must be {max_bytes() // (1024 * 1024)} MB or smaller"

    def clean(self):
        cleaned = super().clean()
        if self.too_large:
            self.errors.pop("passport_file", None)
            self.add_error("passport_file", self._too_large())
            return cleaned
        upload = cleaned.get("passport_file")
        if upload is None:
            return cleaned
        if upload.size > max_bytes():
            self.add_error("passport_file", self._too_large())
            return cleaned
        try:
            text = upload.read(max_bytes() + 1).decode("utf-8-sig")
        except UnicodeDecodeError:
            self.add_error(
                "passport_file",
                "The file must be a Stepwise passport (a .jwt text file), not a picture, PDF "
                "or other document",
            )
            return cleaned
        try:
            self.verified = check_passport(text, email=self.email)
        except PassportError as error:
            self.add_error("passport_file", str(error))
        return cleaned


class AcceptForm(forms.Form):
    attainments = forms.MultipleChoiceField(
        label="Which proficiencies do you accept?",
        help_text="Each is confirmed in this enrolment, in your name, naming where it was "
        "confirmed before.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one proficiency to accept",
            "invalid_choice": "Choose from the proficiencies listed",
        },
    )

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attainments"].choices = [
            (str(offer.attainment_id), f"{offer.code} {offer.statement}")
            for offer in offers
            if offer.offerable
        ]
