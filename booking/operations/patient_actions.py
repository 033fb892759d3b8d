"""What a patient may do from their appointment page: confirm, name a driver, cancel, move.

Plain functions taking (clinic, appointment, data, now): no request state. They add
and flush; the caller commits. Every action is audited with no staff actor.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select, update

from booking.domain.availability import Slot, nearest_slots
from booking.domain.errors import DomainError
from booking.extensions import db
from booking.i18n import lazy_text as _l
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    Canceller,
    ChangeRequest,
    ChangeRequestStatus,
    Clinic,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Service,
)
from booking.operations import audit
from booking.operations.appointment_status import set_status
from booking.operations.booking import Booker, SlotTaken, reschedule
from booking.operations.notices import pickup_key, queue_pickup_note
from booking.queries.availability import find_slots

MAX_TIMES = 3
CANCEL_REASON = "Cancelled by the patient"
_CHANGEABLE = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)


class PatientActionRefused(DomainError):
    """The appointment can no longer be changed by the patient (cancelled, started, over)."""


class TimesUnavailable(SlotTaken):
    """Chosen times are not free any more; `times` are the ones refused, `nearest` free ones near."""

    def __init__(self, times: list[datetime], nearest: list[Slot]) -> None:
        super().__init__("busy", nearest)
        self.times = times


@dataclass(frozen=True)
class DriverDetails:
    """Who takes the patient home; `phone` in E.164, `email` empty if none given."""

    name: str
    phone: str
    email: str
    may_email: bool
    confirmed: bool


@dataclass(frozen=True)
class RescheduleOutcome:
    """Either the appointment moved (`rebooked`), or staff got a change request."""

    rebooked: bool
    change_request: ChangeRequest | None = None


def can_change(appointment: Appointment, now: datetime) -> bool:
    """True while the patient may act: booked or confirmed, and not yet started."""
    return appointment.status in _CHANGEABLE and now < appointment.starts_at


def needs_confirmation(appointment: Appointment, now: datetime) -> bool:
    """True if the patient has not yet confirmed this time (a moved visit asks again)."""
    return can_change(appointment, now) and appointment.patient_confirmed_at is None


def refusal(appointment: Appointment, now: datetime) -> str | None:
    """Why the patient can no longer act on the appointment (in the reader's language), or None if they can."""
    if appointment.status is AppointmentStatus.CANCELLED:
        return gettext("This appointment is cancelled, so it can no longer be changed here.")
    if not can_change(appointment, now):
        return gettext("This appointment has already started or is over, so it can no longer be changed here.")
    return None


def _check(appointment: Appointment, now: datetime) -> None:
    reason = refusal(appointment, now)
    if reason is not None:
        raise PatientActionRefused(reason)


def confirm(clinic: Clinic, appointment: Appointment, now: datetime) -> bool:
    """Record that the patient will come; False (and no change) if they already had."""
    _check(appointment, now)
    if appointment.patient_confirmed_at is not None:
        return False
    if appointment.status is AppointmentStatus.BOOKED:
        set_status(clinic, appointment, AppointmentStatus.CONFIRMED, actor_id=None, now=now)
    else:
        # Confirmed, then moved: the status stays, but the new time needs the patient's word.
        appointment.patient_confirmed_at = now
        appointment.updated_at = now
    audit.record(clinic.id, None, AuditAction.APPOINTMENT_CONFIRMED_BY_PATIENT, "appointment", appointment.id)
    return True


def save_driver(
    clinic: Clinic, appointment: Appointment, details: DriverDetails, now: datetime
) -> OutboxMessage | None:
    """Store the driver's details; with an email and consent, queue the pickup note once.

    Returns the note queued by this call, or None (no consent, or already queued).
    """
    _check(appointment, now)
    appointment.driver_name = details.name
    appointment.driver_phone = details.phone
    appointment.driver_email = details.email
    appointment.driver_may_be_emailed = details.may_email and bool(details.email)
    if not details.confirmed:
        appointment.driver_confirmed_at = None
    elif appointment.driver_confirmed_at is None:
        appointment.driver_confirmed_at = now
    appointment.updated_at = now
    keep = pickup_key(appointment, appointment.driver_email) if appointment.driver_may_be_emailed else None
    _void_other_notes(appointment, keep)
    note = queue_pickup_note(clinic, appointment, now) if keep else None
    audit.record(clinic.id, None, AuditAction.DRIVER_DETAILS_SAVED, "appointment", appointment.id,
                 driver_confirmed=details.confirmed, note_queued=note is not None)
    return note


def _void_other_notes(appointment: Appointment, keep: str | None) -> None:
    """Void unsent notes to anyone but the current driver (all of them once consent is withdrawn)."""
    query = update(OutboxMessage).where(
        OutboxMessage.appointment_id == appointment.id,
        OutboxMessage.kind == MessageKind.DRIVER_PICKUP,
        OutboxMessage.status == OutboxStatus.PENDING,
    )
    if keep is not None:
        query = query.where(OutboxMessage.dedupe_key != keep)
    db.session.execute(query.values(status=OutboxStatus.VOID), execution_options={"synchronize_session": False})


def cancel(clinic: Clinic, appointment: Appointment, now: datetime) -> None:
    """Cancel at the patient's request; the patient is emailed, open change requests close."""
    _check(appointment, now)
    set_status(clinic, appointment, AppointmentStatus.CANCELLED, actor_id=None, now=now, reason=CANCEL_REASON,
               cancelled_by=Canceller.PATIENT)
    _close_open_requests(appointment, ChangeRequestStatus.DISMISSED)
    audit.record(clinic.id, None, AuditAction.APPOINTMENT_CANCELLED_BY_PATIENT, "appointment", appointment.id)


def _close_open_requests(appointment: Appointment, status: ChangeRequestStatus) -> None:
    for item in open_change_requests(appointment):
        item.status = status


def open_change_requests(appointment: Appointment) -> list[ChangeRequest]:
    """The appointment's change requests still waiting for the front desk."""
    return list(
        db.session.scalars(
            select(ChangeRequest).where(
                ChangeRequest.clinic_id == appointment.clinic_id,
                ChangeRequest.appointment_id == appointment.id,
                ChangeRequest.status == ChangeRequestStatus.OPEN,
            ).order_by(ChangeRequest.id)
        )
    )


def offered_times(clinic: Clinic, appointment: Appointment, first_day: date, days: int, now: datetime) -> list[Slot]:
    """Free times the patient may move to, by the public booking rules (not the current one)."""
    service = db.session.get(Service, appointment.service_id)
    assert service is not None
    slots = find_slots(clinic, service, first_day, days, now, ignore_id=appointment.id)
    return [s for s in slots if s.start != appointment.starts_at]


def nearest_free(clinic: Clinic, appointment: Appointment, wanted: datetime, now: datetime) -> list[Slot]:
    """Free times close to `wanted` (the day before to the day after) for this appointment."""
    day = wanted.astimezone(clinic.zone).date()
    return nearest_slots(offered_times(clinic, appointment, day - timedelta(days=1), 3, now), wanted)


def _free_among(clinic: Clinic, appointment: Appointment, times: list[datetime], now: datetime) -> set[datetime]:
    zone = clinic.zone
    offered: set[datetime] = set()
    for day in sorted({t.astimezone(zone).date() for t in times}):
        offered.update(s.start for s in offered_times(clinic, appointment, day, 1, now))
    return {t for t in times if t in offered}


def request_reschedule(
    clinic: Clinic, appointment: Appointment, times: Sequence[datetime], now: datetime
) -> RescheduleOutcome:
    """Move to the first chosen free time (if the clinic lets patients rebook), else ask staff.

    `times` are aware, in the patient's order. Raises `TimesUnavailable` with the
    nearest free times if no chosen time (rebooking) or any chosen time (a request)
    is free, and `SlotTaken` if the time went in a race.
    """
    _check(appointment, now)
    wanted = list(dict.fromkeys(times))
    if not 1 <= len(wanted) <= MAX_TIMES:
        raise PatientActionRefused(_l("Choose between 1 and %(most)d times.", most=MAX_TIMES))
    free = _free_among(clinic, appointment, wanted, now)
    if clinic.patients_can_rebook:
        chosen = next((t for t in wanted if t in free), None)
        if chosen is None:
            raise TimesUnavailable(wanted, nearest_free(clinic, appointment, wanted[0], now))
        previous = appointment.starts_at
        reschedule(clinic, appointment, chosen, None, booker=Booker.PATIENT, actor_id=None, now=now)
        _close_open_requests(appointment, ChangeRequestStatus.DONE)
        audit.record(clinic.id, None, AuditAction.APPOINTMENT_REBOOKED_BY_PATIENT, "appointment", appointment.id,
                     previous=previous.isoformat(), new=chosen.isoformat())
        return RescheduleOutcome(rebooked=True)
    taken = [t for t in wanted if t not in free]
    if taken:
        raise TimesUnavailable(taken, nearest_free(clinic, appointment, taken[0], now))
    zone = clinic.zone
    preferred = [t.astimezone(zone).isoformat() for t in wanted]
    existing = open_change_requests(appointment)
    if existing:
        # One open request per appointment: asking again replaces the times.
        item = existing[0]
        item.preferred_times = preferred
    else:
        item = ChangeRequest(clinic_id=clinic.id, appointment_id=appointment.id,
                             preferred_times=preferred, created_at=now)
        db.session.add(item)
    db.session.flush()
    audit.record(clinic.id, None, AuditAction.RESCHEDULE_REQUESTED, "appointment", appointment.id,
                 change_request=item.id)
    return RescheduleOutcome(rebooked=False, change_request=item)
