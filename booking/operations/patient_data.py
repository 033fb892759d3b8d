"""Erasing a patient: their details go, the counts and the audit trail stay."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select

from booking.extensions import db
from booking.models import (
    Appointment,
    AuditAction,
    CheckIn,
    Clinic,
    ConsultationRequest,
    ManageToken,
    OutboxStatus,
    Patient,
    SmsConsent,
    SmsInbound,
)
from booking.operations import audit
from booking.queries.patient_data import patient_messages

ERASED_NAME = "Erased patient"
# consultation_request.date_of_birth is NOT NULL: an erased request keeps this placeholder.
ERASED_BIRTH_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class Erased:
    """How many records were anonymised."""

    requests: int
    appointments: int
    messages: int
    links: int


def erase_patient(clinic: Clinic, patient: Patient, *, actor_id: int | None, now: datetime,
                  reason: str) -> Erased:
    """Anonymise the patient, their requests, visits' contact details and messages; end their links.

    Rows stay (the schedule's history and counts hold), pending messages are voided, and the
    erasure is audited with the counts. Flushes; the caller commits.
    """
    assert patient.clinic_id == clinic.id
    phone = patient.phone
    patient.full_name = ERASED_NAME
    patient.email = ""
    patient.phone = ""
    patient.date_of_birth = None
    patient.erased_at = now
    requests = db.session.scalars(
        select(ConsultationRequest)
        .where(ConsultationRequest.clinic_id == clinic.id, ConsultationRequest.patient_id == patient.id)
    ).all()
    for item in requests:
        item.full_name, item.email, item.phone = ERASED_NAME, "", ""
        item.date_of_birth = ERASED_BIRTH_DATE
        item.concern_details = item.medications = item.review_note = ""
    appointments = db.session.scalars(
        select(Appointment).where(Appointment.clinic_id == clinic.id, Appointment.patient_id == patient.id)
    ).all()
    for appointment in appointments:
        appointment.driver_name = appointment.driver_phone = appointment.driver_email = ""
        appointment.driver_may_be_emailed = False
        appointment.cancel_reason = ""
    ids = [a.id for a in appointments]
    messages = db.session.scalars(patient_messages(clinic, patient, ids, [r.id for r in requests])).all()
    for message in messages:
        message.recipient = ERASED_NAME
        message.subject = message.body_text = message.body_html = ""
        message.ics = None
        if message.status is OutboxStatus.PENDING:
            message.status = OutboxStatus.VOID
    # Check-ins keep their scores (anonymous now: counts and trends stay) but lose what could name anyone.
    for checkin in db.session.scalars(
        select(CheckIn).where(CheckIn.clinic_id == clinic.id, CheckIn.patient_id == patient.id)
    ):
        checkin.driver_name = checkin.driver_phone = checkin.medication_change = ""
    for text in db.session.scalars(
        select(SmsInbound).where(SmsInbound.clinic_id == clinic.id, SmsInbound.patient_id == patient.id)
    ):
        text.phone, text.body = "", ""
    if phone:
        # No more texts to that number on this patient's consent (an opt-out of the number stays).
        for consent in db.session.scalars(
            select(SmsConsent).where(SmsConsent.clinic_id == clinic.id, SmsConsent.phone == phone)
        ):
            consent.phone = ""
            consent.withdrawn_at = consent.withdrawn_at or now
    links = db.session.scalars(
        delete(ManageToken).where(ManageToken.clinic_id == clinic.id, ManageToken.appointment_id.in_(ids))
        .returning(ManageToken.id)
    ).all()
    counts = Erased(len(requests), len(appointments), len(messages), len(links))
    audit.record(clinic.id, actor_id, AuditAction.PATIENT_ERASED, "patient", patient.id, reason=reason,
                 requests=counts.requests, appointments=counts.appointments, messages=counts.messages,
                 links=counts.links)
    db.session.flush()
    return counts
