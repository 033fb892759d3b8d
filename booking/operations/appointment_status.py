"""Changing an appointment's status: confirm, arrive, complete, no-show, cancel."""
from __future__ import annotations

from datetime import datetime

from booking.domain.appointment_flow import A, IllegalStatusChange, can_set
from booking.models import Appointment, AppointmentStatus, Clinic
from booking.operations import audit
from booking.operations.notices import notify_patient


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
