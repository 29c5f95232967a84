"""The move page's form: who signs the enrolment off and assesses it at the new Trust, and
the educator's confirmation that the learner agreed. Choices come from the Trust's staff the
view has loaded, so a forged id is simply not a valid choice."""

from django import forms

from stepwise.progress.forms.staff import StaffChoicesMixin, _assessors_field, _educator_field


class MoveTrustForm(StaffChoicesMixin, forms.Form):
    educator = _educator_field()
    assessors = _assessors_field()
    agree = forms.BooleanField(
        error_messages={"required": "Confirm that the learner has agreed to move"},
    )

    def __init__(self, *args, staff, person, learner, trust, **kwargs):
        kwargs.setdefault("initial", {"educator": person.pk})
        super().__init__(*args, **kwargs)
        # Learners never sign off or assess their own enrolment.
        self.offer_staff([m for m in staff if m.person_id != learner.pk])
        agree, name = self.fields["agree"], learner.full_name
        agree.label = f"{name} has agreed to move this enrolment to {trust.name}"
        agree.error_messages["required"] = f"Confirm that {name} has agreed to move this enrolment"
