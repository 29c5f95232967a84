import pytest
from django.core.exceptions import ValidationError

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core.errors import ConflictError
from stepwise.frameworks.models import (
    DEFAULT_ACHIEVED_LABEL,
    DEFAULT_LEARNER_DECLARATION,
    FrameworkVersion,
    FrameworkVersionEvent,
    FrozenVersionError,
    Proficiency,
)
from stepwise.frameworks.services import (
    framework_create,
    next_label,
    version_approve,
    version_draft,
    version_import,
    version_publish,
    version_retire,
    version_return,
    version_submit_for_review,
    version_update,
)
from stepwise.frameworks.tests.factories import content, draft_version

State = FrameworkVersion.State
Kind = FrameworkVersionEvent.Kind


def kinds(version):
    return list(version.events.values_list("kind", "from_state", "to_state"))


def test_it_creates_a_framework(framework_author):
    framework = framework_create(
        slug="step-2", title=" Step 2 ", description="For experienced nurses.", by=framework_author
    )

    assert framework.title == "Step 2"
    assert framework.created_by == framework_author


def test_it_refuses_a_framework_address_in_use(framework, framework_author):
    with pytest.raises(ConflictError, match="step-1 already exists"):
        framework_create(slug="step-1", title="Another", by=framework_author)


@pytest.mark.parametrize("slug", ["", "Step 1", "step_1!", "STEP"])
def test_it_refuses_a_bad_framework_address(framework_author, slug):
    with pytest.raises(ValidationError):
        framework_create(slug=slug, title="Step", by=framework_author)


def test_it_starts_an_empty_first_draft_with_default_settings(framework, framework_author):
    version = version_draft(framework=framework, by=framework_author)

    assert version.label == "1.0"
    assert version.state == State.DRAFT
    assert version.based_on is None
    assert version.achieved_label == DEFAULT_ACHIEVED_LABEL
    assert version.learner_declaration == DEFAULT_LEARNER_DECLARATION
    assert str(version.document_uuid) == str(version.document_uuid).lower()
    assert kinds(version) == [(Kind.DRAFTED, "", State.DRAFT)]
    assert version.events.get().note == "Started empty"


def test_it_allows_one_version_in_the_making_at_a_time(draft, framework_author):
    with pytest.raises(ConflictError, match="already a draft"):
        version_draft(framework=draft.framework, by=framework_author)


def test_it_drafts_the_next_version_from_the_latest_published_one(published, framework_author):
    FrameworkVersion.objects.filter(pk=published.pk).update(minimum_optional=1)

    version = version_draft(framework=published.framework, by=framework_author)

    assert version.label == "2.0"
    assert version.based_on == published
    assert version.minimum_optional == 1
    assert version.document_uuid != published.document_uuid
    old = list(published.proficiencies.order_by("code").values_list("uuid", "code", "statement"))
    new = list(version.proficiencies.order_by("code").values_list("uuid", "code", "statement"))
    assert new == old
    assert list(version.sections.values_list("uuid", flat=True)) == list(
        published.sections.values_list("uuid", flat=True)
    )
    assert version.events.get().note == "Copied from version 1.0"


def test_it_can_start_the_next_version_empty(published, framework_author):
    version = version_draft(framework=published.framework, by=framework_author, empty=True)

    assert version.based_on == published
    assert not version.proficiencies.exists()


def test_it_refuses_a_label_in_use(published, framework_author):
    with pytest.raises(ValidationError, match="already has a version 1.0"):
        version_draft(framework=published.framework, by=framework_author, label="1.0")


def test_it_numbers_versions_after_the_highest_major(framework, framework_author):
    assert next_label(framework) == "1.0"
    draft_version(framework=framework, by=framework_author, label="3.2")
    assert next_label(framework) == "4.0"


def test_an_import_keeps_the_file_label_unless_it_is_taken(published, framework_author):
    file_content = content()
    file_content.label = "1.0"

    version = version_import(
        framework=published.framework, content=file_content, by=framework_author
    )

    assert version.label == "2.0"
    assert version.based_on == published


def test_an_import_keeps_section_identities_by_code(published, framework_author):
    version = version_import(framework=published.framework, content=content(), by=framework_author)

    assert set(version.sections.values_list("code", "uuid")) == set(
        published.sections.values_list("code", "uuid")
    )
    # Proficiencies without a UUID in the file are new ones.
    assert not set(version.proficiencies.values_list("uuid", flat=True)) & set(
        published.proficiencies.values_list("uuid", flat=True)
    )


def test_it_goes_from_draft_to_published(draft, framework_author):
    reviewer = PersonFactory()

    version_submit_for_review(version=draft, by=framework_author)
    version_approve(version=draft, by=reviewer)
    version_publish(version=draft, by=reviewer)

    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    assert draft.approved_by == reviewer
    assert draft.published_by == reviewer
    assert draft.published_at is not None
    assert kinds(draft)[1:] == [
        (Kind.SUBMITTED, State.DRAFT, State.IN_REVIEW),
        (Kind.APPROVED, State.IN_REVIEW, State.IN_REVIEW),
        (Kind.PUBLISHED, State.IN_REVIEW, State.PUBLISHED),
    ]
    assert draft.events.last().actor == reviewer


def test_it_publishes_only_after_approval(draft, framework_author):
    version_submit_for_review(version=draft, by=framework_author)

    with pytest.raises(ConflictError, match="must be approved"):
        version_publish(version=draft, by=framework_author)

    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW


def test_it_cannot_publish_a_draft(draft, framework_author):
    with pytest.raises(ConflictError, match="is a draft"):
        version_publish(version=draft, by=framework_author)


def test_a_second_approval_is_refused_with_who_approved(draft, framework_author):
    version_submit_for_review(version=draft, by=framework_author)
    first = PersonFactory(full_name="Ruth Adeyemi")
    version_approve(version=draft, by=first)

    with pytest.raises(ConflictError, match="already approved by Ruth Adeyemi"):
        version_approve(version=draft, by=PersonFactory())


def test_a_second_publish_of_a_stale_copy_is_refused(draft, framework_author):
    version_submit_for_review(version=draft, by=framework_author)
    version_approve(version=draft, by=framework_author)
    stale = FrameworkVersion.objects.get(pk=draft.pk)
    version_publish(version=draft, by=framework_author)

    with pytest.raises(ConflictError, match="is published"):
        version_publish(version=stale, by=framework_author)
    assert draft.events.filter(kind=Kind.PUBLISHED).count() == 1


def test_it_needs_proficiencies_before_review(framework, framework_author):
    version = version_draft(framework=framework, by=framework_author)

    with pytest.raises(ValidationError, match="at least one proficiency"):
        version_submit_for_review(version=version, by=framework_author)


def test_it_needs_enough_optional_proficiencies_for_the_minimum(draft, framework_author):
    version_update(version=draft, by=framework_author, minimum_optional=2)

    with pytest.raises(ValidationError, match="asks for 2 optional proficiencies but has only 1"):
        version_submit_for_review(version=draft, by=framework_author)

    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert not draft.events.filter(kind=Kind.SUBMITTED).exists()


def test_returning_a_version_needs_a_comment_and_clears_the_approval(draft, framework_author):
    reviewer = PersonFactory()
    version_submit_for_review(version=draft, by=framework_author)
    version_approve(version=draft, by=reviewer)

    with pytest.raises(ValidationError):
        version_return(version=draft, by=reviewer, comment="  ")
    version_return(version=draft, by=reviewer, comment="Split 1.2 into two proficiencies.")

    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert draft.approved_at is None and draft.approved_by is None
    assert draft.review_comments.get().body == "Split 1.2 into two proficiencies."
    event = draft.events.last()
    assert (event.kind, event.note) == (Kind.RETURNED, "Split 1.2 into two proficiencies.")


def test_it_retires_a_published_version(published, framework_author):
    version_retire(version=published, by=framework_author, note="Replaced by 2.0")

    assert published.state == State.RETIRED
    assert published.retired_at is not None
    assert kinds(published)[-1] == (Kind.RETIRED, State.PUBLISHED, State.RETIRED)


def test_it_cannot_retire_a_draft(draft, framework_author):
    with pytest.raises(ConflictError):
        version_retire(version=draft, by=framework_author)


def test_it_changes_a_drafts_settings(draft, framework_author):
    version_update(
        version=draft,
        by=framework_author,
        label="1.1",
        achieved_label="Competent",
        minimum_optional="1",
        assessor_declaration="I confirm it.",
    )

    assert (draft.label, draft.achieved_label, draft.minimum_optional) == ("1.1", "Competent", 1)
    assert draft.events.last().kind == Kind.SETTINGS_CHANGED


def test_it_lists_every_bad_setting(draft, framework_author):
    with pytest.raises(ValidationError) as error:
        version_update(
            version=draft, by=framework_author, minimum_optional=-1, learner_declaration=""
        )

    assert set(error.value.message_dict) == {"minimum_optional", "learner_declaration"}


def test_it_refuses_settings_it_does_not_know(draft, framework_author):
    with pytest.raises(TypeError):
        version_update(version=draft, by=framework_author, state="published")


def test_a_published_versions_settings_are_frozen(published, framework_author):
    with pytest.raises(FrozenVersionError, match="draft a new version"):
        version_update(version=published, by=framework_author, minimum_optional=0)


def test_saving_a_published_version_is_refused(published):
    published.learner_declaration = "Changed behind the services' back"

    with pytest.raises(FrozenVersionError):
        published.save()


def test_saving_or_deleting_published_content_is_refused(published):
    proficiency = published.proficiencies.first()
    proficiency.statement = "Changed"

    with pytest.raises(FrozenVersionError):
        proficiency.save()
    with pytest.raises(FrozenVersionError):
        proficiency.delete()
    with pytest.raises(FrozenVersionError):
        published.sections.first().save()
    assert Proficiency.objects.get(pk=proficiency.pk).statement != "Changed"


def test_an_import_inserts_in_bulk_not_row_by_row(
    framework, framework_author, django_assert_max_num_queries
):
    spec = [
        (str(s), f"Section {s}", [(f"{s}.{p}", "Do it", {}) for p in range(100)])
        for s in range(1, 11)
    ]

    # 1,000 proficiencies: a dozen batches on SQLite, one on PostgreSQL, never 1,000 inserts.
    with django_assert_max_num_queries(30):
        version = version_import(framework=framework, content=content(spec), by=framework_author)

    assert version.proficiencies.count() == 1000
