"""An appointment's statuses after booking and the moves allowed between them (pure)."""
from __future__ import annotations

from datetime import datetime

from booking.domain.errors import DomainError
from booking.models import Appointment, AppointmentStatus, Clinic

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
# Until the patient arrives (or it is over), an appointment can still move to another time.
_MOVABLE = frozenset({A.BOOKED, A.CONFIRMED})


class IllegalStatusChange(DomainError):
    """The appointment cannot move to that status now."""


def can_set(appointment: Appointment, to: AppointmentStatus, clinic: Clinic, now: datetime) -> bool:
    """True if `appointment` may move to `to` at `now`."""
    if to not in TRANSITIONS[appointment.status]:
        return False
    if to in _ON_THE_DAY:
        return clinic.today(appointment.starts_at) <= clinic.today(now)
    return True


def can_reschedule(appointment: Appointment) -> bool:
    """True if `appointment` may move to another time: it is still booked or confirmed."""
    return appointment.status in _MOVABLE
