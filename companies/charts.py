"""The mentions chart on entity pages: bar geometry for the SVG the template draws."""

from dataclasses import dataclass

from .queries import MonthCount


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    month: MonthCount


CHART_HEIGHT = 56  # drawing area, in SVG units; the axis sits at its bottom
BAR_WIDTH = 16
BAR_STEP = 20


def chart_bars(months: list[MonthCount]) -> list[Bar]:
    """Bar geometry for the mentions chart, scaled to the busiest month."""
    peak = max((m.count for m in months), default=0) or 1
    bars = []
    for n, month in enumerate(months):
        height = round(month.count / peak * (CHART_HEIGHT - 4))
        bars.append(Bar(x=n * BAR_STEP, y=CHART_HEIGHT - height, height=height, month=month))
    return bars
