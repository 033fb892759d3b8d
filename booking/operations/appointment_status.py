"""Staff changing an appointment's status (confirm, arrive, complete, no-show, cancel, undo), and its driver."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from booking.domain.appointment_flow import (
    FINAL,
    UNDO_REASONS,
    A,
    IllegalStatusChange,
    can_reschedule,
    can_set,
    can_undo,
    driver_confirmable,
    undo_needs_reason,
    undo_target,
)
from booking.domain.visit_messages import restore_on_undo, void_when_over
from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    AuditEvent,
    Canceller,
    Clinic,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
)
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


class DriverNotRecorded(IllegalStatusChange):
    """"Driver confirmed" needs the driver's name and phone, or whom staff confirmed it with."""


def _same_clinic(clinic: Clinic, appointment: Appointment) -> None:
    if appointment.clinic_id != clinic.id:
        raise IllegalStatusChange("this appointment belongs to another clinic")


def set_status(
    clinic: Clinic, appointment: Appointment, to: AppointmentStatus, *, actor_id: int | None,
    now: datetime, reason: str = "", cancelled_by: Canceller = Canceller.STAFF,
) -> None:
    """Move the appointment to `to`; cancelling needs a reason and tells the patient; an end voids its mail."""
    _same_clinic(clinic, appointment)
    if not can_set(appointment, to, clinic, now):
        raise IllegalStatusChange(f"a {appointment.status.value} appointment cannot become {to.value} now")
    if to is A.CANCELLED and not reason.strip():
        raise IllegalStatusChange("say why the appointment is cancelled")
    previous = appointment.status
    appointment.status = to
    appointment.updated_at = now
    appointment.status_changed_at = now
    if to is A.CONFIRMED:
        appointment.patient_confirmed_at = now
    details: dict[str, object] = {"previous": previous.value}
    if to is A.CANCELLED:
        appointment.cancel_reason = reason.strip()
        appointment.cancelled_at = now
        appointment.cancelled_by = cancelled_by
        appointment.cancelled_by_id = actor_id
        # A new version: the calendar's SEQUENCE goes up and every queued
        # message for the old one is void.
        appointment.version += 1
        notify_patient(clinic, appointment, MessageKind.APPOINTMENT_CANCELLED, now)
    if to in FINAL:
        details["voided_messages"] = _void_when_over(appointment)
    audit.record(clinic.id, actor_id, STATUS_ACTIONS[to], "appointment", appointment.id, **details)


def _pending(appointment: Appointment) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.clinic_id == appointment.clinic_id,
        OutboxMessage.appointment_id == appointment.id,
        OutboxMessage.status == OutboxStatus.PENDING,
    ).order_by(OutboxMessage.id)))


def _void_when_over(appointment: Appointment) -> list[int]:
    """Void the pending messages that make no sense once the visit is over; their ids, for the undo."""
    voided = []
    for message in _pending(appointment):
        if void_when_over(message.kind):
            message.status = OutboxStatus.VOID
            voided.append(message.id)
    return voided


def _restore_after_undo(appointment: Appointment, ended: AppointmentStatus, now: datetime) -> list[int]:
    """Put back what the end voided that is still ahead and true (see `restore_on_undo`)."""
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.clinic_id == appointment.clinic_id,
            AuditEvent.entity == "appointment",
            AuditEvent.entity_id == appointment.id,
            AuditEvent.action == STATUS_ACTIONS[ended],
        ).order_by(AuditEvent.id.desc()).limit(1)
    )
    ids = (event.details or {}).get("voided_messages", []) if event is not None else []
    if not ids:
        return []
    restored = []
    for message in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.clinic_id == appointment.clinic_id,
        OutboxMessage.appointment_id == appointment.id,
        OutboxMessage.id.in_(ids),
        OutboxMessage.status == OutboxStatus.VOID,
        OutboxMessage.appointment_version == appointment.version,
    ).order_by(OutboxMessage.id)):
        if restore_on_undo(message.kind, message.due_at, appointment.blocked_until, now):
            message.status = OutboxStatus.PENDING
            restored.append(message.id)
    return restored


def undo_status(
    clinic: Clinic, appointment: Appointment, *, actor_id: int | None, now: datetime, reason: str = "",
) -> AppointmentStatus:
    """Take the last status change back one step, the same clinic day; returns the status now.

    Undoing completed or no-show needs a reason code (`UNDO_REASONS`).
    """
    _same_clinic(clinic, appointment)
    if not can_undo(appointment, clinic, now):
        raise IllegalStatusChange(f"the {appointment.status.value} status can no longer be undone")
    if undo_needs_reason(appointment.status) and reason not in UNDO_REASONS:
        raise IllegalStatusChange("say why this outcome is undone")
    undone = appointment.status
    target = undo_target(undone, appointment.patient_confirmed_at is not None)
    assert target is not None
    appointment.status = target
    if undone is A.CONFIRMED:
        appointment.patient_confirmed_at = None
    appointment.updated_at = now
    appointment.status_changed_at = now
    details: dict[str, object] = {"undone": undone.value, "now": target.value}
    if reason in UNDO_REASONS:
        details["reason"] = reason
    if undone in FINAL:
        details["restored_messages"] = _restore_after_undo(appointment, undone, now)
    audit.record(clinic.id, actor_id, AuditAction.APPOINTMENT_STATUS_UNDONE, "appointment", appointment.id,
                 **details)
    return target


def can_confirm_driver(appointment: Appointment) -> bool:
    """True while "driver confirmed" may still be ticked: the visit is ahead and it is not ticked yet."""
    return appointment.driver_confirmed_at is None and can_reschedule(appointment)


def confirm_driver(
    clinic: Clinic, appointment: Appointment, *, actor_id: int | None, now: datetime, confirmed_with: str = "",
) -> bool:
    """Record that the patient's driver is confirmed; False if it already was.

    Needs the driver's name and phone on the appointment, or `confirmed_with`: whom staff
    confirmed it with by phone (raises `DriverNotRecorded` otherwise).
    """
    _same_clinic(clinic, appointment)
    if appointment.driver_confirmed_at is not None:
        return False
    confirmed_with = " ".join(confirmed_with.split())
    if not driver_confirmable(appointment.driver_name, appointment.driver_phone, confirmed_with):
        raise DriverNotRecorded("record the driver's name and phone, or whom you confirmed it with")
    appointment.driver_confirmed_at = now
    appointment.driver_confirmed_with = confirmed_with
    appointment.updated_at = now
    audit.record(clinic.id, actor_id, AuditAction.DRIVER_CONFIRMED, "appointment", appointment.id,
                 by_phone=bool(confirmed_with))
    return True


def unconfirm_driver(clinic: Clinic, appointment: Appointment, *, actor_id: int | None, now: datetime) -> bool:
    """Take "driver confirmed" back (ticked by mistake); False if it was not ticked."""
    _same_clinic(clinic, appointment)
    if appointment.driver_confirmed_at is None:
        return False
    appointment.driver_confirmed_at = None
    appointment.driver_confirmed_with = ""
    appointment.updated_at = now
    audit.record(clinic.id, actor_id, AuditAction.DRIVER_UNCONFIRMED, "appointment", appointment.id)
    return True
