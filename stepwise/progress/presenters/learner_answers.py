"""What the answer pages show: each proficiency as one compact row (code, statement, the two
answers side by side, guidance and reflection one tap away), grouped by section, and a Step
split into pages of whole sections when it is too long for one. Tested without a database.

The rows repeat the same NHS components many times, so the template renders each component
once with the placeholders below and stamps a copy per row (ADR 4); a row with an error is
rendered through the macros itself. `radios_params`, `reflection_params` and
`text_details_params` serve both."""

from dataclasses import dataclass, field

from django.utils.html import format_html

from stepwise.core.page_urls import page_url
from stepwise.progress.presenters.common import record_tag
from stepwise.progress.presenters.learner import may_reopen, may_self_assess, record_href
from stepwise.progress.states import RecordState

# A page of the whole-Step answers holds whole sections, up to this many proficiencies (more
# only when one section alone is longer). Measured at 1024 x 1366: Step 1's 122 rows are
# about 11 screens; 150 keeps a page under the 15-screen limit.
ROWS_PER_PAGE = 150

# Placeholders stamped per row; none can occur in the macros' own markup.
RID, CODE, TEXT, SUMMARY = "__RECORD_ID__", "__CODE__", "__TEXT__", "__SUMMARY__"
REFLECTION_ROWS = 3
REFLECTION_HINT = "What you did, what you learnt and how it shows you can do this."


def answer_id(record_id) -> str:
    """The first radio's id, which the error summary links to (Django's `auto_id`)."""
    return f"id_answer-{record_id}"


def reflection_id(record_id) -> str:
    return f"id_reflection-{record_id}"


def statement_id(record_id) -> str:
    return f"record-{record_id}-statement"


def radios_params(version, *, record_id, code, checked: str = "", error: str = "") -> dict:
    """The two answers as inline radios. The legend names the proficiency for screen readers;
    the statement beside it is the fieldset's description."""
    params = {
        "name": f"answer-{record_id}",
        "idPrefix": answer_id(record_id),
        "classes": "nhsuk-radios--inline",
        "formGroup": {"classes": "stepwise-answer__form-group"},
        "fieldset": {
            "legend": {
                "html": format_html(
                    'Your answer<span class="nhsuk-u-visually-hidden"> for {}</span>', code
                ),
                "classes": "nhsuk-u-visually-hidden",
            },
            "describedBy": statement_id(record_id),
        },
        "items": [
            {
                "value": value,
                "text": label,
                "checked": value == checked,
            }
            for value, label in (
                (RecordState.ACHIEVED.value, version.achieved_label),
                (RecordState.ONGOING.value, version.ongoing_label),
            )
        ],
    }
    if error:
        params["errorMessage"] = {"text": error}
    return params


def _summary(text: str, code: str):
    return format_html('{}<span class="nhsuk-u-visually-hidden"> for {}</span>', text, code)


def reflection_params(*, record_id, code, value: str = "", error: str = "") -> dict:
    """The reflection box, inside a Details of its own (see `reflection_summary`)."""
    params = {
        "name": f"reflection-{record_id}",
        "id": reflection_id(record_id),
        "label": {"text": f"Reflection on {code} (optional)"},
        "hint": {"text": REFLECTION_HINT},
        "rows": REFLECTION_ROWS,
        "value": value,
        "formGroup": {"classes": "stepwise-answer__form-group"},
    }
    if error:
        params["errorMessage"] = {"text": error}
    return params


def reflection_summary(reflection: str, *, editable: bool) -> str:
    if editable:
        return "Your reflection" if reflection else "Add a reflection"
    return "Your reflection"


def details_params(*, summary, code, record_id, kind: str, open_: bool = False) -> dict:
    return {
        "summary": {"html": _summary(summary, code)},
        "classes": "stepwise-answer__details",
        "id": f"record-{record_id}-{kind}",
        "open": open_,
    }


def text_details_params(*, record_id, code, summary, kind, text) -> dict:
    """Guidance, or a reflection that can no longer change, to read in a Details."""
    params = details_params(summary=summary, code=code, record_id=record_id, kind=kind)
    params["html"] = format_html('<p class="stepwise-preserve-lines">{}</p>', text)
    return params


KIND = "__KIND__"


def stamp_params(version) -> dict:
    """Parameters for the components stamped on every row, with placeholders: radios with
    each answer checked (or none), the reflection box, and a Details to read."""
    radios = {
        checked: radios_params(version, record_id=RID, code=CODE, checked=checked)
        for checked in ("", RecordState.ACHIEVED.value, RecordState.ONGOING.value)
    }
    reflection = details_params(summary=SUMMARY, code=CODE, record_id=RID, kind="reflection")
    return {
        "key": version.kept_key,
        "radios": radios,
        "reflection": reflection,
        "textarea": reflection_params(record_id=RID, code=CODE, value=TEXT),
        "text": text_details_params(
            record_id=RID, code=CODE, summary=SUMMARY, kind=KIND, text=TEXT
        ),
        "placeholders": {"id": RID, "code": CODE, "text": TEXT, "summary": SUMMARY, "kind": KIND},
    }


@dataclass(frozen=True)
class AnswerRow:
    record_id: int
    code: str
    statement: str
    guidance: str
    tags: list[dict]
    href: str
    editable: bool
    # Where the radios would be, on a row that cannot be answered now: its state.
    state_tag: dict | None = None
    answer: str = ""
    reflection: str = ""
    answer_error: str = ""
    reflection_error: str = ""
    reopen_href: str | None = None
    plan_href: str | None = None
    # Rows with an error are rendered through the macros, with their messages.
    radios_params: dict | None = None
    reflection_params: dict | None = None

    @property
    def has_error(self) -> bool:
        return bool(self.answer_error or self.reflection_error)

    @property
    def statement_id(self) -> str:
        return statement_id(self.record_id)

    @property
    def reflection_summary(self) -> str:
        return reflection_summary(self.reflection, editable=self.editable)


@dataclass(frozen=True)
class AnswerSection:
    id: int
    heading: str
    rows: list[AnswerRow] = field(default_factory=list)


def row_tags(record) -> list[dict]:
    """Beside the statement: a rejection (its radios are empty again), and the flags."""
    proficiency = record.proficiency
    tags = []
    if record.state == RecordState.REJECTED:
        tags.append(record_tag(record.state))
    if proficiency.optional:
        tags.append({"text": "Optional", "classes": "nhsuk-tag--white"})
    if proficiency.supernumerary:
        tags.append({"text": "Supernumerary period", "classes": "nhsuk-tag--white"})
    return tags


def answer_row(enrolment, record, *, shown=("", ""), errors=("", "")) -> AnswerRow:
    """`shown`: the answer and reflection to show (sent, kept or saved); `errors`: the
    messages for each."""
    proficiency = record.proficiency
    editable = may_self_assess(enrolment, record)
    answer, reflection = shown if editable else ("", record.reflection)
    if answer not in (RecordState.ACHIEVED, RecordState.ONGOING):
        answer = ""
    has_error = editable and any(errors)
    return AnswerRow(
        record_id=record.pk,
        code=proficiency.code,
        statement=proficiency.statement,
        guidance=proficiency.guidance,
        tags=row_tags(record),
        state_tag=None if editable else record_tag(record.state),
        href=record_href(enrolment, record),
        editable=editable,
        answer=answer,
        reflection=reflection,
        answer_error=errors[0],
        reflection_error=errors[1],
        reopen_href=page_url("progress:record_reopen", enrolment.pk, record.pk)
        if may_reopen(enrolment, record)
        else None,
        plan_href=f"{page_url('progress:action_plans', enrolment.pk)}#plan-{record.pk}"
        if record.state == RecordState.REJECTED and editable
        else None,
        radios_params=radios_params(
            enrolment.version,
            record_id=record.pk,
            code=proficiency.code,
            checked=answer,
            error=errors[0],
        )
        if has_error
        else None,
        reflection_params=reflection_params(
            record_id=record.pk, code=proficiency.code, value=reflection, error=errors[1]
        )
        if has_error
        else None,
    )


def answer_sections(enrolment, records, form) -> list[AnswerSection]:
    """The records (in page order) as rows under their section headings. `form` is the
    self-assessment form: it knows what to show and its errors."""
    sections: dict[int, AnswerSection] = {}
    for record in records:
        section = record.proficiency.section
        if section.pk not in sections:
            sections[section.pk] = AnswerSection(section.pk, f"{section.code} {section.title}")
        sections[section.pk].rows.append(
            answer_row(enrolment, record, shown=form.shown(record), errors=form.row_errors(record))
        )
    return list(sections.values())


# --- A Step in pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerPage:
    number: int
    section_ids: list[int]
    label: str
    rows: int


def answer_pages(sections, *, limit: int | None = None) -> list[AnswerPage]:
    """Consecutive whole sections, up to `limit` (ROWS_PER_PAGE) proficiencies a page.
    `sections` carry `total` (as `queries.learner.section_progress` gives)."""
    limit = limit or ROWS_PER_PAGE
    groups: list[list] = []
    count = 0
    for section in sections:
        if groups and count + section.total <= limit:
            groups[-1].append(section)
            count += section.total
        else:
            groups.append([section])
            count = section.total
    pages = []
    for number, group in enumerate(groups, start=1):
        first, last = group[0], group[-1]
        label = (
            f"Section {first.code}"
            if first.pk == last.pk
            else f"Sections {first.code} to {last.code}"
        )
        pages.append(
            AnswerPage(
                number=number,
                section_ids=[s.pk for s in group],
                label=label,
                rows=sum(s.total for s in group),
            )
        )
    return pages


def page_number(value, count: int) -> int:
    """The page asked for in `?page=`, within range; 1 for anything else."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= count else 1


def answers_href(enrolment, number: int = 1) -> str:
    href = page_url("progress:answers", enrolment.pk)
    return href if number == 1 else f"{href}?page={number}"


def page_links(enrolment, pages, current: int) -> dict:
    """Previous and next pages, for the NHS pagination component."""
    links = {}
    if current > 1:
        before = pages[current - 2]
        links["previous"] = {
            "href": answers_href(enrolment, before.number),
            "labelText": before.label,
        }
    if current < len(pages):
        after = pages[current]
        links["next"] = {"href": answers_href(enrolment, after.number), "labelText": after.label}
    return links


def any_editable(sections) -> bool:
    return any(row.editable for section in sections for row in section.rows)
