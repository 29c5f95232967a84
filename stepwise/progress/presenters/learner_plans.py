"""What the action plans page shows: each proficiency with an open plan, the assessor's
feedback and actions (to tick when done), and its answer row to answer it again. Tested
without a database."""

from dataclasses import dataclass, field, replace
from datetime import date

from stepwise.core import formatting
from stepwise.progress.presenters.learner import may_mark_done
from stepwise.progress.presenters.learner_answers import AnswerRow, answer_row


@dataclass(frozen=True)
class ActionItem:
    id: int
    description: str
    due: str
    overdue: bool
    done: str
    may_tick: bool
    ticked: bool


@dataclass(frozen=True)
class PlanView:
    heading: str
    note: str
    actions: list[ActionItem]


@dataclass(frozen=True)
class PlanItem:
    row: AnswerRow
    section: str
    plans: list[PlanView] = field(default_factory=list)


def plan_records(plans) -> list:
    """The proficiencies the plans belong to, once each, in the plans' order."""
    seen: dict[int, object] = {}
    for plan in plans:
        seen.setdefault(plan.record_id, plan.record)
    return list(seen.values())


def _due(action, today: date) -> tuple[str, bool]:
    overdue = action.done_at is None and action.due_on < today
    return f"Due {formatting.date(action.due_on)}", overdue


def plan_view(enrolment, plan, ticked: set[int], today: date) -> PlanView:
    decision = plan.decision
    actions = []
    for action in plan.actions.all():
        due, overdue = _due(action, today)
        actions.append(
            ActionItem(
                id=action.pk,
                description=action.description,
                due=due,
                overdue=overdue,
                done=f"Done {formatting.date(action.done_at)}" if action.done_at else "",
                may_tick=may_mark_done(enrolment, action),
                ticked=action.pk in ticked,
            )
        )
    return PlanView(
        heading=f"Action plan from {decision.assessor.full_name}, {formatting.date(decision.at)}",
        note=decision.note,
        actions=actions,
    )


def plan_items(enrolment, plans, form, today: date) -> list[PlanItem]:
    """One item per proficiency, its plans newest first. `form` is the action plans form:
    it knows what to show ticked and answered, and its errors."""
    ticked = form.ticked()
    items: dict[int, PlanItem] = {}
    for plan in plans:
        record = plan.record
        if record.pk not in items:
            section = record.proficiency.section
            row = answer_row(
                enrolment, record, shown=form.shown(record), errors=form.row_errors(record)
            )
            items[record.pk] = PlanItem(
                # The row's own link to its action plan would lead back here.
                row=replace(row, plan_href=None),
                section=f"{section.code} {section.title}",
            )
        items[record.pk].plans.append(plan_view(enrolment, plan, ticked, today))
    return list(items.values())


def saved_message(changed: int, done: int) -> str:
    parts = []
    if done:
        parts.append(f"{done} action{'s' if done != 1 else ''} marked as done")
    if changed:
        parts.append(f"{changed} answer{'s' if changed != 1 else ''} saved")
    if not parts:
        return "Your answers were already saved: nothing has changed"
    return " and ".join(parts)
