"""Sign-offs and confirmations per month over two years, with the process limits of a
statistical process control chart."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.progress.models import Decision, Enrolment
from stepwise.progress.states import EnrolmentState
from stepwise.progress.tests.staff_helpers import (
    another_learner,
    ask,
    confirm,
    enrol,
    read,
    records,
)
from stepwise.reports.charts import spc_chart
from stepwise.reports.monthly import ProcessLimits, month_starts, process_limits

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
