import pytest

from stepwise.frameworks.models import FrameworkVersionEvent
from stepwise.frameworks.services import review_comment_add, version_draft

MODELS = [
    "framework",
    "frameworkversion",
    "section",
    "proficiency",
    "frameworkversionevent",
    "reviewcomment",
    "trustframework",
]


@pytest.mark.parametrize("model", MODELS)
def test_the_platform_admin_lists_each_model(client_for, platform_admin, published, model):
    review_comment_add(
        version=version_draft(framework=published.framework, by=platform_admin),
        by=platform_admin,
        body="Looks right",
    )

    response = client_for(platform_admin).get(f"/platform-admin/frameworks/{model}/")

    assert response.status_code == 200


def test_a_published_version_and_its_content_are_read_only(client_for, platform_admin, published):
    client = client_for(platform_admin)
    proficiency = published.proficiencies.first()

    page = client.get(f"/platform-admin/frameworks/proficiency/{proficiency.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(
        f"/platform-admin/frameworks/proficiency/{proficiency.pk}/change/",
        {"code": proficiency.code, "statement": "Changed in the admin", "position": 1},
    )
    assert response.status_code == 403
    proficiency.refresh_from_db()
    assert proficiency.statement != "Changed in the admin"
    page = client.get(f"/platform-admin/frameworks/frameworkversion/{published.pk}/change/")
    assert b'name="_save"' not in page.content


@pytest.mark.parametrize("model", ["framework", "frameworkversion", "proficiency", "section"])
def test_nothing_can_be_deleted(client_for, platform_admin, draft, model):
    obj = {
        "framework": draft.framework,
        "frameworkversion": draft,
        "proficiency": draft.proficiencies.first(),
        "section": draft.sections.first(),
    }[model]

    response = client_for(platform_admin).post(
        f"/platform-admin/frameworks/{model}/{obj.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_an_edit_to_a_draft_in_the_admin_is_recorded(client_for, platform_admin, draft):
    proficiency = draft.proficiencies.get(code="1.1")

    response = client_for(platform_admin).post(
        f"/platform-admin/frameworks/proficiency/{proficiency.pk}/change/",
        {
            "code": "1.1",
            "statement": "Describe the anatomy of the upper airway",
            "guidance": "",
            "supernumerary": "on",
            "evidence_hints": "",
            "position": 1,
        },
    )

    assert response.status_code == 302
    proficiency.refresh_from_db()
    assert proficiency.statement == "Describe the anatomy of the upper airway"
    event = draft.events.last()
    assert event.kind == FrameworkVersionEvent.Kind.EDITED
    assert event.actor == platform_admin
    assert event.note.endswith("in the platform admin: statement")


def test_people_other_than_platform_admins_are_kept_out(client_for, framework_author):
    response = client_for(framework_author).get("/platform-admin/frameworks/framework/")

    assert response.status_code == 302
