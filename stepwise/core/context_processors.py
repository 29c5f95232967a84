from django.utils.functional import SimpleLazyObject

from stepwise.core.navigation import CSRF_TOKEN, footer_items, header_params


def layout(request) -> dict:
    return {
        # Lazy: pages that never render the header (emails, downloads) never pay for it.
        "layout": SimpleLazyObject(
            lambda: {
                "header": header_params(request),
                "footer": footer_items(request),
                "csrf_placeholder": CSRF_TOKEN,
            }
        ),
        # The NHS page template reads this outside any block, so it must come from the
        # context rather than from a `set` in our layout.
        # str(): django-csp's lazy nonce is falsy until first read, which would drop it.
        "cspNonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else None,
    }
