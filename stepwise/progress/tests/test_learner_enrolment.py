"""The enrolment overview (progress by section, action plans, search, next steps) and the
enrolment's whole history."""

import re
from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Action, EnrolmentEvent, RecordEvent
from stepwise.progress.presenters.learner import completion_of
from stepwise.progress.queries.learner import section_progress
from stepwise.progress.services import (
    enrolment_create,
    enrolment_sign_off,
    enrolment_withdraw,
    sign_off_request,
)
from stepwise.progress.services.sign_off import completion
from stepwise.progress.states import RecordState

from .conftest import build_version
from .learner_support import (
    PIN,
    achieve,
    ask,
    confirm,
    confirm_everything_needed,
    read,
    records,
    reject,
    sign_in_redirect,
)


def overview(enrolment, **params) -> str:
    url = reverse("progress:enrolment", args=[enrolment.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def section_cells(html: str, title: str) -> list[str]:
    """The numbers in a section's row of the progress table."""
    row = html.split(title, 1)[1].split("</tr>", 1)[0]
    return re.findall(r'nhsuk-table__cell--numeric"[^>]*>\s*<span[^>]*>[^<]*</span>(\d+)', row)


def test_anonymous_people_are_asked_to_sign_in(client, enrolment):
    assert sign_in_redirect(client.get(overview(enrolment)))
    assert sign_in_redirect(client.get(reverse("progress:enrolment_history", args=[enrolment.pk])))


def test_another_learners_enrolment_is_not_found(client_for, trust, educator, offered, enrolment):
    someone = MembershipFactory(trust=trust, is_learner=True).person
    client = client_for(someone)
    assert client.get(overview(enrolment)).status_code == 404
    assert client.get(reverse("progress:enrolment_history", args=[enrolment.pk])).status_code == 404
    # Staff of the learner's own Trust use their own pages, not the learner's.
    assert client_for(educator).get(overview(enrolment)).status_code == 404


def test_it_shows_progress_by_section_with_counts_and_links(
    client_for, learner, assessor, trust, educator, offered, enrolment
):
    every = records(enrolment)
    confirm(enrolment, every[:2], assessor)
    ask(enrolment, [every[2]], assessor)
    achieve(enrolment, [every[4]])
    achieve(enrolment, [every[5]], state=RecordState.ONGOING)
    # Another learner's records on the same version must not be counted.
    someone = MembershipFactory(trust=trust, is_learner=True).person
    theirs = enrolment_create(
        learner=someone, version=offered, trust=trust, educator=educator, by=educator
    )
    achieve(theirs, records(theirs))

    html = read(client_for(learner).get(overview(enrolment)))

    section = offered.sections.get(position=1)
    assert reverse("progress:section", args=[enrolment.pk, section.pk]) in html
    assert "2 of 4 confirmed (50%)" in html
    # waiting, achieved, on going, rejected, not started
    assert section_cells(html, "1 Section 1") == ["1", "0", "0", "0", "1"]
    assert section_cells(html, "2 Section 2") == ["0", "1", "1", "0", "2"]
    assert "2 of 12 confirmed (16%)" in html
    assert "style=" not in html


def test_it_offers_to_ask_for_confirmation_only_when_something_is_achieved(
    client_for, learner, enrolment
):
    client = client_for(learner)
    ask_url = reverse("progress:request_confirmation", args=[enrolment.pk])
    assert ask_url not in read(client.get(overview(enrolment)))
    achieve(enrolment, records(enrolment)[:1])
    assert ask_url in read(client.get(overview(enrolment)))


def test_it_offers_sign_off_only_when_complete(client_for, learner, assessor, enrolment):
    client = client_for(learner)
    sign_off_url = reverse("progress:sign_off_request", args=[enrolment.pk])
    confirm(enrolment, records(enrolment)[:3], assessor)
    html = read(client.get(overview(enrolment)))
    assert sign_off_url not in html
    assert "3 of 9 required proficiencies and 0 of at least 1 optional confirmed" in html
    confirm_everything_needed(enrolment, assessor)
    assert sign_off_url in read(client.get(overview(enrolment)))


def test_the_overviews_completion_agrees_with_the_sign_off_rule(learner, assessor, enrolment):
    every = records(enrolment)
    required = [r for r in every if not r.proficiency.optional]
    optional = [r for r in every if r.proficiency.optional]
    for batch in ([], required[:3], required[3:], optional[:1], optional[1:]):
        if batch:
            confirm(enrolment, batch, assessor)
        assert completion_of(enrolment, section_progress(enrolment)) == completion(enrolment)
    assert completion(enrolment)["complete"]


def test_it_lists_open_action_plans_and_marks_overdue_ones(
    client_for, learner, assessor, enrolment
):
    first, second = records(enrolment)[:2]
    reject(enrolment, first, assessor)
    reject(enrolment, second, assessor)
    late = Action.objects.get(plan__record=second)
    Action.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))

    html = read(client_for(learner).get(overview(enrolment)))

    assert "Open action plans" in html
    assert "Practise under supervision" in html
    for action in Action.objects.all():
        assert reverse("progress:action_done", args=[action.pk]) in html
    assert len(re.findall(r'nhsuk-tag--red"\s*>\s*Overdue', html)) == 1
    assert reverse("progress:action_done", args=[late.pk]) in html
    assert reverse("progress:record", args=[enrolment.pk, second.pk]) in html


class TestSearch:
    def test_it_finds_by_code(self, client_for, learner, enrolment):
        html = read(client_for(learner).get(overview(enrolment, q="2.3")))
        assert "1 proficiency found" in html
        assert "Statement 2.3" in html
        record = next(r for r in records(enrolment) if r.proficiency.code == "2.3")
        assert reverse("progress:record", args=[enrolment.pk, record.pk]) in html

    def test_it_finds_by_statement_words(self, client_for, learner, enrolment):
        html = read(client_for(learner).get(overview(enrolment, q="statement+3.")))
        assert "4 proficiencies found" in html

    def test_it_filters_by_state(self, client_for, learner, enrolment):
        achieve(enrolment, records(enrolment)[3:5])
        html = read(client_for(learner).get(overview(enrolment, state="achieved")))
        assert "2 proficiencies found" in html
        assert "Statement 1.4" in html and "Statement 2.1" in html

    def test_nothing_found_says_so(self, client_for, learner, enrolment):
        html = read(client_for(learner).get(overview(enrolment, q="zebra")))
        assert "No proficiencies found" in html

    def test_a_bad_state_is_an_error_not_a_crash(self, client_for, learner, enrolment):
        response = client_for(learner).get(overview(enrolment, state="lost"))
        html = read(response)
        assert response.status_code == 200
        assert "<title>Error: " in html
        assert "Choose a status from the list" in html
        assert "found" not in main_of(html).split("Find a proficiency")[1]


def test_a_withdrawn_enrolment_is_read_only(client_for, learner, educator, enrolment):
    achieve(enrolment, records(enrolment)[:1])
    enrolment_withdraw(enrolment=enrolment, by=educator)
    html = read(client_for(learner).get(overview(enrolment)))
    assert "This enrolment was withdrawn on" in html
    assert reverse("progress:request_confirmation", args=[enrolment.pk]) not in html


def test_a_signed_off_enrolment_offers_its_certificate(
    client_for, learner, assessor, educator, enrolment
):
    confirm_everything_needed(enrolment, assessor)
    sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
    certificate = enrolment_sign_off(
        enrolment=enrolment,
        by=educator,
        declaration_agreed=True,
        registration_body=PIN[0],
        registration_number=PIN[1],
    )
    html = read(client_for(learner).get(overview(enrolment)))
    assert "This enrolment was signed off on" in html
    assert "Your certificate" in html
    try:
        download = reverse("certificates:download", kwargs={"serial": certificate.serial})
    except NoReverseMatch:  # the certificates pages are being built alongside
        assert "It will be available to download here shortly" in html
    else:
        assert download in html
    assert reverse("progress:sign_off_request", args=[enrolment.pk]) not in html


def bigger_enrolment(*, learner, trust, educator, assessor, size):
    per_section = size // 10
    version = build_version(slug=f"big-{size}", sections=10, per_section=per_section)
    TrustFramework.objects.create(trust=trust, framework=version.framework)
    enrolment = enrolment_create(
        learner=learner,
        version=version,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )
    every = records(enrolment)
    confirm(enrolment, every[:5], assessor)
    reject(enrolment, every[5], assessor)
    reject(enrolment, every[6], assessor)
    achieve(enrolment, every[10 : size // 2])
    return enrolment


@pytest.mark.parametrize("size", [120, 500])
def test_the_overview_costs_the_same_however_big_the_framework(
    client_for, learner, trust, educator, assessor, size, django_assert_max_num_queries
):
    enrolment = bigger_enrolment(
        learner=learner, trust=trust, educator=educator, assessor=assessor, size=size
    )
    client = client_for(learner)
    client.get(overview(enrolment))  # the session is saved once on the first visit
    with django_assert_max_num_queries(6):
        html = read(client.get(overview(enrolment)))
    assert f"5 of {size} confirmed" in html
    with django_assert_max_num_queries(7):
        html = read(client.get(overview(enrolment, q="statement", state="achieved")))
    assert f"{size // 2 - 10} proficiencies found" in html


def test_the_overview_reads_only_its_own_rows_beside_who_is_signed_in(
    client_for, learner, assessor, enrolment, django_assert_max_num_queries
):
    """The session, the person (with their unread count), their memberships; then the
    enrolment, its sections' counts and open actions. Nothing for the header alone, nor for
    whether a learner must give a security code (the session keeps that answer)."""
    ask(enrolment, records(enrolment)[:2], assessor=assessor)
    client = client_for(learner)
    client.get(overview(enrolment))  # the session is saved once on the first visit
    with django_assert_max_num_queries(6):
        html = read(client.get(overview(enrolment)))
    assert "Notifications (0)" in html


class TestHistory:
    def test_it_merges_enrolment_and_record_events_oldest_first(
        self, client_for, learner, assessor, enrolment
    ):
        first = records(enrolment)[0]
        confirm(enrolment, [first], assessor)
        html = read(
            client_for(learner).get(reverse("progress:enrolment_history", args=[enrolment.pk]))
        )
        table = main_of(html)
        order = [
            table.index("Enrolled"),
            table.index("Self-assessed"),
            table.index("Asked for confirmation"),
            table.index("Seen on shift"),
        ]
        assert order == sorted(order)
        assert "Not started to Achieved" in table
        assert "Waiting for confirmation to Confirmed" in table
        assert assessor.full_name in table
        assert enrolment.trust.name in table
        assert reverse("progress:record", args=[enrolment.pk, first.pk]) in table
        assert "4 events" in table

    def test_it_pages_fifty_at_a_time_at_a_constant_cost(
        self, client_for, learner, enrolment, django_assert_max_num_queries
    ):
        every = records(enrolment)
        for round_ in range(6):
            achieve(enrolment, every, reflection=f"Round {round_}")
        url = reverse("progress:enrolment_history", args=[enrolment.pk])
        total = EnrolmentEvent.objects.count() + RecordEvent.objects.count()
        assert total == 73
        client = client_for(learner)
        client.get(url)
        # Whether a learner must give a security code (ADR 17) is kept with the session.
        with django_assert_max_num_queries(8):
            first = read(client.get(url))
        with django_assert_max_num_queries(8):
            second = read(client.get(url + "?page=2"))
        assert "73 events" in first
        assert main_of(first).count("Self-assessed") == 49
        assert main_of(second).count("Self-assessed") == 23
        assert "Round 5" in second and "Round 5" not in first
        assert "?page=2" in first

    def test_a_page_past_the_end_shows_the_last_page(self, client_for, learner, enrolment):
        url = reverse("progress:enrolment_history", args=[enrolment.pk])
        response = client_for(learner).get(url + "?page=99")
        assert response.status_code == 200
        assert "Enrolled" in read(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/enrolments/{big}/"),
        ("get", "/enrolments/{big}/history/"),
        ("get", "/enrolments/{own}/sections/{big}/"),
        ("get", "/enrolments/{own}/proficiencies/{big}/"),
        ("get", "/enrolments/{own}/proficiencies/{big}/change-answer/"),
        ("get", "/enrolments/{big}/ask/"),
        ("get", "/enrolments/{big}/ask-for-sign-off/"),
        ("get", "/evidence/{big}/"),
        ("get", "/offers/{big}/enrol/"),
        ("post", "/evidence/{big}/remove/"),
        ("post", "/actions/{big}/done/"),
        ("post", "/requests/{big}/withdraw/"),
        ("post", "/enrolments/{big}/ask-for-sign-off/withdraw/"),
    ],
)
def test_forged_ids_even_absurd_ones_are_not_found(client_for, learner, enrolment, method, path):
    # Larger than any database integer: still a 404, never a crash.
    url = path.format(big="9" * 30, own=enrolment.pk)
    assert getattr(client_for(learner), method)(url).status_code == 404
