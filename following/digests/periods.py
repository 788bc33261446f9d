"""A reader's digest periods, in the reader's own time zone.

A daily digest covers one local calendar day and goes out the next day at the
reader's hour; a weekly one covers the 7 local days before the reader's weekday
and goes out that day at the hour. Windows run from local midnight to local
midnight, so a day with a daylight-saving change is 23 or 25 hours long and no
article falls between two digests or into both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..models import Delivery


@dataclass(frozen=True)
class Period:
    """One digest's stretch of time: its key in ``Delivery.period`` and its window."""

    kind: str  # Delivery.Kind.DAILY or WEEKLY
    key: str  # «2026-12-06» (the day covered), «2026-W49» (the ISO week the window starts in)
    first_day: dt.date
    last_day: dt.date
    start: dt.datetime  # in UTC; the window is [start, end)
    end: dt.datetime
    send_at: dt.datetime


def zone_named(name: str) -> ZoneInfo:
    """The time zone, or ValueError saying which name is wrong."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        hint = "an IANA name such as Asia/Bishkek"
        raise ValueError(f"unknown time zone {name!r} ({hint})") from error


# In UTC: Python subtracts and compares two datetimes of one ``ZoneInfo`` by their
# wall clocks, which would make a DST day 24 hours long.
def _midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def _at_hour(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def daily_period(*, zone: ZoneInfo, hour: int, now: dt.datetime, any_hour: bool = False) -> Period:
    """The latest daily period whose sending time has come by ``now``.

    With ``any_hour`` the hour counts as reached today: yesterday's digest."""
    today = now.astimezone(zone).date()
    send_day = today
    if not any_hour and now < _at_hour(today, hour, zone):
        send_day = today - dt.timedelta(days=1)
    day = send_day - dt.timedelta(days=1)
    return Period(
        kind=Delivery.Kind.DAILY,
        key=day.isoformat(),
        first_day=day,
        last_day=day,
        start=_midnight(day, zone),
        end=_midnight(send_day, zone),
        send_at=_at_hour(send_day, hour, zone),
    )


def weekly_period(
    *, zone: ZoneInfo, hour: int, weekday: int, now: dt.datetime, any_hour: bool = False
) -> Period:
    """The latest weekly period whose sending time has come by ``now``.

    With ``any_hour`` the hour counts as reached when today is the weekday."""
    today = now.astimezone(zone).date()
    send_day = today - dt.timedelta(days=(today.weekday() - weekday) % 7)
    if not any_hour and now < _at_hour(send_day, hour, zone):
        send_day -= dt.timedelta(days=7)
    first_day = send_day - dt.timedelta(days=7)
    year, week, _ = first_day.isocalendar()
    return Period(
        kind=Delivery.Kind.WEEKLY,
        key=f"{year}-W{week:02d}",
        first_day=first_day,
        last_day=send_day - dt.timedelta(days=1),
        start=_midnight(first_day, zone),
        end=_midnight(send_day, zone),
        send_at=_at_hour(send_day, hour, zone),
    )


def covered_days(*, kind: str, key: str, weekday: int) -> tuple[dt.date, dt.date] | None:
    """The first and last local day a digest's record covers (for its subject).

    A weekly key names the ISO week its window starts in; the window starts on the
    reader's weekday (``weekday``, Monday 0). None for keys of other kinds."""
    if kind == Delivery.Kind.DAILY:
        day = dt.date.fromisoformat(key)
        return day, day
    if kind == Delivery.Kind.WEEKLY:
        year, week = key.split("-W")
        first = dt.date.fromisocalendar(int(year), int(week), weekday + 1)
        return first, first + dt.timedelta(days=6)
    return None
