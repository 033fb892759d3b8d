"""Staff answering a patient's change request: move the visit to a time they asked, or decline with a message.

Either way the patient gets an email: the move's "new time" (with its calendar update),
or the decline with the staff's message, in the patient's language.
"""
from __future__ import annotations

from datetime import datetime

from booking.domain.errors import DomainError
from booking.extensions import db
from booking.mail.outbox import enqueue
from booking.models import (
    Appointment,
    AuditAction,
    ChangeRequest,
    ChangeRequestStatus,
    Clinic,
    MessageKind,
    Patient,
    Service,
)
from booking.operations import audit
from booking.operations.booking import Booker, reschedule
from booking.operations.notices import message_context

DECLINE_MESSAGE_MAX = 500


class ChangeAnswerRefused(DomainError):
    """The change request is closed, another clinic's, or the answer is not one it allows."""


def _open(clinic: Clinic, item: ChangeRequest) -> Appointment:
    if item.clinic_id != clinic.id:
        raise ChangeAnswerRefused("this change request belongs to another clinic")
    if item.status is not ChangeRequestStatus.OPEN:
        raise ChangeAnswerRefused("this change request was already answered")
    appointment = db.session.get(Appointment, item.appointment_id)
    assert appointment is not None and appointment.clinic_id == clinic.id
    return appointment


def asked_times(item: ChangeRequest) -> list[datetime]:
    """The times the patient asked for, in their order."""
    return [datetime.fromisoformat(t) for t in item.preferred_times]


def move_to_asked(
    clinic: Clinic, item: ChangeRequest, start: datetime, *, actor_id: int | None, now: datetime,
) -> Appointment:
    """Move the visit to `start`, one of the asked times, through the booking operation.

    Raises `SlotTaken` (with the nearest free times) if the time is gone, and
    `InvalidBooking` if the visit can no longer move.
    """
    appointment = _open(clinic, item)
    if start not in asked_times(item):
        raise ChangeAnswerRefused("the patient did not ask for that time")
    reschedule(clinic, appointment, start, None, booker=Booker.STAFF, actor_id=actor_id, now=now)
    item.status = ChangeRequestStatus.DONE
    audit.record(clinic.id, actor_id, AuditAction.CHANGE_REQUEST_DONE, "change_request", item.id,
                 appointment=appointment.id, moved=True)
    return appointment


def decline(clinic: Clinic, item: ChangeRequest, message: str, *, actor_id: int | None, now: datetime) -> None:
    """Decline the request; the patient is emailed the staff's short message and keeps the time they have."""
    appointment = _open(clinic, item)
    message = message.strip()
    if not message or len(message) > DECLINE_MESSAGE_MAX:
        raise ChangeAnswerRefused(f"write a message to the patient (at most {DECLINE_MESSAGE_MAX} characters)")
    patient = db.session.get(Patient, appointment.patient_id)
    service = db.session.get(Service, appointment.service_id)
    assert patient is not None and service is not None
    item.status = ChangeRequestStatus.DISMISSED
    db.session.flush()
    enqueue(
        clinic,
        kind=MessageKind.CHANGE_DECLINED,
        dedupe_key=MessageKind.CHANGE_DECLINED.dedupe_key(item.id),
        to_name=patient.full_name,
        to_email=patient.email,
        context={**message_context(clinic, appointment, patient, service), "staff_message": message},
        now=now,
        language=patient.language,
        appointment=appointment,
    )
    # The message itself stays in the outbox, not in the audit log (no free text there).
    audit.record(clinic.id, actor_id, AuditAction.CHANGE_REQUEST_DECLINED, "change_request", item.id,
                 appointment=appointment.id)
