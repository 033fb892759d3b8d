"""Series planning (pure) and booking (all or nothing)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from booking.domain.availability import Slot
from booking.domain.series import (
    PlannedSession,
    SeriesImpossible,
    SeriesRules,
    plan_series,
)
from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentSeries,
    Closure,
    MessageKind,
    OutboxMessage,
    utcnow,
)
from booking.operations.series_booking import SeriesConflict, book_series
from booking.queries.availability import find_slots
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local

ZONE = ZoneInfo("America/Chicago")
MONDAY = date(2027, 3, 1)


def slots(days: int, hours: tuple[int, ...] = (9, 13), first: date = MONDAY) -> list[Slot]:
    out = []
    for n in range(days):
        for hour in hours:
            start = datetime.combine(first + timedelta(days=n), time(hour), tzinfo=ZONE)
            out.append(Slot(start, start + timedelta(hours=1), (1,)))
    return out


def test_six_in_three_weeks_every_other_day() -> None:
    plan = plan_series(slots(30), SeriesRules(count=6, within_days=21, min_gap_days=2), MONDAY, ZONE)
    days = [s.start.date() for s in plan]
    assert len(plan) == 6
    assert all((b - a).days >= 2 for a, b in zip(days, days[1:], strict=False))
    assert days[0] == MONDAY and days[-1] <= MONDAY + timedelta(days=20)
    assert {s.start.hour for s in plan} == {9}  # a steady rhythm


def test_weekdays_and_time_of_day_are_respected() -> None:
    rules = SeriesRules(count=4, within_days=28, weekdays=frozenset({1, 3}), earliest=time(12), latest=time(17))
    plan = plan_series(slots(28), rules, MONDAY, ZONE)
    assert {s.start.weekday() for s in plan} <= {1, 3}
    assert all(s.start.hour == 13 for s in plan)


def test_gaps_in_availability_are_skipped_not_squeezed() -> None:
    free = [s for s in slots(21) if s.start.date() not in {MONDAY + timedelta(days=d) for d in (1, 2, 3)}]
    plan = plan_series(free, SeriesRules(count=3, within_days=21, min_gap_days=1), MONDAY, ZONE)
    assert [s.start.date() for s in plan] == [MONDAY, MONDAY + timedelta(days=4), MONDAY + timedelta(days=5)]


def test_impossible_plan_says_how_many_fit() -> None:
    with pytest.raises(SeriesImpossible) as error:
        plan_series(slots(5), SeriesRules(count=6, within_days=5, min_gap_days=1), MONDAY, ZONE)
    assert (error.value.found, error.value.wanted) == (5, 6)


def test_rules_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        SeriesRules(count=3, within_days=10, min_gap_days=0)


def _infusion(clinic: Any) -> Any:
    return service(clinic, "infusion")


def test_planned_from_real_availability_avoids_closures_and_full_chairs(
    make_clinic: Any, make_appointment: Any
) -> None:
    clinic = make_clinic(chairs=1)
    first = days_ahead(clinic, 2)
    db.session.add(Closure(clinic_id=clinic.id, start_date=first + timedelta(days=1), end_date=first + timedelta(days=1)))
    db.session.commit()
    make_appointment(clinic, _infusion(clinic), chairs(clinic)[0], local(clinic, first, 8))
    free = find_slots(clinic, _infusion(clinic), first, 10, utcnow(), staff=True)
    plan = plan_series(free, SeriesRules(count=3, within_days=10), first, ZoneInfo(clinic.timezone))
    days = [s.start.astimezone(ZoneInfo(clinic.timezone)).date() for s in plan]
    assert first + timedelta(days=1) not in days
    assert plan[0].start.astimezone(ZoneInfo(clinic.timezone)).time() >= time(9, 45)  # after 8:00 + 1h45


def test_series_is_booked_all_or_nothing(make_clinic: Any, make_appointment: Any, make_patient: Any) -> None:
    clinic = make_clinic(chairs=1)
    patient = make_patient(clinic)
    starts = [local(clinic, days_ahead(clinic, 2 + 2 * n), 9) for n in range(4)]
    make_appointment(clinic, _infusion(clinic), chairs(clinic)[0], starts[2] + timedelta(minutes=30))
    before = db.session.scalar(select(func.count()).select_from(Appointment))
    with pytest.raises(SeriesConflict) as error:
        book_series(clinic, patient, _infusion(clinic), [PlannedSession(s) for s in starts],
                    actor_id=None, now=utcnow(), override_consult_first=True)
    db.session.rollback()
    assert error.value.index == 2
    assert db.session.scalar(select(func.count()).select_from(Appointment)) == before
    assert db.session.scalar(select(func.count()).select_from(AppointmentSeries)) == 0

    ok = [s for i, s in enumerate(starts) if i != 2]
    booked = book_series(clinic, patient, _infusion(clinic), [PlannedSession(s) for s in ok],
                         actor_id=None, now=utcnow(), override_consult_first=True)
    db.session.commit()
    assert [a.starts_at for a in booked] == ok
    assert len({a.series_id for a in booked}) == 1
    kinds = list(db.session.scalars(select(OutboxMessage.kind)))
    # One confirmation for the course, not one per session; each session has its reminders.
    assert [k for k in kinds if not k.is_reminder] == [MessageKind.SERIES_BOOKED]
    assert len([k for k in kinds if k is MessageKind.REMINDER_FINAL]) == len(ok)
