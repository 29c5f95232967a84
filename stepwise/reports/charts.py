"""Horizontal bar charts drawn as SVG on the server (see docs/adr/0009-charts.md).

Each bar carries its label and its number as text, so the chart reads without colour, and
the page puts the same figures in a table beside it. Colours are SVG presentation attributes
(not a style sheet), which the content security policy allows.
"""

from dataclasses import dataclass

from stepwise.reports.monthly import (
    SHIFT_ABOVE,
    SHIFT_BELOW,
    SIGNALS,
    TREND_DOWN,
    TREND_UP,
    signals_by_month,
    special_runs,
)

LABEL_WIDTH = 190
BAR_AREA = 300
VALUE_WIDTH = 50
BAR_HEIGHT = 22
GAP = 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR_HEIGHT + GAP) + GAP


def bar_chart(key: str, title: str, items: list[tuple[str, int]]) -> BarChart:
    largest = max((value for _, value in items), default=0)
    bars = [
        Bar(
            label=label,
            value=value,
            y=GAP + index * (BAR_HEIGHT + GAP),
            # A zero shows no bar; any other value at least a sliver, so it is seen.
            width=round(BAR_AREA * value / largest) if largest and value else 0,
        )
        for index, (label, value) in enumerate(items)
    ]
    description = "; ".join(f"{label}: {value}" for label, value in items) + "."
    return BarChart(key, title, description, bars)


def stage_charts(table) -> list[BarChart]:
    """One chart per framework of the learners-by-stage table."""
    stages = table.head[1:-2]
    return [
        bar_chart(
            f"{table.key}-{index}",
            f"{row[0].value}: learners by stage",
            [(stage, cell.value) for stage, cell in zip(stages, row[1:-2], strict=True)],
        )
        for index, row in enumerate(table.rows)
    ]


def supernumerary_charts(table) -> list[BarChart]:
    """One chart per framework of the supernumerary table: where its learners stand."""
    # Short enough to sit beside the bars; the table's headings say it in full.
    columns = ["In the period now", "All confirmed in it", "Not all confirmed in it"]
    return [
        bar_chart(
            f"{table.key}-{index}",
            f"{row[0].value}: supernumerary period",
            [(label, cell.value) for label, cell in zip(columns, row[2:-1], strict=True)],
        )
        for index, row in enumerate(table.rows)
    ]


SPC_WIDTH, SPC_HEIGHT = 720, 300
SPC_LEFT, SPC_RIGHT, SPC_TOP, SPC_BOTTOM = 50, 150, 20, 50


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    label: str
    outside: bool
    # The kinds of run (shift or trend) the month is part of.
    signals: tuple[str, ...] = ()

    @property
    def marker(self) -> str:
        """Its shape, so a special cause shows without colour: a square outside the limits,
        a diamond in a run on one side of the mean, a triangle in a trend, else a dot."""
        if self.outside:
            return "square"
        if SHIFT_ABOVE in self.signals or SHIFT_BELOW in self.signals:
            return "diamond"
        if TREND_UP in self.signals:
            return "triangle_up"
        if TREND_DOWN in self.signals:
            return "triangle_down"
        return "dot"

    @property
    def diamond(self) -> str:
        x, y = self.x, self.y
        return f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}"

    @property
    def triangle(self) -> str:
        x, y = self.x, self.y
        tip = -7 if self.marker == "triangle_up" else 7
        return f"{x:.1f},{y + tip:.1f} {x + 7:.1f},{y - tip:.1f} {x - 7:.1f},{y - tip:.1f}"

    @property
    def what(self) -> str:
        """What the point's marker means, in words."""
        found = ["outside the limits"] if self.outside else []
        found += [SIGNALS[kind] for kind in self.signals]
        return ", ".join(found)


@dataclass(frozen=True)
class Line:
    y: float
    label: str
    dashed: bool
    # Where its label sits: moved apart from the others' when the lines are close.
    label_y: float = 0


@dataclass(frozen=True)
class SpcChart:
    key: str
    title: str
    description: str
    points: list[Point]
    lines: list[Line]
    ticks: list[tuple[float, str]]
    month_labels: list[tuple[float, str]]
    width: int = SPC_WIDTH
    height: int = SPC_HEIGHT
    left: int = SPC_LEFT
    plot_right: int = SPC_WIDTH - SPC_RIGHT
    bottom: int = SPC_HEIGHT - SPC_BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def spc_chart(key: str, title: str, months, values: list[int], limits) -> SpcChart:
    top = max([*values, limits.upper, 1]) * 1.1
    plot_width = SPC_WIDTH - SPC_LEFT - SPC_RIGHT
    plot_height = SPC_HEIGHT - SPC_TOP - SPC_BOTTOM
    step = plot_width / max(len(values) - 1, 1)

    def y(value: float) -> float:
        return SPC_TOP + plot_height * (1 - value / top)

    runs = special_runs(values, limits)
    signals = signals_by_month(len(values), runs)
    points = [
        Point(SPC_LEFT + i * step, y(v), v, f"{m:%b %Y}", limits.outside(v), tuple(signals[i]))
        for i, (m, v) in enumerate(zip(months, values, strict=True))
    ]
    lines = _spread_labels(
        [
            Line(y(limits.upper), f"Upper limit {limits.upper:.1f}", True),
            Line(y(limits.mean), f"Mean {limits.mean:.1f}", False),
            Line(y(limits.lower), f"Lower limit {limits.lower:.1f}", True),
        ]
    )
    unusual = [p for p in points if p.outside]
    description = (
        f"Sign-offs in each of the last {len(values)} months, from {points[0].label} to "
        f"{points[-1].label}: mean {limits.mean:.1f}, process limits {limits.lower:.1f} to "
        f"{limits.upper:.1f}. "
        + (
            "Months outside the limits (drawn as squares): "
            + ", ".join(f"{p.label} ({p.value})" for p in unusual)
            + "."
            if unusual
            else "No month is outside the limits."
        )
        + _runs_in_words(runs, points)
    )
    ticks = [(y(0), "0"), (y(top / 1.1), f"{top / 1.1:.0f}")]
    month_labels = [(p.x, p.label) for i, p in enumerate(points) if i % 3 == 0]
    return SpcChart(key, title, description, points, lines, ticks, month_labels)


SHAPES = {
    SHIFT_ABOVE: "diamonds",
    SHIFT_BELOW: "diamonds",
    TREND_UP: "triangles",
    TREND_DOWN: "triangles",
}


def _runs_in_words(runs, points: list[Point]) -> str:
    if not runs:
        return " No run of 7 months on one side of the mean, and no trend of 7 months."
    return "".join(
        f" {SIGNALS[run.kind].capitalize()} over {run.length} months, from "
        f"{points[run.start].label} to {points[run.end].label} (drawn as {SHAPES[run.kind]})."
        for run in runs
    )


LABEL_GAP = 16


def _spread_labels(lines: list[Line]) -> list[Line]:
    """Lines top to bottom, each label at least a line of text below the one above, so close
    lines (all nought, say) keep readable labels."""
    placed, lowest = [], float("-inf")
    for line in lines:
        label_y = max(line.y + 4, lowest + LABEL_GAP)
        placed.append(Line(line.y, line.label, line.dashed, label_y))
        lowest = label_y
    return placed
