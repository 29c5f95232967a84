"""The ZIP holds everything about the person, in every category, and nothing about anyone
else; names from uploads cannot escape it; CSV cells are escaped."""

import json

import pytest

from stepwise.accounts.services import sso_sign_in
from stepwise.accounts.single_sign_on import Identity
from stepwise.certificates.verification import check_credential
from stepwise.privacy.contents import CATEGORIES, safe_file_name

from .factories import make_export, opened

# What issue 12 names as held about a person: each must have rows in the fixture's export.
EVERY_KIND = [
    "profile",
    "memberships",
    "enrolments",
    "enrolment_events",
    "proficiency_records",
    "record_events",
    "confirmation_requests",
    "decisions",
    "action_plans",
    "actions",
    "evidence",
    "sign_off_requests",
    "certificates",
    "certificate_events",
    "notifications",
    "feedback_responses",
    "feedback_answers",
    "feedback_answered_anonymously",
    "training_completions",
    "access_log",
]


@pytest.fixture
def files(full_record, learner):
    export = make_export(learner, learner)
    assert export.state == "done"
    with export.file.open("rb") as handle:
        return opened(handle.read())


def table(files, name) -> list[dict]:
    return json.loads(files[f"data/{name}.json"])


def test_every_category_is_there_as_json_and_csv(files):
    for category in CATEGORIES:
        assert f"data/{category.name}.json" in files
        assert f"data/{category.name}.csv" in files
    for name in EVERY_KIND:
        assert table(files, name), f"{name} is empty"
    assert "README.txt" in files


def test_the_profile_is_the_persons_and_holds_no_secret(files, learner):
    [profile] = table(files, "profile")
    assert profile["email"] == learner.email
    assert profile["full_name"] == learner.full_name
    assert "password" not in profile
    assert "session_generation" not in profile


def test_the_files_are_there_under_safe_names(files, full_record):
    evidence = full_record["evidence"]
    assert files[f"evidence/{evidence.pk}-passwd.pdf"].startswith(b"%PDF-")
    for certificate in full_record["certificates"]:
        assert files[f"certificates/{certificate.serial}.pdf"].startswith(b"%PDF-")
        credential = files[f"credentials/{certificate.serial}.jwt"].decode()
        assert check_credential(credential).is_valid
    for name in files:
        assert not name.startswith("/") and ".." not in name.split("/")


def test_nothing_about_anyone_else_and_no_anonymous_answer(files, other_learner):
    everything = b"".join(files.values())
    assert other_learner.email.encode() not in everything
    assert b"Someone else's" not in everything
    assert b"Nobody may know I wrote this" not in everything
    assert [row["what"] for row in table(files, "access_log")] == ["Opened the record"]


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(files):
    profile = files["data/profile.csv"].decode("utf-8-sig")
    assert ",'=SUM(A1:A9)," in profile
    answers = files["data/feedback_answers.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK" in answers
    # The JSON keeps what was typed.
    assert any(row["text"].startswith("=HYPERLINK") for row in table(files, "feedback_answers"))


@pytest.mark.parametrize(
    ("uploaded", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/absolute/photo.png", "photo.png"),
        ("..", "file"),
        (".hidden.pdf", "hidden.pdf"),
        ("ward round (1).pdf", "ward_round__1_.pdf"),
        ("résumé.pdf", "r_sum_.pdf"),
    ],
)
def test_uploaded_names_are_made_safe(uploaded, safe):
    assert safe_file_name(uploaded) == safe


def test_single_sign_on_links_and_their_events_are_there(full_record, learner):
    sso_sign_in(
        identity=Identity(
            issuer="https://cis2.example",
            subject="subject-42",
            email=learner.email,
            email_verified=True,
            name=learner.full_name,
            multi_factor=True,
        ),
        provider="NHS Care Identity",
    )
    export = make_export(learner, learner)
    with export.file.open("rb") as handle:
        files = opened(handle.read())
    [link] = table(files, "single_sign_on")
    assert (link["issuer"], link["subject"]) == ("https://cis2.example", "subject-42")
    [event] = table(files, "account_events")
    assert event["kind"] == "sso_linked"
