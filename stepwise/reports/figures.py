"""Where a dashboard's figures come from: the summaries the progress services keep (a few
small queries at any size), or, for filters the summaries do not carry (such as the day an
enrolment started), the records those filters select. Both give the same rows."""

from django.db.models import QuerySet

from stepwise.progress.models import Enrolment
from stepwise.reports import durations, monthly, paper, queries, summarised, supernumerary
from stepwise.reports.forms import Filters


class Counted:
    """Counted from the records the filters select."""

    def __init__(self, found: QuerySet[Enrolment]):
        self.found = found

    def stage_counts(self):
        return queries.stage_counts(self.found)

    def confirmed_shares(self):
        return queries.confirmed_shares(self.found)

    def stage_counts_by(self, place: str):
        return queries.stage_counts_by(self.found, place)

    def due_counts(self, by: str = "framework"):
        return queries.due_counts(self.found, by=by)

    def waiting_by_trust(self):
        return queries.waiting_by_trust(self.found)

    def workload(self):
        return queries.workload(self.found)

    def median_days(self):
        return durations.median_days(self.found)

    def monthly_counts(self):
        return monthly.monthly_counts(self.found)

    def paper_saved(self):
        return paper.paper_saved(self.found)

    def supernumerary_counts(self, by: str = "framework"):
        return supernumerary.counts(self.found, supernumerary.period_lengths(), by=by)


class Summarised:
    """Read from the summaries."""

    def __init__(self, where: list[summarised.Where]):
        self.where = where

    def stage_counts(self):
        return summarised.stage_counts(self.where)

    def confirmed_shares(self):
        return summarised.confirmed_shares(self.where)

    def stage_counts_by(self, place: str):
        return summarised.stage_counts_by(self.where, place)

    def due_counts(self, by: str = "framework"):
        return summarised.due_counts(self.where, by=by)

    def waiting_by_trust(self):
        return summarised.waiting_by_trust(self.where)

    def workload(self):
        return summarised.workload(self.where)

    def median_days(self):
        return summarised.median_days(self.where)

    def monthly_counts(self):
        return summarised.monthly_counts(self.where)

    def paper_saved(self):
        return summarised.paper_saved(self.where)

    def supernumerary_counts(self, by: str = "framework"):
        return summarised.supernumerary_counts(self.where, by=by)


def figures(found: QuerySet[Enrolment], filters: Filters, **place) -> Counted | Summarised:
    """`place`: `trust` (and `unit`), or `network`, or nothing for every Trust; `found` is
    the same selection as records."""
    if summarised.answers(filters):
        return Summarised(summarised.where_for(filters, **place))
    return Counted(found)
