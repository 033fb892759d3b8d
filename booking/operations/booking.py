"""The one booking operation, and the changes that follow a booking.

Every way an appointment is made or moved (staff scheduling, series, rescheduling,
instant public booking) goes through `book` or `reschedule`. Both take the
clinic's booking lock first, then re-check the time against committed data by
the rules of whoever books (staff, or a patient: minimum notice and horizon), so
two people can never get the same chair at the same time. On PostgreSQL an
exclusion constraint guards the same invariant in the database.
"""
from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from booking import metrics
from booking.domain.availability import Slot, nearest_slots, unavailable_reason
from booking.domain.booking_keys import booking_fingerprint
from booking.domain.errors import DomainError
from booking.extensions import db
from booking.i18n import lazy_text as _l
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    Clinic,
    MessageKind,
    Patient,
    Service,
    ServiceKind,
)
from booking.operations import audit
from booking.operations.notices import (
    notify_patient,
    plan_appointment_reminders,
    queue_pickup_note,
)
from booking.queries.availability import (
    clinic_rules,
    eligible_chairs,
    find_slots,
    load_calendar,
    load_occupancies,
    service_timing,
    window_of,
)
from booking.queries.eligibility import has_cleared_consultation

# Lazy: read in the language of whoever is shown the refusal (staff pages are English).
REASONS = {
    "past": _l("That time is in the past."),
    "notice": _l("That time is too soon to book."),
    "horizon": _l("That time is too far ahead to book."),
    "closed": _l("The clinic is closed then."),
    "outside_hours": _l("That time is outside opening hours (or the visit would run past closing)."),
    "busy": _l("That time was just taken."),
}


class SlotTaken(DomainError):
    """The time cannot be booked; `nearest` lists free times close to it."""

    def __init__(self, reason: str, nearest: list[Slot]) -> None:
        super().__init__(REASONS.get(reason, reason))
        self.reason = reason
        self.nearest = nearest


class ConsultFirst(DomainError):
    """An infusion needs a completed, cleared consultation first."""


class InvalidBooking(DomainError):
    """The booking names something that does not belong together."""


class KeyReused(InvalidBooking):
    """A form's key came back with another booking than the one it made; nothing is booked."""

    def __init__(self, appointment: Appointment) -> None:
        super().__init__("this form was already used for another booking; reload the page and choose again")
        self.appointment = appointment


class Booker(enum.Enum):
    """Who books, which decides the rules checked under the lock."""

    STAFF = "staff"  # no minimum notice, the staff horizon
    PATIENT = "patient"  # the public form's instant booking, a patient moving their own visit


@dataclass(frozen=True)
class BookingSpec:
    """What to book: a service for a patient at a start time, optionally on a chair, and who books it."""

    service: Service
    patient: Patient
    start: datetime
    booker: Booker
    chair_id: int | None = None
    request_id: int | None = None
    series_id: int | None = None
    idempotency_key: str | None = None
    override_consult_first: bool = False
    notify: bool = True  # a series sends one email for all its sessions instead

    def fingerprint(self, clinic_id: int) -> str:
        """What this booking's key stands for."""
        return booking_fingerprint(clinic_id, self.patient.id, self.service.id, self.start, self.chair_id,
                                   self.request_id)


def lock_clinic(clinic: Clinic) -> None:
    """Serialise bookings for one clinic until the transaction ends.

    PostgreSQL: a row lock on the clinic. SQLite: the database write lock, taken
    up front (BEGIN IMMEDIATE) so the re-check that follows reads the latest data.
    """
    connection = db.session.connection()
    raw = connection.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection) and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    db.session.execute(
        update(Clinic).where(Clinic.id == clinic.id).values(booking_counter=Clinic.booking_counter + 1)
    )


def replayed(clinic: Clinic, key: str, fingerprint: str) -> Appointment | None:
    """The appointment `key` made, if it was made for this very booking; None if the key is new.

    Raises `KeyReused` if the key made another booking. Call with the clinic lock held.
    """
    existing = db.session.scalar(
        select(Appointment).where(Appointment.clinic_id == clinic.id, Appointment.idempotency_key == key)
    )
    if existing is not None and existing.idempotency_fingerprint != fingerprint:
        raise KeyReused(existing)
    return existing


def _check_slot(
    clinic: Clinic, service: Service, start: datetime, chair_id: int | None, now: datetime, booker: Booker,
    ignore_id: int | None = None,
) -> int:
    """The chair to use for `start` by `booker`'s rules, or raise `SlotTaken` with the reason and nearby times.

    Called with the clinic lock held: what was checked before it (the form's list of
    times, the patient's choices) may have changed since, the rules included.
    """
    # The clinic was read before the lock; an admin may have changed its rules since.
    db.session.refresh(clinic, ["slot_step_minutes", "min_notice_minutes", "horizon_days"])
    staff = booker is Booker.STAFF
    zone = clinic.zone
    day = start.astimezone(zone).date()
    chairs = eligible_chairs(clinic, service)
    if chair_id is not None and chair_id not in chairs:
        raise InvalidBooking("that chair cannot take this service")
    slots = find_slots(clinic, service, day, 1, now, staff=staff, ignore_id=ignore_id)
    match = next((s for s in slots if s.start == start), None)
    if match is not None and chair_id is None:
        return match.chair_ids[0]
    if match is not None and chair_id in match.chair_ids:
        return chair_id
    reason = "busy"
    if match is None:
        occupancies = load_occupancies(clinic, chairs, window_of(zone, day, 1), ignore_id)
        calendar = load_calendar(clinic, day, 1)
        timing = service_timing(service)
        rules = clinic_rules(clinic, staff=staff)
        reason = unavailable_reason(calendar, rules, timing, chairs, occupancies, start, now) or "busy"
    nearby = find_slots(clinic, service, day - timedelta(days=1), 3, now, staff=staff, ignore_id=ignore_id)
    metrics.BOOKING_CONFLICTS.inc()
    raise SlotTaken(reason, nearest_slots(nearby, start))


def _flush_guarded() -> None:
    # The exclusion constraint is the last line of defence on PostgreSQL. The
    # transaction is unusable after it fires, so no nearby times are looked up:
    # the caller rolls back and shows the day's free times afresh.
    try:
        db.session.flush()
    except IntegrityError as error:
        if "ex_appointment_chair_overlap" not in str(error.orig):
            raise
        metrics.BOOKING_CONFLICTS.inc()
        raise SlotTaken("busy", []) from error


def book(clinic: Clinic, spec: BookingSpec, *, actor_id: int | None, now: datetime) -> Appointment:
    """Book one appointment; adds and flushes, the caller commits.

    Raises `SlotTaken` (with nearby free times), `ConsultFirst` or `InvalidBooking`.
    A repeated `idempotency_key` returns the appointment it made for the same
    booking, and raises `KeyReused` if it made another one.
    """
    service, patient = spec.service, spec.patient
    if service.clinic_id != clinic.id or patient.clinic_id != clinic.id or not service.active:
        raise InvalidBooking("service or patient belongs to another clinic")
    lock_clinic(clinic)
    fingerprint = None
    if spec.idempotency_key:
        fingerprint = spec.fingerprint(clinic.id)
        existing = replayed(clinic, spec.idempotency_key, fingerprint)
        if existing is not None:
            return existing
    if service.kind is ServiceKind.INFUSION and not has_cleared_consultation(patient):
        if not spec.override_consult_first:
            raise ConsultFirst("An infusion needs a completed and cleared consultation first.")
        audit.record(clinic.id, actor_id, AuditAction.CONSULT_FIRST_OVERRIDE, "patient", patient.id)
    chair_id = _check_slot(clinic, service, spec.start, spec.chair_id, now, spec.booker)
    ends = spec.start + timedelta(minutes=service.duration_minutes)
    appointment = Appointment(
        clinic_id=clinic.id,
        service_id=service.id,
        chair_id=chair_id,
        patient_id=patient.id,
        starts_at=spec.start,
        ends_at=ends,
        blocked_until=ends + timedelta(minutes=service.recovery_minutes),
        request_id=spec.request_id,
        series_id=spec.series_id,
        idempotency_key=spec.idempotency_key,
        idempotency_fingerprint=fingerprint,
        created_by_id=actor_id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(appointment)
    _flush_guarded()
    metrics.BOOKINGS.labels(spec.booker.value).inc()
    audit.record(clinic.id, actor_id, AuditAction.APPOINTMENT_BOOKED, "appointment", appointment.id)
    if spec.notify:
        notify_patient(clinic, appointment, MessageKind.APPOINTMENT_BOOKED, now)
    plan_appointment_reminders(clinic, appointment, now)
    return appointment


def reschedule(
    clinic: Clinic, appointment: Appointment, start: datetime, chair_id: int | None, *,
    booker: Booker, actor_id: int | None, now: datetime,
) -> Appointment:
    """Move an appointment (and its recovery) to a new start by `booker`'s rules; bumps its version."""
    if appointment.clinic_id != clinic.id:
        raise InvalidBooking("appointment belongs to another clinic")
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED):
        raise InvalidBooking(f"a {appointment.status.value} appointment cannot be moved")
    lock_clinic(clinic)
    service = db.session.get(Service, appointment.service_id)
    assert service is not None
    chosen = _check_slot(clinic, service, start, chair_id, now, booker, ignore_id=appointment.id)
    previous = appointment.starts_at
    ends = start + timedelta(minutes=service.duration_minutes)
    appointment.chair_id = chosen
    appointment.starts_at = start
    appointment.ends_at = ends
    appointment.blocked_until = ends + timedelta(minutes=service.recovery_minutes)
    appointment.version += 1
    appointment.patient_confirmed_at = None
    appointment.updated_at = now
    _flush_guarded()
    audit.record(clinic.id, actor_id, AuditAction.APPOINTMENT_RESCHEDULED, "appointment", appointment.id,
                 previous=previous.isoformat(), new=start.isoformat())
    notify_patient(clinic, appointment, MessageKind.APPOINTMENT_RESCHEDULED, now)
    plan_appointment_reminders(clinic, appointment, now)
    if appointment.driver_may_be_emailed and appointment.driver_email:
        queue_pickup_note(clinic, appointment, now)  # the old note was voided with the old version
    return appointment
