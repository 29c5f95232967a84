"""The move page's form: who signs the enrolment off and assesses it at the new Trust if the
learner confirms the move. Choices come from the Trust's staff the view has loaded, so a
forged id is simply not a valid choice. There is no "the learner agreed" tick: the learner
confirms, themselves, on their own page."""

from django import forms

from stepwise.progress.forms.staff import StaffChoicesMixin, assessors_field, educator_field


class MoveTrustForm(StaffChoicesMixin, forms.Form):
    educator = educator_field()
    assessors = assessors_field()

    def __init__(self, *args, staff, person, learner, **kwargs):
        kwargs.setdefault("initial", {"educator": person.pk})
        super().__init__(*args, **kwargs)
        # Learners never sign off or assess their own enrolment.
        self.offer_staff([m for m in staff if m.person_id != learner.pk])
