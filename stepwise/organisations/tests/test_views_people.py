"""The People list: who is in the Trust, found by search and filters, a page at a time."""

import re

import pytest
from django.urls import reverse

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.organisations.models import Membership
from stepwise.organisations.tests.conftest import membership_of, read

URL = reverse("organisations:people")
# Session, person (with the header's count of unread notifications), their memberships,
# units, count, one page of people.
QUERIES = 6


def has_tag(html: str, colour: str, text: str) -> bool:
    return re.search(rf'nhsuk-tag--{colour}"\s*>\s*{text}\s*</strong>', html) is not None


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return read(response)


def test_it_lists_everyone_in_the_trust_with_what_staff_need(
    client_for, trust, trust_admin, learner, add_member, other_learner
):
    invited = add_member(password=False, is_assessor=True, unit=trust.units[1])
    html = page(client_for(trust_admin))
    for person in (learner, trust_admin, invited.person):
        assert person.full_name in html
        assert person.email in html
    assert other_learner.email not in html
    assert trust.units[1].name in html
    assert "Assessor" in html
    assert has_tag(html, "green", "Active")
    assert "Invited, no password yet" in html
    assert "Password set" in html
    assert reverse("organisations:person_detail", args=[invited.pk]) in html


def test_ended_memberships_are_hidden_unless_asked_for(
    client_for, trust_admin, add_member, waiting
):
    ended = add_member(state=Membership.State.ENDED)
    client = client_for(trust_admin)
    html = page(client)
    assert ended.person.email not in html
    assert waiting.person.email in html
    assert has_tag(html, "yellow", "Waiting for approval")
    html = page(client, state="ended")
    assert ended.person.email in html
    assert waiting.person.email not in html
    assert ended.person.email in page(client, state="all")
    html = page(client, state="awaiting_approval")
    assert waiting.person.email in html and trust_admin.email not in html


@pytest.mark.parametrize(
    "search",
    ["okafor", "AMARA OK", "amara.okafor@", "21a 4567c", "21A4567C"],
)
def test_search_finds_people_by_name_email_or_registration_number(
    client_for, trust_admin, add_member, search
):
    amara = PersonFactory(
        full_name="Amara Okafor",
        email="amara.okafor@example.org",
        registration_number="21A4567C",
    )
    add_member(person=amara)
    other = add_member()
    html = page(client_for(trust_admin), q=search)
    assert "Amara Okafor" in html
    assert other.person.email not in html
    assert "1 person" in html


def test_filters_by_unit_and_role(client_for, trust, trust_admin, add_member):
    general = add_member(unit=trust.units[0], is_assessor=True)
    cardiac = add_member(unit=trust.units[1], is_assessor=True)
    learner_in_cardiac = add_member(unit=trust.units[1], is_learner=True)
    client = client_for(trust_admin)
    html = page(client, unit=trust.units[1].pk, role="assessor")
    assert cardiac.person.email in html
    assert general.person.email not in html
    assert learner_in_cardiac.person.email not in html


def test_nothing_found_says_so(client_for, trust_admin):
    html = page(client_for(trust_admin), q="nobody-by-this-name")
    assert "No people match" in html
    assert "clear the filters" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"unit": "not-a-unit"}, "Choose a unit from the list"),
        ({"role": "surgeon"}, "Choose a role from the list"),
        ({"state": "deleted"}, "Choose a status from the list"),
        ({"q": "x" * 101}, "Search must be 100 characters or fewer"),
    ],
)
def test_bad_filters_are_explained_and_the_rest_still_apply(
    client_for, trust, trust_admin, add_member, params, message
):
    other_trust_unit_member = add_member(unit=trust.units[1], is_assessor=True)
    html = page(client_for(trust_admin), **{"role": "learner", **params})
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: People" in html
    if "role" not in params:
        # The valid role filter still applies alongside the bad one.
        assert other_trust_unit_member.person.email not in html


def test_a_unit_of_another_trust_is_not_a_choice(client_for, trust_admin, other_trust):
    html = page(client_for(trust_admin), unit=other_trust.units[0].pk)
    assert "Choose a unit from the list" in html
    assert other_trust.units[0].name not in html


def test_people_come_25_a_page_and_links_keep_the_filters(
    client_for, trust, trust_admin, add_member
):
    for _ in range(59):
        add_member(is_assessor=True)
    client = client_for(trust_admin)
    html = page(client, role="assessor")
    assert "Showing 1 to 25 of 59 people" in html
    assert html.count('class="nhsuk-table__row"') == 26  # a heading row and 25 people
    assert "nhsuk-pagination" in html
    assert 'href="?role=assessor&page=2"' in html
    assert 'href="?role=assessor&page=3"' in html
    last = page(client, role="assessor", page=3)
    assert "Showing 51 to 59 of 59 people" in last
    assert 'rel="prev"' in last and 'rel="next"' not in last
    # Out-of-range and nonsense page numbers show a page rather than an error.
    assert "Showing 51 to 59" in page(client, role="assessor", page=99)
    assert "Showing 1 to 25" in page(client, role="assessor", page="first")


@pytest.mark.parametrize("count", [5, 60])
def test_the_query_count_does_not_grow_with_the_number_of_people(
    client_for, trust, trust_admin, add_member, django_assert_max_num_queries, count
):
    for number in range(count):
        add_member(
            unit=trust.units[number % 2],
            is_assessor=bool(number % 3),
            password=bool(number % 4),
        )
    client = client_for(trust_admin)
    with django_assert_max_num_queries(QUERIES):
        page(client)
    with django_assert_max_num_queries(QUERIES):
        page(client, q="a", role="learner", state="all", unit=trust.units[0].pk, page=2)


def test_the_people_page_links_to_registering_someone(client_for, educator, trust_admin):
    html = page(client_for(educator))
    assert reverse("organisations:person_register") in html
    # Uploading a spreadsheet is for Trust administrators.
    assert reverse("organisations:bulk_upload") not in html
    assert reverse("organisations:bulk_upload") in page(client_for(trust_admin))


def test_a_person_appears_once_per_membership(client_for, trust_admin, learner, add_member):
    member = membership_of(learner)
    member.state = Membership.State.ENDED
    member.save()
    add_member(person=learner, is_assessor=True)
    html = page(client_for(trust_admin), state="all")
    assert html.count(learner.email) == 2
