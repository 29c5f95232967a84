"""Password rules beyond Django's own validators."""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

SAME_AS_CURRENT = "Choose a password different from your current one"


class NotTheCurrentPasswordValidator:
    """A new password must differ from the one it replaces (OWASP ASVS), whether changed while
    signed in or through a reset link."""

    def validate(self, password, user=None):
        # hashers.check_password, not user.check_password: that one may re-save the hash.
        if user is not None and user.password and check_password(password, user.password):
            raise ValidationError(SAME_AS_CURRENT, code="password_is_current")

    def get_help_text(self):
        return "Your password must be different from your current one."
