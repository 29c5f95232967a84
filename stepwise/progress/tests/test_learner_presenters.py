"""The learner presenters work on objects in memory: no database here."""

from datetime import date
from types import SimpleNamespace

import pytest

from stepwise.accounts.models import User
from stepwise.frameworks.models import Framework, Section
from stepwise.organisations.models import Organisation
from stepwise.progress.models import (
    Action,
    ActionPlan,
    Decision,
    EnrolmentEvent,
    RecordEvent,
)
from stepwise.progress.presenters import (
    learner,
    learner_history,
    learner_record,
    learner_requests,
    learner_section,
)
from stepwise.progress.states import EnrolmentState, RecordState

from .factories import AT, TODAY, make_enrolment, make_record


class TestBar:
    @pytest.mark.parametrize(
        ("done", "total", "text", "maximum"),
        [
            (42, 120, "42 of 120 confirmed (35%)", 120),
            (0, 0, "0 of 0 confirmed (0%)", 1),
            (3, 3, "3 of 3 confirmed (100%)", 3),
        ],
    )
    def test_it_reads_as_text_too(self, done, total, text, maximum):
        bar = learner.Bar(done, total)
        assert (bar.text, bar.max) == (text, maximum)


class TestRules:
    @pytest.mark.parametrize(
        ("enrolment_state", "record_state", "assess", "evidence", "reopen"),
        [
            (EnrolmentState.ACTIVE, RecordState.NOT_STARTED, True, True, False),
            (EnrolmentState.ACTIVE, RecordState.REJECTED, True, True, False),
            (EnrolmentState.ACTIVE, RecordState.AWAITING_CONFIRMATION, False, False, False),
            (EnrolmentState.ACTIVE, RecordState.CONFIRMED, False, False, True),
            (EnrolmentState.SIGN_OFF_REQUESTED, RecordState.ACHIEVED, False, False, False),
            (EnrolmentState.SIGN_OFF_REQUESTED, RecordState.CONFIRMED, False, False, True),
            (EnrolmentState.WITHDRAWN, RecordState.ACHIEVED, False, False, False),
            (EnrolmentState.SIGNED_OFF, RecordState.CONFIRMED, False, False, False),
        ],
    )
    def test_what_the_learner_may_do(self, enrolment_state, record_state, assess, evidence, reopen):
        enrolment, record = make_enrolment(enrolment_state), make_record(state=record_state)
        assert learner.may_self_assess(enrolment, record) is assess
        assert learner.may_change_evidence(enrolment, record) is evidence
        assert learner.may_reopen(enrolment, record) is reopen

    def test_read_only_messages(self):
        assert learner.read_only_message(make_enrolment()) == ""
        withdrawn = make_enrolment(EnrolmentState.WITHDRAWN, withdrawn_at=AT)
        assert learner.read_only_message(withdrawn).startswith(
            "This enrolment was withdrawn on 5 March 2026."
        )
        signed = make_enrolment(EnrolmentState.SIGNED_OFF, signed_off_at=AT)
        assert "signed off on 5 March 2026" in learner.read_only_message(signed)
        waiting = make_enrolment(EnrolmentState.SIGN_OFF_REQUESTED)
        assert "withdraw your request for sign-off first" in learner.read_only_message(waiting)


class TestOverview:
    def test_due_dates_say_when_they_are_overdue(self):
        enrolment = make_enrolment(due_on=date(2026, 3, 1))
        enrolment.version.framework = Framework(title="Step 1")
        enrolment.trust = Organisation(name="Northshire")
        enrolment.confirmed, enrolment.total = 1, 4
        card = learner.enrolment_cards([enrolment], TODAY)[0]
        assert card.rows[2]["value"]["text"] == "1 March 2026 (overdue)"
        assert card.bar.text == "1 of 4 confirmed (25%)"
        assert card.href == "/enrolments/7/"
        enrolment.state = EnrolmentState.SIGNED_OFF
        assert learner.enrolment_cards([enrolment], TODAY)[0].rows[2]["value"]["text"] == (
            "1 March 2026"
        )

    def test_completion_reads_as_a_sentence(self):
        done = {
            "required": 9,
            "required_confirmed": 1,
            "optional_confirmed": 0,
            "optional_minimum": 2,
        }
        assert learner.completion_text(done) == (
            "1 of 9 required proficiencies and 0 of at least 2 optional confirmed"
        )
        done.update(required=1, optional_minimum=0)
        assert learner.completion_text(done) == "1 of 1 required proficiency confirmed"

    def test_next_steps_follow_the_state(self):
        active = make_enrolment()
        assert learner.next_steps(active, achieved=False, complete=False) == []
        texts = [s.text for s in learner.next_steps(active, achieved=True, complete=True)]
        assert texts == ["Ask for confirmation", "Ask for sign-off"]
        steps = learner.next_steps(
            active, achieved=True, complete=False, answerable=True, plans=True
        )
        assert [(s.text, s.href) for s in steps] == [
            ("Answer your proficiencies", "/enrolments/7/answers/"),
            ("Your action plans", "/enrolments/7/action-plans/"),
            ("Ask for confirmation", "/enrolments/7/ask/"),
        ]
        waiting = make_enrolment(EnrolmentState.SIGN_OFF_REQUESTED)
        texts = [
            s.text
            for s in learner.next_steps(
                waiting, achieved=True, complete=True, answerable=True, plans=True
            )
        ]
        assert texts == ["See your request for sign-off"]
        assert (
            learner.next_steps(
                make_enrolment(EnrolmentState.WITHDRAWN), achieved=True, complete=True
            )
            == []
        )

    def test_the_certificate_link_only_once_signed_off(self):
        assert learner.certificate_href(make_enrolment()) is None

    def test_actions_are_marked_overdue_and_done_ones_have_no_button(self):
        record = make_record()
        plan = ActionPlan(pk=1, record=record)
        late = Action(pk=4, plan=plan, description="Read the policy", due_on=date(2026, 3, 4))
        done = Action(pk=5, plan=plan, description="Shadow", due_on=date(2026, 3, 1), done_at=AT)
        rows = learner.action_rows(make_enrolment(), [late, done], TODAY)
        assert (rows[0].overdue, rows[0].done_href) == (True, "/actions/4/done/")
        assert (rows[1].overdue, rows[1].done_href) == (False, None)


class TestSectionPage:
    def test_saved_messages(self):
        assert (
            learner_section.saved_message(0)
            == "Your answers were already saved: nothing has changed"
        )
        assert learner_section.saved_message(1) == "1 answer saved"
        assert learner_section.saved_message(4) == "4 answers saved"

    def test_the_prompt_to_ask_appears_only_with_something_achieved(self):
        section = Section(pk=5)
        assert learner_section.ask_for_section(make_enrolment(), section, [make_record()]) is None
        achieved = [make_record(state=RecordState.ACHIEVED)]
        assert learner_section.ask_for_section(make_enrolment(), section, achieved) == (
            "/enrolments/7/ask/?section=5"
        )
        locked = make_enrolment(EnrolmentState.WITHDRAWN)
        assert learner_section.ask_for_section(locked, section, achieved) is None

    def test_neighbours_at_either_end(self):
        sections = [Section(pk=n, code=str(n), title=f"Part {n}") for n in (1, 2, 3)]
        enrolment = make_enrolment()
        assert set(learner_section.neighbours(enrolment, sections, sections[0])) == {"next"}
        middle = learner_section.neighbours(enrolment, sections, sections[1])
        assert middle["previous"]["labelText"] == "1 Part 1"
        assert middle["next"]["href"] == "/enrolments/7/sections/3/"
        assert set(learner_section.neighbours(enrolment, sections, sections[2])) == {"previous"}


class TestRecordPage:
    def test_evidence_sizes_in_djangos_words(self):
        enrolment, record = make_enrolment(), make_record(state=RecordState.ONGOING)
        items = [
            SimpleNamespace(
                pk=pk,
                original_name=f"file {pk}",
                size=size,
                uploaded_at=AT,
                get_kind_display=lambda: "PDF",
                file_expired=False,
                file_expired_at=None,
            )
            for pk, size in ((1, 900), (2, 2048), (3, 3 * 1024 * 1024 + 1))
        ]
        rows = learner_record.evidence_rows(enrolment, record, items)
        assert [row.size for row in rows] == ["900\xa0bytes", "2.0\xa0KB", "3.0\xa0MB"]

    def test_a_file_deleted_by_retention_is_named_without_a_link(self):
        enrolment, record = make_enrolment(), make_record(state=RecordState.ONGOING)
        item = SimpleNamespace(
            pk=1,
            original_name="ward log.pdf",
            size=900,
            uploaded_at=AT,
            get_kind_display=lambda: "PDF",
            file_expired=True,
            file_expired_at=AT,
        )
        [row] = learner_record.evidence_rows(enrolment, record, [item])
        assert (row.name, row.href, row.remove_href) == ("ward log.pdf", None, None)
        assert row.expired.startswith("File deleted on ")

    def test_decisions_say_who_where_and_what_they_correct(self):
        assessor = User(full_name="Ben Thompson")
        trust = Organisation(name="Northshire")
        earlier = Decision(pk=1, outcome=Decision.Outcome.REJECTED, at=AT)
        decision = Decision(
            pk=2,
            outcome=Decision.Outcome.CONFIRMED,
            assessor=assessor,
            trust=trust,
            registration_number="NMC 09B1234D",
            note="Seen twice",
            corrects=earlier,
            corrects_id=1,
            at=AT,
        )
        row = learner_record.decision_rows([decision])[0]
        assert (row.by, row.registration, row.where) == (
            "Ben Thompson",
            "NMC 09B1234D",
            "Northshire",
        )
        assert row.when == "5 March 2026, 2:30pm"
        assert row.note == "Corrects the decision of 5 March 2026. Seen twice"
        assert row.tag["classes"] == "nhsuk-tag--green"

    def test_reopen_refusals(self):
        confirmed = make_record(state=RecordState.CONFIRMED)
        assert learner_record.reopen_refusal(make_enrolment(), confirmed) == ""
        achieved = make_record(state=RecordState.ACHIEVED)
        assert "not confirmed" in learner_record.reopen_refusal(make_enrolment(), achieved)
        withdrawn = make_enrolment(EnrolmentState.WITHDRAWN, withdrawn_at=AT)
        assert "withdrawn" in learner_record.reopen_refusal(withdrawn, confirmed)


class TestHistory:
    def test_events_read_as_rows(self):
        person = User(full_name="Amara Okafor")
        trust = Organisation(name="Northshire")
        record = make_record()
        events = [
            EnrolmentEvent(kind="enrolled", actor=person, to_state="active", trust=trust, at=AT),
            RecordEvent(
                record=record,
                kind="self_assessed",
                actor=person,
                from_state="not_started",
                to_state="achieved",
                note="On shift",
                trust=trust,
                at=AT,
            ),
            RecordEvent(
                record=record,
                kind="evidence_added",
                actor=person,
                from_state="achieved",
                to_state="achieved",
                trust=trust,
                at=AT,
            ),
        ]
        items = learner_history.history_items(make_enrolment(), events)
        assert [i.what for i in items] == ["Enrolled", "Self-assessed", "Evidence added"]
        assert [i.change for i in items] == ["In progress", "Not started to Achieved", ""]
        assert items[0].href == "" and items[1].proficiency == "1.2"
        assert items[1].href == "/enrolments/7/proficiencies/11/"
        assert items[1].where == "Northshire"


class TestRequests:
    def test_achieved_records_are_grouped_by_section(self):
        chosen = [
            make_record(11, RecordState.ACHIEVED, "1.1", section_id=5),
            make_record(12, RecordState.ACHIEVED, "1.2", section_id=5),
            make_record(21, RecordState.ACHIEVED, "2.1", section_id=6),
        ]
        groups = learner_requests.checkbox_groups(chosen, {12}, first_id="id_records")
        assert [g.id_prefix for g in groups] == ["id_records", "id_records-section-6"]
        assert [[i["checked"] for i in g.items] for g in groups] == [[False, True], [False]]
        assert [g.summary for g in groups] == ["5 Section 5 (2 ready)", "6 Section 6 (1 ready)"]
        assert learner_requests.ready_text(chosen, groups) == (
            "3 achieved proficiencies in 2 sections are ready to send, and all of them are selected"
        )
        assert not any(g.open for g in groups)
        opened = learner_requests.checkbox_groups(chosen, set(), first_id="x", open_first=True)
        assert [g.open for g in opened] == [True, False]
        assert learner_requests.preselected(chosen, select="all") == {11, 12, 21}
        assert learner_requests.preselected(chosen, select="6") == {21}
        assert learner_requests.preselected(chosen, select="nonsense") == set()

    def test_the_learners_own_assessors_come_first(self):
        def member(pk, name, unit=None):
            return SimpleNamespace(
                person_id=pk,
                person=SimpleNamespace(pk=pk, full_name=name),
                unit_id=unit and unit.pk,
                unit=unit,
            )

        icu = Organisation(pk=9, name="ICU")
        people = [member(1, "Ada"), member(2, "Ben", icu), member(3, "Cal")]
        enrolment = make_enrolment(educator_id=3)
        choices = learner_requests.confirmer_choices(enrolment, people, {2})
        assert [label for _person, label in choices] == [
            "Ben (your assessor, ICU)",
            "Cal (your educator)",
            "Ada",
        ]
