"""What the daily reminders say. No database here."""

from datetime import date


def due_phrase(due_on: date, today: date) -> str:
    """ "is due in 12 days", "is due today", "was due 3 days ago"."""
    days = (due_on - today).days
    if days == 0:
        return "is due today"
    if days == 1:
        return "is due tomorrow"
    if days > 1:
        return f"is due in {days} days"
    if days == -1:
        return "was due yesterday"
    return f"was due {-days} days ago"
