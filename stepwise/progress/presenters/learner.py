"""What the learner's pages show, prepared from objects already loaded: templates never
query or decide, and all of this is tested without a database.

The `may_*` rules mirror what the services accept, so a page offers only what will work; the
services still check, because a page can be out of date by the time it is sent."""

from dataclasses import dataclass
from datetime import date

from django.urls import NoReverseMatch, reverse

from stepwise.core import formatting
from stepwise.core.page_urls import page_url
from stepwise.progress.presenters.common import enrolment_tag, record_tag
from stepwise.progress.queries.learner import COUNTED_STATES
from stepwise.progress.states import (
    SELF_ASSESSABLE,
    EnrolmentState,
    RecordEventKind,
    RecordState,
    can,
)

# --- What the learner may do now -----------------------------------------------------------


def may_self_assess(enrolment, record) -> bool:
    return enrolment.state == EnrolmentState.ACTIVE and can(
        RecordEventKind.SELF_ASSESSED, record.state
    )


def may_change_evidence(enrolment, record) -> bool:
    return enrolment.state == EnrolmentState.ACTIVE and record.state not in (
        RecordState.AWAITING_CONFIRMATION,
        RecordState.CONFIRMED,
    )


def may_reopen(enrolment, record) -> bool:
    return enrolment.is_open and can(RecordEventKind.REOPENED, record.state)


def may_mark_done(enrolment, action) -> bool:
    return enrolment.state == EnrolmentState.ACTIVE and action.done_at is None


def read_only_message(enrolment) -> str:
    """Why nothing on the enrolment can change now, or "" when it can."""
    if enrolment.state == EnrolmentState.WITHDRAWN:
        return (
            f"This enrolment was withdrawn on {formatting.date(enrolment.withdrawn_at)}. "
            "You can still see your record and its history, but nothing can be changed."
        )
    if enrolment.state == EnrolmentState.SIGNED_OFF:
        return (
            f"This enrolment was signed off on {formatting.date(enrolment.signed_off_at)}. "
            "Your record is complete and can no longer be changed."
        )
    if enrolment.state == EnrolmentState.SIGN_OFF_REQUESTED:
        return (
            "You have asked for sign-off, so your answers and evidence cannot change while "
            "you wait. To change something, withdraw your request for sign-off first."
        )
    return ""


# --- Progress bars -------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """A progress bar and its text equivalent, e.g. "42 of 120 confirmed (35%)"."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def max(self) -> int:
        # A <progress> element needs a maximum above zero.
        return self.total or 1

    @property
    def text(self) -> str:
        return f"{self.done} of {self.total} confirmed ({self.percent}%)"


# --- My proficiencies ----------------------------------------------------------------------


def enrolment_href(enrolment) -> str:
    return page_url("progress:enrolment", enrolment.pk)


@dataclass(frozen=True)
class EnrolmentCard:
    id: int
    title: str
    href: str
    rows: list[dict]
    tag: dict
    bar: Bar


def _due(enrolment, today: date) -> str:
    if enrolment.due_on is None:
        return "No due date"
    text = formatting.date(enrolment.due_on)
    if enrolment.is_open and enrolment.due_on < today:
        return f"{text} (overdue)"
    return text


def enrolment_cards(enrolments, today: date) -> list[EnrolmentCard]:
    return [
        EnrolmentCard(
            id=enrolment.pk,
            title=enrolment.version.framework.title,
            href=enrolment_href(enrolment),
            rows=[
                summary_row("Version", enrolment.version.label),
                summary_row("Trust", enrolment.trust.name),
                summary_row("Due", _due(enrolment, today)),
            ],
            tag=enrolment_tag(enrolment.state),
            bar=Bar(enrolment.confirmed, enrolment.total),
        )
        for enrolment in enrolments
    ]


@dataclass(frozen=True)
class Offer:
    framework: str
    version: str
    trust: str
    href: str
    enrolled: bool


def offers(offered, versions: dict, open_framework_ids: set[int]) -> list[Offer]:
    """Frameworks the learner may start themselves: those with a published version."""
    return [
        Offer(
            framework=offer.framework.title,
            version=versions[offer.framework_id].label,
            trust=offer.trust.name,
            href=page_url("progress:enrol_self", offer.pk),
            enrolled=offer.framework_id in open_framework_ids,
        )
        for offer in offered
        if offer.framework_id in versions
    ]


def person_choices(memberships, *, notes: dict[int, str] | None = None) -> list[tuple]:
    """(person, "Name (note, unit)") for a select or radios."""
    notes = notes or {}
    choices = []
    for member in memberships:
        label = member.person.full_name
        where = member.unit.name if member.unit_id else ""
        extra = ", ".join(part for part in (notes.get(member.person_id, ""), where) if part)
        choices.append((member.person, f"{label} ({extra})" if extra else label))
    return choices


# --- Enrolment overview ----------------------------------------------------------------------


def summary_row(key: str, value: str) -> dict:
    return {"key": {"text": key}, "value": {"text": value or "Not given"}}


def enrolment_details(enrolment, today: date) -> list[dict]:
    rows = [
        summary_row("Framework", enrolment.version.framework.title),
        summary_row("Version", enrolment.version.label),
        summary_row("Trust", enrolment.trust.name),
    ]
    if enrolment.unit_id:
        rows.append(summary_row("Unit", enrolment.unit.name))
    rows += [
        summary_row("Educator", enrolment.educator.full_name),
        summary_row("Due", _due(enrolment, today)),
        {"key": {"text": "Status"}, "tag": enrolment_tag(enrolment.state)},
    ]
    return rows


@dataclass(frozen=True)
class SectionRow:
    title: str
    href: str
    bar: Bar
    counts: list[int]


def section_href(enrolment, section) -> str:
    return page_url("progress:section", enrolment.pk, section.pk)


def section_rows(enrolment, sections) -> list[SectionRow]:
    return [
        SectionRow(
            title=f"{section.code} {section.title}",
            href=section_href(enrolment, section),
            bar=Bar(getattr(section, RecordState.CONFIRMED), section.total),
            counts=[getattr(section, state) for state in COUNTED_STATES],
        )
        for section in sections
    ]


def count_headings() -> list[str]:
    return [RecordState(state).label for state in COUNTED_STATES]


def overall_bar(sections) -> Bar:
    return Bar(
        sum(getattr(s, RecordState.CONFIRMED) for s in sections), sum(s.total for s in sections)
    )


def any_achieved(sections) -> bool:
    return any(getattr(s, RecordState.ACHIEVED) for s in sections)


def any_answerable(sections) -> bool:
    """Whether some proficiency can still be answered (not waiting and not confirmed)."""
    return any(getattr(s, state) for s in sections for state in SELF_ASSESSABLE)


def any_rejected(sections) -> bool:
    return any(getattr(s, RecordState.REJECTED) for s in sections)


@dataclass(frozen=True)
class ActionRow:
    code: str
    record_href: str
    description: str
    due: str
    overdue: bool
    done_href: str | None
    done: str = ""


def action_rows(enrolment, actions, today: date) -> list[ActionRow]:
    return [
        ActionRow(
            code=action.plan.record.proficiency.code,
            record_href=record_href(enrolment, action.plan.record),
            description=action.description,
            due=formatting.date(action.due_on),
            overdue=action.done_at is None and action.due_on < today,
            done_href=page_url("progress:action_done", action.pk)
            if may_mark_done(enrolment, action)
            else None,
        )
        for action in actions
    ]


@dataclass(frozen=True)
class RecordRow:
    code: str
    statement: str
    section: str
    href: str
    tag: dict


def record_href(enrolment, record) -> str:
    return page_url("progress:record", enrolment.pk, record.pk)


def record_rows(enrolment, records) -> list[RecordRow]:
    return [
        RecordRow(
            code=record.proficiency.code,
            statement=record.proficiency.statement,
            section=record.proficiency.section.title,
            href=record_href(enrolment, record),
            tag=record_tag(record.state),
        )
        for record in records
    ]


def certificate_href(enrolment) -> str | None:
    if enrolment.state != EnrolmentState.SIGNED_OFF:
        return None
    certificate = getattr(enrolment, "certificate", None)
    if certificate is None or not certificate.pdf:
        # Not stored yet: a link now would save the "being made" page as a .pdf.
        return None
    try:
        return reverse("certificates:download", kwargs={"serial": certificate.serial})
    except NoReverseMatch:
        # The certificates pages may not be deployed yet: the overview still says it exists.
        return None


def credential_href(enrolment) -> str | None:
    """The certificate's digital credential (Open Badges 3.0), beside its PDF."""
    if certificate_href(enrolment) is None:
        return None
    return reverse("certificates:credential", kwargs={"serial": enrolment.certificate.serial})


@dataclass(frozen=True)
class Link:
    text: str
    href: str


def next_steps(
    enrolment, *, achieved: bool, complete: bool, answerable: bool = False, plans: bool = False
) -> list[Link]:
    """The buttons the overview offers now: `answerable` when some proficiency can still be
    answered, `plans` when an action plan is open."""
    steps = []
    if enrolment.state == EnrolmentState.ACTIVE and answerable:
        steps.append(Link("Answer your proficiencies", page_url("progress:answers", enrolment.pk)))
    if enrolment.state == EnrolmentState.ACTIVE and plans:
        steps.append(Link("Your action plans", page_url("progress:action_plans", enrolment.pk)))
    if enrolment.state == EnrolmentState.ACTIVE and achieved:
        steps.append(
            Link(
                "Ask for confirmation",
                page_url("progress:request_confirmation", enrolment.pk),
            )
        )
    if enrolment.state == EnrolmentState.ACTIVE and complete:
        steps.append(Link("Ask for sign-off", page_url("progress:sign_off_request", enrolment.pk)))
    if enrolment.state == EnrolmentState.SIGN_OFF_REQUESTED:
        steps.append(
            Link(
                "See your request for sign-off",
                page_url("progress:sign_off_request", enrolment.pk),
            )
        )
    return steps


def completion_of(enrolment, sections) -> dict:
    """What `services.sign_off.completion` says, from the counts the overview has already
    loaded (a test keeps the two in step)."""
    done = {
        key: sum(getattr(section, key) for section in sections)
        for key in ("required", "required_confirmed", "optional_confirmed")
    }
    done["optional_minimum"] = enrolment.version.minimum_optional
    done["complete"] = (
        done["required_confirmed"] == done["required"]
        and done["optional_confirmed"] >= done["optional_minimum"]
    )
    return done


def completion_text(done: dict) -> str:
    """ "12 of 40 required proficiencies and 1 of at least 3 optional ones are confirmed"."""
    text = (
        f"{done['required_confirmed']} of {done['required']} required "
        f"proficienc{'y' if done['required'] == 1 else 'ies'}"
    )
    if done["optional_minimum"]:
        text += f" and {done['optional_confirmed']} of at least {done['optional_minimum']} optional"
    return text + " confirmed"
