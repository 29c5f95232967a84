"""What the assessor's review page shows, prepared from objects already loaded and tested
without a database: the waiting proficiencies by section, one compact row each (code,
statement, what the learner gave; reflection, evidence and feedback one tap away; an action
plan only under a rejection), which parts the page may stamp from another row (ADR 4), the
count of decisions so far, and the error summary with undecided rows counted once."""

from dataclasses import dataclass
from datetime import datetime

from stepwise.core import formatting
from stepwise.core.forms import error_list
from stepwise.progress.forms.review import CONFIRMED, REJECTED
from stepwise.progress.presenters.staff import (
    EvidenceLink,
    evidence_links,
    plural,
    proficiencies,
    sent_to,
)


def request_line(request, *, viewer_id: int, now: datetime) -> str:
    """Who the request went to and when, in a line (the learner and framework head the
    page): "Sent to you on 4 May 2026, 2:30pm (3 days ago). Unit: General ICU." """
    enrolment = request.enrolment
    to = sent_to(request, viewer_id)
    to = to if to not in ("You",) and not to.startswith("Any ") else to[0].lower() + to[1:]
    unit = enrolment.unit.name if enrolment.unit_id else "no unit"
    return (
        f"Sent to {to} on {formatting.date_time(request.requested_at)} "
        f"({formatting.age(request.requested_at, now)} ago). Unit: {unit}."
    )


def learner_gave(reflection: str, evidence_count: int) -> str:
    """The marker on a row, before anything is opened: "Reflection and 2 evidence files"."""
    files = plural(evidence_count, "evidence file")
    if reflection and evidence_count:
        return f"Reflection and {files}"
    if reflection:
        return "Reflection, no evidence"
    if evidence_count:
        return f"No reflection, {files}"
    return "No reflection or evidence"


@dataclass(frozen=True)
class ReviewRow:
    record_id: int
    code: str
    statement: str
    guidance: str
    optional: bool
    reflection: str
    evidence: list[EvidenceLink]
    marker: str
    fields: dict
    # Open when feedback was typed or has an error, so nothing typed is hidden.
    details_open: bool
    # The decision's value ("" for none yet) when it has no error: the page stamps the
    # radios of that value from another row (ADR 4); None sends them through the macros.
    outcome_stamp: str | None
    note_plain: bool
    # Nothing typed or chosen in the action plan, and no error: the page stamps the blank
    # plan (forms.review.BlankPlan) renamed for this row.
    plan_plain: bool
    # Something typed, chosen or wrong in the second or third action: shown unfolded.
    more_open: bool
    # Per action row: the date boxes show whatever the due-date choice, because a date
    # was typed there or is in error.
    date_shown: list[bool]


@dataclass(frozen=True)
class ReviewSection:
    section_id: int
    anchor: str
    heading: str
    title: str
    rows: list[ReviewRow]


def review_sections(items, form) -> list[ReviewSection]:
    """The items grouped by section in the order they arrive (the learner's order), each
    section once even if its items are not next to each other."""
    sections: dict[int, ReviewSection] = {}
    for item in items:
        if item.section_id not in sections:
            sections[item.section_id] = ReviewSection(
                section_id=item.section_id,
                anchor=f"section-{item.section_id}",
                heading=f"{item.section_code} {item.section_title}".strip(),
                title=item.section_title,
                rows=[],
            )
        sections[item.section_id].rows.append(review_row(item, form))
    return list(sections.values())


def review_row(item, form) -> ReviewRow:
    fields = form.item_fields(item)
    outcome, note = fields["outcome"], fields["note"]
    evidence = evidence_links(item.evidence)
    actions = fields["actions"] or []
    blank = [all(_blank(part) for part in action) for action in actions] or [True]
    return ReviewRow(
        record_id=item.record_id,
        code=item.code,
        statement=item.statement,
        guidance=item.guidance,
        optional=item.optional,
        reflection=item.reflection,
        evidence=evidence,
        marker=learner_gave(item.reflection, len(evidence)),
        fields=fields,
        details_open=not _blank(note),
        outcome_stamp=None if outcome.errors else (outcome.value() or ""),
        note_plain=_blank(note),
        plan_plain=all(blank),
        more_open=not all(blank[1:]),
        date_shown=[not _blank(due) for _action, _when, due in actions],
    )


def _blank(bound_field) -> bool:
    """Nothing typed or chosen (a date's parts all empty) and no error."""
    if bound_field.errors:
        return False
    value = bound_field.value()
    parts = value if isinstance(value, (list, tuple)) else [value]
    return all(part is None or part == "" for part in parts)


def decision_counts(form) -> str:
    """ "2 to reject, 13 to confirm, 100 not decided yet", as the form stands."""
    chosen = [form[f"outcome_{item.record_id}"].value() for item in form.items]
    rejected = sum(1 for value in chosen if value == REJECTED)
    confirmed = sum(1 for value in chosen if value == CONFIRMED)
    undecided = len(chosen) - rejected - confirmed
    parts = [f"{rejected} to reject"] if rejected else []
    parts.append(f"{confirmed} to confirm")
    if undecided:
        parts.append(f"{undecided} not decided yet")
    return ", ".join(parts)


def review_intro(count: int) -> str:
    if count == 1:
        return "Confirm or reject this proficiency."
    return (
        f"Confirm or reject each of these {proficiencies(count)}, or confirm a whole section "
        "at once."
    )


def review_errors(form) -> list[dict]:
    """The error summary: every error linking to its field, except that proficiencies left
    undecided are one line linking to the first of them, not a line each."""
    items = error_list(form)
    undecided = [
        (record_id, code)
        for record_id, code in form.undecided()
        if form[f"outcome_{record_id}"].errors
    ]
    if len(undecided) < 2:
        return items
    hrefs = {f"#{form[f'outcome_{record_id}'].auto_id}" for record_id, _code in undecided}
    first_id, first_code = undecided[0]
    others = len(undecided) - 1
    summary = {
        "text": f"Choose confirm or reject for {first_code} and {plural(others, 'other')} "
        "not decided yet, or choose Confirm everything else and save",
        "href": f"#{form[f'outcome_{first_id}'].auto_id}",
    }
    kept = [item for item in items if item.get("href") not in hrefs]
    position = next((i for i, item in enumerate(items) if item.get("href") in hrefs), 0)
    before = sum(1 for item in items[:position] if item.get("href") not in hrefs)
    return [*kept[:before], summary, *kept[before:]]
