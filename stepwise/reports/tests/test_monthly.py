"""Sign-offs and confirmations per month over two years, with the process limits of a
statistical process control chart."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.progress.models import Decision, Enrolment
from stepwise.progress.states import EnrolmentState
from stepwise.progress.summaries import rebuild
from stepwise.progress.tests.staff_helpers import (
    another_learner,
    ask,
    confirm,
    enrol,
    read,
    records,
)
from stepwise.reports.charts import spc_chart
from stepwise.reports.monthly import (
    SHIFT_ABOVE,
    SHIFT_BELOW,
    TREND_DOWN,
    TREND_UP,
    ProcessLimits,
    Run,
    month_starts,
    process_limits,
    special_runs,
)

from .tables import page_tables

URL = reverse("reports:dashboard")


def test_month_starts_run_back_two_years_across_new_year():
    months = month_starts(date(2026, 2, 14))
    assert len(months) == 24
    assert months[0] == date(2024, 3, 1)
    assert months[-2:] == [date(2026, 1, 1), date(2026, 2, 1)]


def test_process_limits_are_the_mean_plus_and_minus_2_66_mean_moving_ranges():
    limits = process_limits([4, 6, 4, 6])
    # mean 5, moving ranges 2, 2, 2: limits 5 ± 5.32, the lower one floored at nought.
    assert limits.mean == 5
    assert limits.upper == pytest.approx(10.32)
    assert limits.lower == 0
    assert not limits.outside(10)
    assert limits.outside(11)
    assert process_limits([]) == ProcessLimits(0, 0, 0)


def test_the_chart_marks_months_outside_the_limits_in_words_and_shape():
    months = month_starts(date(2026, 2, 1), months=12)
    values = [2] * 11 + [30]
    chart = spc_chart("m", "Sign-offs per month", months, values, process_limits(values))
    assert [p.outside for p in chart.points] == [False] * 11 + [True]
    assert "Months outside the limits (drawn as squares): Feb 2026 (30)." in chart.description


def sign_off_at(enrolment, when: datetime):
    Enrolment.objects.filter(pk=enrolment.pk).update(
        state=EnrolmentState.SIGNED_OFF, signed_off_at=when
    )
    rebuild()  # the rows above were edited around the services


def test_the_dashboard_counts_sign_offs_and_confirmations_per_month(
    client_for, educator, enrolment, trust, offered, assessor, other_trust, other_learner
):
    now = timezone.localtime()
    this_month = now.replace(day=1, hour=12)
    last_year = (this_month - timedelta(days=300)).replace(day=1)
    sign_off_at(enrolment, this_month)
    sign_off_at(enrol(another_learner(trust), offered, trust, educator), last_year)
    # Too old to show: 25 months ago.
    sign_off_at(enrol(another_learner(trust), offered, trust, educator), now - timedelta(days=800))
    confirming = enrol(another_learner(trust), offered, trust, educator)
    chosen = records(confirming)[:3]
    confirm(ask(confirming, chosen, assessor=assessor), assessor, chosen)
    assert Decision.objects.count() == 3

    html = read(client_for(educator).get(URL))
    rows = {row[0]: row[1:] for row in page_tables(html)[0]["Sign-offs per month"][1:]}
    assert len(rows) == 24
    assert rows[f"{this_month:%B %Y}"][0] == "1"
    assert rows[f"{this_month:%B %Y}"][-1] == "3"
    assert rows[f"{last_year:%B %Y}"][0] == "1"
    assert sum(int(row[0]) for row in rows.values()) == 2
    assert rows[f"{this_month:%B %Y}"][1] == f"{2 / 24:.1f}"
    assert 'aria-labelledby="months-title months-desc"' in html


def test_labels_of_lines_that_meet_are_kept_apart():
    months = month_starts(date(2026, 2, 1), months=3)
    chart = spc_chart("m", "Sign-offs per month", months, [0, 0, 0], process_limits([0, 0, 0]))
    label_ys = [line.label_y for line in chart.lines]
    assert [line.label for line in chart.lines] == [
        "Upper limit 0.0",
        "Mean 0.0",
        "Lower limit 0.0",
    ]
    assert label_ys[1] - label_ys[0] >= 16 and label_ys[2] - label_ys[1] >= 16


def test_a_run_of_seven_months_on_one_side_of_the_mean_is_a_shift():
    # Mean 5: six above then one on the mean is no run; seven below is.
    values = [6, 6, 6, 6, 6, 6, 5, 4, 4, 4, 4, 4, 4, 4, 5, 6, 6]
    limits = ProcessLimits(5, 0, 20)
    assert special_runs(values, limits) == [Run(SHIFT_BELOW, 7, 13)]
    assert special_runs([6] * 7, limits) == [Run(SHIFT_ABOVE, 0, 6)]


def test_seven_months_each_higher_or_lower_than_the_last_are_a_trend():
    limits = ProcessLimits(10, 0, 40)
    rising = [1, 2, 3, 4, 5, 6, 7]
    assert special_runs(rising, limits) == [Run(SHIFT_BELOW, 0, 6), Run(TREND_UP, 0, 6)]
    # Six rising months, or seven with a repeat among them, are no trend.
    assert TREND_UP not in {r.kind for r in special_runs([1, 2, 3, 4, 5, 6], limits)}
    assert TREND_UP not in {r.kind for r in special_runs([1, 2, 3, 3, 5, 6, 7], limits)}
    falling = [9, 15, 14, 13, 12, 11, 10, 9, 12]
    assert [r for r in special_runs(falling, limits) if r.kind == TREND_DOWN] == [
        Run(TREND_DOWN, 1, 7)
    ]


def test_the_chart_draws_runs_and_trends_as_shapes_and_names_them():
    months = month_starts(date(2026, 12, 1), months=14)
    # Seven months below the mean, then seven rising ones above it; limits wide apart.
    values = [1, 1, 2, 1, 1, 2, 1, 6, 7, 8, 9, 10, 11, 12]
    chart = spc_chart("m", "Sign-offs per month", months, values, ProcessLimits(5, 0, 20))
    markers = [p.marker for p in chart.points]
    assert markers[:7] == ["diamond"] * 7
    assert markers[7:] == ["diamond"] * 7
    assert "A run below the mean over 7 months, from Nov 2025 to May 2026 (drawn as diamonds)." in (
        chart.description
    )
    assert "A run above the mean over 7 months, from Jun 2026 to Dec 2026" in chart.description
    assert "A rising trend over 8 months, from May 2026 to Dec 2026 (drawn as triangles)." in (
        chart.description
    )
    assert chart.points[-1].what == "a run above the mean, a rising trend"
    # A trend alone is a triangle.
    wave = [5, 1, 2, 3, 4, 5, 6, 7, 3, 5, 4, 6, 5, 4]
    chart = spc_chart("m", "Sign-offs per month", months, wave, ProcessLimits(4.5, 0, 20))
    assert [p.marker for p in chart.points][1:8] == ["triangle_up"] * 7
    quiet = spc_chart("m", "t", months, [2, 3] * 7, process_limits([2, 3] * 7))
    assert "No run of 7 months on one side of the mean, and no trend of 7 months." in (
        quiet.description
    )


def test_the_table_names_each_months_special_cause(client_for, educator, enrolment, trust):
    now = timezone.localtime()
    # One sign-off in each of the last 8 months: 8 months above a mean of 1/3.
    for back in range(8):
        month = month_starts(now.date())[-1 - back]
        signed = enrol(another_learner(trust), enrolment.version, trust, educator)
        sign_off_at(signed, timezone.make_aware(datetime(month.year, month.month, 10, 12)))
    html = read(client_for(educator).get(URL))
    rows = page_tables(html)[0]["Sign-offs per month"]
    assert rows[0][5] == "Special cause"
    # Each of them also outside the limits, which the long quiet run makes narrow.
    assert [row[5] for row in rows[-8:]] == ["Outside the limits; a run above the mean"] * 8
    assert {row[5] for row in rows[1:-8]} == {"Outside the limits; a run below the mean"}
    assert "A run above the mean over 8 months" in html
