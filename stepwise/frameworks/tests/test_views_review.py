"""Sending a version for review, comments, approving or returning it, publishing it after
approval, and retiring it."""

import pytest
from django.urls import reverse

from stepwise.frameworks.models import FrameworkVersion, FrameworkVersionEvent, ReviewComment
from stepwise.frameworks.services import (
    proficiency_remove,
    version_approve,
    version_draft,
    version_publish,
    version_submit_for_review,
)
from stepwise.frameworks.tests.conftest import read

State = FrameworkVersion.State


def url(name, version, *extra):
    return reverse(f"frameworks:{name}", args=[version.framework.slug, version.pk, *extra])


@pytest.fixture
def in_review(draft, framework_author):
    return version_submit_for_review(version=draft, by=framework_author)


@pytest.fixture
def approved(in_review, reviewer):
    return version_approve(version=in_review, by=reviewer)


# Sending for review


def test_a_contributor_sends_a_draft_for_review(client_for, contributor, draft):
    response = client_for(contributor).post(url("submit", draft), follow=True)

    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW
    assert "has been sent for review" in read(response)
    assert draft.events.filter(kind=FrameworkVersionEvent.Kind.SUBMITTED, actor=contributor)


def test_an_empty_draft_is_not_sent_for_review(client_for, framework_author, framework):
    empty = version_draft(framework=framework, by=framework_author)

    response = client_for(framework_author).post(url("submit", empty), follow=True)

    assert "Add at least one proficiency before sending the version for review" in read(response)
    empty.refresh_from_db()
    assert empty.state == State.DRAFT


def test_a_draft_asking_for_more_optional_proficiencies_than_it_has_is_not_sent(
    client_for, framework_author, draft
):
    FrameworkVersion.objects.filter(pk=draft.pk).update(minimum_optional=3)

    response = client_for(framework_author).post(url("submit", draft), follow=True)

    assert "asks for 3 optional proficiencies but has only 1" in read(response)


def test_sending_twice_is_explained(client_for, framework_author, in_review):
    response = client_for(framework_author).post(url("submit", in_review), follow=True)

    assert "is in review" in read(response)
    assert in_review.events.filter(kind=FrameworkVersionEvent.Kind.SUBMITTED).count() == 1


# Comments


def test_the_review_page_lists_comments_with_their_author_and_time(
    client_for, reviewer, framework_author, in_review
):
    ReviewComment.objects.create(version=in_review, author=reviewer, body="Check 1.2's wording.")

    page = read(client_for(framework_author).get(url("review", in_review)))

    assert f"{reviewer.full_name}, " in page
    assert "Check 1.2's wording." in page
    assert "Sent for review" in page  # the history
    assert "Approve" not in page  # authors are not reviewers


def test_a_reviewer_comments(client_for, reviewer, in_review):
    client = client_for(reviewer)

    response = client.post(url("review", in_review), {"body": "Split 2.1 in two."})

    assert response.url == url("review", in_review) + "#comments"
    comment = in_review.review_comments.get()
    assert (comment.author, comment.body) == (reviewer, "Split 2.1 in two.")


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Enter your comment"), ("   ", "Enter your comment"), ("x" * 5001, "5,000 characters")],
)
def test_a_bad_comment_is_explained(client_for, reviewer, in_review, body, message):
    response = client_for(reviewer).post(url("review", in_review), {"body": body})

    page = read(response)
    assert response.status_code == 200
    assert "Error: Review of Step 1" in page
    assert message in page
    assert not in_review.review_comments.exists()


def test_a_published_version_takes_no_more_comments(client_for, reviewer, published):
    client = client_for(reviewer)

    assert "Add comment" not in read(client.get(url("review", published)))
    response = client.post(url("review", published), {"body": "Too late"}, follow=True)

    assert "is published: it takes no more comments" in read(response)
    assert not published.review_comments.exists()


# Approving and returning


def test_a_reviewer_approves(client_for, reviewer, in_review):
    client = client_for(reviewer)
    assert "Approve" in read(client.get(url("review", in_review)))

    response = client.post(url("approve", in_review), follow=True)

    in_review.refresh_from_db()
    assert in_review.approved_by == reviewer
    assert "has been approved for publication" in read(response)


def test_approving_twice_is_explained(client_for, reviewer, approved):
    response = client_for(reviewer).post(url("approve", approved), follow=True)

    assert f"was already approved by {reviewer.full_name}" in read(response)


def test_a_draft_cannot_be_approved(client_for, reviewer, draft):
    response = client_for(reviewer).post(url("approve", draft), follow=True)

    assert "is a draft: send it for review first" in read(response)
    draft.refresh_from_db()
    assert draft.approved_at is None


def test_a_reviewer_returns_a_version_with_a_comment(client_for, reviewer, approved):
    client = client_for(reviewer)

    response = client.post(url("return", approved), {"comment": "Reorder section 2."})

    approved.refresh_from_db()
    assert response.url == url("version", approved)
    assert approved.state == State.DRAFT
    assert approved.approved_at is None  # the approval no longer counts
    assert approved.review_comments.get().body == "Reorder section 2."


def test_returning_needs_a_comment(client_for, reviewer, in_review):
    response = client_for(reviewer).post(url("return", in_review), {"comment": " "})

    assert response.status_code == 200
    assert "Enter what needs to change" in read(response)
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW


# Publishing


def test_publishing_waits_for_approval(client_for, framework_author, in_review):
    client = client_for(framework_author)

    for response in (
        client.get(url("publish", in_review), follow=True),
        client.post(url("publish", in_review), follow=True),
    ):
        assert "must be approved by a reviewer before it is published" in read(response)
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW


def test_the_publish_page_shows_the_changes_first(client_for, framework_author, published):
    draft = version_draft(framework=published.framework, by=framework_author)
    proficiency_remove(proficiency=draft.proficiencies.get(code="2.2"), by=framework_author)
    version_submit_for_review(version=draft, by=framework_author)
    version_approve(version=draft, by=framework_author)

    page = read(client_for(framework_author).get(url("publish", draft)))

    assert "Changes since version 1.0" in page
    assert "4 proficiencies unchanged" in page
    assert "Removed proficiencies" in page
    assert "Measure central venous pressure" in page
    assert "Publish version 2.0" in page


def test_an_author_publishes_an_approved_version(client_for, framework_author, approved):
    client = client_for(framework_author)
    assert "first version of Step 1" in read(client.get(url("publish", approved)))

    response = client.post(url("publish", approved), follow=True)

    approved.refresh_from_db()
    assert approved.state == State.PUBLISHED
    assert approved.published_by == framework_author
    assert "Version 1.0 of Step 1 has been published" in read(response)


def test_publishing_twice_is_explained(client_for, framework_author, approved):
    version_publish(version=approved, by=framework_author)

    response = client_for(framework_author).post(url("publish", approved), follow=True)

    assert "is published: draft a new version to change it" in read(response)


# Retiring


def test_retiring_asks_first_then_keeps_existing_enrolments_going(
    client_for, framework_author, published
):
    client = client_for(framework_author)
    page = read(client.get(url("retire", published)))
    assert "Learners already enrolled on it carry on" in page
    published.refresh_from_db()
    assert published.state == State.PUBLISHED

    response = client.post(url("retire", published), {"note": "Replaced by 2.0"}, follow=True)

    published.refresh_from_db()
    assert published.state == State.RETIRED
    assert published.events.get(kind=FrameworkVersionEvent.Kind.RETIRED).note == "Replaced by 2.0"
    assert "has been retired" in read(response)


def test_a_bad_retirement_reason_is_explained(client_for, framework_author, published):
    response = client_for(framework_author).post(url("retire", published), {"note": "=1+1"})

    assert response.status_code == 200
    assert "read as a formula" in read(response)
    published.refresh_from_db()
    assert published.state == State.PUBLISHED


def test_a_draft_cannot_be_retired(client_for, framework_author, draft):
    response = client_for(framework_author).post(url("retire", draft), follow=True)

    assert "is a draft: only a published version can be retired" in read(response)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
