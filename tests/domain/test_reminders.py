"""When each reminder is due: local clock times for prep and evening, real hours for the final one."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from booking.domain.reminders import LATE_GRACE, PlannedReminder, ReminderSchedule, plan_reminders
from booking.models.outbox import REMINDER_KINDS, MessageKind
from tests.domain.availability_cases import CHICAGO, UTC

DEFAULT = ReminderSchedule()  # 3 days before, the evening before, 2 hours before
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def chicago(*parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=CHICAGO, fold=fold)  # type: ignore[misc]


def due(reminders: list[PlannedReminder]) -> list[tuple[MessageKind, datetime]]:
    return [(r.kind, r.due_at) for r in reminders]


def test_defaults_and_kinds() -> None:
    assert (DEFAULT.days_before, DEFAULT.evening_before, DEFAULT.hours_before) == (3, True, 2)
    assert {MessageKind.REMINDER_PREP, MessageKind.REMINDER_EVENING, MessageKind.REMINDER_FINAL} == REMINDER_KINDS
    assert timedelta(minutes=30) == LATE_GRACE


def test_an_ordinary_week_in_utc_and_in_time_order() -> None:
    # Thursday 4 June 2026, 10:00 CDT (15:00 UTC); 6 hours of fasting from 04:00.
    planned = plan_reminders(chicago(2026, 6, 4, 10), CHICAGO, DEFAULT, 6, LONG_AGO)
    assert due(planned) == [
        (MessageKind.REMINDER_PREP, utc(2026, 6, 1, 15)),  # Monday 10:00 CDT
        (MessageKind.REMINDER_EVENING, utc(2026, 6, 3, 23)),  # Wednesday 18:00 CDT
        (MessageKind.REMINDER_FINAL, utc(2026, 6, 4, 13)),  # 08:00 CDT
    ]
    assert all(r.due_at.tzinfo is UTC for r in planned)
    assert not any(r.skip for r in planned)


def test_the_start_may_be_given_in_any_zone() -> None:
    in_utc = plan_reminders(utc(2026, 6, 4, 15), CHICAGO, DEFAULT, 6, LONG_AGO)
    assert in_utc == plan_reminders(chicago(2026, 6, 4, 10), CHICAGO, DEFAULT, 6, LONG_AGO)


def test_prep_keeps_the_local_clock_time_across_spring_forward() -> None:
    # Tuesday 10 March 2026 10:00 CDT; the clocks went forward on Sunday the 8th.
    planned = plan_reminders(chicago(2026, 3, 10, 10), CHICAGO, DEFAULT, 6, LONG_AGO)
    assert due(planned) == [
        (MessageKind.REMINDER_PREP, utc(2026, 3, 7, 16)),  # Saturday 10:00 CST: 71 real hours earlier
        (MessageKind.REMINDER_EVENING, utc(2026, 3, 9, 23)),  # Monday 18:00 CDT
        (MessageKind.REMINDER_FINAL, utc(2026, 3, 10, 13)),
    ]


def test_prep_keeps_the_local_clock_time_across_fall_back() -> None:
    # Tuesday 3 November 2026 10:00 CST; the clocks went back on Sunday the 1st.
    planned = plan_reminders(chicago(2026, 11, 3, 10), CHICAGO, DEFAULT, None, LONG_AGO)
    assert due(planned) == [
        (MessageKind.REMINDER_PREP, utc(2026, 10, 31, 15)),  # Saturday 10:00 CDT: 73 real hours earlier
        (MessageKind.REMINDER_EVENING, utc(2026, 11, 3, 0)),  # Monday 18:00 CST
        (MessageKind.REMINDER_FINAL, utc(2026, 11, 3, 14)),  # 08:00 CST
    ]


def test_the_evening_reminder_is_at_1800_local_on_the_day_the_clocks_change() -> None:
    # Monday 9 March 10:00 CDT, 6 h fasting: the evening before is Sunday the 8th, already CDT.
    spring = plan_reminders(chicago(2026, 3, 9, 10), CHICAGO, ReminderSchedule(None, True, None), 6, LONG_AGO)
    assert due(spring) == [(MessageKind.REMINDER_EVENING, utc(2026, 3, 8, 23))]
    # Monday 2 November 10:00 CST: the evening before is Sunday the 1st, already CST.
    fall = plan_reminders(chicago(2026, 11, 2, 10), CHICAGO, ReminderSchedule(None, True, None), 6, LONG_AGO)
    assert due(fall) == [(MessageKind.REMINDER_EVENING, utc(2026, 11, 2, 0))]


def test_the_final_reminder_is_real_hours_before_even_across_the_change() -> None:
    # Sunday 8 March 04:00 CDT (09:00 UTC): two real hours before is 01:00 CST, three on the clock.
    planned = plan_reminders(chicago(2026, 3, 8, 4), CHICAGO, ReminderSchedule(None, False, 2), None, LONG_AGO)
    assert due(planned) == [(MessageKind.REMINDER_FINAL, utc(2026, 3, 8, 7))]
    assert planned[0].due_at.astimezone(CHICAGO).hour == 1


@pytest.mark.parametrize(
    ("fasting_hours", "evening"),
    [
        (None, utc(2026, 6, 3, 23)),  # no fasting: the evening before the visit
        (0, utc(2026, 6, 3, 23)),
        (6, utc(2026, 6, 3, 23)),  # cutoff 02:00 on the day
        (8, utc(2026, 6, 3, 23)),  # cutoff exactly midnight: still the day of the visit
        (9, utc(2026, 6, 2, 23)),  # cutoff 23:00 the day before: two evenings before
        (12, utc(2026, 6, 2, 23)),  # cutoff 20:00 the day before
        (33, utc(2026, 6, 1, 23)),  # cutoff 23:00 two days before: three evenings before
    ],
)
def test_the_evening_reminder_comes_the_evening_before_the_fasting_cutoff(
    fasting_hours: int | None, evening: datetime
) -> None:
    # Thursday 4 June 2026 08:00 CDT (13:00 UTC).
    schedule = ReminderSchedule(days_before=None, evening_before=True, hours_before=None)
    planned = plan_reminders(chicago(2026, 6, 4, 8), CHICAGO, schedule, fasting_hours, LONG_AGO)
    assert due(planned) == [(MessageKind.REMINDER_EVENING, evening)]


def test_a_long_fast_puts_the_evening_reminder_before_a_one_day_prep() -> None:
    # 08:00 with 12 hours of fasting: the evening reminder is Tuesday, the prep one Wednesday.
    schedule = ReminderSchedule(days_before=1, evening_before=True, hours_before=2)
    planned = plan_reminders(chicago(2026, 6, 4, 8), CHICAGO, schedule, 12, LONG_AGO)
    assert due(planned) == [
        (MessageKind.REMINDER_EVENING, utc(2026, 6, 2, 23)),
        (MessageKind.REMINDER_PREP, utc(2026, 6, 3, 13)),
        (MessageKind.REMINDER_FINAL, utc(2026, 6, 4, 11)),
    ]


@pytest.mark.parametrize(
    ("schedule", "kinds"),
    [
        (ReminderSchedule(None, False, None), []),
        (ReminderSchedule(0, False, 0), []),
        (ReminderSchedule(3, False, None), [MessageKind.REMINDER_PREP]),
        (ReminderSchedule(None, True, None), [MessageKind.REMINDER_EVENING]),
        (ReminderSchedule(None, False, 2), [MessageKind.REMINDER_FINAL]),
        (ReminderSchedule(7, False, 24), [MessageKind.REMINDER_PREP, MessageKind.REMINDER_FINAL]),
    ],
)
def test_each_reminder_can_be_turned_off(schedule: ReminderSchedule, kinds: list[str]) -> None:
    planned = plan_reminders(chicago(2026, 6, 4, 10), CHICAGO, schedule, 6, LONG_AGO)
    assert [r.kind for r in planned] == kinds


def test_days_and_hours_are_as_configured() -> None:
    schedule = ReminderSchedule(days_before=7, evening_before=False, hours_before=24)
    planned = plan_reminders(chicago(2026, 6, 4, 10), CHICAGO, schedule, 6, LONG_AGO)
    assert due(planned) == [(MessageKind.REMINDER_PREP, utc(2026, 5, 28, 15)), (MessageKind.REMINDER_FINAL, utc(2026, 6, 3, 15))]


def test_reminders_at_or_after_the_start_are_dropped() -> None:
    # Settings that would put reminders after the visit give none rather than late ones.
    after = ReminderSchedule(days_before=-1, evening_before=False, hours_before=-2)
    assert plan_reminders(chicago(2026, 6, 4, 10), CHICAGO, after, 6, LONG_AGO) == []
    # Only the one that would come after the visit goes; the others stay.
    mixed = ReminderSchedule(days_before=3, evening_before=True, hours_before=-2)
    assert [r.kind for r in plan_reminders(chicago(2026, 6, 4, 10), CHICAGO, mixed, 6, LONG_AGO)] == [
        MessageKind.REMINDER_PREP, MessageKind.REMINDER_EVENING,
    ]


def test_a_reminder_up_to_the_grace_period_late_still_goes_out() -> None:
    start = chicago(2026, 6, 4, 10)
    final = utc(2026, 6, 4, 13)
    just_in_time = plan_reminders(start, CHICAGO, ReminderSchedule(None, False, 2), None, final + LATE_GRACE)
    assert just_in_time == [PlannedReminder(MessageKind.REMINDER_FINAL, final, False, visit_in_days=0)]
    too_late = plan_reminders(start, CHICAGO, ReminderSchedule(None, False, 2), None, final + LATE_GRACE + timedelta(seconds=1))
    assert too_late == [PlannedReminder(MessageKind.REMINDER_FINAL, final, True, visit_in_days=0)]


def test_booking_late_skips_the_moments_that_have_passed() -> None:
    # Booked on Wednesday 3 June at 18:30 CDT (23:30 UTC) for Thursday 10:00.
    planned = plan_reminders(chicago(2026, 6, 4, 10), CHICAGO, DEFAULT, 6, utc(2026, 6, 3, 23, 30))
    assert [(r.kind, r.skip) for r in planned] == [
        (MessageKind.REMINDER_PREP, True),  # Monday: long gone
        (MessageKind.REMINDER_EVENING, False),  # 18:00, thirty minutes ago: still sent
        (MessageKind.REMINDER_FINAL, False),
    ]
    # Booked an hour before the visit: even the final reminder is an hour late.
    planned = plan_reminders(chicago(2026, 6, 4, 10), CHICAGO, DEFAULT, 6, utc(2026, 6, 4, 14))
    assert [r.skip for r in planned] == [True, True, True]


def test_now_may_be_given_in_any_zone() -> None:
    now_local = chicago(2026, 6, 3, 18, 30)
    assert plan_reminders(chicago(2026, 6, 4, 10), CHICAGO, DEFAULT, 6, now_local) == plan_reminders(
        chicago(2026, 6, 4, 10), CHICAGO, DEFAULT, 6, utc(2026, 6, 3, 23, 30)
    )


def test_a_prep_time_repeated_by_fall_back_is_its_first_occurrence() -> None:
    # Wednesday 4 November 01:30 CST; Sunday 1 November shows 01:30 twice.
    planned = plan_reminders(chicago(2026, 11, 4, 1, 30), CHICAGO, ReminderSchedule(3, False, None), None, LONG_AGO)
    assert due(planned) == [(MessageKind.REMINDER_PREP, utc(2026, 11, 1, 6, 30))]  # 01:30 CDT


@pytest.mark.xfail(
    strict=True,
    reason="booking/domain/reminders.py _at_local: fold=1 on a skipped wall time reads it with the offset "
    "after the change, which lands an hour before the jump (01:30 CST), not 'the moment they jump to'",
)
def test_a_prep_time_skipped_by_spring_forward_is_not_before_the_jump() -> None:
    # Wednesday 11 March 02:30 CDT; Sunday 8 March has no 02:30 (02:00 CST -> 03:00 CDT at 08:00 UTC).
    planned = plan_reminders(chicago(2026, 3, 11, 2, 30), CHICAGO, ReminderSchedule(3, False, None), None, LONG_AGO)
    assert len(planned) == 1
    assert utc(2026, 3, 8, 8) <= planned[0].due_at <= utc(2026, 3, 8, 8, 30)
