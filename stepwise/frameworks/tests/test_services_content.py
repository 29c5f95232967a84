import pytest
from django.core.exceptions import ValidationError

from stepwise.frameworks.models import FrameworkVersionEvent, FrozenVersionError
from stepwise.frameworks.services import (
    Move,
    proficiency_add,
    proficiency_edit,
    proficiency_move,
    proficiency_remove,
    section_add,
    section_edit,
    section_move,
    section_remove,
    version_submit_for_review,
)
from stepwise.frameworks.tests.factories import published_version


def codes(queryset):
    return list(queryset.order_by("position").values_list("code", flat=True))


def last_note(version):
    event = version.events.last()
    assert event.kind == FrameworkVersionEvent.Kind.EDITED
    return event.note


def test_it_adds_a_section_at_the_end(draft, framework_author):
    section = section_add(version=draft, by=framework_author, code="3", title="Neurology")

    assert section.position == 3
    assert codes(draft.sections) == ["1", "2", "3"]
    assert last_note(draft) == "Added section 3 Neurology"


def test_it_refuses_a_section_code_in_use(draft, framework_author):
    with pytest.raises(ValidationError) as error:
        section_add(version=draft, by=framework_author, code="1", title="Again")

    assert error.value.message_dict == {"code": ["Section 1 already exists in this version"]}


def test_it_refuses_a_blank_section_title(draft, framework_author):
    with pytest.raises(ValidationError, match="Enter the section title"):
        section_add(version=draft, by=framework_author, code="3", title=" ")


def test_it_edits_a_section(draft, framework_author):
    section = draft.sections.get(code="2")

    section_edit(section=section, by=framework_author, code="2", title="Cardiac")

    section.refresh_from_db()
    assert section.title == "Cardiac"
    assert last_note(draft) == "Changed section 2 Cardiovascular to 2 Cardiac"


def test_it_moves_sections_up_and_down(draft, framework_author):
    section_move(section=draft.sections.get(code="2"), by=framework_author, direction=Move.UP)
    assert codes(draft.sections) == ["2", "1"]

    section_move(section=draft.sections.get(code="2"), by=framework_author, direction="down")
    assert codes(draft.sections) == ["1", "2"]


def test_moving_the_top_section_up_changes_nothing(draft, framework_author):
    events = draft.events.count()

    section_move(section=draft.sections.get(code="1"), by=framework_author, direction="up")

    assert codes(draft.sections) == ["1", "2"]
    assert draft.events.count() == events


def test_it_removes_an_empty_section_and_closes_the_gap(draft, framework_author):
    section_add(version=draft, by=framework_author, code="3", title="Neurology")
    empty = section_add(version=draft, by=framework_author, code="0", title="Empty")
    section_move(section=empty, by=framework_author, direction="up")

    section_remove(section=empty, by=framework_author)

    assert list(draft.sections.order_by("position").values_list("code", "position")) == [
        ("1", 1),
        ("2", 2),
        ("3", 3),
    ]


def test_it_refuses_to_remove_a_section_with_proficiencies(draft, framework_author):
    with pytest.raises(ValidationError, match="still has proficiencies"):
        section_remove(section=draft.sections.get(code="1"), by=framework_author)


def test_it_adds_a_proficiency_at_the_end_of_its_section(draft, framework_author):
    section = draft.sections.get(code="1")

    proficiency = proficiency_add(
        section=section,
        by=framework_author,
        code="1.4",
        statement="Recognise a displaced tracheostomy",
        optional="yes",
    )

    assert proficiency.position == 4
    assert proficiency.optional is True
    assert proficiency.uuid is not None
    assert codes(section.proficiencies) == ["1.1", "1.2", "1.3", "1.4"]
    assert last_note(draft) == "Added proficiency 1.4"


def test_it_lists_every_problem_with_a_proficiency(draft, framework_author):
    with pytest.raises(ValidationError) as error:
        proficiency_add(
            section=draft.sections.get(code="1"),
            by=framework_author,
            code="1 4",
            statement="",
            optional="perhaps",
            guidance="x" * 10001,
        )

    assert set(error.value.message_dict) == {"code", "statement", "optional", "guidance"}


def test_it_refuses_a_proficiency_code_in_use_anywhere_in_the_version(draft, framework_author):
    with pytest.raises(ValidationError, match="Proficiency 2.1 already exists"):
        proficiency_add(
            section=draft.sections.get(code="1"), by=framework_author, code="2.1", statement="X"
        )


def test_it_edits_a_proficiency_and_says_what_changed(draft, framework_author):
    proficiency = draft.proficiencies.get(code="1.2")
    identity = proficiency.uuid

    proficiency_edit(
        proficiency=proficiency,
        by=framework_author,
        code="1.2",
        statement="Perform closed endotracheal suctioning",
        guidance="Closed circuit only.",
        supernumerary=True,
    )

    proficiency.refresh_from_db()
    assert proficiency.statement == "Perform closed endotracheal suctioning"
    assert proficiency.uuid == identity
    assert last_note(draft) == "Changed proficiency 1.2: statement, supernumerary"


def test_it_moves_a_proficiency_to_another_section(draft, framework_author):
    proficiency = draft.proficiencies.get(code="1.1")
    cardiovascular = draft.sections.get(code="2")

    proficiency_edit(
        proficiency=proficiency,
        by=framework_author,
        code="2.3",
        statement=proficiency.statement,
        supernumerary=True,
        section=cardiovascular,
    )

    assert codes(cardiovascular.proficiencies) == ["2.1", "2.2", "2.3"]
    respiratory = draft.sections.get(code="1")
    assert list(respiratory.proficiencies.order_by("position").values_list("code", "position")) == [
        ("1.2", 1),
        ("1.3", 2),
    ]


def test_it_refuses_a_section_of_another_version(draft, framework_author):
    published = published_version()

    with pytest.raises(ValidationError):
        proficiency_edit(
            proficiency=draft.proficiencies.get(code="1.1"),
            by=framework_author,
            code="1.1",
            statement="X",
            section=published.sections.first(),
        )


def test_it_moves_proficiencies_within_their_section(draft, framework_author):
    section = draft.sections.get(code="1")

    proficiency_move(
        proficiency=draft.proficiencies.get(code="1.3"), by=framework_author, direction="up"
    )
    assert codes(section.proficiencies) == ["1.1", "1.3", "1.2"]

    proficiency_move(
        proficiency=draft.proficiencies.get(code="1.1"), by=framework_author, direction="down"
    )
    assert codes(section.proficiencies) == ["1.3", "1.1", "1.2"]


def test_it_removes_a_proficiency_from_a_draft(draft, framework_author):
    proficiency_remove(proficiency=draft.proficiencies.get(code="1.1"), by=framework_author)

    section = draft.sections.get(code="1")
    assert list(section.proficiencies.order_by("position").values_list("code", "position")) == [
        ("1.2", 1),
        ("1.3", 2),
    ]
    assert last_note(draft) == "Removed proficiency 1.1"


def test_content_in_review_is_refused_with_advice(draft, framework_author):
    version_submit_for_review(version=draft, by=framework_author)
    section = draft.sections.get(code="1")

    with pytest.raises(FrozenVersionError, match="in review .*return it to draft"):
        proficiency_add(section=section, by=framework_author, code="1.9", statement="X")


@pytest.mark.parametrize(
    "change",
    [
        lambda v, by: section_add(version=v, by=by, code="9", title="New"),
        lambda v, by: section_edit(section=v.sections.first(), by=by, code="1", title="New"),
        lambda v, by: section_move(section=v.sections.last(), by=by, direction="up"),
        lambda v, by: section_remove(section=v.sections.first(), by=by),
        lambda v, by: proficiency_add(section=v.sections.first(), by=by, code="9", statement="X"),
        lambda v, by: proficiency_edit(
            proficiency=v.proficiencies.first(), by=by, code="9", statement="X"
        ),
        lambda v, by: proficiency_move(proficiency=v.proficiencies.last(), by=by, direction="up"),
        lambda v, by: proficiency_remove(proficiency=v.proficiencies.first(), by=by),
    ],
)
def test_every_change_to_a_published_version_is_refused(published, framework_author, change):
    before = list(published.proficiencies.values_list("code", "statement", "position"))

    with pytest.raises(FrozenVersionError, match="is published.*draft a new version"):
        change(published, framework_author)

    assert list(published.proficiencies.values_list("code", "statement", "position")) == before
