from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from stepwise.accounts.models import normalise_email
from stepwise.accounts.registration import RegistrationBody, validate_registration_number

EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@nhs.net",
}


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": False}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class NewPasswordForm(forms.Form):
    """Choose a password: used by invitations, password reset and change password."""

    new_password = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. Avoid common words and your name.",
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm_password = forms.CharField(
        label="Confirm password",
        strip=False,
        error_messages={"required": "Confirm your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, person=None, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        password_validation.validate_password(password, self.person)
        return password

    def clean(self):
        cleaned = super().clean()
        new, confirm = cleaned.get("new_password"), cleaned.get("confirm_password")
        if new and confirm and new != confirm:
            self.add_error("confirm_password", "The passwords do not match")
        return cleaned


class CurrentPasswordForm(forms.Form):
    """Asks again for the password of the person signed in, before a change that matters."""

    current_password = forms.CharField(
        label="Your password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, person, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.person.check_password(password):
            raise ValidationError("Your password is not correct")
        return password


class ChangePasswordForm(NewPasswordForm):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current_password", "new_password", "confirm_password"]

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.person.check_password(password):
            raise ValidationError("Your current password is not correct")
        return password


class ConfirmEmailForm(forms.Form):
    """Confirming a self-registration asks for the password chosen when registering: only the
    person who registered can finish it, even from the inbox of the address they gave."""

    password = forms.CharField(
        label="Password",
        help_text="The password you chose when you registered.",
        strip=False,
        error_messages={"required": "Enter the password you chose when you registered"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": False}),
    )


class PersonDetailsForm(forms.Form):
    """Name, email, registration and job title: who a person is, however they arrive."""

    # Worded for someone giving their own details; staff registering someone else override.
    missing_number_message = "Enter your registration number"
    missing_register_message = "Select the register your number is on"

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={
            "required": "Enter a full name",
            "max_length": "Full name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": False}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter an email address",
            "invalid": EMAIL_ERRORS["invalid"],
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": False}),
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        max_length=150,
        required=False,
        error_messages={"max_length": "Job title must be 150 characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    registration_body = forms.ChoiceField(
        label="Professional register (optional)",
        required=False,
        choices=[("", "Not registered")] + list(RegistrationBody.choices),
    )
    registration_number = forms.CharField(
        label="Registration number",
        required=False,
        max_length=20,
        help_text="For the NMC this is your PIN, like 12A3456B.",
        widget=forms.TextInput(attrs={"spellcheck": False, "class": "nhsuk-input--width-10"}),
    )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("registration_body")
        number = cleaned.get("registration_number", "")
        if body and not number:
            self.add_error("registration_number", self.missing_number_message)
        elif number and not body:
            self.add_error("registration_body", self.missing_register_message)
        elif body and number:
            try:
                cleaned["registration_number"] = validate_registration_number(body, number)
            except ValidationError as error:
                self.add_error("registration_number", error)
        return cleaned


class SelfRegistrationForm(PersonDetailsForm):
    unit = forms.ModelChoiceField(
        label="Unit (optional)",
        queryset=None,
        required=False,
        empty_label="Choose your unit",
        help_text="The ward or unit you work in.",
    )
    new_password = NewPasswordForm.base_fields["new_password"]
    confirm_password = NewPasswordForm.base_fields["confirm_password"]

    def __init__(self, *args, trust, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = trust.children.filter(kind="unit").order_by("name")
        self.fields["unit"].error_messages["invalid_choice"] = "Choose a unit from the list"

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        password_validation.validate_password(password)
        return password

    def clean(self):
        cleaned = super().clean()
        new, confirm = cleaned.get("new_password"), cleaned.get("confirm_password")
        if new and confirm and new != confirm:
            self.add_error("confirm_password", "The passwords do not match")
        return cleaned


class SecurityCodeForm(forms.Form):
    """The second step of signing in: the app's code, or a recovery code instead."""

    code = forms.CharField(
        label="Security code",
        max_length=40,
        help_text="The 6-digit code your authenticator app shows now. If you cannot use the "
        "app, enter one of your recovery codes instead.",
        error_messages={
            "required": "Enter the security code from your authenticator app, or a recovery code",
            "max_length": "Enter the 6-digit code from your authenticator app, or a recovery code",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": False,
                "autocapitalize": "none",
                # Wide enough for a recovery code (abcd-efgh-jkmn-pqrs) as well as the app's.
                "class": "nhsuk-input--width-20",
            }
        ),
    )

    def __init__(self, *args, app: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not app:
            # Someone with passkeys and no app: the box takes a recovery code only.
            code = self.fields["code"]
            code.label = "Recovery code"
            code.help_text = "One of the recovery codes you saved. Each code works once."
            code.error_messages = {
                "required": "Enter one of your recovery codes",
                "max_length": "Enter one of your recovery codes, as you saved it",
            }


class AppCodeForm(forms.Form):
    """Setting up an app: the code it shows proves it holds the secret."""

    code = forms.CharField(
        label="Security code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows for Stepwise.",
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "Enter the 6-digit code from your authenticator app",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": False,
                "class": "nhsuk-input--width-5",
            }
        ),
    )
