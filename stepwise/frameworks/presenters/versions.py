"""What a version's page and its review page show."""

from dataclasses import dataclass

from django.urls import reverse

from stepwise.core import formatting
from stepwise.frameworks.models import FrameworkVersion, FrameworkVersionEvent
from stepwise.frameworks.presenters.common import flag_tags, version_href
from stepwise.frameworks.rules import Action, FrameworkAccess, version_actions

State = FrameworkVersion.State

# A version's page


SETTINGS = (
    ("label", "Version label"),
    ("achieved_label", "Answer for achieved"),
    ("ongoing_label", "Answer for not yet achieved"),
    ("minimum_optional", "Optional proficiencies each learner must achieve"),
    ("supernumerary_weeks", "Supernumerary period, in weeks"),
    ("learner_declaration", "Learner declaration"),
    ("assessor_declaration", "Assessor declaration"),
)


def settings_rows(version: FrameworkVersion, *, editable: bool) -> list[dict]:
    rows = []
    for name, label in SETTINGS:
        row = {"key": {"text": label}, "value": {"text": str(getattr(version, name))}}
        if editable:
            href = version_href(version, "frameworks:version_settings") + f"#id_{name}"
            row["actions"] = {
                "items": [{"href": href, "text": "Change", "visuallyHiddenText": label.lower()}]
            }
        rows.append(row)
    return rows


@dataclass(frozen=True)
class ProficiencyItem:
    anchor: str
    code: str
    statement: str
    tags: list[dict]
    edit_href: str = ""
    remove_href: str = ""
    move_href: str = ""
    may_move_up: bool = False
    may_move_down: bool = False


@dataclass(frozen=True)
class SectionBlock:
    anchor: str
    code: str
    title: str
    items: list[ProficiencyItem]
    edit_href: str = ""
    remove_href: str = ""
    move_href: str = ""
    add_href: str = ""
    may_move_up: bool = False
    may_move_down: bool = False

    @property
    def name(self) -> str:
        return f"section {self.code} {self.title}"


def _item(version, proficiency, index: int, total: int, editable: bool) -> ProficiencyItem:
    if not editable:
        return ProficiencyItem(
            anchor=f"proficiency-{proficiency.pk}",
            code=proficiency.code,
            statement=proficiency.statement,
            tags=flag_tags(proficiency),
        )
    base = reverse(
        "frameworks:proficiency_edit", args=[version.framework.slug, version.pk, proficiency.pk]
    )
    return ProficiencyItem(
        anchor=f"proficiency-{proficiency.pk}",
        code=proficiency.code,
        statement=proficiency.statement,
        tags=flag_tags(proficiency),
        edit_href=base,
        remove_href=base + "remove/",
        move_href=base + "move/",
        may_move_up=index > 0,
        may_move_down=index < total - 1,
    )


def section_blocks(version: FrameworkVersion, sections, *, editable: bool) -> list[SectionBlock]:
    """Sections (each with `.items`, its proficiencies) and what can be done to each."""
    blocks = []
    for index, section in enumerate(sections):
        items = [
            _item(version, proficiency, number, len(section.items), editable)
            for number, proficiency in enumerate(section.items)
        ]
        links = {}
        if editable:
            base = reverse(
                "frameworks:section_edit", args=[version.framework.slug, version.pk, section.pk]
            )
            links = {
                "edit_href": base,
                "remove_href": base + "remove/",
                "move_href": base + "move/",
                "add_href": base + "proficiencies/new/",
                "may_move_up": index > 0,
                "may_move_down": index < len(sections) - 1,
            }
        blocks.append(
            SectionBlock(
                anchor=f"section-{section.pk}",
                code=section.code,
                title=section.title,
                items=items,
                **links,
            )
        )
    return blocks


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    post: bool = False
    warning: bool = False


def version_links(version: FrameworkVersion, access: FrameworkAccess) -> list[Link]:
    """The buttons at the top of a version's page, in the order a person needs them."""
    allowed = version_actions(version, access)
    links = []
    if Action.SUBMIT in allowed:
        links.append(Link("Send for review", version_href(version, "frameworks:submit"), True))
    if Action.COMMENT in allowed:
        links.append(Link("Review and comments", version_href(version, "frameworks:review")))
    if Action.PUBLISH in allowed:
        links.append(Link("Publish", version_href(version, "frameworks:publish")))
    if Action.RETIRE in allowed:
        links.append(Link("Retire", version_href(version, "frameworks:retire"), warning=True))
    return links


def review_notice(version: FrameworkVersion, outcome: FrameworkVersionEvent | None) -> str:
    """What review said last, shown with the version while it matters."""
    if outcome is None:
        return ""
    who = outcome.actor.full_name if outcome.actor_id else "Someone"
    when = formatting.date_time(outcome.at)
    kind = FrameworkVersionEvent.Kind
    if version.state == State.DRAFT and outcome.kind == kind.RETURNED:
        return f"{who} returned this version to draft on {when}: {outcome.note}"
    if version.state == State.IN_REVIEW and outcome.kind == kind.APPROVED:
        return f"{who} approved this version on {when}. It can now be published."
    if version.state == State.IN_REVIEW and outcome.kind == kind.SUBMITTED:
        return (
            f"{who} sent this version for review on {when}. It cannot be changed unless a "
            "reviewer returns it to draft."
        )
    return ""


def unavailable_message(version: FrameworkVersion, action: Action) -> str:
    """Why an action someone may do cannot be done to this version now."""
    name = f"{version.framework.title} version {version.label}"
    state = "a draft" if version.is_draft else version.get_state_display().lower()
    if action == Action.RETIRE:
        return f"{name} is {state}: only a published version can be retired"
    if action == Action.PUBLISH and version.state == State.IN_REVIEW:
        return f"{name} must be approved by a reviewer before it is published"
    if action == Action.APPROVE and version.is_approved:
        return (
            f"{name} was already approved by {version.approved_by} on "
            f"{formatting.date(version.approved_at)}"
        )
    if action == Action.COMMENT:
        return f"{name} is {state}: it takes no more comments"
    if version.state == State.IN_REVIEW:
        return f"{name} is in review: a reviewer must return it to draft before it can change"
    if version.state in FrameworkVersion.FROZEN_STATES:
        return f"{name} is {state}: draft a new version to change it"
    return f"{name} is a draft: send it for review first"


# Review


@dataclass(frozen=True)
class CommentItem:
    author: str
    when: str
    body: str


def comment_items(comments) -> list[CommentItem]:
    return [CommentItem(c.author.full_name, formatting.date_time(c.at), c.body) for c in comments]


def history_rows(events) -> list[list[dict]]:
    return [
        [
            {"text": formatting.date_time(event.at)},
            {"text": event.get_kind_display()},
            {"text": event.actor.full_name if event.actor_id else "Stepwise"},
            {"text": event.note or "None"},
        ]
        for event in events
    ]
