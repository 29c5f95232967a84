import pytest
from django.core.exceptions import ValidationError

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core.errors import ConflictError
from stepwise.frameworks.models import FrameworkCollaborator
from stepwise.frameworks.services import (
    collaborator_add,
    collaborator_remove,
    review_comment_add,
    trust_framework_offer,
    version_submit_for_review,
)


def test_it_adds_and_removes_a_collaborator(framework, framework_author):
    reviewer = PersonFactory()

    collaborator = collaborator_add(
        framework=framework, person=reviewer, role="reviewer", by=framework_author
    )
    assert collaborator.get_role_display() == "Reviewer"
    with pytest.raises(ConflictError, match="already a reviewer"):
        collaborator_add(
            framework=framework, person=reviewer, role="contributor", by=framework_author
        )

    collaborator_remove(collaborator=collaborator, by=framework_author)
    assert not FrameworkCollaborator.objects.exists()


def test_it_refuses_an_unknown_collaborator_role(framework, framework_author):
    with pytest.raises(ValueError):
        collaborator_add(framework=framework, person=PersonFactory(), role="owner", by=None)


def test_reviewers_comment_on_a_version_under_review(draft, framework_author):
    version_submit_for_review(version=draft, by=framework_author)
    reviewer = PersonFactory()

    comment = review_comment_add(version=draft, by=reviewer, body="  Check 1.2's wording. ")

    assert (comment.author, comment.body) == (reviewer, "Check 1.2's wording.")
    with pytest.raises(ValidationError):
        review_comment_add(version=draft, by=reviewer, body="")


def test_a_published_version_takes_no_more_comments(published):
    with pytest.raises(ConflictError, match="no longer open for comments"):
        review_comment_add(version=published, by=PersonFactory(), body="Too late")


def test_a_trust_offers_a_published_framework_once(trust, trust_admin, published):
    offer = trust_framework_offer(
        trust=trust,
        framework=published.framework,
        by=trust_admin,
        learners_may_enrol_themselves=True,
    )

    assert offer.learners_may_enrol_themselves is True
    assert offer.offered_by == trust_admin
    with pytest.raises(ConflictError, match="has offered Step 1 since"):
        trust_framework_offer(trust=trust, framework=published.framework, by=trust_admin)


def test_a_framework_needs_a_published_version_to_be_offered(trust, trust_admin, draft):
    with pytest.raises(ValidationError, match="no published version"):
        trust_framework_offer(trust=trust, framework=draft.framework, by=trust_admin)


def test_only_a_trust_offers_frameworks(trust, trust_admin, published):
    with pytest.raises(ValidationError, match="Only a Trust"):
        trust_framework_offer(trust=trust.units[0], framework=published.framework, by=trust_admin)
