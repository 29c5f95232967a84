"""A version's content as learners will see it, and what changed since the version before."""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

from stepwise.frameworks.diff import word_changes
from stepwise.frameworks.models import FrameworkVersion
from stepwise.frameworks.presenters.common import content_summary, count, flag_tags, version_name

# Preview


@dataclass(frozen=True)
class PreviewItem:
    code: str
    statement: str
    tags: list[dict]
    answer_name: str
    # Each a details component's parameters, or None when there is nothing to show.
    guidance: dict | None = None
    evidence_hints: dict | None = None


def _details(summary: str, code: str, text: str) -> dict | None:
    if not text:
        return None
    return {
        "summaryHtml": format_html(
            '{}<span class="nhsuk-u-visually-hidden"> for {}</span>', summary, code
        ),
        "html": format_html('<p class="stepwise-preserve-lines">{}</p>', text),
    }


@dataclass(frozen=True)
class PreviewSection:
    code: str
    title: str
    items: list[PreviewItem] = field(default_factory=list)


# The radios are rendered once with these placeholders and stamped for each proficiency (see
# preview.jinja): the NHS radios macro takes milliseconds, a thousand times over.
ANSWER_NAME, ANSWER_CODE = "__ANSWER_NAME__", "__ANSWER_CODE__"


def answer_radios(version: FrameworkVersion) -> dict:
    """The response scale as learners see it; disabled, because this is only a preview."""
    return {
        "name": ANSWER_NAME,
        "idPrefix": ANSWER_NAME,
        "classes": "nhsuk-radios--inline",
        "fieldset": {
            "legend": {
                "html": format_html(
                    'Your answer<span class="nhsuk-u-visually-hidden"> for {}</span>', ANSWER_CODE
                ),
                "size": "s",
            }
        },
        "items": [
            {"value": "achieved", "text": version.achieved_label, "disabled": True},
            {"value": "ongoing", "text": version.ongoing_label, "disabled": True},
        ],
    }


def preview_sections(version: FrameworkVersion, sections) -> list[PreviewSection]:
    return [
        PreviewSection(
            code=section.code,
            title=section.title,
            items=[
                PreviewItem(
                    code=p.code,
                    statement=p.statement,
                    tags=flag_tags(p),
                    answer_name=f"answer-{p.pk}",
                    guidance=_details("Guidance", p.code, p.guidance),
                    evidence_hints=_details("Evidence you could add", p.code, p.evidence_hints),
                )
                for p in section.items
            ],
        )
        for section in sections
    ]


def preview_summary(version: FrameworkVersion, sections) -> str:
    optional = sum(p.optional for section in sections for p in section.items)
    text = content_summary(sections)
    if optional:
        text += (
            f", of which {count(optional, 'is', 'are')} optional: learners achieve at least "
            f"{version.minimum_optional} of those"
        )
    return text


# Changes between versions


MARKS = {
    # The hidden words say what the strike-through and underline show, so the change is clear
    # to screen reader users and without colour.
    "removed": ("del", "stepwise-diff__removed", "removed"),
    "added": ("ins", "stepwise-diff__added", "added"),
}
FIELD_NAMES = {
    "code": "code",
    "guidance": "guidance",
    "optional": "optional",
    "supernumerary": "supernumerary period",
    "evidence_hints": "evidence hints",
    "section": "section",
}


def marked_text(runs) -> str:
    """Runs from `diff.word_changes` as HTML: removed words in <del>, added in <ins>."""
    parts = []
    for kind, text in runs:
        words = text.rstrip()
        if kind == "same" or not words:
            parts.append(format_html("{}", text))
            continue
        tag, css, said = MARKS[kind]
        parts.append(
            format_html(
                '<{} class="{}"><span class="nhsuk-u-visually-hidden">[{}: </span>{}'
                '<span class="nhsuk-u-visually-hidden">]</span></{}>{}',
                tag,
                css,
                said,
                words,
                tag,
                text[len(words) :],
            )
        )
    return format_html_join("", "{}", ((part,) for part in parts))


@dataclass(frozen=True)
class ChangedItem:
    code: str
    before: str
    after: str
    statement_changed: bool
    other_changes: str


@dataclass(frozen=True)
class ListedItem:
    code: str
    statement: str
    section: str


@dataclass(frozen=True)
class ChangesPage:
    old_name: str
    new_name: str
    unchanged: int
    changed: list[ChangedItem]
    added: list[ListedItem]
    removed: list[ListedItem]

    @property
    def has_changes(self) -> bool:
        return bool(self.changed or self.added or self.removed)

    @property
    def counts(self) -> list[str]:
        return [
            f"{count(self.unchanged, 'proficiency', 'proficiencies')} unchanged",
            f"{count(len(self.changed), 'proficiency', 'proficiencies')} changed",
            f"{count(len(self.added), 'proficiency', 'proficiencies')} added",
            f"{count(len(self.removed), 'proficiency', 'proficiencies')} removed",
        ]


def _other_changes(change) -> str:
    others = [FIELD_NAMES[name] for name in change.fields if name != "statement"]
    if not others:
        return "None"
    text = ", ".join(others)
    if "code" in change.fields:
        text += f" (was {change.old.code})"
    return text[:1].upper() + text[1:]


def _changed_item(change) -> ChangedItem:
    if change.statement_changed:
        before_runs, after_runs = word_changes(change.old.statement, change.new.statement)
        before, after = marked_text(before_runs), marked_text(after_runs)
    else:
        before = after = format_html("{}", change.new.statement)
    return ChangedItem(
        code=change.new.code,
        before=before,
        after=after,
        statement_changed=change.statement_changed,
        other_changes=_other_changes(change),
    )


def _listed(proficiency) -> ListedItem:
    section = proficiency.section
    return ListedItem(proficiency.code, proficiency.statement, f"{section.code} {section.title}")


def changes_page(diff, *, old: FrameworkVersion, new: FrameworkVersion) -> ChangesPage:
    return ChangesPage(
        old_name=version_name(old),
        new_name=version_name(new),
        unchanged=len(diff.unchanged),
        changed=[_changed_item(change) for change in diff.changed],
        added=[_listed(p) for p in diff.added],
        removed=[_listed(p) for p in diff.removed],
    )
