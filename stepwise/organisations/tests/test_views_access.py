"""Who reaches each Trust administration page: signed in, the right role, and only their own
Trust's people."""

import pytest
from django.urls import reverse

from stepwise.organisations.tests.conftest import membership_of, read

# (url name, takes a membership id, roles that may use it)
PAGES = [
    ("organisations:people", False, {"trust_admin", "educator"}),
    ("organisations:person_register", False, {"trust_admin", "educator"}),
    ("organisations:person_detail", True, {"trust_admin", "educator"}),
    ("organisations:person_roles", True, {"trust_admin"}),
    ("organisations:membership_end", True, {"trust_admin", "educator"}),
    ("organisations:invitation_resend", True, {"trust_admin", "educator"}),
    ("organisations:invitation_withdraw", True, {"trust_admin", "educator"}),
    ("organisations:approvals", False, {"trust_admin"}),
    ("organisations:approval_decide", True, {"trust_admin"}),
    ("organisations:settings", False, {"trust_admin"}),
    ("organisations:settings_new_link", False, {"trust_admin"}),
]
MEMBER_PAGES = [(name, roles) for name, takes_id, roles in PAGES if takes_id]


def url_for(name: str, takes_id: bool, member) -> str:
    return reverse(name, args=[member.pk] if takes_id else [])


@pytest.mark.parametrize(("name", "takes_id", "roles"), PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, learner, name, takes_id, roles):
    url = url_for(name, takes_id, membership_of(learner))
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:sign_in')}?next={url}"


@pytest.mark.parametrize(("name", "takes_id", "roles"), PAGES)
@pytest.mark.parametrize("persona", ["learner", "assessor", "educator", "trust_admin"])
def test_each_role_reaches_only_its_pages(
    request, client_for, learner, name, takes_id, roles, persona
):
    person = request.getfixturevalue(persona)
    client = client_for(person)
    response = client.get(url_for(name, takes_id, membership_of(learner)))
    if persona in roles:
        # The invitation is sent by POST only; everything else shows a page or explains.
        assert response.status_code in (200, 302, 405)
    else:
        assert response.status_code == 403
        assert "You do not have permission" in read(response)


POST_ONLY = {"organisations:invitation_resend", "organisations:invitation_withdraw"}


def requests_for(name: str) -> list[str]:
    # Sending or withdrawing an invitation is POST only: a GET is refused before anything is
    # looked up.
    return ["post"] if name in POST_ONLY else ["get", "post"]


@pytest.mark.parametrize(("name", "roles"), MEMBER_PAGES)
def test_another_trusts_membership_is_not_found(
    client_for, trust_admin, other_learner, name, roles
):
    client = client_for(trust_admin)
    url = reverse(name, args=[membership_of(other_learner).pk])
    for method in requests_for(name):
        response = getattr(client, method)(url, {"reason": "x", "decision": "approve"})
        assert response.status_code == 404
    assert other_learner.memberships.get().state == "active"


@pytest.mark.parametrize(("name", "roles"), MEMBER_PAGES)
def test_an_unknown_membership_is_not_found(client_for, trust_admin, name, roles):
    client = client_for(trust_admin)
    for method in requests_for(name):
        assert getattr(client, method)(reverse(name, args=[999999])).status_code == 404


def test_a_platform_admin_without_a_trust_role_is_refused(client_for, platform_admin):
    assert client_for(platform_admin).get(reverse("organisations:people")).status_code == 403


def test_an_educator_sees_people_but_not_the_admin_navigation(client_for, educator):
    html = read(client_for(educator).get(reverse("organisations:people")))
    assert f'href="{reverse("organisations:people")}"' in html
    assert f'href="{reverse("organisations:approvals")}"' not in html
    assert f'href="{reverse("organisations:settings")}"' not in html
