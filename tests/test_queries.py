"""The availability query layer loads only the window it is asked about."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from booking.domain.availability import Period
from booking.extensions import db
from booking.limits import LONGEST_BLOCK, RECOVERY_MINUTES, SERVICE_MINUTES
from booking.models import AppointmentStatus, Chair, ChairKind, Closure, Service
from booking.queries.availability import load_calendar, load_occupancies, window_of


def test_only_appointments_touching_the_window_are_loaded(make_clinic: Any, make_appointment: Any) -> None:
    clinic = make_clinic(chairs=1)
    chair = db.session.scalar(select(Chair).filter_by(clinic_id=clinic.id, kind=ChairKind.INFUSION))
    infusion = db.session.scalar(select(Service).filter_by(clinic_id=clinic.id, slug="infusion"))
    zone = ZoneInfo(clinic.timezone)
    day = date(2027, 5, 10)
    at = lambda d, h, m=0: datetime.combine(d, time(h, m), tzinfo=zone)  # noqa: E731
    make_appointment(clinic, infusion, chair, at(day - timedelta(days=30), 10))  # long before
    spill = make_appointment(clinic, infusion, chair, at(day - timedelta(days=1), 23))  # runs into the day
    inside = make_appointment(clinic, infusion, chair, at(day, 9))
    make_appointment(clinic, infusion, chair, at(day, 12), status=AppointmentStatus.CANCELLED)
    make_appointment(clinic, infusion, chair, at(day + timedelta(days=1), 0, 30))  # after

    window = window_of(zone, day, 1)
    assert window == Period(at(day, 0).astimezone(timezone.utc), at(day + timedelta(days=1), 0).astimezone(timezone.utc))
    loaded = load_occupancies(clinic, [chair.id], window)
    assert sorted(o.start for o in loaded) == sorted([spill.starts_at, inside.starts_at])


def test_windowed_query_uses_an_appointment_index(make_clinic: Any) -> None:
    clinic = make_clinic(chairs=1)
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        load_occupancies(clinic, [1], window_of(ZoneInfo(clinic.timezone), date(2027, 5, 10), 7))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    [(sql, params)] = [s for s in seen if "FROM appointment" in s[0]]
    # Both bounds on starts_at make it an index range scan, not a full table scan.
    assert "appointment.starts_at <" in sql and "appointment.starts_at >=" in sql
    connection = db.session.connection()
    if db.engine.dialect.name == "sqlite":
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
    else:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = connection.exec_driver_sql("EXPLAIN " + sql, params).all()
    text = " ".join(str(v) for row in plan for v in row)
    # An index on appointments, never a scan of the whole table.
    assert "SCAN appointment" not in text and "Seq Scan" not in text, text
    assert "ix_appointment_" in text or "ex_appointment_chair_overlap" in text, text


def test_closures_become_closed_days_and_periods(make_clinic: Any) -> None:
    clinic = make_clinic()
    zone = ZoneInfo(clinic.timezone)
    db.session.add_all([
        Closure(clinic_id=clinic.id, start_date=date(2027, 1, 1), end_date=date(2027, 1, 2), reason="New year"),
        Closure(clinic_id=clinic.id, starts_at=datetime(2027, 1, 5, 14, tzinfo=zone),
                ends_at=datetime(2027, 1, 5, 16, tzinfo=zone), reason="Training"),
        Closure(clinic_id=clinic.id, start_date=date(2027, 3, 1), end_date=date(2027, 3, 1), reason="Later"),
    ])
    db.session.commit()
    calendar = load_calendar(clinic, date(2026, 12, 31), 7)
    assert calendar.closed_days == {date(2027, 1, 1), date(2027, 1, 2)}
    closed = Period(datetime(2027, 1, 5, 20, tzinfo=timezone.utc), datetime(2027, 1, 5, 22, tzinfo=timezone.utc))
    assert calendar.closed_periods == (closed,)


def test_the_longest_allowed_appointment_holds_its_chair_in_the_next_window(make_clinic: Any, make_appointment: Any) -> None:
    # The look-back is derived from the same bounds the database enforces, so
    # the longest service with the longest recovery can never fall out of it.
    clinic = make_clinic(chairs=1)
    chair = db.session.scalar(select(Chair).filter_by(clinic_id=clinic.id, kind=ChairKind.INFUSION))
    longest = db.session.scalar(select(Service).filter_by(clinic_id=clinic.id, slug="infusion"))
    longest.duration_minutes, longest.recovery_minutes = SERVICE_MINUTES.high, RECOVERY_MINUTES.high
    db.session.commit()
    window = window_of(ZoneInfo(clinic.timezone), date(2027, 5, 10), 1)
    start = window.start - LONGEST_BLOCK + timedelta(minutes=1)
    held = make_appointment(clinic, longest, chair, start)
    assert [o.start for o in load_occupancies(clinic, [chair.id], window)] == [held.starts_at]
    # One minute longer is refused by the database itself.
    longest.recovery_minutes = RECOVERY_MINUTES.high + 1
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
