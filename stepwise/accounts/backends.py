from django.contrib.auth.backends import ModelBackend

from stepwise.accounts.models import User, normalise_email
from stepwise.notifications.queries import UNREAD, unread_annotation


class EmailBackend(ModelBackend):
    """Sign in with an email address in any case. People who have not confirmed a
    self-registered address cannot sign in yet."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = normalise_email(email or username)
        if not email or not password:
            return None
        try:
            person = User.objects.get(email=email)
        except User.DoesNotExist:
            # Hash anyway so the response time does not tell whether the address is registered.
            User().set_password(password)
            return None
        if person.check_password(password) and self.user_can_authenticate(person):
            return person
        return None

    def get_user(self, user_id):
        # Each request reads the signed-in person's row: their unread count (the header's
        # "Notifications (n)") comes with it, always current, instead of a query of its own.
        try:
            person = User.objects.annotate(**{UNREAD: unread_annotation()}).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return person if self.user_can_authenticate(person) else None
