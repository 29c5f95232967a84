"""Conditions apps above progress set on staff decisions, checked by the progress services.

A Trust may, for example, require its assessors to have completed their training before they
confirm proficiencies (the training app). Progress cannot import those apps, so each registers
a guard here from its AppConfig.ready(). A guard gets the person, the Trust and framework of
the enrolment, and what they are about to do; it answers None (go ahead) or a `Refusal`
saying why not and where to put it right. The services ask inside their transaction, so no
view can skip the check; the pages ask too, to explain before anyone fills in a form.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from stepwise.core.errors import ConflictError


class StaffAction(StrEnum):
    # Confirming or rejecting proficiencies, and correcting such a decision.
    DECIDE = "decide"
    SIGN_OFF = "sign_off"


@dataclass(frozen=True)
class Refusal:
    message: str
    href: str = ""
    link_text: str = ""


class Refused(ConflictError):
    """A guard said no; the message says why, and `refusal` where to put it right."""

    def __init__(self, refusal: Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


Guard = Callable[..., Refusal | None]
_guards: dict[str, Guard] = {}


def register(name: str, guard: Guard) -> None:
    """Add a guard, called as guard(person=, trust_id=, framework_id=, action=); registering
    the same name again replaces it (ready() may run again in tests)."""
    _guards[name] = guard


def unregister(name: str) -> None:
    _guards.pop(name, None)


def refusal(*, person, trust_id: int, framework_id: int, action: StaffAction) -> Refusal | None:
    """The first guard's refusal, or None when every guard lets the person go ahead."""
    for guard in _guards.values():
        found = guard(person=person, trust_id=trust_id, framework_id=framework_id, action=action)
        if found is not None:
            return found
    return None


def check(*, person, trust_id: int, framework_id: int, action: StaffAction) -> None:
    found = refusal(person=person, trust_id=trust_id, framework_id=framework_id, action=action)
    if found is not None:
        raise Refused(found)
