"""How states read and look everywhere in the journey (one place, so pages agree)."""

from stepwise.progress.states import EnrolmentState, RecordState

# NHS.UK tag colours: https://service-manual.nhs.uk/design-system/components/tag
RECORD_TAG_COLOURS = {
    RecordState.NOT_STARTED: "grey",
    RecordState.ONGOING: "yellow",
    RecordState.ACHIEVED: "blue",
    RecordState.AWAITING_CONFIRMATION: "purple",
    RecordState.CONFIRMED: "green",
    RecordState.REJECTED: "red",
}

ENROLMENT_TAG_COLOURS = {
    EnrolmentState.ACTIVE: "blue",
    EnrolmentState.SIGN_OFF_REQUESTED: "purple",
    EnrolmentState.SIGNED_OFF: "green",
    EnrolmentState.WITHDRAWN: "grey",
}


def record_tag(state: str) -> dict:
    """Parameters for the NHS tag macro."""
    return {"text": RecordState(state).label, "classes": f"nhsuk-tag--{RECORD_TAG_COLOURS[state]}"}


def enrolment_tag(state: str) -> dict:
    return {
        "text": EnrolmentState(state).label,
        "classes": f"nhsuk-tag--{ENROLMENT_TAG_COLOURS[state]}",
    }
