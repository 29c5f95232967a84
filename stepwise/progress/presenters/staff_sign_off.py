"""What the educator's sign-off page summarises, from the enrolment's records already loaded
(each with the decision that stands and who made it): counts per section, whether the
optional minimum is met, who confirmed how many and when, and what is still missing. The
full record, row by row, is on the enrolment's page. Tested without a database."""

from dataclasses import dataclass

from stepwise.core import formatting
from stepwise.progress.presenters.staff import plural, proficiencies
from stepwise.progress.states import RecordState


@dataclass(frozen=True)
class SectionCount:
    heading: str
    required: str
    optional: str


def section_counts(records) -> list[SectionCount]:
    """Per section, in framework order: required confirmed of all, and optional confirmed."""
    grouped: dict[int, list] = {}
    for record in records:
        grouped.setdefault(record.proficiency.section_id, []).append(record)
    counts = []
    for in_section in grouped.values():
        section = in_section[0].proficiency.section
        required = [r for r in in_section if not r.proficiency.optional]
        optional = [r for r in in_section if r.proficiency.optional]
        counts.append(
            SectionCount(
                heading=f"{section.code} {section.title}".strip(),
                required=f"{_confirmed(required)} of {len(required)}" if required else "None",
                optional=f"{_confirmed(optional)} of {len(optional)}" if optional else "None",
            )
        )
    return counts


def _confirmed(records) -> int:
    return sum(1 for record in records if record.state == RecordState.CONFIRMED)


def required_text(done: dict) -> str:
    return f"{done['required_confirmed']} of {done['required']} confirmed"


def optional_text(done: dict) -> str:
    """ "3 confirmed; at least 3 needed: met"."""
    confirmed, minimum = done["optional_confirmed"], done["optional_minimum"]
    if not minimum:
        return f"{confirmed} confirmed; none needed"
    met = "met" if confirmed >= minimum else f"{minimum - confirmed} more needed"
    return f"{confirmed} confirmed; at least {minimum} needed: {met}"


@dataclass(frozen=True)
class Confirmer:
    who: str
    count: str
    when: str


def confirmed_by(records) -> list[Confirmer]:
    """Who confirmed the proficiencies, most first: each assessor with the registration they
    stated (or the source of recognised prior attainment), how many, and when."""
    groups: dict[str, list] = {}
    for record in records:
        decision = record.decision if record.decision_id else None
        if record.state != RecordState.CONFIRMED or decision is None:
            continue
        if decision.prior_attainment_source:
            who = f"Recognised prior attainment: {decision.prior_attainment_source}"
        else:
            who = f"{decision.assessor.full_name} ({decision.registration_number})"
        groups.setdefault(who, []).append(decision.at)
    ordered = sorted(groups.items(), key=lambda group: (-len(group[1]), group[0]))
    return [
        Confirmer(who=who, count=proficiencies(len(times)), when=_span(min(times), max(times)))
        for who, times in ordered
    ]


def _span(first, last) -> str:
    first_day, last_day = formatting.date(first), formatting.date(last)
    return first_day if first_day == last_day else f"{first_day} to {last_day}"


def missing(records) -> list[str]:
    """Required proficiencies not confirmed yet, "1.4 Statement", in framework order."""
    return [
        f"{record.proficiency.code} {record.proficiency.statement}"
        for record in records
        if not record.proficiency.optional and record.state != RecordState.CONFIRMED
    ]


def missing_heading(count: int) -> str:
    return f"{plural(count, 'required proficiency', 'required proficiencies')} not confirmed"
