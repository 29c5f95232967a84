"""Figure 3: proficiencies marked for the supernumerary period, confirmed within it."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from stepwise.progress.models import Decision, Enrolment
from stepwise.progress.summaries import rebuild
from stepwise.progress.tests.staff_helpers import (
    another_learner,
    ask,
    confirm,
    enrol,
    read,
    records,
)
from stepwise.reports import queries
from stepwise.reports.figures import Counted, Summarised
from stepwise.reports.forms import Filters
from stepwise.reports.summarised import where_for

from .tables import body, page_tables

URL = reverse("reports:dashboard")
LIST = reverse("reports:learners")
FIGURE = "Supernumerary period"


def started_weeks_ago(enrolment, weeks: int):
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=timezone.now() - timedelta(weeks=weeks)
    )


def confirm_first_two(enrolment, assessor, *, weeks_after_start: int):
    chosen = records(enrolment)[:2]
    request = ask(enrolment, chosen, assessor=assessor)
    confirm(request, assessor, chosen)
    enrolment.refresh_from_db()
    Decision.objects.filter(request=request).update(
        at=enrolment.enrolled_at + timedelta(weeks=weeks_after_start)
    )


def test_it_counts_supernumerary_proficiencies_confirmed_within_the_period(
    client_for, educator, assessor, trust, period, enrolment
):
    # Still in the period: started a week ago, nothing confirmed yet.
    started_weeks_ago(enrolment, 1)
    # Period over, both confirmed in week 3: met.
    met = enrol(another_learner(trust), period, trust, educator)
    started_weeks_ago(met, 10)
    confirm_first_two(met, assessor, weeks_after_start=3)
    # Period over, both confirmed but in week 6, after it: missed.
    late = enrol(another_learner(trust), period, trust, educator)
    started_weeks_ago(late, 10)
    confirm_first_two(late, assessor, weeks_after_start=6)
    # Period over, nothing confirmed: missed.
    idle = enrol(another_learner(trust), period, trust, educator)
    started_weeks_ago(idle, 5)
    # The dates above were changed around the services: the summaries are counted again.
    rebuild()

    client = client_for(educator)
    response = client.get(URL)
    tables, links = page_tables(read(response))
    assert tables[FIGURE][1:] == [["Sample step-1", "4", "1", "1", "2", "33%"]]
    # 2 of 6 supernumerary proficiencies of the three whose period is over: 33%.
    expected = {
        "supernumerary_now": [enrolment],
        "supernumerary_met": [met],
        "supernumerary_missed": [late, idle],
    }
    everyone = {e.learner.full_name for e in (enrolment, met, late, idle)}
    for show, who in expected.items():
        href = next(h for h in links[FIGURE][1] if f"show={show}" in h)
        html = read(client.get(href))
        listed = {name for name in everyone if name in html}
        assert listed == {e.learner.full_name for e in who}, show
    assert 'aria-labelledby="supernumerary-0-title supernumerary-0-desc"' in read(response)
    # The download holds the same figures.
    downloaded = client.get(reverse("reports:export", args=["csv"]), {"table": "supernumerary"})
    assert list(csv.reader(io.StringIO(body(downloaded).decode("utf-8-sig")))) == tables[FIGURE]


def test_a_framework_without_a_period_is_not_in_the_figure(client_for, educator, enrolment):
    html = read(client_for(educator).get(URL))
    assert FIGURE not in page_tables(html)[0]
    assert 'id="supernumerary-heading"' in html


def test_the_summaries_give_the_records_figure_on_the_day_a_period_ends(
    educator, assessor, trust, period, enrolment
):
    """A period ending today is still running all day; one that ended yesterday is over:
    the same read from the summaries (by the day it ends) as counted from the records."""
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=timezone.now() - timedelta(weeks=4)
    )
    yesterday = enrol(another_learner(trust), period, trust, educator)
    Enrolment.objects.filter(pk=yesterday.pk).update(
        enrolled_at=timezone.now() - timedelta(weeks=4, days=1)
    )
    confirm_first_two(yesterday, assessor, weeks_after_start=2)
    rebuild()
    found = queries.enrolments(queries.Scope(trust), Filters())
    counted = Counted(found).supernumerary_counts()
    assert Summarised(where_for(Filters(), trust=trust)).supernumerary_counts() == counted
    assert [(r["supernumerary_now"], r["supernumerary_met"]) for r in counted] == [(1, 1)]
