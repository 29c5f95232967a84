"""What a learner's section page adds to its answer rows (`learner_answers`): what a save
says, the prompt to ask for confirmation, and the way to the sections either side. Tested
without a database."""

from stepwise.core.page_urls import page_url
from stepwise.progress.presenters.learner import section_href
from stepwise.progress.states import EnrolmentState, RecordState


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
    href = page_url("progress:request_confirmation", enrolment.pk)
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
