"""The platform administration's searches and filters refused before they reach the database
when it could not run them: a NUL character (PostgreSQL refuses it in text) or a search longer
than the service allows (SQLite refuses a LIKE pattern of over 50,000 bytes). Either was a 500
(found by tests/fuzz/test_admin_forms.py). The list is shown again without them, with a
message saying why."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.http import HttpResponseRedirect

from stepwise.core.filters import SEARCH_MAX

NUL = "Searches and filters cannot contain a NUL character"
TOO_LONG = f"Search must be {SEARCH_MAX} characters or fewer"


def _refusal(name: str, value: str) -> str | None:
    if "\x00" in value:
        return NUL
    if name == SEARCH_VAR and len(value) > SEARCH_MAX:
        return TOO_LONG
    return None


def bounded_search(admin_view):
    """AdminSite.admin_view, through which every admin page is served, with searches and
    filters checked once the site's own permission check has passed."""

    @wraps(admin_view)
    def admin_view_bounded(view, cacheable=False):
        @wraps(view)
        def bounded(request, *args, **kwargs):
            refused = {
                name: why
                for name, values in request.GET.lists()
                for value in values
                if (why := _refusal(name, value))
            }
            if not refused:
                return view(request, *args, **kwargs)
            for why in sorted(set(refused.values())):
                messages.error(request, why)
            rest = request.GET.copy()
            for name in refused:
                del rest[name]
            return HttpResponseRedirect(request.path + (f"?{rest.urlencode()}" if rest else ""))

        return admin_view(bounded, cacheable)

    return admin_view_bounded
