"""The access log (ASVS V16, issue 12 point 4): who looked at whose record, from where. Views
call record() once they have found what they show; looking at your own record is not logged."""

from stepwise.core.models import AccessRecord
from stepwise.core.throttle import client_address


def record(request, *, what: str, subject=None, trust=None) -> AccessRecord | None:
    viewer = request.user
    if subject is not None and getattr(subject, "pk", subject) == viewer.pk:
        return None
    return AccessRecord.objects.create(
        viewer=viewer,
        subject_id=getattr(subject, "pk", subject),
        trust_id=getattr(trust, "pk", trust),
        what=what[:200],
        path=request.get_full_path()[:300],
        address=client_address(request)[:60],
    )


def record_enrolment(request, enrolment, *, what: str) -> AccessRecord | None:
    """A look at something of one enrolment's: its learner's record, at its Trust."""
    return record(request, what=what, subject=enrolment.learner_id, trust=enrolment.trust_id)


class LoggedChangeViewAdmin:
    """For a ModelAdmin whose change page shows a person's record (a certificate, a person,
    a membership): opening it is logged like any other staff look. `logged_subject(obj)`
    names the person, `logged_trust(obj)` their Trust (or None)."""

    logged_what = "Opened in the platform administration"

    def logged_subject(self, obj):
        raise NotImplementedError

    def logged_trust(self, obj):
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id) if request.method == "GET" else None
        if obj is not None and response.status_code == 200:
            record(
                request,
                what=f"{self.logged_what}: {self.model._meta.verbose_name} {obj}",
                subject=self.logged_subject(obj),
                trust=self.logged_trust(obj),
            )
        return response
