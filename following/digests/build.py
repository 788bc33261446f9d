"""Making the records of every alert and digest whose time has come (``build_due``)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.utils import timezone

from ..models import Delivery, Frequency
from .instant import build_alerts
from .new_articles import WindowCache
from .periods import Period, daily_period, weekly_period, zone_named
from .readers import Schedule, due_pages, schedules
from .records import RecordWriter

logger = logging.getLogger(__name__)

KINDS_MADE = (Delivery.Kind.INSTANT, Delivery.Kind.DAILY, Delivery.Kind.WEEKLY)


@dataclass
class BuildReport:
    made: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS_MADE, 0))

    @property
    def total(self) -> int:
        return sum(self.made.values())

    def line(self) -> str:
        """«made 12 (instant 2, daily 10, weekly 0)»."""
        parts = ", ".join(f"{kind} {count}" for kind, count in self.made.items())
        return f"made {self.total} ({parts})"


def build_due(*, now: dt.datetime | None = None, any_hour: bool = False) -> BuildReport:
    """Records for every alert and digest due at ``now`` (default: this moment).

    A digest is due once its reader's local hour (and weekday) has come and its
    period has no record yet; with ``any_hour`` the hour counts as reached (the
    periods stay the reader's local day and week, so running it twice makes
    nothing twice). A period with nothing new makes no record."""
    now = now or timezone.now()
    writer = RecordWriter()
    build_alerts(now=now, writer=writer)
    windows = WindowCache()
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        for schedule in schedules(frequency=frequency):
            period = _period(schedule, now=now, any_hour=any_hour)
            if period is not None:
                _build_digests(schedule, period, windows=windows, writer=writer)
    writer.flush()
    report = BuildReport()
    report.made.update(writer.written)
    return report


def _period(schedule: Schedule, *, now: dt.datetime, any_hour: bool) -> Period | None:
    try:
        zone = zone_named(schedule.time_zone)
    except ValueError as error:
        # One reader's broken setting must not hold up everyone else's digests.
        logger.warning("digests skipped for readers on %s: %s", schedule, error)
        return None
    if schedule.frequency == Frequency.DAILY:
        return daily_period(zone=zone, hour=schedule.hour, now=now, any_hour=any_hour)
    return weekly_period(
        zone=zone, hour=schedule.hour, weekday=schedule.weekday, now=now, any_hour=any_hour
    )


def _build_digests(
    schedule: Schedule, period: Period, *, windows: WindowCache, writer: RecordWriter
) -> None:
    new = windows.get(start=period.start, end=period.end)
    if not new.published_at:
        return
    for page in due_pages(schedule, period):
        for reader_id, targets in page.items():
            if article_ids := new.for_targets(targets):
                writer.add(
                    reader_id=reader_id,
                    kind=period.kind,
                    period=period.key,
                    article_ids=article_ids,
                )
