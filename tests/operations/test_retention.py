"""`flask purge`: each clinic's periods, what goes and what stays, dry runs, and the audit of each run."""
from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import (
    Appointment,
    AuditAction,
    AuditEvent,
    AuditPurge,
    Clinic,
    ConsultationRequest,
    ManageToken,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Patient,
    PreferredTime,
    RequestStatus,
    RetentionPolicy,
    utcnow,
)
from booking.operations import audit
from tests.factories import chairs, create_appointment, create_request, service


def _message(clinic: Clinic, n: int, *, sent_days_ago: int | None, status: OutboxStatus = OutboxStatus.SENT,
             appointment: Appointment | None = None) -> OutboxMessage:
    now = utcnow()
    message = OutboxMessage(
        clinic_id=clinic.id, appointment_id=appointment.id if appointment else None,
        kind=MessageKind.APPOINTMENT_BOOKED, dedupe_key=f"test:{clinic.id}:{n}", sender="c@example.com",
        recipient="Pat <pat@example.com>", subject="Your appointment", body_text="Body text", body_html="<p>Body</p>",
        ics="BEGIN:VCALENDAR", message_id=f"<{clinic.id}.{n}@test>", status=status,
        created_at=now - timedelta(days=sent_days_ago or 0),
        sent_at=now - timedelta(days=sent_days_ago) if sent_days_ago is not None else None,
    )
    db.session.add(message)
    return message


def _token(clinic: Clinic, appointment: Appointment, expired_days_ago: int) -> None:
    digest = hashlib.sha256(f"{appointment.id}:{expired_days_ago}".encode()).hexdigest()
    db.session.add(ManageToken(clinic_id=clinic.id, appointment_id=appointment.id, token_hash=digest,
                               expires_at=utcnow() - timedelta(days=expired_days_ago)))


def _closed_request(clinic: Clinic, name: str, days_ago: int, status: RequestStatus) -> ConsultationRequest:
    item = create_request(clinic, utcnow() + timedelta(days=3), name=name)
    item.status = status
    db.session.flush()
    item.updated_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return item


@pytest.fixture
def populated(make_clinic: Any) -> dict[str, Any]:
    clinic = make_clinic()
    now = utcnow()
    consult, room = service(clinic, "consult"), chairs(clinic)[0]
    old_visit = create_appointment(clinic, consult, room, now - timedelta(days=6 * 365))
    recent_visit = create_appointment(clinic, consult, room, now - timedelta(days=30))
    for visit in (old_visit, recent_visit):
        db.session.get(Patient, visit.patient_id).created_at = now - timedelta(days=7 * 365)  # type: ignore[union-attr]
    _token(clinic, recent_visit, 40)
    _token(clinic, recent_visit, 10)
    _token(clinic, recent_visit, -5)  # still valid
    old_sent = _message(clinic, 1, sent_days_ago=400, appointment=recent_visit)
    new_sent = _message(clinic, 2, sent_days_ago=100)
    pending = _message(clinic, 3, sent_days_ago=None, status=OutboxStatus.PENDING)
    pending.created_at = now - timedelta(days=500)
    db.session.commit()
    gone = _closed_request(clinic, "Old Declined", 800, RequestStatus.DECLINED)
    withdrawn = _closed_request(clinic, "Old Withdrawn", 800, RequestStatus.WITHDRAWN)
    recent = _closed_request(clinic, "Recent Declined", 100, RequestStatus.DECLINED)
    open_old = _closed_request(clinic, "Old New", 800, RequestStatus.NEW)
    booked = _closed_request(clinic, "Booked Declined", 800, RequestStatus.DECLINED)
    recent_visit.request_id = booked.id
    for age in (3 * 365, 30):
        event = audit.record(clinic.id, None, AuditAction.SETTINGS_CHAIR_ADDED, "chair", room.id)
        event.at = now - timedelta(days=age)
    db.session.commit()
    return {"clinic": clinic, "old_visit": old_visit, "recent_visit": recent_visit, "old_sent": old_sent,
            "new_sent": new_sent, "pending": pending, "gone": [gone.id, withdrawn.id],
            "kept": [recent.id, open_old.id, booked.id]}


def _state() -> dict[str, Any]:
    db.session.expire_all()
    return {
        "tokens": db.session.scalar(select(func.count()).select_from(ManageToken)),
        "bodies": sorted(m.id for m in db.session.scalars(select(OutboxMessage)) if m.body_text),
        "requests": sorted(db.session.scalars(select(ConsultationRequest.id))),
        "times": db.session.scalar(select(func.count()).select_from(PreferredTime)),
        "erased": sorted(db.session.scalars(select(Patient.id).where(Patient.erased_at.is_not(None)))),
        "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)),
    }


def test_dry_run_counts_and_changes_nothing(runner: FlaskCliRunner, populated: dict[str, Any]) -> None:
    before = _state()
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    slug = populated["clinic"].slug
    assert f"{slug}: would remove tokens 1, message bodies 1, requests 2, patients 0, audit rows 0" in result.output
    assert _state() == before


def test_defaults_remove_old_links_message_texts_and_closed_requests(
    runner: FlaskCliRunner, populated: dict[str, Any]
) -> None:
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    state = _state()
    assert state["tokens"] == 2  # the one expired 40 days ago is gone; 10 days ago and valid stay
    old_sent = db.session.get(OutboxMessage, populated["old_sent"].id)
    assert old_sent is not None and (old_sent.body_text, old_sent.body_html, old_sent.ics) == ("", "", None)
    # Who, when and what kind stay.
    assert old_sent.recipient == "Pat <pat@example.com>" and old_sent.sent_at is not None
    assert old_sent.kind is MessageKind.APPOINTMENT_BOOKED
    assert populated["new_sent"].id in state["bodies"] and populated["pending"].id in state["bodies"]
    assert not set(populated["gone"]) & set(state["requests"])
    assert set(populated["kept"]) <= set(state["requests"])
    assert state["erased"] == []  # patients are kept by default
    run = db.session.scalars(select(AuditEvent).filter_by(action=AuditAction.RETENTION_PURGE)).one()
    assert run.staff_id is None and run.clinic_id == populated["clinic"].id
    assert {k: run.details[k] for k in ("tokens", "message_bodies", "requests", "patients", "audit_rows")} == {
        "tokens": 1, "message_bodies": 1, "requests": 2, "patients": 0, "audit_rows": 0}
    assert run.details["windows"]["message_body_days"] == 365
    # Run again: nothing more to do, and that run is recorded too.
    assert "tokens 0, message bodies 0, requests 0" in runner.invoke(args=["purge"]).output


def test_a_clinics_own_periods_erase_inactive_patients_and_old_audit_rows(
    runner: FlaskCliRunner, populated: dict[str, Any], make_clinic: Any
) -> None:
    clinic = populated["clinic"]
    bystander = make_clinic()
    event = audit.record(bystander.id, None, AuditAction.SETTINGS_CHAIR_ADDED, "chair", 1)
    event.at = utcnow() - timedelta(days=3 * 365)
    db.session.commit()
    result = runner.invoke(args=["retention", "set", "--clinic", clinic.slug, "--inactive-patient-years", "5",
                                 "--audit-years", "2", "--message-body-days", "60"])
    assert result.exit_code == 0, result.output
    assert db.session.get(RetentionPolicy, clinic.id).audit_years == 2  # type: ignore[union-attr]
    result = runner.invoke(args=["purge", "--clinic", clinic.slug])
    assert "tokens 1, message bodies 2, requests 2, patients 1, audit rows 1" in result.output, result.output
    state = _state()
    old_patient = db.session.get(Patient, populated["old_visit"].patient_id)
    assert state["erased"] == [old_patient.id]  # type: ignore[union-attr]
    assert old_patient.full_name == "Erased patient" and old_patient.email == ""  # type: ignore[union-attr]
    assert db.session.get(Patient, populated["recent_visit"].patient_id).erased_at is None  # type: ignore[union-attr]
    # The old visit itself stays (the schedule's history), without contact details.
    assert db.session.get(Appointment, populated["old_visit"].id) is not None
    [purge] = db.session.scalars(select(AuditPurge)).all()
    assert (purge.clinic_id, purge.removed) == (clinic.id, 1)
    # The other clinic's old audit row stays: its periods are the defaults.
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).filter_by(clinic_id=bystander.id)) == 1
    # The erasure and the run are audited.
    actions = set(db.session.scalars(select(AuditEvent.action).filter_by(clinic_id=clinic.id)))
    assert {AuditAction.PATIENT_ERASED, AuditAction.RETENTION_PURGE, AuditAction.RETENTION_POLICY_CHANGED} <= actions


def test_periods_below_the_floor_are_refused(runner: FlaskCliRunner, populated: dict[str, Any]) -> None:
    result = runner.invoke(args=["retention", "set", "--clinic", populated["clinic"].slug, "--message-body-days", "3"])
    assert result.exit_code != 0 and "--message-body-days" in result.output
    assert db.session.get(RetentionPolicy, populated["clinic"].id) is None
