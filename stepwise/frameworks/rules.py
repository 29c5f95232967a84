"""What a framework's fields may hold, and who may do what with a framework. One place, so the
authoring forms, the services, every importer and every page give the same answer, in the same
words."""

import re
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from stepwise.frameworks.models import (
    CODE_MAX,
    DECLARATION_MAX,
    EVIDENCE_HINTS_MAX,
    GUIDANCE_MAX,
    LABEL_MAX,
    SCALE_LABEL_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    FrameworkCollaborator,
    FrameworkVersion,
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


# More than any framework has; also keeps the number well inside every database's integer.
MINIMUM_OPTIONAL_MAX = 9_999


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
    if number > MINIMUM_OPTIONAL_MAX:
        raise ValidationError(
            "The minimum number of optional proficiencies must be "
            f"{MINIMUM_OPTIONAL_MAX:,} or fewer"
        )
    return number


# A year: a supernumerary period is weeks long, never more.
SUPERNUMERARY_WEEKS_MAX = 52


def clean_supernumerary_weeks(value) -> int:
    if isinstance(value, bool):
        value = None  # True is not a number of weeks
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError("The supernumerary period must be a whole number of weeks") from None
    if number < 0 or number > SUPERNUMERARY_WEEKS_MAX or str(number) != str(value).strip():
        raise ValidationError(
            "The supernumerary period must be a whole number of weeks, from 0 to "
            f"{SUPERNUMERARY_WEEKS_MAX}"
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
    "supernumerary_weeks": clean_supernumerary_weeks,
    "learner_declaration": lambda value: clean_declaration(value, what="learner declaration"),
    "assessor_declaration": lambda value: clean_declaration(value, what="assessor declaration"),
}

# Addresses the framework pages use themselves, so no framework's slug can hide them.
RESERVED_SLUGS = frozenset({"new", "template"})
SLUG_MAX = 60


def clean_slug(value) -> str:
    value = (value or "").strip()
    if not value or slugify(value) != value:
        raise ValidationError("Enter a short name of lower-case letters, numbers and hyphens")
    if len(value) > SLUG_MAX:
        raise ValidationError(f"The short name must be {SLUG_MAX} characters or fewer")
    if value in RESERVED_SLUGS:
        raise ValidationError(f"Stepwise uses {value} in its own web addresses: choose another")
    return value


# Who may do what. Framework authors (a platform-wide flag) own every framework; collaborators
# help with one: contributors edit its drafts, reviewers comment, approve and return.
# Platform administrators may do everything.


@dataclass(frozen=True)
class FrameworkAccess:
    view: bool = False
    write: bool = False  # edit a draft's content and settings, send it for review
    review: bool = False  # approve a version in review, or return it to draft
    own: bool = False  # new versions, imports, publishing, retiring, collaborators


NO_ACCESS = FrameworkAccess()


def may_author(person) -> bool:
    """Create frameworks and see them all: the "Frameworks" navigation entry."""
    return bool(
        person.is_authenticated and (person.is_framework_author or person.is_platform_admin)
    )


def framework_access(person, role: str | None) -> FrameworkAccess:
    """What `person` may do with a framework on which they hold `role` (None if no role)."""
    if not person.is_authenticated:
        return NO_ACCESS
    if person.is_platform_admin:
        return FrameworkAccess(view=True, write=True, review=True, own=True)
    reviewer = role == FrameworkCollaborator.Role.REVIEWER
    if person.is_framework_author:
        return FrameworkAccess(view=True, write=True, review=reviewer, own=True)
    if role == FrameworkCollaborator.Role.CONTRIBUTOR:
        return FrameworkAccess(view=True, write=True)
    if reviewer:
        return FrameworkAccess(view=True, review=True)
    return NO_ACCESS


class Action(models.TextChoices):
    EDIT = "edit", "Edit"
    SUBMIT = "submit", "Send for review"
    COMMENT = "comment", "Comment"
    APPROVE = "approve", "Approve"
    RETURN = "return", "Return to draft"
    PUBLISH = "publish", "Publish"
    RETIRE = "retire", "Retire"


# Which part of FrameworkAccess each action needs.
ACTION_NEEDS: dict[Action, str] = {
    Action.EDIT: "write",
    Action.SUBMIT: "write",
    Action.COMMENT: "view",
    Action.APPROVE: "review",
    Action.RETURN: "review",
    Action.PUBLISH: "own",
    Action.RETIRE: "own",
}

# What can be done to a version in each state. Pages show exactly these actions (for the
# people allowed them); views refuse anything else.
VERSION_ACTIONS: dict[str, frozenset[Action]] = {
    FrameworkVersion.State.DRAFT: frozenset({Action.EDIT, Action.SUBMIT, Action.COMMENT}),
    FrameworkVersion.State.IN_REVIEW: frozenset(
        {Action.COMMENT, Action.APPROVE, Action.RETURN, Action.PUBLISH}
    ),
    FrameworkVersion.State.PUBLISHED: frozenset({Action.RETIRE}),
    FrameworkVersion.State.RETIRED: frozenset(),
}


def may(access: FrameworkAccess, action: Action) -> bool:
    """Whether the person may ever do this, whatever state the version is in."""
    return getattr(access, ACTION_NEEDS[action])


def version_actions(version: FrameworkVersion, access: FrameworkAccess) -> frozenset[Action]:
    """What this person may do to this version now."""
    allowed = {action for action in VERSION_ACTIONS[version.state] if may(access, action)}
    # Approval comes once; publishing only after it.
    allowed.discard(Action.APPROVE if version.is_approved else Action.PUBLISH)
    return frozenset(allowed)
