from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html

from stepwise.core.navigation import CSRF_TOKEN, footer_items, header_params


def layout(request) -> dict:
    # Django's Jinja2 backend offers csrf_token and csrf_input as lazy values that mask the
    # token afresh each time a page reads them (64 random characters a time); the header's
    # sign-out form and the page's own forms read it two or more times a page. One masked
    # token a page, made only if the page has a form, does the same job.
    token = SimpleLazyObject(lambda: get_token(request))
    return {
        # Lazy: pages that never render the header (emails, downloads) never pay for it.
        "layout": SimpleLazyObject(
            lambda: {
                "header": header_params(request),
                "footer": footer_items(request),
                "csrf_placeholder": CSRF_TOKEN,
            }
        ),
        "csrf_token": token,
        "csrf_input": SimpleLazyObject(
            lambda: format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
            )
        ),
        # The NHS page template reads this outside any block, so it must come from the
        # context rather than from a `set` in our layout.
        # str(): django-csp's lazy nonce is falsy until first read, which would drop it.
        "cspNonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else None,
    }
