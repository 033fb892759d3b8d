"""Load just the slice of a clinic's calendar that an availability question needs."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from booking.domain.availability import (
    Calendar,
    Occupancy,
    OpeningRange,
    Period,
    Rules,
    ServiceTiming,
    Slot,
    day_bounds,
    free_slots,
)
from booking.extensions import db
from booking.limits import LONGEST_BLOCK, STAFF_HORIZON_DAYS
from booking.models import (
    OCCUPYING_STATUSES,
    Appointment,
    Chair,
    Clinic,
    Closure,
    OpeningHours,
    Service,
)


def clinic_rules(clinic: Clinic, *, staff: bool = False) -> Rules:
    """The clinic's booking rules; staff may book without notice and further ahead."""
    return Rules(
        step=timedelta(minutes=clinic.slot_step_minutes),
        min_notice=timedelta(0) if staff else timedelta(minutes=clinic.min_notice_minutes),
        horizon=timedelta(days=STAFF_HORIZON_DAYS if staff else clinic.horizon_days),
    )


def service_timing(service: Service) -> ServiceTiming:
    """A service's duration and recovery."""
    return ServiceTiming(
        duration=timedelta(minutes=service.duration_minutes),
        recovery=timedelta(minutes=service.recovery_minutes),
    )


def window_of(zone: ZoneInfo, first_day: date, days: int) -> Period:
    """The real-time span covering `days` local dates from `first_day`."""
    return Period(
        day_bounds(first_day, zone).start,
        day_bounds(first_day + timedelta(days=days - 1), zone).end,
    )


def load_calendar(clinic: Clinic, first_day: date, days: int) -> Calendar:
    """Opening hours plus the closures that touch the window."""
    zone = clinic.zone
    window = window_of(zone, first_day, days)
    last_day = first_day + timedelta(days=days - 1)
    hours = db.session.scalars(
        select(OpeningHours).where(OpeningHours.clinic_id == clinic.id)
    ).all()
    closures = db.session.scalars(
        select(Closure).where(
            Closure.clinic_id == clinic.id,
            or_(
                (Closure.start_date <= last_day) & (Closure.end_date >= first_day),
                (Closure.starts_at < window.end) & (Closure.ends_at > window.start),
            ),
        )
    ).all()
    closed_days: set[date] = set()
    periods: list[Period] = []
    for closure in closures:
        if closure.start_date is not None and closure.end_date is not None:
            day = max(closure.start_date, first_day)
            while day <= min(closure.end_date, last_day):
                closed_days.add(day)
                day += timedelta(days=1)
        elif closure.starts_at is not None and closure.ends_at is not None:
            periods.append(Period(closure.starts_at, closure.ends_at))
    return Calendar(
        zone=zone,
        opening_hours=tuple(OpeningRange(h.weekday, h.opens, h.closes) for h in hours),
        closed_days=frozenset(closed_days),
        closed_periods=tuple(periods),
    )


def eligible_chairs(clinic: Clinic, service: Service) -> list[int]:
    """Ids of the active chairs (or rooms) that can take `service`."""
    return list(
        db.session.scalars(
            select(Chair.id)
            .where(
                Chair.clinic_id == clinic.id,
                Chair.active.is_(True),
                Chair.kind == service.chair_kind,
            )
            .order_by(Chair.id)
        )
    )


def load_occupancies(
    clinic: Clinic, chair_ids: list[int], window: Period, ignore_id: int | None = None
) -> list[Occupancy]:
    """Appointments holding any of `chair_ids` at some point in `window`.

    `ignore_id` leaves one appointment out (the one being moved).
    """
    if not chair_ids:
        return []
    query = select(Appointment.chair_id, Appointment.starts_at, Appointment.blocked_until).where(
        Appointment.clinic_id == clinic.id,
        Appointment.chair_id.in_(chair_ids),
        Appointment.status.in_(OCCUPYING_STATUSES),
        Appointment.starts_at < window.end,
        Appointment.starts_at >= window.start - LONGEST_BLOCK,
        Appointment.blocked_until > window.start,
    )
    if ignore_id is not None:
        query = query.where(Appointment.id != ignore_id)
    return [Occupancy(chair, start, until) for chair, start, until in db.session.execute(query)]


def find_slots(
    clinic: Clinic,
    service: Service,
    first_day: date,
    days: int,
    now: datetime,
    *,
    staff: bool = False,
    ignore_id: int | None = None,
) -> list[Slot]:
    """Free start times for `service` at `clinic` over `days` local dates."""
    zone = clinic.zone
    chairs = eligible_chairs(clinic, service)
    occupancies = load_occupancies(clinic, chairs, window_of(zone, first_day, days), ignore_id)
    return free_slots(
        load_calendar(clinic, first_day, days),
        clinic_rules(clinic, staff=staff),
        service_timing(service),
        chairs,
        occupancies,
        first_day=first_day,
        days=days,
        now=now,
    )


def free_starts(
    clinic: Clinic, service: Service, starts: list[datetime], now: datetime
) -> set[datetime]:
    """Which of `starts` (aware) are free start times right now."""
    zone = clinic.zone
    offered: set[datetime] = set()
    for day in sorted({s.astimezone(zone).date() for s in starts}):
        offered.update(slot.start for slot in find_slots(clinic, service, day, 1, now))
    return {s for s in starts if s in offered}
