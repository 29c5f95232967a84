from django.contrib.auth.backends import ModelBackend

from stepwise.accounts.models import User, normalise_email


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
