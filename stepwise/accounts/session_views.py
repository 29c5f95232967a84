"""Where you are signed in: the person's sessions still signed in, and signing one out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from stepwise.accounts import signed_in
from stepwise.accounts.confirm_first import password_confirmed_first
from stepwise.accounts.presenters import signed_in_rows


@require_safe
@login_required
def signed_in_list(request):
    rows = signed_in.signed_in_where(request.user)
    return render(
        request,
        "accounts/signed_in.jinja",
        {"rows": signed_in_rows(rows, current=signed_in.current_row_id(request))},
    )


@require_POST
@login_required
@password_confirmed_first(back="accounts:signed_in")
def signed_in_end(request, row_id: int):
    try:
        row = signed_in.sign_out_one(person=request.user, row_id=row_id, by_request=request)
    except signed_in.NotSignedIn:
        raise Http404 from None
    messages.success(request, f"You have signed out of {row.device}")
    return redirect("accounts:signed_in")
