"""What the framework pages show, from objects built in memory: no database."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from stepwise.accounts.models import User
from stepwise.frameworks.diff import ProficiencyChange, VersionDiff
from stepwise.frameworks.models import (
    Framework,
    FrameworkVersion,
    FrameworkVersionEvent,
    Proficiency,
    Section,
)
from stepwise.frameworks.presenters import common, content, frameworks, versions
from stepwise.frameworks.queries import FrameworkOverview, OfferOverview
from stepwise.frameworks.rules import Action, FrameworkAccess

State = FrameworkVersion.State
WHEN = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
AUTHOR = User(pk=1, full_name="Grace Mensah", email="grace@nhs.net")
EVERYTHING = FrameworkAccess(view=True, write=True, review=True, own=True)
STEP_1 = Framework(pk=1, slug="step-1", title="Step 1")


def version(state=State.DRAFT, *, pk=7, label="2.0", **fields):
    return FrameworkVersion(pk=pk, framework=STEP_1, state=state, label=label, **fields)


def proficiency(pk, code, statement, *, section=None, **flags):
    section = section or Section(pk=1, code="1", title="Respiratory")
    return Proficiency(pk=pk, code=code, statement=statement, section=section, **flags)


# Common pieces


@pytest.mark.parametrize(
    ("state", "approved", "tag"),
    [
        (State.DRAFT, False, {"text": "Draft", "colour": "grey"}),
        (State.IN_REVIEW, False, {"text": "In review", "colour": "blue"}),
        (State.IN_REVIEW, True, {"text": "Approved", "colour": "aqua-green"}),
        (State.PUBLISHED, True, {"text": "Published", "colour": "green"}),
        (State.RETIRED, True, {"text": "Retired", "colour": "white"}),
    ],
)
def test_each_state_has_its_tag(state, approved, tag):
    assert common.state_tag(version(state, approved_at=WHEN if approved else None)) == tag


def test_published_text_says_when_and_by_whom():
    published = version(State.PUBLISHED, published_at=WHEN, published_by=AUTHOR)
    retired = version(State.RETIRED, published_at=WHEN, published_by=AUTHOR, retired_at=WHEN)

    assert common.published_text(published) == "5 March 2026 by Grace Mensah"
    assert common.published_text(retired) == "5 March 2026 by Grace Mensah. Retired 5 March 2026"
    assert common.published_text(version()) == "Not published"


def test_flags_become_tags():
    both = proficiency(1, "1.1", "x", optional=True, supernumerary=True)

    assert [t["text"] for t in common.flag_tags(both)] == ["Optional", "Supernumerary period"]
    assert common.flag_tags(proficiency(2, "1.2", "x")) == []


# The frameworks list and a framework's page


def test_framework_rows_show_the_latest_and_the_open_version():
    latest = version(State.PUBLISHED, pk=1, label="1.0", published_at=WHEN)
    draft = version(State.DRAFT, pk=2, label="2.0")

    [row] = frameworks.framework_rows([FrameworkOverview(STEP_1, latest, draft)])
    [empty] = frameworks.framework_rows([FrameworkOverview(STEP_1)])

    assert row.latest == "1.0, published 5 March 2026"
    assert (row.open_text, row.open_href) == ("Version 2.0", "/frameworks/step-1/versions/2/")
    assert row.open_tag == {"text": "Draft", "colour": "grey"}
    assert (empty.latest, empty.open_text, empty.open_tag) == ("None yet", "None", None)


def test_only_owners_see_the_retire_link():
    published = version(State.PUBLISHED, pk=3, label="1.0", published_at=WHEN)

    [owned] = frameworks.version_rows([published], EVERYTHING)
    [read_only] = frameworks.version_rows([published], FrameworkAccess(view=True, review=True))

    assert owned.retire_href == "/frameworks/step-1/versions/3/retire/"
    assert read_only.retire_href == ""


def test_offer_rows_say_what_the_trust_can_do():
    latest = version(State.PUBLISHED, pk=1, label="1.0", published_at=WHEN)
    offer = SimpleNamespace(learners_may_enrol_themselves=True, offered_since=WHEN)

    offered, not_offered = frameworks.offer_rows(
        [OfferOverview(STEP_1, latest, offer), OfferOverview(STEP_1, latest, None)]
    )

    assert offered.offered == {"text": "Offered since 5 March 2026", "colour": "green"}
    assert offered.self_enrolment == "Learners can enrol themselves"
    assert (offered.toggle_text, offered.toggle_value) == ("Stop self-enrolment", "no")
    assert offered.stop_href == "/offered-frameworks/step-1/stop/"
    assert not_offered.offered["text"] == "Not offered"
    assert not_offered.offer_href == "/offered-frameworks/step-1/offer/"
    assert not_offered.toggle_href == ""


# A version's page


def test_sections_and_proficiencies_know_which_way_they_can_move():
    draft = version()
    first = Section(pk=1, code="1", title="Respiratory")
    second = Section(pk=2, code="2", title="Cardiovascular")
    first.items = [proficiency(10, "1.1", "a"), proficiency(11, "1.2", "b")]
    second.items = []

    blocks = versions.section_blocks(draft, [first, second], editable=True)

    assert (blocks[0].may_move_up, blocks[0].may_move_down) == (False, True)
    assert (blocks[1].may_move_up, blocks[1].may_move_down) == (True, False)
    top, bottom = blocks[0].items
    assert (top.may_move_up, top.may_move_down) == (False, True)
    assert (bottom.may_move_up, bottom.may_move_down) == (True, False)
    assert top.move_href == "/frameworks/step-1/versions/7/proficiencies/10/move/"
    assert blocks[1].add_href == "/frameworks/step-1/versions/7/sections/2/proficiencies/new/"
    assert blocks[0].name == "section 1 Respiratory"


def test_a_read_only_version_offers_no_changes():
    section = Section(pk=1, code="1", title="Respiratory")
    section.items = [proficiency(10, "1.1", "a")]

    [block] = versions.section_blocks(version(State.PUBLISHED), [section], editable=False)

    assert (block.edit_href, block.move_href, block.add_href) == ("", "", "")
    assert block.items[0].edit_href == ""
    assert not block.items[0].may_move_down


@pytest.mark.parametrize(
    ("state", "approved", "access", "texts"),
    [
        (State.DRAFT, False, EVERYTHING, ["Send for review", "Review and comments"]),
        (State.IN_REVIEW, True, EVERYTHING, ["Review and comments", "Publish"]),
        (State.PUBLISHED, True, EVERYTHING, ["Retire"]),
        (State.PUBLISHED, True, FrameworkAccess(view=True), []),
    ],
)
def test_version_links_follow_state_and_access(state, approved, access, texts):
    links = versions.version_links(version(state, approved_at=WHEN if approved else None), access)

    assert [link.text for link in links] == texts


def test_settings_rows_link_to_their_field_only_while_editable():
    draft = version(achieved_label="Achieved", minimum_optional=2)

    rows = versions.settings_rows(draft, editable=True)
    frozen = versions.settings_rows(draft, editable=False)

    assert rows[3]["value"]["text"] == "2"
    assert rows[1]["actions"]["items"][0]["href"].endswith("/settings/#id_achieved_label")
    assert "actions" not in frozen[0]


def event(kind, note=""):
    return FrameworkVersionEvent(kind=kind, actor=AUTHOR, at=WHEN, note=note)


def test_the_review_notice_says_what_review_said_last():
    kind = FrameworkVersionEvent.Kind
    returned = versions.review_notice(version(), event(kind.RETURNED, "Split 1.2."))
    approved = versions.review_notice(
        version(State.IN_REVIEW, approved_at=WHEN), event(kind.APPROVED)
    )

    assert returned.startswith("Grace Mensah returned this version to draft on 5 March 2026")
    assert returned.endswith(": Split 1.2.")
    assert approved.endswith("It can now be published.")
    assert versions.review_notice(version(), None) == ""
    # Once published, review is history
    assert versions.review_notice(version(State.PUBLISHED), event(kind.APPROVED)) == ""


@pytest.mark.parametrize(
    ("state", "approved", "action", "message"),
    [
        (State.IN_REVIEW, False, Action.PUBLISH, "must be approved by a reviewer"),
        (State.IN_REVIEW, False, Action.EDIT, "is in review: a reviewer must return it"),
        (State.PUBLISHED, True, Action.EDIT, "is published: draft a new version to change it"),
        (State.PUBLISHED, True, Action.COMMENT, "is published: it takes no more comments"),
        (State.DRAFT, False, Action.RETIRE, "is a draft: only a published version can be"),
        (State.DRAFT, False, Action.APPROVE, "is a draft: send it for review first"),
        (State.IN_REVIEW, True, Action.APPROVE, "was already approved by Grace Mensah"),
    ],
)
def test_unavailable_actions_are_explained(state, approved, action, message):
    subject = version(state, approved_at=WHEN if approved else None, approved_by=AUTHOR)

    text = versions.unavailable_message(subject, action)

    assert text.startswith("Step 1 version 2.0")
    assert message in text


# Preview


def test_the_preview_radios_are_disabled_and_stamped_per_proficiency():
    draft = version(achieved_label="Competent", ongoing_label="Working towards")
    section = Section(pk=1, code="1", title="Respiratory")
    section.items = [proficiency(10, "1.1", "a", guidance="Closed circuit <only>")]

    radios = content.answer_radios(draft)
    [preview] = content.preview_sections(draft, [section])

    assert [item["text"] for item in radios["items"]] == ["Competent", "Working towards"]
    assert all(item["disabled"] for item in radios["items"])
    assert content.ANSWER_CODE in radios["fieldset"]["legend"]["html"]
    item = preview.items[0]
    assert item.answer_name == "answer-10"
    assert "Closed circuit &lt;only&gt;" in item.guidance["html"]
    assert "for 1.1" in item.guidance["summaryHtml"]
    assert item.evidence_hints is None


# Changes


def test_marked_text_escapes_and_says_what_changed_without_colour():
    html = content.marked_text(
        [("same", "Give "), ("added", "<b>IV</b> fluids "), ("same", "safely")]
    )

    assert html == (
        "Give "
        '<ins class="stepwise-diff__added"><span class="nhsuk-u-visually-hidden">[added: </span>'
        '&lt;b&gt;IV&lt;/b&gt; fluids<span class="nhsuk-u-visually-hidden">]</span></ins> '
        "safely"
    )


def test_the_changes_page_counts_and_lists_the_differences():
    old, new = version(State.PUBLISHED, label="1.0"), version(label="2.0")
    cardio = Section(pk=2, code="2", title="Cardiovascular")
    kept = proficiency(1, "1.1", "Same")
    reworded = (proficiency(2, "1.2", "Suction"), proficiency(12, "1.2", "Suction safely"))
    recoded = (
        proficiency(3, "1.3", "Humidify"),
        proficiency(13, "1.4", "Humidify", guidance="Heated"),
    )
    diff = VersionDiff(
        unchanged=[(kept, kept)],
        changed=[
            ProficiencyChange(*reworded, ("statement",)),
            ProficiencyChange(*recoded, ("code", "guidance")),
        ],
        added=[proficiency(14, "2.3", "Arterial line", section=cardio)],
        removed=[],
    )

    page = content.changes_page(diff, old=old, new=new)

    assert page.counts == [
        "1 proficiency unchanged",
        "2 proficiencies changed",
        "1 proficiency added",
        "0 proficiencies removed",
    ]
    assert page.changed[0].statement_changed
    assert "[added: </span>safely" in page.changed[0].after
    assert page.changed[0].other_changes == "None"
    assert not page.changed[1].statement_changed
    assert page.changed[1].other_changes == "Code, guidance (was 1.3)"
    assert page.added[0].section == "2 Cardiovascular"
    assert (page.old_name, page.new_name) == ("Version 1.0", "Version 2.0")
