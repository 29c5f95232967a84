"""One learner's journey through the benchmark framework, as rows.

The rows are the ones the services would have written for the same story (self-assessing,
asking for confirmation, decisions, action plans, sign-off), with the same states, links and
events, so the pages show real-looking data: a confirmed record has its Decision, an awaiting
record its waiting request, every move an event whose `to_state` leads to the record's state.
"""

import hashlib
import uuid
from datetime import date, timedelta

from django.db import connection

from stepwise.certificates.models import FRAMEWORK_SIGN_OFF, Certificate, CertificateEvent
from stepwise.demo.bench_content import (
    ACTIONS,
    DECISION_NOTES,
    REFLECTIONS,
    REJECTION_NOTES,
    FrameworkInfo,
    Person,
    Stage,
    TrustStaff,
)
from stepwise.progress.models import (
    Action,
    ActionPlan,
    ConfirmationRequest,
    Decision,
    Enrolment,
    EnrolmentEvent,
    ProficiencyRecord,
    RecordEvent,
    RequestItem,
    SignOffRequest,
)
from stepwise.progress.states import (
    EnrolmentEventKind,
    EnrolmentState,
    RecordEventKind,
    RecordState,
)

DAY = 24 * 60 * 60
# Certificates' places in the W3C Bitstring Status List, and the recipient's salted hash,
# as the certificates app gives them (see its migration 0002).
STATUS_LIST = 1
STATUS_LIST_SIZE = 131_072

# Plain strings: the database adapters must not see enum members.
NOT_STARTED = RecordState.NOT_STARTED.value
ONGOING = RecordState.ONGOING.value
ACHIEVED = RecordState.ACHIEVED.value
AWAITING = RecordState.AWAITING_CONFIRMATION.value
CONFIRMED = RecordState.CONFIRMED.value
REJECTED = RecordState.REJECTED.value
WAITING = ConfirmationRequest.State.WAITING.value
DECIDED = ConfirmationRequest.State.DECIDED.value


class Journeys:
    """Declares the journey tables on a RowWriter and writes one learner at a time."""

    def __init__(self, writer, now: int, history_days: int = 300):
        self.w = writer
        self.now = now
        # Sign-offs fall within this many days before `now`.
        self.history_days = history_days
        self.framework: FrameworkInfo | None = None
        self.proficiencies: list[tuple[int, int, str, bool]] = []
        self.counts: dict[str, int] = {}
        t = writer.table
        self.enrolments = t(Enrolment, (
            "id", "learner_id", "framework_id", "version_id", "trust_id", "unit_id",
            "educator_id", "state", "due_on", "enrolled_by_id", "enrolled_at",
            "sign_off_requested_at", "signed_off_at", "signed_off_by_id", "withdrawn_at",
        ))  # fmt: skip
        self.enrolment_assessors = t(Enrolment.assessors.through, ("id", "enrolment_id", "user_id"))
        self.enrolment_events = t(EnrolmentEvent, (
            "id", "enrolment_id", "kind", "actor_id", "from_state", "to_state", "note",
            "trust_id", "at",
        ))  # fmt: skip
        self.requests = t(ConfirmationRequest, (
            "id", "enrolment_id", "trust_id", "assessor_id", "unit_id", "requested_by_id",
            "requested_at", "state", "item_count", "closed_at", "reminded_at",
        ))  # fmt: skip
        self.records = t(ProficiencyRecord, (
            "id", "enrolment_id", "proficiency_id", "state", "reflection", "request_id",
            "decision_id", "changed_at",
        ))  # fmt: skip
        self.decisions = t(Decision, (
            "id", "record_id", "request_id", "outcome", "assessor_id", "registration_number",
            "trust_id", "note", "corrects_id", "prior_attainment_source", "at",
        ))  # fmt: skip
        self.items = t(RequestItem, ("id", "request_id", "record_id", "reflection"))
        self.plans = t(ActionPlan, ("id", "record_id", "enrolment_id", "decision_id", "created_at"))
        self.actions = t(
            Action, ("id", "plan_id", "description", "due_on", "done_at", "done_by_id")
        )
        self.events = t(RecordEvent, (
            "id", "record_id", "enrolment_id", "kind", "actor_id", "from_state", "to_state",
            "note", "request_id", "decision_id", "trust_id", "at",
        ))  # fmt: skip
        self.sign_offs = t(SignOffRequest, (
            "id", "enrolment_id", "educator_id", "learner_declaration", "requested_at", "state",
            "decided_at", "decided_by_id", "assessor_declaration", "signer_registration_number",
            "comments",
        ))  # fmt: skip
        self.certificates = t(Certificate, (
            "id", "serial", "kind", "holder_id", "issuer_id", "enrolment_id", "learner_name",
            "learner_registration", "title", "version_label", "description", "trust_name",
            "signer_name", "signer_registration", "signed_off_at", "issued_at", "pdf",
            "pdf_made_at", "revoked_at", "revoked_by_id", "revocation_reason", "status_list",
            "status_index", "recipient_salt", "recipient_hash",
        ))  # fmt: skip
        self.certificate_events = t(CertificateEvent, (
            "id", "certificate_id", "kind", "actor_id", "from_state", "to_state", "note", "at",
        ))  # fmt: skip
        self._serial = Certificate._meta.get_field("serial")
        self.status_taken = set(
            Certificate.objects.filter(status_list=STATUS_LIST).values_list(
                "status_index", flat=True
            )
        )

    def use(self, framework: FrameworkInfo) -> None:
        self.framework = framework
        self.proficiencies = [p for section in framework.sections for p in section]

    def learner(self, *, rng, person: Person, staff: TrustStaff, unit_id: int, stage: str):
        self.counts[stage] = self.counts.get(stage, 0) + 1
        _Journey(self, rng, person, staff, unit_id).run(stage)

    def serial(self, value):
        return self._serial.get_db_prep_value(value, connection)


class _Journey:
    """The mutable state of one learner's records while their story is told."""

    def __init__(self, journeys: Journeys, rng, learner: Person, staff: TrustStaff, unit_id):
        self.j, self.w, self.rng = journeys, journeys.w, rng
        self.learner, self.staff, self.unit_id = learner, staff, unit_id
        size = journeys.framework.size
        self.enrolment_id = journeys.enrolments.new_id()
        self.record_ids = [journeys.records.new_id() for _ in range(size)]
        self.state = [NOT_STARTED] * size
        self.reflection = [""] * size
        self.changed = [0] * size
        self.request = [None] * size
        self.decision = [None] * size
        self.open_actions: dict[int, list[list]] = {}
        self.unit_assessors = staff.assessors[unit_id]
        self.educator = rng.choice(staff.educators)

    # The moves, as the services make them.
    def _event(self, i, kind, actor, from_state, to_state, note, at, request=None, decision=None):
        j = self.j
        j.events.add((
            j.events.new_id(), self.record_ids[i], self.enrolment_id, kind, actor,
            from_state, to_state, note, request, decision, self.staff.trust_id, self.w.at(at),
        ))  # fmt: skip

    def self_assess(self, indices, to_state, at):
        kind = RecordEventKind.SELF_ASSESSED.value
        for i in indices:
            if self.state[i] == to_state:
                continue
            code = self.j.proficiencies[i][2]
            text = f"{self.rng.choice(REFLECTIONS)} ({code})"
            self._event(i, kind, self.learner.id, self.state[i], to_state, text, at)
            self.state[i], self.reflection[i], self.changed[i] = to_state, text, at
            self.decision[i] = None

    def send(self, indices, at, *, waiting: bool) -> tuple[list, Person | None]:
        """The request's row (changed when it is decided) and the assessor it names."""
        assessor, unit = self._route(waiting)
        j = self.j
        request_id = j.requests.new_id()
        request = [
            request_id, self.enrolment_id, self.staff.trust_id, assessor and assessor.id,
            unit, self.learner.id, self.w.at(at), WAITING, len(indices), None, None,
        ]  # fmt: skip
        j.requests.add(request)
        kind = RecordEventKind.CONFIRMATION_REQUESTED.value
        for i in indices:
            j.items.add((j.items.new_id(), request_id, self.record_ids[i], self.reflection[i]))
            self._event(i, kind, self.learner.id, ACHIEVED, AWAITING, "", at, request=request_id)
            self.state[i], self.request[i], self.changed[i] = AWAITING, request_id, at
        return request, assessor

    def _route(self, waiting: bool):
        """To a named assessor or the unit's pool. Most waiting requests name the Trust's lead
        assessor, so one assessor has a long "To review" list, as the busiest will."""
        roll = self.rng.random()
        if waiting:
            if roll < 0.7:
                return self.staff.lead, None
            if roll < 0.85:
                return None, self.unit_id
            return self.rng.choice(self.unit_assessors), None
        if roll < 0.45:
            return self.rng.choice(self.unit_assessors), None
        if roll < 0.7:
            return None, self.unit_id
        if roll < 0.85:
            return self.staff.lead, None
        return self.rng.choice(self.staff.educators), None

    def decide(self, sent, outcomes: dict[int, str], at):
        """The named assessor decides, or one of the unit's assessors for a pool request."""
        j, rng = self.j, self.rng
        request, named = sent
        by = named or rng.choice(self.unit_assessors)
        request[7], request[9] = DECIDED, self.w.at(at)
        for i, outcome in outcomes.items():
            rejected = outcome == REJECTED
            note = rng.choice(REJECTION_NOTES if rejected else DECISION_NOTES)
            decision_id = j.decisions.new_id()
            j.decisions.add((
                decision_id, self.record_ids[i], request[0], outcome, by.id, by.registration,
                self.staff.trust_id, note, None, "", self.w.at(at),
            ))  # fmt: skip
            kind = (RecordEventKind.REJECTED if rejected else RecordEventKind.CONFIRMED).value
            self._event(i, kind, by.id, AWAITING, outcome, note, at, request[0], decision_id)
            self.state[i], self.request[i], self.decision[i] = outcome, None, decision_id
            self.changed[i] = at
            if rejected:
                self._action_plan(i, decision_id, at)

    def _action_plan(self, i, decision_id, at):
        j = self.j
        plan_id = j.plans.new_id()
        j.plans.add((plan_id, self.record_ids[i], self.enrolment_id, decision_id, self.w.at(at)))
        due = date.fromtimestamp(at) + timedelta(days=self.rng.randint(14, 42))
        actions = []
        for description in self.rng.sample(ACTIONS, self.rng.randint(1, 3)):
            action = [j.actions.new_id(), plan_id, description, self.w.day(due), None, None]
            j.actions.add(action)
            actions.append(action)
        self.open_actions[i] = actions

    def actions_done(self, i, at, how_many):
        kind = RecordEventKind.ACTION_DONE.value
        for action in self.open_actions.get(i, [])[:how_many]:
            action[4], action[5] = self.w.at(at), self.learner.id
            self._event(i, kind, self.learner.id, self.state[i], self.state[i], action[2], at)

    # The stories.
    def run(self, stage: str) -> None:
        rng, now = self.rng, self.j.now
        sections = [[p[0] for p in section] for section in self.j.framework.sections]
        if stage == Stage.SIGNED_OFF:
            # Asked for sign-off 1 to 3 days after `end`, signed off 2 days later.
            signed_off = now - rng.randint(1, self.j.history_days) * DAY
            start = signed_off - rng.randint(200, 500) * DAY
            end = signed_off - rng.randint(5, 20) * DAY
        elif stage == Stage.WAITING_FOR_SIGN_OFF:
            start = now - rng.randint(200, 600) * DAY
            end = now - rng.randint(4, 30) * DAY
        elif stage == Stage.NOT_STARTED:
            start = now - rng.randint(1, 60) * DAY
            end = now
        else:
            start = now - rng.randint(60, 600) * DAY
            end = now - rng.randint(3600, 5 * DAY)
        self.changed = [start] * len(self.changed)
        if stage != Stage.NOT_STARTED and rng.random() < 0.7:
            # Many learners begin with a self-assessment of the whole framework.
            self.self_assess(range(len(self.state)), ONGOING, start + rng.randint(1, 24) * 3600)
        # Waiting requests and unfinished sections are from the last three weeks.
        recent = max(start + (end - start) // 2, end - 21 * DAY)
        count = len(sections)
        if stage in (Stage.WAITING_FOR_SIGN_OFF, Stage.SIGNED_OFF):
            skipped = self._optional_skipped()
            self._confirm_sections(
                [[i for i in s if i not in skipped] for s in sections], start, end
            )
        elif stage == Stage.PART_WAY:
            done = rng.randint(1, max(1, count - 1))
            self._confirm_sections(sections[:done], start, recent)
            self._partly(sections[done : done + 1], recent, end)
        elif stage == Stage.WAITING_FOR_CONFIRMATION:
            waiting = min(rng.randint(1, 6), count)
            done = rng.randint(0, count - waiting)
            self._confirm_sections(sections[:done], start, recent)
            self._wait(sections[done : done + waiting], recent, end)
            self._partly(sections[done + waiting : done + waiting + 1], recent, end)
        elif stage == Stage.REJECTED:
            done = rng.randint(0, count - 1)
            self._confirm_sections(sections[:done], start, recent)
            self._reject(sections[done], recent, end)
            self._partly(sections[done + 1 : done + 2], recent, end)
        self._write(stage, start, end)

    def _optional_skipped(self) -> set[int]:
        optional = [p[0] for p in self.j.proficiencies if p[3]]
        spare = len(optional) - self.j.framework.minimum_optional
        chosen = [i for i in optional if self.rng.random() < 0.3]
        return set(chosen[: max(0, spare)])

    def _confirm_sections(self, sections, start, end):
        if not sections:
            return
        slot = (end - start) // (len(sections) + 1)
        for n, indices in enumerate(sections, start=1):
            if not indices:
                continue
            at = start + n * slot
            # "On going" when work on the section starts, "Achieved" when it is done.
            self.self_assess([i for i in indices if self.state[i] == NOT_STARTED], ONGOING, at)
            self.self_assess(indices, ACHIEVED, at + slot // 10)
            request = self.send(indices, at + slot // 5, waiting=False)
            redo = [self.rng.choice(indices)] if self.rng.random() < 0.04 else []
            outcomes = {i: REJECTED if i in redo else CONFIRMED for i in indices}
            self.decide(request, outcomes, at + 2 * slot // 5)
            if redo:
                # Rejected first, the actions done, then confirmed on a second request.
                self.actions_done(redo[0], at + slot // 2, 3)
                self.self_assess(redo, ACHIEVED, at + 3 * slot // 5)
                again = self.send(redo, at + 7 * slot // 10, waiting=False)
                self.decide(again, {redo[0]: CONFIRMED}, at + 4 * slot // 5)

    def _wait(self, sections, start, end):
        slot = (end - start) // (len(sections) + 1)
        for n, indices in enumerate(sections, start=1):
            at = start + n * slot
            chosen = [i for i in indices if self.rng.random() < 0.8] or indices[:1]
            self.self_assess(chosen, ACHIEVED, at)
            self.send(chosen, at + slot // 3, waiting=True)

    def _reject(self, indices, start, end):
        span = end - start
        self.self_assess(indices, ACHIEVED, start + span // 10)
        request = self.send(indices, start + span // 5, waiting=False)
        rejected = set(self.rng.sample(indices, min(len(indices), self.rng.randint(1, 3))))
        outcomes = {i: REJECTED if i in rejected else CONFIRMED for i in indices}
        self.decide(request, outcomes, start + span // 2)
        for i in rejected:
            if self.rng.random() < 0.5:
                self.actions_done(i, start + 3 * span // 4, self.rng.randint(1, 2))

    def _partly(self, sections, start, end):
        at = start + (end - start) * 9 // 10
        for indices in sections:
            for i in indices:
                roll = self.rng.random()
                if roll < 0.35:
                    self.self_assess([i], ACHIEVED, at)
                elif roll < 0.7:
                    self.self_assess([i], ONGOING, at)

    # The rows that hold the outcome.
    def _write(self, stage, start, end):
        j, w, staff, learner = self.j, self.w, self.staff, self.learner
        framework = j.framework
        enrolment_state = EnrolmentState.ACTIVE.value
        requested_at = signed_off_at = signed_off_by = None
        sign_off_at = end + self.rng.randint(1, 3) * DAY
        if stage in (Stage.WAITING_FOR_SIGN_OFF, Stage.SIGNED_OFF):
            enrolment_state = EnrolmentState.SIGN_OFF_REQUESTED.value
            requested_at = w.at(sign_off_at)
        if stage == Stage.SIGNED_OFF:
            enrolment_state = EnrolmentState.SIGNED_OFF.value
            signed_off_at, signed_off_by = w.at(sign_off_at + 2 * DAY), self.educator.id
        j.enrolments.add((
            self.enrolment_id, learner.id, framework.framework_id, framework.version_id,
            staff.trust_id, self.unit_id, self.educator.id, enrolment_state,
            w.day(date.fromtimestamp(start) + timedelta(days=self.rng.randint(365, 730))),
            self.educator.id, w.at(start), requested_at, signed_off_at, signed_off_by, None,
        ))  # fmt: skip
        for assessor in self.unit_assessors:
            link = j.enrolment_assessors.new_id()
            j.enrolment_assessors.add((link, self.enrolment_id, assessor.id))
        self._enrolment_event(
            EnrolmentEventKind.ENROLLED, self.educator.id, "", EnrolmentState.ACTIVE.value,
            f"On {framework.version_name}; signed off by {self.educator.name}", start,
        )  # fmt: skip
        for i, (_index, proficiency_id, _code, _optional) in enumerate(j.proficiencies):
            j.records.add((
                self.record_ids[i], self.enrolment_id, proficiency_id, self.state[i],
                self.reflection[i], self.request[i], self.decision[i], w.at(self.changed[i]),
            ))  # fmt: skip
        if requested_at is not None:
            self._sign_off(stage, sign_off_at)

    def _enrolment_event(self, kind, actor_id, from_state, to_state, note, at):
        j = self.j
        j.enrolment_events.add((
            j.enrolment_events.new_id(), self.enrolment_id, kind.value, actor_id,
            from_state, to_state, note, self.staff.trust_id, self.w.at(at),
        ))  # fmt: skip

    def _sign_off(self, stage, at):
        j, w, framework, educator = self.j, self.w, self.j.framework, self.educator
        signed = stage == Stage.SIGNED_OFF
        decided_at = at + 2 * DAY
        j.sign_offs.add((
            j.sign_offs.new_id(), self.enrolment_id, educator.id, framework.learner_declaration,
            w.at(at),
            (SignOffRequest.State.SIGNED_OFF if signed else SignOffRequest.State.WAITING).value,
            w.at(decided_at) if signed else None, educator.id if signed else None,
            framework.assessor_declaration if signed else "",
            educator.registration if signed else "", "",
        ))  # fmt: skip
        self._enrolment_event(
            EnrolmentEventKind.SIGN_OFF_REQUESTED, self.learner.id, EnrolmentState.ACTIVE.value,
            EnrolmentState.SIGN_OFF_REQUESTED.value,
            f"Agreed: {framework.learner_declaration}", at,
        )  # fmt: skip
        if not signed:
            return
        self._enrolment_event(
            EnrolmentEventKind.SIGNED_OFF, educator.id, EnrolmentState.SIGN_OFF_REQUESTED.value,
            EnrolmentState.SIGNED_OFF.value, f"Agreed: {framework.assessor_declaration}",
            decided_at,
        )  # fmt: skip
        certificate_id = j.certificates.new_id()
        serial = j.serial(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        salt = f"{self.rng.getrandbits(128):032x}"
        digest = hashlib.sha256((self.learner.email.lower() + salt).encode()).hexdigest()
        j.certificates.add((
            certificate_id, serial, FRAMEWORK_SIGN_OFF, self.learner.id, self.staff.trust_id,
            self.enrolment_id, self.learner.name, self.learner.registration, framework.title,
            framework.label, framework.description, self.staff.name,
            educator.name, educator.registration, w.at(decided_at), w.at(decided_at), "",
            None, None, None, "", STATUS_LIST, self._status_index(), salt, f"sha256${digest}",
        ))  # fmt: skip
        j.certificate_events.add((
            j.certificate_events.new_id(), certificate_id,
            CertificateEvent.Kind.ISSUED.value, educator.id, "", "", "", w.at(decided_at),
        ))  # fmt: skip

    def _status_index(self) -> int:
        """A free, random place in the status list, as issuing a certificate takes one."""
        taken = self.j.status_taken
        if len(taken) >= STATUS_LIST_SIZE:
            raise RuntimeError("The certificates' status list is full.")
        index = self.rng.randrange(STATUS_LIST_SIZE)
        while index in taken:
            index = self.rng.randrange(STATUS_LIST_SIZE)
        taken.add(index)
        return index
