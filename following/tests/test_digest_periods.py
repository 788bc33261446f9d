"""A reader's daily and weekly periods, in the reader's time zone, across DST changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from following.digests.periods import covered_days, daily_period, weekly_period, zone_named

UTC = dt.UTC
BISHKEK, MOSCOW, BERLIN = (
    ZoneInfo("Asia/Bishkek"),
    ZoneInfo("Europe/Moscow"),
    ZoneInfo("Europe/Berlin"),
)


def utc(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


def test_a_daily_period_is_yesterdays_local_day_once_the_hour_has_come():
    # 09:00 in Bishkek (UTC+6) on 7 December.
    period = daily_period(zone=BISHKEK, hour=8, now=utc(2026, 12, 7, 3, 0))

    assert period.key == "2026-12-06"
    assert (period.start, period.end) == (utc(2026, 12, 5, 18), utc(2026, 12, 6, 18))
    assert period.send_at == utc(2026, 12, 7, 2)


def test_before_the_hour_the_latest_due_period_is_the_day_before():
    # 07:59 in Moscow (UTC+3) on 7 December: the 6th's digest is not due yet.
    period = daily_period(zone=MOSCOW, hour=8, now=utc(2026, 12, 7, 4, 59))

    assert period.key == "2026-12-05"
    assert (period.start, period.end) == (utc(2026, 12, 4, 21), utc(2026, 12, 5, 21))


def test_any_hour_takes_yesterday_whatever_the_hour():
    period = daily_period(zone=MOSCOW, hour=8, now=utc(2026, 12, 7, 0, 30), any_hour=True)

    assert period.key == "2026-12-06"


def test_one_instant_is_a_different_day_in_bishkek_and_moscow():
    now = utc(2026, 12, 6, 19, 30)  # 01:30 on the 7th in Bishkek, 22:30 on the 6th in Moscow

    bishkek = daily_period(zone=BISHKEK, hour=0, now=now)
    moscow = daily_period(zone=MOSCOW, hour=0, now=now)

    assert (bishkek.key, moscow.key) == ("2026-12-06", "2026-12-05")


@pytest.mark.parametrize(
    ("now", "key", "hours"),
    [
        (utc(2026, 3, 30, 12), "2026-03-29", 23),  # clocks forward on 29 March
        (utc(2026, 10, 26, 12), "2026-10-25", 25),  # and back on 25 October
        (utc(2026, 6, 16, 12), "2026-06-15", 24),
    ],
)
def test_a_day_with_a_dst_change_is_the_whole_local_day(now, key, hours):
    period = daily_period(zone=BERLIN, hour=8, now=now)

    assert period.key == key
    assert period.end - period.start == dt.timedelta(hours=hours)
    assert period.start.astimezone(BERLIN).time() == dt.time(0)
    assert period.end.astimezone(BERLIN).time() == dt.time(0)


def test_consecutive_days_across_dst_leave_no_gap_and_no_overlap():
    days = [daily_period(zone=BERLIN, hour=8, now=utc(2026, 3, d, 12)) for d in (29, 30, 31)]

    assert days[0].end == days[1].start and days[1].end == days[2].start


def test_a_weekly_period_is_the_seven_local_days_before_the_weekday():
    # Monday 7 December 2026, 08:00 in Bishkek.
    period = weekly_period(zone=BISHKEK, hour=8, weekday=0, now=utc(2026, 12, 7, 2))

    assert period.key == "2026-W49"
    assert (period.first_day, period.last_day) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert (period.start, period.end) == (utc(2026, 11, 29, 18), utc(2026, 12, 6, 18))


def test_a_weekly_period_before_the_hour_is_the_week_before():
    period = weekly_period(zone=BISHKEK, hour=8, weekday=0, now=utc(2026, 12, 7, 1, 59))

    assert period.key == "2026-W48"


def test_a_week_across_dst_is_seven_local_days():
    period = weekly_period(zone=BERLIN, hour=8, weekday=2, now=utc(2026, 4, 1, 12))

    assert period.end - period.start == dt.timedelta(days=7, hours=-1)
    assert period.first_day == dt.date(2026, 3, 25)


def test_covered_days_read_back_from_a_record():
    assert covered_days(kind="daily", key="2026-12-06", weekday=0) == (
        dt.date(2026, 12, 6),
        dt.date(2026, 12, 6),
    )
    assert covered_days(kind="weekly", key="2026-W49", weekday=2) == (
        dt.date(2026, 12, 2),
        dt.date(2026, 12, 8),
    )
    assert covered_days(kind="instant", key="a12", weekday=0) is None


def test_an_unknown_time_zone_is_named_in_the_error():
    with pytest.raises(ValueError, match="'Mars/Olympus'"):
        zone_named("Mars/Olympus")


def test_any_hour_takes_this_weeks_digest_on_the_weekday_before_the_hour():
    # Monday 7 December 2026, 03:00 in Bishkek; the hour is 08:00.
    now = utc(2026, 12, 6, 21)

    assert weekly_period(zone=BISHKEK, hour=8, weekday=0, now=now).key == "2026-W48"
    assert weekly_period(zone=BISHKEK, hour=8, weekday=0, now=now, any_hour=True).key == "2026-W49"
