"""Adding months to a moment: a completion on 31 January valid for a month lasts until the
last day of February."""

import calendar
from datetime import datetime


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
