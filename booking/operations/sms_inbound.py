"""What a text from a patient does: confirm, ask for another time, opt out or in, ask for help, or wait for staff.

Every answer goes out through the outbox (a reply: no prior consent needed, never
to an opted-out number). The provider's message id is unique, so a webhook Twilio
repeats is taken once. A number no patient of the clinic has is recorded and answered nothing.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from booking.domain.errors import DomainError
from booking.domain.sms_keywords import meaning
from booking.extensions import db
from booking.mail.sms_outbox import enqueue_text
from booking.mail.sms_replies import confirmed_text, help_text, reschedule_text, start_text
from booking.models import (
    AuditAction,
    Channel,
    Clinic,
    InboundKind,
    Language,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    SmsInbound,
    SmsOptOut,
)
from booking.operations import audit
from booking.operations.patient_actions import confirm
from booking.queries.sms import next_visit, opted_out, patients_with_number


def _reply(clinic: Clinic, inbound: SmsInbound, body: str, now: datetime, appointment_id: int | None = None) -> None:
    from booking.models import Appointment

    appointment = db.session.get(Appointment, appointment_id) if appointment_id else None
    enqueue_text(clinic, kind=MessageKind.SMS_REPLY, dedupe_key=f"sms_reply:{inbound.id}", phone=inbound.phone,
                 body=body, now=now, appointment=appointment, reply=True)


def opt_out(clinic: Clinic, phone: str, now: datetime) -> None:
    """No more texts from `clinic` to `phone`; texts already queued for it are voided."""
    if not opted_out(clinic.id, phone):
        try:
            with db.session.begin_nested():
                db.session.add(SmsOptOut(clinic_id=clinic.id, phone=phone, opted_out_at=now))
        except IntegrityError:
            pass  # a concurrent STOP got there first: the number is opted out either way
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.clinic_id == clinic.id, OutboxMessage.channel == Channel.SMS,
               OutboxMessage.recipient == phone, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.VOID, last_error="opted out"),
        execution_options={"synchronize_session": False},
    )
    audit.record(clinic.id, None, AuditAction.SMS_OPTED_OUT, "clinic", clinic.id)


def opt_in(clinic: Clinic, phone: str) -> None:
    """START: the opt-out is lifted (consent given before applies again)."""
    db.session.execute(delete(SmsOptOut).where(SmsOptOut.clinic_id == clinic.id, SmsOptOut.phone == phone))
    audit.record(clinic.id, None, AuditAction.SMS_OPTED_IN, "clinic", clinic.id)


def receive_text(clinic: Clinic, *, provider_message_id: str, phone: str, body: str, now: datetime) -> SmsInbound | None:
    """Record and act on one text `phone` sent to `clinic`; None if this message id was taken before."""
    if db.session.scalar(select(SmsInbound.id).where(SmsInbound.provider_message_id == provider_message_id)):
        return None
    patients = patients_with_number(clinic, phone)
    visit = next_visit(clinic, patients, now)
    patient = next((p for p in patients if visit and p.id == visit.patient_id), patients[0] if patients else None)
    kind = InboundKind(meaning(body))
    if kind in (InboundKind.CONFIRM, InboundKind.RESCHEDULE) and visit is None:
        kind = InboundKind.OTHER  # nothing to confirm or move: a person reads it
    inbound = SmsInbound(clinic_id=clinic.id, provider_message_id=provider_message_id, phone=phone, body=body,
                         kind=kind, patient_id=patient.id if patient else None,
                         appointment_id=visit.id if visit else None, received_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(inbound)
    except IntegrityError:
        return None  # the same message, taken by a concurrent request
    if kind is not InboundKind.OTHER:
        inbound.read_at = now  # handled: nothing waits for staff
    language = patient.language if patient else Language.EN
    if kind is InboundKind.STOP:
        opt_out(clinic, phone, now)
    elif kind is InboundKind.START:
        opt_in(clinic, phone)
        if patient is not None:
            _reply(clinic, inbound, start_text(clinic, language), now)
    elif patient is None:
        return inbound  # an unknown number: recorded, answered nothing
    elif kind is InboundKind.HELP:
        _reply(clinic, inbound, help_text(clinic, language), now)
    elif kind is InboundKind.CONFIRM and visit is not None:
        try:
            confirm(clinic, visit, now)
        except DomainError:
            inbound.kind, inbound.read_at = InboundKind.OTHER, None  # too late to confirm: staff decide
            return inbound
        visit.ready_confirmed_at = now
        audit.record(clinic.id, None, AuditAction.APPOINTMENT_READY_BY_TEXT, "appointment", visit.id)
        _reply(clinic, inbound, confirmed_text(clinic, visit, language), now)
    elif kind is InboundKind.RESCHEDULE and visit is not None:
        _reply(clinic, inbound, reschedule_text(clinic, language), now, appointment_id=visit.id)
    return inbound


class NotAnswerable(DomainError):
    """Only a text received by one's own clinic can be answered, with some words."""


def answer_text(clinic: Clinic, inbound: SmsInbound, body: str, *, actor_id: int, now: datetime) -> OutboxMessage | None:
    """Staff's answer to a text in the inbox, through the outbox; None if the number opted out."""
    if inbound.clinic_id != clinic.id or not body.strip():
        raise NotAnswerable("Write an answer first.")
    inbound.read_at = inbound.read_at or now
    # Each answer is its own message (staff may answer twice); the key only has to be unique.
    message = enqueue_text(clinic, kind=MessageKind.SMS_REPLY,
                           dedupe_key=f"sms_answer:{inbound.id}:{secrets.token_hex(8)}",
                           phone=inbound.phone, body=body.strip(), now=now, reply=True)
    audit.record(clinic.id, actor_id, AuditAction.SMS_ANSWERED, "sms_inbound", inbound.id)
    return message


# Delivery statuses in the order a message goes through them; a late callback never goes back.
_STATUS_ORDER = {"accepted": 0, "scheduled": 0, "queued": 1, "sending": 2, "sent": 3, "receiving": 3,
                 "received": 4, "delivered": 5, "undelivered": 5, "failed": 5, "read": 6, "canceled": 5}


def record_delivery_status(clinic: Clinic, provider_message_id: str, status: str, error_code: str) -> bool:
    """Apply a status callback to the text with this id; False if this clinic sent none with it."""
    row = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.clinic_id == clinic.id, OutboxMessage.provider_message_id == provider_message_id))
    if row is None:
        return False
    if _STATUS_ORDER.get(status, 0) < _STATUS_ORDER.get(row.delivery_status, 0):
        return True  # out of order: a later status is already known
    row.delivery_status = status
    if error_code:
        row.delivery_error = error_code
    if status in ("undelivered", "failed"):
        row.status = OutboxStatus.FAILED
        row.last_error = f"{status}: error {error_code}" if error_code else status
    return True
