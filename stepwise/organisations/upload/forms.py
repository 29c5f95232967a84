from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from stepwise.core.antivirus import scan_upload
from stepwise.organisations.upload.presenters import summary_messages
from stepwise.organisations.upload.reading import FileProblem, read_people_file
from stepwise.organisations.upload.validation import RowError


class PeopleUploadForm(forms.Form):
    """The file, checked as a whole: size, kind (by content), headings and row count.
    Each row is checked against the Trust by the service."""

    file = forms.FileField(
        validators=[scan_upload],
        label="Upload a file",
        error_messages={
            "required": "Select a CSV or XLSX file",
            "invalid": "Select a CSV or XLSX file",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = None
        self.file_name = ""
        limit = filesizeformat(settings.STEPWISE_UPLOAD_MAX_BYTES)
        self.fields["file"].help_text = f"A CSV or Excel (.xlsx) file, up to {limit}"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.STEPWISE_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
        upload.seek(0)
        self.file_name = upload.name
        try:
            self.sheet = read_people_file(name=upload.name, data=upload.read())
        except FileProblem as problem:
            raise ValidationError(problem.messages) from problem
        return upload

    def reject_rows(self, errors: list[RowError]) -> None:
        """Put the rows' errors in the error summary (the page's table lists them all)."""
        for message in summary_messages(errors):
            self.add_error(None, message)
        self.add_error(
            "file", "Fix the errors in the file and upload it again. Nothing has been imported"
        )
