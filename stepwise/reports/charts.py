"""Horizontal bar charts drawn as SVG on the server (see docs/adr/0009-charts.md).

Each bar carries its label and its number as text, so the chart reads without colour, and
the page puts the same figures in a table beside it. Colours are SVG presentation attributes
(not a style sheet), which the content security policy allows.
"""

from dataclasses import dataclass

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
