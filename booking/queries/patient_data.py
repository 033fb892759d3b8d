"""Everything a clinic holds about one patient, for the patient's copy (access and portability)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select

from booking.extensions import db
from booking.models import (
    Appointment,
    CheckIn,
    Clinic,
    ConsultationRequest,
    OutboxMessage,
    Patient,
    QuestionnaireResponse,
    Service,
    SmsConsent,
    SmsInbound,
)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "value"):  # an enum
        return value.value
    return value


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


PATIENT_FIELDS = ("id", "full_name", "email", "phone", "date_of_birth", "language", "created_at", "erased_at")
REQUEST_FIELDS = (
    "id", "created_at", "updated_at", "status", "full_name", "email", "phone", "date_of_birth", "concern",
    "concern_details", "heart_condition", "substance_misuse", "psychosis_or_mania", "pregnancy", "medications",
    "support_person", "call_me", "language", "consent_privacy", "consent_email", "consent_phone",
    "needs_clinician_review", "review_decision", "reviewed_at",
)
APPOINTMENT_FIELDS = (
    "id", "starts_at", "ends_at", "status", "cancelled_at", "cancel_reason", "patient_confirmed_at",
    "driver_name", "driver_phone", "driver_email", "driver_may_be_emailed", "created_at",
)
# Messages' metadata only: what was sent when, not the text (the patient has the emails).
MESSAGE_FIELDS = ("id", "kind", "channel", "status", "recipient", "created_at", "due_at", "sent_at", "attempts")
CHECKIN_FIELDS = (
    "id", "appointment_id", "submitted_at", "language", "fasting_confirmed", "driver_name", "driver_phone",
    "driver_confirmed", "medication_change", "self_harm", "needs_clinician", "acknowledged_at", "is_current",
    "superseded_by_id",
)
RESPONSE_FIELDS = ("instrument", "version", "answers", "total", "band")
TEXT_FIELDS = ("id", "received_at", "phone", "body", "kind", "appointment_id")
CONSENT_FIELDS = ("id", "phone", "text_version", "source", "consented_at", "withdrawn_at")


def patient_messages(clinic: Clinic, patient: Patient, appointment_ids: list[int], request_ids: list[int]):  # type: ignore[no-untyped-def]
    """The select for the outbox rows written to this patient (their visits' and their requests')."""
    received = [f"request_received:{rid}" for rid in request_ids]
    clauses = [OutboxMessage.appointment_id.in_(appointment_ids), OutboxMessage.dedupe_key.in_(received)]
    return (select(OutboxMessage)
            .where(OutboxMessage.clinic_id == clinic.id, or_(*clauses))
            .order_by(OutboxMessage.id))


def patient_export(clinic: Clinic, patient: Patient) -> dict[str, Any]:
    """The patient, their requests (with answers and preferred times), visits and messages' metadata."""
    assert patient.clinic_id == clinic.id
    requests = db.session.scalars(
        select(ConsultationRequest)
        .where(ConsultationRequest.clinic_id == clinic.id, ConsultationRequest.patient_id == patient.id)
        .order_by(ConsultationRequest.id)
    ).all()
    rows = db.session.execute(
        select(Appointment, Service.name)
        .join(Service, Service.id == Appointment.service_id)
        .where(Appointment.clinic_id == clinic.id, Appointment.patient_id == patient.id)
        .order_by(Appointment.starts_at)
    ).all()
    messages = db.session.scalars(
        patient_messages(clinic, patient, [a.id for a, _ in rows], [r.id for r in requests])
    ).all()
    checkins = db.session.scalars(
        select(CheckIn).where(CheckIn.clinic_id == clinic.id, CheckIn.patient_id == patient.id).order_by(CheckIn.id)
    ).all()
    responses = db.session.scalars(
        select(QuestionnaireResponse)
        .where(QuestionnaireResponse.clinic_id == clinic.id,
               QuestionnaireResponse.checkin_id.in_([c.id for c in checkins]))
        .order_by(QuestionnaireResponse.id)
    ).all()
    texts = db.session.scalars(
        select(SmsInbound).where(SmsInbound.clinic_id == clinic.id, SmsInbound.patient_id == patient.id)
        .order_by(SmsInbound.id)
    ).all()
    consents = db.session.scalars(
        select(SmsConsent).where(SmsConsent.clinic_id == clinic.id, SmsConsent.phone == patient.phone)
        .order_by(SmsConsent.id)
    ).all() if patient.phone else []
    return {
        "clinic": {"slug": clinic.slug, "name": clinic.name},
        "patient": _row(patient, PATIENT_FIELDS),
        "requests": [
            {**_row(r, REQUEST_FIELDS), "review_reasons": list(r.review_reasons),
             "preferred_times": [t.starts_at.isoformat() for t in r.preferred_times]}
            for r in requests
        ],
        "appointments": [{**_row(a, APPOINTMENT_FIELDS), "service": name} for a, name in rows],
        "messages": [_row(m, MESSAGE_FIELDS) for m in messages],
        "checkins": [
            {**_row(c, CHECKIN_FIELDS),
             "questionnaires": [_row(r, RESPONSE_FIELDS) for r in responses if r.checkin_id == c.id]}
            for c in checkins
        ],
        "texts_received": [_row(t, TEXT_FIELDS) for t in texts],
        "text_consents": [_row(c, CONSENT_FIELDS) for c in consents],
    }


def export_rows(export: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The export flattened for a CSV: (record, id, field, value) per line."""
    lines: list[tuple[str, str, str, str]] = []
    patient = export["patient"]
    for field, value in patient.items():
        lines.append(("patient", str(patient["id"]), field, "" if value is None else str(value)))
    sections = (("requests", "request"), ("appointments", "appointment"), ("messages", "message"),
                ("checkins", "checkin"), ("texts_received", "text"), ("text_consents", "text_consent"))
    for section, record in sections:
        for item in export[section]:
            for field, value in item.items():
                if field == "questionnaires":
                    value = "; ".join(f"{q['instrument']} {q['version']}: {q['total']} ({q['band'] or ''}) "
                                      f"answers {q['answers']}" for q in value)
                elif isinstance(value, list):
                    value = "; ".join(str(v) for v in value)
                lines.append((record, str(item["id"]), field, "" if value is None else str(value)))
    return lines
