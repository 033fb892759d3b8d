"""Everything a clinic holds about one patient, for the patient's copy (access and portability)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select

from booking.extensions import db
from booking.models import (
    Appointment,
    Clinic,
    ConsultationRequest,
    OutboxMessage,
    Patient,
    Service,
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
MESSAGE_FIELDS = ("id", "kind", "status", "recipient", "created_at", "due_at", "sent_at", "attempts")


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
    }


def export_rows(export: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The export flattened for a CSV: (record, id, field, value) per line."""
    lines: list[tuple[str, str, str, str]] = []
    patient = export["patient"]
    for field, value in patient.items():
        lines.append(("patient", str(patient["id"]), field, "" if value is None else str(value)))
    for section, record in (("requests", "request"), ("appointments", "appointment"), ("messages", "message")):
        for item in export[section]:
            for field, value in item.items():
                if isinstance(value, list):
                    value = "; ".join(str(v) for v in value)
                lines.append((record, str(item["id"]), field, "" if value is None else str(value)))
    return lines
