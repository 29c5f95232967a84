"""The sign-off summary's presenters, on records built in memory: no database needed."""

from datetime import UTC, datetime
from types import SimpleNamespace

from stepwise.progress.presenters import staff_sign_off
from stepwise.progress.states import RecordState

RESPIRATORY = SimpleNamespace(code="1", title="Respiratory")
RENAL = SimpleNamespace(code="3", title="Renal")
BEN = SimpleNamespace(full_name="Ben Thompson")
CHLOE = SimpleNamespace(full_name="Chloe Davies")


def record(code, section, *, optional=False, by=None, day=4, prior=""):
    decision = None
    if by is not None:
        decision = SimpleNamespace(
            assessor=by,
            registration_number=f"NMC {by.full_name[:2].upper()}",
            prior_attainment_source=prior,
            at=datetime(2026, 5, day, 9, 0, tzinfo=UTC),
        )
    return SimpleNamespace(
        proficiency=SimpleNamespace(
            code=code,
            statement=f"Statement {code}",
            optional=optional,
            section=section,
            section_id=id(section),
        ),
        state=RecordState.CONFIRMED if by else RecordState.ACHIEVED,
        decision=decision,
        decision_id=1 if decision else None,
    )


RECORDS = [
    record("1.1", RESPIRATORY, by=BEN, day=3),
    record("1.2", RESPIRATORY, by=BEN, day=5),
    record("1.3", RESPIRATORY, optional=True, by=CHLOE),
    record("3.1", RENAL),
    record("3.2", RENAL, by=CHLOE, prior="Step 1 at Riverside"),
    record("3.3", RENAL, optional=True),
]


def test_counts_per_section_in_framework_order():
    assert staff_sign_off.section_counts(RECORDS) == [
        staff_sign_off.SectionCount("1 Respiratory", required="2 of 2", optional="1 of 1"),
        staff_sign_off.SectionCount("3 Renal", required="1 of 2", optional="0 of 1"),
    ]
    assert staff_sign_off.section_counts(RECORDS[:2])[0].optional == "None"


def test_who_confirmed_how_many_and_when_most_first():
    assert staff_sign_off.confirmed_by(RECORDS) == [
        staff_sign_off.Confirmer(
            "Ben Thompson (NMC BE)", "2 proficiencies", "3 May 2026 to 5 May 2026"
        ),
        staff_sign_off.Confirmer("Chloe Davies (NMC CH)", "1 proficiency", "4 May 2026"),
        staff_sign_off.Confirmer(
            "Recognised prior attainment: Step 1 at Riverside", "1 proficiency", "4 May 2026"
        ),
    ]


def test_the_optional_minimum_says_whether_it_is_met():
    done = {"optional_confirmed": 3, "optional_minimum": 3}
    assert staff_sign_off.optional_text(done) == "3 confirmed; at least 3 needed: met"
    done = {"optional_confirmed": 1, "optional_minimum": 3}
    assert staff_sign_off.optional_text(done) == "1 confirmed; at least 3 needed: 2 more needed"
    done = {"optional_confirmed": 0, "optional_minimum": 0}
    assert staff_sign_off.optional_text(done) == "0 confirmed; none needed"
    assert (
        staff_sign_off.required_text({"required": 9, "required_confirmed": 7}) == "7 of 9 confirmed"
    )


def test_required_proficiencies_still_missing():
    assert staff_sign_off.missing(RECORDS) == ["3.1 Statement 3.1"]
    assert staff_sign_off.missing_heading(1) == "1 required proficiency not confirmed"
    assert staff_sign_off.missing_heading(7) == "7 required proficiencies not confirmed"
