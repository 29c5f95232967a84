"""Forms for the Trust's people pages: finding people, registering them, their roles, ending
a membership, deciding registrations and the Trust's registration settings; and choosing
which Trust to work in."""

import uuid

from django import forms
from django.core.exceptions import ValidationError

from stepwise.accounts.forms import PersonDetailsForm
from stepwise.core.filters import choice_filter, object_choices, object_filter, search_field
from stepwise.organisations.models import Membership, Organisation, Role

REASON_MAX = 1000


class RolesField(forms.MultipleChoiceField):
    """Role checkboxes offering only the roles this member of staff may give. A role they may
    not give, sent anyway, gets a plain explanation rather than "not a valid choice"."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "required": "Choose at least one role",
        "invalid_choice": "Choose roles from the list",
        "not_yours_to_give": "Only a Trust administrator can make someone a Trust administrator",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Roles")
        kwargs.setdefault("help_text", "Select all that apply.")
        super().__init__(choices=Role.choices, **kwargs)

    def offer(self, roles: list[Role]) -> None:
        self.choices = [(role.value, role.label) for role in roles]

    def validate(self, value):
        if any(item in Role.values and not self.valid_value(item) for item in value):
            raise ValidationError(
                self.error_messages["not_yours_to_give"], code="not_yours_to_give"
            )
        super().validate(value)

    def clean(self, value):
        return [Role(item) for item in super().clean(value)]


class UnitField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Organisation.objects.none(),
            required=False,
            label="Unit (optional)",
            empty_label="No unit: works across the Trust",
            error_messages={"invalid_choice": "Choose a unit from the list"},
            **kwargs,
        )


def _trust_units(trust: Organisation):
    return trust.children.filter(kind=Organisation.Kind.UNIT).order_by("name")


class PersonRegisterForm(PersonDetailsForm):
    """A member of staff registers someone: who they are, where they work and their roles."""

    missing_number_message = "Enter their registration number"
    missing_register_message = "Select the register their number is on"

    unit = UnitField(help_text="The ward or unit they work in.")
    roles = RolesField()
    # A new key each time the form is shown: the same form sent twice registers once.
    form_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, trust: Organisation, grantable: list[Role], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_key"].initial = uuid.uuid4()
        self.fields["unit"].queryset = _trust_units(trust)
        self.fields["roles"].offer(grantable)
        self.fields[
            "registration_number"
        ].help_text = "For the NMC this is their PIN, like 12A3456B."

    def clean_form_key(self) -> uuid.UUID | None:
        # A missing or mangled key only loses the protection against sending twice.
        try:
            return uuid.UUID(self.cleaned_data["form_key"])
        except ValueError:
            return None


class MembershipRolesForm(forms.Form):
    unit = UnitField()
    roles = RolesField()

    def __init__(self, *args, member: Membership, viewer: Membership, grantable, **kwargs):
        kwargs.setdefault(
            "initial", {"unit": member.unit_id, "roles": [role.value for role in member.roles]}
        )
        super().__init__(*args, **kwargs)
        self.member, self.viewer = member, viewer
        self.fields["unit"].queryset = _trust_units(member.trust)
        self.fields["roles"].offer(grantable)

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        if (
            self.member.person_id == self.viewer.person_id
            and self.member.has_role(Role.TRUST_ADMIN)
            and Role.TRUST_ADMIN not in roles
        ):
            # Otherwise a Trust could lose its last administrator by a slip of the mouse.
            raise ValidationError(
                "You cannot remove your own Trust administrator role. Ask another Trust "
                "administrator to do it"
            )
        return roles


class ReasonForm(forms.Form):
    """An optional note kept in the membership's history."""

    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Reason must be {REASON_MAX} characters or fewer"},
    )

    def __init__(self, *args, reason_label: str | None = None, reason_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if reason_label:
            self.fields["reason"].label = reason_label
        self.fields["reason"].help_text = reason_hint


class Decision:
    APPROVE = "approve"
    DECLINE = "decline"


class RegistrationDecisionForm(ReasonForm):
    """Approve or decline: the choice comes from the button pressed, so a missing or unknown
    choice is a problem with the whole form rather than with a field on the page."""

    decision = forms.CharField(required=False)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision not in (Decision.APPROVE, Decision.DECLINE):
            raise ValidationError("Choose whether to approve or decline the registration")
        if decision == Decision.APPROVE:
            cleaned["reason"] = ""
        return cleaned


class RegistrationApprovalForm(forms.Form):
    requires_approval = forms.TypedChoiceField(
        label="Do people who register through the link need approval?",
        choices=[("yes", "Yes, a Trust administrator approves each one"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="If not, they can start as learners as soon as they have confirmed their "
        "email address.",
        error_messages={
            "required": "Choose whether registrations need approval",
            "invalid_choice": "Choose whether registrations need approval",
        },
    )


class RegistrationLinkForm(forms.Form):
    """Carries the link the administrator saw, so a double click makes one new link."""

    current_code = forms.CharField(required=False)


_State = Membership.State

# Status filter on the people page: choice -> (label, states shown; None for all).
STATE_FILTERS = {
    "": (
        "Current (active, invited or waiting for approval)",
        [_State.ACTIVE, _State.INVITED, _State.AWAITING_APPROVAL],
    ),
    _State.ACTIVE.value: ("Active", [_State.ACTIVE]),
    _State.INVITED.value: ("Invited, waiting for them to accept", [_State.INVITED]),
    _State.AWAITING_APPROVAL.value: ("Waiting for approval", [_State.AWAITING_APPROVAL]),
    _State.ENDED.value: ("Ended", [_State.ENDED]),
    _State.DECLINED.value: ("Declined registrations or invitations", [_State.DECLINED]),
    "all": ("Everyone, including ended", None),
}


class PeopleFilterForm(forms.Form):
    q = search_field("Name, email or registration number")
    unit = object_filter("Unit", "unit")
    role = choice_filter("Role", "role", [("", "All roles"), *Role.choices])
    state = choice_filter(
        "Status", "status", [(key, label) for key, (label, _states) in STATE_FILTERS.items()]
    )

    def __init__(self, *args, units: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = object_choices("All units", units)

    def filters(self) -> dict:
        """The filters to apply: every valid one, so a bad value loses none of the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        states = STATE_FILTERS[data.get("state") or ""][1]
        return {
            "search": (data.get("q") or "").strip(),
            "unit_id": data.get("unit"),
            "role": data.get("role") or None,
            "states": states,
        }


class AccessLogSearchForm(forms.Form):
    q = search_field("Name or email of the person who looked, or of the learner")

    def search(self) -> str:
        """The words searched for, or "" when there are none or they are refused (the error
        summary says why)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["q"].strip()
        return ""


class SwitchOrganisationForm(forms.Form):
    membership = forms.TypedChoiceField(
        label="Which organisation are you working in?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an organisation"},
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (m.pk, f"{m.trust.name} ({m.role_names})") for m in memberships
        ]
