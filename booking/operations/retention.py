"""`flask purge`: keep each clinic's data only as long as its retention periods allow."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, or_, select, update

from booking.extensions import db
from booking.models import (
    Appointment,
    AuditAction,
    AuditEvent,
    AuditPurge,
    Clinic,
    ConsultationRequest,
    ManageToken,
    OutboxMessage,
    OutboxStatus,
    Patient,
    PreferredTime,
    RequestStatus,
    RetentionPolicy,
)
from booking.operations import audit
from booking.operations.patient_data import erase_patient

CLOSED = (RequestStatus.DECLINED, RequestStatus.WITHDRAWN)
FIELDS = ("token_days", "message_body_days", "closed_request_days", "inactive_patient_years", "audit_years")


@dataclass(frozen=True)
class Windows:
    """How long a clinic keeps each kind of data; None keeps it for ever."""

    token_days: int | None
    message_body_days: int | None
    closed_request_days: int | None
    inactive_patient_years: int | None
    audit_years: int | None


@dataclass(frozen=True)
class Purged:
    """What one clinic's run removed (or, dry, would remove)."""

    tokens: int = 0
    message_bodies: int = 0
    requests: int = 0
    patients: int = 0
    audit_rows: int = 0


def windows_for(clinic: Clinic, defaults: dict[str, int | None]) -> Windows:
    """The clinic's periods: its own where set, else `defaults` (RETENTION_* in config)."""
    policy = db.session.get(RetentionPolicy, clinic.id)
    values = {f: getattr(policy, f) if policy is not None and getattr(policy, f) is not None else defaults[f]
              for f in FIELDS}
    return Windows(**values)


def _count(query: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _inactive_patients(clinic: Clinic, cutoff: datetime) -> Any:
    visited = exists().where(Appointment.clinic_id == clinic.id, Appointment.patient_id == Patient.id,
                             Appointment.starts_at >= cutoff)
    return select(Patient).where(Patient.clinic_id == clinic.id, Patient.erased_at.is_(None),
                                 Patient.created_at < cutoff, ~visited)


def purge_clinic(clinic: Clinic, windows: Windows, now: datetime, *, dry_run: bool) -> Purged:
    """Remove or blank what is past its period at one clinic; audited unless dry. Flushes, no commit."""
    counts: dict[str, int] = {}
    # Patients' page links that expired more than token_days ago: useless, and still a secret's hash.
    tokens = select(ManageToken.id).where(ManageToken.clinic_id == clinic.id)
    if windows.token_days is not None:
        tokens = tokens.where(ManageToken.expires_at < now - timedelta(days=windows.token_days))
        counts["tokens"] = _count(tokens)
        if not dry_run and counts["tokens"]:
            db.session.execute(delete(ManageToken).where(ManageToken.id.in_(tokens)))
    # Sent (or given-up) messages' text; who, when and what kind stay.
    if windows.message_body_days is not None:
        bodies = select(OutboxMessage.id).where(
            OutboxMessage.clinic_id == clinic.id,
            OutboxMessage.status != OutboxStatus.PENDING,
            func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at)
            < now - timedelta(days=windows.message_body_days),
            or_(OutboxMessage.body_text != "", OutboxMessage.body_html != "", OutboxMessage.ics.is_not(None)),
        )
        counts["message_bodies"] = _count(bodies)
        if not dry_run and counts["message_bodies"]:
            db.session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(bodies))
                .values(body_text="", body_html="", ics=None).execution_options(synchronize_session=False)
            )
    # Declined or withdrawn requests (with their answers and times) that no visit came from.
    if windows.closed_request_days is not None:
        booked = exists().where(Appointment.clinic_id == clinic.id, Appointment.request_id == ConsultationRequest.id)
        closed = select(ConsultationRequest.id).where(
            ConsultationRequest.clinic_id == clinic.id, ConsultationRequest.status.in_(CLOSED),
            ConsultationRequest.updated_at < now - timedelta(days=windows.closed_request_days), ~booked,
        )
        counts["requests"] = _count(closed)
        if not dry_run and counts["requests"]:
            ids = list(db.session.scalars(closed))
            db.session.execute(delete(PreferredTime).where(PreferredTime.clinic_id == clinic.id,
                                                           PreferredTime.request_id.in_(ids)))
            db.session.execute(delete(ConsultationRequest).where(ConsultationRequest.id.in_(ids))
                               .execution_options(synchronize_session=False))
    # Patients with no visit (nor registration) in N years: anonymised like an erasure.
    if windows.inactive_patient_years is not None:
        cutoff = now - timedelta(days=365 * windows.inactive_patient_years)
        patients = db.session.scalars(_inactive_patients(clinic, cutoff)).all()
        counts["patients"] = len(patients)
        if not dry_run:
            for patient in patients:
                erase_patient(clinic, patient, actor_id=None, now=now,
                              reason=f"retention: no visit in {windows.inactive_patient_years} years")
    # Audit rows past audit_years, through the recorded purge (PostgreSQL refuses any other way).
    if windows.audit_years is not None:
        before = now - timedelta(days=365 * windows.audit_years)
        old = select(AuditEvent.id).where(AuditEvent.clinic_id == clinic.id, AuditEvent.at < before)
        counts["audit_rows"] = _count(old)
        if not dry_run and counts["audit_rows"]:
            _purge_audit(clinic, before, f"retention: {windows.audit_years} years", now)
    purged = Purged(**counts)
    if not dry_run:
        audit.record(clinic.id, None, AuditAction.RETENTION_PURGE, "clinic", clinic.id,
                     **asdict(purged), windows=asdict(windows))
        db.session.flush()
    return purged


def _purge_audit(clinic: Clinic, before: datetime, reason: str, now: datetime) -> None:
    if db.engine.dialect.name == "postgresql":
        # Its trigger deletes the rows and counts them: the only way past the append-only guard.
        db.session.add(AuditPurge(clinic_id=clinic.id, before=before, reason=reason, at=now))
        db.session.flush()
        return
    removed = db.session.scalars(
        delete(AuditEvent).where(AuditEvent.clinic_id == clinic.id, AuditEvent.at < before).returning(AuditEvent.id)
    ).all()
    db.session.add(AuditPurge(clinic_id=clinic.id, before=before, reason=reason, removed=len(removed), at=now))
