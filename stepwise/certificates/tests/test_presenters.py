"""What a Step certificate says about each proficiency, without a database."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from stepwise.certificates.framework_sign_off import confirmation, section_title, sections
from stepwise.progress.models import Decision
from stepwise.progress.states import RecordState

LONDON = ZoneInfo("Europe/London")
TRUST_ID = 1


def record(*, state=RecordState.CONFIRMED, decision=None, optional=False, code="1.1", section=1):
    proficiency = SimpleNamespace(
        code=code,
        statement=f"Statement {code}",
        optional=optional,
        section_id=section,
        section=SimpleNamespace(code=str(section), title=f"Part {section}"),
    )
    return SimpleNamespace(state=state, decision=decision, proficiency=proficiency)


def decision(*, trust_id=TRUST_ID, source="", outcome=Decision.Outcome.CONFIRMED):
    return SimpleNamespace(
        outcome=outcome,
        assessor=SimpleNamespace(full_name="Ben Thompson"),
        registration_number="NMC 09B1234D",
        at=datetime(2026, 3, 5, 14, 30, tzinfo=LONDON),
        trust_id=trust_id,
        trust=SimpleNamespace(name="Riverside University Hospitals NHS Trust"),
        prior_attainment_source=source,
    )


def test_it_says_who_confirmed_and_when():
    assert (
        confirmation(record(decision=decision()), TRUST_ID)
        == "Confirmed by Ben Thompson (NMC 09B1234D) on 5 March 2026"
    )


def test_a_confirmation_at_another_trust_says_where():
    text = confirmation(record(decision=decision(trust_id=2)), TRUST_ID)
    assert text.endswith("on 5 March 2026 at Riverside University Hospitals NHS Trust")


def test_prior_attainment_names_its_source():
    text = confirmation(
        record(decision=decision(source="Stepwise passport from Riverside, 2025")), TRUST_ID
    )
    assert text.startswith("Recognised prior attainment: Stepwise passport from Riverside, 2025")
    assert "Ben Thompson (NMC 09B1234D)" in text


def test_an_optional_proficiency_not_taken_says_so():
    assert (
        confirmation(record(state=RecordState.NOT_STARTED, optional=True), TRUST_ID)
        == "Optional: not taken"
    )
    assert confirmation(record(state=RecordState.ACHIEVED), TRUST_ID) == "Not confirmed"


def test_records_are_grouped_by_section_in_order():
    blocks = sections(
        [
            record(code="1.1", section=1, decision=decision()),
            record(code="1.2", section=1, decision=decision()),
            record(code="2.1", section=2, decision=decision()),
        ],
        TRUST_ID,
    )
    assert [block.title for block in blocks] == ["1. Part 1", "2. Part 2"]
    assert [[line.code for line in block.lines] for block in blocks] == [
        ["1.1", "1.2"],
        ["2.1"],
    ]
    assert section_title(SimpleNamespace(code="", title="Untitled")) == "Untitled"
