"""The raw-SQL floor of each journey page (issue 13).

A page's floor is what it would cost to fetch the rows it lists with one hand-written query
through the same database driver (Django's cursor over sqlite3 or psycopg) and turn them into
a plain list of dicts: no ORM, no presenters, no template. The journey benchmark times each
page and its floor in turns, in the same run, and reports the page as a multiple of it.

Each query fetches what the page's main list shows (the section counts on the overview, the
rows of a section, the waiting requests on To review, the items of a review with their
evidence, ...), with the joins the page needs for the names it prints.
"""

from dataclasses import dataclass, field

_RECORD_JOINS = """
    FROM progress_proficiencyrecord r
    JOIN frameworks_proficiency p ON p.id = r.proficiency_id
    JOIN frameworks_section s ON s.id = p.section_id
"""

_ROW_COLUMNS = """
    r.id, r.state, r.reflection, r.request_id, r.decision_id, r.changed_at,
    p.id AS proficiency_id, p.code, p.statement, p.guidance, p.optional, p.evidence_hints,
    s.id AS section_id, s.code AS section_code, s.title AS section_title
"""

_STATES = ("confirmed", "awaiting_confirmation", "achieved", "ongoing", "rejected", "not_started")


@dataclass
class Floor:
    sql: str
    params: list = field(default_factory=list)

    def fetch(self) -> list[dict]:
        """Run the query and return its rows as dicts."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def overview(enrolment) -> Floor:
    """The overview's sections, each with the learner's records counted by state."""
    by_state = ",\n".join(
        f"SUM(CASE WHEN r.state = '{state}' THEN 1 ELSE 0 END) AS {state}" for state in _STATES
    )
    return Floor(
        f"""
        SELECT s.id, s.position, s.code, s.title, COUNT(*) AS total,
            SUM(CASE WHEN p.optional THEN 0 ELSE 1 END) AS required,
            SUM(CASE WHEN r.state = 'confirmed' AND NOT p.optional THEN 1 ELSE 0 END)
                AS required_confirmed,
            SUM(CASE WHEN r.state = 'confirmed' AND p.optional THEN 1 ELSE 0 END)
                AS optional_confirmed,
            {by_state}
        {_RECORD_JOINS}
        WHERE r.enrolment_id = %s AND s.version_id = %s
        GROUP BY s.id, s.position, s.code, s.title
        ORDER BY s.position, s.id
        """,
        [enrolment.pk, enrolment.version_id],
    )


def section(enrolment, section_id: int) -> Floor:
    """The learner's rows of one section, with each proficiency's text."""
    return Floor(
        f"""
        SELECT {_ROW_COLUMNS}
        {_RECORD_JOINS}
        WHERE r.enrolment_id = %s AND p.section_id = %s
        ORDER BY p.position, r.id
        """,
        [enrolment.pk, section_id],
    )


def whole_step(enrolment) -> Floor:
    """Every row of the enrolment's version, in the Step's order."""
    return Floor(
        f"""
        SELECT {_ROW_COLUMNS}
        {_RECORD_JOINS}
        WHERE r.enrolment_id = %s AND p.version_id = %s
        ORDER BY s.position, p.position, r.id
        """,
        [enrolment.pk, enrolment.version_id],
    )


def achieved(enrolment) -> Floor:
    """The rows the learner may ask to have confirmed."""
    return Floor(
        f"""
        SELECT {_ROW_COLUMNS}
        {_RECORD_JOINS}
        WHERE r.enrolment_id = %s AND p.version_id = %s AND r.state = 'achieved'
        ORDER BY s.position, p.position, r.id
        """,
        [enrolment.pk, enrolment.version_id],
    )


def action_plans(enrolment) -> Floor:
    """Open action plans, each with its actions, the proficiency and who wrote it."""
    return Floor(
        f"""
        SELECT pl.id AS plan_id, pl.created_at, {_ROW_COLUMNS},
            d.note, assessor.full_name AS assessor,
            a.id AS action_id, a.description, a.due_on, a.done_at
        FROM progress_actionplan pl
        JOIN progress_proficiencyrecord r ON r.id = pl.record_id
        JOIN frameworks_proficiency p ON p.id = r.proficiency_id
        JOIN frameworks_section s ON s.id = p.section_id
        JOIN progress_decision d ON d.id = pl.decision_id
        LEFT JOIN accounts_user assessor ON assessor.id = d.assessor_id
        LEFT JOIN progress_action a ON a.plan_id = pl.id
        WHERE pl.enrolment_id = %s AND (
            (r.state = 'rejected' AND pl.decision_id = r.decision_id)
            OR EXISTS (
                SELECT 1 FROM progress_action undone
                WHERE undone.plan_id = pl.id AND undone.done_at IS NULL
            )
        )
        ORDER BY s.position, p.position, r.id, pl.created_at DESC, pl.id DESC, a.id
        """,
        [enrolment.pk],
    )


def to_review(membership, page_size: int) -> Floor:
    """The first page of waiting requests an assessor may decide, with the names shown."""
    return Floor(
        """
        SELECT c.id, c.requested_at, c.item_count, c.reminded_at,
            learner.full_name AS learner, f.title AS framework, v.label AS version,
            assessor.full_name AS assessor, unit.name AS unit
        FROM progress_confirmationrequest c
        JOIN progress_enrolment e ON e.id = c.enrolment_id
        JOIN accounts_user learner ON learner.id = e.learner_id
        JOIN frameworks_frameworkversion v ON v.id = e.version_id
        JOIN frameworks_framework f ON f.id = v.framework_id
        LEFT JOIN accounts_user assessor ON assessor.id = c.assessor_id
        LEFT JOIN organisations_organisation unit ON unit.id = c.unit_id
        WHERE c.trust_id = %s AND c.state = 'waiting'
            AND (c.assessor_id = %s OR c.unit_id = %s) AND e.learner_id <> %s
        ORDER BY c.requested_at, c.id
        LIMIT %s
        """,
        [
            membership.trust_id,
            membership.person_id,
            membership.unit_id,
            membership.person_id,
            page_size,
        ],
    )


def review(request_id: int) -> Floor:
    """A request's waiting items, each with its proficiency and current evidence."""
    return Floor(
        f"""
        SELECT i.id AS item_id, i.reflection AS item_reflection, {_ROW_COLUMNS},
            ev.id AS evidence_id, ev.original_name, ev.kind, ev.size
        FROM progress_requestitem i
        JOIN progress_proficiencyrecord r ON r.id = i.record_id
        JOIN frameworks_proficiency p ON p.id = r.proficiency_id
        JOIN frameworks_section s ON s.id = p.section_id
        LEFT JOIN progress_evidence ev ON ev.record_id = r.id AND ev.removed_at IS NULL
        WHERE i.request_id = %s AND r.request_id = %s AND r.state = 'awaiting_confirmation'
        ORDER BY i.id, ev.uploaded_at, ev.id
        """,
        [request_id, request_id],
    )


def sign_off(enrolment) -> Floor:
    """Every row of the enrolment's version with the decision that stands and who made it."""
    return Floor(
        f"""
        SELECT {_ROW_COLUMNS}, d.outcome, d.at AS decided_at,
            assessor.full_name AS assessor, d.registration_number
        {_RECORD_JOINS}
        LEFT JOIN progress_decision d ON d.id = r.decision_id
        LEFT JOIN accounts_user assessor ON assessor.id = d.assessor_id
        WHERE r.enrolment_id = %s AND p.version_id = %s
        ORDER BY s.position, p.position, r.id
        """,
        [enrolment.pk, enrolment.version_id],
    )
