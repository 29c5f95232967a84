"""The dashboard's figures as tables: the page, the CSV and the XLSX all show these same
rows, so a download always equals the screen."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from stepwise.core.formatting import date as format_date
from stepwise.reports import stamping
from stepwise.reports.monthly import SIGNALS, signals_by_month, special_runs
from stepwise.reports.queries import DUE, STAGES
from stepwise.reports.supernumerary import LISTS as SUPERNUMERARY_LISTS


@dataclass(frozen=True)
class Cell:
    value: str | int
    # The named list behind a count, when there is one.
    href: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    # Also the sheet name in the workbook: Excel allows 31 characters.
    title: str
    head: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    description: str = ""

    def values(self) -> list[list]:
        """The header row and every row as plain values, for the downloads."""
        return [self.head] + [[cell.value for cell in row] for row in self.rows]

    def placeholder_rows(self) -> list[list[dict]]:
        return stamping.placeholder_rows(self)

    def stamp(self, html):
        return stamping.stamp(self, html)


def list_href(query: dict, show: str, framework_id: int) -> str:
    """The named list behind a count, keeping the dashboard's filters."""
    params = {**query, "framework": framework_id, "show": show}
    return reverse("reports:learners") + "?" + urlencode(params)


def percent(done: int, needed: int) -> str:
    return f"{round(100 * done / needed)}%" if needed else "–"


def stages_table(counts: list[dict], shares: list[dict], query: dict) -> Table:
    frameworks: dict[int, dict] = {}
    for row in counts:
        entry = frameworks.setdefault(
            row["framework_id"], {"title": row["framework__title"], "stages": {}}
        )
        entry["stages"][row["stage"]] = row["count"]
    share = {row["framework_id"]: row for row in shares}
    rows = []
    for framework_id, entry in frameworks.items():
        stages = entry["stages"]
        done = share.get(framework_id, {})
        rows.append(
            [Cell(entry["title"])]
            + [
                Cell(stages.get(stage, 0), list_href(query, stage, framework_id))
                for stage in STAGES
            ]
            + [
                Cell(sum(stages.values())),
                Cell(percent(done.get("done_total") or 0, done.get("needed_total") or 0)),
            ]
        )
    return Table(
        "stages",
        "Learners by stage",
        ["Framework", *STAGES.values(), "All learners", "Required proficiencies confirmed"],
        rows,
        "Enrolments in each stage. Proficiencies confirmed counts optional ones up to the "
        "version's minimum, over enrolments not withdrawn.",
    )


def due_table(counts: list[dict], query: dict) -> Table:
    rows = [
        [
            Cell(row["framework__title"]),
            Cell(row["started"]),
            Cell(row["signed_off"], list_href(query, "signed_off", row["framework_id"])),
            *(Cell(row[show], list_href(query, show, row["framework_id"])) for show in DUE),
        ]
        for row in counts
    ]
    return Table(
        "due",
        "Sign-off and due dates",
        ["Framework", "Learners", "Signed off", *DUE.values()],
        rows,
        "The CC3N expects Step 1 to be signed off within 12 months of starting. Overdue and "
        "due soon count open enrolments by their due date.",
    )


def workload_table(rows: list[dict]) -> Table:
    def who(row) -> str:
        if row["assessor_id"]:
            return row["assessor__full_name"]
        return f"{row['unit__name']} (unit pool)"

    return Table(
        "workload",
        "Assessors' waiting requests",
        ["Assessor or unit pool", "Under 7 days", "7 to 14 days", "Over 14 days", "All waiting"],
        [
            [
                Cell(who(row)),
                Cell(row["under_week"]),
                Cell(row["week_to_fortnight"]),
                Cell(row["over_fortnight"]),
                Cell(row["waiting"]),
            ]
            for row in rows
        ],
        "Confirmation requests waiting for a decision, by how long they have waited.",
    )


def learner_row(enrolment, *, may_open: bool) -> dict:
    """One learner of a named list: who, on what, where, when they started and are due."""
    return {
        "learner": enrolment.learner.full_name,
        "href": reverse("progress:enrolment_manage", args=[enrolment.pk]) if may_open else "",
        "framework": str(enrolment.version),
        "unit": enrolment.unit.name if enrolment.unit else "No unit",
        "started": format_date(enrolment.enrolled_at),
        "due": format_date(enrolment.due_on) if enrolment.due_on else "Not set",
    }


def learner_table(enrolments, *, may_open: bool, count: int) -> Table:
    """A page of a named list as a table the page stamps (ADR 4): the macro made each of 50
    rows of five cells afresh, most of the page's CPU."""
    rows = []
    for enrolment in enrolments:
        row = learner_row(enrolment, may_open=may_open)
        rows.append(
            [Cell(row["learner"], row["href"])]
            + [Cell(row[key]) for key in ("framework", "unit", "started", "due")]
        )
    title = f"{count} learner" if count == 1 else f"{count} learners"
    return Table("learners", title, list(LEARNER_COLUMNS.values()), rows)


def learner_values(enrolments):
    """A named list's rows for download, one at a time (however long the list)."""
    for enrolment in enrolments:
        row = learner_row(enrolment, may_open=False)
        yield [row[key] for key in LEARNER_COLUMNS]


def places_table(counts: list[dict], place: str, heading: str, href_for) -> Table:
    """Learners by stage per network, Trust or unit; `href_for(id)` is the next level down
    ("" where there is none)."""
    places: dict[int | None, dict] = {}
    for row in counts:
        entry = places.setdefault(
            row[f"{place}_id"], {"name": row[f"{place}__name"] or "No unit", "stages": {}}
        )
        entry["stages"][row["stage"]] = row["count"]
    rows = [
        [Cell(entry["name"], href_for(place_id) if place_id else "")]
        + [Cell(entry["stages"].get(stage, 0)) for stage in STAGES]
        + [Cell(sum(entry["stages"].values()))]
        for place_id, entry in places.items()
    ]
    return Table(
        "places",
        "Learners by stage",
        [heading, *STAGES.values(), "All learners"],
        rows,
        "Enrolments in each stage, every framework together unless one is chosen.",
    )


def months_table(counts: dict, limits) -> Table:
    def number(value: float) -> str:
        return f"{value:.1f}"

    signals = signals_by_month(len(counts["sign_offs"]), special_runs(counts["sign_offs"], limits))

    def special(signed: int, kinds: list[str]) -> str:
        found = ["Outside the limits"] if limits.outside(signed) else []
        found += [SIGNALS[kind] for kind in kinds]
        text = "; ".join(found)
        return text[:1].upper() + text[1:] if text else "No"

    rows = [
        [
            Cell(f"{month:%B %Y}"),
            Cell(signed),
            Cell(number(limits.mean)),
            Cell(number(limits.lower)),
            Cell(number(limits.upper)),
            Cell(special(signed, kinds)),
            Cell(confirmed),
        ]
        for month, signed, confirmed, kinds in zip(
            counts["months"], counts["sign_offs"], counts["confirmations"], signals, strict=True
        )
    ]
    return Table(
        "months",
        "Sign-offs per month",
        [
            "Month",
            "Sign-offs",
            "Mean",
            "Lower process limit",
            "Upper process limit",
            "Special cause",
            "Confirmations",
        ],
        rows,
        "The last 24 months as a statistical process control chart: a month outside the "
        "process limits (mean ± 2.66 × the mean change from month to month) is unusual and "
        "worth asking about, and so are 7 or more months in a row on one side of the mean, or "
        "each higher (or each lower) than the month before. Other months vary by chance.",
    )


LEARNER_COLUMNS = {
    "learner": "Learner",
    "framework": "Framework",
    "unit": "Unit",
    "started": "Started",
    "due": "Due date",
}


def learners_table(heading: str, rows: list[dict]) -> Table:
    """A named list for download: the same rows as the page, every page of them."""
    return Table(
        "learners",
        heading,
        list(LEARNER_COLUMNS.values()),
        [[Cell(row[key]) for key in LEARNER_COLUMNS] for row in rows],
    )


def paper_table(saved: dict, rule: str) -> Table:
    return Table(
        "paper",
        "Paper saved",
        ["What", "Number"],
        [
            [Cell("Sheets of paper"), Cell(saved["sheets"])],
            [Cell("Handwritten signatures"), Cell(saved["signatures"])],
            [Cell("Assessors' decisions recorded"), Cell(saved["decisions"])],
            [Cell("Enrolments"), Cell(saved["enrolments"])],
        ],
        rule,
    )


def durations_table(medians: dict) -> Table:
    def days(value) -> str:
        return "No data yet" if value is None else f"{value:.1f}"

    return Table(
        "times",
        "Time taken",
        ["Median", "Days"],
        [
            [
                Cell("From asking for confirmation to the assessor's decision"),
                Cell(days(medians["to_decision"])),
            ],
            [Cell("From enrolment to sign-off"), Cell(days(medians["to_sign_off"]))],
        ],
        "Half of the decisions or sign-offs took less than this, half took more.",
    )


def rejections_table(key: str, title: str, first: str, rows: list[dict], name) -> Table:
    """Decisions and rejections per section or proficiency; `name(row)` labels a row."""
    return Table(
        key,
        title,
        [first, "Decisions", "Rejected", "Rejection rate"],
        [
            [
                Cell(name(row)),
                Cell(row["decisions"]),
                Cell(row["rejected"]),
                Cell(percent(row["rejected"], row["decisions"])),
            ]
            for row in rows
        ],
    )


def supernumerary_table(counts: list[dict], query: dict) -> Table:
    """Figure 3, per framework with a supernumerary period."""
    return Table(
        "supernumerary",
        "Supernumerary period",
        [
            "Framework",
            "Learners with a supernumerary period",
            *SUPERNUMERARY_LISTS.values(),
            "Supernumerary proficiencies confirmed in the period",
        ],
        [
            [
                Cell(row["framework__title"]),
                Cell(row["learners"]),
                *(
                    Cell(row[show], list_href(query, show, row["framework_id"]))
                    for show in SUPERNUMERARY_LISTS
                ),
                Cell(percent(row["confirmed_in_time"], row["needed_total"])),
            ]
            for row in counts
        ],
        "Proficiencies a framework marks for the supernumerary period, confirmed by its end "
        "(its version's weeks from enrolment). The share counts learners whose period is over, "
        "not those still in it, nor withdrawn learners.",
    )
