# Filled in next: placeholder views so the URL names resolve while the pages are built.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("not built yet")


people = person_register = person_detail = person_roles = _todo
membership_end = invitation_resend = approvals = approval_decide = trust_settings = _todo
