"""Quiet hours on the clinic's wall clock, across daylight-saving changes."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from booking.domain.quiet_hours import QuietHours, allowed_from

CHICAGO = ZoneInfo("America/Chicago")
UTC = timezone.utc
QUIET = QuietHours(time(21), time(8), timedelta(hours=3))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


def test_outside_quiet_hours_now() -> None:
    moment = local(2027, 6, 1, 12)
    assert allowed_from(moment, CHICAGO, QUIET, None) == moment.astimezone(UTC)


def test_evening_waits_for_next_morning_and_early_morning_for_the_same() -> None:
    assert allowed_from(local(2027, 6, 1, 22), CHICAGO, QUIET, None) == local(2027, 6, 2, 8).astimezone(UTC)
    assert allowed_from(local(2027, 6, 2, 6), CHICAGO, QUIET, None) == local(2027, 6, 2, 8).astimezone(UTC)
    assert allowed_from(local(2027, 6, 1, 21), CHICAGO, QUIET, None) == local(2027, 6, 2, 8).astimezone(UTC)
    assert allowed_from(local(2027, 6, 2, 8), CHICAGO, QUIET, None) == local(2027, 6, 2, 8).astimezone(UTC)


def test_spring_forward_night_ends_at_eight_daylight_time() -> None:
    # Clocks jump 02:00 CST -> 03:00 CDT on 14 March 2027: the night is an hour shorter.
    moved = allowed_from(local(2027, 3, 13, 22), CHICAGO, QUIET, None)
    assert moved == datetime(2027, 3, 14, 13, tzinfo=UTC)  # 08:00 CDT (UTC-5), not 14:00
    assert moved.astimezone(CHICAGO).hour == 8


def test_fall_back_night_ends_at_eight_standard_time() -> None:
    moved = allowed_from(local(2027, 11, 6, 23), CHICAGO, QUIET, None)
    assert moved == datetime(2027, 11, 7, 14, tzinfo=UTC)  # 08:00 CST (UTC-6)


def test_quiet_end_in_the_skipped_hour_is_when_clocks_jump() -> None:
    quiet = QuietHours(time(21), time(2, 30), timedelta(hours=3))
    moved = allowed_from(local(2027, 3, 13, 23), CHICAGO, quiet, None)
    assert moved == datetime(2027, 3, 14, 8, tzinfo=UTC)  # 02:00 CST == 03:00 CDT


def test_close_to_the_visit_quiet_hours_give_way() -> None:
    visit = local(2027, 6, 2, 8, 30).astimezone(UTC)
    # 06:30 is within 3 hours of an 08:30 visit: it goes now.
    assert allowed_from(local(2027, 6, 2, 6, 30), CHICAGO, QUIET, visit) == local(2027, 6, 2, 6, 30).astimezone(UTC)
    # 04:00 waits until the exempt window opens at 05:30, before quiet hours end at 08:00.
    assert allowed_from(local(2027, 6, 2, 4), CHICAGO, QUIET, visit) == local(2027, 6, 2, 5, 30).astimezone(UTC)


def test_across_dst_the_exempt_window_is_real_hours() -> None:
    visit = local(2027, 3, 14, 4).astimezone(UTC)  # 04:00 CDT = 09:00 UTC
    # 22:00 CST the night before: exempt from 3 real hours before, 06:00 UTC (01:00 CDT... 00:00 CST).
    assert allowed_from(local(2027, 3, 13, 22), CHICAGO, QUIET, visit) == datetime(2027, 3, 14, 6, tzinfo=UTC)


def test_no_quiet_hours_when_start_equals_end() -> None:
    none = QuietHours(time(0), time(0), timedelta(0))
    assert allowed_from(local(2027, 6, 1, 3), CHICAGO, none, None) == local(2027, 6, 1, 3).astimezone(UTC)


def test_daytime_quiet_range() -> None:
    lunch = QuietHours(time(12), time(13), timedelta(0))
    assert allowed_from(local(2027, 6, 1, 12, 15), CHICAGO, lunch, None) == local(2027, 6, 1, 13).astimezone(UTC)
