"""What a framework's fields may hold. One place, so the authoring forms, the services and every
importer give the same answer, in the same words."""

import re
import uuid

from django.core.exceptions import ValidationError

from stepwise.frameworks.models import (
    CODE_MAX,
    DECLARATION_MAX,
    EVIDENCE_HINTS_MAX,
    GUIDANCE_MAX,
    LABEL_MAX,
    SCALE_LABEL_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
)

# CASE 1.1 identifiers: lower-case, RFC 4122 variant (the 17th hex digit is 8, 9, a or b).
CASE_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_CODE = re.compile(r"^\S+$")

FORMULA_STARTS = ("=", "+", "@")
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0", ""})


def clean_code(value, *, what: str = "code") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"Enter the {what}")
    if len(value) > CODE_MAX:
        raise ValidationError(f"The {what} must be {CODE_MAX} characters or fewer")
    if not _CODE.match(value):
        raise ValidationError(f"The {what} must not contain spaces, for example 1.3.2")
    _refuse_formula(value, what)
    return value


def clean_text(value, *, what: str, max_length: int, required: bool = False) -> str:
    # Line endings are normalised so a file saved on Windows and one saved on a Mac compare equal.
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not value:
        raise ValidationError(f"Enter the {what}")
    if len(value) > max_length:
        raise ValidationError(f"The {what} must be {max_length:,} characters or fewer")
    _refuse_formula(value, what)
    return value


def _refuse_formula(value: str, what: str) -> None:
    # Spreadsheets read a cell starting with these as a formula: refused so that an export can
    # never carry one into someone's Excel (and a CSV opened there can never run one).
    if value[:1] in FORMULA_STARTS:
        raise ValidationError(
            f"The {what} starts with {value[0]}, which spreadsheets read as a formula: "
            "start it with a letter or number instead"
        )


def clean_section_title(value) -> str:
    return clean_text(value, what="section title", max_length=TITLE_MAX, required=True)


def clean_statement(value) -> str:
    return clean_text(value, what="statement", max_length=STATEMENT_MAX, required=True)


def clean_guidance(value) -> str:
    return clean_text(value, what="guidance", max_length=GUIDANCE_MAX)


def clean_evidence_hints(value) -> str:
    return clean_text(value, what="evidence hints", max_length=EVIDENCE_HINTS_MAX)


def clean_label(value) -> str:
    value = clean_code(value, what="version label")
    if len(value) > LABEL_MAX:
        raise ValidationError(f"The version label must be {LABEL_MAX} characters or fewer")
    return value


def clean_scale_label(value, *, what: str) -> str:
    return clean_text(value, what=what, max_length=SCALE_LABEL_MAX, required=True)


def clean_flag(value, *, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError(f"The {what} column must be yes or no, not {str(value).strip()!r}")


def clean_uuid(value, *, what: str = "UUID") -> uuid.UUID | None:
    """A blank value is None (a new UUID will be made); anything else must suit CASE 1.1."""
    text = str(value or "").strip().lower()
    if not text:
        return None
    if not CASE_UUID.match(text):
        raise ValidationError(
            f"The {what} {str(value).strip()!r} is not a lower-case RFC 4122 UUID "
            "(leave it blank for a new proficiency)"
        )
    return uuid.UUID(text)


def clean_minimum_optional(value) -> int:
    if isinstance(value, bool):
        value = None  # True is not a number of proficiencies
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            "The minimum number of optional proficiencies must be a whole number"
        ) from None
    if number < 0 or str(number) != str(value).strip():
        raise ValidationError(
            "The minimum number of optional proficiencies must be a whole number, 0 or more"
        )
    return number


def clean_declaration(value, *, what: str) -> str:
    return clean_text(value, what=what, max_length=DECLARATION_MAX, required=True)


# A version's settings, by field name: what version_update and the CASE importer accept.
SETTING_RULES = {
    "label": clean_label,
    "achieved_label": lambda value: clean_scale_label(value, what="label for achieved"),
    "ongoing_label": lambda value: clean_scale_label(value, what="label for on going assessment"),
    "minimum_optional": clean_minimum_optional,
    "learner_declaration": lambda value: clean_declaration(value, what="learner declaration"),
    "assessor_declaration": lambda value: clean_declaration(value, what="assessor declaration"),
}
