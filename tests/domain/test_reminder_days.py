"""Reminder planning: how many calendar days, in the clinic's zone, each reminder comes before the visit."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from booking.domain.reminders import ReminderSchedule, days_between, plan_reminders
from booking.models.outbox import MessageKind

UTC = timezone.utc
CHICAGO = ZoneInfo("America/Chicago")
START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # Tuesday 09:00 CST
NOW = datetime(2026, 2, 1, tzinfo=UTC)


def planned(fasting_hours: int | None, hours_before: int = 2) -> dict[MessageKind, tuple[datetime, int]]:
    schedule = ReminderSchedule(days_before=3, evening_before=True, hours_before=hours_before)
    return {r.kind: (r.due_at, r.visit_in_days) for r in plan_reminders(START, CHICAGO, schedule, fasting_hours, NOW)}


def test_a_long_fast_puts_the_evening_reminder_two_days_before() -> None:
    # No food after 21:00 Monday: the reminder is 18:00 Sunday, 00:00 UTC Monday.
    assert planned(12)[MessageKind.REMINDER_EVENING] == (datetime(2026, 3, 2, 0, 0, tzinfo=UTC), 2)


def test_days_are_counted_in_the_clinic_zone_not_utc() -> None:
    # 18:00 Monday in Chicago is already Tuesday in UTC, the visit's UTC day: still "tomorrow".
    assert planned(6)[MessageKind.REMINDER_EVENING] == (datetime(2026, 3, 3, 0, 0, tzinfo=UTC), 1)
    assert planned(None)[MessageKind.REMINDER_EVENING][1] == 1
    assert planned(6)[MessageKind.REMINDER_PREP][1] == 3
    assert planned(6)[MessageKind.REMINDER_FINAL][1] == 0
    assert planned(6, hours_before=14)[MessageKind.REMINDER_FINAL][1] == 1  # 19:00 Monday


def test_days_between_uses_local_dates() -> None:
    evening_in_chicago = datetime(2026, 3, 3, 0, 30, tzinfo=UTC)  # Monday 18:30 CST
    assert days_between(evening_in_chicago, START, CHICAGO) == 1
    assert days_between(evening_in_chicago, START, UTC) == 0
    before_midnight_in_tokyo = datetime(2026, 3, 3, 14, 30, tzinfo=UTC)  # 23:30 JST; START is 00:00 JST
    assert days_between(before_midnight_in_tokyo, START, ZoneInfo("Asia/Tokyo")) == 1
    assert days_between(before_midnight_in_tokyo, START, CHICAGO) == 0
