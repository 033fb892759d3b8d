"""A questionnaire's scores across a patient's visits as a small server-drawn line chart (SVG)."""
from __future__ import annotations

from dataclasses import dataclass

from booking.domain.questionnaires import DEFINITIONS, Instrument
from booking.queries.checkins import ScorePoint

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 28


@dataclass(frozen=True)
class ChartPoint:
    """One visit's score and where it sits on the chart."""

    x: float
    y: float
    value: float
    point: ScorePoint


@dataclass(frozen=True)
class Chart:
    """The scores of one instrument, visit by visit, and the axis ticks."""

    instrument: Instrument
    name: str
    max_value: float
    points: tuple[ChartPoint, ...]
    ticks: tuple[tuple[float, float], ...]  # (value, y)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        """The SVG points attribute joining the visits in order."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def value_of(point: ScorePoint) -> float | int:
    """What the instrument reports for a total (the PEG's mean to one decimal, else the total)."""
    divisor = DEFINITIONS[point.instrument].divisor
    return point.total if divisor == 1 else round(point.total / divisor, 1)


def charts(points: list[ScorePoint]) -> list[Chart]:
    """One chart per instrument answered, in the canonical order, visits left to right."""
    found = []
    for instrument in Instrument:
        mine = [p for p in points if p.instrument is instrument]
        if not mine:
            continue
        top = DEFINITIONS[instrument].max_value
        span_x = WIDTH - LEFT - RIGHT
        span_y = HEIGHT - TOP - BOTTOM
        step = span_x / max(len(mine) - 1, 1)

        def y_of(value: float, top: float = top, span_y: float = span_y) -> float:
            return TOP + span_y * (1 - value / top)

        placed = tuple(
            ChartPoint(LEFT + (step * i if len(mine) > 1 else span_x / 2), y_of(value_of(p)), value_of(p), p)
            for i, p in enumerate(mine)
        )
        ticks = tuple((round(top * f, 1), y_of(top * f)) for f in (0, 0.25, 0.5, 0.75, 1))
        found.append(Chart(instrument, DEFINITIONS[instrument].name, top, placed, ticks))
    return found
