"""Who reaches each framework page: signed in, with the right framework role, and drafts kept
from everyone else (404), published versions refused (403)."""

import pytest
from django.urls import reverse

from stepwise.frameworks.services import version_draft
from stepwise.frameworks.tests.conftest import read
from stepwise.frameworks.tests.factories import FrameworkFactory, published_version

# Pages about the framework as a whole: (url name, who may use it besides authors and admins)
FRAMEWORK_PAGES = {
    "frameworks:framework": {"contributor", "reviewer"},
    "frameworks:collaborator_add": set(),
    "frameworks:collaborator_remove": set(),
    "frameworks:version_new": set(),
    "frameworks:import": set(),
}
# Pages about the draft: (url name, what it needs an id of, who may use it besides authors)
DRAFT_PAGES = {
    "frameworks:version": (None, {"contributor", "reviewer"}),
    "frameworks:preview": (None, {"contributor", "reviewer"}),
    "frameworks:changes": (None, {"contributor", "reviewer"}),
    "frameworks:review": (None, {"contributor", "reviewer"}),
    "frameworks:version_settings": (None, {"contributor"}),
    "frameworks:submit": (None, {"contributor"}),
    "frameworks:section_add": (None, {"contributor"}),
    "frameworks:section_edit": ("section", {"contributor"}),
    "frameworks:section_remove": ("section", {"contributor"}),
    "frameworks:section_move": ("section", {"contributor"}),
    "frameworks:proficiency_add": ("section", {"contributor"}),
    "frameworks:proficiency_edit": ("proficiency", {"contributor"}),
    "frameworks:proficiency_remove": ("proficiency", {"contributor"}),
    "frameworks:proficiency_move": ("proficiency", {"contributor"}),
}
# Pages about a version in review or published: who may use them besides admins
REVIEW_PAGES = {
    "frameworks:approve": {"reviewer"},
    "frameworks:return": {"reviewer"},
}
PUBLISHED_PAGES = {
    "frameworks:retire": {"framework_author"},
}
OTHER_PAGES = ["frameworks:list", "frameworks:create", "frameworks:template"]
# A GET to these is refused (405) before anything is looked up.
POST_ONLY = {"frameworks:submit", "frameworks:section_move", "frameworks:proficiency_move"}


@pytest.fixture
def world(framework, framework_author):
    """Step 1: version 1.0 published, version 2.0 a draft copied from it."""
    published = published_version(framework=framework, by=framework_author)
    draft = version_draft(framework=framework, by=framework_author)
    return {
        "framework": framework,
        "published": published,
        "draft": draft,
        "section": draft.sections.first(),
        "proficiency": draft.proficiencies.first(),
        "collaborator": None,
    }


def framework_url(name, world, collaborator=None) -> str:
    args = [world["framework"].slug]
    if name == "frameworks:collaborator_remove":
        args.append(collaborator.pk)
    return reverse(name, args=args)


def draft_url(name, world, version=None) -> str:
    needs, _ = DRAFT_PAGES.get(name, (None, None))
    version = version or world["draft"]
    args = [world["framework"].slug, version.pk]
    if needs:
        args.append(world[needs].pk)
    return reverse(name, args=args)


def every_url(world, collaborator) -> list[str]:
    return [
        *(reverse(name) for name in OTHER_PAGES),
        reverse("frameworks:template_download", args=["csv"]),
        *(framework_url(name, world, collaborator) for name in FRAMEWORK_PAGES),
        *(draft_url(name, world) for name in DRAFT_PAGES),
        *(draft_url(name, world, world["published"]) for name in REVIEW_PAGES),
        *(draft_url(name, world, world["published"]) for name in PUBLISHED_PAGES),
        reverse("frameworks:export", args=[world["framework"].slug, world["draft"].pk, "csv"]),
        reverse("frameworks:offers"),
    ]


def test_anonymous_people_are_sent_to_sign_in(client, world, reviewer):
    collaborator = world["framework"].collaborators.get()
    for url in every_url(world, collaborator):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, url
            assert response.url == f"{reverse('accounts:sign_in')}?next={url}"


def test_someone_without_a_framework_role_cannot_see_drafts_even_exist(client_for, world, outsider):
    client = client_for(outsider)
    for name in DRAFT_PAGES:
        url = draft_url(name, world)
        if name not in POST_ONLY:
            assert client.get(url).status_code == 404, url
        assert client.post(url, {"direction": "up"}).status_code == 404, url


def test_someone_without_a_framework_role_is_refused_everything_else(
    client_for, world, outsider, reviewer
):
    client = client_for(outsider)
    collaborator = world["framework"].collaborators.get()
    urls = [
        *(reverse(name) for name in OTHER_PAGES),
        reverse("frameworks:template_download", args=["xlsx"]),
        *(framework_url(name, world, collaborator) for name in FRAMEWORK_PAGES),
        reverse("frameworks:version", args=[world["framework"].slug, world["published"].pk]),
        reverse("frameworks:retire", args=[world["framework"].slug, world["published"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You do not have permission" in read(response)


@pytest.mark.parametrize("name", sorted(DRAFT_PAGES))
def test_each_draft_page_answers_only_its_people(
    client_for, world, framework_author, contributor, reviewer, name
):
    _needs, allowed = DRAFT_PAGES[name]
    url = draft_url(name, world)
    method = "post" if name in POST_ONLY else "get"
    for persona, person in [
        ("framework_author", framework_author),
        ("contributor", contributor),
        ("reviewer", reviewer),
    ]:
        response = getattr(client_for(person), method)(url, {"direction": "up"})
        if persona == "framework_author" or persona in allowed:
            assert response.status_code in (200, 302), (persona, url)
        else:
            assert response.status_code == 403, (persona, url)


@pytest.mark.parametrize("name", sorted(FRAMEWORK_PAGES))
def test_only_authors_manage_the_framework(
    client_for, world, framework_author, contributor, reviewer, name
):
    collaborator = world["framework"].collaborators.get(person=reviewer)
    url = framework_url(name, world, collaborator)
    for persona, person in [("contributor", contributor), ("reviewer", reviewer)]:
        status = client_for(person).get(url).status_code
        assert status == (200 if persona in FRAMEWORK_PAGES[name] else 403), (persona, url)
    assert client_for(framework_author).get(url).status_code in (200, 302)


def test_only_reviewers_approve_or_return(client_for, world, framework_author, reviewer):
    from stepwise.frameworks.services import version_submit_for_review

    draft = world["draft"]
    version_submit_for_review(version=draft, by=framework_author)
    for name in REVIEW_PAGES:
        url = draft_url(name, world, draft)
        # An author who is not a reviewer of this framework cannot approve their own work.
        assert client_for(framework_author).post(url).status_code == 403
    assert client_for(reviewer).get(draft_url("frameworks:return", world, draft)).status_code == 200


def test_only_authors_publish_and_retire(client_for, world, contributor, reviewer):
    published = world["published"]
    for person in (contributor, reviewer):
        client = client_for(person)
        assert client.get(draft_url("frameworks:retire", world, published)).status_code == 403
        assert client.get(draft_url("frameworks:publish", world, published)).status_code == 403


def test_a_collaborator_sees_only_their_frameworks(client_for, world, reviewer):
    other = FrameworkFactory(title="IV therapy passport", slug="iv-therapy")
    client = client_for(reviewer)

    page = read(client.get(reverse("frameworks:list")))

    assert "Step 1" in page
    assert "IV therapy passport" not in page
    assert "Create a framework" not in page
    assert client.get(reverse("frameworks:framework", args=[other.slug])).status_code == 403
    assert client.get(reverse("frameworks:create")).status_code == 403


def test_a_platform_admin_may_do_everything(client_for, world, platform_admin):
    client = client_for(platform_admin)
    for url in [
        reverse("frameworks:list"),
        reverse("frameworks:create"),
        framework_url("frameworks:framework", world),
        framework_url("frameworks:collaborator_add", world),
        draft_url("frameworks:version", world),
        draft_url("frameworks:section_edit", world),
        draft_url("frameworks:retire", world, world["published"]),
    ]:
        assert client.get(url).status_code == 200, url


def test_unknown_or_mismatched_addresses_are_not_found(client_for, world, framework_author):
    other = published_version(by=framework_author)
    client = client_for(framework_author)
    slug, draft = world["framework"].slug, world["draft"]
    urls = [
        reverse("frameworks:framework", args=["no-such-framework"]),
        reverse("frameworks:version", args=[slug, 999999]),
        # Another framework's version, under this framework's address
        reverse("frameworks:version", args=[slug, other.pk]),
        # Another version's section and proficiency, under the draft's address
        reverse("frameworks:section_edit", args=[slug, draft.pk, other.sections.first().pk]),
        reverse(
            "frameworks:proficiency_edit", args=[slug, draft.pk, other.proficiencies.first().pk]
        ),
        reverse("frameworks:export", args=[slug, draft.pk, "pdf"]),
        reverse("frameworks:template_download", args=["json"]),
        # The first version has nothing to compare with
        reverse("frameworks:changes", args=[slug, world["published"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_offers_are_for_trust_administrators_only(
    client_for, world, learner, educator, framework_author, trust_admin
):
    url = reverse("frameworks:offers")
    for person in (learner, educator, framework_author):
        assert client_for(person).get(url).status_code == 403
    assert client_for(trust_admin).get(url).status_code == 200
