"""A network's reports as tables, one row per Trust where a figure reads per Trust (stages,
sign-off and due dates, the supernumerary period, requests waiting) and for the network as a
whole where it does not (time taken, sign-offs per month, paper saved). Each Trust's name
links to its own page. The page, its CSVs and its workbook all show these same rows."""

from stepwise.reports import monthly, paper, presenters
from stepwise.reports.charts import SpcChart, spc_chart
from stepwise.reports.presenters import Cell, Table, percent
from stepwise.reports.queries import DUE
from stepwise.reports.supernumerary import LISTS as SUPERNUMERARY_LISTS


def _trust(row: dict, href_for) -> Cell:
    return Cell(row["trust__name"], href_for(row["trust_id"]))


def due_table(counts: list[dict], href_for) -> Table:
    return Table(
        "due",
        "Sign-off and due dates",
        ["Trust", "Learners", "Signed off", *DUE.values()],
        [
            [
                _trust(row, href_for),
                Cell(row["started"]),
                Cell(row["signed_off"]),
                *(Cell(row[show]) for show in DUE),
            ]
            for row in counts
        ],
        "The CC3N expects Step 1 to be signed off within 12 months of starting. Overdue and "
        "due soon count open enrolments by their due date.",
    )


def supernumerary_table(counts: list[dict], href_for) -> Table:
    return Table(
        "supernumerary",
        "Supernumerary period",
        [
            "Trust",
            "Learners with a supernumerary period",
            *SUPERNUMERARY_LISTS.values(),
            "Supernumerary proficiencies confirmed in the period",
        ],
        [
            [
                _trust(row, href_for),
                Cell(row["learners"]),
                *(Cell(row[show]) for show in SUPERNUMERARY_LISTS),
                Cell(percent(row["confirmed_in_time"], row["needed_total"])),
            ]
            for row in counts
        ],
        "Proficiencies a framework marks for the supernumerary period, confirmed by its end. "
        "The share counts learners whose period is over, not those still in it, nor withdrawn "
        "learners.",
    )


def waiting_table(counts: list[dict], href_for) -> Table:
    return Table(
        "workload",
        "Requests waiting for assessors",
        ["Trust", "Under 7 days", "7 to 14 days", "Over 14 days", "All waiting"],
        [
            [
                _trust(row, href_for),
                Cell(row["under_week"]),
                Cell(row["week_to_fortnight"]),
                Cell(row["over_fortnight"]),
                Cell(row["waiting"]),
            ]
            for row in counts
        ],
        "Confirmation requests waiting for a decision at each Trust, by how long they have waited.",
    )


def network_tables(read, href_for) -> tuple[list[Table], SpcChart]:
    """Every table of a network's page, and its chart of months; `read` gives the figures
    (figures.py) and `href_for(trust_id)` a Trust's page."""
    counts = read.monthly_counts()
    limits = monthly.process_limits(counts["sign_offs"])
    tables = [
        presenters.places_table(read.stage_counts_by("trust"), "trust", "Trust", href_for),
        due_table(read.due_counts(by="trust"), href_for),
        supernumerary_table(read.supernumerary_counts(by="trust"), href_for),
        waiting_table(read.waiting_by_trust(), href_for),
        presenters.durations_table(read.median_days()),
        presenters.months_table(counts, limits),
        presenters.paper_table(read.paper_saved(), paper.RULE),
    ]
    chart = spc_chart(
        "months", "Sign-offs per month", counts["months"], counts["sign_offs"], limits
    )
    return tables, chart
