"""Staff changing an appointment's status (confirm, arrive, complete, no-show, cancel), and its driver."""
from __future__ import annotations

from datetime import datetime

from booking.domain.appointment_flow import A, IllegalStatusChange, can_set
from booking.models import Appointment, AppointmentStatus, AuditAction, Canceller, Clinic, MessageKind
from booking.operations import audit
from booking.operations.notices import notify_patient

# What the audit log calls each move staff make.
STATUS_ACTIONS = {
    AppointmentStatus.CONFIRMED: AuditAction.APPOINTMENT_CONFIRMED,
    AppointmentStatus.ARRIVED: AuditAction.APPOINTMENT_ARRIVED,
    AppointmentStatus.COMPLETED: AuditAction.APPOINTMENT_COMPLETED,
    AppointmentStatus.NO_SHOW: AuditAction.APPOINTMENT_NO_SHOW,
    AppointmentStatus.CANCELLED: AuditAction.APPOINTMENT_CANCELLED,
}


def set_status(
    clinic: Clinic, appointment: Appointment, to: AppointmentStatus, *, actor_id: int | None,
    now: datetime, reason: str = "", cancelled_by: Canceller = Canceller.STAFF,
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
        appointment.cancelled_at = now
        appointment.cancelled_by = cancelled_by
        appointment.cancelled_by_id = actor_id
        # A new version: the calendar's SEQUENCE goes up and every queued
        # message for the old one is void.
        appointment.version += 1
        notify_patient(clinic, appointment, MessageKind.APPOINTMENT_CANCELLED, now)
    audit.record(clinic.id, actor_id, STATUS_ACTIONS[to], "appointment", appointment.id,
                 previous=previous.value)


def confirm_driver(clinic: Clinic, appointment: Appointment, *, actor_id: int | None, now: datetime) -> bool:
    """Record that the patient's driver is confirmed (e.g. by phone); False if it already was."""
    if appointment.clinic_id != clinic.id:
        raise IllegalStatusChange("this appointment belongs to another clinic")
    if appointment.driver_confirmed_at is not None:
        return False
    appointment.driver_confirmed_at = now
    audit.record(clinic.id, actor_id, AuditAction.DRIVER_CONFIRMED, "appointment", appointment.id)
    return True
