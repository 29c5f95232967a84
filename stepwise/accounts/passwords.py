"""Password rules beyond Django's own validators."""

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

SAME_AS_CURRENT = "Choose a password different from your current one"

# Words anyone guessing a Stepwise password would try first (OWASP ASVS 5.0 V6.2.11): the
# product's name and the words of the work it records. Spaces, hyphens, dots and underscores
# inside a phrase are allowed for ("critical-care"). The person's own name and email are
# UserAttributeSimilarityValidator's.
CONTEXT_WORDS = (
    "stepwise",
    "nhs",
    "cc3n",
    "critical care",
    "intensive care",
    "proficiency",
    "proficiencies",
    "competency",
    "competencies",
    "nursing",
    "nurse",
    "assessor",
    "educator",
    "learner",
    "password",
)
CONTEXT_WORDS_ONLY = (
    "Your password is mostly words linked to this service or the NHS, like “Stepwise”, "
    "“NHS” or “nurse”. Add at least {remaining} more characters that are not those words"
)


def _context_pattern(words) -> re.Pattern:
    # Longest first, so "proficiencies" goes whole rather than leaving "ies" of "proficiency".
    phrases = sorted(words, key=len, reverse=True)
    return re.compile(
        "|".join(r"[\s._-]*".join(map(re.escape, phrase.split())) for phrase in phrases),
        re.IGNORECASE,
    )


class NotTheCurrentPasswordValidator:
    """A new password must differ from the one it replaces (OWASP ASVS), whether changed while
    signed in or through a reset link."""

    def validate(self, password, user=None):
        # hashers.check_password, not user.check_password: that one may re-save the hash.
        if user is not None and user.password and check_password(password, user.password):
            raise ValidationError(SAME_AS_CURRENT, code="password_is_current")

    def get_help_text(self):
        return "Your password must be different from your current one."


class ContextWordsValidator:
    """The words of this service (CONTEXT_WORDS) may be part of a password but cannot be what
    makes it long enough: what is left once they are taken out, in any case, must still be
    `min_length` characters (OWASP ASVS 5.0 V6.1.2, V6.2.11)."""

    def __init__(self, min_length: int = 12, words=CONTEXT_WORDS):
        self.min_length = min_length
        self.pattern = _context_pattern(words)

    def validate(self, password, user=None):
        rest = self.pattern.sub("", password)
        if len(rest) < self.min_length <= len(password):
            raise ValidationError(
                CONTEXT_WORDS_ONLY.format(remaining=self.min_length - len(rest)),
                code="password_context_words",
            )

    def get_help_text(self):
        return (
            f"Words like “Stepwise”, “NHS” or “nurse” do not count towards the "
            f"{self.min_length} characters."
        )
