import pytest

from stepwise.organisations.models import Organisation, PeopleUpload
from stepwise.organisations.upload import presenters
from stepwise.organisations.upload.validation import RowError


def errors(count: int) -> list[RowError]:
    return [RowError(row, "email", "Enter an email address") for row in range(2, count + 2)]


def test_a_few_errors_are_all_in_the_summary_and_need_no_table():
    assert presenters.summary_messages(errors(2)) == [
        "Row 2, email: Enter an email address",
        "Row 3, email: Enter an email address",
    ]
    assert presenters.error_table(errors(presenters.SUMMARY_LIMIT)) is None


def test_many_errors_are_summarised_and_tabled():
    many = errors(presenters.SUMMARY_LIMIT + 5)
    messages = presenters.summary_messages(many)
    assert len(messages) == presenters.SUMMARY_LIMIT + 1
    assert messages[-1] == "5 more errors in the file, listed in the table below"
    table = presenters.error_table(many)
    assert table.shown == table.total == len(many)
    assert table.rows[0] == [
        {"text": "2"},
        {"text": "email"},
        {"text": "Enter an email address"},
    ]
    assert not table.is_cut_short


def test_a_huge_number_of_errors_is_cut_short_and_says_so():
    table = presenters.error_table(errors(presenters.TABLE_LIMIT + 1))
    assert table.shown == presenters.TABLE_LIMIT
    assert table.is_cut_short


def test_the_error_heading_counts_errors_and_rows():
    two_in_one_row = [RowError(2, "email", "x"), RowError(2, "unit", "y")]
    assert presenters.error_heading(two_in_one_row) == "2 errors in 1 row"
    assert presenters.error_heading(errors(1_500)) == "1,500 errors in 1,500 rows"


def uploaded(state="done", registered=0, joined=0, problems=(), people=3):
    return PeopleUpload(
        trust=Organisation(name="North Trust"),
        file_name="people.csv",
        state=state,
        people=people,
        registered=registered,
        joined=joined,
        problems=list(problems),
    )


def test_the_outcome_counts_new_and_existing_people():
    assert presenters.outcome_message(uploaded(registered=5_000, joined=1)) == (
        "5,000 new people registered with North Trust, and 1 person who already uses "
        "Stepwise was invited to join: they join when they accept. Invitations are on their "
        "way by email."
    )
    assert presenters.outcome_message(uploaded(registered=1, joined=3)).startswith(
        "1 new person registered with North Trust, and 3 people who already use Stepwise"
    )


@pytest.mark.parametrize(
    ("state", "title"),
    [
        ("queued", "Registering people"),
        ("running", "Registering people"),
        ("done", "People registered"),
        ("failed", "Nothing was imported"),
    ],
)
def test_the_progress_page_title_follows_the_state(state, title):
    page = presenters.progress_page(uploaded(state=state))
    assert page["page_title"] == title
    assert page["people"] == "3 people"
    assert bool(page["outcome"]) == (state == "done")


def test_a_failed_upload_lists_its_problems_by_row():
    page = presenters.progress_page(
        uploaded(
            state="failed",
            problems=[
                {"row": 4, "column": "email", "message": "a@nhs.net is already a member"},
                {"message": "Someone else registered some of these people"},
            ],
        )
    )
    assert page["problem_rows"] == [
        [{"text": "4"}, {"text": "email"}, {"text": "a@nhs.net is already a member"}]
    ]
    assert page["problem_count"] == 1
    assert page["messages"] == ["Someone else registered some of these people"]


def test_the_column_guide_has_every_column():
    assert [row[0]["text"] for row in presenters.column_rows()] == [
        "full_name",
        "email",
        "unit",
        "roles",
        "job_title",
        "registration_body",
        "registration_number",
    ]
