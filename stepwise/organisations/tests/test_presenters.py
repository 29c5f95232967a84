"""Presenters work on objects in memory: no database here."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict

from stepwise.accounts.models import User
from stepwise.organisations import presenters
from stepwise.organisations.models import Membership, MembershipEvent, Organisation

LONDON = ZoneInfo("Europe/London")


def person(**fields) -> User:
    fields.setdefault("full_name", "Amara Okafor")
    fields.setdefault("email", "amara@example.org")
    someone = User(pk=fields.pop("pk", 7), **fields)
    someone.set_password("a-long-password-1")
    return someone


def invited(**fields) -> User:
    someone = person(**fields)
    someone.set_unusable_password()
    return someone


def membership(who=None, **fields) -> Membership:
    trust = Organisation(pk=1, kind=Organisation.Kind.TRUST, name="Northshire")
    fields.setdefault("state", Membership.State.ACTIVE)
    fields.setdefault("is_learner", True)
    fields.setdefault("started_on", date(2026, 3, 5))
    consented = fields.pop("joined_by_consent", True)
    member = Membership(pk=fields.pop("pk", 11), person=who or person(), trust=trust, **fields)
    # As the people queries annotate it: whether the person agreed to join (not invited and
    # never accepted).
    member.joined_by_consent = consented
    return member


def staff(*, admin: bool, pk: int = 99) -> Membership:
    return membership(
        person(pk=pk, full_name="Staff Member"),
        pk=pk,
        is_learner=False,
        is_trust_admin=admin,
        is_educator=not admin,
    )


class TestPersonRows:
    def test_it_shows_what_the_people_table_needs(self):
        unit = Organisation(pk=3, kind=Organisation.Kind.UNIT, name="General ICU")
        [row] = presenters.person_rows([membership(invited(), unit=unit, is_assessor=True)])
        assert row == presenters.PersonRow(
            name="Amara Okafor",
            href="/people/11/",
            email="amara@example.org",
            unit="General ICU",
            roles="Learner, Assessor",
            state={"text": "Active", "colour": "green"},
            account="Invited, no password yet",
        )

    @pytest.mark.parametrize(
        ("state", "text", "colour"),
        [
            (Membership.State.ACTIVE, "Active", "green"),
            (Membership.State.AWAITING_APPROVAL, "Waiting for approval", "yellow"),
            (Membership.State.ENDED, "Ended", "grey"),
            (Membership.State.DECLINED, "Declined", "red"),
        ],
    )
    def test_each_state_has_its_own_tag(self, state, text, colour):
        assert presenters.state_tag(membership(state=state)) == {"text": text, "colour": colour}

    def test_someone_without_a_unit_says_so(self):
        assert presenters.person_rows([membership()])[0].unit == "No unit"


class TestPersonPage:
    def test_only_a_trust_admin_gets_change_links(self):
        member = membership()
        admin_rows = presenters.membership_details(member, staff(admin=True))
        educator_rows = presenters.membership_details(member, staff(admin=False))
        assert admin_rows[1]["actions"]["items"][0] == {
            "href": "/people/11/roles/",
            "text": "Change",
            "visuallyHiddenText": "roles",
        }
        assert all("actions" not in row for row in educator_rows)

    def test_the_status_row_is_a_tag_and_ended_memberships_show_when(self):
        rows = presenters.membership_details(
            membership(state=Membership.State.ENDED, ended_on=date(2026, 4, 1)),
            staff(admin=True),
        )
        assert rows[2] == {"key": {"text": "Status"}, "tag": {"text": "Ended", "colour": "grey"}}
        assert rows[-1]["value"]["text"] == "1 April 2026"
        assert all("actions" not in row for row in rows)

    def test_missing_details_read_not_given(self):
        rows = presenters.person_details(membership(person(job_title="")))
        assert {"key": {"text": "Job title"}, "value": {"text": "Not given"}} in rows

    def test_history_reads_as_sentences(self):
        event = MembershipEvent(
            kind=MembershipEvent.Kind.ENDED,
            actor=person(full_name="Deepak Patel"),
            from_state=Membership.State.ACTIVE,
            to_state=Membership.State.ENDED,
            note="Moved Trust",
            at=datetime(2026, 3, 5, 14, 30, tzinfo=LONDON),
        )
        system = MembershipEvent(kind=MembershipEvent.Kind.INVITED, at=event.at)
        assert presenters.history([event, system]) == [
            presenters.HistoryItem(
                when="5 March 2026, 2:30pm",
                what="Left the Trust",
                by="Deepak Patel",
                note="Active to Ended; Moved Trust",
            ),
            presenters.HistoryItem(
                when="5 March 2026, 2:30pm", what="Invitation sent", by="Stepwise", note=""
            ),
        ]


class TestActions:
    def texts(self, member, viewer) -> list[str]:
        return [action.text for action in presenters.person_actions(member, viewer)]

    def test_a_trust_admin_can_do_everything_to_an_invited_person(self):
        assert self.texts(membership(invited()), staff(admin=True)) == [
            "Change roles or unit",
            "Send the invitation again",
            "Reset two-step sign-in",
            "End membership",
        ]

    def test_an_educator_cannot_change_roles_or_end_a_trust_admin(self):
        educator = staff(admin=False)
        assert self.texts(membership(), educator) == ["End membership"]
        admin = membership(is_trust_admin=True)
        assert self.texts(admin, educator) == []

    def test_nobody_is_offered_ending_their_own_membership(self):
        admin = staff(admin=True)
        assert "End membership" not in self.texts(admin, admin)

    def test_a_waiting_registration_is_decided_not_ended(self):
        waiting = membership(state=Membership.State.AWAITING_APPROVAL)
        assert self.texts(waiting, staff(admin=True)) == [
            "Approve or decline registration",
            "Change roles or unit",
        ]
        assert self.texts(waiting, staff(admin=False)) == []

    def test_an_ended_membership_has_no_actions(self):
        ended = membership(invited(), state=Membership.State.ENDED)
        assert self.texts(ended, staff(admin=True)) == []

    def test_sending_again_is_a_post(self):
        [resend] = [
            action
            for action in presenters.person_actions(membership(invited()), staff(admin=True))
            if action.post
        ]
        assert resend.href == "/people/11/invite/"


class TestPagination:
    def page(self, number: int, count: int = 200):
        return Paginator(list(range(count)), 25).page(number)

    def test_one_page_needs_no_pagination(self):
        assert presenters.pagination(self.page(1, count=25), QueryDict()) is None

    def test_links_keep_the_filters_and_elide_the_middle(self):
        query = QueryDict("q=amara&role=learner&page=6")
        params = presenters.pagination(self.page(6, count=300), query)
        numbers = [item.get("number", "…") for item in params["items"]]
        assert numbers == [1, "…", 5, 6, 7, "…", 12]
        assert params["previous"] == {"href": "?q=amara&role=learner&page=5"}
        assert params["next"] == {"href": "?q=amara&role=learner&page=7"}
        assert [item for item in params["items"] if item.get("current")] == [
            {"number": 6, "href": "?q=amara&role=learner&page=6", "current": True}
        ]

    def test_the_first_and_last_pages_have_one_direction(self):
        assert "previous" not in presenters.pagination(self.page(1), QueryDict())
        assert "next" not in presenters.pagination(self.page(8), QueryDict())

    @pytest.mark.parametrize(
        ("count", "number", "text"),
        [
            (0, 1, "No people match"),
            (1, 1, "1 person"),
            (25, 1, "25 people"),
            (60, 3, "Showing 51 to 60 of 60 people"),
        ],
    )
    def test_showing_says_how_many(self, count, number, text):
        page = Paginator(list(range(count)), 25).get_page(number)
        assert presenters.showing(page) == text


def test_the_registration_link_is_the_full_address(settings):
    settings.SITE_URL = "https://stepwise.example.nhs.uk"
    trust = Organisation(kind=Organisation.Kind.TRUST, registration_code="abc123")
    assert presenters.registration_link(trust) == "https://stepwise.example.nhs.uk/join/abc123/"
    assert presenters.registration_link(Organisation(registration_code=None)) == ""
