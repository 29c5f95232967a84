"""Forms: revoking a certificate, finding certificates, and checking a credential."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from stepwise.certificates.verification import NotACredential, check_credential
from stepwise.core.antivirus import scan_upload

REASON_MAX = 2000


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is this certificate being revoked?",
        help_text="The learner is told this reason. People checking the certificate only see "
        "that it was revoked, and when.",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the reason for revoking the certificate",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for revoking the certificate")
        return reason


class CertificateSearchForm(forms.Form):
    q = forms.CharField(
        label="Learner's name or certificate serial",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search must be 100 characters or fewer"},
        widget=forms.TextInput(attrs={"spellcheck": False, "autocomplete": "off"}),
    )

    def search(self) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["q"]
        return ""


class CredentialCheckForm(forms.Form):
    """A credential file or pasted text, at most STEPWISE_CREDENTIAL_MAX_BYTES; checking it
    is part of cleaning, so that what is not a credential is an error on the field it came
    from. `check` holds the result of a credential that could be checked."""

    credential_file = forms.FileField(
        validators=[scan_upload],
        label="Upload a credential file",
        required=False,
        help_text="The .jwt file downloaded from Stepwise, up to 1 MB",
    )
    credential_text = forms.CharField(
        label="Or paste the credential",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": False, "autocomplete": "off"}),
        help_text="It starts with eyJ",
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.check = None
        self.limit = settings.STEPWISE_CREDENTIAL_MAX_BYTES

    def _too_large(self, what: str) -> str:
        return f"The {what} must be {filesizeformat(self.limit)} or smaller"

    def _file_text(self, upload) -> str | None:
        if upload.size > self.limit:
            self.add_error("credential_file", self._too_large("file"))
            return None
        content = upload.read(self.limit + 1)
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.add_error(
                "credential_file",
                "The file must be a credential from Stepwise (a .jwt text file), not a "
                "picture, PDF or other document",
            )
            return None

    def clean(self):
        cleaned = super().clean()
        if self.too_large:
            raise forms.ValidationError(
                self._too_large("credential") + ": upload the .jwt file from Stepwise"
            )
        upload, text = cleaned.get("credential_file"), cleaned.get("credential_text") or ""
        if self.errors:
            return cleaned
        if upload and text:
            self.add_error(
                "credential_text", "Upload a file or paste a credential, not both at once"
            )
            return cleaned
        if not upload and not text:
            self.add_error("credential_file", "Upload a credential file or paste a credential")
            return cleaned
        field = "credential_file" if upload else "credential_text"
        if upload:
            text = self._file_text(upload)
            if text is None:
                return cleaned
        elif len(text.encode("utf-8")) > self.limit:
            self.add_error(field, self._too_large("pasted credential"))
            return cleaned
        try:
            self.check = check_credential(text)
        except NotACredential as error:
            self.add_error(field, str(error).rstrip("."))
        return cleaned
