"""What the learner's request pages show: achieved proficiencies to tick, who to ask,
requests waiting, and where sign-off stands. Tested without a database."""

from dataclasses import dataclass

from stepwise.core import formatting
from stepwise.core.page_urls import page_url
from stepwise.progress.forms.learner import UNIT_POOL
from stepwise.progress.presenters.learner import person_choices, summary_row
from stepwise.progress.states import EnrolmentState


@dataclass(frozen=True)
class CheckboxGroup:
    legend: str
    id_prefix: str
    items: list[dict]
    open: bool = False

    @property
    def summary(self) -> str:
        count = len(self.items)
        return f"{self.legend} ({count} ready)"


def checkbox_groups(
    records, selected: set[int], *, first_id: str, open_first: bool = False
) -> list[CheckboxGroup]:
    """Achieved records grouped by section, for one `records` field shown as one fieldset per
    section, each in a Details (closed: everything ready is already ticked). The first group
    carries the field's id, so the error summary links to it, and opens when it has the
    error."""
    groups: list[CheckboxGroup] = []
    by_section: dict[int, list] = {}
    sections = {}
    for record in records:
        section = record.proficiency.section
        sections.setdefault(section.pk, section)
        by_section.setdefault(section.pk, []).append(record)
    for index, (section_id, section_records) in enumerate(by_section.items()):
        section = sections[section_id]
        groups.append(
            CheckboxGroup(
                legend=f"{section.code} {section.title}",
                id_prefix=first_id if index == 0 else f"{first_id}-section-{section_id}",
                items=[
                    {
                        "value": str(record.pk),
                        "text": f"{record.proficiency.code} {record.proficiency.statement}",
                        "checked": record.pk in selected,
                    }
                    for record in section_records
                ],
                open=open_first and index == 0,
            )
        )
    return groups


def ready_text(records, groups) -> str:
    """ "115 achieved proficiencies in 18 sections are ready to send, and all of them are
    selected"."""
    count, sections = len(records), len(groups)
    where = f"in {sections} section{'' if sections == 1 else 's'}"
    if count == 1:
        return f"1 achieved proficiency {where} is ready to send, and it is selected"
    return f"{count} achieved proficiencies {where} are ready to send, and all of them are selected"


def default_recipient(people, assessor_ids: set[int], unit) -> str:
    """Who the request goes to unless the learner chooses: their named assessor (the first,
    as listed), else any assessor in their unit, else nobody chosen yet."""
    for person, _label in people:
        if person.pk in assessor_ids:
            return str(person.pk)
    return UNIT_POOL if unit is not None else ""


def confirmer_choices(enrolment, memberships, assessor_ids: set[int]) -> list[tuple]:
    """The Trust's assessors and educators, the learner's own assessors and educator first."""
    notes = dict.fromkeys(assessor_ids, "your assessor")
    notes[enrolment.educator_id] = "your educator"
    ordered = sorted(memberships, key=lambda member: member.person_id not in notes)
    return person_choices(ordered, notes=notes)


def request_sent_message(request) -> str:
    who = request.assessor.full_name if request.assessor_id else f"the assessors in {request.unit}"
    count = request.item_count
    return f"We have asked {who} to confirm {count} proficienc{'y' if count == 1 else 'ies'}"


def preselected(records, *, select: str = "all") -> set[int]:
    """Which achieved records are ticked when the page opens: all of them, or a section's
    (`?section=<id>`, from that section's page)."""
    if select == "all":
        return {record.pk for record in records}
    return {record.pk for record in records if str(record.proficiency.section_id) == select}


@dataclass(frozen=True)
class WaitingRequest:
    to: str
    sent: str
    proficiencies: str
    withdraw_href: str | None


def waiting_request_rows(enrolment, requests) -> list[WaitingRequest]:
    rows = []
    for request in requests:
        if request.assessor_id:
            to = request.assessor.full_name
        else:
            to = f"Any assessor in {request.unit}"
        codes = ", ".join(r.proficiency.code for r in request.waiting_records.all())
        rows.append(
            WaitingRequest(
                to=to,
                sent=formatting.date_time(request.requested_at),
                proficiencies=codes,
                withdraw_href=page_url("progress:request_withdraw", request.pk)
                if enrolment.state == EnrolmentState.ACTIVE
                else None,
            )
        )
    return rows


def sign_off_status(latest) -> dict:
    """Where the request for sign-off stands, as a summary list and any comments."""
    if latest is None:
        return {}
    rows = [
        summary_row("Asked", formatting.date_time(latest.requested_at)),
        summary_row("Educator", latest.educator.full_name),
        summary_row("Status", latest.get_state_display()),
    ]
    if latest.decided_at:
        by = f" by {latest.decided_by.full_name}" if latest.decided_by_id else ""
        rows.append(summary_row("Decided", formatting.date_time(latest.decided_at) + by))
    if latest.comments:
        rows.append(summary_row("Comments", latest.comments))
    return {"rows": rows, "state": latest.state}
