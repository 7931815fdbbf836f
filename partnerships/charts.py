"""Geometry for the two small charts, drawn as inline SVG by the templates (no JavaScript, no library).

Each chart comes with the same numbers in a table on the page: the picture is
for a glance, the table is what a screen reader and a printout rely on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

# Colours from the USWDS palette, dark enough against white (WCAG 1.4.11, 3:1 for graphics).
PALETTE = ["#005ea2", "#c05600", "#008817", "#8168b3", "#b50909"]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: str = ""


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    bottom: int
    lines: list[Line]
    gridlines: list[tuple[float, str]]


def _day(moment) -> str:
    """The day of a submission in the reader's zone (the active one), not in UTC."""
    return f"{timezone.localtime(moment):%b %-d, %Y}"


def trend_chart(series, *, width: int = 560, height: int = 220) -> LineChart:
    """Overall scores (0–100 %) of each member's assessments, oldest left; one point per assessment.

    The x axis counts assessments, not days: re-assessments months apart stay readable.
    """
    left, right, top, bottom = 44, 16, 12, 28
    inner_w, inner_h = width - left - right, height - top - bottom
    longest = max((len(line.points) for line in series), default=1)
    step = inner_w / max(longest - 1, 1)

    def y(score: float) -> float:
        return top + inner_h * (1 - score / 100)

    lines = [
        Line(
            line.organization,
            PALETTE[index % len(PALETTE)],
            [
                Point(
                    left + step * position if longest > 1 else left + inner_w / 2,
                    y(point.score),
                    f"{line.organization}: {point.score:g}% on {_day(point.at)}",
                    f"{point.score:g}% ({_day(point.at)})",
                )
                for position, point in enumerate(line.points)
            ],
        )
        for index, line in enumerate(series)
    ]
    gridlines = [(y(score), f"{score}%") for score in (0, 25, 50, 75, 100)]
    return LineChart(width, height, left, top, height - bottom, lines, gridlines)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    colour: str
    label: str
    value: int = 0
    centre: float = 0.0


@dataclass(frozen=True)
class BarGroup:
    name: str
    x: float
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bar_width: float
    groups: list[BarGroup]
    legend: list[tuple[str, str]]


def grouped_bar_chart(rows, measures: list[tuple[str, str]], *, width: int = 640, height: int = 240) -> BarChart:
    """One group of bars per row (a Learning Site), one bar per measure (requests, visits, trainings)."""
    top, bottom, side = 20, 40, 12
    inner_h = height - top - bottom
    highest = max((getattr(row, name) for row in rows for name, _ in measures), default=0) or 1
    group_w = (width - 2 * side) / max(len(rows), 1)
    bar_w = min(28.0, group_w * 0.8 / len(measures))
    groups = []
    for index, row in enumerate(rows):
        start = side + group_w * index + (group_w - bar_w * len(measures)) / 2
        bars = []
        for position, (name, label) in enumerate(measures):
            value = getattr(row, name)
            bar_h = inner_h * value / highest
            x = start + bar_w * position
            bars.append(
                Bar(x, top + inner_h - bar_h, bar_h, PALETTE[position], f"{label}: {value}", value, x + bar_w / 2)
            )
        groups.append(BarGroup(row.site, side + group_w * index + group_w / 2, bars))
    legend = [(label, PALETTE[position]) for position, (_, label) in enumerate(measures)]
    return BarChart(width, height, top + inner_h, bar_w, groups, legend)
