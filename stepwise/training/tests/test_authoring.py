"""A package's versions go draft, review, published; a published one is frozen and the next
is drafted from it; only authors write; every change leaves an event."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from stepwise.core.errors import ConflictError
from stepwise.training.models import Audience, PackageVersion, TrainingEvent, TrainingPage
from stepwise.training.services import authoring
from stepwise.training.tests.conftest import make_package

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_published_version_is_frozen(framework_author, version):
    with pytest.raises(ConflictError, match="draft a new version"):
        authoring.page_save(version=version, by=framework_author, title="Sneaked in", body="x")
    with pytest.raises(ConflictError):
        authoring.version_update(
            version=version, by=framework_author, declaration="Changed", validity_months=""
        )
    page = version.pages.first()
    with pytest.raises(ConflictError):
        authoring.page_remove(version=version, by=framework_author, page=page)
    with pytest.raises(ConflictError):
        page.title = "Changed behind the service's back"
        page.save()
    assert version.pages.count() == 2


def test_a_new_version_is_drafted_from_the_published_one(framework_author, package, version):
    draft = authoring.version_draft(package=package, by=framework_author)
    assert draft.label == "2.0" and draft.based_on == version and draft.is_draft
    assert [(p.title, p.body) for p in draft.pages.all()] == [
        (p.title, p.body) for p in version.pages.all()
    ]
    assert draft.declaration == version.declaration
    with pytest.raises(ConflictError, match="already has a version in the making"):
        authoring.version_draft(package=package, by=framework_author)
    authoring.page_save(version=draft, by=framework_author, title="New in 2.0", body="More.")
    assert version.pages.count() == 2  # the published one is untouched


def test_review_returns_to_draft_with_a_comment_and_publishes(framework_author):
    package = authoring.package_create(
        slug="assessors",
        title="Training for assessors",
        audience=Audience.ASSESSOR,
        by=framework_author,
    )
    draft = package.versions.get()
    with pytest.raises(ValidationError, match="at least one required page"):
        authoring.version_submit(version=draft, by=framework_author)
    assert PackageVersion.objects.get(pk=draft.pk).is_draft
    authoring.page_save(version=draft, by=framework_author, title="Assessing", body="Words.")
    authoring.version_submit(version=draft, by=framework_author)
    with pytest.raises(ConflictError):
        authoring.page_save(version=draft, by=framework_author, title="Late", body="x")
    authoring.version_return(version=draft, by=framework_author, comment="Add an example")
    authoring.version_submit(version=draft, by=framework_author)
    authoring.version_publish(version=draft, by=framework_author)
    with pytest.raises(ConflictError, match="published already"):
        authoring.version_publish(version=draft, by=framework_author)
    kinds = list(TrainingEvent.objects.filter(package=package).values_list("kind", flat=True))
    assert kinds == [
        "package_created",
        "drafted",
        "page_added",
        "submitted",
        "returned",
        "submitted",
        "published",
    ]


def test_only_authors_write(learner, framework_author):
    with pytest.raises(ConflictError):
        authoring.package_create(slug="x", title="X", audience=Audience.LEARNER, by=learner)
    package = make_package(framework_author)
    with pytest.raises(ConflictError):
        authoring.version_draft(package=package, by=learner)


def test_a_video_needs_its_written_version_and_an_https_address(framework_author):
    package = authoring.package_create(
        slug="v", title="V", audience=Audience.LEARNER, by=framework_author
    )
    draft = package.versions.get()
    with pytest.raises(ValidationError) as error:
        authoring.page_save(
            version=draft, by=framework_author, title="Video", video_url="https://v.example/1"
        )
    assert "written version" in str(error.value.error_dict["video_text"])
    with pytest.raises(ValidationError) as error:
        authoring.page_save(
            version=draft,
            by=framework_author,
            title="Video",
            video_url="javascript:alert(1)",
            video_text="What it says",
        )
    assert "video_url" in error.value.error_dict
    page = authoring.page_save(
        version=draft,
        by=framework_author,
        title="Video",
        video_url="https://v.example/1",
        video_text="What it says",
    )
    assert page.video_text == "What it says"


def test_only_pdfs_are_attached(framework_author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    package = authoring.package_create(
        slug="f", title="F", audience=Audience.LEARNER, by=framework_author
    )
    draft = package.versions.get()
    fake = SimpleUploadedFile("guide.pdf", b"<html><script>x</script>", "application/pdf")
    with pytest.raises(ValidationError, match="must be a PDF"):
        authoring.page_save(
            version=draft, by=framework_author, title="Guide", body="See the file", upload=fake
        )
    real = SimpleUploadedFile("guide.pdf", PDF, "application/pdf")
    page = authoring.page_save(
        version=draft, by=framework_author, title="Guide", body="See the file", upload=real
    )
    assert TrainingPage.objects.get(pk=page.pk).attachment_name == "guide.pdf"


def test_a_drafts_pages_move_up_and_down(client_for, framework_author, package):
    draft = authoring.version_draft(package=package, by=framework_author)
    first, second = draft.pages.order_by("position")
    client = client_for(framework_author)
    url = f"/training-packages/{package.slug}/versions/{draft.pk}/pages/{second.pk}/move/"
    client.post(url, {"to": "up"})
    assert list(draft.pages.order_by("position").values_list("title", flat=True)) == [
        "Your role",
        "Welcome",
    ]
    client.post(url, {"to": "up"})  # already first: nothing moves
    assert draft.pages.order_by("position").first().title == "Your role"
    published = package.versions.get(state="published")
    with pytest.raises(ConflictError):
        authoring.page_move(
            version=published, by=framework_author, page=published.pages.first(), up=False
        )
