from django.contrib.auth.backends import ModelBackend

from stepwise.accounts.models import User, normalise_email
from stepwise.core.compiled_reads import CompiledRead
from stepwise.notifications.queries import UNREAD, unread_annotation

# Each request reads the signed-in person's row: their unread count (the header's
# "Notifications (n)") comes with it, always current, instead of a query of its own.
# Compiled once (ADR 21): every page makes this read.
_person = CompiledRead(
    lambda person_id: (
        User.objects.annotate(**{UNREAD: unread_annotation()}).filter(pk=person_id).order_by()
    )
)


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
        try:
            person_id = int(user_id)
        except (TypeError, ValueError):
            return None
        person = _person.first(person_id)
        return person if person and self.user_can_authenticate(person) else None
