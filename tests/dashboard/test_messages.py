"""Staff see every message's delivery status and can retry a failed one."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from booking.extensions import db
from booking.models import AuditAction, AuditEvent, Language, MessageKind, OutboxMessage, OutboxStatus, Role
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local


def test_failed_message_is_visible_and_retried(make_clinic: Any, make_appointment: Any, signed_in: Any) -> None:
    from booking.models import utcnow
    from booking.operations.notices import notify_patient

    clinic = make_clinic()
    start = local(clinic, days_ahead(clinic, 4), 9)
    appointment = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], start)
    notify_patient(clinic, appointment, MessageKind.APPOINTMENT_BOOKED, utcnow())
    row = db.session.scalars(select(OutboxMessage)).one()
    row.status, row.attempts, row.last_error = OutboxStatus.FAILED, 8, "SMTPServerDisconnected"
    db.session.commit()

    client = signed_in(clinic)
    page = client.get("/dashboard/messages?status=failed").get_data(as_text=True)
    assert "Booking confirmation" in page and "8 tries" in page and "Retry" in page
    detail = client.get(f"/dashboard/appointments/{appointment.id}").get_data(as_text=True)
    assert "Booking confirmation" in detail and "failed" in detail

    assert client.get(f"/dashboard/messages/{row.id}/retry").status_code == 405
    assert client.post(f"/dashboard/messages/{row.id}/retry", data={"status": "retry"}).status_code == 303
    db.session.expire_all()
    row = db.session.get(OutboxMessage, row.id)
    assert row.status is OutboxStatus.PENDING and row.attempts == 0
    retried = db.session.scalars(select(AuditEvent).filter_by(action=AuditAction.MESSAGE_RETRIED)).all()
    assert [e.entity_id for e in retried] == [row.id]
    # A sent message cannot be "retried" into a duplicate.
    row.status = OutboxStatus.SENT
    db.session.commit()
    client.post(f"/dashboard/messages/{row.id}/retry", data={"status": "retry"})
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status is OutboxStatus.SENT


def test_other_clinics_messages_are_not_reachable(make_clinic: Any, signed_in: Any) -> None:
    from booking.mail.outbox import enqueue
    from booking.models import utcnow

    a, b = make_clinic(), make_clinic()
    row = enqueue(b, kind=MessageKind.REQUEST_RECEIVED, dedupe_key="b1", to_name="Bee Canary", to_email="bee@example.com",
                  context={"first_name": "Bee", "preferred_times": [], "call_me": True, "consent_phone": True}, now=utcnow(),
                  language=Language.EN)
    row.status = OutboxStatus.FAILED
    db.session.commit()
    client = signed_in(a, role=Role.ADMIN)
    assert "Bee Canary" not in client.get("/dashboard/messages").get_data(as_text=True)
    assert client.post(f"/dashboard/messages/{row.id}/retry", data={"status": "retry"}).status_code == 404
