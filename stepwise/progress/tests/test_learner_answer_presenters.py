"""The answer rows, pages and action plans presenters work on objects in memory: no
database here."""

from datetime import date
from types import SimpleNamespace

from stepwise.accounts.models import User
from stepwise.progress.models import Action, ActionPlan, Decision
from stepwise.progress.presenters import learner_answers, learner_plans, learner_record
from stepwise.progress.states import EnrolmentState, RecordState

from .factories import AT, TODAY, make_enrolment, make_record


class NoForm:
    """What the presenters read from a form, with nothing sent."""

    def shown(self, record):
        return record.state if record.state in ("achieved", "ongoing") else "", record.reflection

    def row_errors(self, record):
        return "", ""

    def ticked(self):
        return set()


def section(pk, total, code=None):
    return SimpleNamespace(pk=pk, code=code or str(pk), total=total)


class TestPages:
    def test_whole_sections_fill_a_page_up_to_the_limit(self):
        sections = [section(1, 60), section(2, 60), section(3, 40), section(4, 10)]
        pages = learner_answers.answer_pages(sections, limit=120)
        assert [p.section_ids for p in pages] == [[1, 2], [3, 4]]
        assert [p.label for p in pages] == ["Sections 1 to 2", "Sections 3 to 4"]
        assert [p.rows for p in pages] == [120, 50]

    def test_a_section_longer_than_a_page_has_a_page_of_its_own(self):
        pages = learner_answers.answer_pages([section(1, 5), section(2, 300)], limit=150)
        assert [p.section_ids for p in pages] == [[1], [2]]
        assert pages[1].label == "Section 2"

    def test_step_1_fits_on_one_page(self):
        # The sample Step 1: 122 proficiencies in 18 sections.
        sizes = [10, 8, 6, 9, 6, 7, 6, 6, 8, 6, 7, 6, 6, 7, 6, 7, 5, 6]
        pages = learner_answers.answer_pages([section(n, s) for n, s in enumerate(sizes, 1)])
        assert len(pages) == 1 and pages[0].rows == 122

    def test_page_numbers_out_of_range_are_the_first(self):
        assert [learner_answers.page_number(v, 3) for v in ("2", "0", "9", "x", None)] == [
            2,
            1,
            1,
            1,
            1,
        ]

    def test_links_to_the_pages_either_side(self):
        pages = learner_answers.answer_pages([section(n, 100) for n in (1, 2, 3)], limit=100)
        enrolment = make_enrolment()
        assert set(learner_answers.page_links(enrolment, pages, 1)) == {"next"}
        middle = learner_answers.page_links(enrolment, pages, 2)
        assert middle["previous"]["href"] == "/enrolments/7/answers/"
        assert middle["next"] == {"href": "/enrolments/7/answers/?page=3", "labelText": "Section 3"}


class TestRows:
    def test_each_row_says_what_the_learner_may_do(self):
        enrolment = make_enrolment()
        rows = [
            learner_answers.answer_row(enrolment, make_record(11, state, code), shown=shown)
            for state, code, shown in [
                (RecordState.ACHIEVED, "1.1", ("achieved", "")),
                (RecordState.CONFIRMED, "1.2", ("", "")),
                (RecordState.REJECTED, "1.3", ("", "")),
                (RecordState.NOT_STARTED, "1.4", ("nonsense", "")),
            ]
        ]
        assert [r.editable for r in rows] == [True, False, True, True]
        assert [r.answer for r in rows] == ["achieved", "", "", ""]
        assert rows[1].state_tag == {"text": "Confirmed", "classes": "nhsuk-tag--green"}
        assert rows[1].reopen_href == "/enrolments/7/proficiencies/11/change-answer/"
        assert rows[0].state_tag is None and rows[0].tags == []
        assert rows[2].tags == [{"text": "Rejected", "classes": "nhsuk-tag--red"}]
        assert rows[2].plan_href == "/enrolments/7/action-plans/#plan-11"
        assert rows[0].reflection_summary == "Add a reflection"

    def test_a_closed_enrolment_shows_the_saved_reflection_to_read(self):
        record = make_record(state=RecordState.ACHIEVED, reflection="Seen on shift")
        row = learner_answers.answer_row(
            make_enrolment(EnrolmentState.WITHDRAWN), record, shown=("ongoing", "typed")
        )
        assert (row.editable, row.answer, row.reflection) == (False, "", "Seen on shift")

    def test_a_row_with_an_error_carries_its_own_parameters(self):
        row = learner_answers.answer_row(
            make_enrolment(),
            make_record(),
            shown=("", "Notes"),
            errors=("Choose an answer for 1.2 to save your reflection", ""),
        )
        assert row.has_error
        assert row.radios_params["errorMessage"] == {
            "text": "Choose an answer for 1.2 to save your reflection"
        }
        assert row.radios_params["idPrefix"] == "id_answer-11"
        assert row.reflection_params["value"] == "Notes"
        assert "errorMessage" not in row.reflection_params
        assert learner_answers.answer_row(make_enrolment(), make_record()).radios_params is None

    def test_sections_group_rows_in_page_order(self):
        records = [
            make_record(11, code="1.1", section_id=5),
            make_record(12, code="1.2", section_id=5),
            make_record(21, code="2.1", section_id=6),
        ]
        sections = learner_answers.answer_sections(make_enrolment(), records, NoForm())
        assert [(s.heading, [r.code for r in s.rows]) for s in sections] == [
            ("5 Section 5", ["1.1", "1.2"]),
            ("6 Section 6", ["2.1"]),
        ]
        assert learner_answers.any_editable(sections)

    def test_the_stamps_hold_placeholders_only_where_rows_differ(self):
        version = make_enrolment().version
        params = learner_answers.stamp_params(version)
        assert set(params["radios"]) == {"", "achieved", "ongoing"}
        achieved = params["radios"]["achieved"]["items"]
        assert [i["checked"] for i in achieved] == [True, False]
        assert params["radios"][""]["name"] == "answer-__RECORD_ID__"
        assert params["textarea"]["value"] == "__TEXT__"
        assert set(params["placeholders"].values()) == {
            "__RECORD_ID__",
            "__CODE__",
            "__TEXT__",
            "__SUMMARY__",
            "__KIND__",
        }


class TestActionPlans:
    def plan(self, record, *actions):
        decision = Decision(
            pk=record.pk,
            assessor=User(full_name="Ben Thompson"),
            at=AT,
            note="Not yet",
        )
        plan = ActionPlan(pk=record.pk, record=record, decision=decision)
        plan.record_id = record.pk
        plan._prefetched_objects_cache = {"actions": list(actions)}
        return plan

    def test_plans_are_grouped_by_proficiency_with_actions_to_tick(self):
        first = make_record(11, RecordState.REJECTED, "1.1")
        second = make_record(12, RecordState.ACHIEVED, "1.2")
        late = Action(pk=4, description="Read the policy", due_on=date(2026, 3, 4))
        done = Action(pk=5, description="Shadow", due_on=date(2026, 3, 1), done_at=AT)
        later = Action(pk=6, description="Practise", due_on=date(2026, 4, 1))
        plans = [self.plan(first, late, done), self.plan(second, later)]

        items = learner_plans.plan_items(make_enrolment(), plans, NoForm(), TODAY)

        assert [i.row.code for i in items] == ["1.1", "1.2"]
        assert items[0].row.plan_href is None  # no link back to this very page
        actions = items[0].plans[0].actions
        assert [(a.id, a.overdue, a.may_tick, a.done) for a in actions] == [
            (4, True, True, ""),
            (5, False, False, "Done 5 March 2026"),
        ]
        assert items[0].plans[0].heading == "Action plan from Ben Thompson, 5 March 2026"
        assert learner_plans.plan_records(plans) == [first, second]

    def test_saved_messages(self):
        assert learner_plans.saved_message(2, 1) == "1 action marked as done and 2 answers saved"
        assert learner_plans.saved_message(0, 3) == "3 actions marked as done"
        assert learner_plans.saved_message(1, 0) == "1 answer saved"
        assert learner_plans.saved_message(0, 0).startswith("Your answers were already saved")


def test_evidence_added_reads_as_a_list():
    record = make_record()
    assert learner_record.added_message(record, ["a.pdf"]) == "a.pdf has been added to 1.2"
    assert learner_record.added_message(record, ["a.pdf", "b.png", "c.jpg"]) == (
        "a.pdf, b.png and c.jpg have been added to 1.2"
    )


def test_a_proficiencys_page_links_to_the_next_step():
    def links(state, enrolment_state=EnrolmentState.ACTIVE):
        enrolment = make_enrolment(enrolment_state)
        record = make_record(state=state)
        record.enrolment = enrolment
        return [(link.text, link.href) for link in learner_record.record_links(enrolment, record)]

    assert ("Ask for confirmation", "/enrolments/7/ask/") in links(RecordState.ACHIEVED)
    assert ("Answer your action plans", "/enrolments/7/action-plans/#plan-11") in links(
        RecordState.REJECTED
    )
    assert links(RecordState.ACHIEVED, EnrolmentState.WITHDRAWN) == []
