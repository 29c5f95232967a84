"""Response headers Django does not set itself."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class ResponseHeadersMiddleware:
    """Every response: a Permissions-Policy turning off browser features the service never uses.
    Every response to someone with a session: Cache-Control no-store, so a signed-in page is not
    kept by the browser (the back button on a shared ward tablet) or any cache on the way."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        # The session cookie, sent or just set, rather than request.user: looking at the user
        # would cost queries on pages that never did, and a session is what signing in makes.
        cookie = settings.SESSION_COOKIE_NAME
        if cookie in request.COOKIES or cookie in response.cookies:
            patch_cache_control(response, no_store=True)
        return response
