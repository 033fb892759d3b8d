"""An appointment's statuses after booking: confirm, arrive, complete, no-show, cancel."""
from __future__ import annotations

from datetime import datetime

from booking.domain import audit
from booking.domain.errors import DomainError
from booking.domain.notices import notify_patient
from booking.models import Appointment, AppointmentStatus, Clinic
from booking.queries.availability import clinic_zone

A = AppointmentStatus

TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    A.BOOKED: frozenset({A.CONFIRMED, A.ARRIVED, A.NO_SHOW, A.CANCELLED}),
    A.CONFIRMED: frozenset({A.ARRIVED, A.NO_SHOW, A.CANCELLED}),
    A.ARRIVED: frozenset({A.COMPLETED}),
    A.COMPLETED: frozenset(),
    A.CANCELLED: frozenset(),
    A.NO_SHOW: frozenset(),
}

# Moves that only make sense once the day of the appointment has come.
_ON_THE_DAY = frozenset({A.ARRIVED, A.NO_SHOW, A.COMPLETED})


class IllegalStatusChange(DomainError):
    """The appointment cannot move to that status now."""


def can_set(appointment: Appointment, to: AppointmentStatus, clinic: Clinic, now: datetime) -> bool:
    """True if `appointment` may move to `to` at `now`."""
    if to not in TRANSITIONS[appointment.status]:
        return False
    if to in _ON_THE_DAY:
        zone = clinic_zone(clinic)
        return appointment.starts_at.astimezone(zone).date() <= now.astimezone(zone).date()
    return True


def set_status(
    clinic: Clinic, appointment: Appointment, to: AppointmentStatus, *, actor_id: int | None,
    now: datetime, reason: str = "",
) -> None:
    """Move the appointment to `to`; cancelling needs a reason and tells the patient."""
    if appointment.clinic_id != clinic.id or not can_set(appointment, to, clinic, now):
        raise IllegalStatusChange(f"a {appointment.status.value} appointment cannot become {to.value}")
    if to is A.CANCELLED and not reason.strip():
        raise IllegalStatusChange("say why the appointment is cancelled")
    previous = appointment.status
    appointment.status = to
    appointment.updated_at = now
    if to is A.CONFIRMED:
        appointment.patient_confirmed_at = now
    if to is A.CANCELLED:
        appointment.cancel_reason = reason.strip()
        # A new version: the calendar's SEQUENCE goes up and every queued
        # message for the old one is void.
        appointment.version += 1
        notify_patient(clinic, appointment, "appointment_cancelled", now)
    audit.record(clinic.id, actor_id, f"appointment_{to.value}", "appointment", appointment.id,
                 previous=previous.value)
