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
