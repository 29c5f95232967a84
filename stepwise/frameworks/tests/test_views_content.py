"""Editing a draft's sections and proficiencies through the pages: add, change, remove after
confirming, and move up or down with plain POST forms."""

import pytest
from django.urls import reverse

from stepwise.frameworks.models import FrameworkVersionEvent, Proficiency, Section
from stepwise.frameworks.services import version_submit_for_review
from stepwise.frameworks.tests.conftest import read


def url(name, version, *extra):
    return reverse(f"frameworks:{name}", args=[version.framework.slug, version.pk, *extra])


def codes(section) -> list[str]:
    return list(section.proficiencies.order_by("position").values_list("code", flat=True))


def proficiency_data(**changes):
    return {
        "code": "1.4",
        "statement": "Manage a patient's tracheostomy",
        "guidance": "Include emergency care.",
        "evidence_hints": "",
        **changes,
    }


@pytest.fixture
def respiratory(draft):
    return draft.sections.get(code="1")


# Sections


def test_a_contributor_adds_a_section_at_the_end(client_for, contributor, draft):
    response = client_for(contributor).post(
        url("section_add", draft), {"code": "3", "title": "Renal"}
    )

    section = draft.sections.get(code="3")
    assert response.url == url("version", draft) + f"#section-{section.pk}"
    assert section.position == 3
    assert draft.events.filter(note="Added section 3 Renal", actor=contributor).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "", "title": "Renal"}, "Enter the section code"),
        ({"code": "3 a", "title": "Renal"}, "must not contain spaces"),
        ({"code": "3", "title": ""}, "Enter the section title"),
        ({"code": "1", "title": "Renal"}, "Section 1 already exists in this version"),
        ({"code": "3", "title": "x" * 201}, "200 characters or fewer"),
    ],
)
def test_bad_sections_are_explained(client_for, framework_author, draft, data, message):
    response = client_for(framework_author).post(url("section_add", draft), data)

    page = read(response)
    assert response.status_code == 200
    assert "Error: Add a section" in page
    assert message in page
    assert draft.sections.count() == 2


def test_a_section_is_renamed(client_for, framework_author, draft, respiratory):
    client = client_for(framework_author)
    assert 'value="Respiratory"' in read(client.get(url("section_edit", draft, respiratory.pk)))

    client.post(url("section_edit", draft, respiratory.pk), {"code": "R", "title": "Breathing"})

    respiratory.refresh_from_db()
    assert (respiratory.code, respiratory.title) == ("R", "Breathing")


def test_a_section_with_proficiencies_is_not_removed(
    client_for, framework_author, draft, respiratory
):
    client = client_for(framework_author)

    page = read(client.get(url("section_remove", draft, respiratory.pk)))
    assert "still has 3 proficiencies" in page
    assert "Remove section</button>" not in page
    response = client.post(url("section_remove", draft, respiratory.pk), follow=True)

    assert "still has proficiencies: move or remove them first" in read(response)
    assert Section.objects.filter(pk=respiratory.pk).exists()


def test_an_empty_section_is_removed_after_confirming(client_for, framework_author, draft):
    empty = Section.objects.create(version=draft, position=3, code="3", title="Renal")
    client = client_for(framework_author)

    assert "Remove section" in read(client.get(url("section_remove", draft, empty.pk)))
    assert Section.objects.filter(pk=empty.pk).exists()
    client.post(url("section_remove", draft, empty.pk))

    assert not Section.objects.filter(pk=empty.pk).exists()


def test_sections_move_up_and_down(client_for, framework_author, draft, respiratory):
    client = client_for(framework_author)

    response = client.post(url("section_move", draft, respiratory.pk), {"direction": "down"})

    assert response.url == url("version", draft) + f"#section-{respiratory.pk}"
    assert list(draft.sections.order_by("position").values_list("code", flat=True)) == ["2", "1"]
    client.post(url("section_move", draft, respiratory.pk), {"direction": "up"})
    assert list(draft.sections.order_by("position").values_list("code", flat=True)) == ["1", "2"]


def test_a_move_without_a_direction_is_a_bad_request(
    client_for, framework_author, draft, respiratory
):
    response = client_for(framework_author).post(
        url("section_move", draft, respiratory.pk), {"direction": "sideways"}
    )

    assert response.status_code == 400
    assert "there is a problem with the request" in read(response)


# Proficiencies


def test_a_proficiency_is_added_at_the_end_of_its_section(
    client_for, contributor, draft, respiratory
):
    response = client_for(contributor).post(
        url("proficiency_add", draft, respiratory.pk),
        proficiency_data(optional="on", supernumerary="on"),
    )

    proficiency = draft.proficiencies.get(code="1.4")
    assert response.url == url("version", draft) + f"#proficiency-{proficiency.pk}"
    assert codes(respiratory) == ["1.1", "1.2", "1.3", "1.4"]
    assert proficiency.optional and proficiency.supernumerary
    assert proficiency.guidance == "Include emergency care."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"statement": ""}, "Enter the statement"),
        ({"statement": "   "}, "Enter the statement"),
        ({"code": ""}, "Enter the proficiency code"),
        ({"code": "1.1"}, "Proficiency 1.1 already exists in this version"),
        ({"code": "2.1"}, "Proficiency 2.1 already exists in this version"),
        ({"statement": "=cmd|' /C calc'!A0"}, "read as a formula"),
        ({"statement": "x" * 2001}, "2,000 characters or fewer"),
        ({"guidance": "+44 helpline"}, "The guidance starts with +"),
    ],
)
def test_bad_proficiencies_are_explained_and_nothing_is_lost(
    client_for, framework_author, draft, respiratory, changes, message
):
    data = proficiency_data(**changes)

    response = client_for(framework_author).post(
        url("proficiency_add", draft, respiratory.pk), data
    )

    page = read(response)
    assert response.status_code == 200
    assert "Error: Add a proficiency to section 1" in page
    assert message in page
    for value in data.values():
        assert value.strip() in page  # what they typed is still there
    assert draft.proficiencies.count() == 5


def test_a_proficiency_is_changed_and_moved_to_another_section(client_for, framework_author, draft):
    proficiency = draft.proficiencies.get(code="1.3")
    cardiovascular = draft.sections.get(code="2")
    client = client_for(framework_author)
    page = read(client.get(url("proficiency_edit", draft, proficiency.pk)))
    assert "Set up a humidification circuit" in page
    assert "2 Cardiovascular" in page  # offered as a section to move to

    client.post(
        url("proficiency_edit", draft, proficiency.pk),
        proficiency_data(
            code="2.3", statement="Set up heated humidification", section=cardiovascular.pk
        ),
    )

    proficiency.refresh_from_db()
    assert proficiency.statement == "Set up heated humidification"
    assert proficiency.section == cardiovascular
    assert codes(cardiovascular) == ["2.1", "2.2", "2.3"]


def test_an_unknown_section_is_explained(client_for, framework_author, draft):
    proficiency = draft.proficiencies.get(code="1.3")

    response = client_for(framework_author).post(
        url("proficiency_edit", draft, proficiency.pk), proficiency_data(section="999999")
    )

    assert "Choose a section from the list" in read(response)


def test_a_proficiency_is_removed_after_confirming(client_for, framework_author, draft):
    proficiency = draft.proficiencies.get(code="1.2")
    client = client_for(framework_author)

    page = read(client.get(url("proficiency_remove", draft, proficiency.pk)))
    assert "Perform endotracheal suctioning" in page
    assert Proficiency.objects.filter(pk=proficiency.pk).exists()
    client.post(url("proficiency_remove", draft, proficiency.pk))

    assert not Proficiency.objects.filter(pk=proficiency.pk).exists()
    assert codes(proficiency.section) == ["1.1", "1.3"]


def test_proficiencies_move_within_their_section(client_for, framework_author, draft, respiratory):
    last = draft.proficiencies.get(code="1.3")
    client = client_for(framework_author)

    response = client.post(url("proficiency_move", draft, last.pk), {"direction": "up"})
    assert response.url == url("version", draft) + f"#proficiency-{last.pk}"
    assert codes(respiratory) == ["1.1", "1.3", "1.2"]
    client.post(url("proficiency_move", draft, last.pk), {"direction": "up"})
    assert codes(respiratory) == ["1.3", "1.1", "1.2"]
    # Already at the top: nothing changes, nothing breaks
    client.post(url("proficiency_move", draft, last.pk), {"direction": "up"})
    assert codes(respiratory) == ["1.3", "1.1", "1.2"]
    assert (
        draft.events.filter(kind=FrameworkVersionEvent.Kind.EDITED, note__startswith="Move").count()
        == 2
    )


# A version that is no longer a draft


@pytest.mark.parametrize(
    ("name", "needs"),
    [
        ("section_add", None),
        ("section_edit", "section"),
        ("section_remove", "section"),
        ("section_move", "section"),
        ("proficiency_add", "section"),
        ("proficiency_edit", "proficiency"),
        ("proficiency_remove", "proficiency"),
        ("proficiency_move", "proficiency"),
    ],
)
def test_a_version_in_review_is_not_edited(
    client_for, framework_author, draft, respiratory, name, needs
):
    version_submit_for_review(version=draft, by=framework_author)
    target = {"section": respiratory, "proficiency": draft.proficiencies.first(), None: None}[needs]
    address = url(name, draft, *([target.pk] if target else []))
    data = {**proficiency_data(code="9.9"), "title": "New", "direction": "down"}

    response = client_for(framework_author).post(address, data, follow=True)

    assert response.redirect_chain[-1][0] == url("version", draft)
    assert "is in review: a reviewer must return it to draft" in read(response)
    assert draft.proficiencies.count() == 5
    assert draft.sections.count() == 2
    assert codes(respiratory) == ["1.1", "1.2", "1.3"]


def test_a_published_version_is_not_edited(client_for, framework_author, published):
    response = client_for(framework_author).get(url("section_add", published), follow=True)

    assert "is published: draft a new version to change it" in read(response)


def test_an_edit_that_loses_a_race_is_explained(client_for, framework_author, draft, respiratory):
    """Someone sent the version for review between the page loading and the form arriving."""
    client = client_for(framework_author)
    client.get(url("proficiency_add", draft, respiratory.pk))
    from unittest import mock

    from stepwise.frameworks.models import FrozenVersionError

    with mock.patch(
        "stepwise.frameworks.services.proficiency_add",
        side_effect=FrozenVersionError("Step 1 version 1.0 is in review (sent for review by X)"),
    ):
        response = client.post(
            url("proficiency_add", draft, respiratory.pk), proficiency_data(), follow=True
        )

    assert "Step 1 version 1.0 is in review (sent for review by X)" in read(response)
