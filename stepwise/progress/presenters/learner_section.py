"""What a learner's section page shows: each proficiency, whether it can be answered now,
and the way to the sections either side. Tested without a database."""

from dataclasses import dataclass, field

from django.urls import reverse

from stepwise.progress.presenters.common import record_tag
from stepwise.progress.presenters.learner import (
    may_reopen,
    may_self_assess,
    record_href,
    section_href,
)
from stepwise.progress.states import EnrolmentState, RecordState


@dataclass(frozen=True)
class SectionItem:
    record_id: int
    code: str
    statement: str
    guidance: str
    optional: bool
    supernumerary: bool
    tag: dict
    href: str
    editable: bool
    reopen_href: str | None
    rejected: bool
    answer_field: str = field(default="")
    reflection_field: str = field(default="")


def section_items(enrolment, records) -> list[SectionItem]:
    items = []
    for record in records:
        proficiency = record.proficiency
        items.append(
            SectionItem(
                record_id=record.pk,
                code=proficiency.code,
                statement=proficiency.statement,
                guidance=proficiency.guidance,
                optional=proficiency.optional,
                supernumerary=proficiency.supernumerary,
                tag=record_tag(record.state),
                href=record_href(enrolment, record),
                editable=may_self_assess(enrolment, record),
                reopen_href=reverse("progress:record_reopen", args=[enrolment.pk, record.pk])
                if may_reopen(enrolment, record)
                else None,
                rejected=record.state == RecordState.REJECTED,
                answer_field=f"answer-{record.pk}",
                reflection_field=f"reflection-{record.pk}",
            )
        )
    return items


def saved_message(changed: int) -> str:
    if not changed:
        return "Your answers were already saved: nothing has changed"
    return f"{changed} answer{'s' if changed != 1 else ''} saved"


def ask_for_section(enrolment, section, records) -> str | None:
    """A prompt to ask for confirmation, ticking this section's achieved proficiencies."""
    if enrolment.state != EnrolmentState.ACTIVE:
        return None
    if not any(record.state == RecordState.ACHIEVED for record in records):
        return None
    href = reverse("progress:request_confirmation", args=[enrolment.pk])
    return f"{href}?section={section.pk}"


def neighbours(enrolment, sections, current) -> dict:
    """Previous and next sections, for the NHS pagination component."""
    index = next(i for i, section in enumerate(sections) if section.pk == current.pk)
    params = {}
    if index > 0:
        before = sections[index - 1]
        params["previous"] = {
            "href": section_href(enrolment, before),
            "labelText": f"{before.code} {before.title}",
        }
    if index < len(sections) - 1:
        after = sections[index + 1]
        params["next"] = {
            "href": section_href(enrolment, after),
            "labelText": f"{after.code} {after.title}",
        }
    return params
