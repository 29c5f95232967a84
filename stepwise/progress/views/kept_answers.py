"""Answers sent after the session ended are kept, not lost; and what a save by script hears.

On a ward tablet a learner is called away mid-form and comes back after the session has
timed out. `login_required` would send them to sign in and drop what they sent. Instead the
learner's form views use `keeps_answers`: a POST from someone signed out is kept in their
(anonymous) session, which survives signing in (`login` keeps an anonymous session's data
when it changes the key), and the page they come back to shows it again to check and save.
Nothing is saved on their behalf: whoever signs in sees the answers and presses Save.

Kept answers are keyed by the page's address, and each page reaches only its owner's
enrolment, so someone else signing in on the same tablet cannot see them."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.datastructures import MultiValueDict

from stepwise.core.forms import error_list

SESSION_KEY = "stepwise_kept_answers"
# A whole Step's answers and reflections fit easily; anything larger is not kept.
MOST_KEPT_CHARACTERS = 500_000
NOT_KEPT = {"csrfmiddlewaretoken"}

SIGN_IN_MESSAGE = (
    "You were signed out, so your answers have not been saved yet. Sign in again and we will "
    "show them to you to check and save"
)
KEPT_MESSAGE = "We kept the answers you sent when you were signed out. Check them and save"


def keeps_answers(view):
    """`login_required` that keeps a signed-out person's POST for after they sign in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if wants_json(request):
            # A save by script: the page still holds everything, and its Save button keeps it.
            return JsonResponse({"signed_out": True}, status=401)
        if request.method == "POST" and _keep(request):
            messages.warning(request, SIGN_IN_MESSAGE)
        return redirect_to_login(request.get_full_path())

    return wrapper


def wants_json(request) -> bool:
    """A save sent by the page's script (learner.js) as an answer is tapped."""
    return request.method == "POST" and "application/json" in request.headers.get("Accept", "")


def saved_reply(form, changed: int | None) -> JsonResponse:
    """What a script's save hears: how many changed, or the problems (as the page would
    show them in its error summary)."""
    if changed is None:
        return JsonResponse({"errors": [item["text"] for item in error_list(form)]}, status=400)
    return JsonResponse({"saved": changed})


def _keep(request) -> bool:
    sent = {key: request.POST.getlist(key) for key in request.POST if key not in NOT_KEPT}
    if not sent or len(json.dumps(sent)) > MOST_KEPT_CHARACTERS:
        return False
    request.session[SESSION_KEY] = {"page": request.get_full_path(), "sent": sent}
    return True


def kept_answers(request) -> MultiValueDict | None:
    """What was kept for this page, once (it is forgotten as it is shown), on a GET; else
    None. Tells the learner what happened."""
    if request.method != "GET":
        return None
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("page") != request.get_full_path():
        return None
    del request.session[SESSION_KEY]
    sent = kept.get("sent")
    if not isinstance(sent, dict):
        return None
    messages.warning(request, KEPT_MESSAGE)
    return MultiValueDict(
        {
            str(key): [str(v) for v in values]
            for key, values in sent.items()
            if isinstance(values, list)
        }
    )


def as_initial(kept: MultiValueDict | None, *, lists=()) -> dict:
    """Form `initial` from kept answers: one value a field, or every value for the names
    in `lists` (multiple choices)."""
    if not kept:
        return {}
    return {key: kept.getlist(key) if key in lists else kept.get(key) for key in kept}
